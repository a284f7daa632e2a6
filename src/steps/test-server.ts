import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import type { JournalRecorder, JournalTestServer } from '../model/journal.js'
import type { NcloudClient } from '../ncloud/client.js'
import { describeError } from '../ncloud/errors.js'
import { sendStop, sendTerminate } from '../ncloud/server-launch.js'
import { listServers, readOrList, type ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import { CONFIRM_DELAYS_MS, UNLISTED_CONFIRM_MS } from './timing.js'

// Removing verify-boot's test servers: stop (once running) → NSTOP → terminate → gone. One
// function for the run's own cleanup and for whatever finishes a run that was killed.

export interface RemoveOptions {
  client: NcloudClient
  clock: Clock
  log: Log
  signal?: AbortSignal
  pollIntervalMs: number
  /** Where each stop, terminate and removal is recorded; entries are matched by number or launch. */
  journal?: JournalRecorder
  /** No wait runs past this time: a server not gone by then is reported, not left silently. */
  endBy: number
  /** Between looks; default poll-interval kept between 2 and 15 s. */
  pauseMs?: number
  /** Between the looks by name for a server whose launch was never answered; default CONFIRM_DELAYS_MS. */
  lookDelaysMs?: readonly number[]
}

export interface Removal {
  name: string
  no?: string
  removed: boolean
  /** Its last state seen (status, and operation when one was under way). */
  state?: string
  /** The last refusal or failure, when it was not removed. */
  problem?: string
  /** Its launch was never answered and no list showed it: it may exist, and is still open. */
  unconfirmed?: boolean
}

/** Removes every test server of the entries not yet removed; says what became of each. */
export async function removeTestServers(
  entries: readonly JournalTestServer[],
  options: RemoveOptions
): Promise<Removal[]> {
  const results: Removal[] = []
  for (const entry of entries.filter(entry => entry.removedAt === undefined)) {
    results.push(await removeOne({ ...entry }, options))
  }
  return results
}

/** A short description of what the removals left, for an error; '' when every one is gone. */
export function leftRunning(removals: readonly Removal[]): string {
  return removals
    .filter(removal => !removal.removed)
    .map(({ no, name, state, problem, unconfirmed }) =>
      unconfirmed
        ? `a test server named "${name}" may exist (its launch was never answered, and no list showed it)`
        : `test server ${no ?? '(number unknown)'} ("${name}") is ${state ?? 'in an unknown state'}${problem ? ` (${problem})` : ''}`
    )
    .join('; ')
}

/** What to do about the servers the removals left: terminate those known, look for the others. */
export function removeNext(removals: readonly Removal[]): string {
  const left = removals.filter(removal => !removal.removed)
  const known = left.filter(removal => !removal.unconfirmed).map(r => r.no ?? `"${r.name}"`)
  const unknown = left.filter(removal => removal.unconfirmed).map(r => NEXT.findTestServer(r.name))
  return [...(known.length > 0 ? [NEXT.removeTestServer(known)] : []), ...unknown].join(' ')
}

async function removeOne(entry: JournalTestServer, options: RemoveOptions): Promise<Removal> {
  const { client, clock, log, signal } = options
  const note = (change: Partial<JournalTestServer>): void => {
    const before = { ...entry }
    Object.assign(entry, change)
    options.journal?.record(j => {
      const found = j.testServers?.find(other => sameServer(other, before))
      if (found) Object.assign(found, change)
    })
  }
  const gone = (): Removal => {
    note({ removedAt: clock.now() })
    log.info(`Test server ${entry.no ?? ''} ("${entry.name}") is gone.`)
    return { name: entry.name, no: entry.no, removed: true }
  }
  if (entry.no === undefined) {
    const found = await lookByName(entry, options)
    // Not listed after several looks: it may still exist, so it stays open (never marked removed).
    if (!found) return { name: entry.name, removed: false, unconfirmed: true }
    note({ no: found.no })
  }
  const no = entry.no as string
  const pauseMs = options.pauseMs ?? Math.min(15_000, Math.max(2_000, options.pollIntervalMs))
  let state: string | undefined
  let problem: string | undefined
  let earlyStopTried = false
  let seenListed = false
  let unlistedSince: number | undefined
  for (;;) {
    let server: ServerRecord | undefined
    let listed = true
    try {
      server = await readOrList(client, no, options.endBy)
      listed = server !== undefined
    } catch (error) {
      signal?.throwIfAborted()
      // Not settled: neither the read nor a complete list said; look again until endBy.
      problem = describeError(error)
    }
    if (!listed) {
      // Seen listed before, it is gone; never seen, it may be too new to be listed yet.
      unlistedSince ??= clock.now()
      if (seenListed || clock.now() - unlistedSince >= UNLISTED_CONFIRM_MS) return gone()
      state = 'not listed yet'
    } else if (server) unlistedSince = undefined
    if (server) {
      seenListed = true
      state = `${server.status}${server.operation === 'NULL' ? '' : ` (${server.operation})`}`
      if (server.status === 'TERMT') return gone()
      const idle = server.operation === 'NULL'
      // A server still being made may refuse a stop: one try, then it is stopped once it runs.
      const early: boolean = idle && ['INIT', 'CREAT'].includes(server.status) && !earlyStopTried
      if ((idle && server.status === 'RUN') || early) {
        earlyStopTried ||= early
        problem = await send('stop', () => sendStop(client, no), note, entry, options)
      } else if (idle && server.status === 'NSTOP') {
        problem = await send('terminate', () => sendTerminate(client, no), note, entry, options)
      }
    }
    if (clock.now() >= options.endBy)
      return { name: entry.name, no, removed: false, state, problem }
    await clock.sleep(Math.min(pauseMs, Math.max(0, options.endBy - clock.now())), signal)
  }
}

/**
 * The launch's answer never came: the server, if there is one, is found by name and image. A new
 * server may show in the list only a moment later, so the name is looked up a few times.
 */
async function lookByName(
  entry: JournalTestServer,
  options: RemoveOptions
): Promise<ServerRecord | undefined> {
  const { clock, signal } = options
  for (const delay of [0, ...(options.lookDelaysMs ?? CONFIRM_DELAYS_MS)]) {
    if (delay > 0) {
      if (clock.now() + delay > options.endBy) return undefined
      await clock.sleep(delay, signal)
    }
    const found = (await listServers(options.client, options.endBy)).find(
      server =>
        server.name === entry.name &&
        server.status !== 'TERMT' &&
        server.description?.includes(`image ${entry.imageNo} (`)
    )
    if (found) return found
  }
  return undefined
}

/** Sends a stop or a terminate, recorded when sent and when accepted; the refusal, if any. */
async function send(
  what: 'stop' | 'terminate',
  request: () => Promise<void>,
  note: (change: Partial<JournalTestServer>) => void,
  entry: JournalTestServer,
  options: RemoveOptions
): Promise<string | undefined> {
  const now = options.clock.now()
  note(what === 'stop' ? { stopSentAt: now } : { terminateSentAt: now })
  try {
    await request()
    note(what === 'stop' ? { stopAccepted: true } : { terminateAccepted: true })
    options.log.info(`Test server ${entry.no}: ${what} sent and accepted.`)
    return undefined
  } catch (error) {
    options.signal?.throwIfAborted()
    const why = describeError(error)
    options.log.info(`Test server ${entry.no}: ${what} not accepted (${why}); looking again.`)
    return why
  }
}

/** The same test server: by number once both have one, else by its launch. */
export function sameServer(a: JournalTestServer, b: JournalTestServer): boolean {
  if (a.no !== undefined && b.no !== undefined) return a.no === b.no
  return a.name === b.name && a.launchSentAt === b.launchSentAt && a.no === b.no
}
