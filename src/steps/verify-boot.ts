import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import { RunFailure, asRunFailure } from '../model/failure.js'
import type { JournalRecorder, JournalTestServer } from '../model/journal.js'
import { NEXT } from '../model/next-steps.js'
import { isTestServerOfThisStep } from '../model/provenance.js'
import type { RunResult } from '../model/result.js'
import type { Settings } from '../model/settings.js'
import type { NcloudClient } from '../ncloud/client.js'
import { NcloudError, describeError } from '../ncloud/errors.js'
import type { ImageKind, ImageRecord } from '../ncloud/images.js'
import { launchParams, launchServer, sendStop } from '../ncloud/server-launch.js'
import { bootProgress, listServers, readOrList, type ServerRecord } from '../ncloud/servers.js'
import { launchRequest, sourceOf } from './launch-request.js'
import { leftRunning, removeNext, removeTestServers, type Removal } from './test-server.js'
import {
  CANCEL_LOOKUP_TIMEOUT_MS,
  CANCEL_REMOVE_MS,
  REMOVE_TIMEOUT_MS,
  UNLISTED_CONFIRM_MS
} from './timing.js'

// verify-boot: launch one server from the new image, wait until it runs, and remove it, whatever
// happens; a launch NCP refuses or a server that does not run fails the step before sharing.

export interface VerifyOptions {
  client: NcloudClient
  clock: Clock
  log: Log
  signal: AbortSignal
  journal: JournalRecorder
  settings: Pick<
    Settings,
    | 'verifySubnetNo'
    | 'verifyAccessControlGroups'
    | 'verifyTimeoutMs'
    | 'pollIntervalMs'
    | 'workflow'
    | 'dryRun'
  >
  /** The source server as the run read it; else read from the image's provenance. */
  server?: ServerRecord
  kind: ImageKind
  /** The name of the image the run has or would make (a dry run may have no image). */
  imageName: string
  report(verify: NonNullable<RunResult['verify']>): void
}

type Boot = { ran: true } | { ran: false; what: string }

/** Launches a test server from the image, waits for RUN, removes it; throws when it did not run. */
export async function verifyBoot(
  image: ImageRecord | undefined,
  options: VerifyOptions
): Promise<void> {
  const { client, log, settings } = options
  // Not proven until RUN is seen: every way out before that leaves verified false (a dry run: unset).
  if (!settings.dryRun && image) options.report({ verified: false })
  const source = await sourceOf(image, options)
  const request = await launchRequest(image, source, options)
  const params = launchParams(request)
  const left = (await listServers(client)).filter(
    server =>
      server.status !== 'TERMT' &&
      isTestServerOfThisStep(server.description, settings.workflow, source.no)
  )
  if (settings.dryRun || !image) {
    log.info(
      `Dry run: verify-boot would launch a test server with createServerInstances:\n${paramLines(params)}` +
        (left.length > 0
          ? `\nand would first remove test servers an earlier attempt left: ${left.map(s => s.no).join(', ')}.`
          : '')
    )
    return
  }
  if (left.length > 0) {
    log.info(`Removing test servers an earlier attempt left: ${left.map(s => s.no).join(', ')}.`)
    const entries = left.map(server => ({ name: server.name, imageNo: image.no, no: server.no }))
    options.journal.record(j => (j.testServers ??= []).push(...entries))
    const removals = await remove(options)
    if (removals.some(removal => !removal.removed)) throw notRemoved(removals, image)
  }
  const entry: JournalTestServer = {
    name: request.name,
    imageNo: image.no,
    launchSentAt: options.clock.now()
  }
  log.info(
    `verify-boot: launching test server "${entry.name}" from image ${image.no} with createServerInstances:\n${paramLines(params)}`
  )
  options.journal.record(j => (j.testServers ??= []).push({ ...entry }))
  let boot: Boot | undefined
  let failure: unknown
  const onAbort = (): void => stopAtOnce(options)
  options.signal.addEventListener('abort', onAbort, { once: true })
  try {
    boot = await launchAndWait(entry, params, options)
  } catch (error) {
    failure = error
  } finally {
    options.signal.removeEventListener('abort', onAbort)
  }
  const removals = await remove(options)
  const serverNo = options.journal.snapshot().testServers?.at(-1)?.no
  const problem = leftRunning(removals)
  const fate = removedOrLeft(removals, serverNo)
  if (failure !== undefined) {
    const cause = asRunFailure(failure, { image })
    throw new RunFailure(
      `${cause.message} verify-boot: ${fate}`,
      cause.outcome,
      problem ? `${removeNext(removals)} ${cause.nextStep}` : cause.nextStep,
      image
    )
  }
  if (boot && !boot.ran) {
    options.report({ verified: false, serverNo })
    throw new RunFailure(
      `verify-boot failed: ${boot.what} ${fate}`,
      'verify-failed',
      `${problem ? `${removeNext(removals)} ` : ''}${NEXT.verifyFailed(image, serverNo)}`,
      image
    )
  }
  options.report({ verified: true, serverNo })
  if (problem) throw notRemoved(removals, image)
  log.info(
    `verify-boot: test server ${serverNo} ran (RUN) and was removed: image ${image.no} boots.`
  )
}

/** Sends the launch (journal first), then waits until the server runs or cannot. */
async function launchAndWait(
  entry: JournalTestServer,
  params: Record<string, string>,
  options: VerifyOptions
): Promise<Boot> {
  const { client, clock, journal, settings } = options
  const update = (change: Partial<JournalTestServer>): void =>
    journal.record(j => {
      const found = j.testServers?.find(e => e.launchSentAt === entry.launchSentAt && !e.no)
      if (found) Object.assign(found, change)
    })
  let no: string
  try {
    no = await launchServer(client, params)
  } catch (error) {
    options.signal.throwIfAborted()
    const settled = error instanceof NcloudError && error.reached !== 'maybe'
    // A refusal made nothing; a lost answer may have made a server, found by name to remove.
    if (settled) update({ launch: 'refused', removedAt: clock.now() })
    return { ran: false, what: `NCP did not launch the test server: ${describeError(error)}` }
  }
  update({ no, launch: 'accepted' })
  options.report({ serverNo: no })
  const deadline = (entry.launchSentAt ?? clock.now()) + settings.verifyTimeoutMs
  const pauseMs = Math.min(15_000, Math.max(2_000, settings.pollIntervalMs))
  let seenListed = false
  let unlistedSince: number | undefined
  for (;;) {
    // Settled by the list: unlisted after being listed, or for too long to be new, it did not run.
    const server = await readOrList(client, no)
    if (!server) {
      unlistedSince ??= clock.now()
      const gone = seenListed || clock.now() - unlistedSince >= UNLISTED_CONFIRM_MS
      if (gone) return { ran: false, what: didNotRun(no, 'gone') }
      await clock.sleep(pauseMs, options.signal)
      continue
    }
    seenListed = true
    unlistedSince = undefined
    const progress = bootProgress(server)
    const state = `${server.status}${server.operation === 'NULL' ? '' : ` (${server.operation})`}`
    if (progress === 'running') return { ran: true }
    if (progress === 'not-running') return { ran: false, what: didNotRun(no, 'ended', state) }
    if (clock.now() >= deadline) return { ran: false, what: didNotRun(no, 'timeout', state) }
    await clock.sleep(Math.min(pauseMs, Math.max(0, deadline - clock.now())), options.signal)
  }
}

/** The launch request, one parameter a line: the dry run's and the real launch's log alike. */
function paramLines(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([key, value]) => `  ${key}=${value}`)
    .join('\n')
}

/** What the test server did instead of running: went away, ended in a state, or ran out of time. */
export function didNotRun(no: string, how: 'gone' | 'ended' | 'timeout', state = ''): string {
  if (how === 'gone') return `test server ${no} is no longer listed: it went away while it booted.`
  if (how === 'ended') return `test server ${no} did not run: it became ${state}.`
  return `test server ${no} was not running within verify-timeout; it was ${state}.`
}

/** On a cancel, the stop goes out at once: the runner kills the process seconds later. */
function stopAtOnce(options: VerifyOptions): void {
  const entry = options.journal.snapshot().testServers?.find(e => e.no && !e.removedAt)
  if (!entry?.no) return
  const no = entry.no
  options.journal.record(j => {
    const found = j.testServers?.find(e => e.no === no)
    if (found) found.stopSentAt = options.clock.now()
  })
  sendStop(options.client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), no).then(
    () => options.log.info(`Test server ${no}: stop sent and accepted after the cancel.`),
    () => undefined
  )
}

/** Removes every unremoved test server of the journal; after a cancel, in the seconds left. */
async function remove(options: VerifyOptions): Promise<Removal[]> {
  const { clock, signal } = options
  const pending = (): JournalTestServer[] =>
    (options.journal.snapshot().testServers ?? []).filter(e => e.removedAt === undefined)
  const base = { ...options, pollIntervalMs: options.settings.pollIntervalMs }
  if (!signal.aborted) {
    try {
      return await removeTestServers(pending(), { ...base, endBy: clock.now() + REMOVE_TIMEOUT_MS })
    } catch (error) {
      if (!signal.aborted) return pending().map(e => unknownFate(e, error))
    }
  }
  const client = options.client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS)
  return removeTestServers(pending(), {
    ...base,
    client,
    signal: undefined,
    endBy: clock.now() + CANCEL_REMOVE_MS,
    pauseMs: 500
  }).catch((error: unknown) => pending().map(e => unknownFate(e, error)))
}

function unknownFate(entry: JournalTestServer, error: unknown): Removal {
  return { name: entry.name, no: entry.no, removed: false, problem: describeError(error) }
}

function removedOrLeft(removals: readonly Removal[], serverNo: string | undefined): string {
  const problem = leftRunning(removals)
  if (problem) return `it could not be removed: ${problem}.`
  return serverNo ? `Test server ${serverNo} was removed.` : 'No test server was left.'
}

function notRemoved(removals: readonly Removal[], image: ImageRecord): RunFailure {
  return new RunFailure(
    `verify-boot: ${leftRunning(removals)}; it could not be removed.`,
    'error',
    `${removeNext(removals)} ${NEXT.useOutput}`,
    image
  )
}
