import { afterReady, dryRunAfterCreation } from './after-created.js'
import { finish } from './image-wait.js'
import { resumeByNumber } from './resume.js'
import type { Ending, Known, RunDeps } from './run-state.js'
import { createImage } from './uncertain-create.js'
import { CANCEL_LOOKUP_TIMEOUT_MS } from './timing.js'
import { lookFirst, type FirstLook } from './name-lookup.js'
import { RunFailure, asRunFailure } from '../model/failure.js'
import { JournalRecorder, journalImage, powerOf } from '../model/journal.js'
import type { NameSource } from '../model/image-name.js'
import { prunes, type Settings } from '../model/settings.js'
import { NcloudClient } from '../ncloud/client.js'
import { ImageApi, type ImageRecord } from '../ncloud/images.js'
import { findServerByName, readServer, type ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import { planImage, planLines, type Plan } from './plan.js'
import { withServerStopped } from './stopped-server.js'
import type { Log } from '../lib/log.js'
import type { RunResult } from '../model/result.js'

const USER_AGENT = 'ncloud-server-image-action/1'
/** One run's steps: read the server, plan, create or find the image, wait, sweep. */
export async function runImage(settings: Settings, deps: RunDeps): Promise<RunResult> {
  const started = deps.clock.now()
  const client = makeClient(settings, deps)
  const known: Known = { duplicates: [] }
  const journal = deps.journal ?? new JournalRecorder()
  const onImage = (image: ImageRecord): void => {
    known.image = image
    journal.record(j => (j.image = journalImage(image, known.kind?.actions.create, known.origin)))
    deps.onImage(image)
  }
  const base = (): Omit<RunResult, 'outcome' | 'failed'> => ({
    serverInstanceNo: settings.serverInstanceNo,
    region: settings.region,
    dryRun: settings.dryRun,
    ...known,
    power: powerOf(journal.snapshot(), deps.clock.now()),
    elapsedMs: deps.clock.now() - started
  })
  try {
    const ending = await steps(settings, client, { ...deps, journal, onImage }, known)
    return { ...base(), ...ending, failed: false }
  } catch (error) {
    const failure = asRunFailure(error, known)
    const { image } = failure
    if (image) {
      known.image = image
      journal.record(j => (j.image = journalImage(image, known.kind?.actions.create, known.origin)))
    }
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
  deps: RunDeps & { journal: JournalRecorder },
  known: Known
): Promise<Ending> {
  const { log } = deps
  log.info(`NCP API ${settings.origin} (from ${settings.originSource}), region ${settings.region}.`)
  for (const warning of settings.warnings) log.warning(warning)
  if (settings.imageInstanceNo) {
    const named = settings.serverInstanceNo || settings.serverName
    const server = named ? await readKnownServer(client, settings, log, known) : undefined
    const { api, image } = await resumeByNumber(settings, client, deps, known, server)
    if (settings.dryRun) {
      await dryRunAfterCreation(api, image, settings, deps, known)
      log.info(
        `Dry run: credentials${server ? ', server' : ''} and image checked. Nothing was changed.`
      )
      return { outcome: 'dry-run', nextStep: NEXT.dryRunResume(image) }
    }
    known.origin = 'resumed'
    known.advice = 'time'
    const ending = await finish(api, { image, origin: 'resumed' }, settings, deps, known)
    return afterReady(api, ending, settings, deps, known)
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
  if (settings.dryRun) return dryRun(api, first, settings, deps, known)

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
  const body = (): Promise<Ending> =>
    createAndWait(api, plan, first, settings, client, deps, known, judge)
  const ending = stopFirst
    ? await withServerStopped(
        {
          client,
          server,
          journal: deps.journal,
          clock: deps.clock,
          signal: deps.signal,
          log,
          random: deps.random,
          pollIntervalMs: settings.pollIntervalMs,
          context: () => known
        },
        body
      )
    : await body()
  return afterReady(api, ending, settings, deps, known)
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
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  const { log } = deps
  const verdict = first.use
    ? `would use image ${first.use.no}`
    : 'the name is free, so the image would be created'
  await dryRunAfterCreation(api, first.use, settings, deps, known)
  log.info(
    `Dry run: credentials, server and name checked; ${verdict}. Nothing was created${prunes(settings) ? ' or deleted' : ''}. ` +
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
