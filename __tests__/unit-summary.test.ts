import { describe, expect, it } from '@jest/globals'
import type { Outcome } from '../src/model/failure.js'
import { MEMBER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import type { ServerRecord } from '../src/ncloud/servers.js'
import type { RunResult } from '../src/model/result.js'
import { inert, renderSummary } from '../src/github/summary.js'

const SERVER: ServerRecord = {
  no: '1234567',
  name: 'web-1',
  status: 'RUN',
  operation: 'NULL',
  statusName: 'running',
  hypervisor: 'XEN'
}

const image = (no: string, status = 'CREAT', name = 'my-image'): ImageRecord => ({
  ...toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: no,
    memberServerImageName: name,
    memberServerImageInstanceStatus: { code: status }
  }),
  raw: { memberServerImageInstanceNo: no }
})

const FULL: RunResult = {
  outcome: 'created',
  failed: false,
  serverInstanceNo: '1234567',
  server: SERVER,
  region: 'KR',
  imageName: 'my-image',
  kind: MEMBER_IMAGE,
  image: image('555'),
  origin: 'created',
  duplicates: [],
  dryRun: false,
  elapsedMs: 185_000
}

/** A result that knows nothing but how it ended. */
const bare = (outcome: Outcome, extra: Partial<RunResult> = {}): RunResult => ({
  outcome,
  failed: false,
  duplicates: [],
  dryRun: false,
  elapsedMs: 0,
  ...extra
})

/** U+2060 WORD JOINER: invisible, and it keeps GitHub from autolinking a bare URL. */
const WJ = '\u2060'

const rows = (markdown: string): string[] =>
  markdown.split('\n').filter(line => /^\| [^| ]/.test(line))

const ALL_OUTCOMES: Outcome[] = [
  'created',
  'reused',
  'resumed',
  'creating',
  'dry-run',
  'failed',
  'gone',
  'timed-out',
  'wait-failed',
  'cancelled',
  'uncertain',
  'error'
]

describe('renderSummary', () => {
  it('writes a row for each field given, in order', () => {
    expect(rows(renderSummary(FULL))).toEqual([
      '| Server | 1234567 (web-1) |',
      '| Image number | 555 |',
      '| Image name | my-image |',
      '| Status | CREAT |',
      '| Image | created by this run |',
      '| Region | KR |',
      '| Hypervisor | XEN (createMemberServerImageInstance) |',
      '| Time taken | 3m05s |'
    ])
  })

  it('starts with the heading and a table header, and ends with a newline', () => {
    const lines = renderSummary(FULL).split('\n')
    expect(lines.slice(0, 4)).toEqual(['### ✅ Server image created', '', '| | |', '|---|---|'])
    expect(renderSummary(FULL).endsWith('\n')).toBe(true)
  })

  it('writes no row for a field that is missing, and only the time when nothing is known', () => {
    expect(rows(renderSummary(bare('error', { failed: true, elapsedMs: 850 })))).toEqual([
      '| Time taken | 850ms |'
    ])
    const partial = renderSummary(
      bare('error', {
        failed: true,
        serverInstanceNo: '1',
        server: { ...SERVER, no: '1', name: '', hypervisor: 'KVM' }
      })
    )
    expect(rows(partial)).toEqual([
      '| Server | 1 |',
      '| Hypervisor | KVM |',
      '| Time taken | 0ms |'
    ])
    expect(partial).not.toContain('Image number')
    expect(partial).not.toContain('Region')
  })

  it('shows the server number from the inputs when the server was never read', () => {
    expect(rows(renderSummary(bare('error', { serverInstanceNo: '42' })))).toContain(
      '| Server | 42 |'
    )
  })

  it('says when the server did not report its hypervisor', () => {
    const markdown = renderSummary({ ...FULL, server: { ...SERVER, hypervisor: undefined } })
    expect(rows(markdown)).toContain(
      '| Hypervisor | not reported (createMemberServerImageInstance) |'
    )
  })

  it('shows the requested name when no image is known', () => {
    expect(rows(renderSummary(bare('error', { imageName: 'wanted-name' })))).toContain(
      '| Image name | wanted-name |'
    )
  })

  it.each<[RunResult['origin'], string]>([
    ['created', 'created by this run'],
    ['adopted', 'created by this run (the reply was lost; found by name)'],
    ['reused', 'already existed (if-exists: reuse)'],
    ['resumed', 'picked up again (image-instance-no, or an earlier attempt of this workflow run)']
  ])('says where a %s image came from', (origin, words) => {
    expect(rows(renderSummary({ ...FULL, origin }))).toContain(`| Image | ${words} |`)
  })

  it('names the other images of the run’s name, so that none is lost', () => {
    const markdown = renderSummary({ ...FULL, duplicates: [image('556'), image('557')] })
    expect(rows(markdown)).toContain('| Other images of this name | 556, 557 |')
    expect(rows(renderSummary(FULL)).join('\n')).not.toContain('Other images')
  })

  it.each<[Outcome, string]>([
    ['created', 'created'],
    ['reused', 'Existing'],
    ['resumed', 'not created by this step'],
    ['creating', 'being created'],
    ['failed', 'failed'],
    ['gone', 'being deleted or is gone'],
    ['timed-out', 'timed out'],
    ['wait-failed', 'Stopped waiting'],
    ['cancelled', 'Cancelled'],
    ['uncertain', 'may have been created'],
    ['dry-run', 'Dry run'],
    ['error', 'not created']
  ])('has a heading for the outcome %s', (outcome, words) => {
    const heading = renderSummary(bare(outcome)).split('\n')[0]
    expect(heading.startsWith('### ')).toBe(true)
    expect(heading).toContain(words)
  })

  it('says a resumed image is ready without claiming this step created it', () => {
    const heading = renderSummary({ ...FULL, outcome: 'resumed', origin: 'resumed' }).split('\n')[0]
    expect(heading).toContain('ready')
    expect(heading).not.toMatch(/image created/)
  })

  it.each<Outcome>(['error', 'uncertain', 'cancelled', 'failed'])(
    'heads a failed dry run (%s) as a failed dry run, keeping what went wrong',
    outcome => {
      const heading = renderSummary(bare(outcome, { dryRun: true, failed: true })).split('\n')[0]
      expect(heading.startsWith('### 🧪 Dry run failed: ')).toBe(true)
      const normal = renderSummary(bare(outcome, { failed: true })).split('\n')[0]
      // The words of the outcome's own heading, without its mark.
      expect(heading).toContain(normal.replace(/^### \S+ /, ''))
      expect(heading).not.toContain('❌')
    }
  )

  it('heads a dry run that went through as a dry run that created nothing', () => {
    const heading = renderSummary(bare('dry-run', { dryRun: true })).split('\n')[0]
    expect(heading).toBe('### 🧪 Dry run: nothing was created')
    expect(heading).not.toContain('failed')
  })

  it('shows no image name when the run stopped before it looked the name up', () => {
    const markdown = renderSummary(
      bare('error', { failed: true, serverInstanceNo: '1234567', server: SERVER, region: 'KR' })
    )
    expect(markdown).not.toContain('Image name')
  })

  it('gives each outcome its own heading', () => {
    const headings = ALL_OUTCOMES.map(outcome => renderSummary(bare(outcome)).split('\n')[0])
    expect(new Set(headings).size).toBe(ALL_OUTCOMES.length)
  })

  it('heads a run whose image was made but not shared as such', () => {
    expect(renderSummary(bare('share-failed')).split('\n')[0]).toBe(
      '### ⚠️ Server image created, but not shared'
    )
  })

  it('names whom the image is shared with', () => {
    const shared = { ...image('555'), sharedWith: ['deploy@acme.example', 'ops'] }
    expect(rows(renderSummary({ ...FULL, image: shared }))).toContain(
      '| Shared with | deploy@acme.example, ops |'
    )
  })

  it('shows what a dry run of pruning would delete, with the snapshots, and what it leaves and why', () => {
    const old = { ...image('501'), snapshots: ['7001', '7002'] }
    const pruning = {
      keep: [image('555')],
      remove: [old],
      leave: [{ image: image('502'), why: 'its status is INIT' }],
      rules: ['keep-last']
    }
    const table = rows(renderSummary({ ...FULL, dryRun: true, pruning }))
    expect(table).toContain('| Kept (keep-last) | 555 |')
    expect(table).toContain('| Would delete | 501 (snapshots 7001, 7002) |')
    expect(table).toContain('| Left | 502 (its status is INIT) |')
  })

  it('shows what pruning deleted, and each delete that failed, snapshots included', () => {
    const pruning = {
      keep: [image('555')],
      remove: [image('501'), image('503')],
      leave: [],
      rules: ['keep-last', 'keep-days'],
      deleted: [image('501')],
      failed: [{ image: image('503'), why: 'HTTP 401' }],
      snapshotsDeleted: { '501': ['7001'] },
      snapshotsLeft: [{ imageNo: '501', no: '7002', why: 'HTTP 500' }]
    }
    const table = rows(renderSummary({ ...FULL, pruning }))
    expect(table).toContain('| Kept (keep-last, keep-days) | 555 |')
    expect(table).toContain('| Deleted | 501 (snapshots 7001) |')
    expect(table).toContain(
      '| Left | 503 (the delete failed); snapshot 7002 of deleted image 501 (the delete failed; still billed) |'
    )
  })

  it('escapes pipes, newlines and < in the problem and the next step', () => {
    const markdown = renderSummary(
      bare('error', {
        failed: true,
        problem: 'HTTP 400 | "bad"\nsecond line\r\nthird <script>',
        nextStep: 'Fix a|b'
      })
    )
    expect(markdown).toContain(
      '**What happened:** HTTP 400 \\| "bad"<br>second line<br>third &lt;script&gt;'
    )
    expect(markdown).toContain('**Next:** Fix a\\|b')
    expect(markdown).not.toContain('<script>')
  })

  it('escapes a pipe inside a table cell so the row keeps two columns', () => {
    const markdown = renderSummary(bare('created', { imageName: 'a|b' }))
    expect(rows(markdown)).toContain('| Image name | a\\|b |')
  })

  it('shows a server name from NCP as text, not as markup', () => {
    const markdown = renderSummary({
      ...FULL,
      server: { ...SERVER, name: '[click](https://evil.example) <img src=x onerror=alert(1)>' }
    })
    expect(markdown).toContain(`\\[click\\](https:/${WJ}/evil.example)`)
    expect(markdown).not.toMatch(/[^\\]\]\(/)
    expect(markdown).not.toContain('://')
    expect(markdown).not.toContain('<img')
  })

  it.each([
    [
      { stoppedAt: 0, runningAt: 95_000, downMs: 95_000 },
      'created',
      '1m35s (stopped by this step, running again)'
    ],
    [
      { stoppedAt: 0, startAccepted: true, downMs: 95_000 },
      'error',
      '1m35s (stopped by this step; the start was accepted, but it was not running yet)'
    ],
    [
      { stoppedAt: 0, startAccepted: true, downMs: 95_000 },
      'cancelled',
      '1m35s (stopped by this step; the start was accepted after the cancel, but it was not running yet)'
    ],
    [
      { stoppedAt: 0, startAccepted: false, downMs: 95_000 },
      'server-stopped',
      '1m35s (stopped by this step and still stopped)'
    ]
  ] as const)('shows the server downtime %j of a run that ended %s', (power, outcome, shown) => {
    const markdown = renderSummary({ ...FULL, outcome: outcome as Outcome, power })
    expect(rows(markdown)).toContain(`| Server downtime | ${shown} |`)
  })

  it('shows no downtime when the action stopped nothing', () => {
    expect(renderSummary(FULL)).not.toContain('Server downtime')
  })

  it('tells a delete NCP did not confirm from one that failed, among the images left', () => {
    const pruning = {
      keep: [],
      remove: [image('3'), image('2')],
      leave: [],
      rules: ['keep-last'],
      deleted: [],
      failed: [
        { image: image('3'), why: 'refused' },
        { image: image('2'), why: 'no image', unconfirmed: true as const }
      ],
      snapshotsDeleted: {},
      snapshotsLeft: []
    }
    expect(renderSummary({ ...FULL, pruning })).toContain(
      '| Left | 3 (the delete failed); 2 (the delete was not confirmed) |'
    )
  })

  it('writes no problem or next-step paragraph when there is none', () => {
    const markdown = renderSummary(FULL)
    expect(markdown).not.toContain('What happened')
    expect(markdown).not.toContain('**Next:**')
  })
})

describe('inert', () => {
  it('leaves ordinary text as it is', () => {
    expect(inert('Image 555 (my-image) is CREAT after 3m05s.')).toBe(
      'Image 555 (my-image) is CREAT after 3m05s.'
    )
  })

  it('turns HTML into text', () => {
    expect(inert('<b>x</b> & <a href="y">')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; &lt;a href="y"&gt;')
  })

  it('keeps an entity from being read as one', () => {
    expect(inert('&lt;script&gt;')).toBe('&amp;lt;script&amp;gt;')
  })

  it.each([
    ['a link', '[x](https://e.example)', `\\[x\\](https:/${WJ}/e.example)`],
    ['an image', '![x](https://e.example/p.png)', `!\\[x\\](https:/${WJ}/e.example/p.png)`],
    ['emphasis', '*a* _b_ **c**', '\\*a\\* \\_b\\_ \\*\\*c\\*\\*'],
    ['code', '`rm -rf`', '\\`rm -rf\\`'],
    ['strikethrough', '~~gone~~', '\\~\\~gone\\~\\~'],
    ['a table break', 'a | b', 'a \\| b'],
    ['a backslash', 'C:\\temp', 'C:\\\\temp']
  ])('escapes %s', (_label, text, shown) => {
    expect(inert(text)).toBe(shown)
  })

  it.each([
    ['an https URL', 'see https://evil.example/x', `see https:/${WJ}/evil.example/x`],
    ['any scheme, each time', 'ftp://a and http://b', `ftp:/${WJ}/a and http:/${WJ}/b`],
    ['a www. host', 'go to www.evil.example now', `go to www${WJ}.evil.example now`],
    ['a WWW. host in capitals', 'WWW.EVIL.EXAMPLE', `WWW${WJ}.EVIL.EXAMPLE`],
    ['a www. host inside a URL', 'https://www.e.example', `https:/${WJ}/www${WJ}.e.example`]
  ])('breaks %s with a word joiner, so GitHub does not autolink it', (_label, text, shown) => {
    const out = inert(text)
    expect(out).toBe(shown)
    expect(out).not.toContain('://')
    expect(out).not.toMatch(/\bwww\./i)
    // Nothing else changes: without the joiners it reads as it was.
    expect(out.split(WJ).join('')).toBe(text)
  })

  it('leaves "www" without a dot, and a word ending in www., alone', () => {
    expect(inert('www-data and awww.')).toBe('www-data and awww.')
  })

  it('turns every kind of line break into <br>, so a value stays in its cell', () => {
    expect(inert('a\nb\r\nc\rd')).toBe('a<br>b<br>c<br>d')
  })
})
