import { systemClock } from '../lib/clock.js'
import { DEFAULT_RETRY } from '../lib/retry.js'
import { formatDuration } from '../lib/duration.js'
import { JOURNAL_STATE, JournalProblem, readSavedJournal } from '../model/journal-state.js'
import { asRunFailure } from '../model/failure.js'
import type { Settings } from '../model/settings.js'
import { readSettings } from '../inputs/read-settings.js'
import { finishAll, openWork, type Finished, type Finisher } from '../steps/finishers.js'
import { nameOpenImage } from '../steps/finish-image.js'
import { findUnansweredCreate } from '../steps/finish-create.js'
import { startStoppedServer } from '../steps/finish-server.js'
import { removeOpenTestServers } from '../steps/finish-test-servers.js'
import { makeClient } from '../steps/run-setup.js'
import type { RunOptions } from './main.js'
import { inert } from './markdown.js'

// The post step: the runner runs it after the main step on every path (success, failure, cancel,
// timeout), with the same inputs and the journal the main step saved. It finishes what the main
// step left open; with nothing open it ends at once, silently, without a request.

/** What the post step finishes, in this order in the log and the summary. */
export const FINISHERS: readonly Finisher[] = [
  startStoppedServer,
  removeOpenTestServers,
  nameOpenImage,
  findUnansweredCreate
]

export async function post(options: RunOptions): Promise<Finished[]> {
  const { port, signal } = options
  const clock = options.clock ?? systemClock
  let settings: Settings | undefined
  let inputProblem: unknown
  try {
    // The keys are masked first, as in the main step, before anything else is read.
    settings = readSettings({
      getInput: port.getInput,
      env: port.env,
      mask: port.mask,
      now: new Date(clock.now())
    })
  } catch (error) {
    inputProblem = error
  }
  let open
  try {
    const journal = readSavedJournal(port.env[`STATE_${JOURNAL_STATE}`])
    if (!journal) return []
    open = openWork(journal, FINISHERS)
  } catch (error) {
    if (!(error instanceof JournalProblem)) throw error
    open = { work: [], problems: [error.message] }
  }
  for (const problem of open.problems) {
    port.warning(
      `The post step left part of the run journal alone, since it cannot be trusted: ${problem}. If the main step stopped a server, check that it is running.`
    )
  }
  if (open.work.length === 0) return []
  if (!settings) {
    const failure = asRunFailure(inputProblem)
    port.fail(
      `The post step could not finish ${open.work.map(w => w.what).join(', ')}: ${failure.message}`
    )
    return []
  }
  const budgetMs = settings.postTimeoutMs
  port.info(
    `Post step: the main step left ${open.work.map(w => w.what).join(' and ')} open; finishing within ${formatDuration(budgetMs)} (post-timeout).`
  )
  const client = makeClient(settings, {
    log: port,
    clock,
    signal,
    random: options.random,
    retry: options.retry ?? DEFAULT_RETRY,
    confirmDelaysMs: []
  })
  let finished: Finished[]
  try {
    finished = await finishAll(open.work, {
      client,
      clock,
      signal,
      log: port,
      pollIntervalMs: settings.pollIntervalMs,
      random: options.random,
      deadline: clock.now() + budgetMs,
      budgetMs
    })
  } finally {
    client.dispose()
  }
  await port.writeSummary(postSummary(finished))
  const failures = finished.flatMap(f => (f.ok ? [] : [`${f.problem} ${f.nextStep}`]))
  if (failures.length > 0) port.fail(failures.join(' '))
  return finished
}

/** The post step's part of the job summary: one line per piece of work it finished or could not. */
export function postSummary(finished: readonly Finished[]): string {
  const failed = finished.some(f => !f.ok)
  const heading = failed
    ? '### ❌ Post step: not everything the main step left open could be finished'
    : '### 🔁 Post step: finished what the main step left open'
  const lines = finished.map(f =>
    f.ok
      ? `- ${f.icon ?? '✅'} ${inert(f.line)}`
      : `- ❌ ${inert(f.problem)}\n\n  **Next:** ${inert(f.nextStep)}`
  )
  return `${[heading, '', ...lines].join('\n')}\n`
}
