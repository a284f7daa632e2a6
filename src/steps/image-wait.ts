import { OUTCOME_OF, type Ending, type Known, type RunDeps } from './run-state.js'
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

// Waiting for the image, and turning its last status into how the run ends.

/** Waits when asked to, and turns the image's last status into how the run ends. */
export async function finish(
  api: ImageApi,
  { image: first, origin }: Obtained,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  let image = first
  const state = stateOf(api, image)
  if (settings.wait && (state === 'pending' || state === 'unknown')) {
    image = await waitFor(api, image, settings, deps, known)
  }
  const label = `image ${image.no} ("${image.name}")`
  const finalState = stateOf(api, image)
  if (finalState === 'created') {
    deps.log.info(`Image ${image.no} ("${image.name}") is created.`)
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
  deps.log.info(
    `Image ${image.no} ("${image.name}") is ${describeStatus(image, finalState)}; wait is false, so the step ends here.`
  )
  return { outcome: 'creating', nextStep: NEXT.notUsableYet(image) }
}

async function waitFor(
  api: ImageApi,
  image: ImageRecord,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<ImageRecord> {
  const advice = known.advice ?? settings.nameSource
  known.waitEndsAt = deps.clock.now() + settings.waitTimeoutMs
  const { log, clock } = deps
  const label = `image ${image.no} ("${image.name}")`
  log.info(
    `Waiting up to ${formatDuration(settings.waitTimeoutMs)} for ${label}, checking every ${formatDuration(settings.pollIntervalMs)}.`
  )
  const started = clock.now()
  let latest = image
  const read = async (deadline: number): Promise<ImageRecord> =>
    (latest = await api.get(image.no, deadline))
  let result
  try {
    result = await waitForImage(read, image, {
      timeoutMs: settings.waitTimeoutMs,
      intervalMs: settings.pollIntervalMs,
      clock,
      signal: deps.signal,
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
  deps.onImage(result.image)
  if (result.state !== 'timed-out') return result.image
  const waited = formatDuration(clock.now() - started)
  const last = result.image
  const lastState = stateOf(api, last)
  const pending = lastState === 'pending'
  const status = pending
    ? `still being created (status ${last.status})`
    : `in ${describeStatus(last, lastState)}`
  const sinceRead = clock.now() - result.lastReadAt
  const stale = result.lastError !== undefined && sinceRead >= settings.pollIntervalMs
  const what = stale
    ? `was ${status} when last read, ${formatDuration(sinceRead)} before the wait ended${result.lastReadAt === started ? ' (by the answer that found or created it)' : ''}; no poll since could read it (last: ${describeError(result.lastError)}). The action stopped waiting after ${waited}`
    : `is ${status}${pending ? '' : ','} after waiting ${waited}`
  throw new RunFailure(
    `Image ${last.no} ("${last.name}") ${what}; ${pending ? 'NCP goes on creating it' : 'whether NCP is still creating it is not known'}.`,
    'timed-out',
    NEXT.raiseTimeout(last, settings.waitTimeoutMs, advice),
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
