import { describe, expect, it } from '@jest/globals'
import { imageOutputsFrom } from '../src/github/main.js'
import { JournalRecorder, journalImage } from '../src/model/journal.js'
import { MEMBER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'

// github/main writes the image outputs from the journal, as run.ts records the image in it.

const image = (status: string, sharedWith: string[] = []): ImageRecord =>
  toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: '900',
    memberServerImageName: 'nightly-1',
    memberServerImageInstanceStatus: { code: status },
    sharedLoginIdList: sharedWith
  })
const CREATE = MEMBER_IMAGE.actions.create

function recorded() {
  const calls: [string, string][] = []
  const journal = new JournalRecorder(
    imageOutputsFrom({ setOutput: (...call) => calls.push(call) })
  )
  const record = (change: Parameters<JournalRecorder['record']>[0]): [string, string][] => {
    const before = calls.length
    journal.record(change)
    return calls.slice(before)
  }
  return { record }
}

describe('the image outputs from the journal', () => {
  it('writes nothing until the journal holds an image', () => {
    const { record } = recorded()
    expect(record(j => (j.stopped = { no: '1', name: 'web', stoppedAt: 0 }))).toEqual([])
  })

  it('writes the number the moment the journal holds it, with the other image outputs', () => {
    const { record } = recorded()
    const written = record(j => (j.image = journalImage(image('INIT'), CREATE, undefined)))
    expect(Object.fromEntries(written)).toMatchObject({
      'image-instance-no': '900',
      'image-name': 'nightly-1',
      'image-status': 'INIT',
      'shared-with': ''
    })
    expect(written.map(([name]) => name)).toContain('image')
  })

  it('does not write them again when nothing an output shows changed: origin added, wait started', () => {
    const { record } = recorded()
    record(j => (j.image = journalImage(image('INIT'), CREATE, undefined)))
    expect(record(j => (j.image = journalImage(image('INIT'), CREATE, 'created')))).toEqual([])
    expect(record(j => j.image && (j.image.waitingUntil = 5_000))).toEqual([])
    expect(record(j => (j.deleted = [{ no: '1', name: 'old' }]))).toEqual([])
  })

  it('writes them again when the status or the sharing changes', () => {
    const { record } = recorded()
    record(j => (j.image = journalImage(image('INIT'), CREATE, 'created')))
    const created = record(j => (j.image = journalImage(image('CREAT'), CREATE, 'created')))
    expect(Object.fromEntries(created)['image-status']).toBe('CREAT')
    const shared = record(j => (j.image = journalImage(image('CREAT', ['a']), CREATE, 'created')))
    expect(Object.fromEntries(shared)['shared-with']).toBe('a')
  })
})
