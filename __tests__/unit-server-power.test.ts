import { describe, expect, it, jest } from '@jest/globals'
import { RunFailure } from '../src/model/failure.js'
import type { ApiResult, NcloudClient, Params } from '../src/ncloud/client.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { type NcloudErrorFields } from '../src/ncloud/error-fields.js'
import type { RetryPolicy } from '../src/lib/retry.js'
import type { ServerRecord } from '../src/ncloud/servers.js'
import { NEXT } from '../src/model/next-steps.js'
import {
  START_BUDGET_MS,
  BOOT_TIMEOUT_MS,
  startAfterCancel,
  startServer,
  stopServer,
  type PowerDeps
} from '../src/steps/server-power.js'
import { STOP_SETTLE_MS, STOP_SETTLE_READS, STOP_TIMEOUT_MS } from '../src/steps/timing.js'
import { FakeClock } from './helpers/fake-clock.js'
import { serverAnswer, type ServerState } from './helpers/server-answer.js'

const NO = '1234567'
const POLL_MS = 10_000
/** The client's retry policy, which a stop that never reached the service is sent again under. */
const RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000
}

type State = ServerState

/**
 * A fake NcloudClient: sendOnce answers from `sends` (an Error is thrown, anything else is the
 * result; the last entry repeats), and each read of the server gives the next state of `states`
 * (the last one repeats).
 */
function fakeClient(sends: (ApiResult | Error)[], states: (State | Error)[]) {
  const sendOnce = jest.fn(async (_action: string, _params?: Params): Promise<ApiResult> => {
    const next = sends.length > 1 ? sends.shift() : sends[0]
    if (next instanceof Error) throw next
    return next ?? {}
  })
  const read = jest.fn(
    async (_action: string, params?: Params, _deadline?: number): Promise<ApiResult> => {
      const next = states.length > 1 ? states.shift() : states[0]
      if (next instanceof Error) throw next
      return serverAnswer(params?.serverInstanceNo, next as State)
    }
  )
  const client = { sendOnce, read, region: 'KR', gatewaySetting: 'site', retryPolicy: RETRY }
  return { client: client as unknown as NcloudClient, sendOnce, read }
}

function powerDeps(pollIntervalMs = POLL_MS) {
  const clock = new FakeClock()
  const log = {
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>()
  }
  const deps: PowerDeps = { clock, log, pollIntervalMs, random: () => 0 }
  return { deps, clock, log }
}

const error = (action: string, fields: Partial<NcloudErrorFields>): NcloudError =>
  new NcloudError({
    action,
    source: 'service',
    transient: false,
    reached: 'yes',
    gatewaySetting: 'site',
    ...fields
  })

/** The service read the request and refused it. */
const refused = (action: string, message = 'The server is busy.'): NcloudError =>
  error(action, { httpStatus: 400, code: '25025', ncpMessage: message })
/** The request was sent and the answer was lost. */
const lostReply = (action: string): NcloudError =>
  error(action, {
    source: 'network',
    code: 'ECONNRESET',
    details: 'socket hang up',
    transient: true,
    reached: 'maybe'
  })
/** The service failed on its side: it may have done the work. */
const serviceFault = (action: string): NcloudError =>
  error(action, { httpStatus: 500, code: '99999', ncpMessage: 'Internal', reached: 'maybe' })
const throttled = (action: string, retryAfterMs?: number): NcloudError =>
  error(action, {
    source: 'gateway',
    httpStatus: 429,
    code: '410',
    transient: true,
    reached: 'no',
    retryAfterMs
  })
const badKey = (action: string): NcloudError =>
  error(action, { source: 'gateway', httpStatus: 401, code: '200', reached: 'no' })

const server: ServerRecord = {
  no: NO,
  name: 'web-1',
  status: 'RUN',
  operation: 'NULL',
  statusName: 'running'
}

const STOP = 'stopServerInstances'
const START = 'startServerInstances'

async function failureOf(promise: Promise<unknown>): Promise<RunFailure> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(caught).toBeInstanceOf(RunFailure)
  return caught as RunFailure
}

describe('stopServer', () => {
  it('sends one stop for the server, then polls until it is NSTOP with no operation', async () => {
    const { client, sendOnce, read } = fakeClient(
      [{}],
      [
        ['RUN', 'SHTDN'],
        ['NSTOP', 'SHTDN'],
        ['NSTOP', 'NULL'],
        ['RUN', 'NULL']
      ]
    )
    const { deps, clock, log } = powerDeps()
    const before = clock.now()
    await expect(stopServer(client, server, deps)).resolves.toBe(before)
    expect(sendOnce.mock.calls).toEqual([[STOP, { 'serverInstanceNoList.1': NO }]])
    expect(read).toHaveBeenCalledTimes(3)
    expect(read.mock.calls[0].slice(0, 2)).toEqual([
      'getServerInstanceDetail',
      { serverInstanceNo: NO }
    ])
    expect(clock.delays).toEqual([POLL_MS, POLL_MS])
    expect(log.info.mock.calls.at(-1)?.[0]).toBe(`Server ${NO} is stopped (NSTOP) after 20s.`)
  })

  it('tells `answered` once NCP accepted the stop, and `seen` at each read that shows it taking effect', async () => {
    const { client } = fakeClient(
      [{}],
      [
        ['RUN', 'NULL'],
        ['RUN', 'SHTDN'],
        ['NSTOP', 'NULL']
      ]
    )
    const { deps, clock } = powerDeps()
    const events: string[] = []
    const at = (event: string) => () => events.push(`${event}@${clock.now()}`)
    const start = clock.now()
    await stopServer(client, server, deps, {
      sent: at('sent'),
      undone: at('undone'),
      answered: at('answered'),
      seen: at('seen')
    })
    expect(events).toEqual([
      `sent@${start}`,
      `answered@${start}`,
      `seen@${start + POLL_MS}`,
      `seen@${start + 2 * POLL_MS}`
    ])
  })

  it('does not tell `answered` of a stop whose reply was lost, though it took effect', async () => {
    const { client } = fakeClient(
      [lostReply(STOP)],
      [
        ['RUN', 'SHTDN'],
        ['NSTOP', 'NULL']
      ]
    )
    const { deps } = powerDeps()
    const events: string[] = []
    await stopServer(client, server, deps, {
      sent: () => events.push('sent'),
      undone: () => events.push('undone'),
      answered: () => events.push('answered'),
      seen: () => events.push('seen')
    })
    expect(events).toEqual(['sent', 'seen'])
  })

  it('returns the time the stop was sent, not the time it was stopped', async () => {
    const { client } = fakeClient(
      [{}],
      [
        ['RUN', 'SHTDN'],
        ['NSTOP', 'NULL']
      ]
    )
    const { deps, clock } = powerDeps()
    const sentAt = clock.now()
    await expect(stopServer(client, server, deps)).resolves.toBe(sentAt)
    expect(clock.now()).toBe(sentAt + POLL_MS)
  })

  it('fails with a clear RunFailure once the server is not stopped after STOP_TIMEOUT_MS', async () => {
    const { client } = fakeClient([{}], [['RUN', 'SHTDN']])
    // A poll-interval of 7 minutes is held to 15 s: a server changes state within seconds.
    const { deps, clock } = powerDeps(7 * 60_000)
    const start = clock.now()
    const failure = await failureOf(stopServer(client, server, deps))
    expect(failure.message).toBe(
      `Server ${NO} did not reach NSTOP in time: it is RUN with the operation SHTDN.`
    )
    expect(failure.outcome).toBe('error')
    expect(failure.nextStep).toBe(NEXT.checkServerState(NO))
    // It waits the whole timeout, in pauses of at most 15 s, and not a moment longer.
    expect(Math.max(...clock.delays)).toBe(15_000)
    expect(clock.delays.reduce((a, b) => a + b, 0)).toBe(STOP_TIMEOUT_MS)
    expect(clock.now() - start).toBe(STOP_TIMEOUT_MS)
  })

  it.each<[string, State]>([
    ['shutting down', ['RUN', 'SHTDN']],
    ['already stopped', ['NSTOP', 'NULL']]
  ])('accepts a stop whose reply was lost when the server is now %s', async (_label, afterLoss) => {
    const { client, sendOnce } = fakeClient([lostReply(STOP)], [afterLoss, ['NSTOP', 'NULL']])
    const { deps } = powerDeps()
    await expect(stopServer(client, server, deps)).resolves.toEqual(expect.any(Number))
    expect(sendOnce).toHaveBeenCalledTimes(1)
  })

  it.each([
    ['refused by NCP', refused(STOP, 'The server cannot be stopped now.'), 1, [], ''],
    [
      'lost and not carried out, even late',
      lostReply(STOP),
      1 + STOP_SETTLE_READS,
      Array(STOP_SETTLE_READS).fill(STOP_SETTLE_MS / STOP_SETTLE_READS),
      ' It kept running for 25s after the stop was sent; the post step watches it once more and starts it if NCP stops it late.'
    ]
  ])(
    'fails, saying nothing was created, when the stop was %s and the server still runs',
    async (_label, failed, reads, pauses, more) => {
      const { client, sendOnce, read } = fakeClient([failed], [['RUN', 'NULL']])
      const { deps, clock } = powerDeps()
      const failure = await failureOf(stopServer(client, server, deps))
      expect(failure.message).toBe(
        `Could not stop server ${NO}: ${failed.summary} Nothing was created.${more}`
      )
      expect(failure.outcome).toBe('error')
      expect(failure.nextStep).toBe(NEXT.stopFailed)
      expect(sendOnce).toHaveBeenCalledTimes(1)
      expect(read).toHaveBeenCalledTimes(reads)
      expect(clock.delays).toEqual(pauses)
    }
  )

  it('watches a server whose stop reply was lost, and goes on when the stop takes effect late', async () => {
    const { client, sendOnce, read } = fakeClient(
      [lostReply(STOP)],
      [
        ['RUN', 'NULL'],
        ['RUN', 'NULL'],
        ['RUN', 'SHTDN'],
        ['NSTOP', 'NULL']
      ]
    )
    const { deps, log } = powerDeps()
    const undone = jest.fn()
    await expect(
      stopServer(client, server, deps, { sent: () => undefined, undone })
    ).resolves.toEqual(expect.any(Number))
    expect(sendOnce).toHaveBeenCalledTimes(1)
    expect(read).toHaveBeenCalledTimes(4)
    expect(undone).not.toHaveBeenCalled()
    expect(log.info.mock.calls.map(([line]) => line)).toContain(
      `The answer to the stop of server ${NO} was lost and it still runs (RUN): watching it for 25s in case the stop takes effect late.`
    )
  })

  it('sends a throttled stop again (it never reached the service), honouring Retry-After, and reads nothing in between', async () => {
    const { client, sendOnce, read } = fakeClient(
      [throttled(STOP, 2_000), throttled(STOP), {}],
      [['NSTOP', 'NULL']]
    )
    const { deps, clock, log } = powerDeps()
    // The time the first stop was sent.
    const sentAt = clock.now()
    await expect(stopServer(client, server, deps)).resolves.toBe(sentAt)
    expect(sendOnce.mock.calls).toEqual([
      [STOP, { 'serverInstanceNoList.1': NO }],
      [STOP, { 'serverInstanceNoList.1': NO }],
      [STOP, { 'serverInstanceNoList.1': NO }]
    ])
    // Two pauses before the sends, the first the one Retry-After asked for; then one read: NSTOP.
    expect(clock.delays).toHaveLength(2)
    expect(clock.delays[0]).toBe(2_000)
    expect(read).toHaveBeenCalledTimes(1)
    expect(log.warning.mock.calls[0][0]).toContain(
      'It never reached the service, so it is sent again'
    )
  })

  it('settles a stop throttled on every attempt by a read of the server', async () => {
    const { client, sendOnce, read } = fakeClient([throttled(STOP)], [['RUN', 'NULL']])
    const { deps } = powerDeps()
    const failure = await failureOf(stopServer(client, server, deps))
    expect(sendOnce).toHaveBeenCalledTimes(RETRY.maxAttempts)
    expect(read).toHaveBeenCalledTimes(1)
    expect(failure.message).toContain(`Could not stop server ${NO}:`)
    expect(failure.message).toContain('Nothing was created.')
  })

  it.each([
    ['a lost reply', lostReply(STOP)],
    ['a fault on NCP’s side', serviceFault(STOP)]
  ])('does not send a stop again after %s, which may have been carried out', async (_l, failed) => {
    const { client, sendOnce, read } = fakeClient([failed, {}], [['NSTOP', 'NULL']])
    const { deps, clock } = powerDeps()
    await stopServer(client, server, deps)
    expect(sendOnce).toHaveBeenCalledTimes(1)
    expect(read).toHaveBeenCalledTimes(2)
    expect(clock.sleeps).toEqual([])
  })

  it('a cancel during the pause before a throttled stop is sent again ends it, with no read', async () => {
    const controller = new AbortController()
    const { client, sendOnce, read } = fakeClient([throttled(STOP), {}], [['RUN', 'NULL']])
    const { deps, clock } = powerDeps()
    const cancelled = new Error('cancelled')
    clock.onSleep = () => controller.abort(cancelled)
    await expect(stopServer(client, server, { ...deps, signal: controller.signal })).rejects.toBe(
      cancelled
    )
    expect(sendOnce).toHaveBeenCalledTimes(1)
    expect(read).not.toHaveBeenCalled()
  })

  it('names NCP’s reason when it refused the stop', async () => {
    const { client } = fakeClient(
      [refused(STOP, 'The server cannot be stopped now.')],
      [['RUN', 'NULL']]
    )
    const failure = await failureOf(stopServer(client, server, powerDeps().deps))
    expect(failure.message).toContain('The server cannot be stopped now.')
  })

  it('stops at once, reading nothing, when the run is cancelled while the stop is sent', async () => {
    const controller = new AbortController()
    const { client, read, sendOnce } = fakeClient([], [['RUN', 'NULL']])
    sendOnce.mockImplementation(async () => {
      controller.abort(new Error('cancelled'))
      throw lostReply(STOP)
    })
    const { deps } = powerDeps()
    await expect(
      stopServer(client, server, { ...deps, signal: controller.signal })
    ).rejects.toThrow('cancelled')
    expect(read).not.toHaveBeenCalled()
  })
})

describe('startServer', () => {
  it('sends the start for the server and waits until it is RUN with no operation', async () => {
    const { client, sendOnce, read } = fakeClient(
      [{}],
      [
        ['NSTOP', 'START'],
        ['RUN', 'START'],
        ['RUN', 'NULL']
      ]
    )
    const { deps, clock, log } = powerDeps()
    await startServer(client, NO, deps)
    expect(sendOnce.mock.calls).toEqual([[START, { 'serverInstanceNoList.1': NO }]])
    expect(read).toHaveBeenCalledTimes(3)
    expect(clock.delays).toEqual([POLL_MS, POLL_MS])
    expect(log.info.mock.calls.at(-1)?.[0]).toBe(`Server ${NO} is running (RUN) again.`)
  })

  it('tells onAccepted once NCP accepted the start, before waiting for RUN', async () => {
    const { client, read } = fakeClient(
      [{}],
      [
        ['NSTOP', 'START'],
        ['RUN', 'NULL']
      ]
    )
    const { deps } = powerDeps()
    const readsWhenAccepted: number[] = []
    const onAccepted = jest.fn(() => void readsWhenAccepted.push(read.mock.calls.length))
    await startServer(client, NO, deps, onAccepted)
    expect(onAccepted).toHaveBeenCalledTimes(1)
    expect(readsWhenAccepted).toEqual([0])
  })

  it('tells onAccepted once a refused start turns out to be under way', async () => {
    const { client } = fakeClient(
      [refused(START)],
      [
        ['NSTOP', 'START'],
        ['RUN', 'NULL']
      ]
    )
    const onAccepted = jest.fn()
    await startServer(client, NO, powerDeps().deps, onAccepted)
    expect(onAccepted).toHaveBeenCalledTimes(1)
  })

  it('tells onAccepted once after refusals, only when NCP finally accepts', async () => {
    const refusal = refused(START)
    const { client, sendOnce } = fakeClient(
      [refusal, refusal, {}],
      [
        ['NSTOP', 'NULL'],
        ['NSTOP', 'NULL'],
        ['RUN', 'NULL']
      ]
    )
    const acceptedAfterSends: number[] = []
    await startServer(client, NO, powerDeps().deps, () => {
      acceptedAfterSends.push(sendOnce.mock.calls.length)
    })
    expect(acceptedAfterSends).toEqual([3])
  })

  it('tells onAccepted when the start was accepted even if the server then never gets to RUN', async () => {
    const { client } = fakeClient([{}], [['NSTOP', 'START']])
    const onAccepted = jest.fn()
    await failureOf(startServer(client, NO, powerDeps(60_000).deps, onAccepted))
    expect(onAccepted).toHaveBeenCalledTimes(1)
  })

  it('does not tell onAccepted of a start that was never accepted', async () => {
    const { client } = fakeClient([badKey(START)], [['NSTOP', 'NULL']])
    const onAccepted = jest.fn()
    await expect(startServer(client, NO, powerDeps().deps, onAccepted)).rejects.toBeInstanceOf(
      NcloudError
    )
    expect(onAccepted).not.toHaveBeenCalled()
  })

  it('asks again after a pause while NCP refuses the start of the stopped server', async () => {
    const refusal = refused(START, 'An image is being created from this server.')
    const { client, sendOnce, read } = fakeClient(
      [refusal, refusal, {}],
      [
        ['NSTOP', 'NULL'],
        ['NSTOP', 'NULL'],
        ['RUN', 'NULL']
      ]
    )
    const { deps, clock, log } = powerDeps()
    const start = clock.now()
    await startServer(client, NO, deps)
    expect(sendOnce).toHaveBeenCalledTimes(3)
    expect(read).toHaveBeenCalledTimes(3)
    // Two pauses before asking again, each long enough for NCP to finish what it is doing.
    expect(clock.delays).toHaveLength(2)
    expect(clock.delays[0]).toBeGreaterThanOrEqual(10_000)
    expect(clock.delays[1]).toBe(clock.delays[0])
    expect(clock.now() - start).toBeLessThan(START_BUDGET_MS)
    expect(log.warning).toHaveBeenCalledTimes(2)
    expect(log.warning.mock.calls[0][0]).toContain('An image is being created from this server.')
    expect(log.warning.mock.calls[0][0]).toContain('NCP refused the start for now; asking again')
  })

  it('gives up with NCP’s refusal once START_BUDGET_MS would be passed', async () => {
    const refusal = refused(START, 'An image is being created from this server.')
    const { client, sendOnce } = fakeClient([refusal], [['NSTOP', 'NULL']])
    const { deps, clock } = powerDeps()
    const start = clock.now()
    await expect(startServer(client, NO, deps)).rejects.toBe(refusal)
    const elapsed = clock.now() - start
    expect(elapsed).toBeLessThanOrEqual(START_BUDGET_MS)
    // It kept asking for (nearly) the whole budget, not for a few attempts.
    expect(elapsed).toBeGreaterThan(START_BUDGET_MS - 60_000)
    expect(sendOnce.mock.calls.length).toBeGreaterThan(10)
  })

  it.each<[string, NcloudError, State]>([
    ['refused: the server is already running', refused(START), ['RUN', 'NULL']],
    ['refused: the server is already starting', refused(START), ['NSTOP', 'START']],
    [
      'lost in a fault on NCP’s side: the server is starting',
      serviceFault(START),
      ['NSTOP', 'START']
    ]
  ])('counts a start as accepted when its reply was %s', async (_label, failed, state) => {
    const { client, sendOnce } = fakeClient([failed], [state, ['RUN', 'NULL']])
    const { deps } = powerDeps()
    await startServer(client, NO, deps)
    expect(sendOnce).toHaveBeenCalledTimes(1)
  })

  it('sends a start again after a lost reply, and accepts it when the server is starting', async () => {
    const { client, sendOnce, read } = fakeClient(
      [lostReply(START), refused(START)],
      [
        ['NSTOP', 'START'],
        ['RUN', 'NULL']
      ]
    )
    const { deps } = powerDeps()
    await startServer(client, NO, deps)
    expect(sendOnce).toHaveBeenCalledTimes(2)
    expect(read).toHaveBeenCalledTimes(2)
  })

  it('retries transient errors without reading the server in between', async () => {
    const { client, sendOnce, read } = fakeClient(
      [throttled(START), throttled(START), {}],
      [['RUN', 'NULL']]
    )
    const { deps, clock, log } = powerDeps()
    await startServer(client, NO, deps)
    expect(sendOnce).toHaveBeenCalledTimes(3)
    expect(read).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toHaveLength(2)
    expect(log.warning.mock.calls[0][0]).toContain('Retrying')
  })

  it('fails at once on an error that another try cannot fix, once a read shows it is not starting', async () => {
    const denied = badKey(START)
    const { client, sendOnce, read } = fakeClient([denied], [['NSTOP', 'NULL']])
    const { deps, clock } = powerDeps()
    await expect(startServer(client, NO, deps)).rejects.toBe(denied)
    expect(sendOnce).toHaveBeenCalledTimes(1)
    expect(read).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('fails with a RunFailure when the started server is not running within the budget', async () => {
    const { client } = fakeClient([{}], [['NSTOP', 'START']])
    const { deps, clock } = powerDeps(60_000)
    const start = clock.now()
    const failure = await failureOf(startServer(client, NO, deps))
    expect(failure.message).toBe(
      `Server ${NO} did not reach RUN in time: it is NSTOP with the operation START.`
    )
    expect(failure.nextStep).toBe(NEXT.checkServerState(NO))
    // Booting has its own time, counted from the moment NCP accepted the start.
    expect(clock.now() - start).toBe(BOOT_TIMEOUT_MS)
  })
})

describe('startAfterCancel', () => {
  it('sends exactly one start and reports it accepted', async () => {
    const { client, sendOnce, read } = fakeClient([{}], [['NSTOP', 'NULL']])
    const { log } = powerDeps()
    await expect(startAfterCancel(client, NO, log)).resolves.toEqual({ accepted: true })
    expect(sendOnce.mock.calls).toEqual([[START, { 'serverInstanceNoList.1': NO }]])
    expect(read).not.toHaveBeenCalled()
    expect(log.info.mock.calls[0][0]).toBe(
      `Start of server ${NO} sent and accepted; it boots on its own.`
    )
  })

  it.each([
    ['refused', refused(START, 'An image is being created from this server.')],
    ['lost (even a transient error is not retried)', lostReply(START)]
  ])(
    'sends exactly one start, reads the server once, and reports it refused when it is %s and the server is not starting',
    async (_label, failed) => {
      const { client, sendOnce, read } = fakeClient([failed, {}], [['NSTOP', 'NULL']])
      const { log } = powerDeps()
      await expect(startAfterCancel(client, NO, log)).resolves.toEqual({
        accepted: false,
        why: failed.summary
      })
      expect(sendOnce).toHaveBeenCalledTimes(1)
      expect(read).toHaveBeenCalledTimes(1)
      expect(read.mock.calls[0].slice(0, 2)).toEqual([
        'getServerInstanceDetail',
        { serverInstanceNo: NO }
      ])
      expect(log.warning.mock.calls[0][0]).toBe(
        `Start of server ${NO} was not accepted: ${failed.summary}`
      )
    }
  )

  it.each<[string, State]>([
    ['running', ['RUN', 'NULL']],
    ['starting', ['NSTOP', 'START']],
    ['running, still finishing the start', ['RUN', 'START']]
  ])(
    'counts a refused start as accepted when the one read shows the server %s',
    async (_label, state) => {
      const { client, sendOnce, read } = fakeClient([refused(START), {}], [state])
      const { log } = powerDeps()
      await expect(startAfterCancel(client, NO, log)).resolves.toEqual({ accepted: true })
      expect(sendOnce).toHaveBeenCalledTimes(1)
      expect(read).toHaveBeenCalledTimes(1)
      expect(log.info.mock.calls[0][0]).toContain(`Server ${NO} is already starting`)
      expect(log.warning).not.toHaveBeenCalled()
    }
  )

  it.each<[string, State]>([
    ['stopped', ['NSTOP', 'NULL']],
    ['stopped, still finishing the shutdown', ['NSTOP', 'SHTDN']]
  ])('reports a refused start as not accepted when the server is %s', async (_label, state) => {
    const refusal = refused(START)
    const { client } = fakeClient([refusal], [state])
    await expect(startAfterCancel(client, NO, powerDeps().log)).resolves.toEqual({
      accepted: false,
      why: refusal.summary
    })
  })

  // NCP shows a server that is shutting down as RUN with the operation SHTDN: a refused start
  // then is not "already starting", since the server goes on to stop.
  it('reports a refused start as not accepted when the server is shutting down (RUN, SHTDN)', async () => {
    const refusal = refused(START)
    const { client } = fakeClient([refusal], [['RUN', 'SHTDN']])
    await expect(startAfterCancel(client, NO, powerDeps().log)).resolves.toEqual({
      accepted: false,
      why: refusal.summary
    })
  })

  it('counts any failure of that read as a refused start, naming why the start failed', async () => {
    const refusal = refused(START, 'An image is being created from this server.')
    const { client, sendOnce, read } = fakeClient([refusal], [lostReply('getServerInstanceDetail')])
    const { log } = powerDeps()
    await expect(startAfterCancel(client, NO, log)).resolves.toEqual({
      accepted: false,
      why: refusal.summary
    })
    expect(sendOnce).toHaveBeenCalledTimes(1)
    expect(read).toHaveBeenCalledTimes(1)
    expect(log.warning.mock.calls[0][0]).toContain('An image is being created from this server.')
  })
})
