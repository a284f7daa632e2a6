import { afterAll, describe, expect, it } from '@jest/globals'
import { NODE24, expectExplainedFailure, runAction } from './helpers/run-action.js'
import { baseInputs, simulatorPool } from './helpers/sim.js'

// verify-boot in the bundle, with the runner's SIGINT while the test server boots: main sends the
// test server's stop at once and removes it in the seconds the runner leaves.
// The cases are independent, each with its own simulator: they run side by side.
const pool = simulatorPool()
afterAll(() => pool.closeAll())

describe('verify-boot in the bundle', () => {
  // Both runtimes side by side (it.concurrent runs side by side only within one describe).
  it.concurrent.each([
    ['Node 20 (this machine)', process.execPath],
    ['Node 24 (the runtime action.yml declares)', NODE24]
  ])(
    'on %s, SIGINT while the test server boots: its stop goes out at once, and it is terminated',
    async (_name, runtime) => {
      const sim = await pool.start({ createMs: 300, bootMs: 60_000, stopMs: 300, terminateMs: 300 })
      const run = await runAction(baseInputs(sim, { 'verify-boot': 'true' }), {
        runtime,
        env: { RUNNER_DEBUG: '1' },
        signals: [{ signal: 'SIGINT', onOutput: 'createServerInstances: HTTP 200' }],
        limitMs: 9_000
      })

      expectExplainedFailure(run)
      expect(run.signal).toBeNull()
      expect(run.outputs.outcome).toBe('cancelled')
      const server = sim.servers().find(s => Number(s.serverInstanceNo) >= 3000001)!
      expect(run.outputs['verify-server-no']).toBe(server.serverInstanceNo)
      const stop = sim.requests.find(r => r.action === 'stopServerInstances')!
      expect(stop.at - run.signalsSent[0].at).toBeLessThan(1_000)
      expect(
        sim.requests.filter(r => r.action === 'terminateServerInstances').map(r => r.status)
      ).toEqual([200])
      expect(server.status).toBe('TERMT')
      // Within the runner's window: SIGTERM comes 7.5 s after SIGINT.
      expect(run.exitedAt - run.signalsSent[0].at).toBeLessThan(7_500)
    }
  )
})
