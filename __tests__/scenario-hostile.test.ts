import { afterEach, describe, expect, it } from '@jest/globals'
import {
  errorNaming,
  runScenario,
  startScenarioSim,
  warningNaming,
  type ScenarioSim
} from './helpers/scenario.js'
import { baseInputs, count } from './helpers/sim.js'

// A gateway that misbehaves as load balancers, proxies and overloaded services do.
const CREATE = 'createMemberServerImageInstance'
const DETAIL = 'getMemberServerImageInstanceDetail'
const LIST = 'getMemberServerImageInstanceList'
const NAME = 'golden-web-1'

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

/**
 * Lines that the runner would read as a workflow command the action did not mean to give. The
 * runner splits at \n, \r\n and a lone \r, and trims a line with .NET's TrimStart, whose white
 * space takes in U+0085 (NEL) too.
 */
function foreignCommands(stdout: string): string[] {
  const ours = /^::(debug|warning|error|add-mask)::/
  return stdout
    .split(/\r\n|\r|\n/)
    .filter(line => /^[\s\u0085]*::/.test(line) || line.includes('##['))
    .filter(line => !ours.test(line))
}

/** U+2060 WORD JOINER, which the summary puts into "://" and "www." so that no URL is autolinked. */
const WJ = '\u2060'

describe('a reply cut off, stalled or trickled never ends the run silently', () => {
  it('a create whose answer is cut off mid-body is settled by a lookup: one image, its number output', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'cut', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(0)
    expect(sim.images()).toHaveLength(1)
    expect(count(sim, CREATE)).toBe(1)
    expect(sim.requests.find(r => r.action === CREATE)?.fault).toBe('cut')
    expect(run.result.origin).toBe('adopted')
    expect(run.outputs).toMatchObject({
      'image-instance-no': sim.images()[0].no,
      'image-status': 'CREAT'
    })
  })

  it.each(['cut', 'stall', 'trickle'] as const)(
    'a poll answered with a %s body is abandoned at its deadline and polled again',
    async kind => {
      sim = await startScenarioSim()
      sim.addFault({ action: DETAIL, kind, intervalMs: 50 })
      const run = await runScenario(
        sim,
        baseInputs(sim, { 'image-name': NAME, 'request-timeout': '200ms' })
      )

      expect(run.code).toBe(0)
      expect(run.outputs['image-status']).toBe('CREAT')
      const polls = sim.requests.filter(r => r.action === DETAIL)
      expect(polls[0].fault).toBe(kind)
      expect(polls.length).toBeGreaterThan(1)
    }
  )

  it('a create whose answer stalls is abandoned at the request deadline and found by name, not sent again', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'stall', when: 'after' })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'request-timeout': '200ms' })
    )

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(1)
    expect(run.stdout).toContain('ETIMEDOUT')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })
})

describe('wait-timeout holds whatever the gateway does', () => {
  it('polls that always fail with Retry-After end at the timeout, saying what was last known and when', async () => {
    sim = await startScenarioSim({ createMs: 3_600_000 })
    sim.addFault({ action: DETAIL, kind: 'endpoint-error', times: 1000, retryAfterSeconds: 10 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '5s', 'poll-interval': '1s' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('timed-out')
    const waitStarted = sim.requests.find(r => r.action === DETAIL)!.at
    const last = sim.requests[sim.requests.length - 1].at
    // No retry sleeps past the deadline: the last request starts within the 5 s.
    expect(last - waitStarted).toBeLessThanOrEqual(5_000)
    expect(run.result.elapsedMs).toBeLessThan(6_000)
    const no = sim.images()[0].no
    expect(sim.requests.filter(r => r.action === DETAIL).every(r => r.status === 503)).toBe(true)
    // What was last read (the create's answer), and the failure since, not a status never seen.
    expect(run.stdout).toMatch(errorNaming(no, `"${NAME}"`, 'INIT', 'HTTP 503'))
    expect(run.outputs).toMatchObject({ 'image-instance-no': no, 'image-status': 'INIT' })
  })

  it('a retry never sleeps past the timeout, even when Retry-After asks for longer', async () => {
    sim = await startScenarioSim({ createMs: 3_600_000 })
    sim.addFault({ action: DETAIL, kind: 'throttle', times: 1000, retryAfterSeconds: 10 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '5s', 'poll-interval': '5s' })
    )

    expect(run.result.outcome).toBe('timed-out')
    expect(sim.clock.delays.every(ms => ms <= 5_000)).toBe(true)
  })
})

describe('the sweep after the wait takes one request deadline at most', () => {
  it.each([
    ['throttled with Retry-After: 10', { kind: 'throttle', retryAfterSeconds: 10 }],
    ['failing with Retry-After: 10', { kind: 'endpoint-error', retryAfterSeconds: 10 }]
  ] as const)(
    'a list %s after a wait that timed out ends within wait-timeout + request-timeout',
    async (_label, fault) => {
      sim = await startScenarioSim({ createMs: 3_600_000 })
      // The first look by name goes through; every list once the wait has begun fails.
      const run = await runScenario(
        sim,
        baseInputs(sim, {
          'image-name': NAME,
          'wait-timeout': '5s',
          'poll-interval': '1s',
          'request-timeout': '15s'
        }),
        {
          onLine: line => {
            if (line.startsWith('Waiting up to'))
              sim!.addFault({ action: LIST, times: 1000, ...fault })
          }
        }
      )

      expect(run.result.outcome).toBe('timed-out')
      expect(run.result.elapsedMs).toBeLessThanOrEqual(5_000 + 15_000)
      const waitStarted = sim.requests.find(r => r.action === DETAIL)!.at
      const sweeps = sim.requests.filter(r => r.action === LIST && r.at > waitStarted)
      expect(sweeps.length).toBeGreaterThan(0)
      expect(sweeps.every(r => r.status !== 200)).toBe(true)
      // No sweep request starts after the wait's end plus one request deadline.
      for (const request of sweeps) {
        expect(request.at - waitStarted).toBeLessThanOrEqual(5_000 + 15_000)
      }
      expect(sim.clock.delays.every(ms => ms <= 15_000)).toBe(true)
      expect(run.stdout).toMatch(warningNaming(`"${NAME}"`))
      expect(run.result.duplicates).toEqual([])
      // The timeout still names the image.
      expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    }
  )
})

describe('no server text becomes a workflow command', () => {
  const INJECTIONS = [
    '::set-output name=image-instance-no::666',
    '::warning title=Pwned::owned',
    '::error file=a.ts::owned',
    '::add-mask::image',
    '::stop-commands::token',
    'line\n::set-output name=image-status::CREAT',
    'line\r::set-output name=image-status::CREAT',
    'line\n\u0085::set-output name=image-status::CREAT',
    'line\n \u0085\t::warning title=Pwned::owned',
    '##[set-output name=image-instance-no;]666'
  ]

  it.each(INJECTIONS)(
    'a gateway message %j on a retried poll and a failed create is shown inert',
    async message => {
      sim = await startScenarioSim()
      sim.addFault({ action: DETAIL, kind: 'endpoint-error', message })
      const first = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))
      expect(first.code).toBe(0)
      // The poll that carried the message failed and was retried: its line is in the log.
      expect(sim.requests.filter(r => r.action === DETAIL).map(r => r.status)[0]).toBe(503)
      expect(first.stdout.split('\n').some(line => line.startsWith(`${DETAIL}: `))).toBe(true)

      sim.addFault({ action: CREATE, kind: 'permission', message })
      const second = await runScenario(sim, baseInputs(sim, { 'image-name': 'golden-web-2' }))
      expect(second.code).toBe(1)

      // The retry line is plain output: the line after a break reached it, shown behind "> ".
      for (const line of message.split(/\r\n|\r|\n/).slice(1)) {
        expect(first.stdout).toContain(`\n> ${line}`)
      }
      for (const run of [first, second]) {
        expect(foreignCommands(run.stdout)).toEqual([])
        expect(run.outputs['image-instance-no']).not.toBe('666')
      }
    }
  )

  it('a status code a gateway makes up is reported by name and cannot start a command', async () => {
    sim = await startScenarioSim({ imageFinalStatus: '\n::set-output name=image-instance-no::666' })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '3s', 'poll-interval': '1s' })
    )

    expect(run.code).toBe(1)
    expect(foreignCommands(run.stdout)).toEqual([])
    expect(run.result.outcome).toBe('timed-out')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('Markdown from a server message is not rendered in the job summary', async () => {
    sim = await startScenarioSim()
    sim.addFault({
      action: CREATE,
      kind: 'permission',
      message: '![x](https://example.com/t.png) <img src=x> [link](https://example.com)'
    })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(run.summary).not.toMatch(/!\[x\]\(/)
    expect(run.summary).not.toMatch(/[^\\]\[link\]/)
    expect(run.summary).not.toContain('<img')
    expect(run.summary).toContain(`!\\[x\\](https:/${WJ}/example.com/t.png)`)
    expect(run.summary).toContain(`\\[link\\](https:/${WJ}/example.com)`)
    // No bare URL is left for GitHub to autolink.
    expect(run.summary).not.toContain('://')
  })

  it('a bare URL or www. host in a server message is not autolinked in the job summary', async () => {
    sim = await startScenarioSim()
    sim.addFault({
      action: CREATE,
      kind: 'permission',
      message: 'Sign in at https://evil.example/login or www.evil.example'
    })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(run.summary).toContain(`https:/${WJ}/evil.example/login or www${WJ}.evil.example`)
    expect(run.summary).not.toContain('://')
    expect(run.summary).not.toMatch(/\bwww\./)
  })

  it('keys a gateway echoes back never reach the job summary', async () => {
    sim = await startScenarioSim({ permissionDenied: true })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(run.summary).toContain('Permission Denied')
    expect(run.summary).not.toContain('sim-access-key')
    expect(run.summary).toContain('***')
  })
})

describe('answers that are complete but wrong', () => {
  it.each(['not-json', 'no-list'] as const)(
    'one %s 200 during the wait is polled again',
    async kind => {
      sim = await startScenarioSim()
      sim.addFault({ action: DETAIL, kind })
      const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

      expect(run.code).toBe(0)
      expect(run.outputs['image-status']).toBe('CREAT')
      const polls = sim.requests.filter(r => r.action === DETAIL)
      expect(polls[0].fault).toBe(kind)
      expect(polls.length).toBeGreaterThan(1)
    }
  )

  it('the same wrong answer three times in a row ends the wait, naming the image', async () => {
    sim = await startScenarioSim({ createMs: 60_000 })
    sim.addFault({ action: DETAIL, kind: 'not-json', times: 3 })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('wait-failed')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    const polls = sim.requests.filter(r => r.action === DETAIL)
    expect(polls.map(r => r.fault)).toEqual(['not-json', 'not-json', 'not-json'])
    expect(run.stdout).toMatch(errorNaming(sim.images()[0].no, DETAIL))
  })

  it('a redirect on the create fails at once, naming the Location host and api-url', async () => {
    sim = await startScenarioSim()
    sim.addFault({
      action: CREATE,
      kind: 'redirect',
      times: 10,
      location: 'https://login.example.net/sso?next=/vserver'
    })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(count(sim, CREATE)).toBe(1)
    expect(count(sim, LIST)).toBe(1)
    expect(run.stdout).toMatch(errorNaming(CREATE, 'login.example.net', 'api-url'))
    expect(run.stdout).not.toContain('/sso')
    expect(run.result.outcome).toBe('error')
  })

  it('an unknown status is reported by name while waiting and at the timeout', async () => {
    sim = await startScenarioSim({ imageFinalStatus: 'REPAIR', createMs: 500 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '3s', 'poll-interval': '1s' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('timed-out')
    const no = sim.images()[0].no
    expect(run.stdout).toMatch(new RegExp(`^Image ${no} .*\\bREPAIR\\b`, 'm'))
    expect(run.stdout).toMatch(errorNaming(no, 'REPAIR'))
    expect(run.outputs['image-status']).toBe('REPAIR')
  })

  it.each(['DELETING', 'TERMT'])(
    'an image NCP reports as %s ends the wait at once as a failure that says so',
    async status => {
      sim = await startScenarioSim({ imageFinalStatus: status, createMs: 500 })
      const run = await runScenario(
        sim,
        baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '60m', 'poll-interval': '1s' })
      )

      expect(run.code).toBe(1)
      expect(run.result.outcome).toBe('gone')
      const [image] = sim.images()
      expect(run.stdout).toMatch(errorNaming(image.no, status))
      expect(count(sim, DETAIL)).toBe(1)
      expect(run.outputs['image-instance-no']).toBe(image.no)
      expect(run.outputs['image-status']).toBe(status)
      expect(run.outputs.outcome).toBe('gone')
    }
  )

  it('a record without a status is reported as having none, not as being created', async () => {
    sim = await startScenarioSim({ imageFinalStatus: null, createMs: 500 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': NAME, 'wait-timeout': '3s', 'poll-interval': '1s' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('timed-out')
    expect(run.outputs['image-status']).toBe('')
  })
})

/** Another run's image of the same name, made while this run waits (after its create). */
function twinDuringWait(s: ScenarioSim): { no?: string } {
  const twin: { no?: string } = {}
  s.clock.onSleep = () => {
    if (twin.no || count(s, CREATE) === 0) return
    twin.no = s.addImage({
      kind: 'member',
      name: NAME,
      serverInstanceNo: '1001',
      status: 'INIT'
    }).no
  }
  return twin
}

describe('a gateway that does not enforce unique names', () => {
  it('another run making the same name at the same time is named by the sweep', async () => {
    sim = await startScenarioSim({ uniqueNames: false })
    const twin = twinDuringWait(sim)
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(0)
    const ours = run.outputs['image-instance-no']
    expect(twin.no).toBeDefined()
    expect(run.result.duplicates.map(image => image.no)).toEqual([twin.no])
    expect(run.stdout).toMatch(warningNaming(`"${NAME}"`, ours, twin.no!))
    expect(run.summary).toMatch(new RegExp(`^\\|[^|]+\\| ${twin.no} \\|$`, 'm'))
  })

  it.each<[string, Parameters<typeof startScenarioSim>[0], Record<string, string>, string]>([
    [
      'times out',
      { createMs: 600_000 },
      { 'wait-timeout': '3s', 'poll-interval': '1s' },
      'timed-out'
    ],
    ['fails (CREFL)', { failImages: true }, {}, 'failed'],
    ['cannot read the image', {}, {}, 'wait-failed']
  ])(
    'when the wait %s, the sweep still names the other image: result, log and summary; the outcome is the wait’s',
    async (_how, options, inputs, outcome) => {
      sim = await startScenarioSim({ uniqueNames: false, ...options })
      if (outcome === 'wait-failed') sim.addFault({ action: DETAIL, kind: 'permission', times: 50 })
      const twin = twinDuringWait(sim)
      const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, ...inputs }))

      expect(run.code).toBe(1)
      expect(run.result.outcome).toBe(outcome)
      const ours = run.outputs['image-instance-no']
      expect(twin.no).toBeDefined()
      expect(run.result.duplicates.map(image => image.no)).toEqual([twin.no])
      expect(run.stdout).toMatch(warningNaming(`"${NAME}"`, ours, twin.no!))
      // The summary names it in a row of its own (unit-summary owns the row's label).
      expect(run.summary).toMatch(new RegExp(`^\\|[^|]+\\| ${twin.no} \\|$`, 'm'))
      expect(run.stdout).toMatch(errorNaming(ours))
    }
  )
})
