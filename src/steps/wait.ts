import type { Clock } from '../lib/clock.js'
import { formatDuration } from '../lib/duration.js'
import type { ImageRecord, ImageState } from '../ncloud/images.js'
import type { Log } from '../lib/log.js'

export type WaitResult =
  | { state: 'created' | 'failed' | 'going-away'; image: ImageRecord }
  | {
      state: 'timed-out'
      image: ImageRecord
      /** When the image's status was last read (the create's answer counts). */
      lastReadAt: number
      /** Why the polls since then failed, if they did. */
      lastError?: unknown
    }

/** How the wait treats a failed poll: try again at the next poll, or end the wait. */
export type PollFailure = 'transient' | 'doubtful' | 'fatal'

export interface WaitOptions {
  timeoutMs: number
  intervalMs: number
  clock: Clock
  signal?: AbortSignal
  log: Log
  stateOf(image: ImageRecord): ImageState
  /** transient: polled again until the timeout; doubtful: polled again unless it repeats; fatal: ends the wait. */
  classify(error: unknown): PollFailure
  /** The longest silence while waiting. */
  heartbeatMs?: number
}

/** A doubtful answer (a 200 that is not NCP's JSON, or that lacks the image) ends the wait on this repeat. */
export const DOUBTFUL_REPEATS = 3

/**
 * Polls `read` every interval, on a fixed schedule from the start, until the image is created,
 * failed or going away, or the timeout passes. Each read gets the wait's deadline, so its retries end with it.
 * Knows nothing of HTTP: the reader and the clock are given.
 */
export async function waitForImage(
  read: (deadline: number) => Promise<ImageRecord>,
  initial: ImageRecord,
  options: WaitOptions
): Promise<WaitResult> {
  const { clock, signal, intervalMs, timeoutMs, log } = options
  const heartbeatMs = options.heartbeatMs ?? 60_000
  const start = clock.now()
  const deadline = start + timeoutMs
  let image = initial
  let lastReadAt = start
  let lastError: unknown
  let doubtful = 0
  let lastStatus: string | undefined
  let lastLine = -Infinity

  const report = (force: boolean): void => {
    const now = clock.now()
    if (!force && now - lastLine < heartbeatMs) return
    lastLine = now
    log.info(
      `Image ${image.no} (${image.name}): ${describeStatus(image, options.stateOf(image))}, ${formatDuration(now - start)} elapsed, ${formatDuration(deadline - now)} left.`
    )
  }

  for (;;) {
    const state = options.stateOf(image)
    if (image.status !== lastStatus && state === 'unknown') {
      log.warning(
        `Image ${image.no} reports ${describeStatus(image, state)}; the action goes on waiting for CREAT or CREFL.`
      )
    }
    report(image.status !== lastStatus)
    lastStatus = image.status
    if (state === 'created' || state === 'failed' || state === 'going-away') return { state, image }
    const now = clock.now()
    if (now >= deadline) return { state: 'timed-out', image, lastReadAt, lastError }
    const nextSlot = start + (Math.floor((now - start) / intervalMs) + 1) * intervalMs
    const pollAt = Math.min(nextSlot, deadline)
    // Long poll intervals still get a line at least every heartbeat.
    while (clock.now() < pollAt) {
      await clock.sleep(Math.min(pollAt, lastLine + heartbeatMs) - clock.now(), signal)
      if (clock.now() < pollAt) report(false)
    }
    try {
      image = await read(deadline)
      lastReadAt = clock.now()
      lastError = undefined
      doubtful = 0
    } catch (error) {
      signal?.throwIfAborted()
      const kind = options.classify(error)
      if (kind === 'fatal') throw error
      if (kind === 'doubtful' && ++doubtful >= DOUBTFUL_REPEATS) throw error
      lastError = error
      const repeat = kind === 'doubtful' ? ` (${doubtful} of ${DOUBTFUL_REPEATS} such answers)` : ''
      log.warning(
        `Could not read image ${image.no} this time${repeat}: ${error instanceof Error ? error.message : String(error)} Still waiting.`
      )
    }
  }
}

/** `INIT (creating)`, or a code the action does not know, named as such. */
export function describeStatus(image: ImageRecord, state: ImageState): string {
  const code = image.status || 'no status code'
  const shown = image.statusName ? `${code} (${image.statusName})` : code
  return state === 'unknown' ? `status ${shown}, which this action does not know` : shown
}
