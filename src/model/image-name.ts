import type { NameRule } from '../ncloud/name-rules.js'
import { stepMarker } from './provenance.js'

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
  if (nameSourceOf(seed.env) === 'run') {
    // GitHub's run ids are at most 19 digits (13 in base 36); a longer one keeps its last digits.
    const run = BigInt(runId).toString(36).slice(-13)
    const step = stepMarker(seed.env.GITHUB_JOB, seed.env.GITHUB_ACTION, seed.serverInstanceNo)
    return { name: withServer(seed.serverInstanceNo, `-${run}-${step}`), source: 'run' }
  }
  const stamp = seed.now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return { name: withServer(seed.serverInstanceNo, `-${stamp}`), source: 'time' }
}

/** What a generated name is made from: the workflow run when there is one, else the clock. */
export function nameSourceOf(env: Record<string, string | undefined>): 'run' | 'time' {
  return /^\d+$/.test(env.GITHUB_RUN_ID?.trim() ?? '') ? 'run' : 'time'
}

function withServer(serverInstanceNo: string, tail: string): string {
  const server = serverInstanceNo.slice(-(MAX_NAME - 'img-'.length - tail.length))
  return `img-${server}${tail}`
}

export function imageNameMessage(name: string, problem: string, rule: NameRule): string {
  return `Input "image-name" "${name}" breaks the ${rule.label} naming rule: ${problem}. The rule: ${rule.text}.`
}
