import { describe, expect, it, jest } from '@jest/globals'
import {
  JOURNAL_VERSION,
  JournalRecorder,
  journalDelete,
  journalImage,
  powerOf,
  type RunJournal
} from '../src/model/journal.js'
import type { ApiResult, NcloudClient, Params } from '../src/ncloud/client.js'
import type { ImageRecord } from '../src/ncloud/images.js'
import { withServerStopped } from '../src/steps/stopped-server.js'
import { FakeClock } from './helpers/fake-clock.js'

const IMAGE: ImageRecord = { no: '77', name: 'golden-1', status: 'INIT', sharedWith: [], raw: {} }

/** The journal must survive JSON as it is at every point: a post step reads it back from text. */
function roundTrips(journal: RunJournal): void {
  expect(JSON.parse(JSON.stringify(journal))).toEqual(journal)
}

describe('JournalRecorder', () => {
  it('starts empty, versioned, and round-trips through JSON after every change', () => {
    const changes: RunJournal[] = []
    const recorder = new JournalRecorder(snapshot => changes.push(snapshot))
    expect(recorder.snapshot()).toEqual({ version: JOURNAL_VERSION, deleted: [] })
    roundTrips(recorder.snapshot())
    recorder.record(j => (j.stopped = { no: '1001', name: 'web-1', stoppedAt: 1_000 }))
    recorder.record(j => (j.image = journalImage(IMAGE, 'createServerImage', 'created')))
    recorder.record(j => j.stopped && (j.stopped.startAccepted = true))
    recorder.record(j => j.deleted.push({ no: '5', name: 'old-5' }))
    expect(changes).toHaveLength(4)
    for (const change of changes) roundTrips(change)
    expect(changes[3]).toEqual({
      version: JOURNAL_VERSION,
      stopped: { no: '1001', name: 'web-1', stoppedAt: 1_000, startAccepted: true },
      image: {
        no: '77',
        name: 'golden-1',
        kind: 'createServerImage',
        status: 'INIT',
        origin: 'created',
        sharedWith: [],
        raw: {}
      },
      deleted: [{ no: '5', name: 'old-5' }]
    })
  })

  it('hands out copies: a listener that keeps a snapshot does not see later changes', () => {
    const changes: RunJournal[] = []
    const recorder = new JournalRecorder(snapshot => changes.push(snapshot))
    recorder.record(j => (j.stopped = { no: '1', name: '', stoppedAt: 0 }))
    recorder.record(j => j.stopped && (j.stopped.runningAgainAt = 9))
    expect(changes[0].stopped?.runningAgainAt).toBeUndefined()
  })

  it('reports the bracket as the result does, down time included', () => {
    const journal: RunJournal = {
      version: JOURNAL_VERSION,
      stopped: { no: '1', name: '', stoppedAt: 1_000, runningAgainAt: 61_000 },
      deleted: []
    }
    expect(powerOf(journal, 99_000)).toEqual({
      stoppedAt: 1_000,
      runningAt: 61_000,
      startAccepted: undefined,
      downMs: 60_000
    })
    expect(
      powerOf({ ...journal, stopped: { ...journal.stopped!, runningAgainAt: undefined } }, 9_000)
        ?.downMs
    ).toBe(8_000)
    expect(powerOf({ version: JOURNAL_VERSION, deleted: [] }, 0)).toBeUndefined()
  })
})

describe('journalDelete: pruning records each delete when sent and when answered', () => {
  it('is requested and unanswered until NCP answers; an accepted image delete joins deleted', () => {
    const changes: RunJournal[] = []
    const recorder = new JournalRecorder(snapshot => changes.push(snapshot))
    const image = journalDelete(recorder, { what: 'image', no: '5', name: 'old-5', sentAt: 10 })
    const snapshot = journalDelete(recorder, {
      what: 'snapshot',
      no: '91',
      imageNo: '5',
      sentAt: 11
    })
    expect(changes[1].deletes).toEqual([
      { what: 'image', no: '5', name: 'old-5', sentAt: 10 },
      { what: 'snapshot', no: '91', imageNo: '5', sentAt: 11 }
    ])
    expect(changes[1].deleted).toEqual([])
    image('accepted')
    snapshot('refused')
    const end = recorder.snapshot()
    expect(end.deletes?.map(entry => entry.answer)).toEqual(['accepted', 'refused'])
    expect(end.deleted).toEqual([{ no: '5', name: 'old-5' }])
    for (const change of changes) roundTrips(change)
  })
})

describe('withServerStopped records the bracket before and after each request', () => {
  it('writes the stop before it is sent, the start before it is sent and once accepted, and RUN again', async () => {
    const clock = new FakeClock(0)
    const recorder = new JournalRecorder()
    const seen: { action: string; journal: RunJournal }[] = []
    let status = 'RUN'
    const sendOnce = jest.fn(async (action: string, _params?: Params): Promise<ApiResult> => {
      seen.push({ action, journal: recorder.snapshot() })
      status = action === 'stopServerInstances' ? 'NSTOP' : 'RUN'
      return {}
    })
    const read = jest.fn(async (_action: string, params?: Params): Promise<ApiResult> => ({
      serverInstanceList: [
        {
          serverInstanceNo: params?.serverInstanceNo,
          serverInstanceStatus: { code: status },
          serverInstanceOperation: { code: 'NULL' }
        }
      ]
    }))
    const client = {
      sendOnce,
      read,
      region: 'KR',
      retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 }
    } as unknown as NcloudClient
    const log = { info: () => undefined, warning: () => undefined, debug: () => undefined }
    const inBody: RunJournal[] = []
    const value = await withServerStopped(
      {
        client,
        server: { no: '1001', name: 'web-1', status: 'RUN', operation: 'NULL', statusName: '' },
        journal: recorder,
        clock,
        signal: new AbortController().signal,
        log,
        pollIntervalMs: 2_000,
        context: () => ({})
      },
      async () => {
        inBody.push(recorder.snapshot())
        await clock.sleep(5_000)
        return 'made'
      }
    )
    expect(value).toBe('made')
    expect(seen.map(s => s.action)).toEqual(['stopServerInstances', 'startServerInstances'])
    // Before the stop leaves, the journal already says the server must be started again.
    expect(seen[0].journal.stopped).toEqual({ no: '1001', name: 'web-1', stoppedAt: 0 })
    expect(inBody[0].stopped?.startSentAt).toBeUndefined()
    // Before the start leaves, the journal says it is being sent, and not yet accepted.
    expect(seen[1].journal.stopped?.startSentAt).toBeDefined()
    expect(seen[1].journal.stopped?.startAccepted).toBeUndefined()
    const end = recorder.snapshot()
    expect(end.stopped?.startAccepted).toBe(true)
    expect(end.stopped?.runningAgainAt).toBeGreaterThanOrEqual(5_000)
    for (const point of [...seen.map(s => s.journal), ...inBody, end]) roundTrips(point)
  })
})
