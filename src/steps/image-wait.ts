import { OUTCOME_OF, type Ending, type Known, type RunDeps } from './run-state.js'
import { CancelledError } from '../lib/cancel.js'
import type { Obtained } from './uncertain-create.js'
import { formatDuration } from '../lib/duration.js'
import { RunFailure } from '../model/failure.js'
import type { Settings } from '../model/settings.js'
import { NcloudError, describeError } from '../ncloud/errors.js'
import { ImageApi, ImageNotFoundError, imageState, type ImageRecord } from '../ncloud/images.js'
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
  const state = imageState(api.kind, image.status)
  if (settings.wait && state !== 'created' && state !== 'failed') {
    image = await waitFor(api, image, settings, deps, known)
  }
  const label = `image ${image.no} ("${image.name}")`
  const finalState = imageState(api.kind, image.status)
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
  let result
  try {
    result = await waitForImage(deadline => api.get(image.no, deadline), image, {
      timeoutMs: settings.waitTimeoutMs,
      intervalMs: settings.pollIntervalMs,
      clock,
      signal: deps.signal,
      log,
      stateOf: polled => imageState(api.kind, polled.status),
      classify: pollFailure
    })
  } catch (error) {
    if (error instanceof CancelledError) {
      throw new RunFailure(
        `${error.message} Stopped waiting for ${label}, which NCP is still creating.`,
        'cancelled',
        NEXT.resume(image, advice),
        image
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
  const lastState = imageState(api.kind, last.status)
  const status =
    lastState === 'pending'
      ? `still being created (status ${last.status})`
      : `in ${describeStatus(last, lastState)}`
  const sinceRead = clock.now() - result.lastReadAt
  const stale = result.lastError !== undefined && sinceRead >= settings.pollIntervalMs
  const what = stale
    ? `was ${status} when last read, ${formatDuration(sinceRead)} before the wait ended${result.lastReadAt === started ? ' (by the answer that found or created it)' : ''}; no poll since could read it (last: ${describeError(result.lastError)}). The action stopped waiting after ${waited}`
    : `is ${status} after waiting ${waited}`
  throw new RunFailure(
    `Image ${last.no} ("${last.name}") ${what}; NCP goes on creating it.`,
    'timed-out',
    NEXT.raiseTimeout(last, settings.waitTimeoutMs, advice),
    last
  )
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
