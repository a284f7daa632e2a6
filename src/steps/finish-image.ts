import { checkedNumber, checkedText, isRecord } from '../model/journal-state.js'
import { JournalProblem, type SavedJournal } from '../model/journal-state.js'
import { NEXT } from '../model/next-steps.js'
import type { OpenWork } from './finishers.js'

// The post step's finisher for an image the main step had when it was killed: no request, only
// its number in the summary with the input that picks it up again (a post step's outputs reach
// no later step). A main step that ended named the image itself, in its outputs and summary.

export function nameOpenImage(journal: SavedJournal): OpenWork | undefined {
  const entry: unknown = journal.image
  if (entry === undefined || journal.ended === true) return undefined
  if (!isRecord(entry)) throw new JournalProblem('"image" is not an object')
  const no = checkedNumber(entry.no, 'the image')
  const name = checkedText(entry.name, "the image's name")
  const status = checkedText(entry.status, "the image's status")
  return {
    what: `image ${no}`,
    finish: async ({ log }) => {
      const line = `Image ${no} (${name || 'no name'}) was ${status || 'of unknown status'} when the main step ended. ${NEXT.pickUpImage(no)}`
      log.info(line)
      return { ok: true, line, icon: status === 'CREAT' ? 'ℹ️' : '⏳' }
    }
  }
}
