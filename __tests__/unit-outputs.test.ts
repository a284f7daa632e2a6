import { describe, expect, it, jest } from '@jest/globals'
import { MEMBER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import {
  MAX_IMAGE_OUTPUT,
  imageJson,
  writeImageOutputs,
  writeOutputs
} from '../src/github/outputs.js'
import type { RunResult } from '../src/model/result.js'

const RAW = {
  memberServerImageInstanceNo: '555',
  memberServerImageName: 'my-image',
  memberServerImageInstanceStatus: { code: 'CREAT', codeName: 'created' }
}

const IMAGE: ImageRecord = toImageRecord(MEMBER_IMAGE, RAW)

function outputs() {
  const setOutput = jest.fn<(name: string, value: string) => void>()
  const written = (): Record<string, string> => Object.fromEntries(setOutput.mock.calls)
  return { port: { setOutput }, written }
}

describe('imageJson', () => {
  it('is NCP’s record as JSON when it is of ordinary size', () => {
    expect(JSON.parse(imageJson(RAW))).toEqual(RAW)
  })

  it('drops a 5 MB field, keeps the small ones, and says what it dropped', () => {
    const json = imageJson({ ...RAW, memberServerImageDescription: 'x'.repeat(5_000_000) })
    expect(json.length).toBeLessThan(64 * 1024)
    expect(json.length).toBeLessThanOrEqual(MAX_IMAGE_OUTPUT)
    expect(JSON.parse(json)).toEqual({
      ...RAW,
      droppedOversizedFields: ['memberServerImageDescription']
    })
  })

  it('stays under the cap when many fields are each just under the per-field limit', () => {
    const raw: Record<string, unknown> = { memberServerImageInstanceNo: '555' }
    for (let index = 0; index < 100; index++) raw[`field${index}`] = 'y'.repeat(2_000)
    const json = imageJson(raw)
    expect(json.length).toBeLessThanOrEqual(MAX_IMAGE_OUTPUT)
    expect(JSON.parse(json).droppedOversizedFields).toContain('memberServerImageInstanceNo')
  })
})

describe('writeImageOutputs', () => {
  it('writes the number, name, status and record of the image', () => {
    const { port, written } = outputs()
    writeImageOutputs(port, IMAGE)
    expect(written()).toMatchObject({
      'image-instance-no': '555',
      'image-name': 'my-image',
      'image-status': 'CREAT',
      image: JSON.stringify(RAW)
    })
  })
})

describe('writeOutputs', () => {
  const result = (extra: Partial<RunResult>): RunResult => ({
    outcome: 'created',
    failed: false,
    duplicates: [],
    dryRun: false,
    elapsedMs: 0,
    ...extra
  })
  const server = {
    no: '1',
    name: 'web-1',
    status: 'RUN',
    operation: 'NULL',
    statusName: 'running',
    hypervisor: 'KVM'
  }

  it('writes the hypervisor and the image outputs of a run that has an image', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ server, image: IMAGE }))
    expect(written()).toMatchObject({ hypervisor: 'KVM', 'image-instance-no': '555' })
  })

  it('writes no image outputs for a dry run, even when it found an image', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ outcome: 'dry-run', dryRun: true, server, image: IMAGE }))
    expect(written()).toEqual({ outcome: 'dry-run', hypervisor: 'KVM' })
  })

  it('writes the image outputs of a failed run that knows its image', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ outcome: 'timed-out', failed: true, image: IMAGE }))
    expect(written()['image-instance-no']).toBe('555')
  })

  it('writes only the outcome when nothing else is known', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ outcome: 'error', failed: true }))
    expect(written()).toEqual({ outcome: 'error' })
  })

  it.each(['created', 'reused', 'resumed', 'creating', 'timed-out', 'cancelled'] as const)(
    'always writes the outcome, here %s',
    outcome => {
      const { port, written } = outputs()
      writeOutputs(port, result({ outcome, image: IMAGE }))
      expect(written().outcome).toBe(outcome)
    }
  )
})

describe('writeOutputs: stop-server, share-with and keep-last', () => {
  const result = (extra: Partial<RunResult>): RunResult => ({
    outcome: 'created',
    failed: false,
    duplicates: [],
    dryRun: false,
    elapsedMs: 0,
    ...extra
  })
  const old = (no: string): ImageRecord => ({ ...IMAGE, no, name: `nightly-${no}` })

  it.each([
    [95_400, '95'],
    [95_500, '96'],
    [499, '0'],
    [0, '0']
  ])(
    'writes server-stopped-for in whole seconds when the action stopped the server (%i ms)',
    (downMs, seconds) => {
      const { port, written } = outputs()
      writeOutputs(port, result({ image: IMAGE, power: { stoppedAt: 1_000, downMs } }))
      expect(written()['server-stopped-for']).toBe(seconds)
    }
  )

  it('writes no server-stopped-for when the action did not stop the server', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ image: IMAGE }))
    expect(written()).not.toHaveProperty('server-stopped-for')
  })

  it('writes pruned, the deleted numbers, after keep-last pruned', () => {
    const { port, written } = outputs()
    const pruning = {
      keep: [IMAGE],
      remove: [old('3'), old('2'), old('1')],
      leave: [],
      deleted: [old('3'), old('1')],
      failed: [{ image: old('2'), why: 'refused' }],
      snapshotsDeleted: {},
      snapshotsLeft: [],
      rules: ['keep-last']
    }
    writeOutputs(port, result({ image: IMAGE, pruning }))
    expect(written().pruned).toBe('3,1')
  })

  it('writes pruned empty when keep-last deleted nothing', () => {
    const { port, written } = outputs()
    const pruning = {
      keep: [IMAGE],
      remove: [],
      leave: [],
      deleted: [],
      failed: [],
      snapshotsDeleted: {},
      snapshotsLeft: [],
      rules: ['keep-last']
    }
    writeOutputs(port, result({ image: IMAGE, pruning }))
    expect(written().pruned).toBe('')
  })

  it('writes no pruned without keep-last', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ image: IMAGE }))
    expect(written()).not.toHaveProperty('pruned')
  })

  it('writes no pruned in a dry run, which only plans', () => {
    const { port, written } = outputs()
    const plan = { keep: [], remove: [old('1')], leave: [], rules: ['keep-last'] }
    writeOutputs(port, result({ outcome: 'dry-run', dryRun: true, pruning: plan }))
    expect(written()).not.toHaveProperty('pruned')
  })

  it('writes shared-with, the IDs NCP lists, with the image outputs', () => {
    const { port, written } = outputs()
    writeImageOutputs(port, { ...IMAGE, sharedWith: ['team@example.com', 'ops'] })
    expect(written()['shared-with']).toBe('team@example.com,ops')
  })

  it('writes shared-with empty for an image shared with no one', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ image: IMAGE }))
    expect(written()).toHaveProperty('shared-with', '')
  })

  it('writes no shared-with when there are no image outputs', () => {
    const { port, written } = outputs()
    writeOutputs(port, result({ outcome: 'dry-run', dryRun: true, image: IMAGE }))
    expect(written()).not.toHaveProperty('shared-with')
  })
})
