import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { systemClock } from '../src/lib/clock.js'
import { DeadlineExpired, deadline } from '../src/lib/deadline.js'

// Jest's fake timers stand in for setTimeout and Date.now: no real time passes.
beforeEach(() => {
  jest.useFakeTimers()
})
afterEach(() => {
  jest.useRealTimers()
})

describe('deadline', () => {
  it('aborts when its time has passed, not before, with a DeadlineExpired reason', () => {
    const ends = deadline(1000)
    jest.advanceTimersByTime(999)
    expect(ends.signal.aborted).toBe(false)
    expect(ends.expired).toBe(false)
    jest.advanceTimersByTime(1)
    expect(ends.signal.aborted).toBe(true)
    expect(ends.expired).toBe(true)
    expect(ends.signal.reason).toBeInstanceOf(DeadlineExpired)
    expect((ends.signal.reason as Error).message).toBe('the deadline of 1000 ms passed')
  })

  it('aborts at once with the parent’s reason, and is then not expired', () => {
    const parent = new AbortController()
    const ends = deadline(1000, parent.signal)
    const why = new Error('cancelled')
    parent.abort(why)
    expect(ends.signal.reason).toBe(why)
    expect(ends.expired).toBe(false)
    expect(jest.getTimerCount()).toBe(0)
    jest.advanceTimersByTime(5000)
    expect(ends.expired).toBe(false)
  })

  it('starts aborted when the parent already is', () => {
    const parent = new AbortController()
    parent.abort(new Error('before'))
    const ends = deadline(1000, parent.signal)
    expect(ends.signal.aborted).toBe(true)
    expect((ends.signal.reason as Error).message).toBe('before')
    expect(jest.getTimerCount()).toBe(0)
  })

  it('dispose() clears the timer and stops listening to the parent', () => {
    const parent = new AbortController()
    const ends = deadline(1000, parent.signal)
    expect(jest.getTimerCount()).toBe(1)
    ends.dispose()
    expect(jest.getTimerCount()).toBe(0)
    parent.abort(new Error('later'))
    jest.advanceTimersByTime(5000)
    expect(ends.signal.aborted).toBe(false)
  })

  it('a deadline longer than setTimeout takes fires at its time, not at once', () => {
    const month = 30 * 24 * 3600 * 1000
    const ends = deadline(month)
    jest.advanceTimersByTime(month - 1)
    expect(ends.signal.aborted).toBe(false)
    jest.advanceTimersByTime(1)
    expect(ends.expired).toBe(true)
  })
})

describe('systemClock.sleep', () => {
  it('resolves after the time, and leaves no timer behind', async () => {
    let done = false
    const slept = systemClock.sleep(500).then(() => (done = true))
    await jest.advanceTimersByTimeAsync(499)
    expect(done).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    await slept
    expect(jest.getTimerCount()).toBe(0)
  })

  it('rejects with the signal’s reason as soon as it aborts', async () => {
    const controller = new AbortController()
    const slept = systemClock.sleep(500, controller.signal)
    const why = new Error('stop')
    controller.abort(why)
    await expect(slept).rejects.toBe(why)
    expect(jest.getTimerCount()).toBe(0)
    await expect(systemClock.sleep(10, controller.signal)).rejects.toBe(why)
  })
})
