import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/cancel.js'
import {
  createImage,
  lookFirst,
  madeFrom,
  obtainImage,
  sweepForDuplicates,
  type CreateOptions,
  type FirstLook,
  type Obtained
} from '../src/create-image.js'
import { RunFailure } from '../src/failure.js'
import { NcloudError, answerError, contentError, networkError } from '../src/ncloud/errors.js'
import {
  MEMBER_IMAGE,
  toImageRecord,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../src/ncloud/images.js'
import { parseAnswer } from '../src/ncloud/response.js'
import { TransportError, type HttpAnswer } from '../src/ncloud/transport.js'
import { NEXT } from '../src/next-steps.js'
import { provenanceDescription } from '../src/provenance.js'
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

/** A member image of the request's name, as NCP's record reads (no source server unless added). */
const record = (status: string, no = '555'): ImageRecord => ({
  ...toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: no,
    memberServerImageName: REQUEST.name,
    memberServerImageInstanceStatus: { code: status },
    ...(status === 'INIT' ? { memberServerImageInstanceStatusName: 'creating' } : {})
  }),
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
  findAllByName: jest.Mock<(name: string, endBy?: number) => Promise<ImageRecord[]>>
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
  const findAllByName = jest.fn(async (name: string, _endBy?: number) => {
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
    nameSource: 'given',
    advice: 'given',
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

/** What a run does: the first look by name, then the create (or the use of what the look found). */
async function lookThenObtain(
  api: ImageApi,
  request: CreateRequest,
  options: CreateOptions
): Promise<Obtained> {
  const first = await lookFirst(api, request, options)
  return obtainImage(api, request, first, options)
}

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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
      image: newer,
      provenance: 'reused'
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

describe('lookFirst: an image already has the name', () => {
  const api = (images: ImageRecord[]) =>
    ({
      kind: MEMBER_IMAGE,
      findAllByName: jest.fn(async () => images)
    }) as unknown as ImageApi
  const log = () => ({
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: () => undefined
  })
  const given = (extra: { ifExists?: 'fail' | 'reuse'; region?: string } = {}) => ({
    ifExists: 'fail' as 'fail' | 'reuse',
    nameSource: 'given' as const,
    region: 'KR',
    log: log(),
    ...extra
  })

  it('decides to create when the name is free', async () => {
    await expect(lookFirst(api([]), REQUEST, given())).resolves.toEqual({ use: undefined })
  })

  it('shows the status name when there is one', async () => {
    const failure = await failureOf(
      lookFirst(api([record('INIT')]), REQUEST, given({ region: 'SGN' }))
    )
    expect(failure.message).toContain('status INIT (creating)')
    expect(failure.message).toContain('region SGN')
  })

  it('with if-exists fail names the image, and says how to use it by number instead', async () => {
    const taken = record('CREAT', '905')
    const failure = await failureOf(lookFirst(api([taken]), REQUEST, given()))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toBe(
      `An image named "${REQUEST.name}" already exists in region KR: number 905, status CREAT. With if-exists: fail nothing was created.`
    )
    expect(failure.nextStep).toBe(NEXT.nameTaken(taken, true))
    expect(failure.nextStep).toContain('image-instance-no: 905')
    expect(failure.nextStep).toContain('if-exists: reuse')
  })

  it.each([
    ['of this server', REQUEST.serverInstanceNo],
    ['of another server', '999'],
    ['of an unknown server', undefined]
  ])(
    'with if-exists fail and a CREFL image %s, says to delete it or choose another name, not to reuse it',
    async (_label, sourceServerNo) => {
      const failed = { ...record('CREFL', '911'), sourceServerNo }
      const failure = await failureOf(lookFirst(api([failed]), REQUEST, given()))
      expect(failure.outcome).toBe('error')
      expect(failure.message).toContain('number 911, status CREFL')
      expect(failure.message).toContain('With if-exists: fail nothing was created.')
      expect(failure.nextStep).toBe(NEXT.failedExisting)
      expect(failure.nextStep).not.toContain('if-exists: reuse')
      expect(failure.nextStep).not.toContain('image-instance-no')
    }
  )

  it('reuses a pending image made from this server, with the line that says so, and no warning', async () => {
    const ours = { ...record('INIT', '906'), sourceServerNo: REQUEST.serverInstanceNo }
    const options = given({ ifExists: 'reuse' })
    await expect(lookFirst(api([ours]), REQUEST, options)).resolves.toEqual({
      use: ours,
      provenance: 'reused'
    })
    const line = options.log.info.mock.calls[0][0]
    expect(line).toContain('number 906')
    expect(line).toContain('made from server 1234567')
    expect(line).toContain('if-exists: reuse, so no image is created and this one is used.')
    expect(options.log.warning).not.toHaveBeenCalled()
  })

  it('reuses an image that does not say which server it came from (KVM), warning that this cannot be verified', async () => {
    const options = given({ ifExists: 'reuse' })
    await expect(lookFirst(api([record('CREAT', '907')]), REQUEST, options)).resolves.toEqual({
      use: record('CREAT', '907'),
      provenance: 'reused'
    })
    expect(options.log.warning).toHaveBeenCalledTimes(1)
    const warning = options.log.warning.mock.calls[0][0]
    expect(warning).toContain('907')
    expect(warning).toContain('cannot be verified')
    expect(warning).toContain('server 1234567')
  })

  it('reuses without a warning an image whose description is this action’s provenance for this server', async () => {
    const ours = {
      ...record('CREAT', '908'),
      description: provenanceDescription({ no: REQUEST.serverInstanceNo, name: 'web-1' }, {})
    }
    const options = given({ ifExists: 'reuse' })
    await expect(lookFirst(api([ours]), REQUEST, options)).resolves.toMatchObject({
      provenance: 'reused'
    })
    expect(options.log.warning).not.toHaveBeenCalled()
    expect(options.log.info.mock.calls[0][0]).toContain('made from server 1234567')
  })

  it('warns when the look by name is incomplete, and goes on with the rows that came', async () => {
    // Loaded here, not imported above: the module's place is being restructured elsewhere.
    const { IncompleteListError } = await import('../src/ncloud/errors.js')
    const row = { memberServerImageInstanceNo: '914' }
    const incomplete = new IncompleteListError(
      'getMemberServerImageInstanceList',
      'rows seen twice',
      'api-url',
      [row]
    )
    const fromRows = jest.fn((_rows: readonly unknown[]) => [])
    const lister = {
      kind: MEMBER_IMAGE,
      findAllByName: jest.fn(async () => {
        throw incomplete
      }),
      fromRows
    } as unknown as ImageApi
    const options = given()
    await expect(lookFirst(lister, REQUEST, options)).resolves.toEqual({ use: undefined })
    expect(fromRows).toHaveBeenCalledWith([row])
    expect(options.log.warning.mock.calls[0][0]).toBe(
      `The look for images named "${REQUEST.name}" before the create is incomplete: ${incomplete.summary} An image it did not see may exist.`
    )
  })

  it('names the status name and the source server of the image that has the name', async () => {
    const taken = { ...record('INIT', '912'), sourceServerNo: REQUEST.serverInstanceNo }
    const failure = await failureOf(lookFirst(api([taken]), REQUEST, given()))
    expect(failure.message).toContain(
      `An image named "${REQUEST.name}" already exists in region KR: number 912, status INIT (creating), made from server ${REQUEST.serverInstanceNo}.`
    )
  })

  it('with if-exists reuse refuses an image whose creation failed, saying why', async () => {
    const failed = { ...record('CREFL', '913'), sourceServerNo: REQUEST.serverInstanceNo }
    const failure = await failureOf(lookFirst(api([failed]), REQUEST, given({ ifExists: 'reuse' })))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('number 913, status CREFL')
    expect(failure.message).toContain('Its creation failed, so it cannot be reused.')
  })

  it('refuses to reuse an image whose provenance names another server', async () => {
    const theirs = {
      ...record('CREAT', '909'),
      description: provenanceDescription({ no: '999', name: 'db-1' }, {})
    }
    const failure = await failureOf(lookFirst(api([theirs]), REQUEST, given({ ifExists: 'reuse' })))
    expect(failure.message).toContain('made from server 999')
    expect(failure.message).toContain('not made from server 1234567')
    expect(failure.nextStep).toBe(NEXT.otherServersImage)
  })

  it('treats a user description that mentions a server as saying nothing about the source', async () => {
    const image = { ...record('CREAT', '910'), description: 'server 999 backup' }
    const options = given({ ifExists: 'reuse' })
    await expect(lookFirst(api([image]), REQUEST, options)).resolves.toMatchObject({
      provenance: 'reused'
    })
    expect(options.log.warning.mock.calls[0][0]).toContain('cannot be verified')
  })
})

describe('lookFirst: a run-stable generated name (an earlier attempt of the workflow run)', () => {
  const api = (images: ImageRecord[]) =>
    ({
      kind: MEMBER_IMAGE,
      findAllByName: jest.fn(async () => images)
    }) as unknown as ImageApi
  const run = (ifExists: 'fail' | 'reuse' = 'fail') => ({
    ifExists,
    nameSource: 'run' as const,
    region: 'KR',
    log: {
      info: jest.fn<(line: string) => void>(),
      warning: jest.fn<(line: string) => void>(),
      debug: () => undefined
    }
  })
  const ours = (status = 'INIT', no = '950'): ImageRecord => ({
    ...record(status, no),
    sourceServerNo: REQUEST.serverInstanceNo
  })

  it.each(['fail', 'reuse'] as const)(
    'picks up this server’s image of the name again with if-exists %s, saying it is the earlier attempt',
    async ifExists => {
      const options = run(ifExists)
      await expect(lookFirst(api([ours()]), REQUEST, options)).resolves.toEqual({
        use: ours(),
        provenance: 'resumed'
      })
      expect(options.log.info.mock.calls[0][0]).toContain('950')
      expect(options.log.info.mock.calls[0][0]).toContain('earlier attempt')
      expect(options.log.warning).not.toHaveBeenCalled()
    }
  )

  it('picks up an image of the name whose source cannot be verified, warning about it', async () => {
    const options = run()
    await expect(lookFirst(api([record('INIT', '951')]), REQUEST, options)).resolves.toEqual({
      use: record('INIT', '951'),
      provenance: 'resumed'
    })
    expect(options.log.warning).toHaveBeenCalledTimes(1)
    expect(options.log.warning.mock.calls[0][0]).toContain('cannot be verified')
  })

  it('picks up a KVM image whose provenance names this server, without a warning', async () => {
    const image = {
      ...record('INIT', '952'),
      description: provenanceDescription({ no: REQUEST.serverInstanceNo, name: '' }, {})
    }
    const options = run()
    await expect(lookFirst(api([image]), REQUEST, options)).resolves.toMatchObject({
      provenance: 'resumed'
    })
    expect(options.log.warning).not.toHaveBeenCalled()
  })

  it('with if-exists fail refuses an image of the name made from another server', async () => {
    const theirs = { ...record('CREAT', '953'), sourceServerNo: '999' }
    const failure = await failureOf(lookFirst(api([theirs]), REQUEST, run('fail')))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('With if-exists: fail nothing was created.')
    expect(failure.nextStep).toBe(NEXT.nameTaken(theirs, false))
    expect(failure.nextStep).not.toContain('if-exists: reuse')
    expect(failure.nextStep).not.toContain('image-instance-no')
  })

  it('with if-exists reuse refuses an image of the name made from another server', async () => {
    const theirs = { ...record('CREAT', '954'), sourceServerNo: '999' }
    const failure = await failureOf(lookFirst(api([theirs]), REQUEST, run('reuse')))
    expect(failure.nextStep).toBe(NEXT.otherServersImage)
  })

  it('takes the newest image of the name', async () => {
    await expect(
      lookFirst(api([ours('CREAT', '955'), ours('INIT', '956')]), REQUEST, run())
    ).resolves.toMatchObject({ use: { no: '956' }, provenance: 'resumed' })
  })

  it('does not pick up an earlier attempt for a given name: if-exists applies', async () => {
    const options = { ...run('fail'), nameSource: 'given' as const }
    await failureOf(lookFirst(api([ours()]), REQUEST, options))
  })

  it('does not pick up an earlier attempt for a name generated from the time: if-exists applies', async () => {
    const options = { ...run('fail'), nameSource: 'time' as const }
    await failureOf(lookFirst(api([ours()]), REQUEST, options))
  })
})

describe('obtainImage: using what the first look found', () => {
  it.each<FirstLook & { use: ImageRecord }>([
    { use: record('INIT', '960'), provenance: 'reused' },
    { use: record('INIT', '961'), provenance: 'resumed' }
  ])('uses the $provenance image, tells of it, and creates nothing', async first => {
    const { clock, options, onImage } = setup()
    const fake = fakeApi(clock, [undefined], [record('INIT')])
    await expect(obtainImage(fake.api, REQUEST, first, options)).resolves.toEqual({
      image: first.use,
      provenance: first.provenance
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
      provenance: 'created'
    })
    expect(fake.calls).toEqual(['create@0'])
  })
})

describe('madeFrom', () => {
  it('trusts NCP’s record of the source server', () => {
    expect(madeFrom({ ...record('CREAT'), sourceServerNo: '1234567' }, REQUEST)).toBe('yes')
    expect(madeFrom({ ...record('CREAT'), sourceServerNo: '999' }, REQUEST)).toBe('no')
  })

  it('reads the action’s provenance description when NCP’s record does not say', () => {
    const from = (no: string): ImageRecord => ({
      ...record('CREAT'),
      description: provenanceDescription({ no, name: 'web-1' }, {})
    })
    expect(madeFrom(from('1234567'), REQUEST)).toBe('yes')
    expect(madeFrom(from('999'), REQUEST)).toBe('no')
  })

  it('prefers NCP’s record to the description', () => {
    const image: ImageRecord = {
      ...record('CREAT'),
      sourceServerNo: '999',
      description: provenanceDescription({ no: '1234567', name: '' }, {})
    }
    expect(madeFrom(image, REQUEST)).toBe('no')
  })

  it.each([
    ['no description', undefined],
    ['a user’s description', 'nightly build'],
    ['a user’s description naming the server', 'server 1234567']
  ])('cannot tell with %s and no source in NCP’s record', (_label, description) => {
    expect(madeFrom({ ...record('CREAT'), description }, REQUEST)).toBe('unknown')
  })

  it('does not take a server number that merely ends like this one for it', () => {
    expect(madeFrom({ ...record('CREAT'), sourceServerNo: '91234567' }, REQUEST)).toBe('no')
  })
})

describe('obtainImage: creating', () => {
  it('returns a created image and tells of it', async () => {
    const { clock, options, onImage } = setup()
    const made = record('INIT', '1001')
    const fake = fakeApi(clock, [undefined], [made])
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
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
    const result = await lookThenObtain(fake.api, REQUEST, options)
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
    expect(result).toEqual({ image: found, provenance: 'adopted' })
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
    const result = await lookThenObtain(fake.api, REQUEST, options)
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
    await expect(lookThenObtain(fake.api, REQUEST, options)).resolves.toEqual({
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
    const obtained = await lookThenObtain(fake.api, REQUEST, options)
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
      provenance: 'created'
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
      provenance: 'reused'
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
      provenance: 'adopted'
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
      provenance: 'adopted'
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
      provenance: 'adopted'
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
      provenance: 'resumed'
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

describe('createImage: the wait, then the sweep, whatever the wait did', () => {
  const SWEEP_END = 42_000

  /**
   * createImage's options from setup's, with a recording onDuplicates and sweepEndBy, and `events`
   * in the order things happened.
   */
  function setupCreate(extra: Partial<CreateOptions> = {}, afterCancelFinds: FindStep[] = []) {
    const base = setup(extra, afterCancelFinds)
    const events: string[] = []
    const onDuplicates = jest.fn((images: ImageRecord[]) => {
      events.push(`duplicates ${images.map(image => image.no).join(',') || 'none'}`)
    })
    const sweepEndBy = jest.fn(() => {
      events.push('sweepEndBy')
      return base.clock.now() + SWEEP_END
    })
    return {
      ...base,
      events,
      onDuplicates,
      sweepEndBy,
      all: { ...base.options, onDuplicates, sweepEndBy }
    }
  }

  it('passes the created image to the callback, then sweeps by name until sweepEndBy(), and returns what the callback returned', async () => {
    const { clock, all, events, onDuplicates, sweepEndBy } = setupCreate()
    const made = record('INIT', '6001')
    const twin = record('INIT', '6002')
    const fake = fakeApi(clock, [() => undefined], [made], () => [made, twin])
    const callback = jest.fn(async (obtained: Obtained) => {
      events.push(`wait ${obtained.image.no} ${obtained.provenance}`)
      clock.advance(5_000)
      return 'the ending'
    })

    await expect(createImage(fake.api, REQUEST, { use: undefined }, all, callback)).resolves.toBe(
      'the ending'
    )
    expect(events).toEqual(['wait 6001 created', 'sweepEndBy', 'duplicates 6002'])
    expect(onDuplicates).toHaveBeenCalledWith([twin])
    expect(sweepEndBy).toHaveBeenCalledTimes(1)
    // The deadline is asked for once the wait has ended, and the lookup is held to it.
    expect(fake.findAllByName.mock.calls).toEqual([['my-image', clock.now() + SWEEP_END]])
  })

  it('when the callback throws: still sweeps, hands the findings to onDuplicates, then rethrows the same error', async () => {
    const { clock, all, events, onDuplicates } = setupCreate()
    const made = record('INIT', '6011')
    const twin = record('INIT', '6012')
    const fake = fakeApi(clock, [], [made], () => [twin, made])
    const timedOut = new RunFailure('Image 6011 is still being created.', 'timed-out', 'x', made)

    const outcome = createImage(fake.api, REQUEST, { use: undefined }, all, async () => {
      events.push('wait failed')
      throw timedOut
    }).catch((error: unknown) => {
      events.push('rethrown')
      throw error
    })

    await expect(outcome).rejects.toBe(timedOut)
    expect(events).toEqual(['wait failed', 'sweepEndBy', 'duplicates 6012', 'rethrown'])
    expect(onDuplicates).toHaveBeenCalledWith([twin])
    expect(fake.findAllByName).toHaveBeenCalledTimes(1)
  })

  it('a sweep that fails does not hide the callback’s error', async () => {
    const { clock, all, warn, onDuplicates } = setupCreate()
    const made = record('INIT', '6015')
    const fake = fakeApi(clock, [new Error('HTTP 503')], [made])
    const waitFailed = new Error('the wait failed')

    await expect(
      createImage(fake.api, REQUEST, { use: undefined }, all, async () => {
        throw waitFailed
      })
    ).rejects.toBe(waitFailed)
    expect(onDuplicates).toHaveBeenCalledWith([])
    expect(warn.mock.calls.map(([line]) => line).join('\n')).toContain(
      'Could not check for other images named "my-image" (HTTP 503)'
    )
  })

  it('when the run was cancelled during the callback: sweeps with the after-cancel API, not the aborted one', async () => {
    const controller = new AbortController()
    const made = record('INIT', '6021')
    const twin = record('INIT', '6022')
    const { clock, all, afterCancel, lateLook, onDuplicates, events } = setupCreate(
      { signal: controller.signal },
      [twin]
    )
    const fake = fakeApi(clock, [], [made], () => [made])
    const cancelled = new CancelledError('SIGINT')

    await expect(
      createImage(fake.api, REQUEST, { use: undefined }, all, async () => {
        events.push('wait cancelled')
        controller.abort(cancelled)
        throw cancelled
      })
    ).rejects.toBe(cancelled)
    expect(fake.findAllByName).not.toHaveBeenCalled()
    expect(afterCancel).toHaveBeenCalledTimes(1)
    expect(lateLook.findAllByName.mock.calls).toEqual([['my-image', clock.now() + SWEEP_END]])
    expect(onDuplicates).toHaveBeenCalledWith([twin])
    expect(events).toEqual(['wait cancelled', 'sweepEndBy', 'duplicates 6022'])
  })

  it('sweeps after an adopted image too (a lost reply), with the main API while not cancelled', async () => {
    const { clock, all, afterCancel, onDuplicates } = setupCreate()
    const found = record('INIT', '6031')
    const fake = fakeApi(clock, [undefined, found], [connectionReset()])
    const seen: Obtained[] = []

    await createImage(fake.api, REQUEST, { use: undefined }, all, async obtained => {
      seen.push(obtained)
    })
    expect(seen).toEqual([{ image: found, provenance: 'adopted' }])
    expect(afterCancel).not.toHaveBeenCalled()
    expect(fake.findAllByName.mock.calls.at(-1)).toEqual(['my-image', clock.now() + SWEEP_END])
    expect(onDuplicates).toHaveBeenCalledWith([])
  })

  it.each<FirstLook & { use: ImageRecord }>([
    { use: record('CREAT', '6041'), provenance: 'reused' },
    { use: record('INIT', '6042'), provenance: 'resumed' }
  ])('does not sweep for a $provenance image, which this run did not make', async first => {
    const { clock, all, onDuplicates, sweepEndBy } = setupCreate()
    const fake = fakeApi(clock, [], [record('INIT')], () => [first.use, record('INIT', '6049')])
    const callback = jest.fn(async (_obtained: Obtained) => 'done')

    await expect(createImage(fake.api, REQUEST, first, all, callback)).resolves.toBe('done')
    expect(callback).toHaveBeenCalledWith({ image: first.use, provenance: first.provenance })
    expect(fake.findAllByName).not.toHaveBeenCalled()
    expect(onDuplicates).not.toHaveBeenCalled()
    expect(sweepEndBy).not.toHaveBeenCalled()
  })

  it('when no image is obtained: no callback and no sweep, the failure passed on', async () => {
    const { clock, all, onDuplicates } = setupCreate()
    const refusal = unauthorized()
    const fake = fakeApi(clock, [], [refusal])
    const callback = jest.fn(async () => 'never')

    await expect(createImage(fake.api, REQUEST, { use: undefined }, all, callback)).rejects.toBe(
      refusal
    )
    expect(callback).not.toHaveBeenCalled()
    expect(fake.findAllByName).not.toHaveBeenCalled()
    expect(onDuplicates).not.toHaveBeenCalled()
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
    expect(fake.findAllByName).toHaveBeenCalledTimes(1)
    expect(fake.findAllByName.mock.calls[0][0]).toBe('my-image')
  })

  it('passes its last moment on to the lookup, and none when it has none', async () => {
    const clock = new FakeClock()
    const used = record('INIT', '5008')
    const fake = fakeApi(clock, [used], [])
    await sweepForDuplicates(fake.api, used, log(), clock.now() + 30_000)
    await sweepForDuplicates(fake.api, used, log())
    expect(fake.findAllByName.mock.calls).toEqual([
      ['my-image', clock.now() + 30_000],
      ['my-image', undefined]
    ])
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
