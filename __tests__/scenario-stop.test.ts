import { afterEach, describe, expect, it } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { NEXT } from '../src/model/next-steps.js'
import {
  errorNaming,
  runScenario,
  startScenarioSim,
  warningNaming,
  type ScenarioSim
} from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'

// stop-server: a consistent image, and a server the action always starts again.
const STOP = 'stopServerInstances'
const START = 'startServerInstances'
const CREATE = 'createMemberServerImageInstance'
const stop = { 'stop-server': 'true', 'image-name': 'golden-web-1' }

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function server(no: string): { status: string; operation: string } {
  return sim!.servers().find(s => s.serverInstanceNo === no)!
}

describe('stop-server: true', () => {
  it('stops the server, images it, starts it again, and reports the downtime', async () => {
    sim = await startScenarioSim({ createMs: 60_000 })
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '5s' }))

    expect(run.code).toBe(0)
    expect(sim.images()).toHaveLength(1)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
    const calls = actionsCalled(sim)
    expect(calls.indexOf(STOP)).toBeLessThan(calls.indexOf(CREATE))
    expect(calls.indexOf(START)).toBeGreaterThan(
      calls.lastIndexOf('getMemberServerImageInstanceDetail')
    )
    const create = sim.requests.find(r => r.action === CREATE)!
    const stopAt = sim.requests.find(r => r.action === STOP)!.at
    expect(create.at - stopAt).toBeGreaterThanOrEqual(1_000)
    const seconds = Number(run.outputs['server-stopped-for'])
    expect(seconds).toBeGreaterThanOrEqual(60)
    expect(seconds).toBeLessThan(90)
    // The downtime the summary shows: from the stop request until the server ran again.
    const power = run.result.power!
    expect(power.runningAt).toBeDefined()
    expect(Math.floor(power.downMs! / 1000)).toBe(seconds)
  })

  it('a throttled stop (it never reached NCP) is sent again, and the run goes on', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: STOP, kind: 'throttle', retryAfterSeconds: 2 })
    const run = await runScenario(sim, baseInputs(sim, stop))

    expect(run.code).toBe(0)
    const stops = sim.requests.filter(r => r.action === STOP)
    expect(stops.map(r => r.status)).toEqual([429, 200])
    expect(stops[1].at - stops[0].at).toBeGreaterThanOrEqual(2_000)
    expect(run.result.outcome).toBe('created')
    expect(run.stdout).not.toMatch(/^::error::/m)
    expect(sim.images()).toHaveLength(1)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
  })

  it('an already stopped server is imaged and left stopped: never started', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'server-instance-no': '3001' }))

    expect(run.code).toBe(0)
    expect(count(sim, STOP)).toBe(0)
    expect(count(sim, START)).toBe(0)
    expect(server('3001').status).toBe('NSTOP')
    expect(run.outputs['server-stopped-for']).toBeUndefined()
    expect(run.result.power).toBeUndefined()
    // The log says so, naming the server and its status (unit-plan owns the wording).
    expect(run.stdout).toMatch(/^ +stop-server: .*\bNSTOP\b/m)
  })

  it('CREFL: the server is started again and the step fails', async () => {
    sim = await startScenarioSim({ failImages: true })
    const run = await runScenario(sim, baseInputs(sim, stop))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('failed')
    expect(server('1001').status).toBe('RUN')
  })

  it('a timeout: the server is started again, and the image number kept', async () => {
    sim = await startScenarioSim({ createMs: 3_600_000 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...stop, 'wait-timeout': '2m', 'poll-interval': '10s' })
    )

    expect(run.result.outcome).toBe('timed-out')
    expect(server('1001').status).toBe('RUN')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('a lost create reply and an NCP error after it: the server is started again', async () => {
    sim = await startScenarioSim({ listLagMs: 60_000 })
    sim.addFault({ action: CREATE, kind: 'drop', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, stop))

    expect(run.result.outcome).toBe('uncertain')
    expect(server('1001').status).toBe('RUN')
  })

  it('SIGINT while waiting for the image: the start is sent, and the log says it was accepted', async () => {
    sim = await startScenarioSim({ createMs: 3_600_000 })
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '10s' }), {
      onLine: (line, cancel) => {
        if (line.startsWith('Waiting up to')) cancel('SIGINT')
      }
    })

    expect(run.result.outcome).toBe('cancelled')
    expect(count(sim, START)).toBe(1)
    expect(server('1001').operation).toBe('START')
    expect(sim.requests.find(r => r.action === START)?.status).toBe(200)
    expect(run.result.power?.startAccepted).toBe(true)
    expect(run.stdout).toMatch(errorNaming('SIGINT', '1001'))
    expect(run.result.nextStep).not.toContain(NEXT.startServer('1001'))
  })

  it('SIGTERM as the stop is about to be sent: nothing is stopped or created, and a running server is not called stopped', async () => {
    sim = await startScenarioSim({ stopMs: 60_000 })
    // "Stopping server" is logged before the stop request, so the stop is never sent.
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '5s' }), {
      onLine: (line, cancel) => {
        if (line.startsWith('Stopping server')) cancel('SIGTERM')
      }
    })

    expect(run.result.outcome).toBe('cancelled')
    expect(count(sim, STOP)).toBe(0)
    expect(count(sim, CREATE)).toBe(0)
    expect(count(sim, START)).toBeLessThanOrEqual(1)
    expect(server('1001')).toMatchObject({ status: 'RUN', operation: 'NULL' })
    // NCP refuses to start a running server; the one read after that refusal shows it running.
    expect(run.result.power?.startAccepted).not.toBe(false)
    expect(run.result.nextStep).not.toContain(NEXT.startServer('1001'))
    expect(run.result.nextStep).toBe(NEXT.cancelledBeforeCreate)
  })

  // Fails against src today: while a server shuts down NCP shows it as RUN with the operation
  // SHTDN, and startAfterCancel takes any RUN for "already starting", so the log says the start
  // was accepted and the server boots, while it goes on to NSTOP (reported to the owner of src/).
  // Turn this back into it(...) once src asks for RUN without SHTDN.
  it('SIGTERM while waiting for NSTOP: the start is refused, and the log says it was not accepted', async () => {
    sim = await startScenarioSim({ stopMs: 60_000 })
    const cancel = new AbortController()
    // The first pause after the stop was sent is the wait for NSTOP.
    sim.clock.onSleep = () => {
      if (count(sim!, STOP) > 0) cancel.abort(new CancelledError('SIGTERM'))
    }
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '5s' }), {
      controller: cancel
    })

    expect(run.result.outcome).toBe('cancelled')
    expect(count(sim, STOP)).toBe(1)
    expect(count(sim, CREATE)).toBe(0)
    expect(count(sim, START)).toBe(1)
    expect(server('1001').operation).toBe('SHTDN')
    // The server is still shutting down, which NCP refuses to start: the log and the error say so.
    expect(sim.requests.find(r => r.action === START)?.status).not.toBe(200)
    expect(run.result.power?.startAccepted).toBe(false)
    expect(run.stdout).toMatch(warningNaming('1001'))
    expect(run.stdout).toMatch(errorNaming('SIGTERM', '1001'))
    expect(run.result.nextStep).toContain(NEXT.startServer('1001'))
  })

  it('SIGINT while waiting for RUN after an accepted start: no second start, and it says the start was accepted', async () => {
    sim = await startScenarioSim({ createMs: 30_000, startMs: 60_000 })
    const cancel = new AbortController()
    // A pause once NCP has accepted the start is the wait for RUN.
    sim.clock.onSleep = () => {
      const starts = sim!.requests.filter(r => r.action === START)
      if (starts.some(r => r.status === 200)) cancel.abort(new CancelledError('SIGINT'))
    }
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '5s' }), {
      controller: cancel
    })

    expect(run.result.outcome).toBe('cancelled')
    expect(count(sim, START)).toBe(1)
    expect(server('1001')).toMatchObject({ status: 'NSTOP', operation: 'START' })
    expect(run.result.power?.startAccepted).toBe(true)
    expect(run.stdout).not.toMatch(warningNaming('1001'))
    expect(run.result.nextStep).not.toContain(NEXT.startServer('1001'))
    // The image is made: the cancel names it and says where its number is, not "Nothing was created".
    const image = sim.images()[0]
    expect(run.outputs).toMatchObject({ 'image-instance-no': image.no, 'image-status': 'CREAT' })
    expect(run.stdout).toMatch(errorNaming('SIGINT', image.no, '"golden-web-1"', 'CREAT', '1001'))
    expect(run.result.nextStep).toBe(NEXT.useOutput)
    expect(run.stdout).not.toContain(NEXT.cancelledBeforeCreate)
  })

  it('a cancel before the stop is sent stops nothing and starts nothing', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, stop), {
      onLine: (line, cancel) => {
        if (line.startsWith('Plan:')) cancel('SIGINT')
      }
    })

    expect(run.result.outcome).toBe('cancelled')
    expect(count(sim, STOP)).toBe(0)
    expect(count(sim, START)).toBe(0)
    expect(run.result.power).toBeUndefined()
    expect(run.result.nextStep).toBe(NEXT.cancelledBeforeCreate)
    expect(server('1001').status).toBe('RUN')
  })

  it('a start refused while the image is being made is asked again until NCP accepts it', async () => {
    sim = await startScenarioSim({ createMs: 120_000, refuseStartWhileImaging: true })
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...stop, 'wait-timeout': '1m', 'poll-interval': '10s' })
    )

    expect(run.result.outcome).toBe('timed-out')
    const starts = sim.requests.filter(r => r.action === START)
    expect(starts.length).toBeGreaterThan(1)
    expect(starts[starts.length - 1].status).toBe(200)
    expect(server('1001').status).toBe('RUN')
    // Every start before the last was refused, and asked again (unit-server-power owns the line).
    expect(starts.slice(0, -1).every(r => r.status !== 200)).toBe(true)
  })

  it('a start that fails for good fails the step, naming the stopped server, the image kept', async () => {
    sim = await startScenarioSim({ failStart: true })
    const run = await runScenario(sim, baseInputs(sim, stop))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('server-stopped')
    expect(run.stdout).toMatch(errorNaming('1001', 'web-xen-1', START))
    expect(run.result.nextStep).toBe(NEXT.startServer('1001'))
    expect(run.outputs).toMatchObject({
      'image-instance-no': sim.images()[0].no,
      'image-status': 'CREAT',
      outcome: 'server-stopped'
    })
    expect(server('1001').status).toBe('NSTOP')
    // Stopped by this step and still stopped: no start was accepted, and it never ran again.
    expect(run.result.power?.stoppedAt).toBeDefined()
    expect(run.result.power?.startAccepted).toBeFalsy()
    expect(run.result.power?.runningAt).toBeUndefined()
  })

  it('with wait: false is an input error, found before any request', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...stop, wait: 'false' }))
    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(/^::error::.*"stop-server".*wait/m)
    expect(sim.requests).toHaveLength(0)
  })

  it('a dry run says what it would stop and for how long it would wait, and stops nothing', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'dry-run': 'true' }))
    expect(run.code).toBe(0)
    // The plan says the server would be stopped, and how long the stop may take (unit-plan owns it).
    expect(run.stdout).toMatch(/^ +stop-server: .*\b10m00s\b.*\bNSTOP\b/m)
    expect(count(sim, STOP)).toBe(0)
    expect(server('1001').status).toBe('RUN')
  })

  it('an image that exists already (reuse) needs no stop', async () => {
    sim = await startScenarioSim()
    sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'if-exists': 'reuse' }))
    expect(run.code).toBe(0)
    expect(count(sim, STOP)).toBe(0)
  })
})

describe('no sequence of faults, timeouts and cancels leaves the server stopped unannounced', () => {
  type Fault = Parameters<ScenarioSim['addFault']>[0]
  const faults: [string, Fault[]][] = [
    ['none', []],
    ['stop reply dropped after the stop', [{ action: STOP, kind: 'drop', when: 'after' }]],
    ['stop throttled', [{ action: STOP, kind: 'throttle' }]],
    ['create refused', [{ action: CREATE, kind: 'permission' }]],
    ['create reply lost', [{ action: CREATE, kind: 'drop', when: 'after' }]],
    [
      'polls failing',
      [{ action: 'getMemberServerImageInstanceDetail', kind: 'endpoint-error', times: 50 }]
    ],
    ['start throttled twice', [{ action: START, kind: 'throttle', times: 2 }]],
    ['start reply dropped after the start', [{ action: START, kind: 'drop', when: 'after' }]],
    ['start refused for good', [{ action: START, kind: 'permission', times: 1000 }]],
    ['server reads failing', [{ action: 'getServerInstanceDetail', kind: 'unexpected', times: 3 }]]
  ]
  // A cancel in the first pause once the stop was sent (the wait for NSTOP), not on a line.
  const WHILE_STOPPING = '(the first pause after the stop was sent)'
  const cancels = [
    '',
    'Stopping server',
    'Plan:',
    'Waiting up to',
    'Starting server',
    WHILE_STOPPING
  ]

  it.each(faults.flatMap(([name, list]) => cancels.map(at => [name, list, at] as const)))(
    '%s (%j), cancelled at %j',
    async (_name, list, cancelAt) => {
      sim = await startScenarioSim({ createMs: 90_000, refuseStartWhileImaging: true })
      for (const fault of list) sim.addFault({ ...fault })
      const controller = new AbortController()
      if (cancelAt === WHILE_STOPPING) {
        sim.clock.onSleep = () => {
          if (count(sim!, STOP) > 0) controller.abort(new CancelledError('SIGINT'))
        }
      }
      const run = await runScenario(
        sim,
        baseInputs(sim, { ...stop, 'wait-timeout': '2m', 'poll-interval': '10s' }),
        {
          controller,
          onLine: (line, cancel) => {
            if (cancelAt && line.startsWith(cancelAt)) cancel('SIGINT')
          }
        }
      )
      const state = server('1001')
      // NCP shows a server that is shutting down as RUN with the operation SHTDN: it ends NSTOP.
      const runningOrBooting =
        (state.status === 'RUN' && state.operation !== 'SHTDN') || state.operation === 'START'
      if (!runningOrBooting) {
        expect(run.code).toBe(1)
        // The step fails naming the server, and the next step is to start it.
        expect(run.stdout).toMatch(errorNaming('1001'))
        expect(run.result.nextStep).toContain(NEXT.startServer('1001'))
        expect(run.result.power?.runningAt).toBeUndefined()
      }
      if (count(sim, STOP) > 0) expect(count(sim, START)).toBeGreaterThan(0)
    }
  )
})

describe('stop-server: the second review', () => {
  it('a cancel sends the start at once, before the sweep that follows it', async () => {
    sim = await startScenarioSim({ createMs: 3_600_000 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...stop, 'poll-interval': '10s', 'request-timeout': '300ms' }),
      {
        onLine: (line, cancel) => {
          if (line.startsWith('Waiting up to')) {
            sim!.addFault({ action: 'getMemberServerImageInstanceList', kind: 'stall', times: 5 })
            cancel('SIGINT')
          }
        }
      }
    )

    expect(run.result.outcome).toBe('cancelled')
    const calls = actionsCalled(sim)
    expect(calls.indexOf(START)).toBeGreaterThan(-1)
    expect(calls.indexOf(START)).toBeLessThan(calls.lastIndexOf('getMemberServerImageInstanceList'))
    expect(count(sim, START)).toBe(1)
  })

  it('a start NCP accepted but a boot longer than its time is not called a stopped server', async () => {
    sim = await startScenarioSim({ startMs: 20 * 60_000 })
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '10s' }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming('1001'))
    expect(run.result.nextStep).toBe(NEXT.checkServerState('1001'))
    expect(run.result.power).toMatchObject({ startAccepted: true })
    expect(run.result.power?.runningAt).toBeUndefined()
    expect(count(sim, START)).toBe(1)
  })

  it('a refused stop starts nothing and reports no downtime', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: STOP, kind: 'permission' })
    const run = await runScenario(sim, baseInputs(sim, stop))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(sim.requests.find(r => r.action === STOP)?.status).toBe(401)
    expect(run.stdout).toMatch(errorNaming('1001', STOP))
    expect(count(sim, START)).toBe(0)
    expect(run.outputs['server-stopped-for']).toBeUndefined()
    expect(run.result.power).toBeUndefined()
  })

  it('polls the server every 2 s at most often, whatever poll-interval says', async () => {
    sim = await startScenarioSim({ stopMs: 60_000, startMs: 60_000 })
    const run = await runScenario(sim, baseInputs(sim, { ...stop, 'poll-interval': '100ms' }))

    expect(run.code).toBe(0)
    // Two minutes of stopping and booting at one read per 2 s, and the reads around the image.
    expect(count(sim, 'getServerInstanceDetail')).toBeLessThan(75)
  })

  it('says when stop-server does nothing: with image-instance-no, and with an image that exists', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '3001',
      status: 'CREAT'
    }).no
    const resume = await runScenario(
      sim,
      baseInputs(sim, {
        'image-instance-no': no,
        'stop-server': 'true',
        'server-instance-no': '3001'
      })
    )
    expect(resume.stdout).toMatch(warningNaming('"stop-server"', 'image-instance-no'))

    const reuse = await runScenario(
      sim,
      baseInputs(sim, { ...stop, 'server-instance-no': '3001', 'if-exists': 'reuse' })
    )
    expect(reuse.code).toBe(0)
    // run.ts, which writes these lines, has no unit test: the facts on them are asserted here.
    expect(reuse.stdout).toMatch(/^stop-server: /m)
    expect(reuse.stdout).toMatch(warningNaming('3001', 'NSTOP'))
    expect(reuse.result.power).toBeUndefined()
    expect(count(sim, STOP)).toBe(0)
  })
})
