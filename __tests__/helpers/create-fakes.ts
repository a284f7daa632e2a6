import { expect, jest } from '@jest/globals'
import { obtainImage, type CreateOptions, type Obtained } from '../../src/steps/uncertain-create.js'
import { lookFirst } from '../../src/steps/name-lookup.js'
import { RunFailure } from '../../src/model/failure.js'
import { NcloudError, answerError, networkError } from '../../src/ncloud/errors.js'
import {
  MEMBER_IMAGE,
  type CreateRequest,
  type ImageApi,
  type ImageRecord
} from '../../src/ncloud/images.js'
import { toImageRecord } from '../../src/ncloud/image-record.js'
import { parseAnswer } from '../../src/ncloud/response.js'
import { TransportError, type HttpAnswer } from '../../src/ncloud/transport.js'
import type { RetryPolicy } from '../../src/lib/retry.js'
import { FakeClock } from './fake-clock.js'

// Fakes shared by the name lookup's and the uncertain create's unit tests: NCP's answers read
// through the real parsing, and an ImageApi that answers lookups and creates from scripts.

export const CREATE = MEMBER_IMAGE.actions.create
export const REQUEST: CreateRequest = {
  serverInstanceNo: '1234567',
  name: 'my-image',
  description: 'nightly'
}
export const RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000
}
export const CONFIRM_DELAYS = [1_000, 2_000, 4_000]

/** A member image of the request's name, as NCP's record reads (no source server unless added). */
export const record = (status: string, no = '555'): ImageRecord => ({
  ...toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: no,
    memberServerImageName: REQUEST.name,
    memberServerImageInstanceStatus: { code: status },
    ...(status === 'INIT' ? { memberServerImageInstanceStatusName: 'creating' } : {})
  }),
  raw: { memberServerImageInstanceNo: no }
})

// NCP answers, read through the real parsing and classification.
export function answered(
  status: number,
  body: unknown,
  headers: HttpAnswer['headers'] = {}
): NcloudError {
  const { facts, answer } = parseAnswer(CREATE, { status, headers, body: JSON.stringify(body) }, 0)
  if (answer.shape === 'success') throw new Error('expected an error answer')
  return answerError(CREATE, facts, answer, 'api-url')
}
export const throttled = (): NcloudError =>
  answered(429, { error: { errorCode: '410', message: 'Throttle Limited', details: '' } })
export const retryLater = (): NcloudError =>
  answered(500, {
    responseError: { returnCode: '1000', returnMessage: 'Please try your call again later.' }
  })
export const nameInUse = (): NcloudError =>
  answered(400, {
    responseError: { returnCode: '10999', returnMessage: 'The image name is already in use.' }
  })
export const unauthorized = (): NcloudError =>
  answered(401, { error: { errorCode: '200', message: 'Authentication Failed', details: '' } })
export const connectionReset = (): NcloudError =>
  networkError(CREATE, new TransportError('socket hang up', 'ECONNRESET', true), 'api-url')

/** One answer of a scripted lookup: the image found (or none), an error, or something to run. */
export type FindStep = ImageRecord | undefined | Error | (() => ImageRecord | undefined)

export interface Fake {
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
export function fakeApi(
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

export function setup(
  extra: Partial<CreateOptions> = {},
  afterCancelFinds: FindStep[] = [undefined]
) {
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

export async function failureOf(promise: Promise<unknown>): Promise<RunFailure> {
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RunFailure)
  return error as RunFailure
}

/** What a run does: the first look by name, then the create (or the use of what the look found). */
export async function lookThenObtain(
  api: ImageApi,
  request: CreateRequest,
  options: CreateOptions
): Promise<Obtained> {
  const first = await lookFirst(api, request, options)
  return obtainImage(api, request, first, options)
}
