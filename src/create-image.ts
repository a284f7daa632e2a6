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
  /** The create was sent again after a reply was lost: an earlier image may still show up. */
  resentAfterLostReply?: boolean
}

/**
 * Pauses between the looks for a name after an uncertain create. A new image may show in the list
 * a moment after the create; how long is not documented, so the looks span several seconds.
 */
export const CONFIRM_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000]

export interface EnsureOptions {
  ifExists: IfExists
  region: string
  retry: RetryPolicy
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
  if (existing) return { image: checkExisting(existing, request, options), provenance: 'reused' }

  const create = api.kind.actions.create
  let maybeCreated = false
  for (let attempt = 1; ; attempt++) {
    let error: unknown
    try {
      progress.createSent = true
      const image = await api.create(request)
      return { image, provenance: 'created', resentAfterLostReply: maybeCreated }
    } catch (caught) {
      if (options.signal?.aborted) throw options.signal.reason
      error = caught
    }
    const ncloud = error instanceof NcloudError ? error : undefined
    const thisMayHaveCreated = ncloud?.reached !== 'no' && ncloud?.reached !== 'yes'
    maybeCreated ||= thisMayHaveCreated
    if (maybeCreated) {
      options.info(
        `The create may have been carried out: ${describeError(error)} Looking for an image named "${request.name}".`
      )
      const found = await lookAgain(api, request, options, error)
      if (found) {
        options.info(
          `The reply was lost, but image ${found.no} named "${found.name}" now exists: using it.`
        )
        return { image: found, provenance: 'adopted' }
      }
    } else if (ncloud?.reached === 'yes') {
      // Refused by the service: perhaps because the name was taken after the first look.
      const taken = await api.findByName(request.name).catch(() => {
        if (options.signal?.aborted) throw options.signal.reason
        return undefined
      })
      if (taken) return { image: checkExisting(taken, request, options), provenance: 'reused' }
    }
    // A create that may have been carried out is sent again once the looks show it made nothing.
    const again = ncloud !== undefined && (ncloud.transient || ncloud.reached === 'maybe')
    if (!again || attempt >= options.retry.maxAttempts) {
      if (!maybeCreated) throw error
      throw new CreateUncertainError(
        `${describeError(error)} A ${create} of this run may have made an image named "${request.name}" ` +
          `although none shows in region ${options.region} yet. Look for it in the NCP console; ` +
          're-run with if-exists: reuse to use it.'
      )
    }
    const delay = backoffDelay(
      attempt,
      options.retry,
      options.random ?? Math.random,
      ncloud.fields.retryAfterMs
    )
    options.warn(
      `${create}: attempt ${attempt} of ${options.retry.maxAttempts} failed: ${ncloud.summary} ` +
        `${maybeCreated ? `No image named "${request.name}" exists, so it is` : 'It never reached the service, so it is'} sent again in ${delay} ms.`
    )
    await options.clock.sleep(delay, options.signal)
  }
}

/**
 * Applies if-exists to an image that already has the name: returns it to use, or throws.
 * An image made from another server is never reused.
 */
export function checkExisting(
  image: ImageRecord,
  request: Pick<CreateRequest, 'serverInstanceNo'>,
  options: Pick<EnsureOptions, 'ifExists' | 'region' | 'info'>
): ImageRecord {
  const where = `An image named "${image.name}" already exists in region ${options.region}: number ${image.no}, status ${image.status}${image.statusName ? ` (${image.statusName})` : ''}${image.sourceServerNo ? `, made from server ${image.sourceServerNo}` : ''}.`
  if (options.ifExists === 'fail') {
    throw new ImageExistsError(
      `${where} With if-exists: fail nothing was created. Choose another image-name, delete that image, or set if-exists: reuse to use it.`,
      image
    )
  }
  if (image.sourceServerNo && image.sourceServerNo !== request.serverInstanceNo) {
    throw new ImageExistsError(
      `${where} It was not made from server ${request.serverInstanceNo}, so it is not reused. Choose another image-name.`,
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

/**
 * Looks the name up a few times, since a new image may show in the list only a moment later.
 * Only an image made from this run's server can be this run's.
 */
async function lookAgain(
  api: ImageApi,
  request: CreateRequest,
  options: EnsureOptions,
  cause: unknown
): Promise<ImageRecord | undefined> {
  for (const delay of [0, ...options.confirmDelaysMs]) {
    if (delay > 0) await options.clock.sleep(delay, options.signal)
    let found
    try {
      found = await api.findAllByName(request.name)
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      throw new CreateUncertainError(
        `${api.kind.actions.create} may have created an image (${describeError(cause)}), and looking it up failed (${describeError(error)}). ` +
          `Look for an image named "${request.name}" in region ${options.region} before running again; re-run with if-exists: reuse to use it.`
      )
    }
    const ours = found.filter(
      image => !image.sourceServerNo || image.sourceServerNo === request.serverInstanceNo
    )
    if (ours.length > 1) warnOfDuplicates(ours, ours[ours.length - 1], options)
    if (ours.length > 0) return ours[ours.length - 1]
  }
  return undefined
}

/** Every image of the name must be named in the log, so that none is lost. */
export function warnOfDuplicates(
  images: readonly ImageRecord[],
  used: ImageRecord,
  options: Pick<EnsureOptions, 'warn'>
): void {
  const others = images.filter(image => image.no !== used.no)
  if (others.length === 0) return
  options.warn(
    `NCP holds ${images.length} images named "${used.name}": ${images.map(image => image.no).join(', ')}. ` +
      `A create whose reply was lost made ${others.map(image => image.no).join(', ')}; this run uses ${used.no}. Delete the others.`
  )
}
