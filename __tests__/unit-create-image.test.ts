import { describe, expect, it, jest } from '@jest/globals'
import {
  CreateUncertainError,
  ImageExistsError,
  checkExisting,
  ensureImage,
  type CreateProgress,
  type EnsureOptions
} from '../src/create-image.js'
import { NcloudError, networkError, readAnswer, type HttpAnswer } from '../src/ncloud/errors.js'
import {
  MEMBER_IMAGE,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../src/ncloud/images.js'
import type { RetryPolicy } from '../src/retry.js'
import { FakeClock, untilSleeps } from './helpers/fake-clock.js'

const CREATE = MEMBER_IMAGE.actions.create
const REQUEST: CreateRequest = {
  serverInstanceNo: '1234567',
  name: 'my-image',
  description: 'nightly'
}
const RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000
}
const CONFIRM_DELAYS = [1_000, 2_000, 4_000]

const record = (status: string, no = '555'): ImageRecord => ({
  no,
  name: REQUEST.name,
  status,
  statusName: status === 'INIT' ? 'creating' : undefined,
  raw: { memberServerImageInstanceNo: no }
})

// NCP answers, read through the real classification.
function answered(status: number, body: unknown, headers: HttpAnswer['headers'] = {}): NcloudError {
  const result = readAnswer(CREATE, { status, headers, body: JSON.stringify(body) }, 0)
  if (!(result instanceof NcloudError)) throw new Error('expected an error answer')
  return result
}
const throttled = (): NcloudError =>
  answered(429, { error: { errorCode: '410', message: 'Throttle Limited', details: '' } })
const retryLater = (): NcloudError =>
  answered(500, {
    responseError: { returnCode: '1000', returnMessage: 'Please try your call again later.' }
  })
const nameInUse = (): NcloudError =>
  answered(400, {
    responseError: { returnCode: '10999', returnMessage: 'The image name is already in use.' }
  })
const unauthorized = (): NcloudError =>
  answered(401, { error: { errorCode: '200', message: 'Authentication Failed', details: '' } })
const connectionReset = (): NcloudError =>
  networkError(CREATE, Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))

type Step<T> = T | Error

interface Fake {
  api: ImageApi
  /** 'find' and 'create' in the order they were called, with the virtual time. */
  calls: string[]
  findByName: jest.Mock<(name: string) => Promise<ImageRecord | undefined>>
  findAllByName: jest.Mock<(name: string) => Promise<ImageRecord[]>>
  create: jest.Mock<(request: CreateRequest) => Promise<ImageRecord>>
}

/** A fake ImageApi answering findByName and create from scripts; the last step repeats. */
function fakeApi(
  clock: FakeClock,
  finds: Step<ImageRecord | undefined>[],
  creates: Step<ImageRecord>[],
  allByName?: (name: string) => ImageRecord[]
): Fake {
  const calls: string[] = []
  const start = clock.now()
  let findIndex = 0
  let createIndex = 0
  const nextFind = (): ImageRecord | undefined => {
    calls.push(`find@${clock.now() - start}`)
    const step = finds[Math.min(findIndex++, finds.length - 1)]
    if (step instanceof Error) throw step
    return step
  }
  // Both lookups read the same script, one step a call.
  const findByName = jest.fn(async (_name: string) => nextFind())
  const create = jest.fn(async (_request: CreateRequest) => {
    calls.push(`create@${clock.now() - start}`)
    const step = creates[Math.min(createIndex++, creates.length - 1)]
    if (step instanceof Error) throw step
    return step
  })
  const findAllByName = jest.fn(async (name: string) => {
    if (allByName) {
      calls.push(`find@${clock.now() - start}`)
      return allByName(name)
    }
    const step = nextFind()
    return step ? [step] : []
  })
  return {
    api: { kind: MEMBER_IMAGE, findByName, findAllByName, create } as unknown as ImageApi,
    calls,
    findByName,
    findAllByName,
    create
  }
}

function setup(extra: Partial<EnsureOptions> = {}) {
  const clock = new FakeClock()
  const info = jest.fn<(line: string) => void>()
  const warn = jest.fn<(line: string) => void>()
  const options: EnsureOptions = {
    ifExists: 'fail',
    region: 'KR',
    retry: RETRY,
    confirmDelaysMs: CONFIRM_DELAYS,
    clock,
    random: () => 0.5,
    info,
    warn,
    ...extra
  }
  return { clock, info, warn, options }
}

describe('ensureImage: the name already exists', () => {
  it('with if-exists fail throws ImageExistsError naming the number and status, and creates nothing', async () => {
    const { clock, options } = setup()
    const fake = fakeApi(clock, [record('CREAT', '901')], [record('INIT')])
    const progress: CreateProgress = { createSent: false }
    const error = await ensureImage(fake.api, REQUEST, options, progress).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageExistsError)
    expect((error as ImageExistsError).message).toContain('number 901')
    expect((error as ImageExistsError).message).toContain('status CREAT')
    expect((error as ImageExistsError).message).toContain('region KR')
    expect((error as ImageExistsError).image.no).toBe('901')
    expect(fake.create).not.toHaveBeenCalled()
    expect(progress.createSent).toBe(false)
  })

  it.each(['CREAT', 'INIT'])(
    'with if-exists reuse returns a %s image as reused, and creates nothing',
    async status => {
      const { clock, options, info } = setup({ ifExists: 'reuse' })
      const existing = record(status, '902')
      const fake = fakeApi(clock, [existing], [record('INIT')])
      await expect(ensureImage(fake.api, REQUEST, options)).resolves.toEqual({
        image: existing,
        provenance: 'reused'
      })
      expect(fake.create).not.toHaveBeenCalled()
      expect(info.mock.calls[0][0]).toContain('902')
    }
  )

  it('with if-exists reuse refuses a CREFL image', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const fake = fakeApi(clock, [record('CREFL', '903')], [record('INIT')])
    const error = await ensureImage(fake.api, REQUEST, options).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageExistsError)
    expect((error as Error).message).toContain('failed')
    expect((error as Error).message).toContain('903')
    expect(fake.create).not.toHaveBeenCalled()
  })
})

describe('checkExisting', () => {
  it('shows the status name when there is one', () => {
    const error = (() => {
      try {
        checkExisting(
          record('INIT'),
          { serverInstanceNo: '1001' },
          { ifExists: 'fail', region: 'SGN', info: () => undefined }
        )
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.message).toContain('status INIT (creating)')
    expect(error?.message).toContain('region SGN')
  })
})

describe('ensureImage: creating', () => {
  it('returns a created image and marks the create as sent', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1001')
    const fake = fakeApi(clock, [undefined], [made])
    const progress: CreateProgress = { createSent: false }
    await expect(ensureImage(fake.api, REQUEST, options, progress)).resolves.toMatchObject({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.create).toHaveBeenCalledWith(REQUEST)
    expect(fake.findByName).toHaveBeenCalledWith('my-image')
    expect(progress.createSent).toBe(true)
    expect(clock.sleeps).toEqual([])
  })

  it('sends the create again after a throttle (never reached), with no lookup in between', async () => {
    const { clock, options, warn } = setup()
    const made = record('INIT', '1002')
    const fake = fakeApi(clock, [undefined], [throttled(), made])
    const result = await ensureImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: made, provenance: 'created', resentAfterLostReply: false })
    expect(fake.create).toHaveBeenCalledTimes(2)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'create@50'])
    expect(clock.delays).toEqual([50])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toContain('never reached the service')
  })

  it('honours the Retry-After of a throttled create', async () => {
    const { clock, options } = setup()
    const slowDown = answered(
      429,
      { error: { errorCode: '410', message: 'Throttle Limited', details: '' } },
      { 'retry-after': '3' }
    )
    const fake = fakeApi(clock, [undefined], [slowDown, record('INIT')])
    await ensureImage(fake.api, REQUEST, options)
    expect(clock.delays).toEqual([3_000])
  })

  it.each([
    ['a dropped connection (ECONNRESET)', connectionReset],
    ['returnCode 1000 on HTTP 500', retryLater]
  ])('adopts the image a lost reply made after %s, creating once', async (_label, failure) => {
    const { clock, options, info } = setup()
    const found = record('INIT', '1003')
    const fake = fakeApi(clock, [undefined, found], [failure(), record('INIT', 'never')])
    const result = await ensureImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, provenance: 'adopted' })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'find@0'])
    expect(info.mock.calls.at(-1)?.[0]).toContain('1003')
  })

  it('looks again while the list lags behind, and adopts the image when it shows', async () => {
    const { clock, options } = setup()
    const found = record('INIT', '1004')
    const fake = fakeApi(
      clock,
      [undefined, undefined, undefined, found],
      [connectionReset(), record('INIT')]
    )
    const result = await ensureImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, provenance: 'adopted' })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'find@0', 'find@1000', 'find@3000'])
    expect(clock.delays).toEqual([1_000, 2_000])
  })

  it('sends the create again once every look shows no image, then adopts on a "name in use" answer', async () => {
    const { clock, options, warn } = setup()
    const found = record('INIT', '1005')
    const fake = fakeApi(
      clock,
      [undefined, undefined, undefined, undefined, undefined, found],
      [connectionReset(), nameInUse()]
    )
    const result = await ensureImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, provenance: 'adopted' })
    expect(fake.create).toHaveBeenCalledTimes(2)
    // initial look; create; 4 looks (0, +1 s, +2 s, +4 s); backoff 50 ms; create again; a look finds it.
    expect(fake.calls).toEqual([
      'find@0',
      'create@0',
      'find@0',
      'find@1000',
      'find@3000',
      'find@7000',
      'create@7050',
      'find@7050'
    ])
    expect(warn.mock.calls[0][0]).toContain('No image named "my-image" exists')
  })

  it('creates anew after an uncertain create when every look shows nothing, and returns it as created', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1006')
    const fake = fakeApi(clock, [undefined], [retryLater(), made])
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      provenance: 'created',
      resentAfterLostReply: true
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
    expect(fake.findByName).toHaveBeenCalledTimes(1)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + CONFIRM_DELAYS.length)
  })

  it('when a look finds two images of the name, adopts one and names both', async () => {
    const { clock, options, warn } = setup()
    const first = record('INIT', '1005')
    const second = record('INIT', '1006')
    const fake = fakeApi(clock, [undefined], [retryLater()], () => [first, second])
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toMatchObject({
      image: second,
      provenance: 'adopted'
    })
    const line = warn.mock.calls
      .map(([text]) => text)
      .find(text => text.includes('NCP holds 2 images'))
    expect(line).toContain('1005, 1006')
    expect(line).toContain('this run uses 1006')
  })

  it('never adopts an image of the name made from another server', async () => {
    const { clock, options } = setup({ retry: { ...RETRY, maxAttempts: 1 } })
    const theirs = { ...record('INIT', '3005'), sourceServerNo: '999' }
    const fake = fakeApi(clock, [undefined], [retryLater()], () => [theirs])
    const error = (await ensureImage(fake.api, REQUEST, options).catch(e => e)) as Error
    expect(error).toBeInstanceOf(CreateUncertainError)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + CONFIRM_DELAYS.length)
  })

  it('sends the create again after a service 5xx once the looks show nothing', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1007')
    const internal = answered(500, {
      responseError: { returnCode: '1300', returnMessage: 'Unknown error.' }
    })
    const fake = fakeApi(clock, [undefined], [internal, made])
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toMatchObject({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
  })

  it('runs out of attempts on transient failures after a lost reply with CreateUncertainError', async () => {
    const { clock, options } = setup()
    const fake = fakeApi(clock, [undefined], [retryLater(), retryLater(), retryLater()])
    const error = (await ensureImage(fake.api, REQUEST, options).catch(e => e)) as Error
    expect(error).toBeInstanceOf(CreateUncertainError)
    expect(error.message).toContain('A createMemberServerImageInstance of this run may have made')
    expect(fake.create).toHaveBeenCalledTimes(RETRY.maxAttempts)
  })

  it('looks again after a throttled resend that followed a lost reply', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1008')
    const fake = fakeApi(clock, [undefined], [connectionReset(), throttled(), made])
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toMatchObject({ image: made })
    // The first look, four after the reset, four more after the throttled resend.
    expect(fake.calls.filter(call => call.startsWith('find'))).toHaveLength(
      1 + 2 * (1 + CONFIRM_DELAYS.length)
    )
  })

  it('a refused create whose lookup fails throws the refusal', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined, new Error('lookup down')], [refusal])
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
  })

  it('a refused create for a name taken meanwhile reuses that image with if-exists: reuse', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const theirs = { ...record('CREAT', '2002'), sourceServerNo: REQUEST.serverInstanceNo }
    const fake = fakeApi(clock, [undefined, theirs], [nameInUse()])
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: theirs,
      provenance: 'reused'
    })
  })

  it('after a lost reply and no image in the looks, the final error says an image may exist', async () => {
    const { clock, options } = setup({ retry: { ...RETRY, maxAttempts: 2 } })
    const fake = fakeApi(clock, [undefined], [retryLater(), nameInUse()])
    const error = (await ensureImage(fake.api, REQUEST, options).catch(e => e)) as Error
    expect(error).toBeInstanceOf(CreateUncertainError)
    expect(error.message).toContain('The image name is already in use')
    expect(error.message).toContain('may have made an image named "my-image"')
    expect(error.message).toContain('if-exists: reuse')
    expect(fake.create).toHaveBeenCalledTimes(2)
  })

  it('a create refused because the name was taken meanwhile applies if-exists to that image', async () => {
    const { clock, options } = setup()
    const theirs = record('CREAT', '2001')
    const fake = fakeApi(clock, [undefined, theirs], [nameInUse()])
    const error = (await ensureImage(fake.api, REQUEST, options).catch(e => e)) as Error
    expect(error).toBeInstanceOf(ImageExistsError)
    expect(error.message).toContain('number 2001')
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('throws the service error when it reached the service and no image shows', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.create).toHaveBeenCalledTimes(1)
    // The first look, and one more after the refusal in case the name was taken meanwhile.
    expect(fake.findByName).toHaveBeenCalledTimes(2)
  })

  it('throws a permanent gateway error at once, without lookups or another create', async () => {
    const { clock, options } = setup()
    const refusal = unauthorized()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.calls).toEqual(['find@0', 'create@0'])
  })

  it('throws the last error once the attempt budget is spent', async () => {
    const { clock, options } = setup()
    const errors = [throttled(), throttled(), throttled(), throttled()]
    const fake = fakeApi(clock, [undefined], errors)
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(
      errors[RETRY.maxAttempts - 1]
    )
    expect(fake.create).toHaveBeenCalledTimes(RETRY.maxAttempts)
    expect(clock.delays).toEqual([50, 100])
  })

  it('throws CreateUncertainError, and sends no more creates, when the lookup after an uncertain create fails', async () => {
    const { clock, options } = setup()
    const lookupFailure = networkError(
      MEMBER_IMAGE.actions.list,
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    )
    const fake = fakeApi(clock, [undefined, lookupFailure], [connectionReset(), record('INIT')])
    const progress: CreateProgress = { createSent: false }
    const error = await ensureImage(fake.api, REQUEST, options, progress).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CreateUncertainError)
    expect((error as Error).message).toContain('ECONNRESET')
    expect((error as Error).message).toContain('ECONNREFUSED')
    expect((error as Error).message).toContain('"my-image"')
    expect((error as Error).message).toContain('region KR')
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(progress.createSent).toBe(true)
  })

  it('treats an error that is not an NcloudError as uncertain and looks for the image', async () => {
    const { clock, options } = setup()
    const found = record('INIT', '1007')
    const fake = fakeApi(
      clock,
      [undefined, found],
      [new Error('answered success but returned no image')]
    )
    await expect(ensureImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: found,
      provenance: 'adopted'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('sets createSent before the create answers', async () => {
    const { clock, options } = setup()
    const progress: CreateProgress = { createSent: false }
    let sentWhenCalled: boolean | undefined
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      sentWhenCalled = progress.createSent
      return record('INIT')
    })
    await ensureImage(fake.api, REQUEST, options, progress)
    expect(sentWhenCalled).toBe(true)
  })

  it('throws the abort reason when cancelled during the backoff, sending no more creates', async () => {
    const controller = new AbortController()
    const { clock, options } = setup({ signal: controller.signal })
    clock.hold = true
    const reason = new Error('cancelled')
    const fake = fakeApi(clock, [undefined], [throttled(), record('INIT')])
    const outcome = ensureImage(fake.api, REQUEST, options)
    await untilSleeps(clock, 1)
    controller.abort(reason)
    await expect(outcome).rejects.toBe(reason)
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('throws the abort reason, without looking or retrying, when the create fails because of a cancel', async () => {
    const controller = new AbortController()
    const { clock, options, warn } = setup({ signal: controller.signal })
    const reason = new Error('cancelled')
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      controller.abort(reason)
      throw new Error('request abandoned')
    })
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(reason)
    expect(fake.calls).toEqual(['find@0'])
    expect(fake.findByName).toHaveBeenCalledTimes(1)
    expect(warn).not.toHaveBeenCalled()
  })

  it('throws the abort reason, not CreateUncertainError, when a look fails because of a cancel', async () => {
    const controller = new AbortController()
    const { clock, options } = setup({ signal: controller.signal })
    const reason = new Error('cancelled')
    const fake = fakeApi(clock, [undefined], [connectionReset()])
    fake.findAllByName.mockImplementationOnce(async () => {
      controller.abort(reason)
      throw new Error('request abandoned')
    })
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(reason)
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('throws the abort reason when cancelled while looking again', async () => {
    const controller = new AbortController()
    const { clock, options } = setup({ signal: controller.signal })
    const reason = new Error('cancelled')
    clock.onSleep = () => controller.abort(reason)
    const fake = fakeApi(clock, [undefined], [connectionReset(), record('INIT')])
    await expect(ensureImage(fake.api, REQUEST, options)).rejects.toBe(reason)
    expect(fake.create).toHaveBeenCalledTimes(1)
    // The first look (findByName) and the one right after the lost reply (findAllByName).
    expect(fake.findByName).toHaveBeenCalledTimes(1)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1)
  })
})
