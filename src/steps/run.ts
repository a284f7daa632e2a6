import { afterReady, dryRunAfterCreation, type AfterOptions } from './after-created.js'
import { finish } from './image-wait.js'
import { checkResumed, resumeByNumber } from './resume.js'
import type { Ending, RunDeps } from './run-state.js'
import { obtainImage, type Obtained } from './uncertain-create.js'
import { CANCEL_LOOKUP_TIMEOUT_MS } from './timing.js'
import { lookFirst, sweepAfterWait, type FirstLook } from './name-lookup.js'
import { RunFailure, asRunFailure } from '../model/failure.js'
import { JournalRecorder, journalImage, powerOf } from '../model/journal.js'
import type { NameSource } from '../model/image-name.js'
import { prunes, type Settings } from '../model/settings.js'
import type { NcloudClient } from '../ncloud/client.js'
import { ImageApi, type ImageKind, type ImageRecord } from '../ncloud/images.js'
import { verifyBoot } from './verify-boot.js'
import { adviceFor, makeClient, readKnownServer } from './run-setup.js'
import { NEXT } from '../model/next-steps.js'
import { planImage, planLines, type Plan } from './plan.js'
import { withServerStopped } from './stopped-server.js'
import type { Log } from '../lib/log.js'
import type { RunResult } from '../model/result.js'

/** What the result reports beside the journal: set here, from what each step returns. */
type Learned = Partial<
  Pick<RunResult, 'server' | 'imageName' | 'kind' | 'image' | 'origin' | 'pruning' | 'verify'>
> & { duplicates: ImageRecord[]; advice?: NameSource }

/** The sequence's own dependencies: the run's, with the journal it writes and the client. */
interface Run extends RunDeps {
  journal: JournalRecorder
  client: NcloudClient
  learned: Learned
  /** The image the run has, the moment it has it: into the journal (and so the outputs). */
  noteImage(image: ImageRecord): void
}

/** One run's steps: read the server, plan, create or find the image, wait, sweep, share, prune. */
export async function runImage(settings: Settings, deps: RunDeps): Promise<RunResult> {
  const started = deps.clock.now()
  const client = makeClient(settings, deps)
  const learned: Learned = { duplicates: [] }
  const journal = deps.journal ?? new JournalRecorder()
  const noteImage = (image: ImageRecord): void => {
    learned.image = image
    const kind = learned.kind?.actions.create
    journal.record(j => {
      const waitingUntil = j.image?.no === image.no ? j.image.waitingUntil : undefined
      j.image = journalImage(image, kind, learned.origin)
      if (waitingUntil !== undefined) j.image.waitingUntil = waitingUntil
    })
  }
  const base = (): Omit<RunResult, 'outcome' | 'failed'> => ({
    serverInstanceNo: settings.serverInstanceNo,
    region: settings.region,
    dryRun: settings.dryRun,
    ...learned,
    power: powerOf(journal.snapshot(), deps.clock.now()),
    elapsedMs: deps.clock.now() - started
  })
  try {
    const ending = await steps(settings, { ...deps, journal, client, learned, noteImage })
    return { ...base(), ...ending, failed: false }
  } catch (error) {
    const failure = asRunFailure(error, learned)
    if (failure.image) {
      learned.image = failure.image
      // A dry run sets no image outputs.
      if (!settings.dryRun) noteImage(failure.image)
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

async function steps(settings: Settings, run: Run): Promise<Ending> {
  const { log, learned, client } = run
  log.info(`NCP API ${settings.origin} (from ${settings.originSource}), region ${settings.region}.`)
  for (const warning of settings.warnings) log.warning(warning)
  if (settings.imageInstanceNo) {
    const named = settings.serverInstanceNo || settings.serverName
    const server = named ? await readKnownServer(client, settings, log) : undefined
    learned.server = server
    const found = await resumeByNumber(settings, client, server)
    const { api, image } = found
    learned.kind = api.kind
    learned.image = image
    if (!settings.dryRun) run.noteImage(image)
    checkResumed(settings, found, server, log)
    if (settings.dryRun) {
      learned.pruning = await dryRunAfterCreation(api, image, afterOptions(settings, run))
      log.info(
        `Dry run: credentials${server ? ', server' : ''} and image checked. Nothing was changed.`
      )
      return { outcome: 'dry-run', nextStep: NEXT.dryRunResume(image) }
    }
    learned.origin = 'resumed'
    learned.advice = 'time'
    const ending = await finish(api, { image, origin: 'resumed' }, waitOptions(settings, run))
    return after(api, ending, settings, run)
  }

  const server = await readKnownServer(client, settings, log)
  learned.server = server
  const plan = planImage(settings, server)
  if (plan instanceof RunFailure) throw plan
  learned.kind = plan.kind
  const api = new ImageApi(client, plan.kind)
  learned.imageName = plan.request.name
  learned.advice = adviceFor(settings, plan.writesProvenance)
  const first = await lookFirst(api, plan.request, judgeOptions(settings, plan, log))
  log.info(planLines(plan, settings, server, first).join('\n'))
  if (settings.dryRun) return dryRun(api, first, settings, run)

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
  const body = (): Promise<Ending> => createWaitSweep(api, plan, first, settings, run)
  const ending = stopFirst
    ? await withServerStopped(
        { ...run, server, pollIntervalMs: settings.pollIntervalMs, context: () => learned },
        body
      )
    : await body()
  return after(api, ending, settings, run)
}

/**
 * Obtains the one image, waits for it, then sweeps for other images of its name whatever the
 * wait did: the sweep's findings reach the result before a failure of the wait is passed on.
 */
async function createWaitSweep(
  api: ImageApi,
  plan: Plan,
  first: FirstLook,
  settings: Settings,
  run: Run
): Promise<Ending> {
  const { log, learned, journal, clock } = run
  const afterCancel = (): ImageApi =>
    new ImageApi(run.client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind)
  const obtained: Obtained = await obtainImage(api, plan.request, first, {
    ...run,
    ...judgeOptions(settings, plan, log),
    advice: learned.advice ?? settings.nameSource,
    policy: run.retry,
    onImage: run.noteImage,
    afterCancel
  })
  learned.origin = obtained.origin
  run.noteImage(obtained.image)
  const { image } = obtained
  if (obtained.origin === 'created' && settings.wait) {
    log.info(`Image ${image.no} ("${image.name}") is being created (${image.status}).`)
  }
  const waited = await finish(api, obtained, waitOptions(settings, run)).then(
    ending => ({ ending }),
    (failure: unknown) => ({ failure })
  )
  const swept = await sweepAfterWait(api, obtained, {
    log,
    signal: run.signal,
    afterCancel,
    // Once the wait has ended, the sweep may take one request deadline, no more.
    endBy: () => (journal.snapshot().image?.waitingUntil ?? clock.now()) + settings.requestTimeoutMs
  })
  learned.duplicates = swept ?? []
  if ('failure' in waited) throw waited.failure
  return waited.ending
}

/** Once the image is created: share it and prune; what pruning did goes to the result. */
async function after(api: ImageApi, ending: Ending, settings: Settings, run: Run): Promise<Ending> {
  const pruning = await afterReady(api, ending, run.learned.image, afterOptions(settings, run))
  if (pruning) run.learned.pruning = pruning
  return ending
}

function judgeOptions(settings: Settings, plan: Plan, log: Log): Parameters<typeof lookFirst>[2] {
  return {
    ifExists: settings.ifExists,
    nameSource: settings.nameSource,
    region: settings.region,
    log,
    attemptsOf: settings.nameChanges && plan.writesProvenance ? settings.workflow : undefined
  }
}

function waitOptions(settings: Settings, run: Run): Parameters<typeof finish>[2] {
  return {
    ...settings,
    ...run,
    advice: run.learned.advice ?? settings.nameSource,
    onImage: run.noteImage,
    onWaitStart: endsAt => run.journal.record(j => j.image && (j.image.waitingUntil = endsAt))
  }
}

function afterOptions(settings: Settings, run: Run): AfterOptions {
  return {
    ...run,
    settings,
    serverNo: run.learned.server?.no,
    imageName: run.learned.imageName,
    onImage: run.noteImage,
    verify: settings.verifyBoot ? image => verifyImage(image, settings, run) : undefined
  }
}

function verifyImage(image: ImageRecord | undefined, settings: Settings, run: Run): Promise<void> {
  const { learned } = run
  const [kind, imageName] = [learned.kind as ImageKind, learned.imageName ?? image?.name ?? '']
  const report = (v: RunResult['verify']): unknown => (learned.verify = { ...learned.verify, ...v })
  return verifyBoot(image, { ...run, settings, server: learned.server, kind, imageName, report })
}

async function dryRun(
  api: ImageApi,
  first: FirstLook,
  settings: Settings,
  run: Run
): Promise<Ending> {
  const { log } = run
  const verdict = first.use
    ? `would use image ${first.use.no}`
    : 'the name is free, so the image would be created'
  run.learned.pruning = await dryRunAfterCreation(api, first.use, afterOptions(settings, run))
  log.info(
    `Dry run: credentials, server and name checked; ${verdict}. Nothing was created${prunes(settings) ? ' or deleted' : ''}. ` +
      'A dry run cannot check that the key may create images (NCP has no read-only way to ask), so a key that may only read passes it.'
  )
  return {
    outcome: 'dry-run',
    nextStep: first.use ? NEXT.dryRunUse(first.use) : NEXT.dryRunDone
  }
}
