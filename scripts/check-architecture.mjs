// The house's shape, checked in `npm run lint`: no file in src/ over MAX_LINES lines, and no
// import chain from the entry point longer than MAX_CHAIN files. The chain follows the imports
// that load a module (`import type` is erased by the build, and loads nothing). The layer rule,
// which type imports obey too, is eslint's no-restricted-imports per folder (eslint.config.js).
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..')
const SRC = join(ROOT, 'src')
const ENTRY = join(SRC, 'index.ts')
const MAX_LINES = 250
const MAX_CHAIN = 8

function files(dir) {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : []
  })
}

const sources = files(SRC)
const imports = new Map()
for (const file of sources) {
  const text = readFileSync(file, 'utf8')
  const targets = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\b)[^'"]*?from\s+'(\.[^']+)'/g)
  ]
    .map(match => resolve(dirname(file), match[1].replace(/\.js$/, '.ts')))
    .filter(target => sources.includes(target))
  imports.set(file, [...new Set(targets)])
}

const problems = []
const lines = sources.map(file => ({
  file,
  count: readFileSync(file, 'utf8').split('\n').length - 1
}))
lines.sort((a, b) => b.count - a.count)
for (const { file, count } of lines) {
  if (count > MAX_LINES)
    problems.push(`${relative(ROOT, file)} has ${count} lines (at most ${MAX_LINES})`)
}

// The longest chain of imports from the entry, in files; a cycle is reported, not followed.
const longest = new Map()
const visiting = new Set()
function chain(file) {
  if (longest.has(file)) return longest.get(file)
  if (visiting.has(file)) {
    problems.push(`import cycle through ${relative(ROOT, file)}`)
    return [file]
  }
  visiting.add(file)
  let best = []
  for (const target of imports.get(file) ?? []) {
    const below = chain(target)
    if (below.length > best.length) best = below
  }
  visiting.delete(file)
  const result = [file, ...best]
  longest.set(file, result)
  return result
}
const deepest = chain(ENTRY)
if (deepest.length > MAX_CHAIN) {
  problems.push(
    `the longest import chain from src/index.ts is ${deepest.length} files (at most ${MAX_CHAIN})`
  )
}

console.log(
  `Largest file in src/: ${relative(ROOT, lines[0].file)}, ${lines[0].count} lines (at most ${MAX_LINES}).`
)
console.log(
  `Longest import chain from src/index.ts: ${deepest.length} files (at most ${MAX_CHAIN}): ${deepest.map(file => relative(SRC, file)).join(' → ')}`
)
if (problems.length > 0) {
  for (const problem of problems) console.error(`check-architecture: ${problem}`)
  process.exit(1)
}
