import { describe, expect, it, jest } from '@jest/globals'
import {
  DEFAULT_RETRY,
  backoffDelay,
  retrying,
  type RetryOptions,
  type RetryPolicy
} from '../src/lib/retry.js'
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

describe('retrying', () => {
  /** Retries a Retryable (with its Retry-After), stops on anything else. */
  const options = (
    clock: FakeClock,
    extra: Partial<RetryOptions<string>> = {}
  ): RetryOptions<string> => ({
    label: 'getThing',
    policy: POLICY,
    clock,
    random: () => ALMOST_ONE,
    decide: error =>
      error instanceof Retryable
        ? { verdict: 'again', why: 'Retrying', retryAfterMs: error.retryAfterMs }
        : { verdict: 'stop' },
    describe: error => (error instanceof Error ? error.message : String(error)),
    log: () => undefined,
    ...extra
  })

  it('returns the first success without sleeping', async () => {
    const clock = new FakeClock()
    const operation = jest.fn(async (attempt: number) => `ok ${attempt}`)
    await expect(retrying(operation, options(clock))).resolves.toBe('ok 1')
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('retries on the backoff schedule, logging each retry, and returns the later success', async () => {
    const clock = new FakeClock()
    const log = jest.fn<(line: string) => void>()
    const attempts: number[] = []
    const result = await retrying(
      async (attempt: number) => {
        attempts.push(attempt)
        if (attempt < 3) throw new Retryable()
        return 'done'
      },
      options(clock, { log })
    )
    expect(result).toBe('done')
    expect(attempts).toEqual([1, 2, 3])
    expect(clock.delays).toEqual([99, 199])
    expect(log.mock.calls.map(([line]) => line)).toEqual([
      'getThing: attempt 1 of 4 failed: try again Retrying in 99 ms.',
      'getThing: attempt 2 of 4 failed: try again Retrying in 199 ms.'
    ])
  })

  it('asks decide about each failure with its attempt number', async () => {
    const clock = new FakeClock()
    const seen: [unknown, number][] = []
    const errors = [new Retryable(), new Retryable()]
    await retrying(
      async (attempt: number) => {
        if (attempt <= errors.length) throw errors[attempt - 1]
        return 'ok'
      },
      options(clock, {
        decide: (error, attempt) => {
          seen.push([error, attempt])
          return { verdict: 'again', why: 'Retrying' }
        }
      })
    )
    expect(seen).toEqual([
      [errors[0], 1],
      [errors[1], 2]
    ])
  })

  it('puts the why of the verdict into the log line', async () => {
    const clock = new FakeClock()
    const log = jest.fn<(line: string) => void>()
    await retrying(
      async (attempt: number) => {
        if (attempt === 1) throw new Error('HTTP 429')
        return 'ok'
      },
      options(clock, {
        log,
        decide: () => ({
          verdict: 'again',
          why: 'It never reached the service, so it is sent again'
        })
      })
    )
    expect(log.mock.calls[0][0]).toBe(
      'getThing: attempt 1 of 4 failed: HTTP 429 It never reached the service, so it is sent again in 99 ms.'
    )
  })

  it('gives up after maxAttempts and throws the last error', async () => {
    const clock = new FakeClock()
    const errors: Retryable[] = []
    const operation = jest.fn(async () => {
      const error = new Retryable()
      errors.push(error)
      throw error
    })
    const thrown = await retrying(operation, options(clock)).catch((error: unknown) => error)
    expect(errors).toHaveLength(POLICY.maxAttempts)
    expect(thrown).toBe(errors[POLICY.maxAttempts - 1])
    expect(operation).toHaveBeenCalledTimes(POLICY.maxAttempts)
    expect(clock.delays).toEqual([99, 199, 399])
  })

  it('stops at once when decide says stop', async () => {
    const clock = new FakeClock()
    const log = jest.fn<(line: string) => void>()
    const fatal = new Error('no')
    const operation = jest.fn(async () => {
      throw fatal
    })
    await expect(retrying(operation, options(clock, { log }))).rejects.toBe(fatal)
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
    expect(log).not.toHaveBeenCalled()
  })

  it('stops on a failure decide stops on after ones it retried', async () => {
    const clock = new FakeClock()
    const fatal = new Error('no')
    const operation = jest.fn(async (attempt: number) => {
      throw attempt === 1 ? new Retryable() : fatal
    })
    await expect(retrying(operation, options(clock))).rejects.toBe(fatal)
    expect(operation).toHaveBeenCalledTimes(2)
  })

  it('ends with the value of a settled verdict, without another attempt', async () => {
    const clock = new FakeClock()
    const operation = jest.fn(async () => {
      throw new Error('lost reply')
    })
    const result = await retrying(
      operation,
      options(clock, { decide: async () => ({ verdict: 'settled', value: 'found it' }) })
    )
    expect(result).toBe('found it')
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('throws what an asynchronous decide throws', async () => {
    const clock = new FakeClock()
    const fromDecide = new Error('lookup failed')
    await expect(
      retrying(
        async () => {
          throw new Retryable()
        },
        options(clock, {
          decide: async () => {
            throw fromDecide
          }
        })
      )
    ).rejects.toBe(fromDecide)
  })

  it('sleeps for the Retry-After the verdict carries, capped', async () => {
    const clock = new FakeClock()
    const retryAfters = [2_000, 60_000]
    await retrying(async (attempt: number) => {
      if (attempt <= retryAfters.length) throw new Retryable(retryAfters[attempt - 1])
      return 'ok'
    }, options(clock))
    expect(clock.delays).toEqual([2_000, 5_000])
  })

  it('starts no pause that would end at or after the deadline, and throws the last error', async () => {
    const clock = new FakeClock()
    const log = jest.fn<(line: string) => void>()
    const errors: Retryable[] = []
    const operation = jest.fn(async () => {
      const error = new Retryable()
      errors.push(error)
      throw error
    })
    // The pauses are 99 and 199 ms: the first ends before the deadline, the second would not.
    const deadline = clock.now() + 99 + 150
    const thrown = await retrying(operation, options(clock, { deadline, log })).catch(
      (error: unknown) => error
    )
    expect(operation).toHaveBeenCalledTimes(2)
    expect(thrown).toBe(errors[1])
    expect(clock.delays).toEqual([99])
    expect(log).toHaveBeenCalledTimes(1)
    expect(clock.now()).toBeLessThan(deadline)
  })

  it('makes no second attempt once the deadline has passed', async () => {
    const clock = new FakeClock()
    const operation = jest.fn(async () => {
      throw new Retryable()
    })
    await expect(
      retrying(operation, options(clock, { deadline: clock.now(), random: () => 0 }))
    ).rejects.toBeInstanceOf(Retryable)
    expect(operation).toHaveBeenCalledTimes(1)
    expect(clock.sleeps).toEqual([])
  })

  it('uses Math.random when no random is given, within the jitter bounds', async () => {
    const clock = new FakeClock()
    await retrying(
      async (attempt: number) => {
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
    const outcome = retrying(operation, options(clock, { signal: controller.signal }))
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
      const log = jest.fn<(line: string) => void>()
      const decide = jest.fn<RetryOptions<string>['decide']>(() => ({
        verdict: 'again',
        why: 'Retrying'
      }))
      const operation = jest.fn(async () => {
        controller.abort(reason)
        throw failure()
      })
      await expect(
        retrying(operation, options(clock, { signal: controller.signal, log, decide }))
      ).rejects.toBe(reason)
      expect(operation).toHaveBeenCalledTimes(1)
      expect(decide).not.toHaveBeenCalled()
      expect(log).not.toHaveBeenCalled()
      expect(clock.sleeps).toEqual([])
    }
  )
})
