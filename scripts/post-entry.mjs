// The post step's entry, dist/post.js (action.yml `post:`): it marks the process as the post step
// and loads the one bundle, dist/index.js, which then runs the post step instead of the main step.
// A global, not an environment variable or a saved state: nothing from outside the process can
// make the main step run as the post step, and a post step can never run main's code (which would
// make a second image), even when the main step was killed before it saved anything.
//
//   node scripts/post-entry.mjs --write   writes dist/post.js (npm run bundle does)
//   node scripts/post-entry.mjs --check   fails when dist/post.js is not what --write writes
//
// src/github/phase.ts reads the same key (PHASE_KEY); a unit test holds the two together.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PHASE_KEY = 'ncloud-server-image-action.phase'
export const POST_ENTRY = fileURLToPath(new URL('../dist/post.js', import.meta.url))

/** The text of dist/post.js. The bundle is loaded after the mark: a static import would run first. */
export const POST_ENTRY_TEXT = `// Written by scripts/post-entry.mjs (npm run bundle): the post step of action.yml.
globalThis[Symbol.for('${PHASE_KEY}')] = 'post'
await import('./index.js')
`

/** Why dist/post.js is not what the bundle script writes, or undefined when it is. */
export function postEntryProblem(path = POST_ENTRY) {
  if (!existsSync(path)) return `${path} is missing: run "npm run bundle"`
  if (readFileSync(path, 'utf8') !== POST_ENTRY_TEXT) {
    return `${path} is not what scripts/post-entry.mjs writes: run "npm run bundle"`
  }
  return undefined
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    writeFileSync(POST_ENTRY, POST_ENTRY_TEXT)
    console.log(`${POST_ENTRY} written.`)
  } else {
    const problem = postEntryProblem()
    if (problem) {
      console.error(problem)
      process.exit(1)
    }
    console.log(`${POST_ENTRY} is the post step's entry.`)
  }
}
