import type { Clock } from './clock.js'

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** The longest Retry-After this policy will honour. */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000
})

/**
 * Capped exponential backoff with full jitter: a random delay in [0, min(cap, base * 2^(n-1)))
 * after the n-th failed attempt. A Retry-After from the server replaces the jitter.
 */
export function backoffDelay(
  failedAttempts: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1))
  return Math.floor(random() * ceiling)
}

/** What to do after a failed attempt: stop with the error, try again, or finish with a value. */
export type Verdict<T> =
  | { verdict: 'stop' }
  | {
      verdict: 'again'
      retryAfterMs?: number
      /** Starts the log line's second sentence: "Retrying", "It never reached the service, so it is sent again". */
      why: string
    }
  | { verdict: 'settled'; value: T }

export interface RetryOptions<T> {
  /** Names the operation in the log line. */
  label: string
  policy: RetryPolicy
  clock: Clock
  signal?: AbortSignal
  random?: () => number
  /** No attempt starts, and no pause ends, after this time (on the clock). */
  deadline?: number
  decide(error: unknown, attempt: number): Verdict<T> | Promise<Verdict<T>>
  /** The error as the log line shows it: the caller knows the errors of its API. */
  describe(error: unknown): string
  log(line: string): void
}

/**
 * The one retry loop: runs the operation, asks `decide` after each failure, backs off, and never
 * sleeps past the deadline or the attempt limit. A cancelled run stops at once.
 */
export async function retrying<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions<T>
): Promise<T> {
  const { policy, clock, signal } = options
  for (let attempt = 1; ; attempt++) {
    let error: unknown
    try {
      return await operation(attempt)
    } catch (caught) {
      error = caught
    }
    signal?.throwIfAborted()
    const next = await options.decide(error, attempt)
    if (next.verdict === 'settled') return next.value
    if (next.verdict === 'stop' || attempt >= policy.maxAttempts) throw error
    const delay = backoffDelay(attempt, policy, options.random ?? Math.random, next.retryAfterMs)
    if (options.deadline !== undefined && clock.now() + delay >= options.deadline) throw error
    options.log(
      `${options.label}: attempt ${attempt} of ${policy.maxAttempts} failed: ${options.describe(error)} ${next.why} in ${delay} ms.`
    )
    await clock.sleep(delay, signal)
  }
}
