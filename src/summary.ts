import { formatDuration } from './duration.js'

export type Outcome =
  | 'created'
  | 'reused'
  | 'creating'
  | 'failed'
  | 'timed-out'
  | 'wait-failed'
  | 'cancelled'
  | 'uncertain'
  | 'dry-run'
  | 'error'

/** What a run did, gathered as it goes, for the job summary. */
export interface RunReport {
  serverInstanceNo?: string
  serverName?: string
  region?: string
  hypervisor?: string
  api?: string
  imageNo?: string
  imageName?: string
  imageStatus?: string
  provenance?: string
  outcome: Outcome
  elapsedMs: number
  /** What went wrong, for a failed run. */
  problem?: string
  /** What the user can do now. */
  nextStep?: string
}

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

/** Renders the job summary as GitHub-flavoured Markdown. */
export function renderSummary(report: RunReport): string {
  const rows: [string, string | undefined][] = [
    [
      'Server',
      report.serverInstanceNo &&
        `${report.serverInstanceNo}${report.serverName ? ` (${report.serverName})` : ''}`
    ],
    ['Image number', report.imageNo],
    ['Image name', report.imageName],
    ['Status', report.imageStatus],
    ['Image', report.provenance],
    ['Region', report.region],
    [
      'Hypervisor',
      report.hypervisor && `${report.hypervisor}${report.api ? ` (${report.api})` : ''}`
    ],
    ['Time taken', formatDuration(report.elapsedMs)]
  ]
  const lines = [
    `### ${HEADINGS[report.outcome]}`,
    '',
    '| | |',
    '|---|---|',
    ...rows
      .filter(([, value]) => value)
      .map(([label, value]) => `| ${label} | ${cell(value as string)} |`)
  ]
  if (report.problem) lines.push('', `**What happened:** ${cell(report.problem)}`)
  if (report.nextStep) lines.push('', `**Next:** ${cell(report.nextStep)}`)
  return `${lines.join('\n')}\n`
}

function cell(text: string): string {
  return text.replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}
