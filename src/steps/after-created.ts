import type { Ending, Known, RunDeps } from './run-state.js'
import { prunes, type Settings } from '../model/settings.js'
import { ImageApi, imageState, type ImageRecord } from '../ncloud/images.js'
import { sourceServerOf } from '../model/source-server.js'
import { matchesPattern } from '../model/prune-plan.js'
import type { PrunePlan } from '../model/pruning.js'
import { prune, readAndPlan } from './prune.js'
import { shareImage } from './share.js'

// What follows once the image is CREAT: sharing it, and pruning the old ones.

/** Once the image is CREAT: share it, then prune the old ones. */
export async function afterReady(
  api: ImageApi,
  ending: Ending,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<Ending> {
  if (!['created', 'reused', 'resumed'].includes(ending.outcome) || !known.image) return ending
  await afterCreated(api, known.image, settings, deps, known)
  return ending
}

/** What a dry run would do once the image is created: share it, prune the old ones. */
export async function dryRunAfterCreation(
  api: ImageApi,
  image: ImageRecord | undefined,
  settings: Settings,
  deps: Pick<RunDeps, 'log' | 'clock'>,
  known: Known
): Promise<void> {
  if (settings.shareWith.length > 0) {
    deps.log.info(
      `Dry run: would share the image with ${settings.shareWith.join(', ')} once it is created.`
    )
  }
  if (prunes(settings)) {
    const current =
      image && imageState(api.kind, image.status, image.statusName) === 'created'
        ? image
        : undefined
    known.pruning = await planPruning(api, current, settings, deps, known)
  }
}

/** Once the image is CREAT: share it, then prune the old ones. */
async function afterCreated(
  api: ImageApi,
  image: ImageRecord,
  settings: Settings,
  deps: RunDeps,
  known: Known
): Promise<void> {
  let current = image
  if (settings.shareWith.length > 0) {
    current = await shareImage(api, image, settings.shareWith, deps.log, deps.signal)
    deps.onImage(current)
  }
  if (prunes(settings) && settings.pruneMatch !== undefined) {
    const plan = await planPruning(api, current, settings, deps, known)
    if (plan) {
      const result = await prune(api, plan, deps.log, deps.signal)
      known.pruning = result
      deps.journal?.record(j =>
        j.deleted.push(...result.deleted.map(({ no, name }) => ({ no, name })))
      )
    }
  }
}

/** What pruning would keep, delete and leave, logged; undefined when it cannot be worked out. */
async function planPruning(
  api: ImageApi,
  current: ImageRecord | undefined,
  settings: Settings,
  deps: Pick<RunDeps, 'log' | 'clock'>,
  known: Known
): Promise<PrunePlan | undefined> {
  const { log } = deps
  const pattern = settings.pruneMatch as string
  const serverInstanceNo = known.server?.no ?? (current && sourceServerOf(current))
  if (!serverInstanceNo) {
    log.warning(
      'Pruning: nothing is pruned, since the source server of the image is not known; give server-instance-no.'
    )
    return undefined
  }
  const countsCurrent = matchesPattern(current?.name ?? known.imageName ?? '', pattern)
  if (!countsCurrent && settings.keepLast !== undefined) {
    log.warning(
      `keep-last: this run's image "${current?.name ?? known.imageName}" does not match prune-match "${pattern}", so it is not counted among the ${settings.keepLast} kept.`
    )
  }
  const rule = {
    keepLast: settings.keepLast,
    keepDays: settings.keepDays,
    pattern,
    serverInstanceNo,
    shareWith: settings.shareWith,
    countsCurrent
  }
  return readAndPlan(api, current, rule, {
    log,
    now: () => deps.clock.now(),
    dryRun: settings.dryRun
  })
}
