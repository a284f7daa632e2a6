import type { Provenance } from './create-image.js'
import { formatDuration } from './duration.js'
import type { Outcome } from './failure.js'
import type { RunResult } from './result.js'

const HEADINGS: Record<Outcome, string> = {
  created: '✅ Server image created',
  reused: '✅ Existing server image used (if-exists: reuse)',
  creating: '⏳ Server image is being created',
  failed: '❌ Server image creation failed',
  'timed-out': '⏳ Server image still being created (wait timed out)',
  'wait-failed': '❌ Stopped waiting for the server image',
  cancelled: '⚠️ Cancelled',
  uncertain: '⚠️ An image may have been created: see below',
  'dry-run': '🧪 Dry run: nothing was created',
  error: '❌ Server image was not created'
}

const PROVENANCE: Record<Provenance, string> = {
  created: 'created by this run',
  adopted: 'created by this run (the reply was lost; found by name)',
  reused: 'already existed (if-exists: reuse)'
}

/** Renders the job summary as GitHub-flavoured Markdown; every value is shown as plain text. */
export function renderSummary(result: RunResult): string {
  const { server, image } = result
  const serverNo = server?.no ?? result.serverInstanceNo
  const rows: [string, string | undefined][] = [
    ['Server', serverNo && `${serverNo}${server?.name ? ` (${server.name})` : ''}`],
    ['Image number', image?.no],
    ['Image name', image?.name ?? result.imageName],
    ['Status', image?.status],
    ['Image', result.provenance && PROVENANCE[result.provenance]],
    [
      'Other images of this name',
      result.duplicates.length > 0 ? result.duplicates.map(d => d.no).join(', ') : undefined
    ],
    ['Region', result.region],
    [
      'Hypervisor',
      server &&
        `${server.hypervisor ?? 'not reported'}${result.kind ? ` (${result.kind.actions.create})` : ''}`
    ],
    ['Time taken', formatDuration(result.elapsedMs)]
  ]
  const lines = [
    `### ${HEADINGS[result.outcome]}`,
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

/**
 * Text that GitHub renders as itself: no HTML, no Markdown (links, images, emphasis, code), no
 * table breaks. Server messages end up here, so none of them may become markup.
 */
export function inert(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/\r\n|\r|\n/g, '<br>')
}
