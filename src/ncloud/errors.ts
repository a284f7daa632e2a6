import { formatDuration } from '../duration.js'

/**
 * Whether a failed request may have been carried out by the Server API:
 * - `no`: the gateway refused it, or no connection was made; sending it again is safe.
 * - `maybe`: it was sent and the answer was lost or ambiguous (dropped connection, 5xx, returnCode 1000).
 * - `yes`: the service read it and refused it.
 */
export type Reached = 'no' | 'maybe' | 'yes'

export type ErrorSource = 'gateway' | 'service' | 'network' | 'response'

export interface NcloudErrorFields {
  action: string
  source: ErrorSource
  httpStatus?: number
  /** The gateway's `errorCode` or the service's `returnCode`. */
  code?: string
  ncpMessage?: string
  details?: string
  requestId?: string
  transient: boolean
  reached: Reached
  retryAfterMs?: number
  /** Gateway clock minus ours, when the gateway sent a Date header. */
  clockSkewMs?: number
}

export class NcloudError extends Error {
  readonly fields: NcloudErrorFields

  constructor(fields: NcloudErrorFields) {
    super(`${summarize(fields)} ${hintFor(fields)}`)
    this.name = 'NcloudError'
    this.fields = fields
  }

  /** What failed, without the hint. */
  get summary(): string {
    return summarize(this.fields)
  }

  get transient(): boolean {
    return this.fields.transient
  }

  get reached(): Reached {
    return this.fields.reached
  }

  get hint(): string {
    return hintFor(this.fields)
  }
}

/** Gateway error codes (HTTP 429) for requests the gateway throttled before they reached the service. */
const THROTTLE_CODES = new Set(['400', '410', '420'])
/** Gateway error codes for trouble between the gateway and the service: worth another try. */
const GATEWAY_TRANSIENT_CODES = new Set(['500', '510', '900'])
const SERVICE_RETRY_LATER = '1000'
/** TLS failures: the certificate will not change on a retry. */
const TLS_FAILURE = /CERT|UNABLE_TO_VERIFY|^ERR_TLS_|^ERR_SSL_/
/** Connection errors raised before anything was sent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/**
 * Reads an HTTP answer: the `<action>Response` object of a success, or an NcloudError for
 * anything else (gateway error, service error, or a body that is not NCP's JSON).
 */
export function readAnswer(
  action: string,
  answer: HttpAnswer,
  nowMs: number
): Record<string, unknown> | NcloudError {
  const requestId =
    header(answer.headers, 'x-ncp-apigw-request-id') ?? header(answer.headers, 'x-ncp-trace-id')
  const common = {
    action,
    httpStatus: answer.status,
    requestId,
    retryAfterMs: parseRetryAfter(header(answer.headers, 'retry-after'), nowMs),
    clockSkewMs: clockSkew(header(answer.headers, 'date'), nowMs)
  }
  const json = parseJson(answer.body)
  const gateway = objectAt(json, 'error')
  if (gateway) {
    const code = stringOf(gateway.errorCode)
    return new NcloudError({
      ...common,
      source: 'gateway',
      code,
      ncpMessage: stringOf(gateway.message),
      details: stringOf(gateway.details),
      ...gatewayNature(code, answer.status)
    })
  }
  const service = objectAt(json, 'responseError')
  if (service) {
    const code = stringOf(service.returnCode)
    return new NcloudError({
      ...common,
      source: 'service',
      code,
      ncpMessage: stringOf(service.returnMessage),
      ...serviceNature(code, answer.status)
    })
  }
  const result = objectAt(json, `${action}Response`)
  if (answer.status >= 200 && answer.status < 300 && result) {
    const returnCode = stringOf(result.returnCode)
    if (returnCode === undefined || returnCode === '0') return result
    return new NcloudError({
      ...common,
      source: 'service',
      code: returnCode,
      ncpMessage: stringOf(result.returnMessage),
      requestId: stringOf(result.requestId) ?? requestId,
      ...serviceNature(returnCode, answer.status)
    })
  }
  return new NcloudError({
    ...common,
    source: 'response',
    details: snippet(answer.body),
    transient: answer.status === 429 || answer.status >= 500,
    reached: answer.status === 429 ? 'no' : 'maybe'
  })
}

/** What went wrong, in one line: an NcloudError's summary (without its hint) or an error's message. */
export function describeError(error: unknown): string {
  if (error instanceof NcloudError) return error.summary
  return error instanceof Error ? error.message : String(error)
}

/** An error from the socket: refused, reset, timed out, ... */
export function networkError(action: string, error: unknown): NcloudError {
  const code = (error as { code?: unknown })?.code
  const details = error instanceof Error ? error.message : String(error)
  const codeText =
    typeof code === 'string' ? code : /timeout/i.test(details) ? 'ETIMEDOUT' : undefined
  const tls = codeText !== undefined && TLS_FAILURE.test(codeText)
  return new NcloudError({
    action,
    source: 'network',
    code: codeText,
    details,
    transient: !tls,
    reached: tls || (codeText && NOT_CONNECTED.has(codeText)) ? 'no' : 'maybe'
  })
}

/** A service that failed on its own side (5xx) may have done the work before it failed. */
function serviceNature(
  code: string | undefined,
  status: number
): Pick<NcloudErrorFields, 'transient' | 'reached'> {
  if (code === SERVICE_RETRY_LATER) return { transient: true, reached: 'maybe' }
  return { transient: false, reached: status >= 500 ? 'maybe' : 'yes' }
}

function gatewayNature(
  code: string | undefined,
  status: number
): Pick<NcloudErrorFields, 'transient' | 'reached'> {
  if (code && THROTTLE_CODES.has(code)) return { transient: true, reached: 'no' }
  if (code && GATEWAY_TRANSIENT_CODES.has(code)) return { transient: true, reached: 'maybe' }
  if (status >= 500) return { transient: true, reached: 'maybe' }
  if (status === 429) return { transient: true, reached: 'no' }
  return { transient: false, reached: 'no' }
}

function summarize(f: NcloudErrorFields): string {
  const parts: string[] = []
  if (f.source === 'network') {
    const what = f.code && TLS_FAILURE.test(f.code) ? 'TLS failed' : 'no answer'
    parts.push(`${what} (${f.code ?? 'connection error'}${f.details ? `: ${f.details}` : ''})`)
  } else {
    if (f.httpStatus !== undefined) parts.push(`HTTP ${f.httpStatus}`)
    if (f.code !== undefined)
      parts.push(`NCP ${f.source === 'gateway' ? 'gateway error' : 'returnCode'} ${f.code}`)
    if (f.ncpMessage) parts.push(`"${f.ncpMessage}"`)
    if (f.details) parts.push(`(${f.details})`)
    if (f.source === 'response') parts.push('the answer is not NCP API JSON')
  }
  if (f.requestId) parts.push(`request id ${f.requestId}`)
  return `${f.action} failed: ${parts.join(', ')}.`
}

function hintFor(f: NcloudErrorFields): string {
  if (f.source === 'network') {
    if (f.code && TLS_FAILURE.test(f.code)) {
      return "The gateway's TLS certificate was not accepted: check api-url; if a proxy re-signs HTTPS, give Node its CA with NODE_EXTRA_CA_CERTS."
    }
    return "Check the runner's network and api-url; behind a proxy, set HTTPS_PROXY (and NO_PROXY)."
  }
  if (f.source === 'service') {
    if (f.code === SERVICE_RETRY_LATER) {
      return 'NCP asked to try again later; re-run the job in a few minutes.'
    }
    if ((f.httpStatus ?? 0) >= 500)
      return "NCP's Server API failed on its side: re-run the job later."
    return "This is NCP's own answer: its message says which value it did not accept."
  }
  if (f.source === 'response') {
    return 'Check that api-url (or NCLOUD_API_GW) points at the NCP API gateway and that no proxy rewrites the answer.'
  }
  switch (f.code) {
    case '200': {
      const skew =
        f.clockSkewMs !== undefined && Math.abs(f.clockSkewMs) > 60_000
          ? ` The gateway's clock differs from the runner's by ${formatDuration(Math.abs(f.clockSkewMs))}.`
          : ''
      return (
        'Check access-key and secret-key (an active API key pair of this account or sub account), and the ' +
        `runner's clock: NCP refuses requests more than 5 minutes off.${skew}`
      )
    }
    case '210':
      return 'The key may not call this API: give the sub account a policy that allows server management (for example NCP_SERVER_MANAGER).'
    case '230':
      return "The gateway refused the key: check the sub account's access settings (allowed source IPs, API access)."
    case '300':
      return 'The gateway does not know this API: check site, and that api-url is only the gateway origin.'
    case '400':
      return "The account's API quota is used up: wait for it to reset or ask NCP to raise it."
    case '410':
    case '420':
      return 'NCP is throttling requests: run fewer jobs against NCP at once, or raise poll-interval.'
    case '430':
      return 'The request is too large: shorten image-description.'
    case '100':
      return 'The gateway could not read the request: check api-url and that the inputs are valid UTF-8.'
    default:
      if ((f.httpStatus ?? 0) >= 500) {
        return "NCP's gateway could not get an answer from the Server API, usually for a short time: re-run the job later."
      }
      return "See NCP's message; check the inputs it names."
  }
}

/** Retry-After as whole seconds or an HTTP date (RFC 9110); anything else is ignored. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim() ?? ''
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/GMT$/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs)
}

function clockSkew(date: string | undefined, nowMs: number): number | undefined {
  if (!date) return undefined
  const at = Date.parse(date)
  return Number.isNaN(at) ? undefined : at - nowMs
}

function header(headers: HttpAnswer['headers'], name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const inner = (value as Record<string, unknown>)[key]
  return typeof inner === 'object' && inner !== null
    ? (inner as Record<string, unknown>)
    : undefined
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return undefined
}

function snippet(body: string): string | undefined {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!text) return undefined
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
