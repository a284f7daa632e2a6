import { afterReady, dryRunAfterCreation } from './after-created.js'
import { finish } from './image-wait.js'
import { resumeByNumber } from './resume.js'
import type { Ending, Known, Power, RunDeps } from './run-state.js'
import { CANCEL_LOOKUP_TIMEOUT_MS, createImage, lookFirst, type FirstLook } from './create-image.js'
import { formatDuration } from '../lib/duration.js'
import { RunFailure, asRunFailure } from '../model/failure.js'
import type { NameSource } from '../model/image-name.js'
import type { Settings } from '../model/settings.js'
import { NcloudClient } from '../ncloud/client.js'
import { describeError } from '../ncloud/errors.js'
import { ImageApi, type ImageRecord } from '../ncloud/images.js'
import { findServerByName, readServer, type ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import { planImage, planLines, type Plan } from './plan.js'
import { startAfterCancel, startServer, stopServer, type PowerDeps } from './server-power.js'
import type { Log } from '../lib/log.js'
import type { RunResult } from '../model/result.js'

const USER_AGENT = 'ncloud-server-image-action/1'
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
    const failure = asRunFailure(error, known)
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
  if (settings.imageInstanceNo) {
    const named = settings.serverInstanceNo || settings.serverName
    const server = named ? await readKnownServer(client, settings, log, known) : undefined
    return resumeByNumber(settings, client, deps, known, server)
  }

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
    attemptsOf: settings.nameChanges && plan.writesProvenance ? settings.workflow : undefined
  }
  known.imageName = plan.request.name
  known.advice = adviceFor(settings, plan.writesProvenance)
  const first = await lookFirst(api, plan.request, judge)
  log.info(planLines(plan, settings, server, first).join('\n'))
  if (settings.dryRun) return dryRun(api, first, settings, log, known)

  const stopFirst = settings.stopServer && !first.use && server.status === 'RUN'
  if (settings.stopServer && first.use) {
    log.info('stop-server: nothing is stopped, since no image is created (one exists already).')
  }
  if (settings.stopServer && server.status !== 'RUN') {
    const left = first.use
      ? `the action did not stop it and does not start it`
      : 'it is imaged as it is and left stopped'
    const line = `Server ${server.no} is already stopped (${server.status}): ${left}.`
    if (first.use) log.warning(line)
    else log.info(line)
  }
  let ending: Ending | undefined
  let failure: unknown
  let startOnCancel: StartOnCancel | undefined
  try {
    if (stopFirst) {
      await stopServer(client, server, powerDeps(settings, deps), {
        sent: () => {
          known.power = { stoppedAt: deps.clock.now() }
          startOnCancel = sendStartOnCancel(client, server, deps, known)
        },
        undone: () => {
          known.power = undefined
          startOnCancel?.dispose()
        }
      })
    }
    ending = await createAndWait(api, plan, first, settings, client, deps, known, judge)
  } catch (error) {
    failure = error
  }
  if (known.power) {
    try {
      await startAgain(client, server, settings, deps, known, failure, startOnCancel)
    } finally {
      startOnCancel?.dispose()
    }
  }
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
  return createImage(
    api,
    plan.request,
    first,
    {
      ...deps,
      ...judge,
      advice: known.advice ?? settings.nameSource,
      policy: deps.retry,
      afterCancel: () => new ImageApi(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind),
      // Once the wait has ended, the sweep may take one request deadline, no more.
      sweepEndBy: () => (known.waitEndsAt ?? deps.clock.now()) + settings.requestTimeoutMs,
      onDuplicates: images => (known.duplicates = images)
    },
    obtained => {
      known.origin = obtained.origin
      if (obtained.origin === 'created' && settings.wait) {
        log.info(
          `Image ${obtained.image.no} ("${obtained.image.name}") is being created (${obtained.image.status}).`
        )
      }
      return finish(api, obtained, settings, deps, known)
    }
  )
}

/**
 * What finds this run's image again: a run-stable generated name, or a changing name ({date},
 * {time}) whose image the provenance description ties to this step of this run, count as 'run'.
 */
function adviceFor(settings: Settings, provenance: boolean): NameSource {
  if (!settings.nameChanges) return settings.nameSource
  return provenance && settings.workflow.runId ? 'run' : 'time'
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
interface StartOnCancel {
  /** The start sent when the signal came, if it came; settles with whether NCP accepted it. */
  sent(): Promise<{ accepted: boolean; why?: string }> | undefined
  dispose(): void
}

/**
 * Once the action has stopped the server, a cancel sends the start at once, before anything else
 * the run is doing at that moment, since the runner kills the process a few seconds later.
 */
function sendStartOnCancel(
  client: NcloudClient,
  server: ServerRecord,
  deps: RunDeps,
  known: Known
): StartOnCancel {
  let sent: Promise<{ accepted: boolean; why?: string }> | undefined
  const onAbort = (): void => {
    if (known.power?.startAccepted) return
    sent = startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log)
  }
  deps.signal.addEventListener('abort', onAbort, { once: true })
  return {
    sent: () => sent,
    dispose: () => deps.signal.removeEventListener('abort', onAbort)
  }
}

async function startAgain(
  client: NcloudClient,
  server: ServerRecord,
  settings: Settings,
  deps: RunDeps,
  known: Known,
  failure: unknown,
  startOnCancel?: StartOnCancel
): Promise<void> {
  const power = known.power as Power
  const label = `Server ${server.no} (${server.name || 'no name'})`
  const before = failure === undefined ? '' : ` Before that: ${asRunFailure(failure).message}`
  if (deps.signal.aborted) {
    // One start request if none was accepted yet; a second would be refused while it boots.
    const start = power.startAccepted
      ? { accepted: true }
      : await (startOnCancel?.sent() ??
          startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log))
    power.startAccepted = start.accepted
    const cancelled = asRunFailure(failure ?? deps.signal.reason, known)
    throw new RunFailure(
      `${cancelled.message} ${label} had been stopped by the action; ${start.accepted ? 'the start request was sent and accepted, and it boots on its own' : `the start request was not accepted (${start.why ?? 'no answer'}): it is still stopped`}.`,
      cancelled.outcome,
      start.accepted ? cancelled.nextStep : `${NEXT.startServer(server.no)} ${cancelled.nextStep}`,
      cancelled.image ?? known.image
    )
  }
  try {
    await startServer(client, server.no, powerDeps(settings, deps), () => {
      power.startAccepted = true
    })
    power.runningAt = deps.clock.now()
    deps.log.info(`${label} was down for ${formatDuration(power.runningAt - power.stoppedAt)}.`)
  } catch (error) {
    if (deps.signal.aborted) {
      return startAgain(client, server, settings, deps, known, error, startOnCancel)
    }
    if (power.startAccepted) {
      throw new RunFailure(
        `${label} was started again, but is not running yet: ${describeError(error)}${before}`,
        'error',
        NEXT.checkServerState(server.no),
        known.image
      )
    }
    throw new RunFailure(
      `${label} is stopped: the action stopped it for the image and could not start it again: ${describeError(error)}${before}`,
      'server-stopped',
      NEXT.startServer(server.no),
      known.image
    )
  }
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
