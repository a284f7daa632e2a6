import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/cancel.js'
import {
  judgeExisting,
  obtainImage,
  sweepForDuplicates,
  type CreateOptions
} from '../src/create-image.js'
import { RunFailure } from '../src/failure.js'
import { NcloudError, answerError, contentError, networkError } from '../src/ncloud/errors.js'
import {
  MEMBER_IMAGE,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../src/ncloud/images.js'
import { parseAnswer } from '../src/ncloud/response.js'
import { TransportError, type HttpAnswer } from '../src/ncloud/transport.js'
import { NEXT } from '../src/next-steps.js'
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

// NCP answers, read through the real parsing and classification.
function answered(status: number, body: unknown, headers: HttpAnswer['headers'] = {}): NcloudError {
  const { facts, answer } = parseAnswer(CREATE, { status, headers, body: JSON.stringify(body) }, 0)
  if (answer.shape === 'success') throw new Error('expected an error answer')
  return answerError(CREATE, facts, answer, 'api-url')
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
  networkError(CREATE, new TransportError('socket hang up', 'ECONNRESET', true), 'api-url')

/** One answer of a scripted lookup: the image found (or none), an error, or something to run. */
type FindStep = ImageRecord | undefined | Error | (() => ImageRecord | undefined)

interface Fake {
  api: ImageApi
  /** 'find' and 'create' in the order they were called, with the virtual time. */
  calls: string[]
  findAllByName: jest.Mock<(name: string) => Promise<ImageRecord[]>>
  create: jest.Mock<(request: CreateRequest) => Promise<ImageRecord>>
}

/**
 * A fake ImageApi answering findAllByName and create from scripts; the last step repeats.
 * `allByName`, when given, answers every lookup instead of the find script.
 */
function fakeApi(
  clock: FakeClock,
  finds: FindStep[],
  creates: (ImageRecord | Error)[],
  allByName?: (name: string) => ImageRecord[]
): Fake {
  const calls: string[] = []
  const start = clock.now()
  let findIndex = 0
  let createIndex = 0
  const create = jest.fn(async (_request: CreateRequest) => {
    calls.push(`create@${clock.now() - start}`)
    const step = creates[Math.min(createIndex++, creates.length - 1)]
    if (step instanceof Error) throw step
    return step
  })
  const findAllByName = jest.fn(async (name: string) => {
    calls.push(`find@${clock.now() - start}`)
    if (allByName) return allByName(name)
    let step = finds[Math.min(findIndex++, finds.length - 1)]
    if (typeof step === 'function') step = step()
    if (step instanceof Error) throw step
    return step ? [step] : []
  })
  return {
    api: { kind: MEMBER_IMAGE, findAllByName, create } as unknown as ImageApi,
    calls,
    findAllByName,
    create
  }
}

function setup(extra: Partial<CreateOptions> = {}, afterCancelFinds: FindStep[] = [undefined]) {
  const clock = new FakeClock()
  const info = jest.fn<(line: string) => void>()
  const warn = jest.fn<(line: string) => void>()
  const onImage = jest.fn<(image: ImageRecord) => void>()
  // The API a cancelled run gets for its one last look (no abort signal).
  const lateLook = fakeApi(clock, afterCancelFinds, [new Error('no create after a cancel')])
  const afterCancel = jest.fn(() => lateLook.api)
  const options: CreateOptions = {
    ifExists: 'fail',
    region: 'KR',
    policy: RETRY,
    confirmDelaysMs: CONFIRM_DELAYS,
    clock,
    random: () => 0.5,
    log: { info, warning: warn, debug: () => undefined },
    onImage,
    afterCancel,
    ...extra
  }
  return { clock, info, warn, onImage, afterCancel, lateLook, options }
}

async function failureOf(promise: Promise<unknown>): Promise<RunFailure> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RunFailure)
  return error as RunFailure
}

describe('obtainImage: the name already exists', () => {
  it('with if-exists fail fails naming the number and status, and creates nothing', async () => {
    const { clock, options, onImage } = setup()
    const fake = fakeApi(clock, [record('CREAT', '901')], [record('INIT')])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('number 901')
    expect(failure.message).toContain('status CREAT')
    expect(failure.message).toContain('region KR')
    expect(failure.message).toContain('With if-exists: fail nothing was created.')
    expect(failure.nextStep).toBe(NEXT.nameTaken)
    expect(fake.create).not.toHaveBeenCalled()
    expect(onImage).not.toHaveBeenCalled()
  })

  it.each(['CREAT', 'INIT'])(
    'with if-exists reuse returns a %s image as reused, tells of it, and creates nothing',
    async status => {
      const { clock, options, info, onImage } = setup({ ifExists: 'reuse' })
      const existing = record(status, '902')
      const fake = fakeApi(clock, [existing], [record('INIT')])
      await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
        image: existing,
        provenance: 'reused'
      })
      expect(fake.create).not.toHaveBeenCalled()
      expect(info.mock.calls[0][0]).toContain('902')
      expect(info.mock.calls[0][0]).toContain('if-exists: reuse')
      expect(onImage).toHaveBeenCalledWith(existing)
    }
  )

  it('with if-exists reuse takes the newest of several images of the name', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const older = record('CREAT', '903')
    const newer = record('CREAT', '904')
    const fake = fakeApi(clock, [], [record('INIT')], () => [older, newer])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: newer,
      provenance: 'reused'
    })
  })

  it('with if-exists reuse refuses a CREFL image', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const fake = fakeApi(clock, [record('CREFL', '903')], [record('INIT')])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.message).toContain('failed')
    expect(failure.message).toContain('903')
    expect(failure.nextStep).toBe(NEXT.failedExisting)
    expect(fake.create).not.toHaveBeenCalled()
  })

  it('with if-exists reuse refuses an image made from another server', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const theirs = { ...record('CREAT', '905'), sourceServerNo: '999' }
    const fake = fakeApi(clock, [theirs], [record('INIT')])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.message).toContain('made from server 999')
    expect(failure.message).toContain('It was not made from server 1234567, so it is not reused.')
    expect(failure.nextStep).toBe(NEXT.otherServersImage)
    expect(fake.create).not.toHaveBeenCalled()
  })
})

describe('judgeExisting', () => {
  const api = { kind: MEMBER_IMAGE } as unknown as ImageApi

  it('shows the status name when there is one', () => {
    const verdict = judgeExisting(api, record('INIT'), REQUEST, { ifExists: 'fail', region: 'SGN' })
    expect(verdict).toBeInstanceOf(RunFailure)
    expect((verdict as RunFailure).message).toContain('status INIT (creating)')
    expect((verdict as RunFailure).message).toContain('region SGN')
  })

  it('allows reusing a pending image made from this server, with the line that says so', () => {
    const ours = { ...record('INIT', '906'), sourceServerNo: REQUEST.serverInstanceNo }
    const verdict = judgeExisting(api, ours, REQUEST, { ifExists: 'reuse', region: 'KR' })
    expect(typeof verdict).toBe('string')
    expect(verdict).toContain('number 906')
    expect(verdict).toContain('made from server 1234567')
    expect(verdict).toContain('if-exists: reuse, so no image is created and this one is used.')
  })

  it('allows reusing an image that does not say which server it came from (KVM)', () => {
    const verdict = judgeExisting(api, record('CREAT', '907'), REQUEST, {
      ifExists: 'reuse',
      region: 'KR'
    })
    expect(typeof verdict).toBe('string')
  })
})

describe('obtainImage: creating', () => {
  it('returns a created image and tells of it', async () => {
    const { clock, options, onImage } = setup()
    const made = record('INIT', '1001')
    const fake = fakeApi(clock, [undefined], [made])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.create).toHaveBeenCalledWith(REQUEST)
    expect(fake.findAllByName).toHaveBeenCalledWith('my-image')
    expect(onImage).toHaveBeenCalledWith(made)
    expect(clock.sleeps).toEqual([])
  })

  it('sends the create again after a throttle (never reached), with no lookup in between', async () => {
    const { clock, options, warn } = setup()
    const made = record('INIT', '1002')
    const fake = fakeApi(clock, [undefined], [throttled(), made])
    const result = await obtainImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: made, provenance: 'created' })
    expect(fake.create).toHaveBeenCalledTimes(2)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'create@50'])
    expect(clock.delays).toEqual([50])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toContain(
      'createMemberServerImageInstance: attempt 1 of 3 failed'
    )
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
    await obtainImage(fake.api, REQUEST, options)
    expect(clock.delays).toEqual([3_000])
  })

  it.each([
    ['a dropped connection (ECONNRESET)', connectionReset],
    ['returnCode 1000 on HTTP 500', retryLater]
  ])('adopts the image a lost reply made after %s, creating once', async (_label, failure) => {
    const { clock, options, info, onImage } = setup()
    const found = record('INIT', '1003')
    const fake = fakeApi(clock, [undefined, found], [failure(), record('INIT', 'never')])
    const result = await obtainImage(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, provenance: 'adopted' })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'find@0'])
    expect(info.mock.calls.at(-1)?.[0]).toContain('1003')
    expect(onImage).toHaveBeenCalledWith(found)
  })

  it('looks again while the list lags behind, and adopts the image when it shows', async () => {
    const { clock, options } = setup()
    const found = record('INIT', '1004')
    const fake = fakeApi(
      clock,
      [undefined, undefined, undefined, found],
      [connectionReset(), record('INIT')]
    )
    const result = await obtainImage(fake.api, REQUEST, options)
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
    const result = await obtainImage(fake.api, REQUEST, options)
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
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
    // The first look, and the looks after the uncertain create.
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + 1 + CONFIRM_DELAYS.length)
  })

  it('when a look finds two images of the name, adopts the newest; the sweep names both', async () => {
    const { clock, options, warn } = setup()
    const first = record('INIT', '1005')
    const second = record('INIT', '1006')
    let listed: ImageRecord[] = []
    const fake = fakeApi(clock, [], [retryLater()], () => listed)
    fake.create.mockImplementation(async () => {
      listed = [first, second]
      throw retryLater()
    })
    const obtained = await obtainImage(fake.api, REQUEST, options)
    expect(obtained).toEqual({ image: second, provenance: 'adopted' })
    const others = await sweepForDuplicates(fake.api, obtained.image, options.log)
    expect(others).toEqual([first])
    const line = warn.mock.calls
      .map(([text]) => text)
      .find(text => text.includes('NCP holds 2 images'))
    expect(line).toContain('1005')
    expect(line).toContain('1006')
    expect(line).toContain('This run uses 1006')
  })

  it('never adopts an image of the name made from another server', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 1 } })
    const theirs = { ...record('INIT', '3005'), sourceServerNo: '999' }
    let listed: ImageRecord[] = []
    const fake = fakeApi(clock, [], [retryLater()], () => listed)
    fake.create.mockImplementation(async () => {
      listed = [theirs]
      throw retryLater()
    })
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + 1 + CONFIRM_DELAYS.length)
  })

  it('sends the create again after a service 5xx once the looks show nothing', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1007')
    const internal = answered(500, {
      responseError: { returnCode: '1300', returnMessage: 'Unknown error.' }
    })
    const fake = fakeApi(clock, [undefined], [internal, made])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toMatchObject({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
  })

  it('runs out of attempts on transient failures after a lost reply with an uncertain failure', async () => {
    const { clock, options } = setup()
    const fake = fakeApi(clock, [undefined], [retryLater(), retryLater(), retryLater()])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('A createMemberServerImageInstance of this run may have made')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR'))
    expect(fake.create).toHaveBeenCalledTimes(RETRY.maxAttempts)
  })

  // Fails against src today: a throttled resend after a lost reply is sent again without another
  // round of looks, although the first create may still show up (reported to the owner of src/).
  // Turn this back into it(...) once src looks again there.
  it('looks again after a throttled resend that followed a lost reply', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1008')
    const fake = fakeApi(clock, [undefined], [connectionReset(), throttled(), made])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toMatchObject({ image: made })
    // The first look, four after the reset, four more after the throttled resend.
    expect(fake.calls.filter(call => call.startsWith('find'))).toHaveLength(
      1 + 2 * (1 + CONFIRM_DELAYS.length)
    )
  })

  it('a refused create whose lookup fails throws the refusal', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined, new Error('lookup down')], [refusal])
    await expect(obtainImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
  })

  it('a refused create for a name taken meanwhile reuses that image with if-exists: reuse', async () => {
    const { clock, options, onImage } = setup({ ifExists: 'reuse' })
    const theirs = { ...record('CREAT', '2002'), sourceServerNo: REQUEST.serverInstanceNo }
    const fake = fakeApi(clock, [undefined, theirs], [nameInUse()])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: theirs,
      provenance: 'reused'
    })
    expect(onImage).toHaveBeenCalledWith(theirs)
  })

  it('after a lost reply and no image in the looks, the final failure says an image may exist', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 2 } })
    const fake = fakeApi(clock, [undefined], [retryLater(), nameInUse()])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('The image name is already in use')
    expect(failure.message).toContain('may have made an image named "my-image"')
    expect(failure.message).toContain('region KR')
    expect(failure.nextStep).toContain('if-exists: reuse')
    expect(fake.create).toHaveBeenCalledTimes(2)
  })

  it('a create refused because the name was taken meanwhile applies if-exists to that image', async () => {
    const { clock, options } = setup()
    const theirs = record('CREAT', '2001')
    const fake = fakeApi(clock, [undefined, theirs], [nameInUse()])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('number 2001')
    expect(failure.nextStep).toBe(NEXT.nameTaken)
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('throws the service error when it reached the service and no image shows', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(obtainImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.create).toHaveBeenCalledTimes(1)
    // The first look, and one more after the refusal in case the name was taken meanwhile.
    expect(fake.findAllByName).toHaveBeenCalledTimes(2)
  })

  it('throws a permanent gateway error at once, without lookups or another create', async () => {
    const { clock, options } = setup()
    const refusal = unauthorized()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(obtainImage(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.calls).toEqual(['find@0', 'create@0'])
  })

  it('throws the last error once the attempt budget is spent', async () => {
    const { clock, options } = setup()
    const errors = [throttled(), throttled(), throttled(), throttled()]
    const fake = fakeApi(clock, [undefined], errors)
    await expect(obtainImage(fake.api, REQUEST, options)).rejects.toBe(
      errors[RETRY.maxAttempts - 1]
    )
    expect(fake.create).toHaveBeenCalledTimes(RETRY.maxAttempts)
    expect(clock.delays).toEqual([50, 100])
  })

  it('fails as uncertain, and sends no more creates, when the lookup after an uncertain create fails', async () => {
    const { clock, options } = setup()
    const lookupFailure = networkError(
      MEMBER_IMAGE.actions.list,
      new TransportError('connect ECONNREFUSED', 'ECONNREFUSED', false),
      'api-url'
    )
    const fake = fakeApi(clock, [undefined, lookupFailure], [connectionReset(), record('INIT')])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('ECONNRESET')
    expect(failure.message).toContain('ECONNREFUSED')
    expect(failure.nextStep).toContain('"my-image"')
    expect(failure.nextStep).toContain('region KR')
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('treats an error that is not an NcloudError as uncertain and looks for the image', async () => {
    const { clock, options } = setup()
    const found = record('INIT', '1007')
    const fake = fakeApi(clock, [undefined, found], [new Error('something unexpected')])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: found,
      provenance: 'adopted'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('looks for the image after a success answer that holds none, and sends the create again when none shows', async () => {
    const { clock, options } = setup()
    const empty = contentError(CREATE, 'the success answer holds no image', 'api-url')
    const made = record('INIT', '1009')
    const fake = fakeApi(clock, [undefined], [empty, made])
    await expect(obtainImage(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      provenance: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + 1 + CONFIRM_DELAYS.length)
  })

  it('names the image to look for when a success answer holds none and no attempt is left', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 1 } })
    const empty = contentError(CREATE, 'the success answer holds no image', 'api-url')
    const fake = fakeApi(clock, [undefined], [empty])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('holds no image')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR'))
  })
})

describe('obtainImage: cancelled', () => {
  const cancel = (): CancelledError => new CancelledError('SIGINT')

  it('looks once more, without the abort signal, when cancelled during the backoff; sends no more creates', async () => {
    const controller = new AbortController()
    const { clock, options, afterCancel, lateLook } = setup({ signal: controller.signal })
    clock.hold = true
    const fake = fakeApi(clock, [undefined], [throttled(), record('INIT')])
    const outcome = obtainImage(fake.api, REQUEST, options)
    await untilSleeps(clock, 1)
    controller.abort(cancel())
    const failure = await failureOf(outcome)
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe(
      'Cancelled (SIGINT). The create had been sent, and no image named "my-image" shows yet in region KR.'
    )
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR'))
    expect(failure.image).toBeUndefined()
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(afterCancel).toHaveBeenCalledTimes(1)
    expect(lateLook.findAllByName).toHaveBeenCalledWith('my-image')
  })

  it('when the create fails because of a cancel: no retry, no warning, one last look that finds the image', async () => {
    const controller = new AbortController()
    const made = { ...record('INIT', '4001'), sourceServerNo: REQUEST.serverInstanceNo }
    const { clock, options, warn, onImage, lateLook } = setup({ signal: controller.signal }, [made])
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      controller.abort(cancel())
      throw new Error('request abandoned')
    })
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe(
      'Cancelled (SIGINT). The create had been sent: image 4001 named "my-image" exists (INIT).'
    )
    expect(failure.image).toBe(made)
    expect(failure.nextStep).toBe(NEXT.waitAgain(made))
    expect(onImage).toHaveBeenCalledWith(made)
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1)
    expect(lateLook.findAllByName).toHaveBeenCalledTimes(1)
    expect(warn).not.toHaveBeenCalled()
  })

  it('the last look after a cancel never takes another server’s image for this run’s', async () => {
    const controller = new AbortController()
    const theirs = { ...record('INIT', '4002'), sourceServerNo: '999' }
    const { clock, options, onImage } = setup({ signal: controller.signal }, [theirs])
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      controller.abort(cancel())
      throw new Error('request abandoned')
    })
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(failure.image).toBeUndefined()
    expect(onImage).not.toHaveBeenCalled()
  })

  it('says an image may exist when the last look after a cancel fails', async () => {
    const controller = new AbortController()
    const { clock, options } = setup({ signal: controller.signal }, [new Error('no time left')])
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      controller.abort(cancel())
      throw new Error('request abandoned')
    })
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toContain('may exist in region KR (the look failed: no time left)')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR'))
  })

  it('when a look fails because of a cancel: no uncertain failure, no more creates', async () => {
    const controller = new AbortController()
    const { clock, options, lateLook } = setup({ signal: controller.signal })
    const fake = fakeApi(
      clock,
      [
        undefined,
        () => {
          controller.abort(cancel())
          throw new Error('request abandoned')
        }
      ],
      [connectionReset()]
    )
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(lateLook.findAllByName).toHaveBeenCalledTimes(1)
  })

  it('when cancelled while looking again: stops looking, sends no more creates', async () => {
    const controller = new AbortController()
    const { clock, options, lateLook } = setup({ signal: controller.signal })
    clock.onSleep = () => controller.abort(cancel())
    const fake = fakeApi(clock, [undefined], [connectionReset(), record('INIT')])
    const failure = await failureOf(obtainImage(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(fake.create).toHaveBeenCalledTimes(1)
    // The first look and the one right after the lost reply; then only the last look.
    expect(fake.findAllByName).toHaveBeenCalledTimes(2)
    expect(lateLook.findAllByName).toHaveBeenCalledTimes(1)
  })

  it('a cancel during the first look, before any create, is passed on as it is', async () => {
    const controller = new AbortController()
    const { clock, options, afterCancel } = setup({ signal: controller.signal })
    const reason = cancel()
    const fake = fakeApi(
      clock,
      [
        () => {
          controller.abort(reason)
          throw reason
        }
      ],
      [record('INIT')]
    )
    await expect(obtainImage(fake.api, REQUEST, options)).rejects.toBe(reason)
    expect(fake.create).not.toHaveBeenCalled()
    expect(afterCancel).not.toHaveBeenCalled()
  })
})

describe('sweepForDuplicates', () => {
  const log = () => ({
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>()
  })

  it('finds nothing to say when the run’s image is the only one of its name', async () => {
    const clock = new FakeClock()
    const used = record('INIT', '5001')
    const fake = fakeApi(clock, [used], [])
    const lines = log()
    await expect(sweepForDuplicates(fake.api, used, lines)).resolves.toEqual([])
    expect(lines.warning).not.toHaveBeenCalled()
    expect(fake.findAllByName).toHaveBeenCalledWith('my-image')
  })

  it('names every image of the name, says which one the run uses, and returns the others', async () => {
    const clock = new FakeClock()
    const used = record('INIT', '5002')
    const others = [record('INIT', '5003'), record('CREAT', '5004')]
    const fake = fakeApi(clock, [], [], () => [others[0], used, others[1]])
    const lines = log()
    await expect(sweepForDuplicates(fake.api, used, lines)).resolves.toEqual(others)
    expect(lines.warning).toHaveBeenCalledTimes(1)
    const line = lines.warning.mock.calls[0][0]
    expect(line).toContain('NCP holds 3 images named "my-image"')
    for (const no of ['5002', '5003', '5004']) expect(line).toContain(no)
    expect(line).toContain(
      'This run uses 5002; 5003, 5004 were made by a lost reply or another run.'
    )
  })

  it('says "was" for one other image', async () => {
    const clock = new FakeClock()
    const used = record('INIT', '5005')
    const fake = fakeApi(clock, [], [], () => [used, record('INIT', '5006')])
    const lines = log()
    await sweepForDuplicates(fake.api, used, lines)
    expect(lines.warning.mock.calls[0][0]).toContain('5006 was made by a lost reply')
  })

  it('warns, and returns none, when the lookup fails', async () => {
    const clock = new FakeClock()
    const fake = fakeApi(clock, [new Error('HTTP 503')], [])
    const lines = log()
    await expect(sweepForDuplicates(fake.api, record('INIT', '5007'), lines)).resolves.toEqual([])
    expect(lines.warning.mock.calls[0][0]).toContain(
      'Could not check for other images named "my-image" (HTTP 503)'
    )
  })
})
