import { describe, expect, it, jest } from '@jest/globals'
import { JournalRecorder } from '../src/model/journal.js'
import { NEXT } from '../src/model/next-steps.js'
import { JournalProblem, savedJournal, type SavedJournal } from '../src/model/journal-state.js'
import type { NcloudClient } from '../src/ncloud/client.js'
import { findUnansweredCreate } from '../src/steps/finish-create.js'
import { openWork, type FinishContext } from '../src/steps/finishers.js'
import { FakeClock } from './helpers/fake-clock.js'

// The post step's finisher for a create whose answer never came: what it trusts in the saved
// journal, what it asks NCP, and the words it leaves in the log and the summary.

const CREATE = 'createMemberServerImageInstance'
const SENT_AT = Date.UTC(2026, 11, 1, 7, 33, 21)
const creating = { name: 'golden-web-1', kind: CREATE, serverNo: '1001', sentAt: SENT_AT }
const journal = (extra: Record<string, unknown>): SavedJournal => ({ version: 1, ...extra })

/** A member image row as NCP lists it. */
const row = (no: string, server: string, status = 'INIT', name = 'golden-web-1') => ({
  memberServerImageInstanceNo: no,
  memberServerImageName: name,
  memberServerImageInstanceStatus: { code: status },
  originalServerInstanceNo: server
})

function context(rows: unknown[]) {
  const readAllPages = jest.fn(async (..._args: unknown[]) => rows)
  const client = { region: 'KR', readAllPages } as unknown as NcloudClient
  const info = jest.fn<(line: string) => void>()
  const warning = jest.fn<(line: string) => void>()
  const clock = new FakeClock()
  const ctx: FinishContext = {
    client,
    clock,
    signal: new AbortController().signal,
    log: { info, warning, debug: () => undefined },
    pollIntervalMs: 10_000,
    deadline: clock.now() + 60_000,
    budgetMs: 60_000
  }
  return { ctx, readAllPages, info, warning }
}

describe('the saved journal and a create in flight', () => {
  it('keeps the "creating" entry in the compact form the post step reads', () => {
    const recorder = new JournalRecorder()
    recorder.record(j => (j.creating = { ...creating }))
    expect(savedJournal(recorder.snapshot())).toEqual({ version: 1, creating })
  })
})

describe('findUnansweredCreate: what it trusts', () => {
  it('finds a create with no image, and nothing once the image (its number) is known', () => {
    expect(findUnansweredCreate(journal({ creating }))?.what).toBe(
      'the create of an image named "golden-web-1"'
    )
    const image = { no: '77', name: 'golden-web-1', status: 'INIT' }
    expect(findUnansweredCreate(journal({ creating, image }))).toBeUndefined()
    expect(findUnansweredCreate(journal({}))).toBeUndefined()
  })

  it.each([
    [[1], '"creating" is not an object'],
    [{ ...creating, name: '' }, '"creating" has no name'],
    [{ ...creating, name: 5 }, "the created image's name is not a short text"],
    [
      { ...creating, kind: 'deleteServerImage' },
      '"creating" names no create action of this action'
    ],
    [{ ...creating, serverNo: '1001; x' }, "the created image's server is not a number of digits"],
    [{ ...creating, sentAt: '5' }, '"creating" has no "sentAt" moment']
  ])('acts on nothing of a malformed entry %j, and says why', (entry, problem) => {
    expect(() => findUnansweredCreate(journal({ creating: entry }))).toThrow(
      new JournalProblem(problem)
    )
    expect(openWork(journal({ creating: entry }), [findUnansweredCreate])).toEqual({
      work: [],
      problems: [problem]
    })
  })
})

describe('findUnansweredCreate: the look', () => {
  const sent =
    'A createMemberServerImageInstance for an image named "golden-web-1" (server 1001, sent 2026-12-01T07:33:21.000Z) was never answered with its number'

  it('names the image made from the server, with the input that resumes it', async () => {
    const { ctx, readAllPages, info } = context([row('900002', '2002'), row('900001', '1001')])
    const finished = await findUnansweredCreate(journal({ creating }))!.finish(ctx)
    const line = `${sent}: image 900001 (INIT) of that name exists, made from server 1001. ${NEXT.pickUpImage('900001')}`
    expect(finished).toEqual({ ok: true, line, icon: '⏳' })
    expect(info).toHaveBeenCalledWith(line)
    expect(line).toContain('image-instance-no: 900001')
    // One list call, of this kind, by the name: the same lookup the main step makes.
    expect(readAllPages).toHaveBeenCalledWith(
      'getMemberServerImageInstanceList',
      { memberServerImageName: 'golden-web-1' },
      'memberServerImageInstanceList',
      'memberServerImageInstanceNo',
      ctx.deadline
    )
  })

  it('names the newest of several, and the others too', async () => {
    const { ctx } = context([row('900001', '1001', 'CREAT'), row('900003', '1001', 'CREAT')])
    const finished = await findUnansweredCreate(journal({ creating }))!.finish(ctx)
    expect(finished).toEqual({
      ok: true,
      icon: 'ℹ️',
      line: `${sent}: image 900003 (CREAT) of that name exists, made from server 1001. Image 900001 of that name exists too. ${NEXT.pickUpImage('900003')}`
    })
  })

  it('says so when none of that name was made from the server, as a warning', async () => {
    const { ctx, warning } = context([
      row('900002', '2002'),
      row('900004', '1001', 'INIT', 'other')
    ])
    const finished = await findUnansweredCreate(journal({ creating }))!.finish(ctx)
    const line = `${sent}, and no image of that name made from server 1001 exists in region KR. ${NEXT.createMayAppear}`
    expect(finished).toEqual({ ok: true, line, icon: '⚠️' })
    expect(warning).toHaveBeenCalledWith(line)
    expect(NEXT.createMayAppear).toBe(
      'The create may still have been carried out and its image may appear later: check the NCP console (Server Image) before re-running the step, so that no second image is made.'
    )
  })
})
