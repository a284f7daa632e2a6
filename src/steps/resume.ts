import { kindForServer } from './plan.js'
import type { Log } from '../lib/log.js'
import { madeFrom } from '../model/source-server.js'
import { RunFailure } from '../model/failure.js'
import type { Settings } from '../model/settings.js'
import { NcloudClient } from '../ncloud/client.js'
import { NcloudError } from '../ncloud/errors.js'
import {
  IMAGE_KINDS,
  ImageApi,
  ImageNotFoundError,
  MEMBER_IMAGE,
  SERVER_IMAGE,
  type ImageKind,
  type ImageRecord
} from '../ncloud/images.js'
import { sourceServerOf } from '../model/source-server.js'
import type { ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import { resumeLines } from './plan.js'

// image-instance-no: no create; find the image by its number and check it; the sequence waits.

/** image-instance-no: no create; find the image by its number, of the server's kind if one is named. */
export async function resumeByNumber(
  settings: Settings,
  client: NcloudClient,
  /** The server named in the inputs, already read; undefined when none is named. */
  server: ServerRecord | undefined
): Promise<{ api: ImageApi; image: ImageRecord }> {
  const no = settings.imageInstanceNo
  let kinds: readonly ImageKind[] = IMAGE_KINDS
  if (server) {
    const kind = kindForServer(settings, server)
    if (kind instanceof RunFailure) throw kind
    kinds = [kind]
  } else if (settings.hypervisor !== 'auto') {
    kinds = [settings.hypervisor === 'kvm' ? SERVER_IMAGE : MEMBER_IMAGE]
  }
  let found: { api: ImageApi; image: ImageRecord } | undefined
  for (const kind of kinds) {
    const api = new ImageApi(client, kind)
    const image = await findByNumber(api, no)
    if (image) {
      found = { api, image }
      break
    }
  }
  if (!found) {
    throw new RunFailure(
      `Image ${no} is not known in region ${settings.region}: ${kinds.map(kind => kind.actions.detail).join(' and ')} found no image of that number.`,
      'error',
      NEXT.checkImage
    )
  }
  return found
}

/** The image found by number, checked against the server if one is named, and logged. */
export function checkResumed(
  settings: Settings,
  { api, image }: { api: ImageApi; image: ImageRecord },
  server: ServerRecord | undefined,
  log: Log
): void {
  const no = image.no
  if (server) {
    const source = madeFrom(image, { serverInstanceNo: server.no })
    if (source === 'no') {
      throw new RunFailure(
        `Image ${no} ("${image.name}") was made from server ${sourceServerOf(image)}, not from server ${server.no} (server-instance-no).`,
        'error',
        'Give the image of this server, or leave server-instance-no empty to wait for this image as it is.',
        image
      )
    }
    if (source === 'unknown') {
      log.warning(
        `Image ${no} ("${image.name}") is waited for although its source server cannot be verified: NCP's record does not name one, and its description is not this action's provenance.`
      )
    }
  }
  log.info(resumeLines(settings, api.kind, image).join('\n'))
}

/** The image of this number, or undefined when this image API does not know it. */
async function findByNumber(api: ImageApi, no: string): Promise<ImageRecord | undefined> {
  try {
    return await api.get(no)
  } catch (error) {
    if (error instanceof ImageNotFoundError) return undefined
    // NCP answers an unknown number with its own error, from the service itself.
    if (
      error instanceof NcloudError &&
      error.fields.source === 'service' &&
      error.reached === 'yes'
    ) {
      return undefined
    }
    throw error
  }
}
