import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { POST_ENTRY_TEXT } from '../scripts/post-entry.mjs'
import {
  branchProblem,
  changelogSection,
  main,
  majorTag,
  movesMajor,
  nextRelease,
  nextVersion,
  notesProblem,
  parseVersion,
  previewProblems,
  releaseProblems,
  sectionDate,
  sectionProblems,
  tagProblem,
  unreleasedProblems,
  unreleasedSection,
  versionOfTag
} from '../scripts/release.mjs'
import { HASH_FILE, SOURCES, sourceHash } from '../scripts/source-hash.mjs'

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
    const problems = releaseProblems({ ...facts, branches: ['feature'] })
    expect(problems).toHaveLength(5)
    expect(problems.join('\n')).toMatch(
      /package.json's version is 1.0.0.*no section.*npm run bundle.*already names commit aaaaaaaaaaaa.*on feature, not on main or releases\/v1/s
    )
    expect(
      releaseProblems({
        ...facts,
        packageVersion: '1.1.0',
        changelog: CHANGELOG,
        distIssue: undefined,
        tagCommit: facts.head,
        branches: ['releases/v1']
      })
    ).toEqual([])
    expect(releaseProblems({ ...facts, version: 'v1.1.0' })).toEqual([
      expect.stringContaining('X.Y.Z')
    ])
  })
})

describe('the notes', () => {
  it('takes "## [Unreleased]" whole, and nothing when it is empty or missing', () => {
    const unreleased =
      '# Changelog\n\n## [Unreleased]\n\n### Fixed\n- A fix.\n\n## [1.0.0] - 2026-12-01\n'
    expect(unreleasedSection(unreleased)).toBe('### Fixed\n- A fix.')
    expect(unreleasedSection(CHANGELOG)).toBe('')
    expect(unreleasedSection('## [1.0.0] - 2026-12-01\n- x')).toBe('')
  })

  it('wants each change listed under Added, Changed or Fixed', () => {
    expect(notesProblem('### Added\n- One.\n  More.\n\n### Changed\n* Two.', 'X')).toBeUndefined()
    expect(notesProblem('### Removed\n- An input.', 'X')).toBe(
      'X has a group "### Removed": list each change as "- ..." under "### Added", "### Changed" or "### Fixed"'
    )
    expect(notesProblem('- A fix.\n\n### Fixed\n- Another.', 'X')).toContain(
      'X has an entry outside a group'
    )
    expect(notesProblem('### Added\n\n### Fixed\n', 'X')).toContain('X lists no change')
    expect(notesProblem('Some words.', 'X')).toContain('X lists no change')
  })

  it('refuses an empty Unreleased, or one without grouped entries', () => {
    expect(unreleasedProblems(CHANGELOG)).toEqual([
      expect.stringContaining('"## [Unreleased]" is empty or missing')
    ])
    expect(unreleasedProblems('## [Unreleased]\nAll sorts.\n')).toEqual([
      expect.stringContaining('"## [Unreleased]" lists no change')
    ])
    expect(unreleasedProblems('## [Unreleased]\n### Fixed\n- A fix.\n')).toEqual([])
  })

  it("wants a release's section dated and grouped", () => {
    expect(sectionDate(CHANGELOG, '1.1.0')).toBe('2026-12-10')
    expect(sectionDate('## [1.1.0]\n### Added\n- x', '1.1.0')).toBeUndefined()
    expect(sectionDate(CHANGELOG, '1.2.0')).toBeUndefined()
    expect(sectionProblems(CHANGELOG, '1.1.0')).toEqual([])
    expect(sectionProblems('## [1.1.0]\n\n### Added\n- x\n', '1.1.0')).toEqual([
      `CHANGELOG.md's heading for 1.1.0 has no date: write it "## [1.1.0] - YYYY-MM-DD" (the release day)`
    ])
    expect(sectionProblems('## [1.1.0] - 2026-12-10\n\n- x\n', '1.1.0')).toEqual([
      expect.stringContaining('entry outside a group')
    ])
  })
})

describe('the tag and branch rules', () => {
  const head = 'b'.repeat(40)

  it('never moves a tag: it may name HEAD, or nothing yet', () => {
    expect(tagProblem('1.1.0', '', head)).toBeUndefined()
    expect(tagProblem('1.1.0', head, head)).toBeUndefined()
    expect(tagProblem('1.1.0', 'a'.repeat(40), head)).toBe(
      'Tag v1.1.0 already names commit aaaaaaaaaaaa, not bbbbbbbbbbbb: a released version is never moved; release the next version instead'
    )
  })

  it('releases from main, or from releases/vN of the same major', () => {
    expect(branchProblem('1.1.0', ['main'])).toBeUndefined()
    expect(branchProblem('1.0.1', ['feature', 'releases/v1'])).toBeUndefined()
    expect(branchProblem('2.0.0', ['main', 'releases/v1'])).toBeUndefined()
    expect(branchProblem('2.0.0', ['releases/v1'])).toBe(
      'The commit is on releases/v1, not on main or releases/v2: 2.x releases come from main, or from releases/v2 once main has a newer major; merge it there first'
    )
    expect(branchProblem('1.1.0', ['main2', 'my/main'])).toContain('on main2, my/main, not on main')
    expect(branchProblem('1.1.0', [])).toContain('The commit is on no branch')
  })
})

describe('the release a dry run previews', () => {
  const head = 'b'.repeat(40)
  const older = 'a'.repeat(40)
  const withUnreleased = CHANGELOG.replace(
    '## [Unreleased]\n',
    '## [Unreleased]\n\n### Fixed\n- New.\n'
  )

  it("is the next minor version once package.json's is released, by its date or its tag", () => {
    for (const facts of [
      { changelog: withUnreleased },
      {
        changelog: withUnreleased.replace('## [1.1.0] - 2026-12-10', '## [1.1.0]'),
        packageTagCommit: older
      }
    ]) {
      expect(nextRelease({ packageVersion: '1.1.0', head, ...facts })).toMatchObject({
        version: '1.2.0',
        notes: 'unreleased',
        released: true
      })
    }
    expect(nextVersion('1.0.3')).toBe('1.1.0')
    expect(
      nextRelease({ packageVersion: '1.1.0', changelog: withUnreleased, requested: '2.0.0' })
    ).toMatchObject({ version: '2.0.0', notes: 'unreleased' })
  })

  it("is package.json's version while it is cut: dated, Unreleased empty, tag absent or at HEAD", () => {
    for (const packageTagCommit of [undefined, head]) {
      expect(
        nextRelease({ packageVersion: '1.1.0', changelog: CHANGELOG, packageTagCommit, head })
      ).toMatchObject({ version: '1.1.0', notes: 'section', released: false })
    }
    // Released from an older commit, and nothing listed since: the next one has no notes.
    const after = nextRelease({
      packageVersion: '1.1.0',
      changelog: CHANGELOG,
      packageTagCommit: older,
      head
    })
    expect(after).toMatchObject({ version: '1.2.0', notes: 'unreleased' })
    expect(
      previewProblems({ release: after, packageVersion: '1.1.0', changelog: CHANGELOG, head })
    ).toEqual([expect.stringContaining('"## [Unreleased]" is empty or missing')])
  })

  it('is checked as far as it can be: notes, newer version, tag, dist/, branch', () => {
    const release = nextRelease({ packageVersion: '1.1.0', changelog: withUnreleased, head })
    const facts = { release, packageVersion: '1.1.0', changelog: withUnreleased, head }
    expect(previewProblems(facts)).toEqual([])
    expect(
      previewProblems({
        ...facts,
        release: { ...release, version: '1.1.0' },
        tagCommit: older,
        distIssue: 'dist/ is older than src/',
        branchIssue: 'The commit is on releases/v2'
      })
    ).toEqual([
      "1.1.0 is not newer than package.json's 1.1.0, which is released: give a newer --version",
      expect.stringContaining('Tag v1.1.0 already names commit aaaaaaaaaaaa'),
      'dist/ is older than src/',
      'The commit is on releases/v2'
    ])
    // Cutting it: the real release's rules, but for the tag that is not there yet.
    const cut = nextRelease({ packageVersion: '1.1.0', changelog: CHANGELOG, head })
    expect(
      previewProblems({ release: cut, packageVersion: '1.0.0', changelog: CHANGELOG, head })
    ).toEqual([expect.stringContaining("package.json's version is 1.0.0, not 1.1.0")])
  })
})

const GIT_CONFIG = [
  ...['user.name=Release Test', 'user.email=release@test.invalid'],
  ...['commit.gpgsign=false', 'tag.gpgsign=false', 'advice.detachedHead=false']
].flatMap(setting => ['-c', setting])

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...GIT_CONFIG, ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

// What release.mjs needs to run from a copy; the first is also one of the bundle's sources.
const SCRIPTS = ['scripts/post-entry.mjs', 'scripts/source-hash.mjs', 'scripts/release.mjs']
const RELEASED_100 = '## [1.0.0] - 2026-12-01\n\n### Added\n- The action.\n'
const ENTRIES = '### Added\n- `share-with`.\n\n### Fixed\n- A fix.\n'

/** CHANGELOG.md with Unreleased's body, then the given released sections. */
function changelogOf(unreleased: string, ...sections: string[]): string {
  return ['# Changelog\n', `## [Unreleased]\n\n${unreleased}`, ...sections].join('\n')
}

describe('scripts/release.mjs in a repository', () => {
  const repo = resolve(import.meta.dirname, '..')
  let base: string
  let template: string
  let empty: string
  let releasedCommit: string
  let clones = 0

  // main: "1.0.0" (tagged v1.0.0, CHANGELOG dated, Unreleased empty), then a change listed in
  // Unreleased. Each test works in its own clone of it (origin/main, the tags, a local main).
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'ncp-release-'))
    template = join(base, 'template')
    empty = join(base, 'empty') // no sample hooks: every file costs time to copy
    // The bundle's sources in miniature (a clone a test of the real size takes 0.3 s), and a dist/
    // built from them as far as the release can tell: its source hash and its post entry.
    const files: Record<string, string> = {
      'src/index.ts': 'export {}\n',
      'stubs/undici/index.js': 'throw new Error()\n',
      'package-lock.json': '{}\n',
      'tsconfig.json': '{}\n',
      'dist/post.js': POST_ENTRY_TEXT
    }
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(template, path)), { recursive: true })
      writeFileSync(join(template, path), text)
    }
    // The build scripts the source hash covers come along as they are.
    for (const script of SOURCES.filter(source => source.startsWith('scripts/'))) {
      cpSync(join(repo, script), join(template, script))
    }
    writeFileSync(join(template, HASH_FILE), `${sourceHash(template)}\n`)
    mkdirSync(empty)
    git(template, 'init', '-q', `--template=${empty}`, '-b', 'main')
    setVersion(template, '1.0.0')
    writeFileSync(join(template, 'CHANGELOG.md'), changelogOf('', RELEASED_100))
    commit(template, '1.0.0')
    git(template, 'tag', 'v1.0.0')
    releasedCommit = git(template, 'rev-parse', 'HEAD')
    writeFileSync(join(template, 'CHANGELOG.md'), changelogOf(ENTRIES, RELEASED_100))
    commit(template, 'A change')
  })
  afterAll(() => rmSync(base, { recursive: true, force: true }))

  /** A clone of the template, sharing its objects: origin/main, the tags, a local main. */
  function clone(...options: string[]): string {
    const dir = join(base, `clone-${++clones}`)
    const from = options.length > 0 ? `file://${template}` : template
    git(base, 'clone', '-q', `--template=${empty}`, '--shared', ...options, from, dir)
    return dir
  }

  function setVersion(dir: string, version: string): void {
    const pkg = { name: 'ncloud-server-image-action', version, type: 'module', private: true }
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2))
  }

  function commit(dir: string, message: string): string {
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', message)
    return git(dir, 'rev-parse', 'HEAD')
  }

  /** Cuts 1.1.0 as CONTRIBUTING says: Unreleased becomes the dated section, package.json says it. */
  function cut110(dir: string): string {
    setVersion(dir, '1.1.0')
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      changelogOf('', `## [1.1.0] - 2026-12-10\n\n${ENTRIES}`, RELEASED_100)
    )
    return commit(dir, '1.1.0')
  }

  /** main() in the clone, in-process; its exit, its log, and the notes it wrote. */
  function run(dir: string, argv: string[], env: Record<string, string> = {}) {
    const lines: string[] = []
    const collect = (...args: unknown[]) => void lines.push(args.join(' '))
    const log = jest.spyOn(console, 'log').mockImplementation(collect)
    const error = jest.spyOn(console, 'error').mockImplementation(collect)
    const notesFile = `${dir}.notes.md`
    rmSync(notesFile, { force: true })
    try {
      const status = main([...argv, '--notes-file', notesFile], dir, env)
      let notes = ''
      try {
        notes = readFileSync(notesFile, 'utf8')
      } catch {
        // none written
      }
      return { status, log: lines.join('\n'), notes }
    } finally {
      log.mockRestore()
      error.mockRestore()
    }
  }

  const dryRun = (dir: string, env: Record<string, string> = {}, ...argv: string[]) =>
    run(dir, ['--dry-run', ...argv], env)

  it('previews the next version with the notes of Unreleased, on main', () => {
    const dir = clone()
    const preview = dryRun(dir)
    expect(preview.status).toBe(0)
    expect(preview.log).toContain(
      "the next release is v1.1.0: the next minor version: package.json's 1.0.0 is released (tag v1.0.0 exists)"
    )
    expect(preview.log).toContain('- tag: v1.1.0: not tagged yet')
    expect(preview.log).toContain('- branch: main (the current branch) may release 1.1.0')
    expect(preview.log).toContain('- major tag: The major tag v1 moves to it.')
    expect(preview.notes).toBe(ENTRIES)
  })

  it('passes in a shallow clone without tags (.ci/run): the date says 1.0.0 is out', () => {
    const dir = clone('--depth', '1', '--no-tags')
    const preview = dryRun(dir)
    expect(preview.status).toBe(0)
    expect(preview.log).toContain("package.json's 1.0.0 is released (CHANGELOG.md dates it)")
    expect(preview.log).toContain('- tag: v1.1.0: not tagged yet')
    expect(preview.log).toContain('this clone has no release tags')
    expect(preview.notes).toBe(ENTRIES)
  })

  it('refuses an empty Unreleased once the version is released', () => {
    const dir = clone()
    git(dir, 'checkout', '-q', releasedCommit)
    writeFileSync(join(dir, 'README.md'), 'a change nobody listed\n')
    commit(dir, 'An unlisted change')
    const preview = dryRun(dir, { GITHUB_BASE_REF: 'main' })
    expect(preview.status).toBe(1)
    expect(preview.log).toContain('Dry run: cannot release 1.1.0')
    expect(preview.log).toContain('"## [Unreleased]" is empty or missing')
    expect(preview.notes).toBe('')
  })

  it('applies the tag rule with the real tag: one naming another commit is refused', () => {
    const dir = clone()
    git(dir, 'tag', 'v1.1.0', releasedCommit)
    const preview = dryRun(dir)
    expect(preview.status).toBe(1)
    expect(preview.log).toContain(`Tag v1.1.0 already names commit ${releasedCommit.slice(0, 12)}`)
    git(dir, 'tag', '-f', 'v1.1.0', 'HEAD')
    expect(dryRun(dir).log).toContain('- tag: v1.1.0 names this commit')
  })

  it("takes the branch from the pull request's base, the pushed branch, or the current one", () => {
    const dir = clone()
    const base2 = dryRun(dir, { GITHUB_BASE_REF: 'releases/v2' })
    expect(base2.status).toBe(1)
    expect(base2.log).toContain('The commit is on releases/v2, not on main or releases/v1')
    expect(dryRun(dir, { GITHUB_BASE_REF: 'main' }).log).toContain(
      "- branch: main (the pull request's base) may release 1.1.0"
    )
    const pushed = dryRun(dir, { GITHUB_REF_TYPE: 'branch', GITHUB_REF_NAME: 'releases/v1' })
    expect(pushed.log).toContain('- branch: releases/v1 (the pushed branch) may release 1.1.0')
    // A tag's run (the release workflow's .ci/run) is detached: the remote branches holding HEAD.
    git(dir, 'checkout', '-q', '--detach')
    const tagRun = dryRun(dir, { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v1.1.0' })
    expect(tagRun.log).toContain('- branch: main (the remote branches holding HEAD) may release')
    // A topic branch releases nothing: said, not refused.
    git(dir, 'checkout', '-q', '-b', 'topic')
    const topic = dryRun(dir)
    expect(topic.status).toBe(0)
    expect(topic.log).toContain(
      '- branch: topic (the current branch) is not main or releases/vN: nothing is released from it'
    )
  })

  it('previews --version X.Y.Z, never an older one, with its major tag', () => {
    const dir = clone()
    const major = dryRun(dir, {}, '--version', '2.0.0')
    expect(major.status).toBe(0)
    expect(major.log).toContain('the next release is v2.0.0: as asked (--version)')
    expect(major.log).toContain('The major tag v2 moves to it.')
    const older = dryRun(dir, {}, '--version', '0.9.0')
    expect(older.status).toBe(1)
    expect(older.log).toContain("0.9.0 is not newer than package.json's 1.0.0, which is released")
    expect(dryRun(dir, {}, '--version', '1.0.0').log).toContain('Tag v1.0.0 already names commit')
    expect(dryRun(dir, {}, '--version', 'v1.2.0').log).toContain(
      '"v1.2.0" is not a release version'
    )
  })

  it('refuses a dist/ that is not the bundle of the source, naming the command', () => {
    const dir = clone()
    const index = join(dir, 'src', 'index.ts')
    writeFileSync(index, `${readFileSync(index, 'utf8')}\n// changed\n`)
    const preview = dryRun(dir)
    expect(preview.status).toBe(1)
    expect(preview.log).toContain('npm run bundle')
  })

  it('cuts 1.1.0: the dry run checks it while cut, tagged, and after; then wants new notes', () => {
    const dir = clone()
    const cutCommit = cut110(dir)
    const cutting = dryRun(dir)
    expect(cutting.status).toBe(0)
    expect(cutting.log).toContain(
      "the next release is v1.1.0: package.json's version, dated in CHANGELOG.md and not tagged yet"
    )
    expect(cutting.log).toContain('v1.1.0 can be released once v1.1.0 is pushed')
    expect(cutting.notes).toBe(ENTRIES)
    // The release workflow's own .ci/run, on the tag.
    git(dir, 'tag', 'v1.1.0')
    expect(dryRun(dir).log).toContain("v1.1.0: package.json's version, tagged at this commit")
    // The next commit on main: 1.1.0 is out, and Unreleased must list what comes next.
    writeFileSync(join(dir, 'README.md'), 'more\n')
    commit(dir, 'More')
    expect(dryRun(dir).log).toMatch(/cannot release 1\.2\.0.*\n.*"## \[Unreleased\]" is empty/)
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      readFileSync(join(dir, 'CHANGELOG.md'), 'utf8').replace(
        '## [Unreleased]\n',
        '## [Unreleased]\n\n### Fixed\n- Next.\n'
      )
    )
    commit(dir, 'Listed')
    expect(dryRun(dir)).toMatchObject({ status: 0, notes: '### Fixed\n- Next.\n' })
    expect(git(dir, 'rev-parse', 'v1.1.0')).toBe(cutCommit)
  })

  it('releases 1.1.0 from main with the notes and the outputs (the workflow, spawned)', () => {
    const dir = clone()
    cut110(dir)
    git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD') // merged: origin/main holds it
    git(dir, 'tag', 'v1.1.0')
    for (const script of SCRIPTS.slice(1)) cpSync(join(repo, script), join(dir, script))
    const outputs = `${dir}.outputs`
    writeFileSync(outputs, '')
    const result = spawnSync(
      process.execPath,
      [join(dir, 'scripts', 'release.mjs'), '--tag', 'v1.1.0', '--notes-file', join(base, 'n.md')],
      { encoding: 'utf8', env: { PATH: process.env.PATH, GITHUB_OUTPUT: outputs } }
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('(on main): package.json, CHANGELOG.md and dist/ agree')
    expect(readFileSync(outputs, 'utf8')).toBe(
      'tag=v1.1.0\nversion=1.1.0\nmajor=v1\nmove-major=true\n'
    )
    expect(readFileSync(join(base, 'n.md'), 'utf8')).toBe(ENTRIES)
  })

  it('refuses a release from a commit on no main or releases/vN of its major', () => {
    const dir = clone()
    git(dir, 'checkout', '-q', '-b', 'topic')
    cut110(dir)
    const topic = run(dir, ['--version', '1.1.0'])
    expect(topic.status).toBe(1)
    expect(topic.log).toContain('The commit is on no branch, not on main or releases/v1')
    git(dir, 'update-ref', 'refs/remotes/origin/releases/v2', 'HEAD')
    expect(run(dir, ['--version', '1.1.0']).log).toContain('on releases/v2, not on main or')
    git(dir, 'update-ref', '-d', 'refs/remotes/origin/releases/v2')
    git(dir, 'update-ref', 'refs/remotes/origin/releases/v1', 'HEAD')
    // A backport: v1.2.0 is out, so v1 stays where it is.
    git(dir, 'tag', 'v1.2.0', releasedCommit)
    const backport = run(dir, ['--version', '1.1.0'])
    expect(backport.status).toBe(0)
    expect(backport.log).toContain('(on releases/v1)')
    expect(backport.log).toContain('v1 stays: a newer v1 release exists.')
  })

  it('refuses an undated section, another package.json version, a moved tag', () => {
    const dir = clone()
    const wrong = run(dir, ['--version', '1.1.0'])
    expect(wrong.status).toBe(1)
    expect(wrong.log).toContain("package.json's version is 1.0.0, not 1.1.0")
    expect(wrong.log).toContain('no section "## [1.1.0]')
    cut110(dir)
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      readFileSync(join(dir, 'CHANGELOG.md'), 'utf8').replace(' - 2026-12-10', '')
    )
    git(dir, 'tag', 'v1.1.0', releasedCommit)
    const undated = run(dir, ['--tag', 'v1.1.0'])
    expect(undated.status).toBe(1)
    expect(undated.log).toContain("CHANGELOG.md's heading for 1.1.0 has no date")
    expect(undated.log).toContain('Tag v1.1.0 already names commit')
    expect(undated.notes).toBe('')
  })
})
