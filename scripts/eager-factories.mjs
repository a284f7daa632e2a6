// @ts-check
// Rewrites the module factories of ncc's bundle from arrow functions into parenthesised function
// expressions, which V8 compiles with the script instead of when each is first called. Every
// factory runs at start-up, and compiling a large one lazily means parsing its whole text a second
// time: the factory that holds src/ (about 108 kB) cost some 4 ms of the cold start that way
// (README "Benchmark"). A factory that uses `this` or `arguments` of its own is left an arrow.
// The source map's columns are moved with the text.
//
//   node scripts/eager-factories.mjs --write   rewrites dist/index.js and dist/index.js.map
//                                              (npm run bundle does, after ncc)
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'acorn'

const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url))

/**
 * @typedef {{ type: string, start: number, end: number, [key: string]: any }} Node
 * @typedef {{ at: number, text: string }} Insertion
 */

/** Whether `node` (an arrow's body) uses `this` or `arguments` that belong to the arrow. */
function usesOwnThis(/** @type {any} */ node) {
  if (!node || typeof node.type !== 'string') return false
  if (node.type === 'ThisExpression' || node.type === 'Super') return true
  if (node.type === 'Identifier') return node.name === 'arguments'
  // These bring their own `this` and `arguments` (a class's field initialisers and methods too).
  if (/^Function|^Class/.test(node.type) && node.type !== 'ClassBody')
    return classHeritageUses(node)
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue
    const children = Array.isArray(value) ? value : [value]
    if (children.some(child => child && typeof child === 'object' && usesOwnThis(child))) {
      return true
    }
  }
  return false
}

/** A class's `extends` and computed keys are evaluated in the enclosing scope. */
function classHeritageUses(/** @type {any} */ node) {
  if (!node.type.startsWith('Class')) return false
  if (usesOwnThis(node.superClass)) return true
  return node.body.body.some(
    (/** @type {any} */ member) => member.computed && usesOwnThis(member.key)
  )
}

/** The bundle's module table: the first top-level `var x = { 123: (a, b, c) => {...}, ... }`. */
function moduleTable(/** @type {any} */ program) {
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue
    for (const declaration of statement.declarations) {
      const init = declaration.init
      if (
        init?.type === 'ObjectExpression' &&
        init.properties.length > 0 &&
        init.properties.every(
          (/** @type {any} */ p) => p.type === 'Property' && p.key.type === 'Literal'
        )
      ) {
        return init
      }
    }
  }
  return undefined
}

/**
 * The insertions that turn each factory `(a,b,c)=>{…}` into `(function(a,b,c){…})`.
 * @param {string} code
 * @returns {{ insertions: Insertion[], removals: { from: number, to: number }[], rewritten: number, kept: number }}
 */
export function factoryEdits(code) {
  const program = parse(code, { ecmaVersion: 'latest', sourceType: 'module' })
  const table = moduleTable(program)
  if (!table) throw new Error('eager-factories: no module table found in the bundle')
  /** @type {Insertion[]} */
  const insertions = []
  const removals = []
  let kept = 0
  for (const property of table.properties) {
    const fn = property.value
    if (fn.type !== 'ArrowFunctionExpression' || fn.body.type !== 'BlockStatement' || fn.async) {
      kept++
      continue
    }
    if (usesOwnThis(fn.body)) {
      kept++
      continue
    }
    const arrow = code.slice(fn.start, fn.body.start)
    const match = /^\(([^()]*)\)\s*=>\s*$/.exec(arrow)
    if (!match) {
      kept++
      continue
    }
    // `(a,b,c)=>{` becomes `(function(a,b,c){`; the body's closing brace gets a `)` after it.
    insertions.push({ at: fn.start, text: '(function' })
    removals.push({ from: fn.start + match[0].lastIndexOf(')') + 1, to: fn.body.start })
    insertions.push({ at: fn.end, text: ')' })
  }
  return { insertions, removals, rewritten: insertions.length / 2, kept }
}

/**
 * Applies the edits; `offset(position)` gives where a position of the old text is in the new.
 * @param {string} code
 * @param {{ insertions: Insertion[], removals: { from: number, to: number }[] }} edits
 */
export function applyEdits(code, { insertions, removals }) {
  /** @type {{ at: number, delta: number, text: string, to: number }[]} */
  const edits = [
    ...insertions.map(i => ({ at: i.at, to: i.at, text: i.text, delta: i.text.length })),
    ...removals.map(r => ({ at: r.from, to: r.to, text: '', delta: r.from - r.to }))
  ].sort((a, b) => a.at - b.at || a.to - b.to)
  let out = ''
  let last = 0
  for (const edit of edits) {
    out += code.slice(last, edit.at) + edit.text
    last = edit.to
  }
  out += code.slice(last)
  const offset = (/** @type {number} */ position) => {
    let moved = position
    for (const edit of edits) {
      if (edit.at > position) break
      // A position inside removed text maps to where the text was.
      moved += edit.to > position ? edit.at - position + edit.text.length : edit.delta
    }
    return moved
  }
  return { code: out, offset }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

export function decodeVlq(/** @type {string} */ segment) {
  const values = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = BASE64.indexOf(char)
    value += (digit & 31) << shift
    if (digit & 32) shift += 5
    else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }
  return values
}

export function encodeVlq(/** @type {number[]} */ values) {
  let out = ''
  for (const value of values) {
    let vlq = value < 0 ? (-value << 1) | 1 : value << 1
    do {
      let digit = vlq & 31
      vlq >>>= 5
      if (vlq > 0) digit |= 32
      out += BASE64[digit]
    } while (vlq > 0)
  }
  return out
}

/**
 * Moves the generated columns of a source map's first line (the whole minified code; the
 * sourceMappingURL comment is on the second).
 * @param {string} mappings
 * @param {(position: number) => number} offset
 */
export function moveMapColumns(mappings, offset) {
  const [first, ...rest] = mappings.split(';')
  let column = 0
  let previous = 0
  const segments = first.split(',').map(segment => {
    if (!segment) return segment
    const [delta, ...others] = decodeVlq(segment)
    column += delta
    const moved = offset(column)
    const encoded = encodeVlq([moved - previous, ...others])
    previous = moved
    return encoded
  })
  return [segments.join(','), ...rest].join(';')
}

/**
 * Rewrites a bundle's text and its source map's mappings (if any).
 * @param {string} code
 * @param {{ mappings: string } | undefined} [map]
 */
export function eagerFactories(code, map) {
  const firstLineEnd = code.indexOf('\n') < 0 ? code.length : code.indexOf('\n')
  const edits = factoryEdits(code)
  if ([...edits.insertions].some(i => i.at > firstLineEnd)) {
    throw new Error('eager-factories: the bundle is not one line of code')
  }
  const { code: out, offset } = applyEdits(code, edits)
  const newMap = map && { ...map, mappings: moveMapColumns(map.mappings, offset) }
  return { code: out, map: newMap, rewritten: edits.rewritten, kept: edits.kept }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--write')) {
    console.error('usage: node scripts/eager-factories.mjs --write')
    process.exit(2)
  }
  const mapPath = `${BUNDLE}.map`
  const map = existsSync(mapPath) ? JSON.parse(readFileSync(mapPath, 'utf8')) : undefined
  const result = eagerFactories(readFileSync(BUNDLE, 'utf8'), map)
  writeFileSync(BUNDLE, result.code)
  if (result.map) writeFileSync(mapPath, JSON.stringify(result.map))
  console.log(
    `${BUNDLE}: ${result.rewritten} module factories compiled with the script, ${result.kept} left lazy.`
  )
}
