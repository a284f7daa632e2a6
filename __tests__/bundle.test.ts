import { afterAll, describe, expect, it } from '@jest/globals'
import { NODE24, expectExplainedFailure, runAction } from './helpers/run-action.js'
import { ACCESS_KEY, SECRET_KEY, actionsCalled, baseInputs, simulatorPool } from './helpers/sim.js'

// dist/index.js run as the runner runs it: INPUT_* variables, output and summary files, real time
// and real signals. Most scenarios run in-process (scenario-*.test.ts); these prove the bundle.
const CREATE = 'createMemberServerImageInstance'
const DETAIL = 'getMemberServerImageInstanceDetail'

// The cases are independent, each with its own simulator: they run side by side.
const pool = simulatorPool()
afterAll(() => pool.closeAll())

describe.each([
  ['Node 20 (this machine)', process.execPath],
  ['Node 24 (the runtime action.yml declares)', NODE24]
])('the bundle on %s', (_name, runtime) => {
  it.concurrent('creates an image, waits, and sets the outputs and the summary', async () => {
    const sim = await pool.start({ createMs: 300 })
    const run = await runAction(baseInputs(sim, { 'image-name': 'golden-web-1' }), { runtime })

    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(run.outputs).toMatchObject({
      'image-instance-no': image.no,
      'image-name': 'golden-web-1',
      'image-status': 'CREAT',
      hypervisor: 'XEN'
    })
    expect(JSON.parse(run.outputs.image).memberServerImageInstanceNo).toBe(image.no)
    expect(run.outputs.outcome).toBe('created')
    expect(run.summary).toMatch(/^### /)
  })

  it.concurrent('refuses a bad input before any request, naming it', async () => {
    const sim = await pool.start()
    const run = await runAction(baseInputs(sim, { 'wait-timeout': 'forever' }), { runtime })

    expectExplainedFailure(run)
    expect(run.stdout).toMatch(/^::error::.*"wait-timeout"/m)
    expect(sim.requests).toHaveLength(0)
  })

  it.concurrent(
    'stops waiting at once on SIGINT, naming the image it leaves in the outputs',
    async () => {
      const sim = await pool.start({ createMs: 60_000 })
      const run = await runAction(baseInputs(sim, { 'poll-interval': '5s' }), {
        runtime,
        signals: [{ signal: 'SIGINT', onOutput: 'Waiting up to' }],
        limitMs: 5_000
      })

      expect(run.signalsSent).toHaveLength(1)
      // At once: long before the next poll, 5 s away.
      expect(run.exitedAt - run.signalsSent[0].at).toBeLessThan(2_000)
      expect(run.signal).toBeNull()
      expectExplainedFailure(run)
      const [image] = sim.images()
      expect(run.outputs).toMatchObject({ outcome: 'cancelled', 'image-instance-no': image.no })
      expect(run.stdout).toMatch(new RegExp(`^::error::.*SIGINT.*\\b${image.no}\\b`, 'm'))
      expect(run.stdout).toContain(`image-instance-no: ${image.no}`)
    }
  )

  it.concurrent(
    'on SIGTERM during a create whose reply never comes, looks the image up and names it',
    async () => {
      const sim = await pool.start({ createMs: 60_000 })
      sim.addFault({ action: CREATE, kind: 'stall', when: 'after' })
      const run = await runAction(baseInputs(sim, { 'image-name': 'golden-web-1' }), {
        runtime,
        signals: [{ signal: 'SIGTERM', onOutput: `POST /vserver/v2/${CREATE}` }],
        env: { RUNNER_DEBUG: '1' },
        limitMs: 5_000
      })

      expectExplainedFailure(run)
      const [image] = sim.images()
      expect(run.signalsSent.map(sent => sent.signal)).toEqual(['SIGTERM'])
      expect(run.outputs).toMatchObject({ outcome: 'cancelled', 'image-instance-no': image.no })
      expect(run.stdout).toMatch(new RegExp(`^::error::.*SIGTERM.*\\b${image.no}\\b`, 'm'))
      // The look-up after the lost reply found it by name.
      expect(actionsCalled(sim).slice(-1)).toEqual(['getMemberServerImageInstanceList'])
    }
  )

  it.concurrent(
    'with RUNNER_DEBUG=1 masks both keys first and prints no key, signature or auth header',
    async () => {
      const sim = await pool.start({ createMs: 300 })
      sim.addFault({ action: DETAIL, kind: 'throttle' })
      const run = await runAction(baseInputs(sim), { runtime, env: { RUNNER_DEBUG: '1' } })

      expect(run.code).toBe(0)
      const lines = run.stdout.split('\n')
      expect(lines.slice(0, 2)).toEqual([`::add-mask::${ACCESS_KEY}`, `::add-mask::${SECRET_KEY}`])
      const rest = lines.slice(2).join('\n') + run.stderr + run.summary
      expect(rest).toContain('::debug::POST /vserver/v2/')
      expect(rest).not.toContain(ACCESS_KEY)
      expect(rest).not.toContain(SECRET_KEY)
      for (const request of sim.requests) {
        expect(rest).not.toContain(request.headers['x-ncp-apigw-signature-v2'])
      }
      expect(rest).not.toMatch(/x-ncp-(apigw-signature|iam-access-key)/i)
    }
  )
})
