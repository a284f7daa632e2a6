import type { CreateRequest, ImageRecord } from '../ncloud/images.js'
import { provenanceServer } from './provenance.js'

// Which server an image was made from: NCP's record where it says, else the action's provenance.

/** The server an image was made from: NCP's field where it has one, else the action's provenance. */
export function sourceServerOf(image: ImageRecord): string | undefined {
  return image.sourceServerNo ?? provenanceServer(image.description)
}

/**
 * Whether an image was made from the request's server: `unknown` when NCP's record does not say
 * (KVM images) and its description is not the action's provenance.
 */
export function madeFrom(
  image: ImageRecord,
  request: Pick<CreateRequest, 'serverInstanceNo'>
): 'yes' | 'no' | 'unknown' {
  const source = sourceServerOf(image)
  if (source === undefined) return 'unknown'
  return source === request.serverInstanceNo ? 'yes' : 'no'
}
