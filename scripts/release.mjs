// The release's checks and notes, used by .github/workflows/release.yml and, as a dry run, by
// `npm run all` and CI's release-dry-run job, so every rule runs on every push. Nothing here
// publishes: the workflow does, after this script passed.
//
//   node scripts/release.mjs --tag v1.1.0 --notes-file notes.md      the workflow, on a pushed tag
//   node scripts/release.mjs --version 1.1.0 --notes-file notes.md   the workflow, run by hand
//       A release of that version at HEAD. It refuses: a version that is not X.Y.Z (tags are vX.Y.Z),
//       a package.json of another version, a CHANGELOG.md without a dated "## [X.Y.Z] - YYYY-MM-DD"
//       section listing changes under Added / Changed / Fixed, a dist/ not built from the committed
//       source (dist/source-hash.txt; the workflow also rebuilds and diffs dist/), a tag vX.Y.Z that
//       already names another commit, and a commit on no remote main or releases/vN branch (vN of
//       the version's major). In GitHub Actions it writes tag, version, major and move-major to
//       $GITHUB_OUTPUT.
//
//   node scripts/release.mjs --dry-run [--version X.Y.Z] [--branch NAME] [--notes-file notes.md]
//       The next release, checked as far as it can be without publishing. While package.json's
//       version is being cut (its section dated, Unreleased empty, its tag absent or naming HEAD),
//       that version, checked as the workflow will. Once it is released (its section dated, or its
//       tag exists), the next version (a minor bump, or --version) with "## [Unreleased]" as its
//       notes. The branch is --branch, else the pull request's base (GITHUB_BASE_REF), the pushed
//       branch (GITHUB_REF_NAME), the current branch, or the remote branches that hold HEAD; main
//       and releases/vN are checked as the release checks them, any other branch releases nothing
//       (said, not refused). A shallow or tagless clone says "not tagged yet".
//
// Both say whether the major tag (v1) moves: only when no release of that major is newer, so a
// backported 1.0.1 after 1.1.0 does not take v1 back.
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distProblem } from './source-hash.mjs'

const VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/
const GROUPS = ['Added', 'Changed', 'Fixed']
const RELEASE_BRANCH = /^(?:main|releases\/v(?:0|[1-9]\d*))$/

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

/** The next minor version: 1.0.3 → 1.1.0. */
export function nextVersion(version) {
  const [major, minor] = parseVersion(version)
  return `${major}.${minor + 1}.0`
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

function escaped(text) {
  return text.replace(/[.[\]]/g, '\\$&')
}

/** The body of the section whose heading matches, without link lines, trimmed; undefined if none. */
function sectionBody(changelog, heading) {
  const lines = changelog.split(/\r?\n/)
  const start = lines.findIndex(line => heading.test(line))
  if (start < 0) return undefined
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter(line => !/^\[[^\]]+\]: /.test(line))
    .join('\n')
    .trim()
}

/**
 * The body of CHANGELOG.md's section for version (the lines between "## [X.Y.Z]" and the next
 * "## " heading), trimmed; throws when the section is missing or empty.
 */
export function changelogSection(changelog, version) {
  parseVersion(version)
  const body = sectionBody(changelog, new RegExp(`^## \\[${escaped(version)}\\](?:\\s|$)`))
  if (body === undefined) {
    throw new Error(
      `CHANGELOG.md has no section "## [${version}] - YYYY-MM-DD": rename "## [Unreleased]" to it (and start a new empty Unreleased above it)`
    )
  }
  if (!body) throw new Error(`CHANGELOG.md's section for ${version} is empty: list the changes`)
  return body
}

/** The date of version's section ("## [X.Y.Z] - YYYY-MM-DD"), or undefined when it has none. */
export function sectionDate(changelog, version) {
  const heading = new RegExp(`^## \\[${escaped(version)}\\] - (\\d{4}-\\d{2}-\\d{2})\\s*$`, 'm')
  return heading.exec(changelog)?.[1]
}

/** The body of "## [Unreleased]", trimmed: '' when it is empty or missing. */
export function unreleasedSection(changelog) {
  return sectionBody(changelog, /^## \[Unreleased\]\s*$/i) ?? ''
}

/**
 * Why the notes of a section (named by where) are not a release's: a group other than Added,
 * Changed or Fixed, an entry outside a group, or no entry at all. Undefined when they are.
 */
export function notesProblem(body, where) {
  const form = 'list each change as "- ..." under "### Added", "### Changed" or "### Fixed"'
  let group
  let entries = 0
  for (const line of body.split('\n')) {
    const heading = /^#{3,}\s*(.*?)\s*$/.exec(line)
    if (heading) {
      group = heading[1]
      if (!GROUPS.includes(group)) return `${where} has a group "### ${group}": ${form}`
    } else if (/^[-*] \S/.test(line)) {
      if (!group) return `${where} has an entry outside a group: ${form}`
      entries++
    }
  }
  return entries > 0 ? undefined : `${where} lists no change: ${form}`
}

/** What stops version's CHANGELOG.md section from being a release's notes. */
export function sectionProblems(changelog, version) {
  let body
  try {
    body = changelogSection(changelog, version)
  } catch (error) {
    return [error.message]
  }
  const problems = []
  if (!sectionDate(changelog, version)) {
    problems.push(
      `CHANGELOG.md's heading for ${version} has no date: write it "## [${version}] - YYYY-MM-DD" (the release day)`
    )
  }
  const notes = notesProblem(body, `CHANGELOG.md's section for ${version}`)
  if (notes) problems.push(notes)
  return problems
}

/** What stops "## [Unreleased]" from being the next release's notes. */
export function unreleasedProblems(changelog) {
  const body = unreleasedSection(changelog)
  if (!body) {
    return [
      'CHANGELOG.md\'s "## [Unreleased]" is empty or missing: list every user-visible change since the last release there, under ### Added, ### Changed or ### Fixed'
    ]
  }
  const problem = notesProblem(body, 'CHANGELOG.md\'s "## [Unreleased]"')
  return problem ? [problem] : []
}

/** The rule that a tag, once made, is never moved: vX.Y.Z may name HEAD or nothing yet. */
export function tagProblem(version, tagCommit, head) {
  if (!tagCommit || tagCommit === head) return undefined
  return `Tag v${version} already names commit ${tagCommit.slice(0, 12)}, not ${head ? head.slice(0, 12) : 'this tree'}: a released version is never moved; release the next version instead`
}

/**
 * Why version cannot come from a commit on branches, or undefined: releases come from main, or
 * from releases/vN for major N (so that 1.x fixes ship after 2.0.0).
 */
export function branchProblem(version, branches) {
  const [major] = parseVersion(version)
  const allowed = ['main', `releases/v${major}`]
  if (branches.some(branch => allowed.includes(branch))) return undefined
  const on = branches.length ? `on ${branches.join(', ')}` : 'on no branch'
  return `The commit is ${on}, not on main or releases/v${major}: ${major}.x releases come from main, or from releases/v${major} once main has a newer major; merge it there first`
}

/** Every reason a release of version at head cannot go ahead; empty when it can. */
export function releaseProblems({
  version,
  packageVersion,
  changelog,
  distIssue,
  tagCommit,
  head,
  branches
}) {
  try {
    parseVersion(version)
  } catch (error) {
    return [error.message]
  }
  const problems = []
  if (packageVersion !== version) {
    problems.push(
      `package.json's version is ${packageVersion}, not ${version}: set "version": "${version}" (npm version ${version} --no-git-tag-version)`
    )
  }
  problems.push(...sectionProblems(changelog, version))
  if (distIssue) problems.push(distIssue)
  const tag = tagProblem(version, tagCommit, head)
  if (tag) problems.push(tag)
  const branch = branches && branchProblem(version, branches)
  if (branch) problems.push(branch)
  return problems
}

/**
 * The release a dry run previews. `notes` says where its notes come from: 'section' (its own
 * CHANGELOG.md section) or 'unreleased'; `released` says package.json's version is out already.
 */
export function nextRelease({ packageVersion, changelog, packageTagCommit, head, requested }) {
  const hasSection = version => changelog.includes(`## [${version}]`)
  const dated = Boolean(sectionDate(changelog, packageVersion))
  const released = dated || Boolean(packageTagCommit)
  if (requested) {
    const notes = hasSection(requested) ? 'section' : 'unreleased'
    return { version: requested, notes, released, why: 'as asked (--version)' }
  }
  const cutting =
    dated && !unreleasedSection(changelog) && (!packageTagCommit || packageTagCommit === head)
  if (cutting || !released || !VERSION.test(packageVersion)) {
    const why = packageTagCommit
      ? "package.json's version, tagged at this commit"
      : `package.json's version, ${dated ? 'dated in CHANGELOG.md' : 'not released'} and not tagged yet`
    const notes = hasSection(packageVersion) ? 'section' : 'unreleased'
    return { version: packageVersion, notes, released: false, why }
  }
  const by = packageTagCommit ? `tag v${packageVersion} exists` : 'CHANGELOG.md dates it'
  return {
    version: nextVersion(packageVersion),
    notes: 'unreleased',
    released: true,
    why: `the next minor version: package.json's ${packageVersion} is released (${by}); --version X.Y.Z for another`
  }
}

/** Every reason the release a dry run previews could not go ahead; empty when it could. */
export function previewProblems({
  release,
  packageVersion,
  changelog,
  distIssue,
  tagCommit,
  head,
  branchIssue
}) {
  const { version } = release
  try {
    parseVersion(version)
  } catch (error) {
    return [error.message]
  }
  const problems = []
  if (release.notes === 'section') {
    problems.push(...releaseProblems({ version, packageVersion, changelog, tagCommit, head }))
  } else {
    problems.push(...unreleasedProblems(changelog))
    const order = VERSION.test(packageVersion) ? compareVersions(version, packageVersion) : 1
    if (order < 0 || (order === 0 && release.released)) {
      problems.push(
        `${version} is not newer than package.json's ${packageVersion}, which is released: give a newer --version`
      )
    }
    const tag = tagProblem(version, tagCommit, head)
    if (tag) problems.push(tag)
  }
  if (distIssue) problems.push(distIssue)
  if (branchIssue) problems.push(branchIssue)
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

/** The remote branches (without the remote's name) that hold commit: where it was merged. */
function remoteBranchesHolding(root, commit) {
  if (!commit) return []
  return git(root, 'branch', '-r', '--contains', commit, '--format=%(refname)')
    .split('\n')
    .map(ref => /^refs\/remotes\/[^/]+\/(.+)$/.exec(ref)?.[1])
    .filter(branch => branch && branch !== 'HEAD')
}

/** The branches a dry run releases from, and where they were taken from. */
function previewBranches(argv, { root, env, head, branch }) {
  const given = option(argv, '--branch')
  if (given) return { branches: [given], from: '--branch' }
  if (env.GITHUB_BASE_REF)
    return { branches: [env.GITHUB_BASE_REF], from: "the pull request's base" }
  if (env.GITHUB_REF_TYPE === 'branch' && env.GITHUB_REF_NAME)
    return { branches: [env.GITHUB_REF_NAME], from: 'the pushed branch' }
  if (branch) return { branches: [branch], from: 'the current branch' }
  return { branches: remoteBranchesHolding(root, head), from: 'the remote branches holding HEAD' }
}

function option(argv, name) {
  const at = argv.indexOf(name)
  return at < 0 ? undefined : argv[at + 1]
}

function majorLine(version, tags) {
  const major = majorTag(version)
  if (!movesMajor(version, tags)) return `${major} stays: a newer ${major} release exists.`
  const none = tags.length
    ? ''
    : ' (this clone has no release tags: `git fetch --tags` to see the others)'
  return `The major tag ${major} moves to it${none}.`
}

function printNotes(notes, notesFile) {
  if (notesFile) writeFileSync(notesFile, `${notes}\n`)
  else console.log(`\nRelease notes:\n\n${notes}`)
}

/** The dry run: the next release, checked as far as it can be without publishing. */
function preview(argv, facts) {
  const { root, pkg, changelog, head, tagCommitOf, tags } = facts
  const tagArg = option(argv, '--tag')
  let requested
  try {
    requested = tagArg ? versionOfTag(tagArg) : option(argv, '--version')
  } catch (error) {
    console.error(error.message)
    return 1
  }
  const release = nextRelease({
    packageVersion: pkg.version,
    changelog,
    packageTagCommit: tagCommitOf(pkg.version),
    head,
    requested
  })
  const { version } = release
  const tagCommit = tagCommitOf(version)
  const { branches, from } = previewBranches(argv, facts)
  // A branch that is not main or releases/vN (a topic branch, a pull request into one) releases
  // nothing: the rule is checked where the change is merged. A release branch of another major is
  // refused here.
  const releaseBranch = branches.some(branch => RELEASE_BRANCH.test(branch))
  let branchIssue
  if (releaseBranch && VERSION.test(version)) branchIssue = branchProblem(version, branches)
  const problems = previewProblems({
    release,
    packageVersion: pkg.version,
    changelog,
    distIssue: distProblem(root),
    tagCommit,
    head,
    branchIssue
  })
  if (problems.length > 0) {
    console.error(
      `Dry run: cannot release ${version} (${release.why}):\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    return 1
  }
  const tag = `v${version}`
  const fromUnreleased = release.notes === 'unreleased'
  const onBranch = branches.length ? branches.join(', ') : 'no branch'
  console.log(
    [
      `Dry run: the next release is ${tag}: ${release.why}.`,
      `- notes: ${fromUnreleased ? 'CHANGELOG.md\'s "## [Unreleased]"' : `CHANGELOG.md's "## [${version}]"`}, grouped as Added / Changed / Fixed`,
      `- tag: ${tagCommit ? `${tag} names this commit` : `${tag}: not tagged yet`}`,
      releaseBranch
        ? `- branch: ${onBranch} (${from}) may release ${version}`
        : `- branch: ${onBranch} (${from}) is not main or releases/vN: nothing is released from it; the rule applies where it is merged`,
      `- dist/: the bundle of the committed source`,
      `- major tag: ${majorLine(version, tags)}`,
      fromUnreleased
        ? `To cut it: rename "## [Unreleased]" to "## [${version}] - YYYY-MM-DD", run npm version ${version} --no-git-tag-version and npm run bundle, merge, tag ${tag} (CONTRIBUTING.md, "Cutting a release").`
        : `package.json, CHANGELOG.md and dist/ agree: ${tag} can be released${tagCommit ? '' : ` once ${tag} is pushed or the Release workflow is run`}.`
    ].join('\n')
  )
  printNotes(
    fromUnreleased ? unreleasedSection(changelog) : changelogSection(changelog, version),
    option(argv, '--notes-file')
  )
  return 0
}

/** The release itself: version at HEAD, as the workflow publishes it. */
function release(argv, facts) {
  const { root, env, pkg, changelog, head, tagCommitOf, tags } = facts
  const tagArg = option(argv, '--tag')
  let version
  try {
    version = tagArg ? versionOfTag(tagArg) : option(argv, '--version')
    if (!version)
      throw new Error(
        'Give the version to release: --version X.Y.Z or --tag vX.Y.Z (or --dry-run for the next release)'
      )
    parseVersion(version)
  } catch (error) {
    console.error(error.message)
    return 1
  }
  const branches = remoteBranchesHolding(root, head)
  const problems = releaseProblems({
    version,
    packageVersion: pkg.version,
    changelog,
    distIssue: distProblem(root),
    tagCommit: tagCommitOf(version),
    head,
    branches
  })
  if (problems.length > 0) {
    console.error(`Cannot release ${version}:\n${problems.map(p => `- ${p}`).join('\n')}`)
    return 1
  }
  const tag = `v${version}`
  const major = majorTag(version)
  if (env.GITHUB_OUTPUT) {
    appendFileSync(
      env.GITHUB_OUTPUT,
      `tag=${tag}\nversion=${version}\nmajor=${major}\nmove-major=${movesMajor(version, tags)}\n`
    )
  }
  console.log(
    `${tag} can be released from ${head.slice(0, 12)} (on ${branches.join(', ')}): ` +
      `package.json, CHANGELOG.md and dist/ agree. ${majorLine(version, tags)}`
  )
  printNotes(changelogSection(changelog, version), option(argv, '--notes-file'))
  return 0
}

/** The commit of each release tag vX.Y.Z (annotated ones peeled): none in a tagless clone. */
function releaseTags(root) {
  const format = '--format=%(refname) %(objectname) %(*objectname)'
  const tags = new Map()
  for (const line of git(root, 'for-each-ref', format, 'refs/tags/v*').split('\n')) {
    const [tag, object, peeled] = line.split(' ')
    if (tag) tags.set(tag.slice('refs/tags/'.length), peeled || object)
  }
  return tags
}

/** Runs the checks for argv under root; returns the exit code. */
export function main(
  argv,
  root = fileURLToPath(new URL('..', import.meta.url)),
  env = process.env
) {
  // HEAD's commit, and its branch ('HEAD' when detached); nothing outside a repository.
  const [head = '', ref = ''] = git(root, 'rev-parse', 'HEAD', '--abbrev-ref', 'HEAD').split('\n')
  const tags = releaseTags(root)
  const facts = {
    root,
    env,
    pkg: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')),
    changelog: readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
    head: /^[0-9a-f]{40,64}$/.test(head) ? head : '',
    branch: ref === 'HEAD' ? '' : ref,
    // A shallow or tagless clone has no tags: a version is then "not tagged yet", never a failure.
    tagCommitOf: version => tags.get(`v${version}`) ?? '',
    tags: [...tags.keys()]
  }
  return argv.includes('--dry-run') ? preview(argv, facts) : release(argv, facts)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
