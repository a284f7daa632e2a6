import { describe, expect, it } from '@jest/globals'
import { resolve } from 'node:path'
import { marketplaceProblems, metadataProblems, pinProblems } from '../scripts/check-metadata.mjs'

const good = {
  name: 'NAVER Cloud Server Image Builder',
  description: 'Create a server image.',
  branding: { icon: 'hard-drive', color: 'green' }
}

describe('Marketplace metadata', () => {
  it('passes the repository as it is', () => {
    expect(metadataProblems(resolve(import.meta.dirname, '..'))).toEqual([])
  })

  it('accepts a listing with a name, a short description and valid branding', () => {
    expect(marketplaceProblems(good)).toEqual([])
  })

  it('refuses a description over 125 characters, naming its length', () => {
    expect(marketplaceProblems({ ...good, description: 'x'.repeat(125) })).toEqual([])
    expect(marketplaceProblems({ ...good, description: 'x'.repeat(126) })).toEqual([
      expect.stringContaining('is 126 characters; the Marketplace shows 125')
    ])
  })

  it('refuses a missing name or description, and branding GitHub does not accept', () => {
    const problems = marketplaceProblems({
      description: ' ',
      branding: { icon: 'github', color: 'pink' }
    })
    expect(problems).toEqual([
      expect.stringContaining('no name'),
      expect.stringContaining('no description'),
      expect.stringContaining('branding.icon is "github"'),
      expect.stringContaining('branding.color is "pink"')
    ])
    expect(marketplaceProblems({ ...good, branding: undefined })).toHaveLength(2)
  })
})

describe('action pins', () => {
  it('accepts major tags, exact versions, SHAs with a version comment and local actions', () => {
    const text = [
      'steps:',
      '  - uses: actions/checkout@v5',
      '  - uses: github/codeql-action/init@v4',
      "  - uses: 'actions/attest-build-provenance@v3.0.0'",
      '  - uses: actions/setup-node@0123456789abcdef0123456789abcdef01234567 # v5.0.0',
      '  - uses: ./',
      '    with: { uses: main }'
    ].join('\n')
    expect(pinProblems(text, 'ci.yml')).toEqual([])
  })

  it('refuses branches, missing versions, bare SHAs and container images, naming the line', () => {
    const text = [
      'steps:',
      '  - uses: actions/checkout@main',
      '  - uses: some/action',
      '  - uses: actions/setup-node@0123456789abcdef0123456789abcdef01234567',
      '  - uses: docker://alpine:3',
      '  - uses: actions/cache@v4.2'
    ].join('\n')
    expect(pinProblems(text, 'x.yml')).toEqual([
      expect.stringMatching(
        /^x\.yml:2: actions\/checkout@main is not pinned.*use actions\/checkout@vN/
      ),
      expect.stringMatching(/^x\.yml:3: some\/action is not pinned/),
      expect.stringMatching(/^x\.yml:4: /),
      expect.stringMatching(/^x\.yml:5: docker:\/\/alpine:3 is a container image/),
      expect.stringMatching(/^x\.yml:6: actions\/cache@v4\.2 is not pinned/)
    ])
  })
})
