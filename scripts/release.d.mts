// Types for release.mjs (hand-written; keep in step with the implementation).

/** The parts of version X.Y.Z as numbers; throws on anything else. */
export function parseVersion(version: string): number[]
/** The version a tag vX.Y.Z names; throws when the tag is not of that form. */
export function versionOfTag(tag: string): string
/** The major tag users reference, e.g. v1 for 1.4.2. */
export function majorTag(version: string): string
/** Whether releasing version moves its major tag, given the repository's tags. */
export function movesMajor(version: string, tags: string[]): boolean
/** The body of CHANGELOG.md's section for version; throws when it is missing or empty. */
export function changelogSection(changelog: string, version: string): string
/** Every reason a release cannot go ahead; empty when it can. */
export function releaseProblems(facts: {
  version: string
  packageVersion: string
  changelog: string
  distIssue?: string
  tagCommit?: string
  head?: string
}): string[]
/** Runs the checks for argv under root; returns the exit code. */
export function main(
  argv: string[],
  root?: string,
  env?: Record<string, string | undefined>
): number
