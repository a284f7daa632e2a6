import { formatDuration, parseDuration } from '../lib/duration.js'
import type { Settings } from '../model/settings.js'
import { imageNameMessage } from '../model/image-name.js'
import { SITES, parseGatewayOrigin, type Site } from '../ncloud/endpoints.js'
import {
  MEMBER_IMAGE_NAME_RULE,
  SERVER_IMAGE_NAME_RULE,
  nameProblem
} from '../ncloud/name-rules.js'

// The checks of single inputs: each returns the value read and adds a problem for a bad one,
// naming the input, what was wrong and the accepted form.

const TRUE = ['true', 'True', 'TRUE']
const FALSE = ['false', 'False', 'FALSE']

/**
 * With an explicit hypervisor the name is checked against that API's rule. With `auto` the kind is
 * known only after the server is read: a name that breaks both rules is refused now, naming each.
 */
export function imageNameProblem(name: string, hypervisor: string): string | undefined {
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

export function gatewayOrigin(
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
export function withoutUserInfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@')
}

const PLACEHOLDERS: Record<string, (now: Date) => string> = {
  date: now => now.toISOString().slice(0, 10).replace(/-/g, ''),
  time: now => now.toISOString().slice(11, 19).replace(/:/g, '')
}

/** Replaces {date} (UTC YYYYMMDD) and {time} (UTC HHMMSS); any other {…} is an input error. */
export function placeholders(text: string, name: string, now: Date, problems: string[]): string {
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
export function loginIds(text: string, problems: string[]): string[] {
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
const MAX_KEEP_DAYS = 3650

export function pruning(
  keepText: string,
  daysText: string,
  pattern: string,
  problems: string[]
): { keepLast?: number; keepDays?: number; pruneMatch?: string } {
  if (!keepText && !daysText && !pattern) return {}
  if (!keepText && !daysText) {
    problems.push(
      'Input "prune-match" needs keep-last or keep-days: how many matching images to keep (e.g. 7), or for how many days (e.g. 14).'
    )
    return {}
  }
  const keepLast = keepText
    ? wholeNumber(
        keepText,
        'keep-last',
        MAX_KEEP,
        "the images to keep, this run's included",
        problems
      )
    : undefined
  const keepDays = daysText
    ? wholeNumber(
        daysText,
        'keep-days',
        MAX_KEEP_DAYS,
        'the days within which images are kept',
        problems
      )
    : undefined
  const rules = [keepText && 'keep-last', daysText && 'keep-days'].filter(Boolean).join(' and ')
  if (!pattern) {
    problems.push(
      `Input "prune-match" is required with ${rules}: a name pattern in which * stands for any characters, e.g. nightly-*.`
    )
  } else if (!/^[A-Za-z0-9_*-]{1,30}$/.test(pattern)) {
    problems.push(
      `Input "prune-match" must be an image name pattern of letters, digits, "-", "_" and "*" (any characters), got "${pattern}".`
    )
  }
  return { keepLast, keepDays, pruneMatch: pattern }
}

function wholeNumber(
  text: string,
  name: string,
  max: number,
  what: string,
  problems: string[]
): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(value >= 1 && value <= max)) {
    problems.push(
      `Input "${name}" must be a whole number from 1 to ${max} (${what}), got "${text}".`
    )
  }
  return value
}

/** A number input (digits only), or '' when it is empty. */
export function number(
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

/** One of the allowed words (any case), or undefined when the value is none of them. */
export function oneOf<T extends string>(
  value: string,
  name: string,
  allowed: readonly T[],
  problems: string[]
): T | undefined {
  const lower = value.toLowerCase()
  const found = allowed.find(word => word === lower)
  if (found !== undefined) return found
  problems.push(`Input "${name}" must be one of ${allowed.join(', ')}, got "${value}".`)
  return undefined
}

export function bool(value: string, name: string, problems: string[]): boolean | undefined {
  if (TRUE.includes(value)) return true
  if (FALSE.includes(value)) return false
  problems.push(`Input "${name}" must be true or false, got "${value}".`)
  return undefined
}

export function duration(
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
