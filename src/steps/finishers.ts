import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import type { NcloudClient } from '../ncloud/client.js'
import { describeError } from '../ncloud/errors.js'

// The post step's "finish what is open": a list of finishers, each looking at its own entry of
// the saved journal. A finisher that finds its entry open returns the work that finishes it; the
// post step runs the work of all of them side by side, within one budget.

export interface FinishContext {
  client: NcloudClient
  clock: Clock
  signal: AbortSignal
  log: Log
  pollIntervalMs: number
  random?: () => number
  /** When every finisher must be done by (on the clock): the post step's budget. */
  deadline: number
  budgetMs: number
}

/** How one piece of open work ended: a line for the summary, or why it is still open. */
export type Finished =
  | { ok: true; line: string; /** The summary's mark for it; ✅ when unset. */ icon?: string }
  | { ok: false; problem: string; nextStep: string }

export interface OpenWork {
  /** What is open, for the log: "server 1001". */
  what: string
  finish(context: FinishContext): Promise<Finished>
}

/**
 * Looks at its entry of the journal: the work that finishes it, or undefined when nothing of it
 * is open. Throws JournalProblem when its entry is malformed: then it acts on nothing.
 */
export type Finisher = (journal: SavedJournal) => OpenWork | undefined

/** The open work the finishers find, and each entry they could not trust. */
export function openWork(
  journal: SavedJournal,
  finishers: readonly Finisher[]
): { work: OpenWork[]; problems: string[] } {
  const work: OpenWork[] = []
  const problems: string[] = []
  for (const finisher of finishers) {
    try {
      const open = finisher(journal)
      if (open) work.push(open)
    } catch (error) {
      if (!(error instanceof JournalProblem)) throw error
      problems.push(error.message)
    }
  }
  return { work, problems }
}

/** Runs every piece of open work side by side (one slow start must not starve a removal). */
export function finishAll(work: readonly OpenWork[], context: FinishContext): Promise<Finished[]> {
  return Promise.all(
    work.map(open =>
      open.finish(context).catch((error: unknown): Finished => ({
        ok: false,
        problem: `Could not finish ${open.what}: ${describeError(error)}`,
        nextStep: `Check ${open.what} in the NCP console.`
      }))
    )
  )
}
