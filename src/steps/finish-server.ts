import { formatDuration } from '../lib/duration.js'
import { checkedNumber, checkedOptional, checkedText, isRecord } from '../model/journal-state.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import { NEXT } from '../model/next-steps.js'
import { describeError } from '../ncloud/errors.js'
import { readServer, type ServerRecord } from '../ncloud/servers.js'
import type { Finished, FinishContext, OpenWork } from './finishers.js'
import { isStarting, startServer, waitForServer } from './server-power.js'

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
  checkedOptional(entry.startAccepted, 'boolean', '"startAccepted"')
  checkedOptional(entry.runningAgainAt, 'number', '"runningAgainAt"')
  if (entry.runningAgainAt !== undefined) return undefined
  return { what: `server ${no}`, finish: context => startAndWait(no, name, context) }
}

const running = (server: ServerRecord): boolean =>
  server.status === 'RUN' && server.operation === 'NULL'

const stateOf = (server: ServerRecord): string =>
  `${server.status}${server.operation === 'NULL' ? '' : ` with the operation ${server.operation}`}`

async function startAndWait(no: string, name: string, context: FinishContext): Promise<Finished> {
  const { client, log, deadline } = context
  const label = `Server ${no} (${name || 'no name'})`
  log.info(
    `${label} was stopped by the action and not seen running again: the post step starts it and waits for RUN (up to ${formatDuration(context.budgetMs)}).`
  )
  let accepted = false
  try {
    const now = await readServer(client, no)
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
