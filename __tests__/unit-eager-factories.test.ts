import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  decodeVlq,
  eagerFactories,
  encodeVlq,
  factoryEdits,
  moveMapColumns
} from '../scripts/eager-factories.mjs'

// A bundle in ncc's shape: a module table of factories, a require, the entry.
const BUNDLE =
  'var t={7:(e,t,n)=>{n.d(t,{a:()=>a});const a=()=>1},8:(e,t,n)=>{e.exports=this},' +
  '9:e=>{e.exports=2},10:(e,t,n)=>{class A{x=this;m(){return arguments}}e.exports=new A().m(3)}};' +
  'function r(i){var m={exports:{}};t[i](m,m.exports,r);return m.exports}' +
  'r.d=(o,g)=>{for(const k in g)Object.defineProperty(o,k,{get:g[k]})};' +
  'export const out=[r(7).a(),typeof r(8),r(9),r(10)[0]];\n//# sourceMappingURL=index.js.map'

async function evaluate(code: string): Promise<unknown> {
  const url = `data:text/javascript,${encodeURIComponent(code)}`
  return ((await import(url)) as { out: unknown }).out
}

describe('eager-factories (npm run bundle, after ncc)', () => {
  it('turns each arrow factory into a parenthesised function, and the bundle works the same', async () => {
    const { code, rewritten, kept } = eagerFactories(BUNDLE)
    expect(code).toContain('7:(function(e,t,n){n.d(t,{a:()=>a});const a=()=>1}),')
    expect(code).toContain('10:(function(e,t,n){class A{x=this;m(){return arguments}}')
    // `this` of its own would change meaning; a factory without parentheses is left too.
    expect(code).toContain('8:(e,t,n)=>{e.exports=this}')
    expect(code).toContain('9:e=>{e.exports=2}')
    expect({ rewritten, kept }).toEqual({ rewritten: 2, kept: 2 })
    expect(await evaluate(code)).toEqual(await evaluate(BUNDLE))
  })

  it('moves the source map columns with the text', () => {
    const { code } = eagerFactories(BUNDLE)
    // Columns 0 (`var`), 8 (`(e,t,n)=>` of factory 7) and the column of `const` in factory 7.
    const constAt = BUNDLE.indexOf('const a')
    const mappings = `AAAA,QAAQ,${encodeVlq([constAt - 8, 0, 0, 0])};AACA`
    const offset = (column: number): number =>
      column === 0 ? 0 : column === 8 ? 8 : code.indexOf('const a')
    const moved = moveMapColumns(mappings, offset)
    expect(moved.split(';')[1]).toBe('AACA')
    const columns = moved
      .split(';')[0]
      .split(',')
      .reduce<number[]>((all, seg) => [...all, (all.at(-1) ?? 0) + decodeVlq(seg)[0]], [])
    expect(columns).toEqual([0, 8, code.indexOf('const a')])
  })

  it('has run on the committed dist/index.js: no factory is left to rewrite', () => {
    const dist = readFileSync(resolve(import.meta.dirname, '..', 'dist', 'index.js'), 'utf8')
    const { rewritten, kept } = factoryEdits(dist)
    expect(rewritten).toBe(0)
    expect(dist).toMatch(/,18:\(function\(|[{,]\d+:\(function\(/)
    expect(kept).toBeGreaterThan(5)
  })

  it('refuses a bundle without a module table', () => {
    expect(() => eagerFactories('export const x = 1\n')).toThrow(/no module table/)
  })
})
