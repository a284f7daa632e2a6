import { afterEach, describe, expect, it } from '@jest/globals'
import { resolve } from 'node:path'
import type { Simulator } from '../simulator/ncp-simulator.mjs'
import { NODE24, expectExplainedFailure, runAction } from './helpers/run-action.js'
import { baseInputs, startSim } from './helpers/sim.js'

// Every deadline is a real timer that fires however much garbage is collected meanwhile. On
// Node 20, AbortSignal.any() held its AbortSignal.timeout() only weakly: after a collection the
// deadline never fired, and a request that hung made the step hang with it.
const CREATE = 'createMemberServerImageInstance'
const DETAIL = 'getMemberServerImageInstanceDetail'
const FORCE_GC = resolve(import.meta.dirname, 'helpers/force-gc.cjs')

const sims: Simulator[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map(sim => sim.close()))
})

describe('deadlines under constant garbage collection', () => {
  it('a create and a poll that never answer end on time, on Node 20 and Node 24', async () => {
    const runs = [process.execPath, NODE24].map(async runtime => {
      const sim = await startSim({ createMs: 60_000 })
      sims.push(sim)
      sim.addFault({ action: CREATE, kind: 'stall', when: 'after' })
      sim.addFault({ action: DETAIL, kind: 'stall', times: 100 })
      const inputs = baseInputs(sim, {
        'request-timeout': '2s',
        'wait-timeout': '2s',
        'poll-interval': '500ms'
      })
      const started = Date.now()
      const run = await runAction(inputs, {
        runtime,
        env: { NODE_OPTIONS: `--expose-gc --require ${FORCE_GC}` },
        limitMs: 15_000
      })
      return { run, sim, elapsed: Date.now() - started }
    })

    for (const { run, sim, elapsed } of await Promise.all(runs)) {
      expect(run.stderr).toBe('')
      expect(run.signal).toBeNull()
      expectExplainedFailure(run)
      const [image] = sim.images()
      // The create and the polls each ended at their deadline: the log names both timeouts.
      expect(run.stdout).toMatch(new RegExp(`\\b${CREATE}\\b.*\\bETIMEDOUT\\b`))
      expect(run.stdout).toMatch(new RegExp(`\\b${DETAIL}\\b.*\\bETIMEDOUT\\b`))
      expect(sim.requests.filter(request => request.action === CREATE)).toHaveLength(1)
      expect(run.stdout).toMatch(new RegExp(`^::error::Image ${image.no} .*\\b2s\\b`, 'm'))
      expect(run.outputs).toMatchObject({ 'image-instance-no': image.no, outcome: 'timed-out' })
      // Create (2 s) + look-up + wait (2 s, its last poll cut off by the request deadline).
      expect(elapsed).toBeLessThan(10_000)
    }
  })
})
