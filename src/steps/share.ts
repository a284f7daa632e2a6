import { RunFailure } from '../model/failure.js'
import { describeError } from '../ncloud/errors.js'
import type { ImageApi, ImageRecord } from '../ncloud/images.js'
import { NEXT } from '../model/next-steps.js'
import type { Log } from '../lib/log.js'

/**
 * Shares a created image with other NCP accounts and returns the record as NCP reports it
 * afterwards. A failure keeps the image: the step fails with a next step that shares only.
 */
export async function shareImage(
  api: ImageApi,
  image: ImageRecord,
  loginIds: readonly string[],
  log: Log,
  signal?: AbortSignal
): Promise<ImageRecord> {
  const label = `image ${image.no} ("${image.name}")`
  try {
    await api.share(image.no, loginIds)
  } catch (error) {
    signal?.throwIfAborted()
    throw new RunFailure(
      `Image ${image.no} ("${image.name}") is created, but sharing it with ${loginIds.join(', ')} failed: ${describeError(error)}`,
      'share-failed',
      NEXT.shareAgain(image, loginIds),
      image
    )
  }
  let after: ImageRecord
  try {
    after = await api.get(image.no)
  } catch (error) {
    signal?.throwIfAborted()
    // Shared all the same: only the read-back failed.
    log.warning(
      `Shared ${label} with ${loginIds.join(', ')}, but could not read back whom NCP lists: ${describeError(error)}`
    )
    return { ...image, sharedWith: [...new Set([...image.sharedWith, ...loginIds])] }
  }
  const missing = loginIds.filter(id => !after.sharedWith.includes(id))
  if (missing.length > 0) {
    log.warning(
      `NCP accepted sharing ${label} with ${missing.join(', ')}, but does not list ${missing.length === 1 ? 'it' : 'them'} among the accounts it is shared with yet.`
    )
  }
  log.info(
    `Shared ${label} with ${loginIds.join(', ')}; NCP lists: ${after.sharedWith.join(', ') || 'none'}.`
  )
  return after
}
