import type { ImageRecord } from '../ncloud/images.js'

// keep-last's verdicts: what a run keeps, deletes and leaves, and what the deletes did.

export interface PrunePlan {
  /** The newest created images, this run's included. */
  keep: ImageRecord[]
  /** Older created images, and failed ones. */
  remove: ImageRecord[]
  /** Images the name matches that the action must not delete, and why. */
  leave: { image: ImageRecord; why: string }[]
}

export interface PruneResult extends PrunePlan {
  deleted: ImageRecord[]
  /** Deletes that NCP refused: the images are still there. */
  failed: { image: ImageRecord; why: string }[]
}
