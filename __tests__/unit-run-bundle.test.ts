import { describe, expect, it } from '@jest/globals'
import { resolve } from 'node:path'
import { parseCommandFile, runBundle, runPostStep } from '../scripts/run-bundle.mjs'
import { NODE24 } from './helpers/run-action.js'

// scripts/run-bundle.mjs runs a step as the runner does; here on a tiny fixture step, not the bundle.
const STEP = resolve(import.meta.dirname, 'fixtures/runner-step.mjs')

describe('parseCommandFile (GITHUB_OUTPUT, GITHUB_STATE)', () => {
  it('reads name<<DELIMITER blocks and name=value lines; the last value wins', () => {
    const text = 'a<<EOF\nline 1\nline=2\nEOF\nb=x<<y\nc=\r\na<<Z\r\nagain\r\nZ\r\n'
    expect(parseCommandFile(text)).toEqual({ a: 'again\r', b: 'x<<y', c: '' })
  })

  it('refuses a block without its delimiter and a line of neither form', () => {
    expect(() => parseCommandFile('a<<EOF\nvalue\n')).toThrow('"a" has no closing EOF')
    expect(() => parseCommandFile('just text\n')).toThrow('not a name=value')
  })
})

describe('runBundle', () => {
  it('passes inputs as INPUT_*, runs in RUNNER_TEMP, and reads outputs, summary and state', async () => {
    const run = await runBundle({ 'image-name': 'golden' }, { entry: STEP })

    expect(run).toMatchObject({ code: 0, signal: null, stderr: '', signalsSent: [] })
    expect(run.stdout).toBe('input golden\n')
    expect(run.outputs).toEqual({
      multi: 'line 1\nline 2',
      plain: 'last',
      version: process.version,
      'exec-args': ''
    })
    expect(run.summary).toBe('### ran in true\n')
    expect(run.state).toEqual({ image: '4242', note: 'two words' })
    expect(run.exitedAt).toBeGreaterThanOrEqual(run.startedAt)
  })

  it('runs on the runtime asked for, with node arguments before the entry', async () => {
    const run = await runBundle({}, { entry: STEP, runtime: NODE24, nodeArgs: ['--no-warnings'] })

    expect(run.outputs.version).toMatch(/^v24\./)
    expect(run.outputs['exec-args']).toBe('--no-warnings')
  })

  it('sends a signal once the output shows a text, or after a time', async () => {
    const onText = await runBundle(
      {},
      { entry: STEP, env: { HOLD: '1' }, signals: [{ signal: 'SIGTERM', onOutput: 'holding' }] }
    )
    expect(onText.code).toBe(3)
    expect(onText.stdout).toContain('holding\ngot SIGTERM\n')
    expect(onText.signalsSent.map(sent => sent.signal)).toEqual(['SIGTERM'])

    const later = await runBundle(
      {},
      { entry: STEP, env: { HOLD: '1' }, signals: [{ signal: 'SIGTERM', afterMs: 300 }] }
    )
    expect(later.code).toBe(3)
    expect(later.signalsSent[0].at - later.startedAt).toBeGreaterThanOrEqual(300)
  })

  it('kills a step still running at its limit', async () => {
    const run = await runBundle(
      {},
      {
        entry: STEP,
        env: { HOLD: 'ignore' },
        signals: [{ signal: 'SIGTERM', onOutput: 'holding' }],
        limitMs: 500
      }
    )
    expect(run.code).toBeNull()
    expect(run.signal).toBe('SIGKILL')
    expect(run.stdout).toContain('ignored SIGTERM')
  })
})

describe('runPostStep', () => {
  it("gives a second process the main step's saved state as STATE_*, and the same inputs", async () => {
    const inputs = { 'image-name': 'golden' }
    const main = await runBundle(inputs, { entry: STEP })
    const post = await runPostStep(main, inputs, { entry: STEP })

    expect(post.code).toBe(0)
    expect(JSON.parse(post.outputs['post-saw'])).toEqual({
      image: '4242',
      note: 'two words',
      name: 'golden'
    })
  })
})
