import { formatDuration } from '../lib/duration.js'
import { checkedNumber, checkedOptional, checkedText, isRecord } from '../model/journal-state.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import { NEXT } from '../model/next-steps.js'
import { describeError } from '../ncloud/errors.js'
import { readServer, type ServerRecord } from '../ncloud/servers.js'
import type { Finished, FinishContext, OpenWork } from './finishers.js'
import { isStarting, startServer, waitForServer } from './server-power.js'
import { STOP_SETTLE_MS, STOP_SETTLE_READS } from './timing.js'

// The post step's finisher for stop-server: a server the run stopped and has not seen running
// again is started (a refused start is asked again until accepted) and waited for until RUN.

/** The stopped server the journal names, checked; undefined when the run saw it running again. */
export function startStoppedServer(journal: SavedJournal): OpenWork | undefined {
  const entry: unknown = journal.stopped
  if (entry === undefined) return undefined
  if (!isRecord(entry)) throw new JournalProblem('"stopped" is not an object')
  const no = checkedNumber(entry.no, 'the stopped server')
  const name = checkedText(entry.name, "the stopped server's name")
  checkedOptional(entry.stoppedAt, 'number', '"stoppedAt"')
  checkedOptional(entry.stopAccepted, 'boolean', '"stopAccepted"')
  checkedOptional(entry.stopSeenAt, 'number', '"stopSeenAt"')
  checkedOptional(entry.stopUnsettled, 'boolean', '"stopUnsettled"')
  checkedOptional(entry.startAccepted, 'boolean', '"startAccepted"')
  checkedOptional(entry.runningAgainAt, 'number', '"runningAgainAt"')
  if (entry.runningAgainAt !== undefined) return undefined
  // Main never saw the stop take effect: NCP may apply it after the post step's first read.
  const unseen = entry.stopSeenAt === undefined
  const stop: StopSeen = unseen ? (entry.stopAccepted === true ? 'accepted' : 'unanswered') : 'seen'
  return { what: `server ${no}`, finish: context => startAndWait(no, name, stop, context) }
}

/** What the main step knew of its stop: seen taking effect, or only accepted, or not answered. */
type StopSeen = 'seen' | 'accepted' | 'unanswered'

const running = (server: ServerRecord): boolean =>
  server.status === 'RUN' && server.operation === 'NULL'

const stateOf = (server: ServerRecord): string =>
  `${server.status}${server.operation === 'NULL' ? '' : ` with the operation ${server.operation}`}`

async function startAndWait(
  no: string,
  name: string,
  stop: StopSeen,
  context: FinishContext
): Promise<Finished> {
  const { client, log, deadline } = context
  const label = `Server ${no} (${name || 'no name'})`
  log.info(
    `${label} was stopped by the action and not seen running again: the post step starts it and waits for RUN (up to ${formatDuration(context.budgetMs)}).`
  )
  let accepted = false
  try {
    let now = await readServer(client, no)
    if (running(now) && stop !== 'seen') {
      now = await settle(no, label, stop, context)
      if (running(now)) {
        log.info(`${label} stayed running (RUN): the stop was not seen taking effect.`)
        return {
          ok: true,
          line: `${label} is running (RUN): the stop the action sent was not seen taking effect.`
        }
      }
      if (!isStarting(now)) log.info(`${label} is ${stateOf(now)}: NCP carried out the stop late.`)
    }
    if (running(now)) {
      log.info(`${label} is running (RUN).`)
      return { ok: true, line: `${label} is running (RUN) again.` }
    }
    if (isStarting(now)) {
      accepted = true
      log.info(`${label} is already starting (${stateOf(now)}): waiting for RUN.`)
      await waitForServer(client, no, 'RUN', deadline, context)
      log.info(`${label} is running (RUN) again.`)
    } else {
      // Still shutting down (killed while waiting for NSTOP): a start now would be refused.
      if (now.operation === 'SHTDN') await waitForServer(client, no, 'NSTOP', deadline, context)
      const by = { accepted: deadline, running: deadline }
      await startServer(client, no, context, () => (accepted = true), by)
    }
    return {
      ok: true,
      line: `${label} is running (RUN) again: the post step started it after the main step ended.`
    }
  } catch (error) {
    const state = await readServer(client, no).then(stateOf, () => 'unknown: it could not be read')
    return {
      ok: false,
      problem: `${label} is not running (it is ${state}): the action stopped it for the image, and the post step could not ${accepted ? 'see it running' : 'start it'} within ${formatDuration(context.budgetMs)}: ${describeError(error)}`,
      nextStep: accepted ? NEXT.checkServerState(no) : NEXT.startServer(no)
    }
  }
}

/**
 * A server that reads RUN while the stop was never seen taking effect: read it again over
 * STOP_SETTLE_MS (within the budget) until it shows something else. Returns the last read.
 */
async function settle(
  no: string,
  label: string,
  stop: Exclude<StopSeen, 'seen'>,
  context: FinishContext
): Promise<ServerRecord> {
  const { clock, log } = context
  const until = Math.min(context.deadline, clock.now() + STOP_SETTLE_MS)
  const why = stop === 'accepted' ? 'NCP accepted the stop' : "the stop's answer never came"
  log.info(
    `${label} is running (RUN), but the main step never saw it shutting down (${why}): the post step watches it for ${formatDuration(until - clock.now())} in case the stop still takes effect.`
  )
  for (;;) {
    const pause = Math.min(STOP_SETTLE_MS / STOP_SETTLE_READS, Math.max(0, until - clock.now()))
    await clock.sleep(pause, context.signal)
    const now = await readServer(context.client, no)
    if (!running(now) || clock.now() >= until) return now
  }
}
