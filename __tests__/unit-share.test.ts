import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { RunFailure } from '../src/model/failure.js'
import { NcloudError } from '../src/ncloud/errors.js'
import type { ImageApi, ImageRecord } from '../src/ncloud/images.js'
import { NEXT } from '../src/model/next-steps.js'
import { shareImage } from '../src/steps/share.js'

const IMAGE: ImageRecord = {
  no: '555',
  name: 'nightly-1',
  status: 'CREAT',
  sourceServerNo: '1234567',
  sharedWith: [],
  raw: { memberServerImageInstanceNo: '555' }
}
const IDS = ['team@example.com', 'ops']

/** A fake ImageApi: share answers with `shared` (an Error is thrown), get with `after`. */
function fakeApi(shared: Error | undefined, after: ImageRecord | Error) {
  const share = jest.fn(async (_no: string, _ids: readonly string[]): Promise<void> => {
    if (shared) throw shared
  })
  const get = jest.fn(async (_no: string): Promise<ImageRecord> => {
    if (after instanceof Error) throw after
    return after
  })
  return { api: { share, get } as unknown as ImageApi, share, get }
}

function log() {
  return {
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>()
  }
}

const refusal = new NcloudError({
  action: 'addMemberServerImageSharingPermission',
  source: 'service',
  httpStatus: 400,
  code: '10700',
  ncpMessage: 'Invalid login id.',
  transient: false,
  reached: 'yes',
  gatewaySetting: 'site'
})

describe('shareImage', () => {
  it('shares with every ID and returns the record NCP reports afterwards', async () => {
    const after = { ...IMAGE, sharedWith: ['ops', 'team@example.com'], raw: { fresh: true } }
    const { api, share, get } = fakeApi(undefined, after)
    const logged = log()
    await expect(shareImage(api, IMAGE, IDS, logged)).resolves.toBe(after)
    expect(share.mock.calls).toEqual([['555', IDS]])
    expect(get.mock.calls[0][0]).toBe('555')
    expect(logged.warning).not.toHaveBeenCalled()
    expect(logged.info.mock.calls[0][0]).toBe(
      'Shared image 555 ("nightly-1") with team@example.com, ops; NCP lists: ops, team@example.com.'
    )
  })

  it('re-reads the image only after the share', async () => {
    const order: string[] = []
    const { api, share, get } = fakeApi(undefined, { ...IMAGE, sharedWith: IDS })
    share.mockImplementation(async () => void order.push('share'))
    get.mockImplementation(async () => {
      order.push('get')
      return { ...IMAGE, sharedWith: IDS }
    })
    await shareImage(api, IMAGE, IDS, log())
    expect(order).toEqual(['share', 'get'])
  })

  it('warns, naming it, when NCP does not list an ID afterwards, and still succeeds', async () => {
    const after = { ...IMAGE, sharedWith: ['team@example.com'] }
    const { api } = fakeApi(undefined, after)
    const logged = log()
    await expect(shareImage(api, IMAGE, IDS, logged)).resolves.toBe(after)
    expect(logged.warning).toHaveBeenCalledTimes(1)
    const warning = logged.warning.mock.calls[0][0]
    expect(warning).toContain('NCP accepted sharing image 555 ("nightly-1") with ops')
    expect(warning).not.toContain('with team@example.com')
    expect(warning).toContain('does not list it')
  })

  it('names every ID NCP does not list', async () => {
    const { api } = fakeApi(undefined, { ...IMAGE, sharedWith: [] })
    const logged = log()
    await shareImage(api, IMAGE, IDS, logged)
    expect(logged.warning.mock.calls[0][0]).toContain('with team@example.com, ops')
    expect(logged.warning.mock.calls[0][0]).toContain('does not list them')
    expect(logged.info.mock.calls[0][0]).toContain('NCP lists: none.')
  })

  it('fails with share-failed, keeping the image and a next step that shares only', async () => {
    const { api, get } = fakeApi(refusal, IMAGE)
    const caught = await shareImage(api, IMAGE, IDS, log()).catch((e: unknown) => e)
    expect(caught).toBeInstanceOf(RunFailure)
    const failure = caught as RunFailure
    expect(failure.outcome).toBe('share-failed')
    expect(failure.image).toBe(IMAGE)
    expect(failure.message).toBe(
      `Image 555 ("nightly-1") is created, but sharing it with team@example.com, ops failed: ${refusal.summary}`
    )
    expect(failure.message).toContain('Invalid login id.')
    expect(failure.nextStep).toBe(NEXT.shareAgain(IMAGE, IDS))
    expect(failure.nextStep).toContain('image-instance-no: 555')
    expect(failure.nextStep).toContain('share-with: team@example.com,ops')
    expect(get).not.toHaveBeenCalled()
  })

  it('when the share succeeds but reading the image back fails: warns, and returns the image with the IDs added', async () => {
    const readFailure = new Error('HTTP 503 on the detail read')
    const before = { ...IMAGE, sharedWith: ['ops', 'old-team'] }
    const { api, share, get } = fakeApi(undefined, readFailure)
    const logged = log()
    const shared = await shareImage(api, before, IDS, logged)

    expect(shared).toEqual({ ...before, sharedWith: ['ops', 'old-team', 'team@example.com'] })
    expect(before.sharedWith).toEqual(['ops', 'old-team'])
    expect(share).toHaveBeenCalledTimes(1)
    expect(get).toHaveBeenCalledTimes(1)
    expect(logged.warning).toHaveBeenCalledTimes(1)
    expect(logged.warning.mock.calls[0][0]).toBe(
      'Shared image 555 ("nightly-1") with team@example.com, ops, but could not read back whom NCP lists: HTTP 503 on the detail read'
    )
  })

  it('a failed read-back is no share failure: it resolves, it does not throw share-failed', async () => {
    const { api } = fakeApi(undefined, new Error('socket hang up'))
    await expect(shareImage(api, IMAGE, IDS, log())).resolves.toMatchObject({
      no: '555',
      status: 'CREAT',
      sharedWith: IDS
    })
  })

  it('a cancel while sharing is passed on as the cancel, not as a share failure', async () => {
    const controller = new AbortController()
    const reason = new CancelledError('SIGINT')
    const { api, share, get } = fakeApi(undefined, IMAGE)
    share.mockImplementation(async () => {
      controller.abort(reason)
      throw new Error('request abandoned')
    })
    await expect(shareImage(api, IMAGE, IDS, log(), controller.signal)).rejects.toBe(reason)
    expect(get).not.toHaveBeenCalled()
  })

  it('a cancel while reading the image back is passed on as the cancel, with no warning', async () => {
    const controller = new AbortController()
    const reason = new CancelledError('SIGTERM')
    const { api, get } = fakeApi(undefined, IMAGE)
    get.mockImplementation(async () => {
      controller.abort(reason)
      throw new Error('request abandoned')
    })
    const logged = log()
    await expect(shareImage(api, IMAGE, IDS, logged, controller.signal)).rejects.toBe(reason)
    expect(logged.warning).not.toHaveBeenCalled()
  })

  it('with a signal that is not aborted, a refused share is still share-failed', async () => {
    const { api } = fakeApi(refusal, IMAGE)
    const caught = await shareImage(api, IMAGE, IDS, log(), new AbortController().signal).catch(
      (e: unknown) => e
    )
    expect(caught).toBeInstanceOf(RunFailure)
    expect((caught as RunFailure).outcome).toBe('share-failed')
  })
})
