// The release's checks and notes, used by .github/workflows/release.yml and, as a dry run, by
// `npm run all` (so CI exercises every rule on every push). Nothing here publishes: the workflow
// does, after this script passed.
//
//   node scripts/release.mjs --dry-run                 checks package.json's version (not its tag), prints the notes
//   node scripts/release.mjs --version 1.1.0 --notes-file notes.md
//                                                      checks a release of 1.1.0 at HEAD, writes its notes
//
// It refuses: a version that is not X.Y.Z (tags are vX.Y.Z), a package.json of another version, a
// CHANGELOG.md without a non-empty "## [X.Y.Z]" section, a dist/ not built from the committed
// source (dist/source-hash.txt; the workflow also rebuilds and diffs dist/), and a tag vX.Y.Z that
// already names another commit. It says whether the major tag (v1) moves: only when no release of
// that major is newer, so a backported 1.0.1 after 1.1.0 does not take v1 back. In GitHub Actions it
// writes tag, version, major and move-major to $GITHUB_OUTPUT.
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distProblem } from './source-hash.mjs'

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

/** The parts of version X.Y.Z as numbers; throws on anything else (pre-releases are not made). */
export function parseVersion(version) {
  const match = VERSION.exec(version)
  if (!match) {
    throw new Error(
      `"${version}" is not a release version: give X.Y.Z (digits, no leading zeros, no "v"), e.g. 1.1.0`
    )
  }
  return match.slice(1).map(Number)
}

/** The version a tag vX.Y.Z names; throws when the tag is not of that form. */
export function versionOfTag(tag) {
  if (!/^v\d/.test(tag))
    throw new Error(`Tag "${tag}" is not a release tag: use vX.Y.Z, e.g. v1.1.0`)
  const version = tag.slice(1)
  try {
    parseVersion(version)
  } catch {
    throw new Error(`Tag "${tag}" is not a release tag: use vX.Y.Z, e.g. v1.1.0`)
  }
  return version
}

/** The major tag users reference, e.g. v1 for 1.4.2. */
export function majorTag(version) {
  return `v${parseVersion(version)[0]}`
}

function compareVersions(a, b) {
  const [x, y] = [parseVersion(a), parseVersion(b)]
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return 0
}

/**
 * Whether releasing version moves its major tag: it does unless an existing release tag of the same
 * major is newer. Tags that are not vX.Y.Z (v1 itself, anything else) are ignored.
 */
export function movesMajor(version, tags) {
  const [major] = parseVersion(version)
  return tags
    .filter(tag => /^v\d+\.\d+\.\d+$/.test(tag))
    .map(tag => tag.slice(1))
    .filter(other => VERSION.test(other) && parseVersion(other)[0] === major)
    .every(other => compareVersions(other, version) <= 0)
}

/**
 * The body of CHANGELOG.md's section for version (the lines between "## [X.Y.Z]" and the next
 * "## " heading), trimmed; throws when the section is missing or empty.
 */
export function changelogSection(changelog, version) {
  parseVersion(version)
  const lines = changelog.split(/\r?\n/)
  const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\](?:\\s|$)`)
  const start = lines.findIndex(line => heading.test(line))
  if (start < 0) {
    throw new Error(
      `CHANGELOG.md has no section "## [${version}] - YYYY-MM-DD": rename "## [Unreleased]" to it (and start a new empty Unreleased above it)`
    )
  }
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  const body = lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter(line => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
  if (!body) throw new Error(`CHANGELOG.md's section for ${version} is empty: list the changes`)
  return body
}

/** Every reason a release of version from root cannot go ahead; empty when it can. */
export function releaseProblems({
  version,
  packageVersion,
  changelog,
  distIssue,
  tagCommit,
  head
}) {
  const problems = []
  try {
    parseVersion(version)
  } catch (error) {
    return [error.message]
  }
  if (packageVersion !== version) {
    problems.push(
      `package.json's version is ${packageVersion}, not ${version}: set "version": "${version}" (npm version ${version} --no-git-tag-version)`
    )
  }
  try {
    changelogSection(changelog, version)
  } catch (error) {
    problems.push(error.message)
  }
  if (distIssue) problems.push(distIssue)
  if (tagCommit && head && tagCommit !== head) {
    problems.push(
      `Tag v${version} already names commit ${tagCommit.slice(0, 12)}, not ${head.slice(0, 12)}: a released version is never moved; release the next version instead`
    )
  }
  return problems
}

function git(root, ...args) {
  try {
    return execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    }).trim()
  } catch {
    return ''
  }
}

function option(argv, name) {
  const at = argv.indexOf(name)
  return at < 0 ? undefined : argv[at + 1]
}

/** Runs the checks for argv under root; returns the exit code. */
export function main(
  argv,
  root = fileURLToPath(new URL('..', import.meta.url)),
  env = process.env
) {
  const dryRun = argv.includes('--dry-run')
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  const tagArg = option(argv, '--tag')
  let version
  try {
    version = tagArg
      ? versionOfTag(tagArg)
      : (option(argv, '--version') ?? (dryRun ? pkg.version : undefined))
  } catch (error) {
    console.error(error.message)
    return 1
  }
  if (!version) {
    console.error(
      "Give the version to release: --version X.Y.Z or --tag vX.Y.Z (or --dry-run for package.json's)"
    )
    return 1
  }
  const changelog = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
  const head = git(root, 'rev-parse', 'HEAD')
  const tagCommit = git(root, 'rev-parse', '--verify', '--quiet', `refs/tags/v${version}^{commit}`)
  const problems = releaseProblems({
    version,
    packageVersion: pkg.version,
    changelog,
    distIssue: distProblem(root),
    // On main between releases, package.json still names the last release, whose tag is older:
    // the dry run checks everything else and says so.
    tagCommit: dryRun ? undefined : tagCommit,
    head
  })
  if (problems.length > 0) {
    console.error(`Cannot release ${version}:\n${problems.map(p => `- ${p}`).join('\n')}`)
    return 1
  }
  const notes = changelogSection(changelog, version)
  const tags = git(root, 'tag', '--list', 'v*').split('\n').filter(Boolean)
  const tag = `v${version}`
  const major = majorTag(version)
  const moveMajor = movesMajor(version, tags)
  const notesFile = option(argv, '--notes-file')
  if (notesFile) writeFileSync(notesFile, `${notes}\n`)
  if (env.GITHUB_OUTPUT && !dryRun) {
    appendFileSync(
      env.GITHUB_OUTPUT,
      `tag=${tag}\nversion=${version}\nmajor=${major}\nmove-major=${moveMajor}\n`
    )
  }
  console.log(
    `${dryRun ? 'Dry run: ' : ''}${tag} can be released from ${head ? head.slice(0, 12) : 'this tree'}: ` +
      `package.json, CHANGELOG.md and dist/ agree. ${
        moveMajor
          ? `The major tag ${major} moves to it.`
          : `${major} stays: a newer ${major} release exists.`
      }`
  )
  if (dryRun && tagCommit && tagCommit !== head) {
    console.log(
      `${tag} is already released (${tagCommit.slice(0, 12)}): the next release needs a new version.`
    )
  }
  if (!notesFile) console.log(`\nRelease notes:\n\n${notes}`)
  return 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
