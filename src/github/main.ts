import { systemClock, type Clock } from '../lib/clock.js'
import { CONFIRM_DELAYS_MS } from '../steps/timing.js'
import { asRunFailure } from '../model/failure.js'
import { JournalRecorder, type RunJournal } from '../model/journal.js'
import { JOURNAL_STATE, savedJournal } from '../model/journal-state.js'
import { readSettings } from '../inputs/read-settings.js'
import { imageOutputs, writeOutputs } from './outputs.js'
import type { Port } from './port.js'
import type { RunResult } from '../model/result.js'
import { DEFAULT_RETRY, type RetryPolicy } from '../lib/retry.js'
import { runImage } from '../steps/run.js'
import { renderSummary } from './summary.js'

// The post step comes through here so that the bundler keeps one module scope for both steps:
// a second root from index.ts would turn every module they share into a separate, larger module.
export { post } from './post.js'

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
  const outputs = imageOutputsFrom(port)
  const save = saveJournal(port)
  const journal = new JournalRecorder(snapshot => (outputs(snapshot), save(snapshot)))
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
      journal
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
  // The outputs and the summary name the image: the post step has only the server left to finish.
  journal.record(j => (j.ended = true))
  return result
}

/**
 * Saves the journal for the post step (core.saveState appends to GITHUB_STATE at once; the runner
 * takes the last value), each time its saved form changes: a SIGKILL at any moment leaves the last.
 */
function saveJournal(port: Pick<Port, 'saveState'>): (journal: RunJournal) => void {
  let saved = ''
  return journal => {
    const text = JSON.stringify(savedJournal(journal))
    if (text === saved) return
    saved = text
    port.saveState(JOURNAL_STATE, text)
  }
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
