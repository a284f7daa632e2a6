import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { generateImageName } from '../src/model/image-name.js'
import { MAX_DESCRIPTION_BYTES, descriptionBytes } from '../src/model/provenance.js'
import {
  MEMBER_IMAGE_NAME_RULE,
  SERVER_IMAGE_NAME_RULE,
  nameProblem
} from '../src/ncloud/name-rules.js'

const XEN = MEMBER_IMAGE_NAME_RULE
const KVM = SERVER_IMAGE_NAME_RULE

describe('nameProblem', () => {
  it.each([
    ['abc', 'shortest (3)'],
    ['a'.repeat(30), 'longest (30)'],
    ['my-image-01', 'letters, digits and -'],
    ['a1b', 'digit inside'],
    ['ab9', 'ends with a digit'],
    ['a--b', 'several dashes inside']
  ])('accepts %j under both rules (%s)', name => {
    expect(nameProblem(name, XEN)).toBeUndefined()
    expect(nameProblem(name, KVM)).toBeUndefined()
  })

  it.each([
    ['ab', 'it has 2 characters'],
    ['a'.repeat(31), 'it has 31 characters'],
    ['', 'it has 0 characters'],
    ['1abc', 'it starts with "1"'],
    ['Abc', 'it starts with "A"'],
    ['-abc', 'it starts with "-"'],
    ['abc-', 'it ends with "-"'],
    ['abc_', 'it ends with "_"'],
    ['abC', 'it ends with "C"']
  ])('refuses %j under both rules: %s', (name, problem) => {
    expect(nameProblem(name, XEN)).toBe(problem)
    expect(nameProblem(name, KVM)).toBe(problem)
  })

  it('allows "_" inside only under the KVM rule', () => {
    expect(nameProblem('my_image', KVM)).toBeUndefined()
    expect(nameProblem('my_image', XEN)).toBe('it contains "_"')
  })

  it('allows upper case inside only under the KVM rule', () => {
    expect(nameProblem('myImage1', KVM)).toBeUndefined()
    expect(nameProblem('myImage1', XEN)).toBe('it contains "I"')
  })

  it('names each bad character inside once, under either rule', () => {
    expect(nameProblem('a b.c b.d', KVM)).toBe('it contains " ", "."')
    expect(nameProblem('aB_C.d', XEN)).toBe('it contains "B", "_", "C", "."')
  })

  it('counts characters, not UTF-16 units, and names a non-ASCII character', () => {
    expect(nameProblem('a테b', KVM)).toBe('it contains "테"')
    expect(nameProblem('a😀', XEN)).toBe('it has 2 characters')
  })

  it('checks the length before the first and last characters', () => {
    expect(nameProblem('1-', XEN)).toBe('it has 2 characters')
  })
})

describe('generateImageName outside a workflow run (from the time)', () => {
  const at = new Date('2026-12-01T07:33:21.456Z')
  const byTime = (server: string, now = at) =>
    generateImageName({ serverInstanceNo: server, now, env: {} })

  it('builds img-<server>-<yyyymmdd>-<hhmmss> from the UTC time, and says it came from the time', () => {
    expect(byTime('1234567')).toEqual({ name: 'img-1234567-20261201-073321', source: 'time' })
  })

  it.each(['1', '1234567', '98765432101', '12345678901234567890'])(
    'is valid under both rules and at most 30 characters for server %s',
    server => {
      const { name } = byTime(server)
      expect(name.length).toBeLessThanOrEqual(30)
      expect(nameProblem(name, XEN)).toBeUndefined()
      expect(nameProblem(name, KVM)).toBeUndefined()
    }
  )

  it('keeps the last digits of a 20-digit server number', () => {
    const { name } = byTime('12345678901234567890')
    expect(name).toBe('img-1234567890-20261201-073321')
    expect(name).toHaveLength(30)
  })

  it('differs from one second to the next, and is the same within a second', () => {
    const next = new Date(at.getTime() + 1000)
    const sameSecond = new Date(at.getTime() + 400)
    expect(byTime('1234567', next).name).not.toBe(byTime('1234567').name)
    expect(byTime('1234567', sameSecond).name).toBe(byTime('1234567').name)
  })

  it('differs from one server to another', () => {
    expect(byTime('1234567').name).not.toBe(byTime('1234568').name)
  })

  it.each([
    ['a run id that is not a number', 'abc123'],
    ['a run id with a sign', '-42'],
    ['a run id of blanks', '   '],
    ['an empty run id', '']
  ])('falls back to the time for %s', (_label, runId) => {
    const generated = generateImageName({
      serverInstanceNo: '1234567',
      now: at,
      env: { GITHUB_RUN_ID: runId, GITHUB_JOB: 'build', GITHUB_ACTION: 'image' }
    })
    expect(generated).toEqual({ name: 'img-1234567-20261201-073321', source: 'time' })
  })
})

describe('generateImageName in a workflow run (run-stable)', () => {
  const RUN = {
    GITHUB_RUN_ID: '9876543210',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'build',
    GITHUB_ACTION: 'make-image'
  }
  const at = new Date('2026-12-01T07:33:21.456Z')
  const inRun = (env: Record<string, string | undefined> = RUN, server = '1234567', now = at) =>
    generateImageName({ serverInstanceNo: server, now, env })

  it('says the name came from the run, and builds it from the server and the run id in base 36', () => {
    const generated = inRun()
    expect(generated.source).toBe('run')
    const runIdBase36 = (9876543210).toString(36)
    expect(generated.name).toMatch(new RegExp(`^img-1234567-${runIdBase36}-[0-9a-f]{6}$`))
  })

  it('ends with six hex digits of the sha256 of the job, the step and the server', () => {
    const expected = createHash('sha256')
      .update('build\nmake-image\n1234567')
      .digest('hex')
      .slice(0, 6)
    expect(inRun().name.endsWith(`-${expected}`)).toBe(true)
  })

  it('is the same on every attempt of the run, and at any time', () => {
    const later = new Date(at.getTime() + 3 * 3_600_000)
    expect(inRun({ ...RUN, GITHUB_RUN_ATTEMPT: '2' }).name).toBe(inRun().name)
    expect(inRun({ ...RUN, GITHUB_RUN_ATTEMPT: '7' }, '1234567', later).name).toBe(inRun().name)
  })

  it.each([
    ['another job', { GITHUB_JOB: 'deploy' }],
    ['another step of the job', { GITHUB_ACTION: 'make-image-2' }],
    ['another run', { GITHUB_RUN_ID: '9876543211' }]
  ])('differs for %s', (_label, change) => {
    expect(inRun({ ...RUN, ...change }).name).not.toBe(inRun().name)
  })

  it('differs for another server, even one whose kept digits are the same', () => {
    expect(inRun(RUN, '1234568').name).not.toBe(inRun().name)
    const long = '11111111112222222222'
    const sameTail = '99999999992222222222'
    expect(inRun(RUN, long).name).not.toBe(inRun(RUN, sameTail).name)
  })

  it('does not mix up the job and the step when their parts could be read either way', () => {
    const a = inRun({ ...RUN, GITHUB_JOB: 'a', GITHUB_ACTION: 'b-c' })
    const b = inRun({ ...RUN, GITHUB_JOB: 'a-b', GITHUB_ACTION: 'c' })
    expect(a.name).not.toBe(b.name)
  })

  it('accepts a run id with blanks around it', () => {
    expect(inRun({ ...RUN, GITHUB_RUN_ID: ' 9876543210 ' }).name).toBe(inRun().name)
  })

  it.each([
    ['an ordinary run id and server', '9876543210', '1234567'],
    ['a 20-digit run id', '12345678901234567890', '1234567'],
    ['a 20-digit server number', '9876543210', '12345678901234567890'],
    ['a 20-digit run id and server number', '99999999999999999999', '99999999999999999999'],
    ['the smallest run id and server', '1', '1']
  ])('is valid under both rules and at most 30 characters for %s', (_label, runId, server) => {
    const { name, source } = inRun({ ...RUN, GITHUB_RUN_ID: runId }, server)
    expect(source).toBe('run')
    expect(name.length).toBeLessThanOrEqual(30)
    expect(nameProblem(name, XEN)).toBeUndefined()
    expect(nameProblem(name, KVM)).toBeUndefined()
  })

  it('keeps the whole run id and the last digits of a long server number', () => {
    const { name } = inRun(
      { ...RUN, GITHUB_RUN_ID: '12345678901234567890' },
      '12345678901234567890'
    )
    const runIdBase36 = BigInt('12345678901234567890').toString(36)
    expect(name).toContain(`-${runIdBase36}-`)
    const server = name.split('-')[1]
    expect('12345678901234567890'.endsWith(server)).toBe(true)
    expect(server.length).toBeGreaterThan(0)
  })

  it('still makes a valid name when the job and the step are not set', () => {
    const { name, source } = inRun({ GITHUB_RUN_ID: '42' })
    expect(source).toBe('run')
    expect(nameProblem(name, XEN)).toBeUndefined()
  })
})

describe('descriptionBytes', () => {
  it('counts UTF-8 bytes: ASCII 1, Korean 3 per character', () => {
    expect(descriptionBytes('')).toBe(0)
    expect(descriptionBytes('nightly build')).toBe(13)
    expect(descriptionBytes('테스트')).toBe(9)
    expect(descriptionBytes('a 테스트')).toBe(11)
    expect(descriptionBytes('😀')).toBe(4)
  })

  it('lets 333 Korean characters (999 bytes) fit the limit and 334 (1002 bytes) not', () => {
    expect(MAX_DESCRIPTION_BYTES).toBe(1000)
    expect(descriptionBytes('가'.repeat(333))).toBe(999)
    expect(descriptionBytes('가'.repeat(334))).toBe(1002)
  })
})
