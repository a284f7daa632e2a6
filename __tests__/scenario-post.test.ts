import { afterEach, describe, expect, it } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { JOURNAL_STATE } from '../src/model/journal-state.js'
import { STOP_SETTLE_MS } from '../src/steps/timing.js'
import {
  errorNaming,
  runPostScenario,
  runScenario,
  startScenarioSim,
  warningNaming,
  type ScenarioSim
} from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'
import { call } from './helpers/simulator-calls.js'

// The post step in-process, on the simulator's fake clock: what it finishes, and that it leaves
// alone what is finished. The kill matrix on the bundle is in bundle-post.test.ts.
const START = 'startServerInstances'
const stop = { 'stop-server': 'true', 'image-name': 'golden-web-1' }

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function server(no: string): { status: string; operation: string } {
  return sim!.servers().find(s => s.serverInstanceNo === no)!
}

/** The lines a step printed that a reader of the log sees (not masks, not debug lines). */
function visible(stdout: string): string[] {
  return stdout.split('\n').filter(line => line && !/^::(add-mask|debug)::/.test(line))
}

describe('the post step after a main step that finished', () => {
  it.each([
    ['left the server running', stop],
    ['never stopped it', { 'image-name': 'golden-web-1' }]
  ])('(%s) sends no request, prints nothing and writes no summary', async (_, extra) => {
    sim = await startScenarioSim()
    const inputs = baseInputs(sim, extra)
    const main = await runScenario(sim, inputs)
    expect(main.code).toBe(0)
    expect(JSON.parse(main.state[JOURNAL_STATE])).toMatchObject({ version: 1, ended: true })
    const before = sim.requests.length

    const post = await runPostScenario(sim, inputs, main.state)

    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(before)
    expect(visible(post.stdout)).toEqual([])
    expect(post.summary).toBe('')
    expect(post.finished).toEqual([])
  })

  it('with no saved journal (a bad input ended main before any request) does nothing', async () => {
    sim = await startScenarioSim()
    const post = await runPostScenario(sim, baseInputs(sim, { 'wait-timeout': 'soon' }), {})
    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(0)
    expect(visible(post.stdout)).toEqual([])
  })
})

describe('the post step after a cancel', () => {
  it('starts a server whose start NCP refused while the image was INIT, asking again until accepted', async () => {
    sim = await startScenarioSim({ createMs: 120_000, refuseStartWhileImaging: true })
    const inputs = baseInputs(sim, { ...stop, 'poll-interval': '10s' })
    const main = await runScenario(sim, inputs, {
      onLine: (line, cancel) => line.startsWith('Waiting up to') && cancel('SIGINT')
    })
    expect(main.result.outcome).toBe('cancelled')
    expect(server('1001').status).toBe('NSTOP')
    const startsByMain = count(sim, START)
    expect(sim.requests.filter(r => r.action === START).map(r => r.status)).toEqual([400])

    const post = await runPostScenario(sim, inputs, main.state)

    expect(post.code).toBe(0)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
    const starts = sim.requests.filter(r => r.action === START).slice(startsByMain)
    expect(starts.length).toBeGreaterThan(1)
    expect(starts.slice(0, -1).every(r => r.status === 400)).toBe(true)
    expect(starts[starts.length - 1].status).toBe(200)
    expect(post.summary).toMatch(/^- ✅ .*\b1001\b/m)
    // main ended and named the image itself: the post step does not name it again.
    expect(post.summary).not.toContain('image-instance-no')
  })

  it('waits for a server main already started (start accepted), without a second start', async () => {
    sim = await startScenarioSim({ createMs: 60_000, startMs: 30_000 })
    const inputs = baseInputs(sim, { ...stop, 'poll-interval': '5s' })
    const main = await runScenario(sim, inputs, {
      onLine: (line, cancel) => line.startsWith('Waiting up to') && cancel('SIGINT')
    })
    expect(count(sim, START)).toBe(1)
    expect(server('1001').operation).toBe('START')

    const post = await runPostScenario(sim, inputs, main.state)

    expect(post.code).toBe(0)
    expect(count(sim, START)).toBe(1)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
  })
})

describe('the post step when NCP carries out the stop late (the server still RUN when it starts)', () => {
  const DETAIL = 'getServerInstanceDetail'
  const post = (before: number) => sim!.requests.slice(before)

  it('watches a server main never saw shutting down, sees the stop land, and starts it again', async () => {
    // Main is cancelled the moment its stop reaches NCP, which carries it out 8 s later: main
    // and the post step's first read both see RUN.
    const controller = new AbortController()
    sim = await startScenarioSim({
      stopLagMs: 8_000,
      stopMs: 5_000,
      onRequest: request => {
        if (request.action === 'stopServerInstances') {
          queueMicrotask(() => controller.abort(new CancelledError('SIGINT')))
        }
      }
    })
    const inputs = baseInputs(sim, stop)
    const main = await runScenario(sim, inputs, { controller })
    expect(main.result.outcome).toBe('cancelled')
    const saved = JSON.parse(main.state[JOURNAL_STATE]).stopped
    expect(saved).toMatchObject({ no: '1001' })
    expect(saved.stopSeenAt).toBeUndefined()
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
    const before = sim.requests.length

    const run = await runPostScenario(sim, inputs, main.state)

    expect(run.code).toBe(0)
    expect(post(before)[0].action).toBe(DETAIL)
    expect(
      post(before)
        .filter(r => r.action === START)
        .map(r => r.status)
    ).toEqual([200])
    // Long after NCP would have carried out the stop, the server is running.
    sim.clock.advance(10 * 60_000)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
    expect(run.summary).toMatch(/^- ✅ .*\b1001\b/m)
  })

  it('reports a server whose stop never takes effect as running, after reading it over the settle period', async () => {
    sim = await startScenarioSim({ stopLagMs: Infinity })
    await call(sim, 'stopServerInstances', { 'serverInstanceNoList.1': '1001' })
    const stoppedAt = sim.clock.now()
    const journal = {
      version: 1,
      stopped: { no: '1001', name: 'web', stoppedAt, stopAccepted: true }
    }
    const run = await runPostScenario(sim, baseInputs(sim, stop), {
      [JOURNAL_STATE]: JSON.stringify(journal)
    })
    expect(run.code).toBe(0)
    const reads = post(1)
    expect(reads.every(r => r.action === DETAIL)).toBe(true)
    expect(reads.length).toBeGreaterThanOrEqual(4)
    expect(reads[reads.length - 1].at - reads[0].at).toBeGreaterThanOrEqual(STOP_SETTLE_MS)
    expect(run.finished).toEqual([expect.objectContaining({ ok: true })])
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
  })

  it('trusts RUN at once (one read) when main saw the stop take effect', async () => {
    sim = await startScenarioSim()
    const journal = {
      version: 1,
      stopped: { no: '1001', name: 'web', stoppedAt: 1, stopSeenAt: 2 }
    }
    const run = await runPostScenario(sim, baseInputs(sim, stop), {
      [JOURNAL_STATE]: JSON.stringify(journal)
    })
    expect(run.code).toBe(0)
    expect(actionsCalled(sim)).toEqual([DETAIL])
  })
})

describe('the post step after a killed main step', () => {
  it('names the image in the summary with the exact input that resumes it; no request', async () => {
    sim = await startScenarioSim()
    const journal = { version: 1, image: { no: '900123', name: 'golden-web-1', status: 'INIT' } }
    const post = await runPostScenario(sim, baseInputs(sim), {
      [JOURNAL_STATE]: JSON.stringify(journal)
    })
    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(0)
    expect(post.summary).toMatch(/900123.*image-instance-no: 900123\b/)
  })

  it('fails naming the server and its state when it cannot start it within post-timeout', async () => {
    sim = await startScenarioSim({ failStart: true })
    const journal = { version: 1, stopped: { no: '3001', name: 'db-rhv-1', stoppedAt: 1 } }
    const post = await runPostScenario(sim, baseInputs(sim, { 'post-timeout': '2m' }), {
      [JOURNAL_STATE]: JSON.stringify(journal)
    })
    expect(post.code).toBe(1)
    expect(post.stdout).toMatch(errorNaming('3001', 'NSTOP'))
    expect(post.summary).toMatch(/^### ❌/m)
    expect(count(sim, START)).toBeGreaterThan(1)
    const starts = sim.requests.filter(r => r.action === START)
    expect(starts[starts.length - 1].at - starts[0].at).toBeLessThanOrEqual(120_000)
    expect(server('3001').status).toBe('NSTOP')
  })

  it.each([
    ['not JSON', '{"version":1,"stopped":'],
    ['of another version', JSON.stringify({ version: 2, stopped: { no: '1001' } })],
    ['naming no server number', JSON.stringify({ version: 1, stopped: { no: '1001; x' } })],
    ['with a stopped entry that is no object', JSON.stringify({ version: 1, stopped: 'yes' })]
  ])('with a journal %s, warns and acts on nothing', async (_, text) => {
    sim = await startScenarioSim()
    const post = await runPostScenario(sim, baseInputs(sim), { [JOURNAL_STATE]: text })
    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(0)
    expect(post.stdout).toMatch(warningNaming('journal'))
  })
})

describe('the post step after a main step killed while its create was in flight', () => {
  const creating = {
    name: 'golden-web-1',
    kind: 'createMemberServerImageInstance',
    serverNo: '1001',
    sentAt: Date.UTC(2026, 11, 1, 7, 33, 21)
  }
  const state = (entry: unknown = creating): Record<string, string> => ({
    [JOURNAL_STATE]: JSON.stringify({ version: 1, creating: entry })
  })

  it('looks the name up and names the image made from the server, with the input that resumes it', async () => {
    sim = await startScenarioSim({
      images: [
        {
          kind: 'member',
          no: '900077',
          name: 'golden-web-1',
          serverInstanceNo: '2002',
          status: 'CREAT'
        },
        {
          kind: 'member',
          no: '900123',
          name: 'golden-web-1',
          serverInstanceNo: '1001',
          status: 'INIT'
        }
      ]
    })
    const post = await runPostScenario(sim, baseInputs(sim), state())
    expect(post.code).toBe(0)
    expect(post.summary).toMatch(/\b900123\b.*image-instance-no: 900123\b/)
    expect(post.summary).not.toMatch(/\b900077\b/)
    expect(post.stdout).toMatch(/\b900123\b.*image-instance-no: 900123\b/)
    expect(post.finished).toEqual([expect.objectContaining({ ok: true })])
    // Only the look: nothing is created, deleted or waited for.
    expect(actionsCalled(sim)).toEqual(['getMemberServerImageInstanceList'])
  })

  it('says that no image of the name exists (a warning, and in the summary), creating nothing', async () => {
    sim = await startScenarioSim()
    const post = await runPostScenario(sim, baseInputs(sim), state())
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(warningNaming('golden-web-1', '1001', 'KR'))
    expect(post.summary).toMatch(/golden-web-1.*\bKR\b/)
    expect(actionsCalled(sim)).toEqual(['getMemberServerImageInstanceList'])
    expect(sim.images()).toEqual([])
  })

  it('leaves the create alone once the journal has the image: the image is named, no request', async () => {
    sim = await startScenarioSim()
    const image = { no: '900123', name: 'golden-web-1', status: 'INIT' }
    const post = await runPostScenario(sim, baseInputs(sim), {
      [JOURNAL_STATE]: JSON.stringify({ version: 1, creating, image })
    })
    expect(sim.requests).toHaveLength(0)
    expect(post.summary).toMatch(/image-instance-no: 900123\b/)
  })

  it('warns and acts on nothing when the entry is malformed', async () => {
    sim = await startScenarioSim()
    const post = await runPostScenario(sim, baseInputs(sim), state({ ...creating, kind: 'x' }))
    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(0)
    expect(post.stdout).toMatch(warningNaming('journal', 'creating'))
  })
})
