import type { Outcome } from './failure.js'
import type { ImageKind, ImageRecord } from '../ncloud/images.js'
import type { ServerRecord } from '../ncloud/servers.js'
import type { PrunePlan, PruneResult } from './pruning.js'

/** How the run came to have its image: made it, found it after a lost reply, or used one there. */
export type Origin = 'created' | 'adopted' | 'reused' | 'resumed'

/** What a run did: outputs and the job summary are rendered from it, and nothing else. */
export interface RunResult {
  outcome: Outcome
  failed: boolean
  /** The server as named in the inputs, and as NCP described it once read. */
  serverInstanceNo?: string
  server?: ServerRecord
  region?: string
  /** The name the run looked up and would create; unset when the run stopped before that. */
  imageName?: string
  kind?: ImageKind
  image?: ImageRecord
  /** How the run came to have its image. */
  origin?: Origin
  /** Other images of the run's name, found by the sweep after a create. */
  duplicates: readonly ImageRecord[]
  /** keep-last: what was (or, in a dry run, would be) kept, deleted and left. */
  pruning?: PrunePlan | PruneResult
  /** stop-server: when the action stopped the server, and when it was running again. */
  power?: {
    stoppedAt: number
    runningAt?: number
    /** After a cancel: whether NCP accepted the one start request there was time for. */
    startAccepted?: boolean
    /** From the stop request until it ran again, or until the run ended. */
    downMs?: number
  }
  /** verify-boot: whether a server booted from the image (unset until known), and its number. */
  verify?: { verified?: boolean; serverNo?: string }
  dryRun: boolean
  /** What went wrong, for a failed run. */
  problem?: string
  /** What the user can do now. */
  nextStep?: string
  elapsedMs: number
}
