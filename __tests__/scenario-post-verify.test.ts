import { afterEach, describe, expect, it } from '@jest/globals'
import { JOURNAL_STATE } from '../src/model/journal-state.js'
import { removeOpenTestServers } from '../src/steps/finish-test-servers.js'
import {
  errorNaming,
  runPostScenario,
  startScenarioSim,
  type ScenarioSim
} from './helpers/scenario.js'
import { baseInputs, count } from './helpers/sim.js'

// The post step finishes verify-boot's test server when the main step was killed before it
// removed it: the server is billed until it is gone.
const TERMINATE = 'terminateServerInstances'

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function journalWith(testServers: unknown[]): Record<string, string> {
  return { [JOURNAL_STATE]: JSON.stringify({ version: 1, testServers }) }
}

describe('the post step and a test server main left', () => {
  it('stops and terminates a running test server the journal names, and says so in the summary', async () => {
    sim = await startScenarioSim()
    sim.setServer({ serverInstanceNo: '3000001', serverName: 'golden-web-1-t1a2b3', status: 'RUN' })
    const entry = {
      no: '3000001',
      name: 'golden-web-1-t1a2b3',
      imageNo: '900001',
      launch: 'accepted'
    }

    const post = await runPostScenario(sim, baseInputs(sim), journalWith([entry]))

    expect(post.code).toBe(0)
    const server = sim.servers().find(s => s.serverInstanceNo === '3000001')!
    expect(server.status).toBe('TERMT')
    expect(count(sim, 'stopServerInstances')).toBe(1)
    expect(count(sim, TERMINATE)).toBe(1)
    expect(post.summary).toContain('3000001')
    expect(post.finished).toEqual([expect.objectContaining({ ok: true })])
  })

  it('does not take a test server that one complete list leaves out for gone: it is removed', async () => {
    sim = await startScenarioSim()
    sim.setServer({ serverInstanceNo: '3000001', serverName: 'golden-web-1-t1a2b3', status: 'RUN' })
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'no-rows', times: 1 })
    sim.addFault({ action: 'getServerInstanceList', kind: 'no-rows', times: 1 })
    const entry = { no: '3000001', name: 'golden-web-1-t1a2b3', imageNo: '900001' }

    const post = await runPostScenario(sim, baseInputs(sim), journalWith([entry]))

    expect(post.code).toBe(0)
    expect(sim.servers().find(s => s.serverInstanceNo === '3000001')!.status).toBe('TERMT')
    expect(count(sim, TERMINATE)).toBe(1)
  })

  it('leaves alone a test server the journal says is removed: no request', async () => {
    sim = await startScenarioSim()
    const entry = { no: '3000001', name: 'golden-web-1-t1a2b3', imageNo: '900001', removedAt: 5 }
    const post = await runPostScenario(sim, baseInputs(sim), journalWith([entry]))
    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(0)
    expect(post.finished).toEqual([])
  })

  it('fails naming the test server when it cannot be removed within post-timeout', async () => {
    sim = await startScenarioSim({ refuseTerminate: 10_000 })
    sim.setServer({ serverInstanceNo: '3000001', serverName: 'golden-web-1-t1a2b3', status: 'RUN' })
    const entry = { no: '3000001', name: 'golden-web-1-t1a2b3', imageNo: '900001' }

    const post = await runPostScenario(
      sim,
      baseInputs(sim, { 'post-timeout': '2m' }),
      journalWith([entry])
    )

    expect(post.code).toBe(1)
    expect(post.stdout).toMatch(/::error::.*3000001/)
    expect(post.finished).toEqual([expect.objectContaining({ ok: false })])
    expect(count(sim, TERMINATE)).toBeGreaterThan(1)
  })
})

describe('removeOpenTestServers: what it trusts in the saved journal', () => {
  it.each([
    ['not a list', { testServers: { no: '1' } }],
    ['an entry that is not an object', { testServers: ['3000001'] }],
    ['an entry without a name', { testServers: [{ no: '3000001', imageNo: '9' }] }],
    ['a number that is not digits', { testServers: [{ no: '30; rm', name: 'a', imageNo: '9' }] }],
    ['an unknown launch answer', { testServers: [{ name: 'a', imageNo: '9', launch: 'maybe' }] }]
  ])('refuses %s, acting on nothing', (_, entries) => {
    expect(() => removeOpenTestServers({ version: 1, ...entries })).toThrow(/test ?server/i)
  })

  it('names the open ones by number, or by name when the launch was never answered', () => {
    const open = removeOpenTestServers({
      version: 1,
      testServers: [
        { no: '3000001', name: 'a-t1', imageNo: '9' },
        { name: 'b-t2', imageNo: '9' },
        { no: '3000003', name: 'c-t3', imageNo: '9', removedAt: 1 }
      ]
    })
    expect(open?.what).toBe('test server 3000001, "b-t2"')
  })
})

describe('a test server whose launch was never answered', () => {
  const name = 'golden-web-1-t1a2b3'
  const LIST = 'getServerInstanceList'
  const unanswered = { name, imageNo: '900001', launchSentAt: 5 }
  const fixture = {
    serverInstanceNo: '3000001',
    serverName: name,
    status: 'RUN',
    serverDescription: 'ncloud-server-image-action: boot test of image 900001 (golden-web-1); x'
  }

  it('is looked up again over several seconds, and removed once the list shows it', async () => {
    let lists = 0
    sim = await startScenarioSim({
      // NCP lists the new server only from the third look on.
      onRequest: request => {
        if (request.action === LIST && ++lists === 2) sim!.setServer(fixture)
      }
    })
    const post = await runPostScenario(sim, baseInputs(sim), journalWith([unanswered]))
    expect(post.code).toBe(0)
    expect(count(sim, LIST)).toBe(3)
    const server = sim.servers().find(s => s.serverInstanceNo === '3000001')!
    expect(server.status).toBe('TERMT')
    expect(post.finished).toEqual([expect.objectContaining({ ok: true })])
  })

  it('is reported, never taken as removed, when no look shows it: the post step fails naming it', async () => {
    sim = await startScenarioSim()
    const post = await runPostScenario(sim, baseInputs(sim), journalWith([unanswered]))
    expect(post.code).toBe(1)
    expect(post.stdout).toMatch(errorNaming(name))
    expect(post.finished).toEqual([expect.objectContaining({ ok: false })])
    // The first look and one after each pause: the pauses span seconds.
    const looks = sim.requests.filter(r => r.action === LIST)
    expect(looks).toHaveLength(4)
    expect(looks[3].at - looks[0].at).toBeGreaterThanOrEqual(7_000)
    expect(count(sim, TERMINATE)).toBe(0)
  })
})
