import { createHash } from 'node:crypto'

export interface NameRule {
  /** Which API's rule this is, for messages. */
  label: string
  text: string
  pattern: RegExp
  middle: RegExp
}

export const MEMBER_IMAGE_NAME_RULE: NameRule = {
  label: 'createMemberServerImageInstance (XEN/RHV)',
  text: '3-30 characters: lowercase letters, digits and "-", starting with a lowercase letter and ending with a lowercase letter or digit',
  pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/,
  middle: /^[a-z0-9-]$/
}

export const SERVER_IMAGE_NAME_RULE: NameRule = {
  label: 'createServerImage (KVM)',
  text: '3-30 characters: letters, digits, "-" and "_", starting with a lowercase letter and ending with a lowercase letter or digit',
  pattern: /^[a-z][A-Za-z0-9_-]{1,28}[a-z0-9]$/,
  middle: /^[A-Za-z0-9_-]$/
}

/** Says which part of a name breaks the rule, or returns undefined when it is valid. */
export function nameProblem(name: string, rule: NameRule): string | undefined {
  if (rule.pattern.test(name)) return undefined
  const chars = [...name]
  if (chars.length < 3 || chars.length > 30) return `it has ${chars.length} characters`
  if (!/^[a-z]$/.test(chars[0])) return `it starts with "${chars[0]}"`
  if (!/^[a-z0-9]$/.test(chars[chars.length - 1]))
    return `it ends with "${chars[chars.length - 1]}"`
  const bad = [...new Set(chars.slice(1, -1).filter(c => !rule.middle.test(c)))]
  return `it contains ${bad.map(c => `"${c}"`).join(', ')}`
}

/** Where the run's image name came from: the input, the workflow run, or the clock. */
export type NameSource = 'given' | 'run' | 'time'

/** What a generated name is made of. */
export interface NameSeed {
  serverInstanceNo: string
  now: Date
  /** The runner's environment: GITHUB_RUN_ID, GITHUB_JOB and GITHUB_ACTION make the name run-stable. */
  env: Record<string, string | undefined>
}

const MAX_NAME = 30

/**
 * A name valid under both rules and at most 30 characters. In a workflow run it is the same on
 * every attempt of the run ("Re-run jobs" keeps GITHUB_RUN_ID) and differs between jobs, steps
 * and servers: `img-<server>-<run id, base 36>-<hash of job, step and server>`. Outside a workflow
 * it is unique per server and second: `img-<server>-<yyyymmdd>-<hhmmss>`. Long server numbers keep
 * their last digits.
 */
export function generateImageName(seed: NameSeed): { name: string; source: NameSource } {
  const runId = seed.env.GITHUB_RUN_ID?.trim() ?? ''
  if (/^\d+$/.test(runId)) {
    // GitHub's run ids are at most 19 digits (13 in base 36); a longer one keeps its last digits.
    const run = BigInt(runId).toString(36).slice(-13)
    const step = stepMarker(seed.env.GITHUB_JOB, seed.env.GITHUB_ACTION, seed.serverInstanceNo)
    return { name: withServer(seed.serverInstanceNo, `-${run}-${step}`), source: 'run' }
  }
  const stamp = seed.now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return { name: withServer(seed.serverInstanceNo, `-${stamp}`), source: 'time' }
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

function withServer(serverInstanceNo: string, tail: string): string {
  const server = serverInstanceNo.slice(-(MAX_NAME - 'img-'.length - tail.length))
  return `img-${server}${tail}`
}

export const MAX_DESCRIPTION_BYTES = 1000

export function descriptionBytes(description: string): number {
  return Buffer.byteLength(description, 'utf8')
}
