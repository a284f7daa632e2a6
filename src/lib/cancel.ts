/** The runner sends SIGINT when a workflow is cancelled (then SIGTERM, then SIGKILL). */
export class CancelledError extends Error {
  constructor(readonly signalName: string) {
    super(`Cancelled (${signalName}).`)
    this.name = 'CancelledError'
  }
}

export interface Cancellation {
  signal: AbortSignal
  dispose(): void
}

export function cancelOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Cancellation {
  const controller = new AbortController()
  const handlers = signals.map(name => {
    const handler = (): void => controller.abort(new CancelledError(name))
    process.on(name, handler)
    return [name, handler] as const
  })
  return {
    signal: controller.signal,
    dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler))
  }
}
