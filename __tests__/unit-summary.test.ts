import { describe, expect, it } from '@jest/globals'
import { renderSummary, type Outcome, type RunReport } from '../src/summary.js'

const FULL: RunReport = {
  serverInstanceNo: '1234567',
  serverName: 'web-1',
  region: 'KR',
  hypervisor: 'XEN',
  api: 'createMemberServerImageInstance',
  imageNo: '555',
  imageName: 'my-image',
  imageStatus: 'CREAT',
  provenance: 'created',
  outcome: 'created',
  elapsedMs: 185_000
}

const rows = (markdown: string): string[] =>
  markdown.split('\n').filter(line => /^\| [^| ]/.test(line))

describe('renderSummary', () => {
  it('writes a row for each field given, in order', () => {
    expect(rows(renderSummary(FULL))).toEqual([
      '| Server | 1234567 (web-1) |',
      '| Image number | 555 |',
      '| Image name | my-image |',
      '| Status | CREAT |',
      '| Image | created |',
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
    expect(rows(renderSummary({ outcome: 'error', elapsedMs: 850 }))).toEqual([
      '| Time taken | 850ms |'
    ])
    const partial = renderSummary({
      outcome: 'error',
      elapsedMs: 0,
      serverInstanceNo: '1',
      hypervisor: 'KVM'
    })
    expect(rows(partial)).toEqual([
      '| Server | 1 |',
      '| Hypervisor | KVM |',
      '| Time taken | 0ms |'
    ])
    expect(partial).not.toContain('Image number')
    expect(partial).not.toContain('Region')
  })

  it.each<[Outcome, string]>([
    ['created', 'created'],
    ['creating', 'being created'],
    ['failed', 'failed'],
    ['timed-out', 'timed out'],
    ['cancelled', 'Cancelled'],
    ['dry-run', 'Dry run'],
    ['error', 'not created']
  ])('has a heading for the outcome %s', (outcome, words) => {
    const heading = renderSummary({ outcome, elapsedMs: 0 }).split('\n')[0]
    expect(heading.startsWith('### ')).toBe(true)
    expect(heading).toContain(words)
  })

  it('gives each outcome its own heading', () => {
    const outcomes: Outcome[] = [
      'created',
      'creating',
      'failed',
      'timed-out',
      'cancelled',
      'dry-run',
      'error'
    ]
    const headings = outcomes.map(
      outcome => renderSummary({ outcome, elapsedMs: 0 }).split('\n')[0]
    )
    expect(new Set(headings).size).toBe(outcomes.length)
  })

  it('escapes pipes, newlines and < in the problem and the next step', () => {
    const markdown = renderSummary({
      outcome: 'error',
      elapsedMs: 0,
      problem: 'HTTP 400 | "bad"\nsecond line\r\nthird <script>',
      nextStep: 'Fix a|b'
    })
    expect(markdown).toContain(
      '**What happened:** HTTP 400 \\| "bad"<br>second line<br>third &lt;script>'
    )
    expect(markdown).toContain('**Next:** Fix a\\|b')
    expect(markdown).not.toContain('<script>')
  })

  it('escapes a pipe inside a table cell so the row keeps two columns', () => {
    const markdown = renderSummary({ outcome: 'created', elapsedMs: 0, imageName: 'a|b' })
    expect(rows(markdown)).toContain('| Image name | a\\|b |')
  })

  it('writes no problem or next-step paragraph when there is none', () => {
    const markdown = renderSummary(FULL)
    expect(markdown).not.toContain('What happened')
    expect(markdown).not.toContain('**Next:**')
  })
})
