import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { RunFailure } from '../src/model/failure.js'
import { JournalRecorder, powerOf } from '../src/model/journal.js'
import { NEXT } from '../src/model/next-steps.js'
import type { ApiResult, NcloudClient, Params } from '../src/ncloud/client.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { withServerStopped } from '../src/steps/stopped-server.js'
import { FakeClock } from './helpers/fake-clock.js'

// stop-server's bracket: the wording of each way the server ends up is owned here.
const START = 'startServerInstances'
const SERVER = { no: '1001', name: 'web-1', status: 'RUN', operation: 'NULL', statusName: '' }

/** NCP refused the start: the key may not call it. */
const denied = new NcloudError({
  action: START,
  source: 'gateway',
  httpStatus: 401,
  code: '210',
  ncpMessage: 'Permission Denied',
  transient: false,
  reached: 'no',
  gatewaySetting: 'api-url'
})

/**
 * A client on which the stop is accepted, the start answers `start`, and the server reads NSTOP
 * once stopped, then RUN once a start was accepted, unless `boots` is false.
 */
function fakeClient(start: ApiResult | Error, boots = true) {
  let status = 'RUN'
  const sendOnce = jest.fn(async (action: string, _params?: Params): Promise<ApiResult> => {
    if (action !== START) {
      status = 'NSTOP'
      return {}
    }
    if (start instanceof Error) throw start
    if (boots) status = 'RUN'
    return start
  })
  const read = jest.fn(async (_action: string, params?: Params): Promise<ApiResult> => ({
    serverInstanceList: [
      {
        serverInstanceNo: params?.serverInstanceNo,
        serverInstanceStatus: { code: status },
        serverInstanceOperation: { code: 'NULL' }
      }
    ]
  }))
  const client: Record<string, unknown> = {
    sendOnce,
    read,
    region: 'KR',
    retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }
  }
  client.afterCancel = () => client
  return client as unknown as NcloudClient
}

/** Runs the bracket around `body`; resolves with the failure it ends in, if any, and the log. */
async function bracket(
  client: NcloudClient,
  body: (controller: AbortController) => Promise<unknown> = async () => 'made'
) {
  const clock = new FakeClock(0)
  const controller = new AbortController()
  const log = {
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>()
  }
  const journal = new JournalRecorder()
  let failure: RunFailure | undefined
  try {
    await withServerStopped(
      {
        client,
        server: SERVER,
        journal,
        clock,
        signal: controller.signal,
        log,
        pollIntervalMs: 2_000,
        random: () => 0,
        context: () => ({})
      },
      async () => {
        await clock.sleep(65_000)
        return body(controller)
      }
    )
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error
    failure = error
  }
  return { failure, info: log.info.mock.calls.map(c => c[0]), journal: journal.snapshot() }
}

/** The body a cancel ends: the signal comes, and the body fails with it. */
async function cancelled(controller: AbortController): Promise<never> {
  const reason = new CancelledError('SIGINT')
  controller.abort(reason)
  throw reason
}

describe('withServerStopped: the server running again', () => {
  it('says how long the server was down', async () => {
    const run = await bracket(fakeClient({}))
    expect(run.failure).toBeUndefined()
    expect(run.info.find(line => line.includes('was down for'))).toMatch(
      /^Server 1001 \(web-1\) was down for 1m\d\ds\.$/
    )
  })
})

describe('withServerStopped: the journal of the stop', () => {
  it('records that NCP accepted the stop and when the action first saw it take effect', async () => {
    const stopped = { stoppedAt: 0, stopAccepted: true, stopSeenAt: 0 }
    const changes: unknown[] = []
    const journal = new JournalRecorder(j => changes.push(j.stopped))
    const clock = new FakeClock(0)
    await withServerStopped(
      {
        client: fakeClient({}),
        server: SERVER,
        journal,
        clock,
        signal: new AbortController().signal,
        log: { info: () => undefined, warning: () => undefined, debug: () => undefined },
        pollIntervalMs: 2_000,
        context: () => ({})
      },
      async () =>
        expect(journal.snapshot().stopped).toEqual({ no: '1001', name: 'web-1', ...stopped })
    )
    expect(changes.slice(0, 3)).toEqual([
      { no: '1001', name: 'web-1', stoppedAt: 0 },
      { no: '1001', name: 'web-1', stoppedAt: 0, stopAccepted: true },
      { no: '1001', name: 'web-1', ...stopped }
    ])
  })
})

describe('withServerStopped: a start that fails', () => {
  it('a start refused for good fails the step, saying the server is stopped, with the advice to start it', async () => {
    const run = await bracket(fakeClient(denied))
    expect(run.failure?.outcome).toBe('server-stopped')
    expect(run.failure?.message).toBe(
      'Server 1001 (web-1) is stopped: the action stopped it for the image and could not start it again: startServerInstances failed: HTTP 401, NCP gateway error 210, "Permission Denied".'
    )
    expect(run.failure?.nextStep).toBe(NEXT.startServer('1001'))
  })

  it('a start NCP accepted, on a server that does not run in time, is not called a stopped server', async () => {
    const run = await bracket(fakeClient({}, false))
    expect(run.failure?.outcome).toBe('error')
    expect(run.failure?.message).toMatch(
      /^Server 1001 \(web-1\) was started again, but is not running yet: /
    )
    expect(run.failure?.message).not.toContain('could not start it again')
    expect(run.failure?.nextStep).toBe(NEXT.checkServerState('1001'))
  })
})

describe('withServerStopped: a cancel', () => {
  it('sends one start and says it was sent and accepted', async () => {
    const run = await bracket(fakeClient({}), cancelled)
    expect(run.failure?.outcome).toBe('cancelled')
    expect(run.failure?.message).toBe(
      'Cancelled (SIGINT). Server 1001 (web-1) had been stopped by the action; the start request was sent and accepted, and it boots on its own.'
    )
    expect(run.failure?.nextStep).toBe(NEXT.cancelledBeforeCreate)
    expect(run.info).toContain('Start of server 1001 sent and accepted; it boots on its own.')
  })

  it('says a refused start left the server stopped, and puts starting it first in the advice', async () => {
    const run = await bracket(fakeClient(denied), cancelled)
    expect(run.failure?.outcome).toBe('cancelled')
    expect(run.failure?.message).toBe(
      'Cancelled (SIGINT). Server 1001 (web-1) had been stopped by the action; the start request was not accepted (startServerInstances failed: HTTP 401, NCP gateway error 210, "Permission Denied"): it is still stopped.'
    )
    expect(run.failure?.nextStep).toBe(`${NEXT.startServer('1001')} ${NEXT.cancelledBeforeCreate}`)
  })
})

describe('withServerStopped: a stop whose answer was lost', () => {
  /** A client whose stop answer is lost and whose server keeps running (NCP did not stop it yet). */
  function lostStopClient() {
    const lost = new NcloudError({
      action: 'stopServerInstances',
      source: 'network',
      code: 'ECONNRESET',
      transient: true,
      reached: 'maybe',
      gatewaySetting: 'api-url'
    })
    const sendOnce = jest.fn(async (action: string): Promise<ApiResult> => {
      if (action === START) throw new Error('no start may be sent for a server that runs')
      throw lost
    })
    const read = jest.fn(async (_action: string, params?: Params): Promise<ApiResult> => ({
      serverInstanceList: [
        {
          serverInstanceNo: params?.serverInstanceNo,
          serverInstanceStatus: { code: 'RUN' },
          serverInstanceOperation: { code: 'NULL' }
        }
      ]
    }))
    const client: Record<string, unknown> = {
      sendOnce,
      read,
      region: 'KR',
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }
    }
    client.afterCancel = () => client
    return { client: client as unknown as NcloudClient, sendOnce }
  }

  it('keeps the stop in the journal for the post step, starts nothing, and reports no downtime', async () => {
    const { client, sendOnce } = lostStopClient()
    const body = jest.fn(async () => 'made')
    const run = await bracket(client, body)
    expect(body).not.toHaveBeenCalled()
    expect(sendOnce.mock.calls.map(([action]) => action)).toEqual(['stopServerInstances'])
    expect(run.journal.stopped).toMatchObject({ no: '1001', stopUnsettled: true })
    expect(run.journal.stopped?.stopSeenAt).toBeUndefined()
    expect(powerOf(run.journal, 0)).toBeUndefined()
    expect(run.failure?.message).toBe(
      'Could not stop server 1001: stopServerInstances failed: no answer (ECONNRESET). Nothing was created. It kept running for 25s after the stop was sent; the post step watches it once more and starts it if NCP stops it late.'
    )
    expect(run.failure?.nextStep).toBe(NEXT.stopFailed)
  })
})
