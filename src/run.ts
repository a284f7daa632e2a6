import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import {
  CANCEL_LOOKUP_TIMEOUT_MS,
  judgeExisting,
  obtainImage,
  sweepForDuplicates,
  type Obtained
} from './create-image.js'
import { formatDuration } from './duration.js'
import { RunFailure, asRunFailure } from './failure.js'
import type { Settings } from './inputs.js'
import { NcloudClient } from './ncloud/client.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import { ImageApi, ImageNotFoundError, imageState, type ImageRecord } from './ncloud/images.js'
import { readServer } from './ncloud/servers.js'
import { NEXT } from './next-steps.js'
import { planImage, type Plan } from './plan.js'
import type { Log } from './port.js'
import type { RunResult } from './result.js'
import type { RetryPolicy } from './retry.js'
import { describeStatus, waitForImage, type PollFailure } from './wait.js'

const USER_AGENT = 'ncloud-server-image-action/1'

export interface RunDeps {
  log: Log
  clock: Clock
  signal: AbortSignal
  random?: () => number
  retry: RetryPolicy
  confirmDelaysMs: readonly number[]
  /** Told of every image the moment it is known, so that no exit can lose its number. */
  onImage(image: ImageRecord): void
}

/** What the run has learned so far; every exit, successful or not, reports it. */
interface Known {
  server?: RunResult['server']
  kind?: RunResult['kind']
  image?: ImageRecord
  provenance?: Obtained['provenance']
  duplicates: ImageRecord[]
}

type Ending = Pick<RunResult, 'outcome' | 'nextStep'>

/** One run's steps: read the server, plan, create or find the image, wait, sweep. */
export async function runImage(settings: Settings, deps: RunDeps): Promise<RunResult> {
  const started = deps.clock.now()
  const client = makeClient(settings, deps)
  const known: Known = { duplicates: [] }
  const onImage = (image: ImageRecord): void => {
    known.image = image
    deps.onImage(image)
  }
  const base = (): Omit<RunResult, 'outcome' | 'failed'> => ({
    serverInstanceNo: settings.serverInstanceNo,
    region: settings.region,
    imageName: settings.imageName,
    dryRun: settings.dryRun,
    ...known,
    elapsedMs: deps.clock.now() - started
  })
  try {
    const ending = await steps(settings, client, { ...deps, onImage }, known)
    return { ...base(), ...ending, failed: false }
  } catch (error) {
    const failure = asRunFailure(error)
    if (failure.image) known.image = failure.image
    return {
      ...base(),
      outcome: failure.outcome,
      failed: true,
      problem: failure.message,
      nextStep: failure.nextStep || undefined
    }
  } finally {
    client.dispose()
  }
}

async function steps(
  settings: Settings,
  client: NcloudClient,
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  const { log } = deps
  log.info(`NCP API ${settings.origin} (from ${settings.originSource}), region ${settings.region}.`)
  const server = await readServer(client, settings.serverInstanceNo)
  known.server = server
  log.info(
    `Server ${server.no} (${server.name || 'no name'}): ${server.status}${server.statusName ? ` (${server.statusName})` : ''}, hypervisor ${server.hypervisor ?? 'not reported'}.`
  )
  const plan = planImage(settings, server)
  if (plan instanceof RunFailure) throw plan
  known.kind = plan.kind
  log.info(plan.lines.join('\n'))
  const api = new ImageApi(client, plan.kind)
  if (settings.dryRun) return dryRun(api, plan, settings, log)

  const obtained = await obtainImage(api, plan.request, {
    ...deps,
    ifExists: settings.ifExists,
    region: settings.region,
    policy: deps.retry,
    afterCancel: () => new ImageApi(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind)
  })
  known.provenance = obtained.provenance
  if (obtained.provenance === 'created') {
    log.info(
      `Image ${obtained.image.no} ("${obtained.image.name}") is being created (${obtained.image.status}).`
    )
  }
  try {
    return await finish(api, obtained, settings, deps)
  } finally {
    if (obtained.provenance !== 'reused') {
      const sweeper = deps.signal.aborted
        ? new ImageApi(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind)
        : api
      known.duplicates = await sweepForDuplicates(sweeper, known.image ?? obtained.image, log)
    }
  }
}

async function dryRun(api: ImageApi, plan: Plan, settings: Settings, log: Log): Promise<Ending> {
  const existing = await api.findAllByName(plan.request.name)
  let verdict = `the name "${plan.request.name}" is free in region ${settings.region}`
  if (existing.length > 0) {
    const image = existing[existing.length - 1]
    const judged = judgeExisting(api, image, plan.request, settings)
    if (judged instanceof RunFailure) throw judged
    verdict = `would use the existing image ${image.no}`
  }
  log.info(`Dry run: credentials, server and name checked; ${verdict}. Nothing was created.`)
  return { outcome: 'dry-run', nextStep: NEXT.dryRunDone }
}

/** Waits when asked to, and turns the image's last status into how the run ends. */
async function finish(
  api: ImageApi,
  { image: first, provenance }: Obtained,
  settings: Settings,
  deps: RunDeps
): Promise<Ending> {
  let image = first
  const state = imageState(api.kind, image.status)
  if (settings.wait && state !== 'created' && state !== 'failed') {
    image = await waitFor(api, image, settings, deps)
  }
  const label = `Image ${image.no} ("${image.name}")`
  const finalState = imageState(api.kind, image.status)
  if (finalState === 'created') {
    deps.log.info(`${label} is created.`)
    return { outcome: provenance === 'reused' ? 'reused' : 'created', nextStep: NEXT.useOutput }
  }
  if (finalState === 'failed') {
    throw new RunFailure(
      `NCP could not create ${label.toLowerCase()}: status CREFL${image.statusName ? ` (${image.statusName})` : ''}.`,
      'failed',
      NEXT.deleteFailed,
      image
    )
  }
  deps.log.info(
    `${label} is ${describeStatus(image, finalState)}; wait is false, so the step ends here.`
  )
  return { outcome: 'creating', nextStep: NEXT.notUsableYet(image) }
}

async function waitFor(
  api: ImageApi,
  image: ImageRecord,
  settings: Settings,
  deps: RunDeps
): Promise<ImageRecord> {
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
        NEXT.waitAgain(image),
        image
      )
    }
    throw new RunFailure(
      `Stopped waiting for ${label}: ${describeError(error)}`,
      'wait-failed',
      `${error instanceof NcloudError ? `${error.hint} ` : ''}${NEXT.lookInConsole(image)}`,
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
    NEXT.raiseTimeout(last, settings.waitTimeoutMs),
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

function makeClient(settings: Settings, deps: RunDeps): NcloudClient {
  return new NcloudClient({
    origin: settings.origin,
    gatewaySetting: settings.originSource,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    clock: deps.clock,
    retry: deps.retry,
    requestTimeoutMs: settings.requestTimeoutMs,
    signal: deps.signal,
    random: deps.random,
    userAgent: USER_AGENT,
    debug: deps.log.debug,
    onRetry: deps.log.info
  })
}
