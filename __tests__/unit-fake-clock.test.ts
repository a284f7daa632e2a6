import { describe, expect, it } from '@jest/globals'
import { FakeClock, untilSleeps } from './helpers/fake-clock.js'

// The other unit tests lean on this helper keeping the Clock contract; these pin it down.
describe('FakeClock', () => {
  it('moves virtual time only by sleeps and advance, and records every sleep', async () => {
    const clock = new FakeClock(1_000)
    expect(clock.now()).toBe(1_000)
    await clock.sleep(250)
    clock.advance(50)
    await clock.sleep(700)
    expect(clock.now()).toBe(2_000)
    expect(clock.sleeps).toEqual([
      { at: 1_000, ms: 250 },
      { at: 1_300, ms: 700 }
    ])
    expect(clock.delays).toEqual([250, 700])
  })

  it('resolves a sleep on a later microtask, not synchronously', async () => {
    const clock = new FakeClock()
    let done = false
    const sleeping = clock.sleep(10).then(() => {
      done = true
    })
    expect(done).toBe(false)
    await sleeping
    expect(done).toBe(true)
  })

  it('rejects with the reason when the signal is already aborted, without sleeping', async () => {
    const clock = new FakeClock(0)
    const reason = new Error('stop')
    await expect(clock.sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason)
    expect(clock.sleeps).toEqual([])
    expect(clock.now()).toBe(0)
  })

  it('rejects with the reason when the signal aborts during the sleep', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const reason = new Error('stop')
    clock.onSleep = () => controller.abort(reason)
    await expect(clock.sleep(10, controller.signal)).rejects.toBe(reason)
  })

  it('with hold, ends a sleep only by an abort', async () => {
    const clock = new FakeClock(0)
    clock.hold = true
    const controller = new AbortController()
    const reason = new Error('stop')
    let settled = false
    const sleeping = clock.sleep(10, controller.signal).finally(() => {
      settled = true
    })
    await untilSleeps(clock, 1)
    for (let turn = 0; turn < 10; turn++) await Promise.resolve()
    expect(settled).toBe(false)
    controller.abort(reason)
    await expect(sleeping).rejects.toBe(reason)
    expect(clock.now()).toBe(0)
  })
})
