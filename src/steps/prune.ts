import { NcloudError, describeError } from '../ncloud/errors.js'
import type { Clock } from '../lib/clock.js'
import { journalDelete, type JournalDelete, type JournalRecorder } from '../model/journal.js'
import { IncompleteListError } from '../ncloud/incomplete-list.js'
import type { ImageApi, ImageRecord } from '../ncloud/images.js'
import { UnconfirmedDeleteError } from '../ncloud/unconfirmed-delete.js'
import { readImagesInUse, type ImagesInUse, type Read } from '../ncloud/in-use.js'
import type { Log } from '../lib/log.js'
import { describePrune, planFromReads, type PruneRule } from '../model/prune-plan.js'
import type { PrunePlan, PruneResult } from '../model/pruning.js'
import { clause } from '../lib/clause.js'

// Pruning as it runs: read the images and what uses them, plan, and delete (snapshots included).

/**
 * Reads every image and plans; only when that plan deletes something does it read what uses the
 * images (every launch configuration and every server) and plan again: what is in use is left and
 * does not count toward keep-last, so it can only take deletes away, never add one. Logs the
 * plan, with a warning when a read failed (then nothing is deleted).
 */
export async function readAndPlan(
  api: ImageApi,
  current: ImageRecord | undefined,
  rule: PruneRule,
  options: { log: Log; now: () => number; dryRun: boolean }
): Promise<PrunePlan> {
  let images: Read<readonly ImageRecord[]>
  try {
    images = { ok: true, value: await api.listAll() }
  } catch (error) {
    const what = error instanceof IncompleteListError ? 'did not add up' : 'could not be read'
    images = { ok: false, problem: `The images ${what} (${clause(describeError(error))})` }
  }
  const now = options.now()
  const planWith = (inUse: Read<ImagesInUse>): PrunePlan =>
    planFromReads(api.kind, images, inUse, current, rule, now)
  let plan = planWith({ ok: true, value: new Map() })
  if (plan.remove.length > 0) plan = planWith(await readImagesInUse(api.ncloud))
  else if (plan.blocked === undefined) {
    options.log.info(
      'Pruning: nothing is to be deleted, so what uses the images (launch configurations, servers) is not read.'
    )
  }
  if (plan.blocked !== undefined) {
    options.log.warning(`Pruning: nothing is deleted. ${plan.blocked}`)
  } else {
    options.log.info(describePrune(plan, options.dryRun, current === undefined))
  }
  return plan
}

/**
 * Deletes what the plan removes, one image at a time, and after each KVM image the snapshots
 * behind it; a delete that fails is a warning.
 */
export async function prune(
  api: ImageApi,
  plan: PrunePlan,
  log: Log,
  signal?: AbortSignal,
  record?: DeleteRecord
): Promise<PruneResult> {
  const result: PruneResult = {
    ...plan,
    deleted: [],
    failed: [],
    snapshotsDeleted: {},
    snapshotsLeft: []
  }
  for (const image of plan.remove) {
    let answered: ImageRecord[]
    const answer = sent(record, { what: 'image', no: image.no, name: image.name })
    try {
      answered = await api.delete(image.no)
      answer('accepted')
    } catch (error) {
      signal?.throwIfAborted()
      if (error instanceof UnconfirmedDeleteError) {
        answer('unconfirmed')
        result.failed.push({ image, why: error.message, unconfirmed: true })
        log.warning(unconfirmedDelete(image, api.kind.actions.deleteSnapshots !== undefined))
        continue
      }
      if (refused(error)) answer('refused')
      const why = describeError(error)
      result.failed.push({ image, why })
      log.warning(
        `Could not delete image ${image.no} ("${image.name}"): ${why} It is left as it is.`
      )
      continue
    }
    result.deleted.push(image)
    log.info(`Deleted image ${image.no} ("${image.name}", ${image.status}).`)
    if (api.kind.actions.deleteSnapshots) {
      await deleteSnapshots(api, image, answered, result, log, signal, record)
    }
  }
  return result
}

/** The snapshots behind a deleted KVM image: from the delete's answer, or the record read before. */
async function deleteSnapshots(
  api: ImageApi,
  image: ImageRecord,
  answered: readonly ImageRecord[],
  result: PruneResult,
  log: Log,
  signal?: AbortSignal,
  record?: DeleteRecord
): Promise<void> {
  const fromAnswer = answered.find(record => record.no === image.no)?.snapshots ?? []
  const nos = [...new Set([...fromAnswer, ...(image.snapshots ?? [])])]
  const deleted: string[] = []
  for (const no of nos) {
    const answer = sent(record, { what: 'snapshot', no, imageNo: image.no })
    try {
      await api.deleteSnapshot(no)
      answer('accepted')
      deleted.push(no)
    } catch (error) {
      signal?.throwIfAborted()
      if (refused(error)) answer('refused')
      const why = describeError(error)
      result.snapshotsLeft.push({ imageNo: image.no, no, why })
      log.warning(
        `Could not delete snapshot ${no} of deleted image ${image.no} ("${image.name}"): ${why} It is still billed: delete it in the console or with deleteBlockStorageSnapshotInstances.`
      )
    }
  }
  result.snapshotsDeleted[image.no] = deleted
  if (deleted.length > 0) {
    log.info(
      `Deleted the snapshot${deleted.length === 1 ? '' : 's'} behind image ${image.no}: ${deleted.join(', ')}.`
    )
  }
}

/** The warning for a delete NCP answered with no image; its snapshots are left with it. */
export function unconfirmedDelete(image: ImageRecord, keepsSnapshots: boolean): string {
  const snapshots = keepsSnapshots ? ' Its snapshots are left as they are.' : ''
  return `NCP answered the delete of image ${image.no} ("${image.name}") with no image: it may not have been deleted; check the console.${snapshots}`
}

/** Where pruning records its deletes: the run's journal, and the clock for the moment sent. */
export interface DeleteRecord {
  journal: JournalRecorder
  clock: Pick<Clock, 'now'>
}

function sent(
  record: DeleteRecord | undefined,
  entry: { what: 'image' | 'snapshot'; no: string; name?: string; imageNo?: string }
): (answer: NonNullable<JournalDelete['answer']>) => void {
  return journalDelete(record?.journal, { ...entry, sentAt: record?.clock.now() ?? 0 })
}

/** A delete NCP answered with a refusal; a lost answer may have been carried out, and stays open. */
function refused(error: unknown): boolean {
  return !(error instanceof NcloudError) || error.reached !== 'maybe'
}
