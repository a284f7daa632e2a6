import { madeFrom } from '../model/source-server.js'
import { describeError } from '../ncloud/errors.js'
import { imageState, type ImageApi, type ImageKind, type ImageRecord } from '../ncloud/images.js'
import type { Log } from '../lib/log.js'
import type { PrunePlan, PruneResult } from '../model/pruning.js'

export interface PruneRule {
  keepLast: number
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

export function matchesPattern(name: string, pattern: string): boolean {
  const regex = pattern
    .split('*')
    .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${regex}$`).test(name)
}

/**
 * Which images of this server whose name matches to keep, delete and leave. Pure.
 * - this run's image is always kept, and counts (when it will exist, `current` may be undefined:
 *   a dry run before the create counts the image it would make);
 * - the newest created ones are kept by createDate, the rest deleted; failed ones are deleted and
 *   do not count;
 * - never deleted: images of another server, images whose source cannot be verified, images still
 *   being created, and images shared with accounts this step does not share with.
 */
export function planPrune(
  kind: ImageKind,
  images: readonly ImageRecord[],
  current: ImageRecord | undefined,
  rule: PruneRule
): PrunePlan {
  const plan: PrunePlan = { keep: current ? [current] : [], remove: [], leave: [] }
  const created: ImageRecord[] = []
  for (const image of images) {
    if (image.no === current?.no || !matchesPattern(image.name, rule.pattern)) continue
    const source = madeFrom(image, { serverInstanceNo: rule.serverInstanceNo })
    if (source === 'no') continue
    const state = imageState(kind, image.status)
    const others = image.sharedWith.filter(id => !rule.shareWith.includes(id))
    if (source === 'unknown')
      plan.leave.push({ image, why: 'its source server cannot be verified' })
    else if (others.length > 0) {
      plan.leave.push({ image, why: `it is shared with ${others.join(', ')}` })
    } else if (state === 'failed') plan.remove.push(image)
    else if (state === 'created') created.push(image)
    else plan.leave.push({ image, why: `its status is ${image.status || 'not reported'}` })
  }
  created.sort(newestFirst)
  const room = Math.max(0, rule.keepLast - (rule.countsCurrent === false ? 0 : 1))
  plan.keep.push(...created.slice(0, room))
  plan.remove.push(...created.slice(room))
  return plan
}

function newestFirst(a: ImageRecord, b: ImageRecord): number {
  return (b.createdAt ?? 0) - (a.createdAt ?? 0) || Number(b.no) - Number(a.no)
}

/** Deletes what the plan removes, one image at a time; a delete that fails is a warning. */
export async function prune(
  api: ImageApi,
  plan: PrunePlan,
  log: Log,
  signal?: AbortSignal
): Promise<PruneResult> {
  const result: PruneResult = { ...plan, deleted: [], failed: [] }
  for (const image of plan.remove) {
    try {
      await api.delete(image.no)
      result.deleted.push(image)
      log.info(`Deleted image ${image.no} ("${image.name}", ${image.status}).`)
    } catch (error) {
      signal?.throwIfAborted()
      const why = describeError(error)
      result.failed.push({ image, why })
      log.warning(
        `Could not delete image ${image.no} ("${image.name}"): ${why} It is left as it is.`
      )
    }
  }
  return result
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
    `${dryRun ? 'Dry run: would delete' : 'Deleting'} ${list(plan.remove) || 'none'}.`
  ]
  for (const { image, why } of plan.leave) {
    lines.push(`Leaving image ${image.no} ("${image.name}"): ${why}.`)
  }
  return lines.join('\n')
}
