import { describe, expect, it } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { RunFailure, asRunFailure } from '../src/model/failure.js'
import { InputError } from '../src/model/settings.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { MEMBER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import { NEXT } from '../src/model/next-steps.js'

const image = (status: string, no = '555'): ImageRecord =>
  toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: no,
    memberServerImageName: 'golden-web-1',
    memberServerImageInstanceStatus: { code: status }
  })

describe('asRunFailure: a cancel', () => {
  it('before any image is known says nothing was created', () => {
    const failure = asRunFailure(new CancelledError('SIGINT'))
    expect(failure).toBeInstanceOf(RunFailure)
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe('Cancelled (SIGINT).')
    expect(failure.nextStep).toBe(NEXT.cancelledBeforeCreate)
    expect(failure.image).toBeUndefined()
  })

  it('with a context that knows no image still says nothing was created', () => {
    const failure = asRunFailure(new CancelledError('SIGTERM'), { advice: 'run' })
    expect(failure.nextStep).toBe(NEXT.cancelledBeforeCreate)
  })

  it('once the image is created names its number and status, and points to the output', () => {
    const made = image('CREAT', '777')
    const failure = asRunFailure(new CancelledError('SIGINT'), { image: made, advice: 'given' })
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe('Cancelled (SIGINT). Image 777 ("golden-web-1") is CREAT.')
    expect(failure.nextStep).toBe(NEXT.useOutput)
    expect(failure.image).toBe(made)
    expect(`${failure.message} ${failure.nextStep}`).not.toContain('Nothing was created')
  })

  it.each(['given', 'run', 'time'] as const)(
    'while the image is still being made says how to wait for it again, with %s advice',
    advice => {
      const pending = image('INIT', '778')
      const failure = asRunFailure(new CancelledError('SIGTERM'), { image: pending, advice })
      expect(failure.message).toBe('Cancelled (SIGTERM). Image 778 ("golden-web-1") is INIT.')
      expect(failure.nextStep).toBe(NEXT.resume(pending, advice))
      expect(failure.nextStep).toContain('image-instance-no: 778')
      expect(failure.image).toBe(pending)
    }
  )

  it('without advice, offers only the number (nothing that may create a second image)', () => {
    const pending = image('INIT', '779')
    const failure = asRunFailure(new CancelledError('SIGINT'), { image: pending })
    expect(failure.nextStep).toBe(NEXT.resume(pending, 'time'))
    expect(failure.nextStep).not.toMatch(/re-run/i)
  })

  it('for an image in a failed or unknown status says how to wait for it, naming the status', () => {
    const failed = asRunFailure(new CancelledError('SIGINT'), { image: image('CREFL', '780') })
    expect(failed.message).toContain('Image 780 ("golden-web-1") is CREFL.')
    expect(failed.nextStep).toBe(NEXT.resume(image('CREFL', '780'), 'time'))
    const none = asRunFailure(new CancelledError('SIGINT'), { image: image('', '781') })
    expect(none.message).toContain('Image 781 ("golden-web-1") is in no status.')
  })
})

describe('asRunFailure: other errors', () => {
  it('passes a RunFailure on as it is, whatever the context', () => {
    const failure = new RunFailure('x', 'timed-out', 'y')
    expect(asRunFailure(failure, { image: image('INIT') })).toBe(failure)
  })

  it('an input error asks to fix the inputs, even with an image in the context', () => {
    const failure = asRunFailure(new InputError(['Input "region" is bad.']), {
      image: image('INIT')
    })
    expect(failure).toMatchObject({
      outcome: 'error',
      message: 'Input "region" is bad.',
      nextStep: NEXT.fixInputs
    })
  })

  it('an NCP error gives its summary and hint', () => {
    const error = new NcloudError({
      action: 'getServerInstanceDetail',
      source: 'gateway',
      httpStatus: 401,
      code: '200',
      transient: false,
      reached: 'no',
      gatewaySetting: 'site'
    })
    const failure = asRunFailure(error)
    expect(failure).toMatchObject({
      outcome: 'error',
      message: error.summary,
      nextStep: error.hint
    })
  })

  it('anything else is an unexpected error to report', () => {
    expect(asRunFailure(new TypeError('x is undefined'))).toMatchObject({
      outcome: 'error',
      message: 'Unexpected error: x is undefined',
      nextStep: NEXT.reportBug
    })
    expect(asRunFailure('a string').message).toBe('Unexpected error: a string')
  })
})
