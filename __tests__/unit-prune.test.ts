import { describe, expect, it, jest } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { NcloudError } from '../src/ncloud/errors.js'
import {
  MEMBER_IMAGE,
  SERVER_IMAGE,
  type ImageApi,
  type ImageRecord
} from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import {
  describePrune,
  matchesPattern,
  planFromReads,
  planPrune,
  type PruneRule
} from '../src/model/prune-plan.js'
import type { PrunePlan } from '../src/model/pruning.js'
import { prune, readAndPlan } from '../src/steps/prune.js'
import { JournalRecorder } from '../src/model/journal.js'
import { UnconfirmedDeleteError } from '../src/ncloud/unconfirmed-delete.js'

const SERVER = '1234567'
const DAY = 24 * 60 * 60_000
const START = Date.UTC(2026, 0, 1)

/** A created member image of this server, named nightly-<no>, made on day <day>. */
function image(no: string, extra: Partial<ImageRecord> = {}, day = Number(no)): ImageRecord {
  return {
    no,
    name: `nightly-${no}`,
    status: 'CREAT',
    sourceServerNo: SERVER,
    createdAt: START + day * DAY,
    sharedWith: [],
    raw: {},
    ...extra
  }
}

const rule = (extra: Partial<PruneRule> = {}): PruneRule => ({
  keepLast: 3,
  pattern: 'nightly-*',
  serverInstanceNo: SERVER,
  shareWith: [],
  ...extra
})

const numbers = (images: readonly ImageRecord[]): string[] => images.map(one => one.no)
const left = (plan: PrunePlan): Record<string, string> =>
  Object.fromEntries(plan.leave.map(({ image: one, why }) => [one.no, why]))

function log() {
  return {
    info: jest.fn<(line: string) => void>(),
    warning: jest.fn<(line: string) => void>(),
    debug: jest.fn<(line: string) => void>()
  }
}

describe('matchesPattern', () => {
  it.each([
    ['nightly-*', 'nightly-20260101', true],
    ['nightly-*', 'nightly-', true],
    ['nightly-*', 'nightly', false],
    ['*-web', 'blue-web', true],
    ['*-web', 'blue-web-2', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'a-1-b-2-c', true],
    ['a*b*c', 'a-1-c-2-b', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['**', 'x', true]
  ])('%j against %j: %s (a * stands for any characters, none included)', (pattern, name, want) => {
    expect(matchesPattern(name, pattern)).toBe(want)
  })

  it.each([
    ['nightly-*', 'my-nightly-1'],
    ['nightly-*', 'old-nightly-1'],
    ['web', 'web1'],
    ['web', 'xweb'],
    ['web', 'WEB']
  ])('%j matches the whole name, so not %j', (pattern, name) => {
    expect(matchesPattern(name, pattern)).toBe(false)
  })

  it('a pattern without * matches only that exact name', () => {
    expect(matchesPattern('web', 'web')).toBe(true)
  })

  it.each([
    ['v1.0-*', 'v1.0-x', 'v1x0-x'],
    ['a+b', 'a+b', 'aab'],
    ['a?b', 'a?b', 'b'],
    ['(x)', '(x)', 'x'],
    ['[ab]-*', '[ab]-1', 'a-1'],
    ['a|b', 'a|b', 'a'],
    ['^a$', '^a$', 'a'],
    ['x{2}', 'x{2}', 'xx'],
    ['\\d', '\\d', '1'],
    ['$*', '$1', '1']
  ])('the regex characters of %j are literal: matches %j, not %j', (pattern, literal, regex) => {
    expect(matchesPattern(literal, pattern)).toBe(true)
    expect(matchesPattern(regex, pattern)).toBe(false)
  })
})

describe('planPrune: how many are kept', () => {
  const five = ['1', '2', '3', '4', '5'].map(no => image(no))
  const current = image('9')

  it('keeps this run’s image and the newest keepLast-1 others, and deletes the older ones', () => {
    const plan = planPrune(MEMBER_IMAGE, five, current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
    expect(plan.leave).toEqual([])
  })

  it('orders by the creation date, not by the order NCP lists them in', () => {
    const shuffled = [five[2], five[4], five[0], five[3], five[1]]
    const plan = planPrune(MEMBER_IMAGE, shuffled, current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
  })

  it('orders by the creation date, not by the number', () => {
    const images = [image('100', {}, 1), image('7', {}, 3), image('55', {}, 2)]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 2 }))
    expect(numbers(plan.keep)).toEqual(['9', '7'])
    expect(numbers(plan.remove)).toEqual(['55', '100'])
  })

  it('breaks a tie of creation dates by the number, the higher one newer', () => {
    const images = [image('11', {}, 4), image('12', {}, 4), image('10', {}, 4)]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 2 }))
    expect(numbers(plan.keep)).toEqual(['9', '12'])
    expect(numbers(plan.remove)).toEqual(['11', '10'])
  })

  it('treats an image without a creation date as the oldest', () => {
    const images = [image('1'), image('50', { createdAt: undefined }), image('2')]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '2', '1'])
    expect(numbers(plan.remove)).toEqual(['50'])
  })

  it('with keep-last 1 keeps only this run’s image', () => {
    const plan = planPrune(MEMBER_IMAGE, five, current, rule({ keepLast: 1 }))
    expect(numbers(plan.keep)).toEqual(['9'])
    expect(numbers(plan.remove)).toEqual(['5', '4', '3', '2', '1'])
  })

  it('deletes nothing while there are no more than keepLast', () => {
    const plan = planPrune(MEMBER_IMAGE, five.slice(0, 2), current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '2', '1'])
    expect(plan.remove).toEqual([])
  })

  it('counts this run’s image once when NCP already lists it', () => {
    const plan = planPrune(MEMBER_IMAGE, [...five, current], current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
  })

  it('never deletes this run’s image, even when it is older than the others', () => {
    const oldest = five[0]
    const plan = planPrune(MEMBER_IMAGE, five, oldest, rule({ keepLast: 2 }))
    expect(numbers(plan.keep)).toEqual(['1', '5'])
    expect(numbers(plan.remove)).toEqual(['4', '3', '2'])
  })

  it('keeps this run’s image when its name does not match, and keeps keepLast others besides (countsCurrent: false)', () => {
    const other = image('9', { name: 'release-9' })
    const plan = planPrune(
      MEMBER_IMAGE,
      [...five, other],
      other,
      rule({ keepLast: 2, countsCurrent: false })
    )
    expect(numbers(plan.keep)).toEqual(['9', '5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
    expect(plan.leave).toEqual([])
  })

  it('with countsCurrent: false and keep-last 1 keeps one other besides this run’s image', () => {
    const other = image('9', { name: 'release-9' })
    const plan = planPrune(MEMBER_IMAGE, five, other, rule({ keepLast: 1, countsCurrent: false }))
    expect(numbers(plan.keep)).toEqual(['9', '5'])
    expect(numbers(plan.remove)).toEqual(['4', '3', '2', '1'])
  })

  it('counts this run’s image by default, and with countsCurrent: true', () => {
    for (const counts of [undefined, true]) {
      const plan = planPrune(
        MEMBER_IMAGE,
        five,
        current,
        rule({ keepLast: 2, countsCurrent: counts })
      )
      expect(numbers(plan.keep)).toEqual(['9', '5'])
      expect(numbers(plan.remove)).toEqual(['4', '3', '2', '1'])
    }
  })

  it('in a dry run with countsCurrent: false keeps keepLast others: the image to come does not count', () => {
    const plan = planPrune(
      MEMBER_IMAGE,
      five,
      undefined,
      rule({ keepLast: 2, countsCurrent: false })
    )
    expect(numbers(plan.keep)).toEqual(['5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
  })

  it('with countsCurrent: false deletes nothing while there are no more than keepLast others', () => {
    const plan = planPrune(
      MEMBER_IMAGE,
      five.slice(0, 3),
      image('9', { name: 'release-9' }),
      rule({ keepLast: 3, countsCurrent: false })
    )
    expect(numbers(plan.keep)).toEqual(['9', '3', '2', '1'])
    expect(plan.remove).toEqual([])
  })

  it('in a dry run (no image yet) keeps keepLast-1 others: the image to come counts', () => {
    const plan = planPrune(MEMBER_IMAGE, five, undefined, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['5', '4'])
    expect(numbers(plan.remove)).toEqual(['3', '2', '1'])
  })

  it('in a dry run with keep-last 1 keeps none of the others', () => {
    const plan = planPrune(MEMBER_IMAGE, five, undefined, rule({ keepLast: 1 }))
    expect(plan.keep).toEqual([])
    expect(numbers(plan.remove)).toEqual(['5', '4', '3', '2', '1'])
  })
})

describe('planPrune: which images it touches', () => {
  const current = image('9')

  it('deletes failed (CREFL) images, and they do not count towards keep-last', () => {
    const images = [image('1'), image('2'), image('3'), image('8', { status: 'CREFL' })]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '3', '2'])
    expect(numbers(plan.remove).sort()).toEqual(['1', '8'])
  })

  it('deletes a failed image even when there are fewer than keepLast', () => {
    const plan = planPrune(
      MEMBER_IMAGE,
      [image('8', { status: 'CREFL' })],
      current,
      rule({ keepLast: 5 })
    )
    expect(numbers(plan.keep)).toEqual(['9'])
    expect(numbers(plan.remove)).toEqual(['8'])
  })

  it.each([
    ['INIT', 'its status is INIT'],
    ['DELETING', 'its status is DELETING'],
    ['', 'its status is not reported']
  ])('leaves an image of status %j, saying why, and does not count it', (status, why) => {
    const images = [image('1'), image('2'), image('0', { status })]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 3 }))
    expect(numbers(plan.keep)).toEqual(['9', '2', '1'])
    expect(plan.remove).toEqual([])
    expect(left(plan)).toEqual({ '0': why })
  })

  it('ignores the images of another server entirely', () => {
    const images = [image('1'), image('2', { sourceServerNo: '7654321' }), image('3')]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 1 }))
    expect(numbers(plan.remove)).toEqual(['3', '1'])
    expect(plan.leave).toEqual([])
    expect(numbers(plan.keep)).toEqual(['9'])
  })

  it('ignores names that do not match the pattern', () => {
    const images = [image('1'), image('2', { name: 'release-2' }), image('3', { name: 'nightly' })]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 1 }))
    expect(numbers(plan.remove)).toEqual(['1'])
    expect(plan.leave).toEqual([])
  })

  it('leaves an image shared with an account this step does not share with, naming it', () => {
    const shared = image('1', { sharedWith: ['team@example.com', 'other@example.com'] })
    const plan = planPrune(
      MEMBER_IMAGE,
      [shared, image('2')],
      current,
      rule({ keepLast: 1, shareWith: ['team@example.com'] })
    )
    expect(numbers(plan.remove)).toEqual(['2'])
    expect(left(plan)).toEqual({ '1': 'it is shared with other@example.com' })
  })

  it('leaves a failed image that is shared with another account', () => {
    const shared = image('1', { status: 'CREFL', sharedWith: ['other@example.com'] })
    const plan = planPrune(MEMBER_IMAGE, [shared], current, rule({ keepLast: 1 }))
    expect(plan.remove).toEqual([])
    expect(left(plan)).toEqual({ '1': 'it is shared with other@example.com' })
  })

  it('does not protect an image shared only with the accounts this step shares with', () => {
    const shared = image('1', { sharedWith: ['team@example.com', 'ops'] })
    const plan = planPrune(
      MEMBER_IMAGE,
      [shared, image('2')],
      current,
      rule({ keepLast: 2, shareWith: ['ops', 'team@example.com'] })
    )
    expect(numbers(plan.keep)).toEqual(['9', '2'])
    expect(numbers(plan.remove)).toEqual(['1'])
    expect(plan.leave).toEqual([])
  })

  it('uses the provenance description when NCP names no source server', () => {
    const images = [
      image('1', {
        sourceServerNo: undefined,
        description: `ncloud-server-image-action: server ${SERVER}`
      }),
      image('2', {
        sourceServerNo: undefined,
        description: 'ncloud-server-image-action: server 99'
      })
    ]
    const plan = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 1 }))
    expect(numbers(plan.remove)).toEqual(['1'])
    expect(plan.leave).toEqual([])
  })
})

describe('planPrune: KVM server images, whose record names no source server', () => {
  const kvm = (no: string, description?: string): ImageRecord =>
    image(no, { sourceServerNo: undefined, description })
  const current = kvm('9', `ncloud-server-image-action: server ${SERVER}`)

  it.each([
    ['no description', undefined],
    ['a description of its own', 'built by hand for the web tier']
  ])('leaves an image whose source cannot be verified (%s)', (_label, description) => {
    const plan = planPrune(SERVER_IMAGE, [kvm('1', description)], current, rule({ keepLast: 1 }))
    expect(plan.remove).toEqual([])
    expect(left(plan)).toEqual({ '1': 'its source server cannot be verified' })
  })

  it('deletes an old one whose provenance names this server, and ignores one naming another', () => {
    const images = [
      kvm('1', `ncloud-server-image-action: server ${SERVER} (web-1); run 42`),
      kvm('2', 'ncloud-server-image-action: server 7654321 (db-1)')
    ]
    const plan = planPrune(SERVER_IMAGE, images, current, rule({ keepLast: 1 }))
    expect(numbers(plan.remove)).toEqual(['1'])
    expect(plan.leave).toEqual([])
  })

  it('leaves an unverifiable image that is also shared, for its source', () => {
    const one = image('1', { sourceServerNo: undefined, sharedWith: ['other'] })
    const plan = planPrune(SERVER_IMAGE, [one], current, rule({ keepLast: 1 }))
    expect(left(plan)).toEqual({ '1': 'its source server cannot be verified' })
  })
})

/** An ImageApi of member images whose delete is this function. */
function fakeApi(remove: (no: string) => Promise<unknown>): ImageApi {
  return { kind: MEMBER_IMAGE, delete: remove } as unknown as ImageApi
}

describe('readAndPlan: what uses the images is read only when something would be deleted', () => {
  /** An image API whose client answers the in-use reads: server 77 was made from image 2. */
  function planningApi(images: ImageRecord[]) {
    const reads: string[] = []
    const ncloud = {
      forApi: () => ncloud,
      readAllPages: async (action: string) => {
        reads.push(action)
        return action === 'getServerInstanceList'
          ? [{ serverInstanceNo: '77', memberServerImageInstanceNo: '2' }]
          : []
      }
    }
    const api = { kind: MEMBER_IMAGE, ncloud, listAll: async () => images } as unknown as ImageApi
    return { api, reads }
  }
  const options = (logged: ReturnType<typeof log>) => ({
    log: logged,
    now: () => START,
    dryRun: false
  })

  it('reads nothing more when the plan without them deletes nothing, and says so', async () => {
    const { api, reads } = planningApi([image('1'), image('2')])
    const logged = log()
    const plan = await readAndPlan(api, image('9'), rule({ keepLast: 3 }), options(logged))
    expect(reads).toEqual([])
    expect(plan.remove).toEqual([])
    expect(logged.warning).not.toHaveBeenCalled()
    expect(logged.info.mock.calls[0][0]).toBe(
      'Pruning: nothing is to be deleted, so what uses the images (launch configurations, servers) is not read.'
    )
  })

  it('reads both and plans again when something would be deleted: an image in use is left', async () => {
    const { api, reads } = planningApi(['1', '2', '3', '4'].map(no => image(no)))
    const plan = await readAndPlan(api, image('9'), rule({ keepLast: 2 }), options(log()))
    expect(reads).toEqual(['getLaunchConfigurationList', 'getServerInstanceList'])
    expect(numbers(plan.remove)).toEqual(['3', '1'])
    expect(left(plan)).toEqual({ '2': 'server 77 was created from it' })
  })
})

describe('prune', () => {
  const plan = (): PrunePlan => ({
    keep: [image('9')],
    remove: [image('3'), image('2'), image('1')],
    leave: [{ image: image('0', { status: 'INIT' }), why: 'its status is INIT' }],
    rules: ['keep-last']
  })

  it('deletes each image the plan removes, one at a time, in order', async () => {
    const remove = jest.fn(async (_no: string) => {})
    const result = await prune(fakeApi(remove), plan(), log())
    expect(remove.mock.calls.map(([no]) => no)).toEqual(['3', '2', '1'])
    expect(numbers(result.deleted)).toEqual(['3', '2', '1'])
    expect(result.failed).toEqual([])
    expect(numbers(result.keep)).toEqual(['9'])
    expect(left(result)).toEqual({ '0': 'its status is INIT' })
  })

  it('turns a failing delete into a failed entry, warns, and goes on with the rest', async () => {
    const refusal = new NcloudError({
      action: 'deleteMemberServerImageInstances',
      source: 'service',
      httpStatus: 400,
      code: '24100',
      ncpMessage: 'Image is in use',
      transient: false,
      reached: 'yes',
      gatewaySetting: 'site'
    })
    const remove = jest.fn(async (no: string) => {
      if (no === '2') throw refusal
    })
    const logged = log()
    const result = await prune(fakeApi(remove), plan(), logged)
    expect(remove).toHaveBeenCalledTimes(3)
    expect(numbers(result.deleted)).toEqual(['3', '1'])
    expect(result.failed).toHaveLength(1)
    expect(result.failed[0].image.no).toBe('2')
    expect(result.failed[0].why).toBe(refusal.summary)
    expect(result.failed[0].why).toContain('Image is in use')
    expect(logged.warning).toHaveBeenCalledTimes(1)
    expect(logged.warning.mock.calls[0][0]).toContain('Could not delete image 2 ("nightly-2")')
    expect(logged.warning.mock.calls[0][0]).toContain('It is left as it is.')
    expect(logged.info.mock.calls.map(([line]) => line)).toEqual([
      'Deleted image 3 ("nightly-3", CREAT).',
      'Deleted image 1 ("nightly-1", CREAT).'
    ])
  })

  it('passes a cancel on, and stops deleting, when a delete fails because the run was cancelled', async () => {
    const controller = new AbortController()
    const reason = new CancelledError('SIGINT')
    const remove = jest.fn(async (no: string) => {
      if (no === '2') {
        controller.abort(reason)
        throw new Error('request abandoned')
      }
    })
    const logged = log()
    await expect(prune(fakeApi(remove), plan(), logged, controller.signal)).rejects.toBe(reason)
    expect(remove.mock.calls.map(([no]) => no)).toEqual(['3', '2'])
    expect(logged.warning).not.toHaveBeenCalled()
  })

  it('with a signal that is not aborted, a failing delete is still a warning', async () => {
    const remove = jest.fn(async (no: string) => {
      if (no === '3') throw new Error('HTTP 500')
    })
    const result = await prune(fakeApi(remove), plan(), log(), new AbortController().signal)
    expect(numbers(result.deleted)).toEqual(['2', '1'])
    expect(result.failed.map(({ image: one }) => one.no)).toEqual(['3'])
  })

  it('sends no delete when the plan removes nothing', async () => {
    const remove = jest.fn(async (_no: string) => {})
    const result = await prune(
      fakeApi(remove),
      { keep: [image('9')], remove: [], leave: [], rules: ['keep-last'] },
      log()
    )
    expect(remove).not.toHaveBeenCalled()
    expect(result.deleted).toEqual([])
  })
})

describe('describePrune', () => {
  const plan: PrunePlan = {
    keep: [image('5'), image('4')],
    remove: [image('3')],
    leave: [{ image: image('0', { status: 'INIT' }), why: 'its status is INIT' }],
    rules: ['keep-last']
  }

  it('in a dry run mentions the image the run would create among those kept', () => {
    const text = describePrune(plan, true, true)
    expect(text.split('\n')).toEqual([
      'Dry run: would keep the image this run would create, and 5 ("nightly-5"), 4 ("nightly-4").',
      'Dry run: would delete 3 ("nightly-3").',
      'Leaving image 0 ("nightly-0"): its status is INIT.'
    ])
  })

  it('in a dry run with nothing else to keep still names the image to come', () => {
    const text = describePrune({ keep: [], remove: [], leave: [], rules: [] }, true, true)
    expect(text).toBe(
      'Dry run: would keep the image this run would create.\nDry run: would delete none.'
    )
  })

  it('does not mention an image to come when there is none', () => {
    const text = describePrune(plan, true, false)
    expect(text).not.toContain('would create')
    expect(text).toContain('Dry run: would keep 5 ("nightly-5"), 4 ("nightly-4").')
  })

  it('says what it is doing in a real run, and none where there is nothing', () => {
    const text = describePrune({ ...plan, remove: [], leave: [] }, false, false)
    expect(text).toBe('Keeping 5 ("nightly-5"), 4 ("nightly-4").\nDeleting none.')
  })
})

describe('planPrune: images in use', () => {
  const current = image('9')
  const five = ['1', '2', '3', '4', '5'].map(no => image(no))

  it('never deletes an image a launch configuration or a server names, and does not count it', () => {
    const inUse = new Map([
      ['1', ['used by launch configuration web-lc (123)']],
      ['5', ['server 4567 was created from it', 'used by launch configuration b (7)']]
    ])
    const plan = planPrune(MEMBER_IMAGE, five, current, rule({ keepLast: 3 }), { inUse })
    // 5 is newest but in use: it is left, so 4 and 3 fill keep-last's room.
    expect(numbers(plan.keep)).toEqual(['9', '4', '3'])
    expect(numbers(plan.remove)).toEqual(['2'])
    expect(left(plan)).toEqual({
      '1': 'used by launch configuration web-lc (123)',
      '5': 'server 4567 was created from it; used by launch configuration b (7)'
    })
  })

  it('leaves a failed image that is in use', () => {
    const failed = image('2', { status: 'CREFL' })
    const plan = planPrune(MEMBER_IMAGE, [failed], current, rule(), {
      inUse: new Map([['2', ['server 8 was created from it']]])
    })
    expect(plan.remove).toEqual([])
    expect(left(plan)).toEqual({ '2': 'server 8 was created from it' })
  })
})

describe('planPrune: keep-days', () => {
  const now = START + 10 * DAY
  const images = ['1', '2', '3', '4', '5', '6', '7', '8'].map(no => image(no)) // day 1..8
  const current = image('10', {}, 10)

  it('alone keeps every image created in the last N days and deletes the older ones', () => {
    const plan = planPrune(
      MEMBER_IMAGE,
      images,
      current,
      rule({ keepLast: undefined, keepDays: 4 }),
      {
        inUse: new Map(),
        now
      }
    )
    // Day 6 is exactly 4 days old: kept.
    expect(numbers(plan.keep)).toEqual(['10', '8', '7', '6'])
    expect(numbers(plan.remove)).toEqual(['5', '4', '3', '2', '1'])
    expect(plan.rules).toEqual(['keep-days'])
  })

  it('with keep-last deletes only what neither rule keeps', () => {
    const byDays = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 2, keepDays: 3 }), {
      inUse: new Map(),
      now
    })
    expect(numbers(byDays.keep)).toEqual(['10', '8', '7'])
    expect(numbers(byDays.remove)).toEqual(['6', '5', '4', '3', '2', '1'])
    const byCount = planPrune(MEMBER_IMAGE, images, current, rule({ keepLast: 5, keepDays: 1 }), {
      inUse: new Map(),
      now
    })
    expect(numbers(byCount.keep)).toEqual(['10', '8', '7', '6', '5'])
    expect(numbers(byCount.remove)).toEqual(['4', '3', '2', '1'])
    expect(byCount.rules).toEqual(['keep-last', 'keep-days'])
  })

  it('reads createDate with its offset: +0900 is nine hours earlier in UTC', () => {
    const raw = toImageRecord(MEMBER_IMAGE, {
      memberServerImageInstanceNo: '1',
      memberServerImageName: 'nightly-1',
      memberServerImageInstanceStatus: { code: 'CREAT' },
      originalServerInstanceNo: SERVER,
      // 2026-01-08T00:30Z: 1 day 23.5 hours before now when now is 2026-01-10T00:00Z.
      createDate: '2026-01-08T09:30:00+0900'
    })
    const young = planPrune(
      MEMBER_IMAGE,
      [raw],
      current,
      rule({ keepLast: undefined, keepDays: 2 }),
      {
        inUse: new Map(),
        now: Date.UTC(2026, 0, 10)
      }
    )
    expect(numbers(young.keep)).toEqual(['10', '1'])
    const old = planPrune(
      MEMBER_IMAGE,
      [raw],
      current,
      rule({ keepLast: undefined, keepDays: 2 }),
      {
        inUse: new Map(),
        now: Date.UTC(2026, 0, 10, 1)
      }
    )
    expect(numbers(old.remove)).toEqual(['1'])
  })

  it('still deletes failed images, and leaves one whose age is unknown', () => {
    const plan = planPrune(
      MEMBER_IMAGE,
      [image('8', { status: 'CREFL' }), image('3', { createdAt: undefined })],
      current,
      rule({ keepLast: undefined, keepDays: 30 }),
      { inUse: new Map(), now }
    )
    expect(numbers(plan.remove)).toEqual(['8'])
    expect(left(plan)).toEqual({
      '3': 'its creation date is not known, so keep-days cannot age it'
    })
  })
})

describe('planFromReads: lists that did not add up', () => {
  const current = image('9')
  const images = ['1', '2', '3'].map(no => image(no))
  const ok = <T>(value: T) => ({ ok: true as const, value })

  it('plans as planPrune when every read came back whole', () => {
    const plan = planFromReads(
      MEMBER_IMAGE,
      ok(images),
      ok(new Map()),
      current,
      rule({ keepLast: 2 }),
      0
    )
    expect(numbers(plan.remove)).toEqual(['2', '1'])
    expect(plan.blocked).toBeUndefined()
  })

  it('deletes nothing when the image list is incomplete, and says why', () => {
    const plan = planFromReads(
      MEMBER_IMAGE,
      { ok: false, problem: 'The images did not add up (rows seen twice).' },
      ok(new Map()),
      current,
      rule({ keepLast: 1 }),
      0
    )
    expect(plan).toEqual({
      keep: [current],
      remove: [],
      leave: [],
      blocked: 'The images did not add up (rows seen twice).',
      rules: ['keep-last']
    })
  })

  it('deletes nothing when what uses the images could not be read', () => {
    const plan = planFromReads(
      MEMBER_IMAGE,
      ok(images),
      { ok: false, problem: 'The servers could not be read.' },
      current,
      rule({ keepLast: 1 }),
      0
    )
    expect(plan.remove).toEqual([])
    expect(plan.blocked).toBe('The servers could not be read.')
  })
})

describe('prune: the snapshots behind KVM images', () => {
  const kvm = (no: string, snapshots: string[]) => image(no, { snapshots })
  const plan = (remove: ImageRecord[]): PrunePlan => ({
    keep: [],
    remove,
    leave: [],
    rules: ['keep-last']
  })

  function kvmApi(answer: (no: string) => ImageRecord[], refuse: string[] = []) {
    const calls: string[] = []
    const api = {
      kind: SERVER_IMAGE,
      delete: async (no: string) => {
        calls.push(`image ${no}`)
        return answer(no)
      },
      deleteSnapshot: async (no: string) => {
        calls.push(`snapshot ${no}`)
        if (refuse.includes(no)) throw new Error(`snapshot ${no} refused`)
      }
    } as unknown as ImageApi
    return { api, calls }
  }

  it('deletes each image, then its snapshots, from the answer and the record read before', async () => {
    const { api, calls } = kvmApi(no => (no === '1' ? [kvm('1', ['71', '72'])] : []))
    const logged = log()
    const result = await prune(api, plan([kvm('1', ['71']), kvm('2', ['81'])]), logged)
    expect(calls).toEqual(['image 1', 'snapshot 71', 'snapshot 72', 'image 2', 'snapshot 81'])
    expect(result.snapshotsDeleted).toEqual({ '1': ['71', '72'], '2': ['81'] })
    expect(logged.info.mock.calls.map(([line]) => line)).toContain(
      'Deleted the snapshots behind image 1: 71, 72.'
    )
  })

  it('a snapshot that cannot be deleted is a warning naming it and its image; the image counts as pruned', async () => {
    const { api } = kvmApi(() => [], ['72'])
    const logged = log()
    const result = await prune(api, plan([kvm('1', ['71', '72'])]), logged)
    expect(numbers(result.deleted)).toEqual(['1'])
    expect(result.snapshotsDeleted).toEqual({ '1': ['71'] })
    expect(result.snapshotsLeft).toEqual([{ imageNo: '1', no: '72', why: 'snapshot 72 refused' }])
    expect(logged.warning.mock.calls[0][0]).toContain(
      'Could not delete snapshot 72 of deleted image 1 ("nightly-1"): snapshot 72 refused'
    )
    expect(logged.warning.mock.calls[0][0]).toContain('still billed')
  })

  it('sends no snapshot delete for an image whose delete failed', async () => {
    const { api, calls } = kvmApi(() => {
      throw new Error('refused')
    })
    const result = await prune(api, plan([kvm('1', ['71'])]), log())
    expect(calls).toEqual(['image 1'])
    expect(result.failed).toHaveLength(1)
  })

  it('records each delete in the journal before it is sent, and its answer once it comes', async () => {
    const journal = new JournalRecorder()
    const seen: string[] = []
    const api = {
      kind: SERVER_IMAGE,
      delete: async (no: string) => {
        seen.push(`image ${no}: ${JSON.stringify(journal.snapshot().deletes?.at(-1))}`)
        if (no === '2') throw new Error('refused')
        return []
      },
      deleteSnapshot: async (no: string) => {
        seen.push(`snapshot ${no}: ${JSON.stringify(journal.snapshot().deletes?.at(-1))}`)
      }
    } as unknown as ImageApi
    await prune(api, plan([kvm('1', ['71']), kvm('2', ['81'])]), log(), undefined, {
      journal,
      clock: { now: () => 500 }
    })
    expect(seen).toEqual([
      'image 1: {"what":"image","no":"1","name":"nightly-1","sentAt":500}',
      'snapshot 71: {"what":"snapshot","no":"71","imageNo":"1","sentAt":500}',
      'image 2: {"what":"image","no":"2","name":"nightly-2","sentAt":500}'
    ])
    const end = journal.snapshot()
    expect(end.deletes?.map(({ what, no, answer }) => `${what} ${no} ${answer}`)).toEqual([
      'image 1 accepted',
      'snapshot 71 accepted',
      'image 2 refused'
    ])
    expect(end.deleted).toEqual([{ no: '1', name: 'nightly-1' }])
  })

  it('a delete NCP answers with no image is a warning naming it: not pruned, its snapshots left, journal unconfirmed', async () => {
    const journal = new JournalRecorder()
    const { api, calls } = kvmApi(no => {
      if (no === '1') throw new UnconfirmedDeleteError('deleteServerImage', no)
      return []
    })
    const logged = log()
    const result = await prune(api, plan([kvm('1', ['71']), kvm('2', ['81'])]), logged, undefined, {
      journal,
      clock: { now: () => 500 }
    })
    expect(calls).toEqual(['image 1', 'image 2', 'snapshot 81'])
    expect(numbers(result.deleted)).toEqual(['2'])
    expect(result.failed).toEqual([
      {
        image: kvm('1', ['71']),
        why: 'deleteServerImage answered with no image (totalRows 0)',
        unconfirmed: true
      }
    ])
    expect(logged.warning.mock.calls.map(([line]) => line)).toEqual([
      'NCP answered the delete of image 1 ("nightly-1") with no image: it may not have been deleted; check the console. Its snapshots are left as they are.'
    ])
    const end = journal.snapshot()
    expect(end.deletes?.map(({ what, no, answer }) => `${what} ${no} ${answer}`)).toEqual([
      'image 1 unconfirmed',
      'image 2 accepted',
      'snapshot 81 accepted'
    ])
    expect(end.deleted).toEqual([{ no: '2', name: 'nightly-2' }])
  })

  it('a member image delete answered with no image says nothing of snapshots', async () => {
    const remove = async (no: string) => {
      throw new UnconfirmedDeleteError('deleteMemberServerImageInstances', no)
    }
    const logged = log()
    const result = await prune(fakeApi(remove), plan([image('1')]), logged)
    expect(result.deleted).toEqual([])
    expect(logged.warning.mock.calls[0][0]).toBe(
      'NCP answered the delete of image 1 ("nightly-1") with no image: it may not have been deleted; check the console.'
    )
  })

  it('the dry-run plan names the snapshots it would delete', () => {
    expect(describePrune(plan([kvm('1', ['71', '72'])]), true, false)).toContain(
      'Dry run: would delete 1 ("nightly-1") with snapshots 71, 72.'
    )
  })
})
