// The fingerprint of what `npm run bundle` builds dist/ from: a sha256 over every file under src/
// and stubs/ (the undici stub is bundled too), package-lock.json, tsconfig.json and
// scripts/post-entry.mjs (which writes dist/post.js) and scripts/eager-factories.mjs (which
// rewrites dist/index.js after ncc), taken in sorted
// order of their /-separated paths, each as its path, its size and its bytes. No mtimes, no line-end
// or path normalising: .gitattributes checks every file out with LF, so clones on any machine agree.
//
//   node scripts/source-hash.mjs           prints the hash of the sources
//   node scripts/source-hash.mjs --write   writes it to dist/source-hash.txt (npm run bundle does)
//   node scripts/source-hash.mjs --check   fails when dist/source-hash.txt is not that hash
//
// scripts/run-bundle.mjs calls distProblem() before it runs dist/index.js.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { postEntryProblem } from './post-entry.mjs'

/** The bundle's inputs, relative to the repository root: folders are taken whole. */
export const SOURCES = [
  'src',
  'stubs',
  'package-lock.json',
  'tsconfig.json',
  'scripts/post-entry.mjs',
  'scripts/eager-factories.mjs'
]
/** Where `npm run bundle` records the hash of the sources it built from. */
export const HASH_FILE = 'dist/source-hash.txt'

const defaultRoot = fileURLToPath(new URL('..', import.meta.url))

function listFiles(root, path) {
  if (!statSync(join(root, path)).isDirectory()) return [path]
  return readdirSync(join(root, path)).flatMap(name => listFiles(root, `${path}/${name}`))
}

/** The sha256 (hex) of the bundle's inputs under root. */
export function sourceHash(root = defaultRoot) {
  const paths = SOURCES.flatMap(source => listFiles(root, source)).sort()
  const hash = createHash('sha256')
  for (const path of paths) {
    const bytes = readFileSync(join(root, path))
    hash.update(`${path}\0${bytes.length}\0`)
    hash.update(bytes)
  }
  return hash.digest('hex')
}

/** Why dist/ under root is not the bundle of its sources, or undefined when it is. */
export function distProblem(root = defaultRoot) {
  const file = join(root, HASH_FILE)
  if (!existsSync(file)) return `${HASH_FILE} is missing: run "npm run bundle"`
  if (readFileSync(file, 'utf8').trim() !== sourceHash(root)) {
    return `dist/ is older than src/: run "npm run bundle" (${HASH_FILE} is not the hash of ${SOURCES.join(', ')})`
  }
  return postEntryProblem(join(root, 'dist/post.js'))
}

/** Throws when dist/ under root was not built from its current sources. */
export function checkDist(root = defaultRoot) {
  const problem = distProblem(root)
  if (problem) throw new Error(problem)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) {
    const hash = sourceHash()
    writeFileSync(join(defaultRoot, HASH_FILE), `${hash}\n`)
    console.log(`${HASH_FILE}: ${hash}`)
  } else if (process.argv.includes('--check')) {
    const problem = distProblem()
    if (problem) {
      console.error(problem)
      process.exit(1)
    }
    console.log(`${HASH_FILE} matches ${SOURCES.join(', ')}.`)
  } else {
    console.log(sourceHash())
  }
}
