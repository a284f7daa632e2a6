import { systemClock, type Clock } from './clock.js'
import { CONFIRM_DELAYS_MS } from './create-image.js'
import { asRunFailure } from './failure.js'
import { readSettings } from './inputs.js'
import { writeImageOutputs, writeOutputs } from './outputs.js'
import type { Port } from './port.js'
import type { RunResult } from './result.js'
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js'
import { runImage } from './run.js'
import { renderSummary } from './summary.js'

export interface RunOptions {
  port: Port
  signal: AbortSignal
  clock?: Clock
  random?: () => number
  retry?: RetryPolicy
  confirmDelaysMs?: readonly number[]
}

/** settings → run → outputs + summary; the one place that ends the step as failed. */
export async function run(options: RunOptions): Promise<RunResult> {
  const { port, signal } = options
  const clock = options.clock ?? systemClock
  const started = clock.now()
  let result: RunResult
  try {
    const settings = readSettings({
      getInput: port.getInput,
      env: port.env,
      mask: port.mask,
      now: new Date(clock.now())
    })
    result = await runImage(settings, {
      log: port,
      clock,
      signal,
      random: options.random,
      retry: options.retry ?? DEFAULT_RETRY,
      confirmDelaysMs: options.confirmDelaysMs ?? CONFIRM_DELAYS_MS,
      onImage: image => writeImageOutputs(port, image)
    })
  } catch (error) {
    const failure = asRunFailure(error)
    result = {
      outcome: failure.outcome,
      failed: true,
      problem: failure.message,
      nextStep: failure.nextStep,
      duplicates: [],
      dryRun: false,
      elapsedMs: clock.now() - started
    }
  }
  writeOutputs(port, result)
  await port.writeSummary(renderSummary(result))
  if (result.failed) port.fail([result.problem, result.nextStep].filter(Boolean).join(' '))
  return result
}
