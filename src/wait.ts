import type { Clock } from './clock.js'
import { formatDuration } from './duration.js'

export interface PolledImage {
  no: string
  name: string
  status: string
  statusName?: string
}

export type WaitResult<T extends PolledImage> =
  { state: 'created'; image: T } | { state: 'failed'; image: T } | { state: 'timed-out'; image: T }

export interface WaitOptions {
  timeoutMs: number
  intervalMs: number
  clock: Clock
  signal?: AbortSignal
  info(line: string): void
  warn(line: string): void
  /** Errors worth another poll (the read already retried them); anything else ends the wait. */
  isTransient(error: unknown): boolean
  /** The longest silence while waiting. */
  heartbeatMs?: number
}

export const CREATED = 'CREAT'
export const CREATE_FAILED = 'CREFL'

/** Where an image's status leaves the wait: done, failed, or still going. */
export function imageOutcome(status: string): 'created' | 'failed' | 'pending' {
  if (status === CREATED) return 'created'
  if (status === CREATE_FAILED) return 'failed'
  return 'pending'
}

/**
 * Polls `read` every interval, on a fixed schedule from the start, until the image is created or
 * failed, or the timeout passes. Knows nothing of HTTP: the reader and the clock are given.
 */
export async function waitForImage<T extends PolledImage>(
  read: () => Promise<T>,
  initial: T,
  options: WaitOptions
): Promise<WaitResult<T>> {
  const { clock, signal, intervalMs, timeoutMs } = options
  const heartbeatMs = options.heartbeatMs ?? 60_000
  const start = clock.now()
  const deadline = start + timeoutMs
  let image = initial
  let lastStatus = ''
  let lastLine = -Infinity

  const report = (force: boolean): void => {
    const now = clock.now()
    if (!force && now - lastLine < heartbeatMs) return
    lastLine = now
    const state = image.statusName ? `${image.status} (${image.statusName})` : image.status
    options.info(
      `Image ${image.no} (${image.name}): ${state}, ${formatDuration(now - start)} elapsed, ${formatDuration(deadline - now)} left.`
    )
  }

  for (;;) {
    const outcome = imageOutcome(image.status)
    report(image.status !== lastStatus)
    lastStatus = image.status
    if (outcome !== 'pending') return { state: outcome, image }
    const now = clock.now()
    if (now >= deadline) return { state: 'timed-out', image }
    const nextSlot = start + (Math.floor((now - start) / intervalMs) + 1) * intervalMs
    const pollAt = Math.min(nextSlot, deadline)
    // Long poll intervals still get a line at least every heartbeat.
    while (clock.now() < pollAt) {
      await clock.sleep(Math.min(pollAt, lastLine + heartbeatMs) - clock.now(), signal)
      if (clock.now() < pollAt) report(false)
    }
    try {
      image = await read()
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      if (!options.isTransient(error)) throw error
      options.warn(
        `Could not read image ${image.no} this time (${error instanceof Error ? error.message : String(error)}); still waiting.`
      )
    }
  }
}
