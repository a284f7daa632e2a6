import { deadline } from './deadline.js'

/** Time as a parameter: the wait loop and the retry policy take a Clock so tests can fake it. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const pause = deadline(ms, signal)
      const end = (): void => (pause.expired ? resolve() : reject(pause.signal.reason))
      if (pause.signal.aborted) return end()
      pause.signal.addEventListener('abort', end, { once: true })
    })
}
