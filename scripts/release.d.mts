// Types for release.mjs (hand-written; keep in step with the implementation).

/** The parts of version X.Y.Z as numbers; throws on anything else. */
export function parseVersion(version: string): number[]
/** The version a tag vX.Y.Z names; throws when the tag is not of that form. */
export function versionOfTag(tag: string): string
/** The major tag users reference, e.g. v1 for 1.4.2. */
export function majorTag(version: string): string
/** The next minor version: 1.0.3 → 1.1.0. */
export function nextVersion(version: string): string
/** Whether releasing version moves its major tag, given the repository's tags. */
export function movesMajor(version: string, tags: string[]): boolean
/** The body of CHANGELOG.md's section for version; throws when it is missing or empty. */
export function changelogSection(changelog: string, version: string): string
/** The date of version's section ("## [X.Y.Z] - YYYY-MM-DD"), or undefined. */
export function sectionDate(changelog: string, version: string): string | undefined
/** The body of "## [Unreleased]", trimmed: '' when it is empty or missing. */
export function unreleasedSection(changelog: string): string
/** Why a section's notes are not grouped as Added / Changed / Fixed with entries; undefined if they are. */
export function notesProblem(body: string, where: string): string | undefined
/** What stops version's CHANGELOG.md section from being a release's notes. */
export function sectionProblems(changelog: string, version: string): string[]
/** What stops "## [Unreleased]" from being the next release's notes. */
export function unreleasedProblems(changelog: string): string[]
/** A tag is never moved: vX.Y.Z may name head or nothing yet. */
export function tagProblem(version: string, tagCommit?: string, head?: string): string | undefined
/** Why version cannot come from a commit on branches (main or releases/vN of its major). */
export function branchProblem(version: string, branches: string[]): string | undefined
/** Every reason a release cannot go ahead; empty when it can. */
export function releaseProblems(facts: {
  version: string
  packageVersion: string
  changelog: string
  distIssue?: string
  tagCommit?: string
  head?: string
  /** The branches holding head; the branch rule applies when given. */
  branches?: string[]
}): string[]
/** The release a dry run previews, and where its notes come from. */
export interface NextRelease {
  version: string
  notes: 'section' | 'unreleased'
  /** package.json's version is out already. */
  released: boolean
  why: string
}
/** The release a dry run previews. */
export function nextRelease(facts: {
  packageVersion: string
  changelog: string
  packageTagCommit?: string
  head?: string
  requested?: string
}): NextRelease
/** Every reason the previewed release could not go ahead; empty when it could. */
export function previewProblems(facts: {
  release: NextRelease
  packageVersion: string
  changelog: string
  distIssue?: string
  tagCommit?: string
  head?: string
  branchIssue?: string
}): string[]
/** Runs the checks for argv under root; returns the exit code. */
export function main(
  argv: string[],
  root?: string,
  env?: Record<string, string | undefined>
): number
