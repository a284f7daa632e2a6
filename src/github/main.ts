import { systemClock, type Clock } from '../lib/clock.js'
import { CONFIRM_DELAYS_MS } from '../steps/timing.js'
import { asRunFailure } from '../model/failure.js'
import { JournalRecorder, type RunJournal } from '../model/journal.js'
import { readSettings } from '../inputs/read-settings.js'
import { imageOutputs, writeOutputs } from './outputs.js'
import type { Port } from './port.js'
import type { RunResult } from '../model/result.js'
import { DEFAULT_RETRY, type RetryPolicy } from '../lib/retry.js'
import { runImage } from '../steps/run.js'
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
      journal: new JournalRecorder(imageOutputsFrom(port))
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

/**
 * The image outputs, written from the journal the moment it holds an image, and again whenever
 * one of their values changes (not for the image's origin or the wait's end, which no output
 * shows): whatever ends the run next, the outputs keep its number.
 */
export function imageOutputsFrom(port: Pick<Port, 'setOutput'>): (journal: RunJournal) => void {
  let written = ''
  return ({ image }) => {
    if (!image) return
    const outputs = imageOutputs(image)
    const key = JSON.stringify(outputs)
    if (key === written) return
    written = key
    for (const [name, value] of outputs) port.setOutput(name, value)
  }
}
