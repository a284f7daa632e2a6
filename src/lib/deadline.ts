/**
 * A deadline as an AbortSignal that aborts when `ms` have passed, or at once with the parent's
 * reason when the parent aborts. It holds its own timer: Node 20 held an AbortSignal.timeout()
 * inside AbortSignal.any() only weakly, and after a garbage collection it never fired.
 */
export interface Deadline {
  readonly signal: AbortSignal
  /** True once the time ran out (false when the parent aborted first). */
  readonly expired: boolean
  /** Clears the timer and stops listening to the parent; call it once the work is done. */
  dispose(): void
}

/** The longest delay setTimeout takes as given; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1

export class DeadlineExpired extends Error {
  constructor(readonly ms: number) {
    super(`the deadline of ${ms} ms passed`)
    this.name = 'DeadlineExpired'
  }
}

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController()
  let expired = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = (): void => {
    clearTimeout(timer)
    parent?.removeEventListener('abort', onParentAbort)
  }
  const onParentAbort = (): void => {
    stop()
    controller.abort(parent?.reason)
  }
  const endsAt = Date.now() + Math.max(0, ms)
  // A referenced timer: whoever waits on a deadline keeps the process alive until it ends.
  const arm = (): void => {
    // Never negative: a loaded machine can pass endsAt before the timer is set (Node 24 warns).
    const left = Math.max(0, endsAt - Date.now())
    if (left > MAX_TIMER_MS) {
      timer = setTimeout(arm, MAX_TIMER_MS)
      return
    }
    timer = setTimeout(() => {
      expired = true
      stop()
      controller.abort(new DeadlineExpired(ms))
    }, left)
  }
  if (parent?.aborted) controller.abort(parent.reason)
  else {
    parent?.addEventListener('abort', onParentAbort, { once: true })
    arm()
  }
  return {
    signal: controller.signal,
    get expired() {
      return expired
    },
    dispose: stop
  }
}
