import type { Log } from '../lib/log.js'
import { describeError } from '../ncloud/errors.js'
import { IncompleteListError } from '../ncloud/incomplete-list.js'
import { RunFailure } from '../model/failure.js'
import type { NameSource } from '../model/image-name.js'
import { NEXT } from '../model/next-steps.js'
import { madeByThisStep, type WorkflowRun } from '../model/provenance.js'
import type { Origin } from '../model/result.js'
import type { IfExists } from '../model/settings.js'
import { madeFrom, sourceServerOf } from '../model/source-server.js'
import {
  imageState,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../ncloud/images.js'
import { clause } from '../lib/clause.js'

// The first look by name, before anything is created: an earlier attempt, or if-exists.

/** What the first look by name decided: create, or use the image that is there. */
export type FirstLook = { use: undefined } | { use: ImageRecord; origin: 'reused' | 'resumed' }

export interface JudgeOptions {
  ifExists: IfExists
  /** Where the name came from: with 'run', an image of it from this server is an earlier attempt. */
  nameSource: NameSource
  region: string
  log: Log

  /**
   * Set when the name changes between attempts ({date}, {time}) and the description is the
   * action's provenance: an image this step of this run made under another name is its earlier
   * attempt.
   */
  attemptsOf?: WorkflowRun
}

/**
 * The first look by name, before anything is created. An image of a run-stable generated name
 * made from this server is this run's earlier attempt and is resumed whatever if-exists says;
 * any other image of the name is subject to if-exists.
 */
export async function lookFirst(
  api: ImageApi,
  request: CreateRequest,
  options: JudgeOptions
): Promise<FirstLook> {
  const existing = await lookByName(api, request.name, options.log)
  if (existing.length === 0) return lookForEarlierAttempt(api, request, options)
  const image = newest(existing)
  const where = describeExisting(image, options.region)
  const source = madeFrom(image, request)
  if (options.nameSource === 'run' && source !== 'no') {
    if (source === 'unknown') options.log.warning(unverifiable(image, request))
    options.log.info(
      `${where} It is this workflow run's earlier attempt (the same generated name, the same server): it is used, and no image is created.`
    )
    return { use: image, origin: 'resumed' }
  }
  const failed = imageState(api.kind, image.status, image.statusName) === 'failed'
  if (options.ifExists === 'fail') {
    throw new RunFailure(
      `${where} With if-exists: fail nothing was created.`,
      'error',
      failed ? NEXT.failedExisting : NEXT.nameTaken(image, source !== 'no')
    )
  }
  if (source === 'no') {
    throw new RunFailure(
      `${where} It was not made from server ${request.serverInstanceNo}, so it is not reused.`,
      'error',
      NEXT.otherServersImage
    )
  }
  if (failed) {
    throw new RunFailure(
      `${where} Its creation failed, so it cannot be reused.`,
      'error',
      NEXT.failedExisting
    )
  }
  if (source === 'unknown') options.log.warning(unverifiable(image, request))
  options.log.info(`${where} if-exists: reuse, so no image is created and this one is used.`)
  return { use: image, origin: 'reused' }
}

/**
 * The images of the name; when NCP's pages do not add up, a warning and what did come: an image
 * the look missed is met again when NCP refuses the create, or by the sweep after it.
 */
async function lookByName(api: ImageApi, name: string, log: Log): Promise<ImageRecord[]> {
  const found = await evenIfIncomplete(api, () => api.findAllByName(name), log, `named "${name}"`)
  return found.filter(image => image.name === name)
}

async function evenIfIncomplete(
  api: ImageApi,
  read: () => Promise<ImageRecord[]>,
  log: Log,
  what: string
): Promise<ImageRecord[]> {
  try {
    return await read()
  } catch (error) {
    if (!(error instanceof IncompleteListError)) throw error
    log.warning(
      `The look for images ${what} before the create is incomplete: ${error.summary} An image it did not see may exist.`
    )
    return api.fromRows(error.rows)
  }
}

/** An image that this step of this workflow run made under another name, found by its provenance. */
async function lookForEarlierAttempt(
  api: ImageApi,
  request: CreateRequest,
  options: JudgeOptions
): Promise<FirstLook> {
  const run = options.attemptsOf
  if (!run) return { use: undefined }
  const all = await evenIfIncomplete(api, () => api.listAll(), options.log, 'of earlier attempts')
  const earlier = all.filter(image =>
    madeByThisStep(image.description, run, request.serverInstanceNo)
  )
  if (earlier.length === 0) return { use: undefined }
  const image = newest(earlier)
  options.log.info(
    `Image ${image.no} ("${image.name}") is this workflow run's earlier attempt: its description names this run and step, and server ${request.serverInstanceNo}. The name differs ({date} or {time} changed), so it is used, and no image named "${request.name}" is created.`
  )
  return { use: image, origin: 'resumed' }
}

export function unverifiable(image: ImageRecord, request: CreateRequest): string {
  return `Image ${image.no} ("${image.name}") is used although its source server cannot be verified: NCP's record does not name one, and its description is not this action's provenance. Check that it was made from server ${request.serverInstanceNo}.`
}

function describeExisting(image: ImageRecord, region: string): string {
  const source = sourceServerOf(image)
  return `An image named "${image.name}" already exists in region ${region}: number ${image.no}, status ${image.status}${image.statusName ? ` (${image.statusName})` : ''}${source ? `, made from server ${source}` : ''}.`
}

export function newest(images: readonly ImageRecord[]): ImageRecord {
  return images[images.length - 1]
}

export interface SweepOptions {
  log: Log
  signal?: AbortSignal
  /** The same API without the run's abort signal, for a sweep after a cancel. */
  afterCancel(): ImageApi
  /** The sweep's last moment, asked once the wait has ended: it runs no request past it. */
  endBy(): number
}

/**
 * After the wait, whatever it did: names the other images of the name when this run made its
 * image (created, or adopted after a lost reply); after a cancel, with the API that outlives it.
 * Undefined when there is nothing to sweep for: an image this run did not make.
 */
export async function sweepAfterWait(
  api: ImageApi,
  { image, origin }: { image: ImageRecord; origin: Origin },
  options: SweepOptions
): Promise<ImageRecord[] | undefined> {
  if (origin !== 'created' && origin !== 'adopted') return undefined
  const sweeper = options.signal?.aborted ? options.afterCancel() : api
  return sweepForDuplicates(sweeper, image, options.log, options.endBy())
}

/**
 * Names every image of the run's name, so that none is lost: a create whose reply was lost, or a
 * concurrent run on a gateway that allows one name twice, may have made another.
 */
export async function sweepForDuplicates(
  api: ImageApi,
  used: ImageRecord,
  log: Log,
  endBy?: number
): Promise<ImageRecord[]> {
  let images
  try {
    images = await api.findAllByName(used.name, endBy)
  } catch (error) {
    log.warning(
      `Could not check for other images named "${used.name}" (${clause(describeError(error))}); a create whose reply was lost may have made one.`
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
