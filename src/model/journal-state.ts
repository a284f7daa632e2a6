import { JOURNAL_VERSION, type RunJournal } from './journal.js'

// The journal as the main step saves it for the post step (core.saveState, one name, the last
// value wins) and as the post step reads it back: compact (no NCP record, no pruning history),
// and checked, since it comes back as text from a file on disk.

/** The one state name the journal is saved under; the post step gets it as STATE_journal. */
export const JOURNAL_STATE = 'journal'

/** What the post step reads: the journal's open entries, each checked by whoever finishes it. */
export interface SavedJournal {
  version: typeof JOURNAL_VERSION
  /** The main step wrote its outputs and summary: what it knew reached the user. */
  ended?: boolean
  stopped?: RunJournal['stopped']
  /** A create sent whose answer (the image number) had not come: checked by its finisher. */
  creating?: unknown
  image?: { no: string; name: string; status: string }
  /** Entries later features add (issue 18's test servers): kept as they are, checked by their finisher. */
  [entry: string]: unknown
}

/** The saved form: the NCP record, the sharing and the pruning history stay out. */
export function savedJournal(journal: RunJournal): SavedJournal {
  const saved: SavedJournal = { ...journal }
  delete saved.deleted
  delete saved.deletes
  const { image } = journal
  if (image) saved.image = { no: image.no, name: image.name, status: image.status }
  return saved
}

/** A saved journal the post step cannot trust: it acts on nothing in it. */
export class JournalProblem extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'JournalProblem'
  }
}

/**
 * The saved journal read back: undefined when there is none (the main step never got as far as
 * a request), else the checked object. Throws JournalProblem when it is not JSON of this version.
 */
export function readSavedJournal(text: string | undefined): SavedJournal | undefined {
  if (text === undefined || text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new JournalProblem(`it is not JSON (${text.length} characters)`)
  }
  if (!isRecord(value)) throw new JournalProblem('it is not a JSON object')
  if (value.version !== JOURNAL_VERSION) {
    throw new JournalProblem(
      `its version is ${JSON.stringify(value.version) ?? 'missing'}, this action reads version ${JOURNAL_VERSION}`
    )
  }
  if (value.ended !== undefined && typeof value.ended !== 'boolean') {
    throw new JournalProblem('"ended" is not true or false')
  }
  return value as SavedJournal
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An NCP number as the journal holds it: digits only, or the entry is not trusted. */
export function checkedNumber(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^\d{1,20}$/.test(value)) {
    throw new JournalProblem(`${what} is not a number of digits`)
  }
  return value
}

/** A text field of an entry: a string when present. */
export function checkedText(value: unknown, what: string): string {
  if (value === undefined) return ''
  if (typeof value !== 'string' || value.length > 1000) {
    throw new JournalProblem(`${what} is not a short text`)
  }
  return value
}

/** A moment or a flag of an entry: of its type when present. */
export function checkedOptional<T extends 'number' | 'boolean'>(
  value: unknown,
  type: T,
  what: string
): void {
  if (value !== undefined && typeof value !== type) {
    throw new JournalProblem(`${what} is not a ${type}`)
  }
}
