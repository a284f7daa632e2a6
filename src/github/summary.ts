import { formatDuration } from '../lib/duration.js'
import type { Outcome } from '../model/failure.js'
import { inert } from './markdown.js'
import type { Origin, RunResult } from '../model/result.js'

export { inert }

const HEADINGS: Record<Outcome, string> = {
  created: '✅ Server image created',
  reused: '✅ Existing server image used (if-exists: reuse)',
  resumed: '✅ Server image ready (picked up again, not created by this step)',
  creating: '⏳ Server image is being created',
  failed: '❌ Server image creation failed',
  gone: '❌ Server image is being deleted or is gone',
  'share-failed': '⚠️ Server image created, but not shared',
  'verify-failed': '❌ Server image created, but no server booted from it (verify-boot)',
  'server-stopped': '🛑 The server is still stopped: start it',
  'timed-out': '⏳ Server image still being created (wait timed out)',
  'wait-failed': '❌ Stopped waiting for the server image',
  cancelled: '⚠️ Cancelled',
  uncertain: '⚠️ An image may have been created: see below',
  'dry-run': '🧪 Dry run: nothing was created',
  error: '❌ Server image was not created'
}

const ORIGIN: Record<Origin, string> = {
  created: 'created by this run',
  adopted: 'created by this run (the reply was lost; found by name)',
  reused: 'already existed (if-exists: reuse)',
  resumed: 'picked up again (image-instance-no, or an earlier attempt of this workflow run)'
}

/** Renders the job summary as GitHub-flavoured Markdown; every value is shown as plain text. */
export function renderSummary(result: RunResult): string {
  const { server, image } = result
  const serverNo = server?.no ?? result.serverInstanceNo
  const rows: [string, string | undefined][] = [
    ['Server', serverNo && `${serverNo}${server?.name ? ` (${server.name})` : ''}`],
    ['Image number', image?.no],
    // A planned name is shown only once the run got as far as looking it up.
    ['Image name', image?.name ?? result.imageName],
    ['Status', image?.status],
    ['Image', result.origin && ORIGIN[result.origin]],
    [
      'Other images of this name',
      result.duplicates.length > 0 ? result.duplicates.map(d => d.no).join(', ') : undefined
    ],
    ['Shared with', image && image.sharedWith.length > 0 ? image.sharedWith.join(', ') : undefined],
    ...pruneRows(result),
    ['Server downtime', downtime(result)],
    ['Region', result.region],
    [
      'Hypervisor',
      server &&
        `${server.hypervisor ?? 'not reported'}${result.kind ? ` (${result.kind.actions.create})` : ''}`
    ],
    ['Time taken', formatDuration(result.elapsedMs)]
  ]
  const heading =
    result.dryRun && result.failed
      ? `🧪 Dry run failed: ${HEADINGS[result.outcome].replace(/^\S+ /, '')}`
      : HEADINGS[result.outcome]
  const lines = [
    `### ${heading}`,
    '',
    '| | |',
    '|---|---|',
    ...rows
      .filter(([, value]) => value)
      .map(([label, value]) => `| ${label} | ${inert(value as string)} |`)
  ]
  if (result.problem) lines.push('', `**What happened:** ${inert(result.problem)}`)
  if (result.nextStep) lines.push('', `**Next:** ${inert(result.nextStep)}`)
  return `${lines.join('\n')}\n`
}

function downtime(result: RunResult): string | undefined {
  const power = result.power
  if (!power || power.downMs === undefined) return undefined
  const state =
    power.runningAt !== undefined
      ? 'stopped by this step, running again'
      : power.startAccepted
        ? `stopped by this step; the start was accepted${result.outcome === 'cancelled' ? ' after the cancel' : ''}, but it was not running yet`
        : 'stopped by this step and still stopped'
  return `${formatDuration(power.downMs)} (${state})`
}

function pruneRows(result: RunResult): [string, string | undefined][] {
  const pruning = result.pruning
  if (!pruning) return []
  if (pruning.blocked !== undefined) return [['Pruning', `nothing deleted: ${pruning.blocked}`]]
  const list = (
    images: readonly { no: string }[],
    snapshotsOf?: (no: string) => string[]
  ): string =>
    images
      .map(image => {
        const snapshots = snapshotsOf?.(image.no) ?? []
        return snapshots.length > 0 ? `${image.no} (snapshots ${snapshots.join(', ')})` : image.no
      })
      .join(', ') || 'none'
  const done = 'deleted' in pruning
  const rows: [string, string | undefined][] = [
    [`Kept (${pruning.rules.join(', ')})`, list(pruning.keep)],
    done
      ? ['Deleted', list(pruning.deleted, no => pruning.snapshotsDeleted[no] ?? [])]
      : [
          'Would delete',
          list(pruning.remove, no => pruning.remove.find(image => image.no === no)?.snapshots ?? [])
        ]
  ]
  const left = [
    ...pruning.leave.map(({ image, why }) => `${image.no} (${why})`),
    ...(done
      ? pruning.failed.map(
          ({ image, unconfirmed }) =>
            `${image.no} (${unconfirmed ? 'the delete was not confirmed' : 'the delete failed'})`
        )
      : []),
    ...(done
      ? pruning.snapshotsLeft.map(
          ({ imageNo, no }) =>
            `snapshot ${no} of deleted image ${imageNo} (the delete failed; still billed)`
        )
      : [])
  ]
  if (left.length > 0) rows.push(['Left', left.join('; ')])
  return rows
}
