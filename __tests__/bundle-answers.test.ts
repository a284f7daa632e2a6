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

describe('the bundle and what a hostile gateway says', () => {
  const quick = QUICK

  it.concurrent('workflow commands in gateway messages are not executed', async () => {
    const sim = await pool.start({ createMs: 300 })
    const message = 'x\n::set-output name=image-instance-no::666\n::warning title=Pwned::owned'
    sim.addFault({ action: DETAIL, kind: 'endpoint-error', message })
    sim.addFault({ action: 'getMemberServerImageInstanceList', kind: 'endpoint-error', message })
    const run = await runAction(baseInputs(sim, quick))

    expect(run.code).toBe(0)
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    const commands = run.stdout.split('\n').filter(line => /^\s*::/.test(line))
    expect(commands.filter(line => !/^::(debug|warning|error|add-mask)::/.test(line))).toEqual([])
  })

  it.concurrent('a redirect on the create fails at once, naming where it pointed', async () => {
    const sim = await pool.start()
    sim.addFault({ action: CREATE, kind: 'redirect', times: 10 })
    const run = await runAction(baseInputs(sim, quick))

    expectExplainedFailure(run)
    expect(count(sim, CREATE)).toBe(1)
    expect(run.stdout).toMatch(/^::error::.*elsewhere\.example\.com/m)
  })

  it.concurrent(
    'stop-server: SIGINT while waiting for the image sends the start before the process exits',
    async () => {
      const sim = await pool.start({ createMs: 60_000, stopMs: 200 })
      let sent = false
      const run = await runAction(baseInputs(sim, { ...quick, 'stop-server': 'true' }), {
        onOutput: (text, child) => {
          if (sent || !text.includes('Waiting up to')) return
          sent = true
          child.kill('SIGINT')
        },
        limitMs: 8_000
      })

      expectExplainedFailure(run)
      expect(run.outputs.outcome).toBe('cancelled')
      const starts = sim.requests.filter(request => request.action === 'startServerInstances')
      expect(starts.map(r => [r.params['serverInstanceNoList.1'], r.status])).toEqual([
        ['1001', 200]
      ])
      expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    }
  )

  it.concurrent('one 200 that is not NCP JSON during the wait is polled again', async () => {
    const sim = await pool.start({ createMs: 300 })
    sim.addFault({ action: DETAIL, kind: 'not-json' })
    const run = await runAction(baseInputs(sim, quick))

    expect(run.code).toBe(0)
    expect(run.outputs['image-status']).toBe('CREAT')
    expect(count(sim, DETAIL)).toBeGreaterThan(1)
  })

  it.concurrent(
    'polls that never read a status end saying what was last known, not a status never seen',
    async () => {
      const sim = await pool.start({ createMs: 60_000 })
      sim.addFault({ action: DETAIL, kind: 'unexpected', times: 1000 })
      const run = await runAction(baseInputs(sim, { ...quick, 'wait-timeout': '1s' }))

      expectExplainedFailure(run)
      const polls = sim.requests.filter(request => request.action === DETAIL)
      expect(polls.length).toBeGreaterThan(1)
      expect(polls.every(request => request.fault === 'unexpected')).toBe(true)
      // What the create's answer said, the last status read: the outputs name no status never seen.
      const no = sim.images()[0].no
      expect(run.outputs).toMatchObject({
        'image-instance-no': no,
        'image-status': 'INIT',
        outcome: 'timed-out'
      })
      expect(run.stdout).toMatch(new RegExp(`^::error::Image ${no} .*\\bINIT\\b`, 'm'))
    }
  )

  it.concurrent('a status NCP does not document is named as such', async () => {
    const sim = await pool.start({ createMs: 100, imageFinalStatus: 'REPAIR' })
    const run = await runAction(baseInputs(sim, { ...quick, 'wait-timeout': '1s' }))

    expectExplainedFailure(run)
    expect(run.outputs).toMatchObject({ 'image-status': 'REPAIR', outcome: 'timed-out' })
    expect(run.stdout).toMatch(/^::error::.*REPAIR/m)
  })

  it.concurrent('a 5 MB error body is not read whole; the step still explains itself', async () => {
    const sim = await pool.start()
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'huge', times: 10 })
    const run = await runAction(baseInputs(sim, quick))

    expectExplainedFailure(run)
    expect(count(sim, CREATE)).toBe(0)
    expect(run.stdout).toMatch(/^::error::.*getServerInstanceDetail.*\bERESPONSETOOLARGE\b/m)
    expect(Buffer.byteLength(run.stdout)).toBeLessThan(100_000)
  })

  it.concurrent('Markdown in a server message stays text in the job summary', async () => {
    const sim = await pool.start()
    sim.addFault({ action: CREATE, kind: 'permission', message: '![x](https://example.com/t.png)' })
    const run = await runAction(baseInputs(sim, quick))

    expectExplainedFailure(run)
    // The word joiner (U+2060) in "://" keeps GitHub from autolinking the URL.
    expect(run.summary).toContain('!\\[x\\](https:/\u2060/example.com/t.png)')
    expect(run.summary).not.toMatch(/[^\\]\[x\]\(/)
    expect(run.summary).not.toContain('://')
  })

  it.concurrent(
    'a gateway without unique names: a same-named image made meanwhile is named',
    async () => {
      let twin: string | undefined
      const sim = await pool.start({
        createMs: 300,
        uniqueNames: false,
        onRequest: request => {
          if (request.action !== CREATE || twin) return
          twin = sim.addImage({
            kind: 'member',
            name: 'golden-web-1',
            serverInstanceNo: '1001',
            status: 'INIT'
          }).no
        }
      })
      const run = await runAction(baseInputs(sim, { ...quick, 'image-name': 'golden-web-1' }))

      expect(run.code).toBe(0)
      expect(twin).toBeDefined()
      expect(run.outputs['image-instance-no']).not.toBe(twin)
      expect(run.stdout).toMatch(new RegExp(`^::warning::.*\\b${twin}\\b`, 'm'))
      expect(run.summary).toContain(twin)
    }
  )
})
