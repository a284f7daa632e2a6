#!/usr/bin/env node
// Counts the assertions on prose in scenario and bundle tests: an expect(...) whose matcher
// (toContain, toMatch, toBe, toEqual, toThrow, toStrictEqual, with or without .not) takes a
// string or regex literal holding two words separated by a space. Such sentences belong to the
// unit test of the module that writes them (CONTRIBUTING.md, "Who asserts the wording").
//
//   node scripts/count-wording.mjs            per-file counts and the total
//   node scripts/count-wording.mjs --list     every match, with file and line
//   node scripts/count-wording.mjs --unit     the same count over unit-*.test.ts, for comparison
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = new URL('../__tests__/', import.meta.url).pathname
const list = process.argv.includes('--list')
const unit = process.argv.includes('--unit')
const pick = unit
  ? (/** @type {string} */ f) => /^unit-.*\.test\.ts$/.test(f)
  : (/** @type {string} */ f) => /^(scenario-.*|bundle.*)\.test\.ts$/.test(f)

const literal = String.raw`'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\x60(?:[^\x60\\]|\\.)*\x60|\/(?![/*])(?:[^/\\\n[]|\\.|\[(?:[^\]\\\n]|\\.)*\])+\/[a-z]*`
const matcher = new RegExp(
  String.raw`\.(?:not\.)?(?:toContain|toMatch|toBe|toEqual|toThrow|toStrictEqual)\(\s*(${literal})`,
  'g'
)
const twoWords = /\w+ \w+/

let total = 0
for (const file of readdirSync(dir).filter(pick).sort()) {
  const text = readFileSync(join(dir, file), 'utf8')
  let n = 0
  for (const m of text.matchAll(matcher)) {
    if (!twoWords.test(m[1])) continue
    n += 1
    if (list) {
      const line = text.slice(0, m.index).split('\n').length
      console.log(`${file}:${line}: ${m[1]}`)
    }
  }
  if (!list) console.log(`${String(n).padStart(4)}  ${file}`)
  total += n
}
console.log(`${String(total).padStart(4)}  total`)
