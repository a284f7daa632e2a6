import type { ImageRecord } from '../ncloud/images.js'

// Pruning's verdicts: what a run keeps, deletes and leaves, and what the deletes did.

export interface PrunePlan {
  /** This run's image, and the ones keep-last or keep-days keeps. */
  keep: ImageRecord[]
  /** Created images neither rule keeps, and failed ones. */
  remove: ImageRecord[]
  /** Images the name matches that the action must not delete, and why. */
  leave: { image: ImageRecord; why: string }[]
  /** Why nothing is deleted at all: a read that failed or did not add up. */
  blocked?: string
  /** The rules that kept images: keep-last, keep-days or both. */
  rules: string[]
}

export interface PruneResult extends PrunePlan {
  deleted: ImageRecord[]
  /**
   * Deletes that NCP refused: the images are still there; `unconfirmed` when NCP answered with
   * no image, so the image may still be there (its snapshots are left).
   */
  failed: { image: ImageRecord; why: string; unconfirmed?: true }[]
  /** Image number → the snapshots deleted after it (KVM images). */
  snapshotsDeleted: Record<string, string[]>
  /** Snapshots of a deleted image that could not be deleted: still there, still billed. */
  snapshotsLeft: { imageNo: string; no: string; why: string }[]
}
