import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { bundleProblems, MAX_BYTES } from '../scripts/check-bundle.mjs'

describe('npm run check:bundle', () => {
  it('passes the committed bundle, with room left under 250 kB', () => {
    const code = readFileSync(resolve(import.meta.dirname, '..', 'dist', 'index.js'), 'utf8')
    expect(MAX_BYTES).toBe(250_000)
    expect(bundleProblems(code)).toEqual([])
  })

  it('fails a bundle over the limit, or with undici, @actions/exec or @actions/io in it', () => {
    expect(bundleProblems('x'.repeat(MAX_BYTES + 1))).toEqual([
      `it is ${MAX_BYTES + 1} B, over the ${MAX_BYTES} B limit`
    ])
    expect(bundleProblems('class ToolRunner extends EventEmitter {}')).toEqual([
      `it contains @actions/exec's code ("class ToolRunner")`
    ])
    expect(bundleProblems('async function tryGetExecutablePath(p) {}')).toEqual([
      `it contains @actions/io's code ("function tryGetExecutablePath")`
    ])
    expect(bundleProblems("code: 'UND_ERR_SOCKET'")).toEqual([
      `it contains undici's code ("UND_ERR_SOCKET")`
    ])
  })
})
