import type { Provenance } from './create-image.js'
import type { Outcome } from './failure.js'
import type { ImageKind, ImageRecord } from './ncloud/images.js'
import type { ServerRecord } from './ncloud/servers.js'

/** What a run did: outputs and the job summary are rendered from it, and nothing else. */
export interface RunResult {
  outcome: Outcome
  failed: boolean
  /** The server as named in the inputs, and as NCP described it once read. */
  serverInstanceNo?: string
  server?: ServerRecord
  region?: string
  /** The name the run asked for. */
  imageName?: string
  kind?: ImageKind
  image?: ImageRecord
  provenance?: Provenance
  /** Other images of the run's name, found by the sweep after a create. */
  duplicates: readonly ImageRecord[]
  dryRun: boolean
  /** What went wrong, for a failed run. */
  problem?: string
  /** What the user can do now. */
  nextStep?: string
  elapsedMs: number
}
