import { afterEach, describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import type { RecordedRequest, Simulator } from '../simulator/ncp-simulator.mjs'
import { runPostStep } from '../scripts/run-bundle.mjs'
import { NODE24, runAction } from './helpers/run-action.js'
import { baseInputs, count, startSim } from './helpers/sim.js'

// The post step as the runner runs it: a second process with the main step's saved state as
// STATE_* variables (dist/post.js). The kill matrix SIGKILLs the main step at each phase of
// stop-server and checks that the post step leaves no server stopped silently.
const STOP = 'stopServerInstances'
const START = 'startServerInstances'
const SERVER = 'getServerInstanceDetail'
const IMAGE = 'getMemberServerImageInstanceDetail'
const CREATE = 'createMemberServerImageInstance'

const sims: Simulator[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map(sim => sim.close()))
})

/** Each phase: when to kill, given the requests so far (this one last). */
const PHASES: [string, (requests: readonly RecordedRequest[]) => boolean][] = [
  ['stop sent', r => r[r.length - 1].action === STOP],
  ['waiting for NSTOP', r => r[r.length - 1].action === SERVER && r.some(x => x.action === STOP)],
  // The create is carried out, its answer stalls (a fault) and main is killed before it comes:
  // the journal has the create in flight, no number.
  ['create in flight', r => r[r.length - 1].action === CREATE],
  // The first poll: main has the image's number.
  ['image INIT', r => r[r.length - 1].action === IMAGE],
  ['start sent', r => r[r.length - 1].action === START],
  ['server booting', r => r[r.length - 1].action === SERVER && r.some(x => x.action === START)]
]

async function killAndPost(phase: string, killHere: (r: readonly RecordedRequest[]) => boolean) {
  let child: ChildProcess | undefined
  let killed = false
  const sim = await startSim({
    stopMs: 300,
    startMs: 300,
    createMs: 600,
    onRequest: () => {
      if (killed || !child || !killHere(sim.requests)) return
      killed = true
      child.kill('SIGKILL')
    }
  })
  sims.push(sim)
  if (phase === 'create in flight') sim.addFault({ action: CREATE, kind: 'stall', when: 'after' })
  const inputs = baseInputs(sim, { 'stop-server': 'true', 'image-name': 'golden-web-1' })
  const main = await runAction(inputs, {
    runtime: NODE24,
    onOutput: (_, spawned) => (child = spawned),
    limitMs: 15_000
  })
  const requestsByMain = sim.requests.length
  const post = await runPostStep(main, inputs, { runtime: NODE24, limitMs: 15_000 })
  const server = sim.servers().find(s => s.serverInstanceNo === '1001')!
  return { phase, sim, main, post, requestsByMain, server }
}

describe('the post step of the bundle', () => {
  it('after a SIGKILL of main at each phase of stop-server, starts the server or fails naming it', async () => {
    const runs = await Promise.all(PHASES.map(([phase, when]) => killAndPost(phase, when)))
    for (const run of runs) {
      const { phase, main, post, server } = run
      expect({ phase, killed: main.signal }).toEqual({ phase, killed: 'SIGKILL' })
      expect(JSON.parse(main.state.journal)).toMatchObject({ stopped: { no: '1001' } })
      // The matrix allows a post step that fails naming the server; these phases all end RUN.
      expect({ phase, code: post.code, server }).toMatchObject({
        phase,
        code: 0,
        server: { status: 'RUN', operation: 'NULL' }
      })
      expect(post.summary).toMatch(/^- ✅ .*\b1001\b/m)
    }
    const byPhase = Object.fromEntries(runs.map(run => [run.phase, run]))
    // Killed after the create: the summary names the image with the input that resumes it.
    const imaged = byPhase['image INIT']
    const imageNo = imaged.sim.images()[0].no
    expect(imaged.post.summary).toContain(`image-instance-no: ${imageNo}`)
    // Killed while the create's answer was outstanding: the post step looks the name up and names
    // the image the create made, with the input that resumes it; it creates nothing.
    const inFlight = byPhase['create in flight']
    const [made] = inFlight.sim.images()
    expect(JSON.parse(inFlight.main.state.journal)).toMatchObject({
      creating: { name: 'golden-web-1' }
    })
    expect(JSON.parse(inFlight.main.state.journal)).not.toHaveProperty('image')
    expect(inFlight.sim.images()).toHaveLength(1)
    expect(count(inFlight.sim, CREATE)).toBe(1)
    expect(inFlight.post.summary).toMatch(
      new RegExp(`\\b${made.no}\\b.*image-instance-no: ${made.no}\\b`)
    )
    // A server main had started is waited for, not started a second time.
    expect(count(byPhase['server booting'].sim, START)).toBe(1)
  }, 30_000)

  it.each([
    ['Node 20', process.execPath],
    ['Node 24', NODE24]
  ])('after a clean run on %s: exit 0, no request, no line, and no wait', async (_, runtime) => {
    const sim = await startSim({ stopMs: 100, startMs: 100, createMs: 200 })
    sims.push(sim)
    const inputs = baseInputs(sim, { 'image-name': 'golden-web-1' })
    const main = await runAction(inputs, { runtime })
    expect(main.code).toBe(0)
    const before = sim.requests.length

    const post = await runPostStep(main, inputs, { runtime })

    expect(post.code).toBe(0)
    expect(sim.requests).toHaveLength(before)
    expect(post.stdout.split('\n').filter(l => l && !l.startsWith('::add-mask::'))).toEqual([])
    expect(post.stderr).toBe('')
    expect(post.summary).toBe('')
    // No wait: the 300 ms target itself is a figure of npm run bench, not a timed test.
    expect(post.exitedAt - post.startedAt).toBeLessThan(5_000)
  })
})
