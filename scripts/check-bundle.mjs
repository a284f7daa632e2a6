// Fails when dist/index.js grows past its limit or has undici's code in it. package.json overrides
// @actions/http-client's undici with stubs/undici (see that file for why); a dependency update that
// slips past the override brings the real undici back, and with it a bundle several times larger and
// a slower start. Run by `npm run check:bundle` (part of `npm run all`) and by .github/workflows/ci.yml.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** This project's own limit: the bundle is under half of it without undici, several times it with. */
export const MAX_BYTES = 400_000
// Every undici error carries a code UND_ERR_<NAME> (lib/core/errors.js, in undici 5, 6 and 7), and its
// diagnostics channels are named undici:<event>. Neither string is anywhere else in the bundle's
// dependencies, and the stub has neither.
const UNDICI_MARKERS = [/\bUND_ERR_[A-Z_]+/, /\bundici:request:create\b/]

/** What is wrong with a bundle's code: an empty list when nothing is. */
export function bundleProblems(code) {
  const problems = []
  const bytes = Buffer.byteLength(code)
  if (bytes > MAX_BYTES) problems.push(`it is ${bytes} B, over the ${MAX_BYTES} B limit`)
  for (const marker of UNDICI_MARKERS) {
    const found = marker.exec(code)
    if (found) problems.push(`it contains undici's code ("${found[0]}")`)
  }
  return problems
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const path = process.argv[2] ?? fileURLToPath(new URL('../dist/index.js', import.meta.url))
  const code = readFileSync(path, 'utf8')
  const problems = bundleProblems(code)
  if (problems.length > 0) {
    console.error(
      `${path}: ${problems.join('; ')}. Is the undici override in package.json still keyed to the ` +
        'installed @actions/http-client version? See stubs/undici/index.js.'
    )
    process.exit(1)
  }
  console.log(`${path}: ${Buffer.byteLength(code)} B (limit ${MAX_BYTES} B), no undici code.`)
}
