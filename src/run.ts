import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import {
  CANCEL_LOOKUP_TIMEOUT_MS,
  lookFirst,
  madeFrom,
  obtainImage,
  sweepForDuplicates,
  type FirstLook,
  type Obtained,
  type Provenance
} from './create-image.js'
import { formatDuration } from './duration.js'
import { RunFailure, asRunFailure, type Outcome } from './failure.js'
import type { Settings } from './inputs.js'
import { NcloudClient } from './ncloud/client.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import {
  IMAGE_KINDS,
  ImageApi,
  ImageNotFoundError,
  MEMBER_IMAGE,
  SERVER_IMAGE,
  imageState,
  selectImageKind,
  sourceServerOf,
  type ImageKind,
  type ImageRecord
} from './ncloud/images.js'
import { findServerByName, readServer, type ServerRecord } from './ncloud/servers.js'
import { NEXT } from './next-steps.js'
import { planImage, planLines, resumeLines, type Plan } from './plan.js'
import { startAfterCancel, startServer, stopServer, type PowerDeps } from './server-power.js'
import {
  describePrune,
  matchesPattern,
  planPrune,
  prune,
  type PrunePlan,
  type PruneResult
} from './prune.js'
import { shareImage } from './share.js'
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
  imageName?: string
  kind?: RunResult['kind']
  image?: ImageRecord
  provenance?: Obtained['provenance']
  duplicates: ImageRecord[]
  pruning?: PrunePlan | PruneResult
  power?: Power
}

type Ending = Pick<RunResult, 'outcome' | 'nextStep'>
type Power = NonNullable<RunResult['power']>

const OUTCOME_OF: Record<Provenance, Outcome> = {
  created: 'created',
  adopted: 'created',
  reused: 'reused',
  resumed: 'resumed'
}

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
    dryRun: settings.dryRun,
    ...known,
    power: known.power && {
      ...known.power,
      downMs: (known.power.runningAt ?? deps.clock.now()) - known.power.stoppedAt
    },
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
  for (const warning of settings.warnings) log.warning(warning)
  if (settings.imageInstanceNo) return resumeByNumber(settings, client, deps, known)

  const server = await readKnownServer(client, settings, log, known)
  const plan = planImage(settings, server)
  if (plan instanceof RunFailure) throw plan
  known.kind = plan.kind
  const api = new ImageApi(client, plan.kind)
  const judge = {
    ifExists: settings.ifExists,
    nameSource: settings.nameSource,
    region: settings.region,
    log,
    attemptsOf: settings.nameChanges && plan.provenance ? settings.workflow : undefined
  }
  known.imageName = plan.request.name
  const first = await lookFirst(api, plan.request, judge)
  log.info(planLines(plan, settings, server, first).join('\n'))
  if (settings.dryRun) return dryRun(api, first, settings, log, known)

  if (settings.stopServer && !first.use) {
    if (server.status === 'RUN') known.power = { stoppedAt: deps.clock.now() }
    else {
      log.info(
        `Server ${server.no} is already stopped (${server.status}): it is imaged as it is and left stopped.`
      )
    }
  }
  let ending: Ending | undefined
  let failure: unknown
  try {
    if (known.power) await stopServer(client, server, powerDeps(settings, deps))
    ending = await createAndWait(api, plan, first, settings, client, deps, known, judge)
  } catch (error) {
    failure = error
  }
  if (known.power) await startAgain(client, server, settings, deps, known, failure)
  if (failure !== undefined) throw failure
  return afterReady(api, ending as Ending, settings, deps, known)
}

async function createAndWait(
  api: ImageApi,
  plan: Plan,
  first: FirstLook,
  settings: Settings,
  client: NcloudClient,
  deps: RunDeps,
  known: Known,
  judge: Parameters<typeof lookFirst>[2]
): Promise<Ending> {
  const { log } = deps
  const obtained = await obtainImage(api, plan.request, first, {
    ...deps,
    ...judge,
    policy: deps.retry,
    afterCancel: () => new ImageApi(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind)
  })
  known.provenance = obtained.provenance
  if (obtained.provenance === 'created' && settings.wait) {
    log.info(
      `Image ${obtained.image.no} ("${obtained.image.name}") is being created (${obtained.image.status}).`
    )
  }
  try {
    return await finish(api, obtained, settings, deps)
  } finally {
    if (obtained.provenance === 'created' || obtained.provenance === 'adopted') {
      const sweeper = deps.signal.aborted
        ? new ImageApi(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind)
        : api
      known.duplicates = await sweepForDuplicates(sweeper, known.image ?? obtained.image, log)
    }
  }
}

function powerDeps(settings: Settings, deps: RunDeps): PowerDeps {
  return {
    clock: deps.clock,
    signal: deps.signal,
    log: deps.log,
    pollIntervalMs: settings.pollIntervalMs,
    random: deps.random
  }
}

/**
 * The action stopped the server, so it starts it again, whatever happened meanwhile. When the
 * start fails for good, the step fails saying the server is stopped, keeping the image's number.
 */
async function startAgain(
  client: NcloudClient,
  server: ServerRecord,
  settings: Settings,
  deps: RunDeps,
  known: Known,
  failure: unknown
): Promise<void> {
  const power = known.power as Power
  const label = `Server ${server.no} (${server.name || 'no name'})`
  const before = failure === undefined ? '' : ` Before that: ${asRunFailure(failure).message}`
  if (deps.signal.aborted) {
    const start = await startAfterCancel(
      client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS),
      server.no,
      deps.log
    )
    power.startAccepted = start.accepted
    const cancelled = asRunFailure(failure ?? deps.signal.reason)
    throw new RunFailure(
      `${cancelled.message} ${label} had been stopped by the action; ${start.accepted ? 'the start request was sent and accepted, and it boots on its own' : `the start request was not accepted (${start.why}): it is still stopped`}.`,
      cancelled.outcome,
      start.accepted ? cancelled.nextStep : `${NEXT.startServer(server.no)} ${cancelled.nextStep}`,
      cancelled.image ?? known.image
    )
  }
  try {
    await startServer(client, server.no, powerDeps(settings, deps))
    power.runningAt = deps.clock.now()
    deps.log.info(`${label} was down for ${formatDuration(power.runningAt - power.stoppedAt)}.`)
  } catch (error) {
    if (deps.signal.aborted) return startAgain(client, server, settings, deps, known, error)
    throw new RunFailure(
      `${label} is stopped: the action stopped it for the image and could not start it again: ${describeError(error)}${before}`,
      'server-stopped',
      NEXT.startServer(server.no),
      known.image
    )
  }
}

/** Once the image is CREAT: share it, then prune the old ones. */
async function afterReady(
  api: ImageApi,
  ending: Ending,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  if (!['created', 'reused', 'resumed'].includes(ending.outcome) || !known.image) return ending
  await afterCreated(api, known.image, settings, deps, known)
  return ending
}

/** The server named by number or by name, read and logged. */
async function readKnownServer(
  client: NcloudClient,
  settings: Settings,
  log: Log,
  known: Known
): Promise<ServerRecord> {
  let serverInstanceNo = settings.serverInstanceNo
  if (settings.serverName) {
    const found = await findServerByName(client, settings.serverName)
    log.info(`Server "${settings.serverName}" is server ${found.no}.`)
    serverInstanceNo = found.no
  }
  const server = await readServer(client, serverInstanceNo)
  known.server = server
  log.info(
    `Server ${server.no} (${server.name || 'no name'}): ${server.status}${server.statusName ? ` (${server.statusName})` : ''}, hypervisor ${server.hypervisor ?? 'not reported'}.`
  )
  return server
}

async function dryRun(
  api: ImageApi,
  first: FirstLook,
  settings: Settings,
  log: Log,
  known: Known
): Promise<Ending> {
  const verdict = first.use
    ? `would use image ${first.use.no}`
    : 'the name is free, so the image would be created'
  await dryRunAfterCreation(api, first.use, settings, log, known)
  log.info(
    `Dry run: credentials, server and name checked; ${verdict}. Nothing was created${settings.keepLast !== undefined ? ' or deleted' : ''}. ` +
      'A dry run cannot check that the key may create images (NCP has no read-only way to ask), so a key that may only read passes it.'
  )
  return {
    outcome: 'dry-run',
    nextStep: first.use ? NEXT.dryRunUse(first.use) : NEXT.dryRunDone
  }
}

/** What a dry run would do once the image is created: share it, prune the old ones. */
async function dryRunAfterCreation(
  api: ImageApi,
  image: ImageRecord | undefined,
  settings: Settings,
  log: Log,
  known: Known
): Promise<void> {
  if (settings.shareWith.length > 0) {
    log.info(
      `Dry run: would share the image with ${settings.shareWith.join(', ')} once it is created.`
    )
  }
  if (settings.keepLast !== undefined) {
    const current = image && imageState(api.kind, image.status) === 'created' ? image : undefined
    known.pruning = await planPruning(api, current, settings, log, known)
  }
}

/** image-instance-no: no create; find the image, check it against the server if one is named, wait. */
async function resumeByNumber(
  settings: Settings,
  client: NcloudClient,
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  const no = settings.imageInstanceNo
  let kinds: readonly ImageKind[] = IMAGE_KINDS
  let server: ServerRecord | undefined
  if (settings.serverInstanceNo || settings.serverName) {
    server = await readKnownServer(client, settings, deps.log, known)
    const selected = selectImageKind(settings.hypervisor, server.hypervisor)
    if ('problem' in selected) {
      throw new RunFailure(`Input "hypervisor" ${selected.problem}`, 'error', NEXT.fixInputs)
    }
    kinds = [selected.kind]
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
  const { api, image } = found
  known.kind = api.kind
  deps.onImage(image)
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
      deps.log.warning(
        `Image ${no} ("${image.name}") is waited for although its source server cannot be verified: NCP's record does not name one, and its description is not this action's provenance.`
      )
    }
  }
  deps.log.info(resumeLines(settings, api.kind, image).join('\n'))
  if (settings.dryRun) {
    deps.log.info(
      `Dry run: credentials${server ? ', server' : ''} and image checked. Nothing was changed.`
    )
    return { outcome: 'dry-run', nextStep: NEXT.dryRunResume(image) }
  }
  known.provenance = 'resumed'
  const ending = await finish(api, { image, provenance: 'resumed' }, settings, deps)
  return afterReady(api, ending, settings, deps, known)
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
  const label = `image ${image.no} ("${image.name}")`
  const finalState = imageState(api.kind, image.status)
  if (finalState === 'created') {
    deps.log.info(`Image ${image.no} ("${image.name}") is created.`)
    return { outcome: OUTCOME_OF[provenance], nextStep: NEXT.useOutput }
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

/** Once the image is CREAT: share it, then prune the old ones. */
async function afterCreated(
  api: ImageApi,
  image: ImageRecord,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<void> {
  let current = image
  if (settings.shareWith.length > 0) {
    current = await shareImage(api, image, settings.shareWith, deps.log)
    deps.onImage(current)
  }
  if (settings.keepLast !== undefined && settings.pruneMatch !== undefined) {
    const plan = await planPruning(api, current, settings, deps.log, known)
    if (plan) known.pruning = await prune(api, plan, deps.log)
  }
}

/** What keep-last would keep and delete, logged; undefined when it cannot be worked out. */
async function planPruning(
  api: ImageApi,
  current: ImageRecord | undefined,
  settings: Settings,
  log: Log,
  known: Known
): Promise<PrunePlan | undefined> {
  const pattern = settings.pruneMatch as string
  const serverInstanceNo = known.server?.no ?? (current && sourceServerOf(current))
  if (!serverInstanceNo) {
    log.warning(
      'keep-last: nothing is pruned, since the source server of the image is not known; give server-instance-no.'
    )
    return undefined
  }
  if (current && !matchesPattern(current.name, pattern)) {
    log.warning(
      `keep-last: this run's image "${current.name}" does not match prune-match "${pattern}", so it is not counted among the ${settings.keepLast} kept.`
    )
  }
  let images
  try {
    images = await api.listAll()
  } catch (error) {
    log.warning(
      `keep-last: nothing is pruned, since the images could not be listed: ${describeError(error)}`
    )
    return undefined
  }
  const plan = planPrune(api.kind, images, current, {
    keepLast: settings.keepLast as number,
    pattern,
    serverInstanceNo,
    shareWith: settings.shareWith
  })
  log.info(describePrune(plan, settings.dryRun, current === undefined))
  return plan
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
        NEXT.resume(image, settings.nameSource),
        image
      )
    }
    throw new RunFailure(
      `Stopped waiting for ${label}: ${describeError(error)}`,
      'wait-failed',
      `${error instanceof NcloudError ? `${error.hint} ` : ''}${NEXT.lookInConsole(image, settings.nameSource)}`,
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
    NEXT.raiseTimeout(last, settings.waitTimeoutMs, settings.nameSource),
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
