import type { Clock } from '../lib/clock.js'
import type { JournalRecorder } from '../model/journal.js'
import type { Outcome } from '../model/failure.js'
import type { NameSource } from '../model/image-name.js'
import type { ImageRecord } from '../ncloud/images.js'
import type { PrunePlan, PruneResult } from '../model/pruning.js'
import type { Log } from '../lib/log.js'
import type { Origin, RunResult } from '../model/result.js'
import type { RetryPolicy } from '../lib/retry.js'

// What a run carries from step to step: its dependencies and what it has learned.

export interface RunDeps {
  log: Log
  clock: Clock
  signal: AbortSignal
  random?: () => number
  retry: RetryPolicy
  confirmDelaysMs: readonly number[]
  /** What the run has started and not finished; runImage keeps its own when none is given. */
  journal?: JournalRecorder
  /** Told of every image the moment it is known, so that no exit can lose its number. */
  onImage(image: ImageRecord): void
}

/** What the run has learned so far; every exit, successful or not, reports it. */
export interface Known {
  server?: RunResult['server']
  imageName?: string
  kind?: RunResult['kind']
  image?: ImageRecord
  origin?: Origin
  duplicates: ImageRecord[]
  pruning?: PrunePlan | PruneResult
  /** What finds the image again, for the next steps. */
  advice?: NameSource
  /** When the wait for the image ends at the latest. */
  waitEndsAt?: number
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
