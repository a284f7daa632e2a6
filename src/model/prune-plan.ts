import type { ImageKind, ImageRecord } from '../ncloud/images.js'
import { imageState } from '../ncloud/image-status.js'
import type { ImagesInUse, Read } from '../ncloud/in-use.js'
import type { PrunePlan } from './pruning.js'
import { madeFrom } from './source-server.js'

// Which images pruning keeps, deletes and leaves: pure, from what was read.

const DAY_MS = 24 * 60 * 60 * 1000

export interface PruneRule {
  /** Keep this many newest matching images, this run's included. */
  keepLast?: number
  /** Keep every matching image created in the last this many days. */
  keepDays?: number
  /** An image name pattern in which `*` stands for any characters. */
  pattern: string
  serverInstanceNo: string
  /** The accounts this step shares with: sharing with them does not protect an image. */
  shareWith: readonly string[]
  /**
   * Whether this run's image (or, in a dry run, the one it would make) is one of the keepLast:
   * only when its name matches. Default true.
   */
  countsCurrent?: boolean
}

/** What the plan needs besides the images: what uses them, and now (for keep-days). */
export interface PruneFacts {
  inUse: ImagesInUse
  now?: number
}

export function matchesPattern(name: string, pattern: string): boolean {
  const regex = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`).test(name)
}

/**
 * The plan from the reads: when the image list or what uses the images could not be read whole,
 * nothing is deleted and the plan says why.
 */
export function planFromReads(
  kind: ImageKind,
  images: Read<readonly ImageRecord[]>,
  inUse: Read<ImagesInUse>,
  current: ImageRecord | undefined,
  rule: PruneRule,
  now: number
): PrunePlan {
  const blocked = [images, inUse].flatMap(read => (read.ok ? [] : [read.problem]))
  if (!images.ok || !inUse.ok) {
    return {
      keep: current ? [current] : [],
      remove: [],
      leave: [],
      blocked: blocked.filter(Boolean).join(' '),
      rules: rulesOf(rule)
    }
  }
  return planPrune(kind, images.value, current, rule, { inUse: inUse.value, now })
}

/**
 * Which images of this server whose name matches to keep, delete and leave. Pure.
 * - this run's image is always kept, and counts (when it will exist, `current` may be undefined:
 *   a dry run before the create counts the image it would make);
 * - a created image is kept when keep-last counts it among the newest (by createDate) or
 *   keep-days finds it young enough; the rest are deleted; failed ones are deleted and do not count;
 * - never deleted: images in use (a launch configuration or a server names them), images of
 *   another server, images whose source cannot be verified, images still being created, images
 *   shared with accounts this step does not share with, and (with keep-days) images of unknown age.
 *   None of them counts toward keep-last.
 */
export function planPrune(
  kind: ImageKind,
  images: readonly ImageRecord[],
  current: ImageRecord | undefined,
  rule: PruneRule,
  facts: PruneFacts = { inUse: new Map() }
): PrunePlan {
  const plan: PrunePlan = {
    keep: current ? [current] : [],
    remove: [],
    leave: [],
    rules: rulesOf(rule)
  }
  const created: ImageRecord[] = []
  for (const image of images) {
    if (image.no === current?.no || !matchesPattern(image.name, rule.pattern)) continue
    const source = madeFrom(image, { serverInstanceNo: rule.serverInstanceNo })
    if (source === 'no') continue
    const state = imageState(kind, image.status, image.statusName)
    const others = image.sharedWith.filter(id => !rule.shareWith.includes(id))
    const uses = facts.inUse.get(image.no)
    if (uses && uses.length > 0) plan.leave.push({ image, why: uses.join('; ') })
    else if (source === 'unknown')
      plan.leave.push({ image, why: 'its source server cannot be verified' })
    else if (others.length > 0) {
      plan.leave.push({ image, why: `it is shared with ${others.join(', ')}` })
    } else if (state === 'failed') plan.remove.push(image)
    else if (state === 'created') created.push(image)
    else plan.leave.push({ image, why: `its status is ${image.status || 'not reported'}` })
  }
  created.sort(newestFirst)
  const room =
    rule.keepLast === undefined
      ? 0
      : Math.max(0, rule.keepLast - (rule.countsCurrent === false ? 0 : 1))
  const youngest = youngestAge(rule, facts)
  created.forEach((image, index) => {
    if (index < room) plan.keep.push(image)
    else if (youngest === undefined) plan.remove.push(image)
    else if (image.createdAt === undefined) {
      plan.leave.push({ image, why: 'its creation date is not known, so keep-days cannot age it' })
    } else if (image.createdAt >= youngest) plan.keep.push(image)
    else plan.remove.push(image)
  })
  return plan
}

function rulesOf(rule: PruneRule): string[] {
  return [
    rule.keepLast === undefined ? '' : 'keep-last',
    rule.keepDays === undefined ? '' : 'keep-days'
  ].filter(Boolean)
}

/** With keep-days, the oldest creation time that is kept. */
function youngestAge(rule: PruneRule, facts: PruneFacts): number | undefined {
  if (rule.keepDays === undefined) return undefined
  if (facts.now === undefined) throw new Error('keep-days needs the time now')
  return facts.now - rule.keepDays * DAY_MS
}

function newestFirst(a: ImageRecord, b: ImageRecord): number {
  return (b.createdAt ?? 0) - (a.createdAt ?? 0) || Number(b.no) - Number(a.no)
}

/** An image for the log: its number, name and the snapshots behind it. */
export function describeImage(image: ImageRecord): string {
  const snapshots = image.snapshots ?? []
  const behind =
    snapshots.length > 0
      ? ` with snapshot${snapshots.length === 1 ? '' : 's'} ${snapshots.join(', ')}`
      : ''
  return `${image.no} ("${image.name}")${behind}`
}

/** The plan in words, for the log. */
export function describePrune(plan: PrunePlan, dryRun: boolean, imageToCome: boolean): string {
  const list = (images: readonly ImageRecord[]): string =>
    images.map(image => `${image.no} ("${image.name}")`).join(', ')
  const keep = [imageToCome ? 'the image this run would create' : '', list(plan.keep)]
    .filter(Boolean)
    .join(', and ')
  const lines = [
    `${dryRun ? 'Dry run: would keep' : 'Keeping'} ${keep || 'none'}.`,
    `${dryRun ? 'Dry run: would delete' : 'Deleting'} ${plan.remove.map(describeImage).join(', ') || 'none'}.`
  ]
  for (const { image, why } of plan.leave) {
    lines.push(`Leaving image ${image.no} ("${image.name}"): ${why}.`)
  }
  return lines.join('\n')
}
