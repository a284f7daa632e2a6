import { afterAll, describe, expect, it } from '@jest/globals'
import { QUICK, expectExplainedFailure, runAction } from './helpers/run-action.js'
import { baseInputs, count, simulatorPool } from './helpers/sim.js'

// The bundle, as the runner runs it, against a gateway that misbehaves the way load balancers,
// proxies and overloaded services do: every exit explains itself and keeps the image number.
const CREATE = 'createMemberServerImageInstance'
const DETAIL = 'getMemberServerImageInstanceDetail'

// The cases are independent, each with its own simulator: they run side by side.
const pool = simulatorPool()
afterAll(() => pool.closeAll())

describe('the bundle under a hostile gateway', () => {
  const quick = QUICK

  it.concurrent(
    'a create whose reply is cut off mid-body: the image is found by name and output',
    async () => {
      const sim = await pool.start({ createMs: 300 })
      sim.addFault({ action: CREATE, kind: 'cut', when: 'after' })
      const run = await runAction(baseInputs(sim, { 'image-name': 'golden-web-1', ...quick }))

      expect(run.code).toBe(0)
      expect(count(sim, CREATE)).toBe(1)
      expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    }
  )

  it.concurrent('a poll whose reply is cut off mid-body is polled again', async () => {
    const sim = await pool.start({ createMs: 300 })
    sim.addFault({ action: DETAIL, kind: 'cut' })
    const run = await runAction(baseInputs(sim, quick))

    expect(run.code).toBe(0)
    expect(run.outputs['image-status']).toBe('CREAT')
  })

  it.concurrent.each(['stall', 'trickle'] as const)(
    'polls whose bodies %s end the step within wait-timeout plus one request deadline',
    async kind => {
      const sim = await pool.start({ createMs: 60_000 })
      sim.addFault({ action: DETAIL, kind, times: 1000, intervalMs: 100 })
      const started = Date.now()
      const run = await runAction(baseInputs(sim, { ...quick, 'wait-timeout': '1s' }))
      const took = Date.now() - started

      expectExplainedFailure(run)
      expect(took).toBeLessThan(1_000 + 300 + 1_500)
      expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
      expect(run.stdout).toContain('ETIMEDOUT')
    }
  )

  it.concurrent(
    'a Retry-After longer than the wait is not slept: the step ends at wait-timeout',
    async () => {
      const sim = await pool.start({ createMs: 60_000 })
      sim.addFault({ action: DETAIL, kind: 'throttle', times: 1000, retryAfterSeconds: 10 })
      const started = Date.now()
      const run = await runAction(baseInputs(sim, { ...quick, 'wait-timeout': '1s' }))

      expectExplainedFailure(run)
      expect(Date.now() - started).toBeLessThan(1_000 + 300 + 1_500)
      const polls = sim.requests.filter(request => request.action === DETAIL)
      expect(polls.length).toBeGreaterThan(0)
      expect(polls.every(request => request.status === 429)).toBe(true)
      expect(run.outputs).toMatchObject({
        'image-instance-no': sim.images()[0].no,
        'image-status': 'INIT',
        outcome: 'timed-out'
      })
    }
  )
})
