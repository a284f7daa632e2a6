import { describe, expect, it, jest } from '@jest/globals'
import { formatDuration } from '../src/lib/duration.js'
import { MEMBER_IMAGE, imageState, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import {
  DOUBTFUL_REPEATS,
  describeStatus,
  waitForImage,
  type PollFailure,
  type WaitOptions
} from '../src/steps/wait.js'
import { FakeClock, untilSleeps } from './helpers/fake-clock.js'

class Transient extends Error {}
/** An answer that is not what a read expects, e.g. a 200 that is not NCP's JSON. */
class Doubtful extends Error {}

const image = (status: string, statusName?: string): ImageRecord => ({
  ...toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: '77',
    memberServerImageName: 'my-image',
    memberServerImageInstanceStatus: { code: status },
    memberServerImageInstanceStatusName: statusName
  }),
  raw: { memberServerImageInstanceNo: '77' }
})

const classify = (error: unknown): PollFailure =>
  error instanceof Transient ? 'transient' : error instanceof Doubtful ? 'doubtful' : 'fatal'

interface Harness {
  clock: FakeClock
  start: number
  /** Virtual time of each read, relative to the start. */
  readsAt: number[]
  info: jest.Mock<(line: string) => void>
  warn: jest.Mock<(line: string) => void>
  options: WaitOptions
}

function harness(extra: Partial<WaitOptions> = {}): Harness {
  const clock = new FakeClock()
  const info = jest.fn<(line: string) => void>()
  const warn = jest.fn<(line: string) => void>()
  return {
    clock,
    start: clock.now(),
    readsAt: [],
    info,
    warn,
    options: {
      timeoutMs: 60_000,
      intervalMs: 10_000,
      clock,
      log: { info, warning: warn, debug: () => undefined },
      stateOf: polled => imageState(MEMBER_IMAGE, polled.status),
      classify,
      ...extra
    }
  }
}

/** A reader that answers each poll from a script (a status, or an error to throw), recording when. */
function reader(
  h: Harness,
  script: (string | Error)[],
  readMs = 0
): jest.Mock<(deadline: number) => Promise<ImageRecord>> {
  let index = 0
  return jest.fn(async (_deadline: number) => {
    h.readsAt.push(h.clock.now() - h.start)
    const step = script[Math.min(index++, script.length - 1)]
    h.clock.advance(readMs)
    if (step instanceof Error) throw step
    return image(step)
  })
}

describe('describeStatus', () => {
  it('shows a known status with its name', () => {
    expect(describeStatus(image('INIT', 'creating'), 'pending')).toBe('INIT (creating)')
    expect(describeStatus(image('CREAT'), 'created')).toBe('CREAT')
  })

  it('names a status the action does not know as such', () => {
    expect(describeStatus(image('DELETING', 'deleting'), 'unknown')).toBe(
      'status DELETING (deleting), which this action does not know'
    )
  })

  it('says when there is no status code at all', () => {
    expect(describeStatus(image(''), 'unknown')).toBe(
      'status no status code, which this action does not know'
    )
  })
})

describe('waitForImage', () => {
  it('returns at once, without reading, when the first image is already created', async () => {
    const h = harness()
    const read = reader(h, ['INIT'])
    const result = await waitForImage(read, image('CREAT'), h.options)
    expect(result).toEqual({ state: 'created', image: image('CREAT') })
    expect(read).not.toHaveBeenCalled()
    expect(h.clock.sleeps).toEqual([])
  })

  it('succeeds after N polls, one every interval from the start', async () => {
    const h = harness()
    const read = reader(h, ['INIT', 'INIT', 'INIT', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('created')
    expect(result.image.status).toBe('CREAT')
    expect(read).toHaveBeenCalledTimes(4)
    expect(h.readsAt).toEqual([10_000, 20_000, 30_000, 40_000])
  })

  it('gives every read the wait’s deadline, so the read’s retries end with the wait', async () => {
    const h = harness({ timeoutMs: 60_000 })
    const read = reader(h, ['INIT', 'CREAT'])
    await waitForImage(read, image('INIT'), h.options)
    expect(read.mock.calls.map(([deadline]) => deadline)).toEqual([
      h.start + 60_000,
      h.start + 60_000
    ])
  })

  it('keeps to the schedule from the start when each read takes time', async () => {
    const h = harness()
    const read = reader(h, ['INIT', 'INIT', 'INIT', 'CREAT'], 3_000)
    await waitForImage(read, image('INIT'), h.options)
    expect(h.readsAt).toEqual([10_000, 20_000, 30_000, 40_000])
    expect(h.clock.delays).toEqual([10_000, 7_000, 7_000, 7_000])
  })

  it('skips the slots a slow read has overrun instead of polling at once', async () => {
    const h = harness()
    const read = reader(h, ['INIT', 'CREAT'], 15_000)
    await waitForImage(read, image('INIT'), h.options)
    expect(h.readsAt).toEqual([10_000, 30_000])
  })

  it('fails fast on CREFL: returns failed right when seen and reads no more', async () => {
    const h = harness()
    const read = reader(h, ['INIT', 'CREFL', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result).toEqual({ state: 'failed', image: image('CREFL') })
    expect(read).toHaveBeenCalledTimes(2)
    expect(h.clock.now() - h.start).toBe(20_000)
  })

  it('times out with the last image, read at the deadline and not after', async () => {
    const h = harness({ timeoutMs: 60_000, intervalMs: 25_000 })
    const read = jest.fn(async () => {
      h.readsAt.push(h.clock.now() - h.start)
      return image('INIT', `poll ${h.readsAt.length}`)
    })
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result).toEqual({
      state: 'timed-out',
      image: image('INIT', 'poll 3'),
      lastReadAt: h.start + 60_000,
      lastError: undefined
    })
    expect(h.readsAt).toEqual([25_000, 50_000, 60_000])
    expect(h.clock.now() - h.start).toBe(60_000)
  })

  it('returns created when the read at the deadline shows the image created', async () => {
    const h = harness({ timeoutMs: 30_000, intervalMs: 20_000 })
    const read = reader(h, ['INIT', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('created')
    expect(h.readsAt).toEqual([20_000, 30_000])
  })

  it('logs a transient read error through warn and goes on waiting', async () => {
    const h = harness()
    const read = reader(h, ['INIT', new Transient('HTTP 503'), 'INIT', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('created')
    expect(read).toHaveBeenCalledTimes(4)
    expect(h.readsAt).toEqual([10_000, 20_000, 30_000, 40_000])
    expect(h.warn).toHaveBeenCalledTimes(1)
    expect(h.warn.mock.calls[0][0]).toContain('image 77')
    expect(h.warn.mock.calls[0][0]).toContain('HTTP 503')
  })

  it('keeps the last image it read when a transient error comes at the deadline', async () => {
    const h = harness({ timeoutMs: 20_000, intervalMs: 10_000 })
    const read = jest.fn(async () => {
      h.readsAt.push(h.clock.now() - h.start)
      if (h.readsAt.length === 2) throw new Transient('blip')
      return image('INIT', 'creating')
    })
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('timed-out')
    expect(result).toMatchObject({
      image: image('INIT', 'creating'),
      lastReadAt: h.start + 10_000
    })
    expect(result.state === 'timed-out' && result.lastError).toBeInstanceOf(Transient)
    expect(h.readsAt).toEqual([10_000, 20_000])
  })

  it('says when a timed-out wait last read the image: at the start when no poll succeeded', async () => {
    const h = harness({ timeoutMs: 30_000, intervalMs: 10_000 })
    const blip = new Transient('HTTP 503')
    const read = reader(h, [blip])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result).toEqual({
      state: 'timed-out',
      image: image('INIT'),
      lastReadAt: h.start,
      lastError: blip
    })
    expect(read).toHaveBeenCalledTimes(3)
  })

  it('forgets the last error once a later poll succeeds', async () => {
    const h = harness({ timeoutMs: 30_000, intervalMs: 10_000 })
    const read = reader(h, ['INIT', new Transient('blip'), 'INIT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result).toEqual({
      state: 'timed-out',
      image: image('INIT'),
      lastReadAt: h.start + 30_000,
      lastError: undefined
    })
  })

  it('goes on after a doubtful answer, and ends the wait when DOUBTFUL_REPEATS of them come in a row', async () => {
    const h = harness({ timeoutMs: 600_000 })
    const doubts = [
      new Doubtful('not NCP JSON 1'),
      new Doubtful('not NCP JSON 2'),
      new Doubtful('not NCP JSON 3')
    ]
    const read = reader(h, ['INIT', ...doubts, 'CREAT'])
    await expect(waitForImage(read, image('INIT'), h.options)).rejects.toBe(doubts[2])
    expect(read).toHaveBeenCalledTimes(1 + DOUBTFUL_REPEATS)
    expect(h.warn.mock.calls.map(([line]) => line)).toEqual([
      `Could not read image 77 this time (1 of ${DOUBTFUL_REPEATS} such answers): not NCP JSON 1 Still waiting.`,
      `Could not read image 77 this time (2 of ${DOUBTFUL_REPEATS} such answers): not NCP JSON 2 Still waiting.`
    ])
  })

  it('counts only doubtful answers in a row: a good read starts the count again', async () => {
    const h = harness({ timeoutMs: 600_000 })
    const read = reader(h, [
      new Doubtful('a'),
      new Doubtful('b'),
      'INIT',
      new Doubtful('c'),
      new Doubtful('d'),
      'CREAT'
    ])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('created')
    expect(read).toHaveBeenCalledTimes(6)
  })

  it('does not count transient failures between doubtful answers as a good read', async () => {
    const h = harness({ timeoutMs: 600_000 })
    const last = new Doubtful('c')
    const read = reader(h, [
      new Doubtful('a'),
      new Doubtful('b'),
      new Transient('503'),
      last,
      'CREAT'
    ])
    await expect(waitForImage(read, image('INIT'), h.options)).rejects.toBe(last)
    expect(read).toHaveBeenCalledTimes(4)
  })

  it('ends the wait at once when the image is going away, warning of nothing', async () => {
    const h = harness()
    const read = reader(h, ['INIT', 'DELETING', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result).toEqual({ state: 'going-away', image: image('DELETING') })
    expect(read).toHaveBeenCalledTimes(2)
    expect(h.clock.now() - h.start).toBe(20_000)
    expect(h.warn).not.toHaveBeenCalled()
  })

  it('warns once of a status it does not know, naming it, and goes on waiting', async () => {
    const h = harness()
    const read = reader(h, ['BUSY', 'BUSY', 'INIT', 'CREAT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('created')
    expect(read).toHaveBeenCalledTimes(4)
    expect(h.warn).toHaveBeenCalledTimes(1)
    expect(h.warn.mock.calls[0][0]).toBe(
      'Image 77 reports status BUSY, which this action does not know; the action goes on waiting for CREAT or CREFL.'
    )
  })

  it('warns of an image that starts with no status code, and times out on it', async () => {
    const h = harness({ timeoutMs: 20_000 })
    const read = reader(h, [''])
    const result = await waitForImage(read, image(''), h.options)
    expect(result.state).toBe('timed-out')
    expect(h.warn).toHaveBeenCalledTimes(1)
    expect(h.warn.mock.calls[0][0]).toContain(
      'status no status code, which this action does not know'
    )
  })

  it('throws an error that is not transient, reading no more', async () => {
    const h = harness()
    const fatal = new Error('deleted')
    const read = reader(h, ['INIT', fatal, 'CREAT'])
    await expect(waitForImage(read, image('INIT'), h.options)).rejects.toBe(fatal)
    expect(read).toHaveBeenCalledTimes(2)
    expect(h.warn).not.toHaveBeenCalled()
  })

  it('throws the abort reason promptly when the signal aborts during the sleep', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    h.clock.hold = true
    const read = reader(h, ['CREAT'])
    const reason = new Error('cancelled')
    const outcome = waitForImage(read, image('INIT'), h.options)
    await untilSleeps(h.clock, 1)
    controller.abort(reason)
    await expect(outcome).rejects.toBe(reason)
    expect(read).not.toHaveBeenCalled()
    expect(h.clock.now()).toBe(h.start)
  })

  it('throws the abort reason when a later sleep is interrupted', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    const reason = new Error('cancelled')
    h.clock.onSleep = (_record, index) => {
      if (index === 2) controller.abort(reason)
    }
    const read = reader(h, ['INIT'])
    await expect(waitForImage(read, image('INIT'), h.options)).rejects.toBe(reason)
    expect(read).toHaveBeenCalledTimes(2)
  })

  it('throws the abort reason, not the read error, when a read fails because of an abort', async () => {
    const controller = new AbortController()
    const h = harness({ signal: controller.signal })
    const reason = new Error('cancelled')
    const read = jest.fn(async (): Promise<ImageRecord> => {
      controller.abort(reason)
      throw new Transient('aborted read')
    })
    await expect(waitForImage(read, image('INIT'), h.options)).rejects.toBe(reason)
    expect(h.warn).not.toHaveBeenCalled()
  })

  it('logs the start and each change of status, with elapsed and left times', async () => {
    const h = harness({ timeoutMs: 600_000, intervalMs: 10_000 })
    const read = reader(h, ['INIT', 'INIT', 'CREAT'])
    await waitForImage(read, image('INIT', 'creating'), h.options)
    const lines = h.info.mock.calls.map(([line]) => line)
    expect(lines).toEqual([
      'Image 77 (my-image): INIT (creating), 0ms elapsed, 10m00s left.',
      'Image 77 (my-image): CREAT, 30s elapsed, 9m30s left.'
    ])
  })

  it('logs the final CREFL status', async () => {
    const h = harness()
    await waitForImage(reader(h, ['CREFL']), image('INIT'), h.options)
    expect(h.info.mock.calls.at(-1)?.[0]).toContain('CREFL')
  })

  it('writes a heartbeat at least once a minute in a 10-minute wait with 10 s polls', async () => {
    const h = harness({ timeoutMs: 600_000, intervalMs: 10_000 })
    const lineTimes: number[] = []
    h.info.mockImplementation(() => {
      lineTimes.push(h.clock.now() - h.start)
    })
    const read = reader(h, ['INIT'])
    const result = await waitForImage(read, image('INIT'), h.options)
    expect(result.state).toBe('timed-out')
    expect(read).toHaveBeenCalledTimes(60)
    expect(lineTimes[0]).toBe(0)
    const gaps = [...lineTimes, 600_000].slice(1).map((at, index) => at - lineTimes[index])
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(60_000)
    // Not a line per poll: the heartbeat is about once a minute.
    expect(lineTimes.length).toBeLessThanOrEqual(12)
    h.info.mock.calls.forEach(([line], index) => {
      const at = lineTimes[index]
      expect(line).toContain(`${formatDuration(at)} elapsed`)
      expect(line).toContain(`${formatDuration(600_000 - at)} left`)
    })
  })

  it('writes a heartbeat at least once a minute even when polls are minutes apart', async () => {
    const h = harness({ timeoutMs: 600_000, intervalMs: 300_000 })
    const lineTimes: number[] = []
    h.info.mockImplementation(() => {
      lineTimes.push(h.clock.now() - h.start)
    })
    const read = reader(h, ['INIT'])
    await waitForImage(read, image('INIT'), h.options)
    expect(h.readsAt).toEqual([300_000, 600_000])
    const gaps = lineTimes.slice(1).map((at, index) => at - lineTimes[index])
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000)
    expect(lineTimes[lineTimes.length - 1]).toBe(600_000)
  })

  it('honours a shorter heartbeatMs', async () => {
    const h = harness({ timeoutMs: 60_000, intervalMs: 5_000, heartbeatMs: 15_000 })
    const lineTimes: number[] = []
    h.info.mockImplementation(() => {
      lineTimes.push(h.clock.now() - h.start)
    })
    await waitForImage(reader(h, ['INIT']), image('INIT'), h.options)
    expect(lineTimes).toEqual([0, 15_000, 30_000, 45_000, 60_000])
  })
})
