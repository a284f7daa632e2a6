import { CancelledError } from '../lib/cancel.js'
import type { Clock } from '../lib/clock.js'
import { RunFailure } from '../model/failure.js'
import type { NameSource } from '../model/image-name.js'
import { NcloudError, describeError } from '../ncloud/errors.js'
import { type CreateRequest, type ImageApi, type ImageRecord } from '../ncloud/images.js'
import { madeFrom } from '../model/source-server.js'
import { NEXT } from '../model/next-steps.js'
import {
  lookFirst,
  newest,
  unverifiable,
  type FirstLook,
  type JudgeOptions
} from './name-lookup.js'
import type { Origin } from '../model/result.js'
import { retrying, type RetryPolicy, type Verdict } from '../lib/retry.js'
import { clause } from '../lib/clause.js'
import type { JournalRecorder } from '../model/journal.js'

export interface Obtained {
  image: ImageRecord
  origin: Origin
}

export interface CreateOptions extends JudgeOptions {
  /** What finds the image again, for the next steps: see NEXT.resume. */
  advice: NameSource
  policy: RetryPolicy
  confirmDelaysMs: readonly number[]
  clock: Clock
  random?: () => number
  signal?: AbortSignal
  /** Called the moment an image number is known, so that no exit can lose it. */
  onImage(image: ImageRecord): void
  /** The same API without the run's abort signal, for one quick look after a cancel. */
  afterCancel(): ImageApi
  /** Where each create is recorded before it is sent (`creating`), until its image is known. */
  journal?: JournalRecorder
}

/**
 * Owns the whole life of a create after the first look: the sends, the looks after a lost reply,
 * the resend, and the look after a cancel. Returns the one image this run uses. A create is sent
 * again only when the gateway says the last one never reached the service, or the looks show it
 * made nothing.
 */
export async function obtainImage(
  api: ImageApi,
  request: CreateRequest,
  first: FirstLook,
  options: CreateOptions
): Promise<Obtained> {
  if (first.use) {
    options.onImage(first.use)
    return { image: first.use, origin: first.origin }
  }
  const create = api.kind.actions.create
  const inFlight = creating(api, request, options)
  const known = (image: ImageRecord): void => {
    options.onImage(image)
    inFlight.settle()
  }
  let maybeCreated = false
  const adopt = (image: ImageRecord): Verdict<Obtained> => {
    if (madeFrom(image, request) === 'unknown') options.log.warning(unverifiable(image, request))
    options.log.info(
      `The reply was lost, but image ${image.no} named "${image.name}" now exists: using it.`
    )
    return { verdict: 'settled', value: { image, origin: 'adopted' } }
  }
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
      const taken = await lookFirst(api, request, options).catch(caught => {
        if (caught instanceof RunFailure) throw caught
        options.signal?.throwIfAborted()
        return { use: undefined }
      })
      return taken.use
        ? { verdict: 'settled', value: { image: taken.use, origin: taken.origin } }
        : { verdict: 'stop' }
    }
    // This create, or an earlier one whose reply was lost, may have made the image; it may show
    // in the list only now.
    maybeCreated = true
    options.log.info(
      `The create may have been carried out: ${describeError(error)} Looking for an image named "${request.name}".`
    )
    const found = await lookAgain(api, request, options, error)
    if (found) return adopt(found)
    // A success without its record, or an answer too large to read, may well be a success:
    // never sent again. Only a failure that may have been carried out is, once the looks are empty.
    const success = ncloud?.fields.incomplete || ncloud?.fields.code === 'ERESPONSETOOLARGE'
    return ncloud && !success && (ncloud.transient || ncloud.reached === 'maybe')
      ? {
          verdict: 'again',
          why: `No image named "${request.name}" exists, so it is sent again`,
          retryAfterMs: ncloud.fields.retryAfterMs
        }
      : { verdict: 'stop' }
  }

  try {
    const obtained = await retrying(
      async () => {
        inFlight.sent()
        return { image: await api.create(request), origin: 'created' as const }
      },
      { label: create, ...options, decide, describe: describeError, log: options.log.warning }
    )
    known(obtained.image)
    return obtained
  } catch (error) {
    if (error instanceof CancelledError) {
      throw await lookAfterCancel({ ...options, onImage: known }, request, error)
    }
    // Refused, or never reached the service: nothing was made, so nothing is left to look for.
    if (!maybeCreated) inFlight.settle()
    if (!maybeCreated || error instanceof RunFailure) throw error
    throw new RunFailure(
      `${describeError(error)} A ${create} of this run may have made an image named "${request.name}" ` +
        `although none shows in region ${options.region} yet.`,
      'uncertain',
      NEXT.findUncertain(request.name, options.region, options.advice)
    )
  }
}

/**
 * The journal's `creating` entry: written before each send, so that whatever finishes a run killed
 * while the answer is outstanding looks the name up; removed once the image or its absence is known.
 */
function creating(
  api: ImageApi,
  request: CreateRequest,
  options: Pick<CreateOptions, 'journal' | 'clock'>
): { sent(): void; settle(): void } {
  const { journal, clock } = options
  return {
    sent: () =>
      journal?.record(j => {
        const [name, kind] = [request.name, api.kind.actions.create]
        j.creating = { name, kind, serverNo: request.serverInstanceNo, sentAt: clock.now() }
      }),
    settle: () => {
      if (journal?.snapshot().creating) journal.record(j => delete j.creating)
    }
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
        `${api.kind.actions.create} may have created an image (${clause(describeError(cause))}), and looking it up failed (${clause(describeError(error))}).`,
        'uncertain',
        NEXT.findUncertain(request.name, options.region, options.advice)
      )
    }
    const ours = found.filter(image => madeFrom(image, request) !== 'no')
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
  const unsettled = NEXT.findUncertain(request.name, options.region, options.advice)
  try {
    const images = await options.afterCancel().findAllByName(request.name)
    const image = images.find(found => madeFrom(found, request) !== 'no')
    if (image) {
      options.onImage(image)
      return new RunFailure(
        `${cancel.message} The create had been sent: image ${image.no} named "${image.name}" exists (${image.status}).`,
        'cancelled',
        NEXT.resume(image, options.advice),
        image
      )
    }
    return new RunFailure(
      `${cancel.message} The create had been sent, and no image named "${request.name}" shows yet ${where}.`,
      'cancelled',
      unsettled
    )
  } catch (error) {
    return new RunFailure(
      `${cancel.message} The create had been sent; an image named "${request.name}" may exist ${where} (the look failed: ${describeError(error)}).`,
      'cancelled',
      unsettled
    )
  }
}
