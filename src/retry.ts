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

export interface RetryOptions {
  policy: RetryPolicy
  clock: Clock
  random?: () => number
  signal?: AbortSignal
  isRetryable(error: unknown): boolean
  retryAfterMs?(error: unknown): number | undefined
  onRetry?(error: unknown, failedAttempts: number, delayMs: number): void
}

export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const random = options.random ?? Math.random
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      if (attempt >= options.policy.maxAttempts || !options.isRetryable(error)) throw error
      const delay = backoffDelay(attempt, options.policy, random, options.retryAfterMs?.(error))
      options.onRetry?.(error, attempt, delay)
      await options.clock.sleep(delay, options.signal)
    }
  }
}
