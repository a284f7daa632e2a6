import { describe, expect, it } from '@jest/globals'
import { MAX_DESCRIPTION_BYTES, descriptionBytes } from '../src/model/provenance.js'
import {
  provenanceDescription,
  provenanceServer,
  workflowRunFrom,
  type WorkflowRun
} from '../src/model/provenance.js'

const RUN: WorkflowRun = {
  serverUrl: 'https://github.com',
  repository: 'octo-org/web',
  sha: '0123456789abcdef0123456789abcdef01234567',
  runId: '9876543210'
}
const SERVER = { no: '1234567', name: 'web-1' }

/** True when the bytes are valid UTF-8 (no character cut in half). */
function isValidUtf8(text: string): boolean {
  const bytes = Buffer.from(text, 'utf8')
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return false
  }
  return !text.includes('\uFFFD') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(text)
}

describe('workflowRunFrom', () => {
  it('reads the server, repository, commit and run id of the workflow run', () => {
    expect(
      workflowRunFrom({
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'octo-org/web',
        GITHUB_SHA: RUN.sha,
        GITHUB_RUN_ID: '9876543210'
      })
    ).toEqual(RUN)
  })

  it('trims the values and leaves out those that are empty or unset', () => {
    expect(
      workflowRunFrom({ GITHUB_SERVER_URL: ' https://ghe.example.com ', GITHUB_REPOSITORY: '  ' })
    ).toEqual({
      serverUrl: 'https://ghe.example.com',
      repository: undefined,
      sha: undefined,
      runId: undefined
    })
  })

  it('knows nothing outside a workflow run', () => {
    expect(workflowRunFrom({})).toEqual({
      serverUrl: undefined,
      repository: undefined,
      sha: undefined,
      runId: undefined
    })
  })
})

describe('provenanceDescription', () => {
  it('names the server by number and name, the repository, the commit and the run URL', () => {
    const description = provenanceDescription(SERVER, RUN)
    expect(description).toContain('1234567')
    expect(description).toContain('web-1')
    expect(description).toContain('octo-org/web')
    expect(description).toContain(RUN.sha)
    expect(description).toContain('https://github.com/octo-org/web/actions/runs/9876543210')
  })

  it('leaves out what the run does not know, and a server without a name', () => {
    const description = provenanceDescription({ no: '42', name: '' }, {})
    expect(description).toContain('42')
    expect(description).not.toContain('()')
    expect(description).not.toContain('repository')
    expect(description).not.toContain('commit')
    expect(description).not.toContain('http')
  })

  it('gives no run URL when the server URL or the run id is unknown', () => {
    expect(provenanceDescription(SERVER, { ...RUN, runId: undefined })).not.toContain(
      '/actions/runs/'
    )
    expect(provenanceDescription(SERVER, { ...RUN, serverUrl: undefined })).not.toContain(
      '/actions/runs/'
    )
  })

  it('fits NCP’s 1000-byte limit with a short server name', () => {
    expect(descriptionBytes(provenanceDescription(SERVER, RUN))).toBeLessThanOrEqual(
      MAX_DESCRIPTION_BYTES
    )
  })

  it.each([
    ['Korean', '서버'.repeat(1_000)],
    ['Korean after one ASCII letter', `a${'한글이름'.repeat(400)}`],
    ['Korean after two ASCII letters', `ab${'한글이름'.repeat(400)}`],
    ['emoji', '😀'.repeat(600)]
  ])('stays within 1000 bytes of valid UTF-8 with a huge server name in %s', (_label, name) => {
    const description = provenanceDescription({ no: '1234567', name }, RUN)
    const bytes = descriptionBytes(description)
    expect(bytes).toBeLessThanOrEqual(MAX_DESCRIPTION_BYTES)
    // Cut as close to the limit as a whole character allows.
    expect(bytes).toBeGreaterThan(MAX_DESCRIPTION_BYTES - 8)
    expect(isValidUtf8(description)).toBe(true)
    expect(description).toContain('1234567')
  })

  it('is still read back as this server’s after it was shortened', () => {
    const description = provenanceDescription({ no: '1234567', name: '서'.repeat(2_000) }, RUN)
    expect(provenanceServer(description)).toBe('1234567')
  })
})

describe('provenanceServer', () => {
  it('reads the server number back from the action’s description', () => {
    expect(provenanceServer(provenanceDescription(SERVER, RUN))).toBe('1234567')
    expect(provenanceServer(provenanceDescription({ no: '42', name: '' }, {}))).toBe('42')
  })

  it('reads back a 20-digit server number whole', () => {
    const no = '12345678901234567890'
    expect(provenanceServer(provenanceDescription({ no, name: 'x' }, RUN))).toBe(no)
  })

  it('is not fooled by a server name that holds another number', () => {
    const description = provenanceDescription({ no: '1234567', name: 'server 999' }, RUN)
    expect(provenanceServer(description)).toBe('1234567')
  })

  it.each([
    ['no description', undefined],
    ['an empty description', ''],
    ['an ordinary description', 'nightly build'],
    ['one that merely contains "server 123"', 'built from server 123'],
    ['one that starts with "server 123"', 'server 123'],
    ['one that names the server in its own words', 'server 1234567 (web-1); repository octo/web'],
    ['Korean text', '서버 1234567 이미지']
  ])('returns nothing for %s', (_label, description) => {
    expect(provenanceServer(description)).toBeUndefined()
  })

  it('returns nothing for the action’s description quoted inside a user’s text', () => {
    expect(provenanceServer(`copy of: ${provenanceDescription(SERVER, RUN)}`)).toBeUndefined()
  })
})
