import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { obtainImage, type CreateOptions, type Obtained } from '../src/steps/uncertain-create.js'
import { sweepAfterWait, sweepForDuplicates } from '../src/steps/name-lookup.js'
import { lookFirst, type FirstLook } from '../src/steps/name-lookup.js'
import { IncompleteListError } from '../src/ncloud/incomplete-list.js'
import { madeFrom } from '../src/model/source-server.js'
import { RunFailure } from '../src/model/failure.js'
import {
  MEMBER_IMAGE,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../src/ncloud/images.js'
import { NEXT } from '../src/model/next-steps.js'
import { provenanceDescription } from '../src/model/provenance.js'
import { FakeClock } from './helpers/fake-clock.js'
import {
  REQUEST,
  record,
  unauthorized,
  connectionReset,
  type FindStep,
  fakeApi,
  setup,
  failureOf
} from './helpers/create-fakes.js'

// The first look by name (if-exists, earlier attempts), where an image came from, and the sweep for
// other images of the name after the wait.

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
      origin: 'reused'
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
      origin: 'reused'
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
      origin: 'reused'
    })
    expect(options.log.warning).not.toHaveBeenCalled()
    expect(options.log.info.mock.calls[0][0]).toContain('made from server 1234567')
  })

  it('warns when the look by name is incomplete, and goes on with the rows that came', async () => {
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
      origin: 'reused'
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
        origin: 'resumed'
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
      origin: 'resumed'
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
      origin: 'resumed'
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
    ).resolves.toMatchObject({ use: { no: '956' }, origin: 'resumed' })
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

describe('obtain, wait, sweep: the sweep after the wait (sweepAfterWait), whatever the wait did', () => {
  const SWEEP_END = 42_000

  /**
   * The run's sequence (steps/run.ts): obtainImage, the wait, then sweepAfterWait whatever the
   * wait did; what the sweep finds goes to `onDuplicates` before a failure of the wait is passed on.
   */
  async function obtainWaitSweep<T>(
    api: ImageApi,
    request: CreateRequest,
    first: FirstLook,
    options: CreateOptions & { sweepEndBy(): number; onDuplicates(images: ImageRecord[]): void },
    wait: (obtained: Obtained) => Promise<T>
  ): Promise<T> {
    const obtained = await obtainImage(api, request, first, options)
    const waited = await wait(obtained).then(
      value => ({ value }),
      (failure: unknown) => ({ failure })
    )
    const swept = await sweepAfterWait(api, obtained, {
      log: options.log,
      signal: options.signal,
      afterCancel: options.afterCancel,
      endBy: options.sweepEndBy
    })
    if (swept) options.onDuplicates(swept)
    if ('failure' in waited) throw waited.failure
    return waited.value
  }

  /**
   * The sequence's options from setup's, with a recording onDuplicates and sweepEndBy, and
   * `events` in the order things happened.
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
      events.push(`wait ${obtained.image.no} ${obtained.origin}`)
      clock.advance(5_000)
      return 'the ending'
    })

    await expect(
      obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, callback)
    ).resolves.toBe('the ending')
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

    const outcome = obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, async () => {
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
      obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, async () => {
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
      obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, async () => {
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

    await obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, async obtained => {
      seen.push(obtained)
    })
    expect(seen).toEqual([{ image: found, origin: 'adopted' }])
    expect(afterCancel).not.toHaveBeenCalled()
    expect(fake.findAllByName.mock.calls.at(-1)).toEqual(['my-image', clock.now() + SWEEP_END])
    expect(onDuplicates).toHaveBeenCalledWith([])
  })

  it.each<FirstLook & { use: ImageRecord }>([
    { use: record('CREAT', '6041'), origin: 'reused' },
    { use: record('INIT', '6042'), origin: 'resumed' }
  ])('does not sweep for a $provenance image, which this run did not make', async first => {
    const { clock, all, onDuplicates, sweepEndBy } = setupCreate()
    const fake = fakeApi(clock, [], [record('INIT')], () => [first.use, record('INIT', '6049')])
    const callback = jest.fn(async (_obtained: Obtained) => 'done')

    await expect(obtainWaitSweep(fake.api, REQUEST, first, all, callback)).resolves.toBe('done')
    expect(callback).toHaveBeenCalledWith({ image: first.use, origin: first.origin })
    expect(fake.findAllByName).not.toHaveBeenCalled()
    expect(onDuplicates).not.toHaveBeenCalled()
    expect(sweepEndBy).not.toHaveBeenCalled()
  })

  it('when no image is obtained: no callback and no sweep, the failure passed on', async () => {
    const { clock, all, onDuplicates } = setupCreate()
    const refusal = unauthorized()
    const fake = fakeApi(clock, [], [refusal])
    const callback = jest.fn(async () => 'never')

    await expect(
      obtainWaitSweep(fake.api, REQUEST, { use: undefined }, all, callback)
    ).rejects.toBe(refusal)
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
