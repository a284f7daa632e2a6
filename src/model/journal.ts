import type { ImageRecord } from '../ncloud/images.js'
import type { Origin, RunResult } from './result.js'

// What the run has started and not yet finished, as plain data: written the moment each request
// is sent or answered, read by whatever finishes the run. It stays JSON, so that a post step can
// read it back after the main process is gone.

export const JOURNAL_VERSION = 1

export interface RunJournal {
  version: typeof JOURNAL_VERSION
  /** The server the action stopped: from the stop request on, it must be started again. */
  stopped?: {
    no: string
    name: string
    /** When the stop request was sent (ms since the epoch, on the run's clock). */
    stoppedAt: number
    /** When a start request was last sent. */
    startSentAt?: number
    /** Whether NCP accepted a start: the server boots on its own from then on. */
    startAccepted?: boolean
    /** When the action saw it running (RUN) again: the bracket is closed. */
    runningAgainAt?: number
  }
  /** The image the run has, from the moment its number is known. */
  image?: {
    no: string
    name: string
    /** The create action of its kind, which names the image API. */
    kind: string
    status: string
    origin?: Origin
  }
  /** Images the run deleted (keep-last), each the moment NCP accepted the delete. */
  deleted: { no: string; name: string }[]
}

/** Keeps the journal, and tells the listener of every change with a copy it may keep. */
export class JournalRecorder {
  private journal: RunJournal = { version: JOURNAL_VERSION, deleted: [] }

  constructor(private readonly onChange: (snapshot: RunJournal) => void = () => undefined) {}

  /** A copy of the journal as it is now: plain data, whatever the caller does with it. */
  snapshot(): RunJournal {
    return JSON.parse(JSON.stringify(this.journal)) as RunJournal
  }

  /** Applies one change and tells the listener. */
  record(change: (journal: RunJournal) => void): void {
    change(this.journal)
    this.onChange(this.snapshot())
  }
}

/** The journal's entry for an image: `kind` is the create action of its image API. */
export function journalImage(
  image: ImageRecord,
  kind: string | undefined,
  origin: Origin | undefined
): RunJournal['image'] {
  return { no: image.no, name: image.name, kind: kind ?? '', status: image.status, origin }
}

/** stop-server's bracket as the result reports it. */
export function powerOf(journal: RunJournal, now: number): RunResult['power'] {
  const stopped = journal.stopped
  if (!stopped) return undefined
  return {
    stoppedAt: stopped.stoppedAt,
    runningAt: stopped.runningAgainAt,
    startAccepted: stopped.startAccepted,
    downMs: (stopped.runningAgainAt ?? now) - stopped.stoppedAt
  }
}
