import { describe, expect, it } from '@jest/globals'
import { postSummary } from '../src/github/post.js'
import { JournalRecorder, journalImage } from '../src/model/journal.js'
import {
  JournalProblem,
  readSavedJournal,
  savedJournal,
  type SavedJournal
} from '../src/model/journal-state.js'
import { NEXT } from '../src/model/next-steps.js'
import { nameOpenImage } from '../src/steps/finish-image.js'
import { startStoppedServer } from '../src/steps/finish-server.js'
import { openWork } from '../src/steps/finishers.js'

const RAW = { memberServerImageInstanceNo: '77', huge: 'x'.repeat(10_000) }

describe('savedJournal', () => {
  it('keeps what the post step finishes and drops the NCP record and the pruning history', () => {
    const recorder = new JournalRecorder()
    const stopped = { no: '1001', name: 'web-1', stoppedAt: 5, stopAccepted: true, stopSeenAt: 6 }
    recorder.record(j => (j.stopped = { ...stopped }))
    recorder.record(j => {
      j.image = journalImage(
        { no: '77', name: 'golden-1', status: 'INIT', sharedWith: ['a'], raw: RAW },
        'createServerImage',
        'created'
      )
      j.deleted.push({ no: '5', name: 'old-5' })
      j.deletes = [{ what: 'image', no: '5', sentAt: 1, answer: 'accepted' }]
    })
    const saved = savedJournal(recorder.snapshot())
    expect(saved).toEqual({
      version: 1,
      stopped,
      image: { no: '77', name: 'golden-1', status: 'INIT' }
    })
    expect(readSavedJournal(JSON.stringify(saved))).toEqual(saved)
    expect(startStoppedServer(saved)?.what).toBe('server 1001')
    expect(JSON.stringify(saved).length).toBeLessThan(200)
  })

  it('keeps an entry a later feature adds, for its finisher', () => {
    const testServers = [{ no: '9', name: 'img-t1a2b3', imageNo: '77', launchSentAt: 5 }]
    const journal = { version: 1 as const, deleted: [], testServers }
    expect(savedJournal(journal)).toEqual({ version: 1, testServers })
  })
})

describe('readSavedJournal', () => {
  it('reads nothing from no state', () => {
    expect(readSavedJournal(undefined)).toBeUndefined()
    expect(readSavedJournal('  ')).toBeUndefined()
  })

  it('reads back what was saved', () => {
    const saved = { version: 1, ended: true, stopped: { no: '1', name: '', stoppedAt: 2 } }
    expect(readSavedJournal(JSON.stringify(saved))).toEqual(saved)
  })

  it.each([
    ['{', 'it is not JSON (1 characters)'],
    ['[1]', 'it is not a JSON object'],
    ['{"version":2}', 'its version is 2, this action reads version 1'],
    ['{}', 'its version is missing, this action reads version 1'],
    ['{"version":1,"ended":"yes"}', '"ended" is not true or false']
  ])('refuses %s: %s', (text, problem) => {
    expect(() => readSavedJournal(text)).toThrow(new JournalProblem(problem))
  })
})

describe('the finishers', () => {
  const journal = (extra: Record<string, unknown>): SavedJournal => ({ version: 1, ...extra })

  it('find a stopped server not seen running again, and nothing once it ran again', () => {
    const stopped = { no: '1001', name: 'web-1', stoppedAt: 1, startAccepted: true }
    expect(startStoppedServer(journal({ stopped }))?.what).toBe('server 1001')
    expect(startStoppedServer(journal({ stopped: { ...stopped, runningAgainAt: 2 } }))).toBe(
      undefined
    )
    expect(startStoppedServer(journal({}))).toBeUndefined()
  })

  it('find an image only when main did not end (then its outputs named it)', () => {
    const image = { no: '77', name: 'golden-1', status: 'INIT' }
    expect(nameOpenImage(journal({ image }))?.what).toBe('image 77')
    expect(nameOpenImage(journal({ image, ended: true }))).toBeUndefined()
  })

  it.each([
    [{ stopped: { no: '1001 2' } }, 'the stopped server is not a number of digits'],
    [{ stopped: { no: 1001 } }, 'the stopped server is not a number of digits'],
    [{ stopped: { no: '1', startAccepted: 'yes' } }, '"startAccepted" is not a boolean'],
    [{ stopped: { no: '1', runningAgainAt: '5' } }, '"runningAgainAt" is not a number'],
    [{ stopped: { no: '1', stopAccepted: 1 } }, '"stopAccepted" is not a boolean'],
    [{ stopped: { no: '1', stopSeenAt: true } }, '"stopSeenAt" is not a number'],
    [{ image: { no: '', status: 'INIT' } }, 'the image is not a number of digits'],
    [{ image: 7 }, '"image" is not an object']
  ])('act on nothing of a malformed entry %j, and say why', (entry, problem) => {
    const open = openWork(journal(entry), [startStoppedServer, nameOpenImage])
    expect(open).toEqual({ work: [], problems: [problem] })
  })

  it('leave a well-formed entry to be finished when another is malformed', () => {
    const open = openWork(journal({ stopped: { no: 'x' }, image: { no: '77', status: 'INIT' } }), [
      startStoppedServer,
      nameOpenImage
    ])
    expect(open.work.map(w => w.what)).toEqual(['image 77'])
    expect(open.problems).toHaveLength(1)
  })
})

describe('the post step wording', () => {
  it('names the exact input that picks an image up', () => {
    expect(NEXT.pickUpImage('77')).toBe(
      'To wait for it and get its outputs, run the step with image-instance-no: 77.'
    )
  })

  it('gives each finished piece a line, and each unfinished one its next step', () => {
    expect(
      postSummary([
        { ok: true, line: 'Server 1 (a) is running (RUN) again.' },
        { ok: true, line: 'Image 7 (<b>) was INIT.', icon: '⏳' }
      ])
    ).toBe(
      '### 🔁 Post step: finished what the main step left open\n\n' +
        '- ✅ Server 1 (a) is running (RUN) again.\n' +
        '- ⏳ Image 7 (&lt;b&gt;) was INIT.\n'
    )
    expect(
      postSummary([
        { ok: false, problem: 'Server 1 is not running (it is NSTOP).', nextStep: 'Start it.' }
      ])
    ).toBe(
      '### ❌ Post step: not everything the main step left open could be finished\n\n' +
        '- ❌ Server 1 is not running (it is NSTOP).\n\n  **Next:** Start it.\n'
    )
  })
})
