import type { ImageKind } from './images.js'

/**
 * Where an image's status leaves a run: done, failed, still being created, going away (being
 * deleted or gone: it will never be created), or a status this action does not know.
 */
export type ImageState = 'created' | 'failed' | 'pending' | 'going-away' | 'unknown'

export interface ImageStatuses {
  /** NCP's documented image status codes (reference §5.3). */
  pending: string
  created: string
  failed: string
  /**
   * What says an image is being deleted or is gone: these codes, or a word of the status code or
   * status name that starts with one of these words (any case). NCP documents no such code, but
   * serverImageStatusName lists "terminating" and "terminated", and TERMT is its code for a
   * terminated server.
   */
  goingAway: { codes: readonly string[]; words: readonly string[] }
}

export const IMAGE_STATUSES: ImageStatuses = Object.freeze({
  pending: 'INIT',
  created: 'CREAT',
  failed: 'CREFL',
  goingAway: Object.freeze({
    codes: Object.freeze(['TERMT']),
    words: Object.freeze(['delet', 'terminat', 'remov', 'destroy'])
  })
})

/** A status that says the image is going away beats every other; then the documented codes. */
export function imageState(kind: ImageKind, status: string, statusName?: string): ImageState {
  const { pending, created, failed, goingAway } = kind.statuses
  if (saysGoingAway(goingAway, status, statusName)) return 'going-away'
  if (status === created) return 'created'
  if (status === failed) return 'failed'
  if (status === pending) return 'pending'
  return 'unknown'
}

function saysGoingAway(
  { codes, words }: ImageStatuses['goingAway'],
  status: string,
  statusName = ''
): boolean {
  if (codes.includes(status.toUpperCase())) return true
  const said = `${status} ${statusName}`.toLowerCase().split(/[^a-z]+/)
  return said.some(word => words.some(start => word.startsWith(start)))
}
