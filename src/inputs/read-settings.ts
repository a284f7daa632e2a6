import { formatDuration, parseDuration } from '../lib/duration.js'
import {
  MAX_DESCRIPTION_BYTES,
  MEMBER_IMAGE_NAME_RULE,
  SERVER_IMAGE_NAME_RULE,
  descriptionBytes,
  generateImageName,
  nameProblem,
  type NameRule,
  type NameSeed,
  type NameSource
} from '../model/image-name.js'
import { SITES, isSite, parseGatewayOrigin, type Site } from '../ncloud/endpoints.js'
import { workflowRunFrom, type WorkflowRun } from '../model/provenance.js'

export type Hypervisor = 'auto' | 'xen' | 'kvm'
export type IfExists = 'fail' | 'reuse'

export interface Settings {
  readonly accessKey: string
  readonly secretKey: string
  /** Empty when image-instance-no is given without it. */
  readonly serverInstanceNo: string
  /** The server's exact name, instead of its number; empty when not given. */
  readonly serverName: string
  /** An existing image to wait for instead of creating one; empty otherwise. */
  readonly imageInstanceNo: string
  /** image-name with its placeholders replaced; empty when a name is to be generated. */
  readonly imageName: string
  readonly nameSource: NameSource
  /** image-name has {date} or {time}: it may differ between attempts of one workflow run. */
  readonly nameChanges: boolean
  /** What a generated name is made of, with the server's number. */
  readonly nameSeed: Omit<NameSeed, 'serverInstanceNo'>
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
  /** Stop a running server for the image, and start it again afterwards. */
  readonly stopServer: boolean
  /** NCP login IDs to share the image with once it is created. */
  readonly shareWith: readonly string[]
  /** Keep this many newest images that match pruneMatch; undefined: no pruning. */
  readonly keepLast?: number
  readonly pruneMatch?: string
  /** The workflow run, for the provenance description. */
  readonly workflow: WorkflowRun
  /** Things the user should know that are not errors. */
  readonly warnings: readonly string[]
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

  const imageInstanceNo = number('image-instance-no', "the image's number", problems, input)
  const serverInstanceNo = number(
    'server-instance-no',
    "the server's instance number",
    problems,
    input
  )
  const serverName = input('server-name')
  if (serverName && input('server-instance-no')) {
    problems.push(
      'Inputs "server-instance-no" and "server-name" are both given: give one of them, the server\'s number or its exact name.'
    )
  } else if (serverName && !/^[^\s,;]{1,255}$/.test(serverName)) {
    problems.push(
      `Input "server-name" must be a server's exact name (no spaces, commas or semicolons), got "${serverName}".`
    )
  }
  if (!input('server-instance-no') && !serverName && !input('image-instance-no')) {
    problems.push(
      'Input "server-instance-no" is required: the number of the server to image, e.g. 1234567 (or give server-name, or image-instance-no to wait for an existing image).'
    )
  }

  const hypervisor = oneOf(
    input('hypervisor') || 'auto',
    'hypervisor',
    ['auto', 'xen', 'kvm'],
    problems
  )
  const givenName = placeholders(input('image-name'), 'image-name', source.now, problems)
  // The source of a generated name is known now; the name itself once the server is.
  const nameSeed = { now: source.now, env: source.env }
  const generatedSource = generateImageName({ ...nameSeed, serverInstanceNo: '0' }).source
  if (givenName && !imageInstanceNo) {
    const problem = imageNameProblem(givenName, hypervisor ?? 'auto')
    if (problem) problems.push(problem)
  }
  const warnings: string[] = []
  if (imageInstanceNo) {
    for (const name of ['image-name', 'image-description', 'stop-server']) {
      if (source.getInput(name) && !(name === 'stop-server' && /^false$/i.test(input(name)))) {
        warnings.push(`Input "${name}" is not used: image-instance-no resumes an existing image.`)
      }
    }
  }

  const imageDescription = placeholders(
    source.getInput('image-description'),
    'image-description',
    source.now,
    problems
  )
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
  if (originSource === 'NCLOUD_API_GW' && site !== 'public') {
    warnings.push(
      `The environment variable NCLOUD_API_GW (${origin}) overrides site: ${site}; requests go to ${origin}. Unset NCLOUD_API_GW, or set api-url, to choose the gateway explicitly.`
    )
  }

  const ifExists = oneOf(input('if-exists') || 'fail', 'if-exists', ['fail', 'reuse'], problems)
  const wait = bool(input('wait') || 'true', 'wait', problems)
  const shareWith = loginIds(source.getInput('share-with'), problems)
  const { keepLast, pruneMatch } = pruning(input('keep-last'), input('prune-match'), problems)
  const stopServer = bool(input('stop-server') || 'false', 'stop-server', problems)
  if (wait === false) {
    if (stopServer) {
      problems.push(
        'Input "stop-server" needs wait: true: the action starts the server again only once the image is made, so it must wait for it.'
      )
    }
    if (shareWith.length > 0) {
      problems.push(
        'Input "share-with" needs wait: true: an image can be shared only once NCP has created it.'
      )
    }
    if (keepLast !== undefined) {
      problems.push(
        'Input "keep-last" needs wait: true: old images are pruned only once the new one is created.'
      )
    }
  }
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
    serverName,
    imageInstanceNo,
    imageName: givenName,
    nameChanges: /\{(date|time)\}/.test(input('image-name')),
    nameSource: givenName ? 'given' : generatedSource,
    nameSeed,
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
    dryRun: dryRun as boolean,
    stopServer: stopServer as boolean,
    shareWith,
    keepLast,
    pruneMatch,
    workflow: workflowRunFrom(source.env),
    warnings
  })
}

/**
 * With an explicit hypervisor the name is checked against that API's rule. With `auto` the kind is
 * known only after the server is read: a name that breaks both rules is refused now, naming each.
 */
function imageNameProblem(name: string, hypervisor: string): string | undefined {
  if (hypervisor !== 'auto') {
    const rule = hypervisor === 'xen' ? MEMBER_IMAGE_NAME_RULE : SERVER_IMAGE_NAME_RULE
    const problem = nameProblem(name, rule)
    return problem ? imageNameMessage(name, problem, rule) : undefined
  }
  const broken = [MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE].map(rule => ({
    rule,
    problem: nameProblem(name, rule)
  }))
  if (broken.some(({ problem }) => !problem)) return undefined
  return (
    `Input "image-name" "${name}" breaks the naming rule of both image kinds: ` +
    broken
      .map(({ rule, problem }) => `${rule.label}: ${problem} (the rule: ${rule.text})`)
      .join('; ') +
    '.'
  )
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

const PLACEHOLDERS: Record<string, (now: Date) => string> = {
  date: now => now.toISOString().slice(0, 10).replace(/-/g, ''),
  time: now => now.toISOString().slice(11, 19).replace(/:/g, '')
}

/** Replaces {date} (UTC YYYYMMDD) and {time} (UTC HHMMSS); any other {…} is an input error. */
function placeholders(text: string, name: string, now: Date, problems: string[]): string {
  const unknown = [...text.matchAll(/\{([^{}]*)\}/g)]
    .map(match => match[1])
    .filter(key => !Object.hasOwn(PLACEHOLDERS, key))
  if (unknown.length > 0) {
    problems.push(
      `Input "${name}" has the unknown placeholder ${unknown.map(key => `{${key}}`).join(', ')}: only {date} (UTC YYYYMMDD) and {time} (UTC HHMMSS) are replaced.`
    )
    return text
  }
  return text.replace(/\{(date|time)\}/g, (_match, key: string) => PLACEHOLDERS[key](now))
}

/** NCP login IDs: an e-mail address or an account name. */
const LOGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._%+@-]{0,99}$/

/** share-with: login IDs separated by commas or new lines; blank entries are ignored. */
function loginIds(text: string, problems: string[]): string[] {
  const entries = text
    .split(/[,\r\n]/)
    .map(entry => entry.trim())
    .filter(Boolean)
  const bad = entries.filter(entry => !LOGIN_ID.test(entry))
  for (const entry of bad) {
    problems.push(
      `Input "share-with" has the entry "${entry}", which is not an NCP login ID: give login IDs (e-mail addresses or account names) separated by commas or new lines.`
    )
  }
  return bad.length > 0 ? [] : [...new Set(entries)]
}

const MAX_KEEP = 1000

function pruning(
  keepText: string,
  pattern: string,
  problems: string[]
): { keepLast?: number; pruneMatch?: string } {
  if (!keepText && !pattern) return {}
  if (!keepText) {
    problems.push('Input "prune-match" needs keep-last: how many matching images to keep, e.g. 7.')
    return {}
  }
  const keepLast = /^\d+$/.test(keepText) ? Number(keepText) : NaN
  if (!(keepLast >= 1 && keepLast <= MAX_KEEP)) {
    problems.push(
      `Input "keep-last" must be a whole number from 1 to ${MAX_KEEP} (the images to keep, this run's included), got "${keepText}".`
    )
  }
  if (!pattern) {
    problems.push(
      'Input "prune-match" is required with keep-last: a name pattern in which * stands for any characters, e.g. nightly-*.'
    )
  } else if (!/^[A-Za-z0-9_*-]{1,30}$/.test(pattern)) {
    problems.push(
      `Input "prune-match" must be an image name pattern of letters, digits, "-", "_" and "*" (any characters), got "${pattern}".`
    )
  }
  return { keepLast, pruneMatch: pattern }
}

/** A number input (digits only), or '' when it is empty. */
function number(
  name: string,
  what: string,
  problems: string[],
  input: (name: string) => string
): string {
  const value = input(name)
  if (value && !/^\d{1,20}$/.test(value)) {
    problems.push(`Input "${name}" must be ${what} (digits only), got "${value}".`)
    return ''
  }
  return value
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
