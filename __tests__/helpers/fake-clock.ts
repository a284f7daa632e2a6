import type { Clock } from '../../src/lib/clock.js'

export interface SleepRecord {
  /** Virtual time when the sleep began. */
  at: number
  ms: number
}

/**
 * A Clock whose time moves only when something sleeps (or the test calls advance).
 * sleep(ms) moves virtual time forward by ms at once and resolves on the next microtask; it rejects
 * with signal.reason if the signal is aborted before the call or before it resolves. With `hold` set,
 * sleeps do not end by themselves (time does not move): only an abort ends them.
 */
export class FakeClock implements Clock {
  readonly sleeps: SleepRecord[] = []
  /** Called right after a sleep has moved the time, before it resolves: a place to abort "during" it. */
  onSleep?: (record: SleepRecord, index: number) => void
  hold = false
  private time: number

  constructor(start = Date.UTC(2026, 11, 1, 7, 33, 21)) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  advance(ms: number): void {
    this.time += ms
  }

  /** The ms of every sleep so far, in order. */
  get delays(): number[] {
    return this.sleeps.map(sleep => sleep.ms)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    const record = { at: this.time, ms }
    this.sleeps.push(record)
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      if (this.hold) return
      this.time += Math.max(0, ms)
      this.onSleep?.(record, this.sleeps.length - 1)
      queueMicrotask(() => {
        signal?.removeEventListener('abort', onAbort)
        if (signal?.aborted) reject(signal.reason)
        else resolve()
      })
    })
  }
}

/** Runs microtasks until the clock has seen `count` sleeps; fails if that never happens. */
export async function untilSleeps(clock: FakeClock, count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && clock.sleeps.length < count; turn++) await Promise.resolve()
  if (clock.sleeps.length < count) {
    throw new Error(`expected ${count} sleeps, saw ${clock.sleeps.length}`)
  }
}
