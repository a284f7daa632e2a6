import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import { RunFailure } from './failure.js'
import type { IfExists } from './inputs.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import { imageState, type CreateRequest, type ImageApi, type ImageRecord } from './ncloud/images.js'
import { NEXT } from './next-steps.js'
import type { Log } from './port.js'
import { retrying, type RetryPolicy, type Verdict } from './retry.js'

/** How the run came to have its image. */
export type Provenance = 'created' | 'adopted' | 'reused'

export interface Obtained {
  image: ImageRecord
  provenance: Provenance
}

/**
 * Pauses between the looks for a name after an uncertain create. A new image may show in the list
 * a moment after the create; how long is not documented, so the looks span several seconds.
 */
export const CONFIRM_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000]
/** A cancelled run gets a few seconds from the runner; the look for a lost image must fit in them. */
export const CANCEL_LOOKUP_TIMEOUT_MS = 3_000

export interface CreateOptions {
  ifExists: IfExists
  region: string
  policy: RetryPolicy
  confirmDelaysMs: readonly number[]
  clock: Clock
  random?: () => number
  signal?: AbortSignal
  log: Log
  /** Called the moment an image number is known, so that no exit can lose it. */
  onImage(image: ImageRecord): void
  /** The same API without the run's abort signal, for one quick look after a cancel. */
  afterCancel(): ImageApi
}

/**
 * Owns the whole life of a create: the first look by name, the sends, the looks after a lost
 * reply, the resend, and the look after a cancel. Returns the one image this run uses. A create
 * is sent again only when the gateway says the last one never reached the service, or the looks
 * show it made nothing.
 */
export async function obtainImage(
  api: ImageApi,
  request: CreateRequest,
  options: CreateOptions
): Promise<Obtained> {
  const existing = await api.findAllByName(request.name)
  if (existing.length > 0) {
    return { image: applyIfExists(api, newest(existing), request, options), provenance: 'reused' }
  }

  const create = api.kind.actions.create
  let maybeCreated = false
  const decide = async (error: unknown): Promise<Verdict<Obtained>> => {
    const ncloud = error instanceof NcloudError ? error : undefined
    // Refused before the service (a redirect, bad credentials): nothing was done, and a repeat
    // would be refused the same way.
    if (ncloud?.reached === 'no' && !ncloud.transient) return { verdict: 'stop' }
    if (!maybeCreated && ncloud?.reached === 'no') {
      return {
        verdict: 'again',
        why: 'It never reached the service, so it is sent again',
        retryAfterMs: ncloud.fields.retryAfterMs
      }
    }
    if (!maybeCreated && ncloud?.reached === 'yes') {
      // Refused by the service: perhaps because the name was taken after the first look.
      const taken = await lookOnce(api, request.name, options.signal)
      if (taken.length === 0) return { verdict: 'stop' }
      return {
        verdict: 'settled',
        value: { image: applyIfExists(api, newest(taken), request, options), provenance: 'reused' }
      }
    }
    // This create, or an earlier one whose reply was lost, may have made the image; it may show
    // in the list only now.
    maybeCreated = true
    options.log.info(
      `The create may have been carried out: ${describeError(error)} Looking for an image named "${request.name}".`
    )
    const found = await lookAgain(api, request, options, error)
    if (found) return adopt(found)
    return ncloud && (ncloud.transient || ncloud.reached === 'maybe')
      ? {
          verdict: 'again',
          why: `No image named "${request.name}" exists, so it is sent again`,
          retryAfterMs: ncloud.fields.retryAfterMs
        }
      : { verdict: 'stop' }
  }
  const adopt = (image: ImageRecord): Verdict<Obtained> => {
    options.log.info(
      `The reply was lost, but image ${image.no} named "${image.name}" now exists: using it.`
    )
    return { verdict: 'settled', value: { image, provenance: 'adopted' } }
  }

  try {
    const obtained = await retrying(
      async () => ({ image: await api.create(request), provenance: 'created' as const }),
      { label: create, ...options, decide, log: options.log.warning }
    )
    options.onImage(obtained.image)
    return obtained
  } catch (error) {
    if (error instanceof CancelledError) throw await lookAfterCancel(options, request, error)
    if (!maybeCreated || error instanceof RunFailure) throw error
    throw new RunFailure(
      `${describeError(error)} A ${create} of this run may have made an image named "${request.name}" ` +
        `although none shows in region ${options.region} yet.`,
      'uncertain',
      NEXT.findUncertain(request.name, options.region)
    )
  }
}

/**
 * Names every image of the run's name, so that none is lost: a create whose reply was lost, or a
 * concurrent run on a gateway that allows one name twice, may have made another.
 */
export async function sweepForDuplicates(
  api: ImageApi,
  used: ImageRecord,
  log: Log
): Promise<ImageRecord[]> {
  let images
  try {
    images = await api.findAllByName(used.name)
  } catch (error) {
    log.warning(
      `Could not check for other images named "${used.name}" (${describeError(error)}); a create whose reply was lost may have made one.`
    )
    return []
  }
  const others = images.filter(image => image.no !== used.no)
  if (others.length > 0) {
    log.warning(
      `NCP holds ${others.length + 1} images named "${used.name}": ${[used, ...others].map(image => image.no).join(', ')}. ` +
        `This run uses ${used.no}; ${others.map(image => image.no).join(', ')} ${others.length === 1 ? 'was' : 'were'} made by a lost reply or another run. Delete what you do not need.`
    )
  }
  return others
}

/** Applies if-exists to an image that already has the name: uses it, or throws why not. */
function applyIfExists(
  api: ImageApi,
  image: ImageRecord,
  request: CreateRequest,
  options: Pick<CreateOptions, 'ifExists' | 'region' | 'log' | 'onImage'>
): ImageRecord {
  const verdict = judgeExisting(api, image, request, options)
  if (verdict instanceof RunFailure) throw verdict
  options.log.info(verdict)
  options.onImage(image)
  return image
}

/**
 * Whether an image that already has the name may be used: the line that says so, or the failure
 * that says why not. An image made from another server, or a failed one, is never reused.
 */
export function judgeExisting(
  api: ImageApi,
  image: ImageRecord,
  request: CreateRequest,
  options: Pick<CreateOptions, 'ifExists' | 'region'>
): string | RunFailure {
  const where = `An image named "${image.name}" already exists in region ${options.region}: number ${image.no}, status ${image.status}${image.statusName ? ` (${image.statusName})` : ''}${image.sourceServerNo ? `, made from server ${image.sourceServerNo}` : ''}.`
  if (options.ifExists === 'fail') {
    return new RunFailure(
      `${where} With if-exists: fail nothing was created.`,
      'error',
      NEXT.nameTaken
    )
  }
  if (!madeFrom(image, request)) {
    return new RunFailure(
      `${where} It was not made from server ${request.serverInstanceNo}, so it is not reused.`,
      'error',
      NEXT.otherServersImage
    )
  }
  if (imageState(api.kind, image.status) === 'failed') {
    return new RunFailure(
      `${where} Its creation failed, so it cannot be reused.`,
      'error',
      NEXT.failedExisting
    )
  }
  return `${where} if-exists: reuse, so no image is created and this one is used.`
}

/** Only an image made from this run's server can be this run's (KVM images do not say). */
function madeFrom(image: ImageRecord, request: CreateRequest): boolean {
  return !image.sourceServerNo || image.sourceServerNo === request.serverInstanceNo
}

function newest(images: readonly ImageRecord[]): ImageRecord {
  return images[images.length - 1]
}

async function lookOnce(
  api: ImageApi,
  name: string,
  signal: AbortSignal | undefined
): Promise<ImageRecord[]> {
  try {
    return await api.findAllByName(name)
  } catch {
    signal?.throwIfAborted()
    return []
  }
}

/** Looks the name up a few times, since a new image may show in the list only a moment later. */
async function lookAgain(
  api: ImageApi,
  request: CreateRequest,
  options: CreateOptions,
  cause: unknown
): Promise<ImageRecord | undefined> {
  for (const delay of [0, ...options.confirmDelaysMs]) {
    if (delay > 0) await options.clock.sleep(delay, options.signal)
    let found
    try {
      found = await api.findAllByName(request.name)
    } catch (error) {
      options.signal?.throwIfAborted()
      throw new RunFailure(
        `${api.kind.actions.create} may have created an image (${describeError(cause)}), and looking it up failed (${describeError(error)}).`,
        'uncertain',
        NEXT.findUncertain(request.name, options.region)
      )
    }
    const ours = found.filter(image => madeFrom(image, request))
    if (ours.length > 0) return newest(ours)
  }
  return undefined
}

/** A cancel while a create was under way: say whether an image was made, so nothing is lost. */
async function lookAfterCancel(
  options: CreateOptions,
  request: CreateRequest,
  cancel: CancelledError
): Promise<RunFailure> {
  const where = `in region ${options.region}`
  try {
    const images = await options.afterCancel().findAllByName(request.name)
    const image = images.find(found => madeFrom(found, request))
    if (image) {
      options.onImage(image)
      return new RunFailure(
        `${cancel.message} The create had been sent: image ${image.no} named "${image.name}" exists (${image.status}).`,
        'cancelled',
        NEXT.waitAgain(image),
        image
      )
    }
    return new RunFailure(
      `${cancel.message} The create had been sent, and no image named "${request.name}" shows yet ${where}.`,
      'cancelled',
      NEXT.findUncertain(request.name, options.region)
    )
  } catch (error) {
    return new RunFailure(
      `${cancel.message} The create had been sent; an image named "${request.name}" may exist ${where} (the look failed: ${describeError(error)}).`,
      'cancelled',
      NEXT.findUncertain(request.name, options.region)
    )
  }
}
