import type { Clock } from '../lib/clock.js'
import type { JournalRecorder } from '../model/journal.js'
import type { Outcome } from '../model/failure.js'
import type { Log } from '../lib/log.js'
import type { Origin, RunResult } from '../model/result.js'
import type { RetryPolicy } from '../lib/retry.js'

// What a run is given: its dependencies; and how a step's ending is told.

export interface RunDeps {
  log: Log
  clock: Clock
  signal: AbortSignal
  random?: () => number
  retry: RetryPolicy
  confirmDelaysMs: readonly number[]
  /**
   * What the run has started and not finished, written the moment each request is sent or
   * answered; its listener learns the image number the moment it is known. runImage keeps its
   * own when none is given.
   */
  journal?: JournalRecorder
}

export type Ending = Pick<RunResult, 'outcome' | 'nextStep'>

export type Power = NonNullable<RunResult['power']>

/** The outcome of a run that ends with a created image, by how it came to have it. */
export const OUTCOME_OF: Record<Origin, Outcome> = {
  created: 'created',
  adopted: 'created',
  reused: 'reused',
  resumed: 'resumed'
}
