import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import type { Obtained } from '../src/steps/uncertain-create.js'
import { RunFailure } from '../src/model/failure.js'
import { finish, type FinishOptions } from '../src/steps/image-wait.js'
import type { Settings } from '../src/model/settings.js'
import { MEMBER_IMAGE, type ImageApi, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { NEXT } from '../src/model/next-steps.js'
import { FakeClock, untilSleeps } from './helpers/fake-clock.js'

// How the image's last status ends the run: the wording of each ending is owned here.
const record = (status: string, statusName?: string): ImageRecord => ({
  ...toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: '555',
    memberServerImageName: 'my-image',
    memberServerImageInstanceStatus: { code: status },
    memberServerImageInstanceStatusName: statusName
  }),
  raw: { memberServerImageInstanceNo: '555' }
})

const SETTINGS = {
  wait: true,
  waitTimeoutMs: 60_000,
  pollIntervalMs: 10_000,
  nameSource: 'given'
} as Settings

/** Runs finish() over polls that answer from a script, on a fake clock. */
async function finishWith(
  first: ImageRecord,
  polls: (ImageRecord | Error)[],
  settings: Partial<Settings> = {},
  signal = new AbortController().signal,
  clock = new FakeClock()
): Promise<{ failure?: RunFailure; polled: number; info: string[]; ending?: unknown }> {
  let polled = 0
  const api = {
    kind: MEMBER_IMAGE,
    get: jest.fn(async () => {
      const step = polls[Math.min(polled++, polls.length - 1)]
      if (step instanceof Error) throw step
      return step
    })
  } as unknown as ImageApi
  const info: string[] = []
  const options: FinishOptions = {
    ...SETTINGS,
    ...settings,
    advice: settings.nameSource ?? SETTINGS.nameSource,
    log: {
      info: (line: string) => info.push(line),
      warning: () => undefined,
      debug: () => undefined
    },
    clock,
    signal,
    onImage: () => undefined
  }
  const obtained: Obtained = { image: first, origin: 'created' } as Obtained
  try {
    const ending = await finish(api, obtained, options)
    return { polled, info, ending }
  } catch (error) {
    if (!(error instanceof RunFailure)) throw error
    return { failure: error, polled, info }
  }
}

describe('an image that NCP could not create', () => {
  it('ends the wait at the poll that reads CREFL, naming the image and the status, with the advice to delete it', async () => {
    const run = await finishWith(record('INIT', 'creating'), [
      record('CREFL', 'create failed'),
      record('CREAT', 'created')
    ])
    expect(run.polled).toBe(1)
    expect(run.failure?.outcome).toBe('failed')
    expect(run.failure?.message).toBe(
      'NCP could not create image 555 ("my-image"): status CREFL (create failed).'
    )
    expect(run.failure?.nextStep).toBe(NEXT.deleteFailed)
    expect(run.failure?.image?.status).toBe('CREFL')
  })
})

describe('a poll that fails for good', () => {
  it("stops the wait, naming the image and the error, with the error's hint and the way back to the image", async () => {
    const denied = new NcloudError({
      action: 'getMemberServerImageInstanceDetail',
      source: 'gateway',
      httpStatus: 401,
      code: '210',
      ncpMessage: 'Permission Denied',
      transient: false,
      reached: 'no',
      gatewaySetting: 'api-url'
    })
    const run = await finishWith(record('INIT', 'creating'), [denied], { nameSource: 'time' })
    expect(run.polled).toBe(1)
    expect(run.failure?.outcome).toBe('wait-failed')
    expect(run.failure?.message).toBe(
      'Stopped waiting for image 555 ("my-image"): getMemberServerImageInstanceDetail failed: HTTP 401, NCP gateway error 210, "Permission Denied".'
    )
    expect(run.failure?.nextStep).toBe(
      `${denied.hint} ${NEXT.lookInConsole(record('INIT'), 'time')}`
    )
    expect(run.failure?.image?.no).toBe('555')
  })
})

describe('an image that is going away', () => {
  it('ends the wait at the poll that sees it, as a failure that says so', async () => {
    const run = await finishWith(record('INIT', 'creating'), [
      record('DELETING', 'deleting'),
      record('CREAT', 'created')
    ])
    expect(run.polled).toBe(1)
    expect(run.failure?.outcome).toBe('gone')
    expect(run.failure?.message).toBe(
      'NCP reports image 555 ("my-image") in status DELETING (deleting): it is being deleted or is gone, so it will never be created.'
    )
    expect(run.failure?.nextStep).toBe(NEXT.imageGone(record('DELETING')))
    expect(run.failure?.image?.status).toBe('DELETING')
    expect(run.failure?.message).not.toContain('goes on creating')
  })

  it.each([
    ['TERMT', undefined, 'TERMT'],
    ['INIT', 'terminating', 'INIT (terminating)'],
    ['CREAT', 'terminated', 'CREAT (terminated)']
  ])('%s with status name %s is going away', async (status, statusName, shown) => {
    const run = await finishWith(record('INIT', 'creating'), [record(status, statusName)])
    expect(run.failure?.outcome).toBe('gone')
    expect(run.failure?.message).toContain(`in status ${shown}: it is being deleted or is gone`)
  })

  it('fails without a poll when the first answer says so, wait or not', async () => {
    for (const wait of [true, false]) {
      const run = await finishWith(record('TERMT', 'terminated'), [record('CREAT')], { wait })
      expect(run.polled).toBe(0)
      expect(run.failure?.outcome).toBe('gone')
    }
  })
})

describe('an image in a status the action does not know', () => {
  it('times out naming the status as unknown, never claiming NCP goes on creating it', async () => {
    const run = await finishWith(record('INIT', 'creating'), [record('REPAIR', 'repairing')], {
      waitTimeoutMs: 30_000
    })
    expect(run.failure?.outcome).toBe('timed-out')
    expect(run.failure?.message).toBe(
      'Image 555 ("my-image") is in status REPAIR (repairing), which this action does not know, after waiting 30s; whether NCP is still creating it is not known.'
    )
  })

  it('still says NCP goes on creating an image that is INIT at the timeout', async () => {
    const run = await finishWith(record('INIT', 'creating'), [record('INIT', 'creating')], {
      waitTimeoutMs: 30_000
    })
    expect(run.failure?.message).toBe(
      'Image 555 ("my-image") is still being created (status INIT) after waiting 30s; NCP goes on creating it.'
    )
    expect(run.failure?.nextStep).toBe(NEXT.raiseTimeout(record('INIT'), 30_000, 'given'))
  })

  it('a cancel names the status last read instead of claiming NCP is still creating it', async () => {
    const controller = new AbortController()
    const clock = new FakeClock()
    // The first poll reads REPAIR; the cancel comes during the sleep before the second.
    clock.onSleep = (_sleep, index) => {
      if (index === 0) clock.hold = true
    }
    const polls = [record('REPAIR', 'repairing'), new Error('never read')]
    const running = finishWith(record('INIT', 'creating'), polls, {}, controller.signal, clock)
    await untilSleeps(clock, 2)
    controller.abort(new CancelledError('SIGINT'))
    const run = await running
    expect(run.polled).toBe(1)
    expect(run.failure?.outcome).toBe('cancelled')
    expect(run.failure?.message).toBe(
      'Cancelled (SIGINT). Stopped waiting for image 555 ("my-image"), last read in status REPAIR (repairing), which this action does not know.'
    )
  })
})

describe('a wait whose polls stop reading the image', () => {
  it('times out saying what was last read and when, not a status no poll saw', async () => {
    const unanswered = new NcloudError({
      action: 'getMemberServerImageInstanceDetail',
      source: 'network',
      code: 'ETIMEDOUT',
      details: 'no complete answer within 300 ms',
      transient: true,
      reached: 'maybe',
      gatewaySetting: 'api-url'
    })
    const run = await finishWith(record('INIT', 'creating'), [unanswered], {
      waitTimeoutMs: 30_000
    })
    expect(run.failure?.outcome).toBe('timed-out')
    expect(run.failure?.message).toBe(
      'Image 555 ("my-image") was still being created (status INIT) when last read, 30s before the wait ended (by the answer that found or created it); no poll since could read it (last: getMemberServerImageInstanceDetail failed: no answer (ETIMEDOUT: no complete answer within 300 ms)). The action stopped waiting after 30s; NCP goes on creating it.'
    )
    expect(run.failure?.nextStep).toContain('image-instance-no: 555')
  })
})
