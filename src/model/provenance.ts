import { createHash } from 'node:crypto'

/** The workflow run an image is made in, from the runner's environment. */
export interface WorkflowRun {
  serverUrl?: string
  repository?: string
  sha?: string
  runId?: string
  job?: string
  action?: string
}

/** What a provenance description says: the source server and, in a workflow, the run and step. */
export interface Provenance {
  server: string
  runId?: string
  step?: string
}

const MARK = 'ncloud-server-image-action:'

export function workflowRunFrom(env: Record<string, string | undefined>): WorkflowRun {
  return {
    serverUrl: env.GITHUB_SERVER_URL?.trim() || undefined,
    repository: env.GITHUB_REPOSITORY?.trim() || undefined,
    sha: env.GITHUB_SHA?.trim() || undefined,
    runId: env.GITHUB_RUN_ID?.trim() || undefined,
    job: env.GITHUB_JOB?.trim() || undefined,
    action: env.GITHUB_ACTION?.trim() || undefined
  }
}

/**
 * The description the action writes when the user gives none: where the image came from, in a
 * form the action reads back to check an image's source server (KVM records have no such field).
 */
export function provenanceDescription(
  server: { no: string; name: string },
  run: WorkflowRun
): string {
  const parts = [`${MARK} server ${server.no}${server.name ? ` (${server.name})` : ''}`]
  if (run.repository) parts.push(`repository ${run.repository}`)
  if (run.sha) parts.push(`commit ${run.sha}`)
  return fitBytes([...parts, ...runParts(run, server.no)].join('; '), MAX_DESCRIPTION_BYTES)
}

const TEST_MARK = `${MARK} boot test of image `

/**
 * A test server's description: the image it boots, the source server, and this run and step, so
 * that a re-run of the same workflow run finds what an earlier attempt left.
 */
export function testServerDescription(
  image: { no: string; name: string },
  server: { no: string },
  run: WorkflowRun
): string {
  const parts = [`${TEST_MARK}${image.no} (${image.name}); server ${server.no}`]
  if (run.repository) parts.push(`repository ${run.repository}`)
  return fitBytes([...parts, ...runParts(run, server.no)].join('; '), MAX_DESCRIPTION_BYTES)
}

/** The run (its URL when known) and the step marker, in a workflow run. */
function runParts(run: WorkflowRun, serverInstanceNo: string): string[] {
  if (!run.runId) return []
  const url =
    run.serverUrl && run.repository ? `${run.serverUrl}/${run.repository}/actions/runs/` : ''
  return [`run ${url}${run.runId}`, `step ${stepMarker(run.job, run.action, serverInstanceNo)}`]
}

/** Whether a server's description marks it as a test server of this step of this workflow run. */
export function isTestServerOfThisStep(
  description: string | undefined,
  run: WorkflowRun,
  serverInstanceNo: string
): boolean {
  if (!description?.startsWith(TEST_MARK) || run.runId === undefined) return false
  return (
    /; server (\d{1,20})(?:;|$)/.exec(description)?.[1] === serverInstanceNo &&
    /; run (?:\S*\/)?(\d{1,20})(?:;|$)/.exec(description)?.[1] === run.runId &&
    /; step ([0-9a-f]{6})(?:;|$)/.exec(description)?.[1] ===
      stepMarker(run.job, run.action, serverInstanceNo)
  )
}

/** What a provenance description says, or undefined for any other description. */
function readProvenance(description: string | undefined): Provenance | undefined {
  if (!description?.startsWith(MARK)) return undefined
  const server = /^ server (\d{1,20})\b/.exec(description.slice(MARK.length))?.[1]
  if (!server) return undefined
  return {
    server,
    runId: /; run (?:\S*\/)?(\d{1,20})(?:;|$)/.exec(description)?.[1],
    step: /; step ([0-9a-f]{6})(?:;|$)/.exec(description)?.[1]
  }
}

/** The source server a provenance description names, or undefined for any other description. */
export function provenanceServer(description: string | undefined): string | undefined {
  return readProvenance(description)?.server
}

/** Whether an image's provenance says it was made by this step of this workflow run. */
export function madeByThisStep(
  description: string | undefined,
  run: WorkflowRun,
  serverInstanceNo: string
): boolean {
  const said = readProvenance(description)
  return (
    said !== undefined &&
    run.runId !== undefined &&
    said.server === serverInstanceNo &&
    said.runId === run.runId &&
    said.step === stepMarker(run.job, run.action, serverInstanceNo)
  )
}

function fitBytes(text: string, bytes: number): string {
  if (descriptionBytes(text) <= bytes) return text
  // Cut the UTF-8 bytes, then drop a character the cut split in two.
  const cut = Buffer.from(text, 'utf8')
    .subarray(0, bytes - 3)
    .toString('utf8')
  return `${cut.replace(/\uFFFD+$/, '')}...`
}

/** Six hex digits that tell the jobs, steps and servers of one workflow run apart. */
export function stepMarker(
  job: string | undefined,
  action: string | undefined,
  serverInstanceNo: string
): string {
  return createHash('sha256')
    .update([job ?? '', action ?? '', serverInstanceNo].join('\n'))
    .digest('hex')
    .slice(0, 6)
}

export const MAX_DESCRIPTION_BYTES = 1000

export function descriptionBytes(description: string): number {
  return Buffer.byteLength(description, 'utf8')
}
