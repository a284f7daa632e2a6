import type { Ending } from './run-state.js'
import type { Clock } from '../lib/clock.js'
import type { Log } from '../lib/log.js'
import type { JournalRecorder } from '../model/journal.js'
import { prunes, type Settings } from '../model/settings.js'
import { ImageApi, imageState, type ImageRecord } from '../ncloud/images.js'
import { sourceServerOf } from '../model/source-server.js'
import { matchesPattern } from '../model/prune-plan.js'
import type { PrunePlan, PruneResult } from '../model/pruning.js'
import { prune, readAndPlan } from './prune.js'
import { shareImage } from './share.js'

// What follows once the image is CREAT: sharing it, and pruning the old ones.

export interface AfterOptions {
  settings: Pick<Settings, 'shareWith' | 'keepLast' | 'keepDays' | 'pruneMatch' | 'dryRun'>
  /** The server the run imaged, when it read one: pruning keeps to its images. */
  serverNo?: string
  /** The name of the image this run has or would make. */
  imageName?: string
  log: Log
  clock: Clock
  signal?: AbortSignal
  /** Where pruning records each delete the moment it is sent and answered. */
  journal?: JournalRecorder
  /** Told of the image once sharing has changed it. */
  onImage?(image: ImageRecord): void
  /** verify-boot: boots a test server from the image (in a dry run, shows the request). */
  verify?(image: ImageRecord | undefined): Promise<void>
}

/** Once the image is CREAT: share it, then prune the old ones; returns what pruning did. */
export async function afterReady(
  api: ImageApi,
  ending: Ending,
  image: ImageRecord | undefined,
  options: AfterOptions
): Promise<PruneResult | undefined> {
  if (!['created', 'reused', 'resumed'].includes(ending.outcome) || !image) return undefined
  const { settings, log } = options
  await options.verify?.(image)
  let current = image
  if (settings.shareWith.length > 0) {
    current = await shareImage(api, image, settings.shareWith, log, options.signal)
    options.onImage?.(current)
  }
  if (!prunes(settings) || settings.pruneMatch === undefined) return undefined
  const plan = await planPruning(api, current, options)
  if (!plan) return undefined
  const record = options.journal && { journal: options.journal, clock: options.clock }
  return prune(api, plan, log, options.signal, record)
}

/** What a dry run would do once the image is created: share it, prune the old ones. */
export async function dryRunAfterCreation(
  api: ImageApi,
  image: ImageRecord | undefined,
  options: AfterOptions
): Promise<PrunePlan | undefined> {
  const { settings } = options
  await options.verify?.(image)
  if (settings.shareWith.length > 0) {
    options.log.info(
      `Dry run: would share the image with ${settings.shareWith.join(', ')} once it is created.`
    )
  }
  if (!prunes(settings)) return undefined
  const current =
    image && imageState(api.kind, image.status, image.statusName) === 'created' ? image : undefined
  return planPruning(api, current, options)
}

/** What pruning would keep, delete and leave, logged; undefined when it cannot be worked out. */
async function planPruning(
  api: ImageApi,
  current: ImageRecord | undefined,
  options: AfterOptions
): Promise<PrunePlan | undefined> {
  const { log, settings } = options
  const pattern = settings.pruneMatch as string
  const serverInstanceNo = options.serverNo ?? (current && sourceServerOf(current))
  if (!serverInstanceNo) {
    log.warning(
      'Pruning: nothing is pruned, since the source server of the image is not known; give server-instance-no.'
    )
    return undefined
  }
  const name = current?.name ?? options.imageName
  const countsCurrent = matchesPattern(name ?? '', pattern)
  if (!countsCurrent && settings.keepLast !== undefined) {
    log.warning(
      `keep-last: this run's image "${name}" does not match prune-match "${pattern}", so it is not counted among the ${settings.keepLast} kept.`
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
    now: () => options.clock.now(),
    dryRun: settings.dryRun
  })
}
