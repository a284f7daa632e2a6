import { checkedNumber, checkedOptional, checkedText, isRecord } from '../model/journal-state.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import type { JournalTestServer } from '../model/journal.js'
import type { Finished, FinishContext, OpenWork } from './finishers.js'
import { leftRunning, removeNext, removeTestServers } from './test-server.js'

// The post step's finisher for verify-boot: a test server the run launched and did not see gone
// is billed until it is removed (stop, NSTOP, terminate, gone), whatever ended the main step.

/** The test servers the journal names that are not removed; undefined when none is open. */
export function removeOpenTestServers(journal: SavedJournal): OpenWork | undefined {
  const entries: unknown = journal.testServers
  if (entries === undefined) return undefined
  if (!Array.isArray(entries)) throw new JournalProblem('"testServers" is not a list')
  const open = entries.map(checkedTestServer).filter(entry => entry.removedAt === undefined)
  if (open.length === 0) return undefined
  const names = open.map(entry => entry.no ?? `"${entry.name}"`)
  return {
    what: `test server ${names.join(', ')}`,
    finish: context => remove(open, names, context)
  }
}

function checkedTestServer(entry: unknown): JournalTestServer {
  if (!isRecord(entry)) throw new JournalProblem('a test server entry is not an object')
  const name = checkedText(entry.name, "a test server's name")
  if (name === '') throw new JournalProblem('a test server entry has no name')
  const imageNo = checkedNumber(entry.imageNo, "a test server's image")
  const no = entry.no === undefined ? undefined : checkedNumber(entry.no, 'a test server')
  checkedOptional(entry.launchSentAt, 'number', '"launchSentAt"')
  checkedOptional(entry.removedAt, 'number', '"removedAt"')
  if (entry.launch !== undefined && entry.launch !== 'accepted' && entry.launch !== 'refused') {
    throw new JournalProblem('a test server\'s "launch" is not accepted or refused')
  }
  return {
    name,
    imageNo,
    no,
    launch: entry.launch,
    launchSentAt: entry.launchSentAt as number | undefined,
    removedAt: entry.removedAt as number | undefined
  }
}

async function remove(
  open: JournalTestServer[],
  names: string[],
  context: FinishContext
): Promise<Finished> {
  context.log.info(
    `Test server ${names.join(', ')} of verify-boot was not seen removed: the post step stops and terminates it.`
  )
  const removals = await removeTestServers(open, {
    client: context.client,
    clock: context.clock,
    log: context.log,
    signal: context.signal,
    pollIntervalMs: context.pollIntervalMs,
    endBy: context.deadline
  })
  const left = removals.filter(removal => !removal.removed)
  if (left.length === 0) {
    return { ok: true, line: `Test server ${names.join(', ')} of verify-boot was removed.` }
  }
  return {
    ok: false,
    problem: `The post step could not remove every test server of verify-boot: ${leftRunning(removals)}.`,
    nextStep: removeNext(removals)
  }
}
