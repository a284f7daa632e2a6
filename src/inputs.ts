import { formatDuration, parseDuration } from './duration.js'
import {
  MAX_DESCRIPTION_BYTES,
  MEMBER_IMAGE_NAME_RULE,
  SERVER_IMAGE_NAME_RULE,
  descriptionBytes,
  generateImageName,
  nameProblem,
  type NameRule
} from './image-name.js'
import { SITES, isSite, parseGatewayOrigin, type Site } from './ncloud/endpoints.js'

export type Hypervisor = 'auto' | 'xen' | 'kvm'
export type IfExists = 'fail' | 'reuse'

export interface Settings {
  readonly accessKey: string
  readonly secretKey: string
  readonly serverInstanceNo: string
  readonly imageName: string
  readonly imageNameGenerated: boolean
  readonly imageDescription: string
  readonly region: string
  readonly origin: string
  /** Where the origin came from, for the log. */
  readonly originSource: 'api-url' | 'NCLOUD_API_GW' | 'site'
  readonly hypervisor: Hypervisor
  readonly ifExists: IfExists
  readonly wait: boolean
  readonly waitTimeoutMs: number
  readonly pollIntervalMs: number
  readonly requestTimeoutMs: number
  readonly dryRun: boolean
}

export interface InputSource {
  getInput(name: string): string
  env: Record<string, string | undefined>
  /** Called with each secret the moment it is read, before any other input is looked at. */
  mask(secret: string): void
  now: Date
}

export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

const MIN_POLL_INTERVAL_MS = 100
const MIN_REQUEST_TIMEOUT_MS = 100
const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

/** Reads and checks every input; returns complete, valid settings or throws InputError naming each bad input. */
export function readSettings(source: InputSource): Settings {
  const problems: string[] = []
  const input = (name: string): string => source.getInput(name).trim()

  const credential = (name: string, envName: string): string => {
    const value = input(name) || (source.env[envName] ?? '').trim()
    if (value) source.mask(value)
    else
      problems.push(
        `Input "${name}" is empty and the environment variable ${envName} is not set: pass the key from a secret, e.g. ${name}: \${{ secrets.${envName} }}.`
      )
    return value
  }
  const accessKey = credential('access-key', 'NCLOUD_ACCESS_KEY')
  const secretKey = credential('secret-key', 'NCLOUD_SECRET_KEY')

  const serverInstanceNo = input('server-instance-no')
  if (!serverInstanceNo)
    problems.push(
      'Input "server-instance-no" is required: the number of the server to image, e.g. 1234567.'
    )
  else if (!/^\d{1,20}$/.test(serverInstanceNo)) {
    problems.push(
      `Input "server-instance-no" must be the server's instance number (digits only), got "${serverInstanceNo}".`
    )
  }

  const hypervisor = oneOf(
    input('hypervisor') || 'auto',
    'hypervisor',
    ['auto', 'xen', 'kvm'],
    problems
  )
  const givenName = input('image-name')
  const imageName = givenName || generateImageName(serverInstanceNo || '0', source.now)
  if (givenName) {
    const problem = imageNameProblem(givenName, hypervisor ?? 'auto')
    if (problem) problems.push(problem)
  }

  const imageDescription = source.getInput('image-description')
  const bytes = descriptionBytes(imageDescription)
  if (bytes > MAX_DESCRIPTION_BYTES) {
    problems.push(
      `Input "image-description" has ${bytes} bytes of UTF-8; NCP accepts at most ${MAX_DESCRIPTION_BYTES}.`
    )
  }

  const region = (input('region') || 'KR').toUpperCase()
  if (!/^[A-Z]{2,10}$/.test(region)) {
    problems.push(
      `Input "region" must be an NCP region code such as KR, SGN or JPN, got "${input('region')}".`
    )
  }

  const siteText = (input('site') || 'public').toLowerCase()
  const site: Site = isSite(siteText) ? siteText : 'public'
  if (!isSite(siteText)) {
    problems.push(
      `Input "site" must be one of ${Object.keys(SITES).join(', ')}, got "${input('site')}".`
    )
  }

  const { origin, originSource } = gatewayOrigin(
    input('api-url'),
    source.env.NCLOUD_API_GW?.trim() ?? '',
    site,
    problems
  )

  const ifExists = oneOf(input('if-exists') || 'fail', 'if-exists', ['fail', 'reuse'], problems)
  const wait = bool(input('wait') || 'true', 'wait', problems)
  const dryRun = bool(input('dry-run') || 'false', 'dry-run', problems)
  const waitTimeoutMs = duration(input('wait-timeout') || '60m', 'wait-timeout', 1000, problems)
  const pollIntervalMs = duration(
    input('poll-interval') || '10s',
    'poll-interval',
    MIN_POLL_INTERVAL_MS,
    problems
  )
  const requestTimeoutMs = duration(
    input('request-timeout') || '30s',
    'request-timeout',
    MIN_REQUEST_TIMEOUT_MS,
    problems
  )
  if (
    waitTimeoutMs !== undefined &&
    pollIntervalMs !== undefined &&
    pollIntervalMs > waitTimeoutMs
  ) {
    problems.push(
      `Input "poll-interval" (${formatDuration(pollIntervalMs)}) must not be longer than "wait-timeout" (${formatDuration(waitTimeoutMs)}).`
    )
  }

  if (problems.length > 0) throw new InputError(problems)
  return Object.freeze({
    accessKey,
    secretKey,
    serverInstanceNo,
    imageName,
    imageNameGenerated: !givenName,
    imageDescription,
    region,
    origin,
    originSource,
    hypervisor: hypervisor as Hypervisor,
    ifExists: ifExists as IfExists,
    wait: wait as boolean,
    waitTimeoutMs: waitTimeoutMs as number,
    pollIntervalMs: pollIntervalMs as number,
    requestTimeoutMs: requestTimeoutMs as number,
    dryRun: dryRun as boolean
  })
}

/**
 * With an explicit hypervisor the name is checked against that API's rule; with `auto` the kind is
 * known only after the server is read, so here it must at least pass the looser (KVM) rule.
 */
function imageNameProblem(name: string, hypervisor: string): string | undefined {
  const rule: NameRule = hypervisor === 'xen' ? MEMBER_IMAGE_NAME_RULE : SERVER_IMAGE_NAME_RULE
  const problem = nameProblem(name, rule)
  return problem ? imageNameMessage(name, problem, rule) : undefined
}

export function imageNameMessage(name: string, problem: string, rule: NameRule): string {
  return `Input "image-name" "${name}" breaks the ${rule.label} naming rule: ${problem}. The rule: ${rule.text}.`
}

function gatewayOrigin(
  apiUrl: string,
  envUrl: string,
  site: Site,
  problems: string[]
): { origin: string; originSource: Settings['originSource'] } {
  const [text, originSource, name] = apiUrl
    ? ([apiUrl, 'api-url', 'Input "api-url"'] as const)
    : envUrl
      ? ([
          envUrl,
          'NCLOUD_API_GW',
          'The environment variable NCLOUD_API_GW (used because api-url is empty)'
        ] as const)
      : ([SITES[site], 'site', ''] as const)
  const parsed = parseGatewayOrigin(text)
  if ('problem' in parsed) {
    problems.push(
      `${name} "${withoutUserInfo(text)}" ${parsed.problem}. Give the gateway origin only, as https://host[:port] (http:// only for localhost, 127.x.x.x or [::1]).`
    )
    return { origin: SITES[site], originSource }
  }
  return { origin: parsed.origin, originSource }
}

/** A URL as it may be shown: a user name or password in it becomes `***`. */
function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@')
}

function oneOf(
  value: string,
  name: string,
  allowed: string[],
  problems: string[]
): string | undefined {
  const lower = value.toLowerCase()
  if (allowed.includes(lower)) return lower
  problems.push(`Input "${name}" must be one of ${allowed.join(', ')}, got "${value}".`)
  return undefined
}

function bool(value: string, name: string, problems: string[]): boolean | undefined {
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  problems.push(`Input "${name}" must be true or false, got "${value}".`)
  return undefined
}

function duration(
  value: string,
  name: string,
  minimumMs: number,
  problems: string[]
): number | undefined {
  const ms = parseDuration(value)
  if (ms === undefined) {
    problems.push(
      `Input "${name}" must be a duration such as 500ms, 90s, 45m or 1h30m, or a number of seconds, got "${value}".`
    )
    return undefined
  }
  if (ms < minimumMs) {
    problems.push(`Input "${name}" must be at least ${formatDuration(minimumMs)}, got "${value}".`)
    return undefined
  }
  return ms
}
