import { describe, expect, it } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { obtainImage } from '../src/steps/uncertain-create.js'
import { sweepForDuplicates } from '../src/steps/name-lookup.js'
import { type FirstLook } from '../src/steps/name-lookup.js'
import { RunFailure } from '../src/model/failure.js'
import { contentError, networkError } from '../src/ncloud/errors.js'
import { MEMBER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { TransportError } from '../src/ncloud/transport.js'
import { NEXT } from '../src/model/next-steps.js'
import { JournalRecorder, type RunJournal } from '../src/model/journal.js'
import { provenanceDescription } from '../src/model/provenance.js'
import { untilSleeps } from './helpers/fake-clock.js'
import {
  CREATE,
  REQUEST,
  RETRY,
  CONFIRM_DELAYS,
  record,
  answered,
  throttled,
  retryLater,
  nameInUse,
  unauthorized,
  connectionReset,
  fakeApi,
  setup,
  failureOf,
  lookThenObtain
} from './helpers/create-fakes.js'

// The create, whole: the sends, the looks after a lost reply, the resend, the look after a cancel.

describe('obtainImage: the name already exists', () => {
  it('with if-exists fail fails naming the number and status, and creates nothing', async () => {
    const { clock, options, onImage } = setup()
    const fake = fakeApi(clock, [record('CREAT', '901')], [record('INIT')])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('number 901')
    expect(failure.message).toContain('status CREAT')
    expect(failure.message).toContain('region KR')
    expect(failure.message).toContain('With if-exists: fail nothing was created.')
    expect(failure.nextStep).toBe(NEXT.nameTaken(record('CREAT', '901'), true))
    expect(fake.create).not.toHaveBeenCalled()
    expect(onImage).not.toHaveBeenCalled()
  })

  it.each(['CREAT', 'INIT'])(
    'with if-exists reuse returns a %s image as reused, tells of it, and creates nothing',
    async status => {
      const { clock, options, info, onImage } = setup({ ifExists: 'reuse' })
      const existing = record(status, '902')
      const fake = fakeApi(clock, [existing], [record('INIT')])
      await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
        image: existing,
        origin: 'reused'
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: newer,
      origin: 'reused'
    })
  })

  it('with if-exists reuse refuses a CREFL image', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const fake = fakeApi(clock, [record('CREFL', '903')], [record('INIT')])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.message).toContain('failed')
    expect(failure.message).toContain('903')
    expect(failure.nextStep).toBe(NEXT.failedExisting)
    expect(fake.create).not.toHaveBeenCalled()
  })

  it('with if-exists reuse refuses an image made from another server', async () => {
    const { clock, options } = setup({ ifExists: 'reuse' })
    const theirs = { ...record('CREAT', '905'), sourceServerNo: '999' }
    const fake = fakeApi(clock, [theirs], [record('INIT')])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.message).toContain('made from server 999')
    expect(failure.message).toContain('It was not made from server 1234567, so it is not reused.')
    expect(failure.nextStep).toBe(NEXT.otherServersImage)
    expect(fake.create).not.toHaveBeenCalled()
  })
})

describe('obtainImage: using what the first look found', () => {
  it.each<FirstLook & { use: ImageRecord }>([
    { use: record('INIT', '960'), origin: 'reused' },
    { use: record('INIT', '961'), origin: 'resumed' }
  ])('uses the $origin image, tells of it, and creates nothing', async first => {
    const { clock, options, onImage } = setup()
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    await expect(obtainImage(fake.api, REQUEST, first, options)).resolves.toEqual({
      image: first.use,
      origin: first.origin
    })
    expect(onImage).toHaveBeenCalledWith(first.use)
    expect(fake.create).not.toHaveBeenCalled()
    expect(fake.findAllByName).not.toHaveBeenCalled()
  })

  it('creates without looking the name up again when the first look found nothing', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '962')
    const fake = fakeApi(clock, [undefined], [made])
    await expect(obtainImage(fake.api, REQUEST, { use: undefined }, options)).resolves.toEqual({
      image: made,
      origin: 'created'
    })
    expect(fake.calls).toEqual(['create@0'])
  })
})

describe('obtainImage: creating', () => {
  it('returns a created image and tells of it', async () => {
    const { clock, options, onImage } = setup()
    const made = record('INIT', '1001')
    const fake = fakeApi(clock, [undefined], [made])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      origin: 'created'
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
    const result = await lookThenObtain(fake.api, REQUEST, options)
    expect(result).toEqual({ image: made, origin: 'created' })
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
    await lookThenObtain(fake.api, REQUEST, options)
    expect(clock.delays).toEqual([3_000])
  })

  it.each([
    ['a dropped connection (ECONNRESET)', connectionReset],
    ['returnCode 1000 on HTTP 500', retryLater]
  ])('adopts the image a lost reply made after %s, creating once', async (_label, failure) => {
    const { clock, options, info, onImage } = setup()
    const found = record('INIT', '1003')
    const fake = fakeApi(clock, [undefined, found], [failure(), record('INIT', 'never')])
    const result = await lookThenObtain(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, origin: 'adopted' })
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.calls).toEqual(['find@0', 'create@0', 'find@0'])
    expect(info.mock.calls.at(-1)?.[0]).toBe(
      `The reply was lost, but image 1003 named "${REQUEST.name}" now exists: using it.`
    )
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
    const result = await lookThenObtain(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, origin: 'adopted' })
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
    const result = await lookThenObtain(fake.api, REQUEST, options)
    expect(result).toEqual({ image: found, origin: 'adopted' })
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: made,
      origin: 'created'
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
    const obtained = await lookThenObtain(fake.api, REQUEST, options)
    expect(obtained).toEqual({ image: second, origin: 'adopted' })
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toMatchObject({
      image: made,
      origin: 'created'
    })
    expect(fake.create).toHaveBeenCalledTimes(2)
  })

  it('runs out of attempts on transient failures after a lost reply with an uncertain failure', async () => {
    const { clock, options } = setup()
    const fake = fakeApi(clock, [undefined], [retryLater(), retryLater(), retryLater()])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('A createMemberServerImageInstance of this run may have made')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'given'))
    expect(fake.create).toHaveBeenCalledTimes(RETRY.maxAttempts)
  })

  it('looks again after a throttled resend that followed a lost reply', async () => {
    const { clock, options } = setup()
    const made = record('INIT', '1008')
    const fake = fakeApi(clock, [undefined], [connectionReset(), throttled(), made])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toMatchObject({ image: made })
    // The first look, four after the reset, four more after the throttled resend.
    expect(fake.calls.filter(call => call.startsWith('find'))).toHaveLength(
      1 + 2 * (1 + CONFIRM_DELAYS.length)
    )
  })

  it('a refused create whose lookup fails throws the refusal', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined, new Error('lookup down')], [refusal])
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBe(refusal)
  })

  it('a refused create for a name taken meanwhile reuses that image with if-exists: reuse', async () => {
    const { clock, options, onImage } = setup({ ifExists: 'reuse' })
    const theirs = { ...record('CREAT', '2002'), sourceServerNo: REQUEST.serverInstanceNo }
    const fake = fakeApi(clock, [undefined, theirs], [nameInUse()])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: theirs,
      origin: 'reused'
    })
    expect(onImage).toHaveBeenCalledWith(theirs)
  })

  it('after a lost reply and no image in the looks, the final failure says an image may exist', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 2 } })
    const fake = fakeApi(clock, [undefined], [retryLater(), nameInUse()])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('number 2001')
    expect(failure.nextStep).toBe(NEXT.nameTaken(theirs, true))
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('throws the service error when it reached the service and no image shows', async () => {
    const { clock, options } = setup()
    const refusal = nameInUse()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.create).toHaveBeenCalledTimes(1)
    // The first look, and one more after the refusal in case the name was taken meanwhile.
    expect(fake.findAllByName).toHaveBeenCalledTimes(2)
  })

  it('throws a permanent gateway error at once, without lookups or another create', async () => {
    const { clock, options } = setup()
    const refusal = unauthorized()
    const fake = fakeApi(clock, [undefined], [refusal])
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBe(refusal)
    expect(fake.calls).toEqual(['find@0', 'create@0'])
  })

  it('throws the last error once the attempt budget is spent', async () => {
    const { clock, options } = setup()
    const errors = [throttled(), throttled(), throttled(), throttled()]
    const fake = fakeApi(clock, [undefined], errors)
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBe(
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: found,
      origin: 'adopted'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
  })

  it('never sends the create again after a success answer that holds no image: it looks, then says an image may exist', async () => {
    const { clock, options } = setup()
    const empty = contentError(CREATE, 'the success answer holds no image', 'api-url')
    const made = record('INIT', '1009')
    const fake = fakeApi(clock, [undefined], [empty, made])
    const failure = await lookThenObtain(fake.api, REQUEST, options).catch(error => error)
    expect(failure).toBeInstanceOf(RunFailure)
    expect(failure.outcome).toBe('uncertain')
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(fake.findAllByName).toHaveBeenCalledTimes(1 + 1 + CONFIRM_DELAYS.length)
  })

  it('names the image to look for when a success answer holds none and no attempt is left', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 1 } })
    const empty = contentError(CREATE, 'the success answer holds no image', 'api-url')
    const fake = fakeApi(clock, [undefined], [empty])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.message).toContain('holds no image')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'given'))
  })
})

describe('obtainImage: what it says about the image it finds after a lost reply', () => {
  it('adopts an image whose source server cannot be verified, warning about it', async () => {
    const { clock, options, warn } = setup()
    const found = record('INIT', '1101')
    const fake = fakeApi(clock, [undefined, found], [connectionReset()])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: found,
      origin: 'adopted'
    })
    const warning = warn.mock.calls.map(([line]) => line).find(line => line.includes('1101'))
    expect(warning).toContain('cannot be verified')
  })

  it('adopts without that warning an image NCP says was made from this server', async () => {
    const { clock, options, warn } = setup()
    const found = { ...record('INIT', '1102'), sourceServerNo: REQUEST.serverInstanceNo }
    const fake = fakeApi(clock, [undefined, found], [connectionReset()])
    await lookThenObtain(fake.api, REQUEST, options)
    expect(warn.mock.calls.map(([line]) => line).join('\n')).not.toContain('cannot be verified')
  })

  it('adopts without that warning an image whose provenance names this server', async () => {
    const { clock, options, warn } = setup()
    const found = {
      ...record('INIT', '1103'),
      description: provenanceDescription({ no: REQUEST.serverInstanceNo, name: '' }, {})
    }
    const fake = fakeApi(clock, [undefined, found], [connectionReset()])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toMatchObject({
      origin: 'adopted'
    })
    expect(warn.mock.calls.map(([line]) => line).join('\n')).not.toContain('cannot be verified')
  })

  it('never adopts an image whose provenance names another server', async () => {
    const { clock, options } = setup({ policy: { ...RETRY, maxAttempts: 1 } })
    const theirs = {
      ...record('INIT', '1104'),
      description: provenanceDescription({ no: '999', name: '' }, {})
    }
    const fake = fakeApi(clock, [undefined, theirs], [retryLater()])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.image).toBeUndefined()
  })

  it('with a run-stable name picks up this server’s image after a refused create, whatever if-exists says', async () => {
    const { clock, options } = setup({ nameSource: 'run' })
    const ours = { ...record('INIT', '1105'), sourceServerNo: REQUEST.serverInstanceNo }
    const fake = fakeApi(clock, [undefined, ours], [nameInUse()])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: ours,
      origin: 'resumed'
    })
    expect(fake.create).toHaveBeenCalledTimes(1)
  })
})

describe('obtainImage: the advice fits how the name came about', () => {
  it.each([
    ['given', 'if-exists: reuse'],
    ['run', 'Re-run the job'],
    ['time', 'image-instance-no: <its number>']
  ] as const)(
    'when an uncertain create leaves no image to see, for %s advice, says: %s',
    async (advice, words) => {
      const { clock, options } = setup({ advice, policy: { ...RETRY, maxAttempts: 1 } })
      const fake = fakeApi(clock, [undefined], [retryLater()])
      const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
      expect(failure.outcome).toBe('uncertain')
      expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', advice))
      expect(failure.nextStep).toContain(words)
      if (advice !== 'given') expect(failure.nextStep).not.toContain('if-exists')
    }
  )

  it('takes the next step from advice, not from where the name came from', async () => {
    // A given name whose image only its number finds again (say, image-name: build-{time}).
    const { clock, options } = setup({
      nameSource: 'given',
      advice: 'time',
      policy: { ...RETRY, maxAttempts: 1 }
    })
    const fake = fakeApi(clock, [undefined], [retryLater()])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'time'))
    expect(failure.nextStep).not.toContain('if-exists: reuse')
  })

  it('after a lost reply whose look fails, says what finds the image by advice', async () => {
    const { clock, options } = setup({ nameSource: 'given', advice: 'run' })
    const fake = fakeApi(clock, [undefined, new Error('lookup down')], [connectionReset()])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'run'))
  })

  it.each(['given', 'run', 'time'] as const)(
    'when a cancel finds the image that was made, names its number, with %s advice',
    async advice => {
      const controller = new AbortController()
      const made = { ...record('INIT', '4101'), sourceServerNo: REQUEST.serverInstanceNo }
      // Where the name came from does not change the advice.
      const { clock, options } = setup({ signal: controller.signal, advice }, [made])
      const fake = fakeApi(clock, [undefined], [record('INIT')])
      fake.create.mockImplementation(async () => {
        controller.abort(new CancelledError('SIGTERM'))
        throw new Error('request abandoned')
      })
      const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
      expect(failure.outcome).toBe('cancelled')
      expect(failure.nextStep).toBe(NEXT.resume(made, advice))
      expect(failure.nextStep).toContain('image-instance-no: 4101')
    }
  )
})

describe('obtainImage: cancelled', () => {
  const cancel = (): CancelledError => new CancelledError('SIGINT')

  it('looks once more, without the abort signal, when cancelled during the backoff; sends no more creates', async () => {
    const controller = new AbortController()
    const { clock, options, afterCancel, lateLook } = setup({ signal: controller.signal })
    clock.hold = true
    const fake = fakeApi(clock, [undefined], [throttled(), record('INIT')])
    const outcome = lookThenObtain(fake.api, REQUEST, options)
    await untilSleeps(clock, 1)
    controller.abort(cancel())
    const failure = await failureOf(outcome)
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe(
      'Cancelled (SIGINT). The create had been sent, and no image named "my-image" shows yet in region KR.'
    )
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'given'))
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toBe(
      'Cancelled (SIGINT). The create had been sent: image 4001 named "my-image" exists (INIT).'
    )
    expect(failure.image).toBe(made)
    expect(failure.nextStep).toBe(NEXT.resume(made, 'given'))
    expect(failure.nextStep).toContain('image-instance-no: 4001')
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(failure.message).toContain('may exist in region KR (the look failed: no time left)')
    expect(failure.nextStep).toBe(NEXT.findUncertain('my-image', 'KR', 'given'))
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
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(fake.create).toHaveBeenCalledTimes(1)
    expect(lateLook.findAllByName).toHaveBeenCalledTimes(1)
  })

  it('when cancelled while looking again: stops looking, sends no more creates', async () => {
    const controller = new AbortController()
    const { clock, options, lateLook } = setup({ signal: controller.signal })
    clock.onSleep = () => controller.abort(cancel())
    const fake = fakeApi(clock, [undefined], [connectionReset(), record('INIT')])
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBe(reason)
    expect(fake.create).not.toHaveBeenCalled()
    expect(afterCancel).not.toHaveBeenCalled()
  })
})

describe('obtainImage: the journal of a create in flight', () => {
  /** A recorder whose every change is kept, and a create that reads the journal as it is sent. */
  function journalled(creates: (ImageRecord | Error)[], finds: (ImageRecord | undefined)[]) {
    const changes: RunJournal[] = []
    const journal = new JournalRecorder(snapshot => changes.push(snapshot))
    const setupRun = setup({ journal })
    const fake = fakeApi(setupRun.clock, [undefined, ...finds], creates)
    const atSend: RunJournal[] = []
    const send = fake.create.getMockImplementation()!
    fake.create.mockImplementation(async request => {
      atSend.push(journal.snapshot())
      return send(request)
    })
    return { ...setupRun, fake, journal, changes, atSend }
  }
  const entry = (sentAt: number) => ({
    name: REQUEST.name,
    kind: CREATE,
    serverNo: REQUEST.serverInstanceNo,
    sentAt
  })

  it('records the create before it is sent, and removes it once the image number is known', async () => {
    const made = record('INIT', '1001')
    const { clock, options, fake, journal, atSend, onImage } = journalled([made], [])
    const start = clock.now()
    await lookThenObtain(fake.api, REQUEST, options)
    expect(atSend).toEqual([{ version: 1, deleted: [], creating: entry(start) }])
    // The number reaches the run first (its journal's image), then the entry goes.
    expect(onImage).toHaveBeenCalledWith(made)
    expect(journal.snapshot().creating).toBeUndefined()
  })

  it('records each send again, and keeps the entry when the looks find nothing after a lost reply', async () => {
    const { clock, options, fake, journal, atSend } = journalled(
      [connectionReset(), connectionReset()],
      [undefined]
    )
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('uncertain')
    // Each of the attempts (RETRY.maxAttempts) is recorded before it is sent, the later superseding.
    expect(fake.create).toHaveBeenCalledTimes(3)
    const sentAt = atSend.map(j => j.creating?.sentAt ?? NaN)
    expect(atSend.map(j => j.creating)).toEqual(sentAt.map(entry))
    expect([...sentAt].sort((a, b) => a - b)).toEqual(sentAt)
    expect(new Set(sentAt).size).toBe(3)
    // Nothing settles whether an image was made: the post step looks again.
    expect(journal.snapshot().creating).toEqual(atSend[2].creating)
    expect(clock.now()).toBeGreaterThan(sentAt[2])
  })

  it('removes the entry when the lost reply’s image is found and adopted', async () => {
    const found = record('INIT', '1003')
    const { options, fake, journal } = journalled([connectionReset()], [found])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: found,
      origin: 'adopted'
    })
    expect(journal.snapshot().creating).toBeUndefined()
  })

  it('removes the entry when NCP refused the create: nothing was made', async () => {
    const { options, fake, journal, changes } = journalled([unauthorized()], [])
    await expect(lookThenObtain(fake.api, REQUEST, options)).rejects.toBeDefined()
    expect(changes.some(j => j.creating)).toBe(true)
    expect(journal.snapshot().creating).toBeUndefined()
  })

  it('keeps the entry after a cancel whose last look finds nothing', async () => {
    const controller = new AbortController()
    const changes: RunJournal[] = []
    const journal = new JournalRecorder(snapshot => changes.push(snapshot))
    const { clock, options } = setup({ signal: controller.signal, journal })
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    fake.create.mockImplementation(async () => {
      controller.abort(new CancelledError('SIGINT'))
      throw new CancelledError('SIGINT')
    })
    const failure = await failureOf(lookThenObtain(fake.api, REQUEST, options))
    expect(failure.outcome).toBe('cancelled')
    expect(journal.snapshot().creating).toMatchObject({ name: REQUEST.name, kind: CREATE })
  })
})
