import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import {
  changelogSection,
  majorTag,
  movesMajor,
  parseVersion,
  releaseProblems,
  versionOfTag
} from '../scripts/release.mjs'

const CHANGELOG = `# Changelog

## [Unreleased]

## [1.1.0] - 2026-12-10

### Added
- \`share-with\`.

### Fixed
- A fix.

## [1.0.0] - 2026-12-01

### Added
- The action.

[1.1.0]: https://example.invalid/compare/v1.0.0...v1.1.0
`

describe('release rules', () => {
  it('takes X.Y.Z and vX.Y.Z only', () => {
    expect(parseVersion('1.10.0')).toEqual([1, 10, 0])
    expect(versionOfTag('v1.1.0')).toBe('1.1.0')
    for (const bad of ['1.1', 'v1.1.0', '01.1.0', '1.1.0-rc.1', ' 1.1.0', ''])
      expect(() => parseVersion(bad)).toThrow('X.Y.Z')
    for (const bad of ['1.1.0', 'v1', 'v1.1', 'v1.1.0-rc.1', 'release-1.1.0'])
      expect(() => versionOfTag(bad)).toThrow('use vX.Y.Z')
  })

  it('names the major tag', () => {
    expect(majorTag('1.4.2')).toBe('v1')
    expect(majorTag('12.0.0')).toBe('v12')
  })

  it('moves the major tag only when no release of that major is newer', () => {
    const tags = ['v1', 'v1.0.0', 'v1.1.0', 'v2.0.0', 'v2', 'nightly']
    expect(movesMajor('1.2.0', tags)).toBe(true)
    expect(movesMajor('1.1.0', tags)).toBe(true)
    expect(movesMajor('1.0.1', tags)).toBe(false)
    expect(movesMajor('1.10.0', ['v1.9.0'])).toBe(true)
    expect(movesMajor('2.0.1', tags)).toBe(true)
    expect(movesMajor('3.0.0', [])).toBe(true)
  })

  it("takes the version's CHANGELOG section as the notes, without link lines", () => {
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe(
      '### Added\n- `share-with`.\n\n### Fixed\n- A fix.'
    )
    expect(changelogSection(CHANGELOG, '1.0.0')).toBe('### Added\n- The action.')
  })

  it('refuses a missing or empty section, and does not take 1.1.0 for 1.1.01 or 1x1x0', () => {
    expect(() => changelogSection(CHANGELOG, '1.2.0')).toThrow('no section "## [1.2.0]')
    expect(() => changelogSection('## [1.2.0] - 2026-12-12\n\n## [1.1.0]\n- x', '1.2.0')).toThrow(
      'is empty'
    )
    expect(() => changelogSection('## [1x1x0]\n- x', '1.1.0')).toThrow('no section')
  })

  it('lists every problem of a release at once', () => {
    const facts = {
      version: '1.1.0',
      packageVersion: '1.0.0',
      changelog: '## [Unreleased]\n- x',
      distIssue: 'dist/ is older than src/: run "npm run bundle"',
      tagCommit: 'a'.repeat(40),
      head: 'b'.repeat(40)
    }
    const problems = releaseProblems(facts)
    expect(problems).toHaveLength(4)
    expect(problems.join('\n')).toMatch(
      /package.json's version is 1.0.0.*no section.*npm run bundle.*already names commit aaaaaaaaaaaa/s
    )
    expect(
      releaseProblems({
        ...facts,
        packageVersion: '1.1.0',
        changelog: CHANGELOG,
        distIssue: undefined,
        tagCommit: facts.head
      })
    ).toEqual([])
    expect(releaseProblems({ ...facts, version: 'v1.1.0' })).toEqual([
      expect.stringContaining('X.Y.Z')
    ])
  })
})

describe('scripts/release.mjs', () => {
  const repo = resolve(import.meta.dirname, '..')
  let dir: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ncp-release-'))
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'CHANGELOG.md'])
      cpSync(join(repo, path), join(dir, path))
    for (const path of ['src', 'stubs', 'dist', 'scripts'])
      cpSync(join(repo, path), join(dir, path), { recursive: true })
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** Runs the script in the copy as the release workflow does; returns its exit, log and outputs. */
  function release(): { status: number | null; log: string; outputs: string } {
    const outputs = join(dir, 'outputs')
    writeFileSync(outputs, '')
    const result = spawnSync(
      process.execPath,
      [
        join(dir, 'scripts', 'release.mjs'),
        '--version',
        '1.1.0',
        '--notes-file',
        join(dir, 'notes.md')
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_OUTPUT: outputs } }
    )
    return {
      status: result.status,
      log: result.stdout + result.stderr,
      outputs: readFileSync(outputs, 'utf8')
    }
  }

  function prepare110(): void {
    const pkgPath = join(dir, 'package.json')
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
    writeFileSync(pkgPath, JSON.stringify({ ...pkg, version: '1.1.0' }, null, 2))
    const changelog = readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      changelog.replace(
        '## [1.0.0]',
        '## [1.1.0] - 2026-12-10\n\n### Added\n- Everything new.\n\n## [1.0.0]'
      )
    )
  }

  it('writes the notes and the outputs for a release that passes', () => {
    prepare110()
    const run = release()
    expect(run).toMatchObject({
      status: 0,
      outputs: 'tag=v1.1.0\nversion=1.1.0\nmajor=v1\nmove-major=true\n'
    })
    expect(readFileSync(join(dir, 'notes.md'), 'utf8')).toBe('### Added\n- Everything new.\n')
  })

  it('refuses a dist/ that is not the bundle of the source, naming the command', () => {
    prepare110()
    const index = join(dir, 'src', 'index.ts')
    writeFileSync(index, `${readFileSync(index, 'utf8')}\n// changed\n`)
    const run = release()
    expect(run.status).toBe(1)
    expect(run.log).toContain('Cannot release 1.1.0')
    expect(run.log).toContain('npm run bundle')
    expect(run.outputs).toBe('')
  })

  it('refuses a CHANGELOG without the version and a package.json of another version', () => {
    const run = release()
    expect(run.status).toBe(1)
    expect(run.log).toContain("package.json's version is")
    expect(run.log).toContain('no section "## [1.1.0]')
  })
})
