import { describe, expect, it, jest } from '@jest/globals'
import type { SavedJournal } from '../src/model/journal-state.js'
import type { ApiResult, NcloudClient, Params } from '../src/ncloud/client.js'
import { startStoppedServer } from '../src/steps/finish-server.js'
import type { FinishContext } from '../src/steps/finishers.js'
import { STOP_SETTLE_MS, STOP_SETTLE_READS } from '../src/steps/timing.js'
import { FakeClock } from './helpers/fake-clock.js'
import { serverAnswer, type ServerState } from './helpers/server-answer.js'

// The post step's finisher for a stopped server: when it trusts a server that reads RUN, when it
// watches it first (a stop NCP may still carry out), and the words it leaves in the log.

const DETAIL = 'getServerInstanceDetail'
const START = 'startServerInstances'
const LABEL = 'Server 1001 (web-1)'
type State = ServerState

/** Each read gives the next state (the last repeats); a start is accepted. */
function context(states: State[], budgetMs = 4 * 60_000) {
  const read = jest.fn(async (_action: string, params?: Params): Promise<ApiResult> =>
    serverAnswer(params?.serverInstanceNo, states.length > 1 ? states.shift()! : states[0])
  )
  const sendOnce = jest.fn(async (_action: string, _params?: Params): Promise<ApiResult> => ({}))
  const retryPolicy = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }
  const client = { read, sendOnce, region: 'KR', retryPolicy } as unknown as NcloudClient
  const info = jest.fn<(line: string) => void>()
  const clock = new FakeClock()
  const ctx: FinishContext = {
    client,
    clock,
    signal: new AbortController().signal,
    log: { info, warning: () => undefined, debug: () => undefined },
    pollIntervalMs: 5_000,
    random: () => 0,
    deadline: clock.now() + budgetMs,
    budgetMs
  }
  const lines = () => info.mock.calls.map(call => call[0])
  return { ctx, read, sendOnce, clock, lines }
}

const finish = (stopped: { stoppedAt: number } & Record<string, unknown>, ctx: FinishContext) => {
  const journal: SavedJournal = { version: 1, stopped: { no: '1001', name: 'web-1', ...stopped } }
  return startStoppedServer(journal)!.finish(ctx)
}

describe('startStoppedServer: a server that reads RUN', () => {
  it('is trusted at once (one read) when main saw the stop take effect', async () => {
    const { ctx, read, sendOnce, clock, lines } = context([['RUN', 'NULL']])
    const start = clock.now()
    const done = await finish({ stoppedAt: 1, stopAccepted: true, stopSeenAt: 2 }, ctx)
    expect(done).toEqual({ ok: true, line: `${LABEL} is running (RUN) again.` })
    expect(read).toHaveBeenCalledTimes(1)
    expect(sendOnce).not.toHaveBeenCalled()
    expect(clock.now()).toBe(start)
    expect(lines()[1]).toBe(`${LABEL} is running (RUN).`)
  })

  it.each([
    ['NCP accepted the stop', { stopAccepted: true }],
    ["the stop's answer never came", {}],
    ["the stop's answer never came", { startSentAt: 3, startAccepted: true }]
  ])(
    'is watched over the settle period when main never saw the stop take effect (%s), then reported running',
    async (why, entry) => {
      const { ctx, read, sendOnce, clock, lines } = context([['RUN', 'NULL']])
      const start = clock.now()
      const done = await finish({ stoppedAt: 1, ...entry }, ctx)
      expect(done).toEqual({
        ok: true,
        line: `${LABEL} is running (RUN): the stop the action sent was not seen taking effect.`
      })
      expect(read).toHaveBeenCalledTimes(1 + STOP_SETTLE_READS)
      expect(clock.now() - start).toBe(STOP_SETTLE_MS)
      expect(sendOnce).not.toHaveBeenCalled()
      expect(lines().slice(1)).toEqual([
        `${LABEL} is running (RUN), but the main step never saw it shutting down (${why}): the post step watches it for 25s in case the stop still takes effect.`,
        `${LABEL} stayed running (RUN): the stop was not seen taking effect.`
      ])
    }
  )

  it('waits for NSTOP and starts it again when the stop takes effect while it watches', async () => {
    const { ctx, read, sendOnce, lines } = context([
      ['RUN', 'NULL'],
      ['RUN', 'NULL'],
      ['RUN', 'SHTDN'],
      ['NSTOP', 'NULL'],
      ['NSTOP', 'START'],
      ['RUN', 'NULL']
    ])
    const done = await finish({ stoppedAt: 1, stopAccepted: true }, ctx)
    expect(done).toEqual({
      ok: true,
      line: `${LABEL} is running (RUN) again: the post step started it after the main step ended.`
    })
    expect(sendOnce.mock.calls.map(call => call[0])).toEqual([START])
    expect(read.mock.calls.every(call => call[0] === DETAIL)).toBe(true)
    expect(lines()).toContain(
      `${LABEL} is RUN with the operation SHTDN: NCP carried out the stop late.`
    )
  })

  it('watches no longer than the post step’s budget', async () => {
    const { ctx, clock } = context([['RUN', 'NULL']], 10_000)
    const start = clock.now()
    const done = await finish({ stoppedAt: 1 }, ctx)
    expect(done.ok).toBe(true)
    expect(clock.now() - start).toBe(10_000)
  })
})
