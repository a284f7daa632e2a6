import { OUTCOME_OF, type Ending } from './run-state.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import type { NameSource } from '../model/image-name.js'
import { CancelledError } from '../lib/cancel.js'
import type { Obtained } from './uncertain-create.js'
import { formatDuration } from '../lib/duration.js'
import { RunFailure } from '../model/failure.js'
import type { Settings } from '../model/settings.js'
import { NcloudError, describeError } from '../ncloud/errors.js'
import {
  ImageApi,
  ImageNotFoundError,
  imageState,
  type ImageRecord,
  type ImageState
} from '../ncloud/images.js'
import { NEXT } from '../model/next-steps.js'
import { describeStatus, waitForImage, type PollFailure } from './wait.js'
import { clause } from '../lib/clause.js'

// Waiting for the image, and turning its last status into how the run ends.

export interface FinishOptions extends Pick<Settings, 'wait' | 'waitTimeoutMs' | 'pollIntervalMs'> {
  /** What finds the image again, for the next steps: see NEXT.resume. */
  advice: NameSource
  log: Log
  clock: Clock
  signal: AbortSignal
  /** Told of the image as each poll reads it. */
  onImage(image: ImageRecord): void
  /** Told when a wait starts, with its last moment. */
  onWaitStart?(endsAt: number): void
}

/** Waits when asked to, and turns the image's last status into how the run ends. */
export async function finish(
  api: ImageApi,
  { image: first, origin }: Obtained,
  options: FinishOptions
): Promise<Ending> {
  let image = first
  const state = stateOf(api, image)
  if (options.wait && (state === 'pending' || state === 'unknown')) {
    image = await waitFor(api, image, options)
  }
  const label = `image ${image.no} ("${image.name}")`
  const finalState = stateOf(api, image)
  if (finalState === 'created') {
    options.log.info(`Image ${image.no} ("${image.name}") is created.`)
    return { outcome: OUTCOME_OF[origin], nextStep: NEXT.useOutput }
  }
  if (finalState === 'failed') {
    throw new RunFailure(
      `NCP could not create ${label}: status CREFL${image.statusName ? ` (${image.statusName})` : ''}.`,
      'failed',
      NEXT.deleteFailed,
      image
    )
  }
  if (finalState === 'going-away') {
    throw new RunFailure(
      `NCP reports ${label} in status ${describeStatus(image, finalState)}: it is being deleted or is gone, so it will never be created.`,
      'gone',
      NEXT.imageGone(image),
      image
    )
  }
  options.log.info(
    `Image ${image.no} ("${image.name}") is ${describeStatus(image, finalState)}; wait is false, so the step ends here.`
  )
  return { outcome: 'creating', nextStep: NEXT.notUsableYet(image) }
}

async function waitFor(
  api: ImageApi,
  image: ImageRecord,
  options: FinishOptions
): Promise<ImageRecord> {
  const { advice, log, clock } = options
  options.onWaitStart?.(clock.now() + options.waitTimeoutMs)
  const label = `image ${image.no} ("${image.name}")`
  log.info(
    `Waiting up to ${formatDuration(options.waitTimeoutMs)} for ${label}, checking every ${formatDuration(options.pollIntervalMs)}.`
  )
  const started = clock.now()
  let latest = image
  const read = async (deadline: number): Promise<ImageRecord> =>
    (latest = await api.get(image.no, deadline))
  let result
  try {
    result = await waitForImage(read, image, {
      timeoutMs: options.waitTimeoutMs,
      intervalMs: options.pollIntervalMs,
      clock,
      signal: options.signal,
      log,
      stateOf: polled => stateOf(api, polled),
      classify: pollFailure
    })
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new RunFailure(
        `${error.message} Stopped waiting for ${label}, ${stateOf(api, latest) === 'pending' ? 'which NCP is still creating' : `last read in ${describeStatus(latest, stateOf(api, latest))}`}.`,
        'cancelled',
        NEXT.resume(latest, advice),
        latest
      )
    }
    throw new RunFailure(
      `Stopped waiting for ${label}: ${describeError(error)}`,
      'wait-failed',
      `${error instanceof NcloudError ? `${error.hint} ` : ''}${NEXT.lookInConsole(image, advice)}`,
      image
    )
  }
  options.onImage(result.image)
  if (result.state !== 'timed-out') return result.image
  const waited = formatDuration(clock.now() - started)
  const last = result.image
  const lastState = stateOf(api, last)
  const pending = lastState === 'pending'
  const status = pending
    ? `still being created (status ${last.status})`
    : `in ${describeStatus(last, lastState)}`
  const sinceRead = clock.now() - result.lastReadAt
  const stale = result.lastError !== undefined && sinceRead >= options.pollIntervalMs
  const what = stale
    ? `was ${status} when last read, ${formatDuration(sinceRead)} before the wait ended${result.lastReadAt === started ? ' (by the answer that found or created it)' : ''}; no poll since could read it (last: ${clause(describeError(result.lastError))}). The action stopped waiting after ${waited}`
    : `is ${status}${pending ? '' : ','} after waiting ${waited}`
  throw new RunFailure(
    `Image ${last.no} ("${last.name}") ${what}; ${pending ? 'NCP goes on creating it' : 'whether NCP is still creating it is not known'}.`,
    'timed-out',
    NEXT.raiseTimeout(last, options.waitTimeoutMs, advice),
    last
  )
}

function stateOf(api: ImageApi, image: ImageRecord): ImageState {
  return imageState(api.kind, image.status, image.statusName)
}

/** A poll that failed: worth another poll, worth one unless it repeats, or the end of the wait. */
function pollFailure(error: unknown): PollFailure {
  if (error instanceof NcloudError) {
    if (error.transient) return 'transient'
    const unreadable =
      error.fields.source === 'response' || error.fields.code === 'ERESPONSETOOLARGE'
    return unreadable ? 'doubtful' : 'fatal'
  }
  return error instanceof ImageNotFoundError ? 'doubtful' : 'fatal'
}
