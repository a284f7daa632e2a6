import type { Clock } from '../lib/clock.js'
import { formatDuration } from '../lib/duration.js'
import { STOP_SETTLE_MS, STOP_SETTLE_READS, STOP_TIMEOUT_MS } from './timing.js'
import { RunFailure } from '../model/failure.js'
import type { NcloudClient } from '../ncloud/client.js'
import { NcloudError, describeError } from '../ncloud/errors.js'
import { readServer, type ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import type { Log } from '../lib/log.js'
import { retrying, type RetryPolicy } from '../lib/retry.js'

/** How long the action keeps trying to start the server again, a refused start and booting included. */
export const START_BUDGET_MS = 15 * 60_000
/** How long a server that NCP started may take to be RUN. */
export const BOOT_TIMEOUT_MS = 15 * 60_000
/** The pause before asking again after NCP refused a start (e.g. while the image is being made). */
const REFUSED_START_PAUSE_MS = 15_000
const START_POLICY: RetryPolicy = {
  maxAttempts: 200,
  baseDelayMs: 1_000,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000
}

export interface PowerDeps {
  clock: Clock
  signal?: AbortSignal
  log: Log
  pollIntervalMs: number
  random?: () => number
}

export interface StopEvents {
  sent(): void
  undone(): void
  /** The stop's answer was lost and the server kept running: it may still be stopped late. */
  unsettled?(): void
  answered?(): void
  seen?(): void
}

/** The stop has taken effect: the server is shutting down or stopped. */
export const stopTakingEffect = (server: ServerRecord): boolean =>
  server.status === 'NSTOP' || server.operation === 'SHTDN'

const STOP = 'stopServerInstances'
const START = 'startServerInstances'

/** Stops a running server and waits until it is NSTOP. Returns the time the stop was sent. */
export async function stopServer(
  client: NcloudClient,
  server: ServerRecord,
  deps: PowerDeps,
  /**
   * `sent`: just before the stop request leaves; from then on the server must be started again.
   * `undone`: the stop was refused and the server is still running: nothing to start.
   * `answered`: NCP accepted the stop. `seen`: a read showed it take effect (SHTDN or NSTOP).
   */
  stop: StopEvents = { sent: () => undefined, undone: () => undefined }
): Promise<number> {
  const sentAt = deps.clock.now()
  deps.signal?.throwIfAborted()
  stop.sent()
  deps.log.info(
    `Stopping server ${server.no} (stop-server: true), then waiting up to ${formatDuration(STOP_TIMEOUT_MS)} for it to be stopped (NSTOP).`
  )
  try {
    await retrying(() => client.sendOnce(STOP, { 'serverInstanceNoList.1': server.no }), {
      label: STOP,
      policy: client.retryPolicy,
      clock: deps.clock,
      signal: deps.signal,
      random: deps.random,
      describe: describeError,
      log: deps.log.warning,
      // Only a stop that never reached the service is sent again; any other is settled by a read.
      decide: error =>
        error instanceof NcloudError && error.transient && error.reached === 'no'
          ? {
              verdict: 'again',
              why: 'It never reached the service, so it is sent again',
              retryAfterMs: error.fields.retryAfterMs
            }
          : { verdict: 'stop' }
    })
    stop.answered?.()
  } catch (error) {
    deps.signal?.throwIfAborted()
    // A stop whose reply was lost may have been carried out, perhaps a moment from now: the
    // server's state says, watched for a while unless NCP plainly refused the stop.
    const refused = error instanceof NcloudError && error.reached !== 'maybe'
    const now = await readServer(client, server.no)
    if (!stopTakingEffect(now) && (refused || !(await stopsWithin(client, server.no, deps)))) {
      if (refused) stop.undone()
      else (stop.unsettled ?? stop.undone)()
      throw new RunFailure(
        `Could not stop server ${server.no}: ${describeError(error)} Nothing was created.${refused ? '' : ` It kept running for ${formatDuration(STOP_SETTLE_MS)} after the stop was sent; the post step watches it once more and starts it if NCP stops it late.`}`,
        'error',
        NEXT.stopFailed
      )
    }
  }
  const seen = (now: ServerRecord): void => (stopTakingEffect(now) ? stop.seen?.() : undefined)
  await waitForServer(client, server.no, 'NSTOP', sentAt + STOP_TIMEOUT_MS, deps, seen)
  deps.log.info(
    `Server ${server.no} is stopped (NSTOP) after ${formatDuration(deps.clock.now() - sentAt)}.`
  )
  return sentAt
}

/** Whether the server starts shutting down within STOP_SETTLE_MS (a stop NCP carries out late). */
async function stopsWithin(client: NcloudClient, no: string, deps: PowerDeps): Promise<boolean> {
  deps.log.info(
    `The answer to the stop of server ${no} was lost and it still runs (RUN): watching it for ${formatDuration(STOP_SETTLE_MS)} in case the stop takes effect late.`
  )
  for (let read = 0; read < STOP_SETTLE_READS; read++) {
    await deps.clock.sleep(STOP_SETTLE_MS / STOP_SETTLE_READS, deps.signal)
    if (stopTakingEffect(await readServer(client, no))) return true
  }
  return false
}

/**
 * Starts the server again and waits until it is RUN. A start NCP refuses (say, while the image is
 * still being made) is asked again after a pause, within START_BUDGET_MS; transient failures are
 * retried as reads are. Returns when it is RUN, or throws why it is not.
 */
export async function startServer(
  client: NcloudClient,
  serverInstanceNo: string,
  deps: PowerDeps,
  onAccepted: () => void = () => undefined,
  /** When the start must be accepted, and the server RUN, by: the post step's budget. */
  by?: { accepted: number; running: number }
): Promise<void> {
  const deadline = by?.accepted ?? deps.clock.now() + START_BUDGET_MS
  deps.log.info(`Starting server ${serverInstanceNo} again (the action stopped it).`)
  await retrying(() => client.sendOnce(START, { 'serverInstanceNoList.1': serverInstanceNo }), {
    label: START,
    policy: START_POLICY,
    clock: deps.clock,
    signal: deps.signal,
    random: deps.random,
    deadline,
    describe: describeError,
    log: deps.log.warning,
    decide: async error => {
      if (error instanceof NcloudError && error.transient) {
        return { verdict: 'again', why: 'Retrying', retryAfterMs: error.fields.retryAfterMs }
      }
      // A lost or unreadable reply, or a start already under way, leaves the server starting.
      const now = await readServer(client, serverInstanceNo)
      if (isStarting(now)) return { verdict: 'settled', value: {} }
      const refused = error instanceof NcloudError && error.fields.source === 'service'
      return refused
        ? {
            verdict: 'again',
            why: 'NCP refused the start for now; asking again',
            retryAfterMs: REFUSED_START_PAUSE_MS
          }
        : { verdict: 'stop' }
    }
  })
  onAccepted()
  // Booting gets its own time: a start that took the budget to be accepted still gets to boot.
  const runningBy = by?.running ?? deps.clock.now() + BOOT_TIMEOUT_MS
  await waitForServer(client, serverInstanceNo, 'RUN', runningBy, deps)
  deps.log.info(`Server ${serverInstanceNo} is running (RUN) again.`)
}

/**
 * After a cancel, the runner allows a few seconds: one start request, no waiting. Says whether
 * NCP accepted it.
 */
export async function startAfterCancel(
  client: NcloudClient,
  serverInstanceNo: string,
  log: Log
): Promise<{ accepted: boolean; why?: string }> {
  try {
    await client.sendOnce(START, { 'serverInstanceNoList.1': serverInstanceNo })
    log.info(`Start of server ${serverInstanceNo} sent and accepted; it boots on its own.`)
    return { accepted: true }
  } catch (error) {
    const why = describeError(error)
    // A start already under way (a lost reply, or an earlier start) is refused: ask the server.
    const now = await readServer(client, serverInstanceNo).catch(() => undefined)
    if (now && isStarting(now)) {
      log.info(`Server ${serverInstanceNo} is already starting (${now.status}, ${now.operation}).`)
      return { accepted: true }
    }
    log.warning(`Start of server ${serverInstanceNo} was not accepted: ${why}`)
    return { accepted: false, why }
  }
}

/** Servers change state in seconds to minutes: poll-interval, kept between 2 and 15 seconds. */
function powerPollMs(pollIntervalMs: number): number {
  return Math.min(15_000, Math.max(2_000, pollIntervalMs))
}

/** Running or booting: a server shutting down also shows RUN, with the operation SHTDN. */
export function isStarting(server: ServerRecord): boolean {
  return server.operation === 'START' || (server.status === 'RUN' && server.operation !== 'SHTDN')
}

/** Polls the server until it has the status with no operation in progress, or the deadline. */
export async function waitForServer(
  client: NcloudClient,
  serverInstanceNo: string,
  status: 'RUN' | 'NSTOP',
  deadline: number,
  deps: PowerDeps,
  onRead: (server: ServerRecord) => void = () => undefined
): Promise<void> {
  for (;;) {
    const server = await readServer(client, serverInstanceNo)
    onRead(server)
    if (server.status === status && server.operation === 'NULL') return
    if (deps.clock.now() >= deadline) {
      throw new RunFailure(
        `Server ${serverInstanceNo} did not reach ${status} in time: it is ${server.status}${server.operation !== 'NULL' ? ` with the operation ${server.operation}` : ''}.`,
        'error',
        NEXT.checkServerState(serverInstanceNo)
      )
    }
    await deps.clock.sleep(
      Math.min(powerPollMs(deps.pollIntervalMs), Math.max(0, deadline - deps.clock.now())),
      deps.signal
    )
  }
}
