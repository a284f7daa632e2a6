import type { Clock } from './clock.js'
import type { IfExists } from './inputs.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import type { CreateRequest, ImageApi, ImageRecord } from './ncloud/images.js'
import { backoffDelay, type RetryPolicy } from './retry.js'
import { imageOutcome } from './wait.js'

export type Provenance = 'created' | 'adopted' | 'reused'

export interface EnsureResult {
  image: ImageRecord
  provenance: Provenance
}

export interface EnsureOptions {
  ifExists: IfExists
  region: string
  retry: RetryPolicy
  /** Pauses between the extra looks for the name after an uncertain create: the list may lag behind. */
  confirmDelaysMs: readonly number[]
  clock: Clock
  random?: () => number
  signal?: AbortSignal
  info(line: string): void
  warn(line: string): void
}

/** Set once a create request has left, so that a cancelled run knows to look for the image. */
export interface CreateProgress {
  createSent: boolean
}

/** The name is taken and if-exists does not allow using it; nothing was created. */
export class ImageExistsError extends Error {
  constructor(
    message: string,
    readonly image: ImageRecord
  ) {
    super(message)
    this.name = 'ImageExistsError'
  }
}

/** A create may have made an image, and it could not be settled whether it did. */
export class CreateUncertainError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CreateUncertainError'
  }
}

/**
 * Makes sure exactly one image of the requested name exists and returns it: the one already there
 * (if-exists), the one created, or the one a lost reply created. A create is sent again only when
 * the gateway says the last one never reached the service, or a lookup shows it made nothing.
 */
export async function ensureImage(
  api: ImageApi,
  request: CreateRequest,
  options: EnsureOptions,
  progress: CreateProgress = { createSent: false }
): Promise<EnsureResult> {
  const existing = await api.findByName(request.name)
  if (existing) return { image: checkExisting(existing, options), provenance: 'reused' }

  let maybeCreated = false
  for (let attempt = 1; ; attempt++) {
    try {
      progress.createSent = true
      return { image: await api.create(request), provenance: 'created' }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      const ncloud = error instanceof NcloudError ? error : undefined
      if (ncloud?.reached !== 'no' && ncloud?.reached !== 'yes') maybeCreated = true
      if (maybeCreated) {
        options.info(
          `${api.kind.actions.create} may have been carried out (${describeError(error)}); looking for an image named "${request.name}".`
        )
        const found = await lookAgain(api, request.name, options, error)
        if (found) {
          options.info(
            `The reply was lost, but image ${found.no} named "${found.name}" now exists: using it.`
          )
          return { image: found, provenance: 'adopted' }
        }
      }
      if (!ncloud?.transient || attempt >= options.retry.maxAttempts) throw error
      const delay = backoffDelay(
        attempt,
        options.retry,
        options.random ?? Math.random,
        ncloud.fields.retryAfterMs
      )
      options.warn(
        `${api.kind.actions.create}: attempt ${attempt} of ${options.retry.maxAttempts} failed: ${ncloud.summary} ` +
          `${maybeCreated ? `No image named "${request.name}" exists, so it is` : 'It never reached the service, so it is'} sent again in ${delay} ms.`
      )
      await options.clock.sleep(delay, options.signal)
    }
  }
}

/** Applies if-exists to an image that already has the name: returns it to use, or throws. */
export function checkExisting(
  image: ImageRecord,
  options: Pick<EnsureOptions, 'ifExists' | 'region' | 'info'>
): ImageRecord {
  const where = `An image named "${image.name}" already exists in region ${options.region}: number ${image.no}, status ${image.status}${image.statusName ? ` (${image.statusName})` : ''}.`
  if (options.ifExists === 'fail') {
    throw new ImageExistsError(
      `${where} With if-exists: fail nothing was created. Choose another image-name, delete that image, or set if-exists: reuse to use it.`,
      image
    )
  }
  if (imageOutcome(image.status) === 'failed') {
    throw new ImageExistsError(
      `${where} Its creation failed, so it cannot be reused. Delete it (NCP console: Server > My Server Image) or choose another image-name, then re-run.`,
      image
    )
  }
  options.info(`${where} if-exists: reuse, so no image is created and this one is used.`)
  return image
}

/** Looks the name up a few times, since a new image may show in the list only a moment later. */
async function lookAgain(
  api: ImageApi,
  name: string,
  options: EnsureOptions,
  cause: unknown
): Promise<ImageRecord | undefined> {
  for (const delay of [0, ...options.confirmDelaysMs]) {
    if (delay > 0) await options.clock.sleep(delay, options.signal)
    let found
    try {
      found = await api.findByName(name)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      throw new CreateUncertainError(
        `${api.kind.actions.create} may have created an image (${describeError(cause)}), and looking it up failed (${describeError(error)}). ` +
          `Look for an image named "${name}" in region ${options.region} before running again; re-run with if-exists: reuse to use it.`
      )
    }
    if (found) return found
  }
  return undefined
}
