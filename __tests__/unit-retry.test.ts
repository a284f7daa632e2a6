import { describe, expect, it, jest } from '@jest/globals'
import { DEFAULT_RETRY, backoffDelay, withRetry, type RetryPolicy } from '../src/retry.js'
import { FakeClock, untilSleeps } from './helpers/fake-clock.js'

const POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000
}
const ALMOST_ONE = 1 - Number.EPSILON

class Retryable extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('try again')
  }
}

describe('backoffDelay', () => {
  it('is 0 when random() is 0, whatever the attempt', () => {
    for (let failed = 1; failed <= 10; failed++)
      expect(backoffDelay(failed, POLICY, () => 0)).toBe(0)
  })

  it('stays below base * 2^(n-1) as random() approaches 1', () => {
    expect(backoffDelay(1, POLICY, () => ALMOST_ONE)).toBe(99)
    expect(backoffDelay(2, POLICY, () => ALMOST_ONE)).toBe(199)
    expect(backoffDelay(3, POLICY, () => ALMOST_ONE)).toBe(399)
    expect(backoffDelay(4, POLICY, () => ALMOST_ONE)).toBe(799)
  })

  it('scales the ceiling by random() (full jitter)', () => {
    expect(backoffDelay(3, POLICY, () => 0.5)).toBe(200)
    expect(backoffDelay(1, POLICY, () => 0.25)).toBe(25)
  })

  it('never goes above maxDelayMs', () => {
    expect(backoffDelay(5, POLICY, () => ALMOST_ONE)).toBe(999)
    expect(backoffDelay(30, POLICY, () => ALMOST_ONE)).toBe(999)
    expect(backoffDelay(30, POLICY, () => 0.5)).toBe(500)
  })

  it('uses Retry-After in place of the jitter', () => {
    expect(backoffDelay(1, POLICY, () => 0, 3_000)).toBe(3_000)
    expect(backoffDelay(1, POLICY, () => ALMOST_ONE, 0)).toBe(0)
    expect(backoffDelay(7, POLICY, () => 0.5, 1_500)).toBe(1_500)
  })

  it('caps Retry-After at maxRetryAfterMs', () => {
    expect(backoffDelay(1, POLICY, () => 0, 60_000)).toBe(5_000)
  })

  it('has the defaults the README documents: 5 attempts, 0.5 s doubling to 15 s, Retry-After up to 60 s', () => {
    expect(DEFAULT_RETRY).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 15_000,
      maxRetryAfterMs: 60_000
    })
    expect(Object.isFrozen(DEFAULT_RETRY)).toBe(true)
  })
})

describe('withRetry', () => {
  const options = (clock: FakeClock, extra: Partial<Parameters<typeof withRetry>[1]> = {}) => ({
    policy: POLICY,
    clock,
    random: () => ALMOST_ONE,
    isRetryable: (error: unknown) => error instanceof Retryable,
    retryAfterMs: (error: unknown) => (error instanceof Retryable ? error.retryAfterMs : undefined),
    ...extra
  })

  it('returns the first success without sleeping', async () => {
    const clock = new FakeClock()
    const operation = jest.fn(async (attempt: number) => `ok ${attempt}`)
    await expect(withRetry(operation, options(clock))).resolves.toBe('ok 1')
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('retries retryable errors on the backoff schedule and returns the later success', async () => {
    const clock = new FakeClock()
    const onRetry = jest.fn()
    const attempts: number[] = []
    const result = await withRetry(
      async attempt => {
        attempts.push(attempt)
        if (attempt < 3) throw new Retryable()
        return 'done'
      },
      options(clock, { onRetry })
    )
    expect(result).toBe('done')
    expect(attempts).toEqual([1, 2, 3])
    expect(clock.delays).toEqual([99, 199])
    expect(onRetry.mock.calls.map(([, failed, delay]) => [failed, delay])).toEqual([
      [1, 99],
      [2, 199]
    ])
  })

  it('gives up after maxAttempts and throws the last error', async () => {
    const clock = new FakeClock()
    const errors: Retryable[] = []
    const operation = jest.fn(async () => {
      const error = new Retryable()
      errors.push(error)
      throw error
    })
    const thrown = await withRetry(operation, options(clock)).catch((error: unknown) => error)
    expect(errors).toHaveLength(POLICY.maxAttempts)
    expect(thrown).toBe(errors[POLICY.maxAttempts - 1])
    expect(operation).toHaveBeenCalledTimes(POLICY.maxAttempts)
    expect(clock.delays).toEqual([99, 199, 399])
  })

  it('stops at once on an error that is not retryable', async () => {
    const clock = new FakeClock()
    const fatal = new Error('no')
    const operation = jest.fn(async () => {
      throw fatal
    })
    await expect(withRetry(operation, options(clock))).rejects.toBe(fatal)
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('stops on a non-retryable error after retryable ones', async () => {
    const clock = new FakeClock()
    const fatal = new Error('no')
    const operation = jest.fn(async (attempt: number) => {
      throw attempt === 1 ? new Retryable() : fatal
    })
    await expect(withRetry(operation, options(clock))).rejects.toBe(fatal)
    expect(operation).toHaveBeenCalledTimes(2)
  })

  it('sleeps for the Retry-After the error carries, capped', async () => {
    const clock = new FakeClock()
    const retryAfters = [2_000, 60_000]
    await withRetry(async attempt => {
      if (attempt <= retryAfters.length) throw new Retryable(retryAfters[attempt - 1])
      return 'ok'
    }, options(clock))
    expect(clock.delays).toEqual([2_000, 5_000])
  })

  it('uses Math.random when no random is given, within the jitter bounds', async () => {
    const clock = new FakeClock()
    await withRetry(
      async attempt => {
        if (attempt < 4) throw new Retryable()
        return 'ok'
      },
      options(clock, { random: undefined })
    )
    const ceilings = [100, 200, 400]
    clock.delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(ceilings[index])
    })
    expect(clock.delays).toHaveLength(3)
  })

  it('rejects with the abort reason as soon as the signal aborts during a sleep, without another attempt', async () => {
    const clock = new FakeClock()
    clock.hold = true
    const controller = new AbortController()
    const reason = new Error('cancelled')
    const operation = jest.fn(async () => {
      throw new Retryable()
    })
    const outcome = withRetry(operation, options(clock, { signal: controller.signal }))
    await untilSleeps(clock, 1)
    controller.abort(reason)
    await expect(outcome).rejects.toBe(reason)
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toHaveLength(1)
  })

  it.each([
    ['retryable', () => new Retryable()],
    ['not retryable', () => new Error('socket closed by the abort')]
  ])(
    'rejects with the abort reason, not the %s error, when the operation fails because of the abort',
    async (_label, failure) => {
      const clock = new FakeClock()
      const controller = new AbortController()
      const reason = new Error('cancelled')
      const onRetry = jest.fn()
      const operation = jest.fn(async () => {
        controller.abort(reason)
        throw failure()
      })
      await expect(
        withRetry(operation, options(clock, { signal: controller.signal, onRetry }))
      ).rejects.toBe(reason)
      expect(operation).toHaveBeenCalledTimes(1)
      expect(onRetry).not.toHaveBeenCalled()
      expect(clock.sleeps).toEqual([])
    }
  )
})
