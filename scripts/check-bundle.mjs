// Fails when dist/index.js grows past its limit or has undici's or @actions/exec's code in it.
// package.json overrides @actions/http-client's undici and @actions/core's @actions/exec with stubs
// (stubs/undici, stubs/actions-exec: see those files for why); a dependency update that slips past an
// override brings the real package back, and with it a larger bundle and a slower start. Run by
// `npm run check:bundle` (part of `npm run all`) and by .github/workflows/ci.yml.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { postEntryProblem } from './post-entry.mjs'

/**
 * This project's own limit, 250 kB. The bundle is about 145 kB: the action's own code and
 * @actions/core and http-client, minified by ncc (dist/index.js.map maps it back). undici would make it
 * several times that, @actions/exec and @actions/io another 45 kB.
 */
export const MAX_BYTES = 250_000
// Every undici error carries a code UND_ERR_<NAME> (lib/core/errors.js, in undici 5, 6 and 7), and its
// diagnostics channels are named undici:<event>. Neither string is anywhere else in the bundle's
// dependencies, and the stub has neither. @actions/exec runs commands through its ToolRunner class,
// and @actions/io finds them with tryGetExecutablePath().
const MARKERS = [
  ['undici', /\bUND_ERR_[A-Z_]+/],
  ['undici', /\bundici:request:create\b/],
  ['@actions/exec', /\bclass ToolRunner\b/],
  ['@actions/io', /\bfunction tryGetExecutablePath\b/]
]

/** What is wrong with a bundle's code: an empty list when nothing is. */
export function bundleProblems(code) {
  const problems = []
  const bytes = Buffer.byteLength(code)
  if (bytes > MAX_BYTES) problems.push(`it is ${bytes} B, over the ${MAX_BYTES} B limit`)
  for (const [name, marker] of MARKERS) {
    const found = marker.exec(code)
    if (found) problems.push(`it contains ${name}'s code ("${found[0]}")`)
  }
  return problems
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? fileURLToPath(new URL('../dist/index.js', import.meta.url))
  const code = readFileSync(path, 'utf8')
  const problems = bundleProblems(code)
  const postProblem = postEntryProblem()
  if (postProblem) {
    console.error(postProblem)
    process.exit(1)
  }
  if (problems.length > 0) {
    console.error(
      `${path}: ${problems.join('; ')}. Are the overrides in package.json still keyed to the ` +
        'installed @actions/http-client and @actions/core versions? See stubs/*/index.js.'
    )
    process.exit(1)
  }
  console.log(
    `${path}: ${Buffer.byteLength(code)} B (limit ${MAX_BYTES} B), no undici, @actions/exec or @actions/io code.`
  )
}
