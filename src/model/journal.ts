import type { ImageRecord } from '../ncloud/images.js'
import type { Origin, RunResult } from './result.js'

// What the run has started and not yet finished, as plain data: written the moment each request
// is sent or answered, read by whatever finishes the run. It stays JSON, so that a post step can
// read it back after the main process is gone.

export const JOURNAL_VERSION = 1

export interface RunJournal {
  version: typeof JOURNAL_VERSION
  /** The main step has written its outputs and summary: what it knew has reached the user. */
  ended?: boolean
  /** The server the action stopped: from the stop request on, it must be started again. */
  stopped?: {
    no: string
    name: string
    /** When the stop request was sent (ms since the epoch, on the run's clock). */
    stoppedAt: number
    /** NCP answered the stop with success (unset: no answer came, lost or still in flight). */
    stopAccepted?: boolean
    /**
     * When the action first saw the stop take effect (the server SHTDN or NSTOP). Unset, NCP may
     * still apply a stop it was sent: the server can read RUN a while and then stop.
     */
    stopSeenAt?: number
    /**
     * The stop's answer was lost and the server kept running while the main step watched it: the
     * main step starts nothing, and the post step watches it once more in case NCP stops it late.
     */
    stopUnsettled?: boolean
    /** When a start request was last sent. */
    startSentAt?: number
    /** Whether NCP accepted a start: the server boots on its own from then on. */
    startAccepted?: boolean
    /** When the action saw it running (RUN) again: the bracket is closed. */
    runningAgainAt?: number
  }
  /**
   * A create sent whose image number is not known yet: from just before each send until the
   * number is known (then `image` holds it) or the run settles that nothing was made. Killed in
   * between, an image may exist that only this entry points to.
   */
  creating?: JournalCreate
  /** The image the run has, from the moment its number is known. */
  image?: {
    no: string
    name: string
    /** The create action of its kind, which names the image API. */
    kind: string
    status: string
    statusName?: string
    origin?: Origin
    /** The NCP login IDs it is shared with. */
    sharedWith: string[]
    /** NCP's record as read (the `image` output). */
    raw: Record<string, unknown>
    /** While the run waits for it: the wait's last moment. */
    waitingUntil?: number
  }
  /** Images the run deleted (pruning), each the moment NCP accepted the delete. */
  deleted: { no: string; name: string }[]
  /** Every delete pruning sent, the moment it is sent, and NCP's answer once it comes. */
  deletes?: JournalDelete[]
  /** verify-boot's test servers: from the moment the launch is sent until they are gone. */
  testServers?: JournalTestServer[]
}

/** A create in flight: what finds its image again (the name, of this kind, made from this server). */
export interface JournalCreate {
  name: string
  /** The create action sent, which names the image API. */
  kind: string
  serverNo: string
  /** When the (last) create was sent. */
  sentAt: number
}

/** A test server: billed from its launch, so the run (or its post step) must remove it. */
export interface JournalTestServer {
  name: string
  /** The image it boots. */
  imageNo: string
  /** When the launch was sent; unset for one an earlier attempt of the workflow run left. */
  launchSentAt?: number
  /** Its number, once NCP's answer (or a list) says it. */
  no?: string
  /** NCP's answer to the launch; unset while outstanding: a server may or may not exist. */
  launch?: 'accepted' | 'refused'
  stopSentAt?: number
  stopAccepted?: boolean
  terminateSentAt?: number
  terminateAccepted?: boolean
  /** When it was seen terminated or no longer listed (or the launch was refused). */
  removedAt?: number
}

export interface JournalDelete {
  what: 'image' | 'snapshot'
  no: string
  name?: string
  /** For a snapshot: the deleted image it was behind. */
  imageNo?: string
  sentAt: number
  /**
   * Unset while the answer is outstanding: the delete may or may not have been carried out.
   * 'unconfirmed': NCP answered with success but no image (totalRows 0); it may still be there.
   */
  answer?: 'accepted' | 'refused' | 'unconfirmed'
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
): NonNullable<RunJournal['image']> {
  return {
    no: image.no,
    name: image.name,
    kind: kind ?? '',
    status: image.status,
    ...(image.statusName === undefined ? {} : { statusName: image.statusName }),
    ...(origin === undefined ? {} : { origin }),
    sharedWith: [...image.sharedWith],
    raw: image.raw
  }
}

/** Records a delete the moment it is sent; the returned function records NCP's answer. */
export function journalDelete(
  recorder: JournalRecorder | undefined,
  entry: Omit<JournalDelete, 'answer'>
): (answer: NonNullable<JournalDelete['answer']>) => void {
  if (!recorder) return () => undefined
  let index = -1
  recorder.record(j => {
    j.deletes ??= []
    index = j.deletes.push({ ...entry }) - 1
  })
  return answer =>
    recorder.record(j => {
      const sent = j.deletes?.[index]
      if (!sent) return
      sent.answer = answer
      if (answer === 'accepted' && sent.what === 'image') {
        j.deleted.push({ no: sent.no, name: sent.name ?? '' })
      }
    })
}

/** stop-server's bracket as the result reports it. */
export function powerOf(journal: RunJournal, now: number): RunResult['power'] {
  const stopped = journal.stopped
  // A stop that was never seen taking effect stopped nothing the result can report.
  if (!stopped || stopped.stopUnsettled) return undefined
  return {
    stoppedAt: stopped.stoppedAt,
    runningAt: stopped.runningAgainAt,
    startAccepted: stopped.startAccepted,
    downMs: (stopped.runningAgainAt ?? now) - stopped.stoppedAt
  }
}
