import { inert } from './markdown.js'
import type { Port } from './port.js'

/**
 * The last line of defence: should the run ever end without settling (an exception outside it,
 * or an event loop that empties while it waits), the step still fails with a reason and a summary.
 * Image outputs are written the moment an image is known, so they are already in place.
 */
export function guardExit(port: Port): { dispose(): void } {
  let reported = false
  const report = (why: string): void => {
    if (reported) return
    reported = true
    port.fail(
      `The action stopped before it finished: ${why} Any image it knew of is in the outputs; re-run the job, and report this with the log if it happens again.`
    )
    void port.writeSummary(`### ❌ The action stopped before it finished\n\n${inert(why)}\n`)
  }
  const onBeforeExit = (): void => report('nothing was left running (an answer that never ended?).')
  const onError = (error: unknown): void => {
    report(`unexpected error: ${error instanceof Error ? error.message : String(error)}.`)
    process.exitCode = 1
  }
  process.on('beforeExit', onBeforeExit)
  process.on('uncaughtException', onError)
  process.on('unhandledRejection', onError)
  return {
    dispose: () => {
      process.off('beforeExit', onBeforeExit)
      process.off('uncaughtException', onError)
      process.off('unhandledRejection', onError)
    }
  }
}
