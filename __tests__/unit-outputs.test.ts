import { describe, expect, it, jest } from '@jest/globals'
import { MEMBER_IMAGE, toImageRecord, type ImageRecord } from '../src/ncloud/images.js'
import { MAX_IMAGE_OUTPUT, imageJson, writeImageOutputs, writeOutputs } from '../src/outputs.js'
import type { RunResult } from '../src/result.js'

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
