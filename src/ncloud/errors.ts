import { formatDuration } from '../lib/duration.js'
import type { AnswerFacts, AnswerShape } from './response.js'
import type { TransportError } from './transport.js'
import type { NcloudErrorFields, Reached } from './error-fields.js'

/** Every failed NCP request: what failed, NCP's own words, whether to retry, what to do. */
export class NcloudError extends Error {
  constructor(readonly fields: NcloudErrorFields) {
    super(`${summarize(fields)} ${hintFor(fields)}`)
    this.name = 'NcloudError'
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
const TOO_LARGE = 'ERESPONSETOOLARGE'
/** Connection errors raised before anything was sent. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

/** Turns an answer that is not a success into the error the run reports. */
export function answerError(
  action: string,
  facts: AnswerFacts,
  answer: Exclude<AnswerShape, { shape: 'success' }>,
  gatewaySetting: string
): NcloudError {
  const common = { action, gatewaySetting, ...facts }
  const status = facts.httpStatus
  switch (answer.shape) {
    case 'gateway':
      return new NcloudError({
        ...common,
        source: 'gateway',
        code: answer.code,
        ncpMessage: answer.message,
        details: answer.details,
        ...gatewayNature(answer.code, status)
      })
    case 'service':
      return new NcloudError({
        ...common,
        source: 'service',
        code: answer.code,
        ncpMessage: answer.message,
        requestId: answer.requestId ?? facts.requestId,
        ...serviceNature(answer.code, status)
      })
    case 'redirect':
      // A redirect is the gateway's (or a proxy's) answer, never the service's: nothing was done.
      return new NcloudError({
        ...common,
        source: 'redirect',
        location: hostOf(answer.location),
        transient: false,
        reached: 'no'
      })
    case 'unreadable':
      return new NcloudError({
        ...common,
        source: 'response',
        details: answer.snippet,
        transient: status === 429 || status >= 500,
        reached: status === 429 ? 'no' : 'maybe'
      })
  }
}

/** A success whose content is not what the action needs (no list, no record). */
export function contentError(
  action: string,
  problem: string,
  gatewaySetting: string,
  requestId?: string
): NcloudError {
  return new NcloudError({
    action,
    gatewaySetting,
    source: 'response',
    httpStatus: 200,
    details: problem,
    incomplete: true,
    requestId,
    transient: false,
    reached: 'maybe'
  })
}

/** An exchange that ended without a complete answer: refused, reset, cut off, timed out. */
export function networkError(
  action: string,
  error: TransportError,
  gatewaySetting: string
): NcloudError {
  const tls = TLS_FAILURE.test(error.code)
  return new NcloudError({
    action,
    gatewaySetting,
    source: 'network',
    code: error.code,
    details: error.message,
    // A certificate or an oversized answer will be the same on the next try.
    transient: !tls && error.code !== TOO_LARGE,
    reached: tls || NOT_CONNECTED.has(error.code) || !error.sent ? 'no' : 'maybe'
  })
}

/** What went wrong, in one line: an NcloudError's summary (without its hint) or an error's message. */
export function describeError(error: unknown): string {
  if (error instanceof NcloudError) return error.summary
  return error instanceof Error ? error.message : String(error)
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

function hostOf(location: string | undefined): string | undefined {
  if (!location) return undefined
  try {
    return new URL(location).host
  } catch {
    return location.slice(0, 100)
  }
}

function summarize(f: NcloudErrorFields): string {
  const parts: string[] = []
  if (f.source === 'network') {
    const what = f.code && TLS_FAILURE.test(f.code) ? 'TLS failed' : 'no answer'
    parts.push(`${what} (${f.code ?? 'connection error'}${f.details ? `: ${f.details}` : ''})`)
  } else {
    if (f.httpStatus !== undefined) parts.push(`HTTP ${f.httpStatus}`)
    if (f.source === 'redirect') parts.push(`a redirect to ${f.location ?? 'no Location'}`)
    if (f.code !== undefined)
      parts.push(`NCP ${f.source === 'gateway' ? 'gateway error' : 'returnCode'} ${f.code}`)
    if (f.ncpMessage) parts.push(`"${f.ncpMessage}"`)
    if (f.details) parts.push(`(${f.details})`)
    if (f.source === 'response' && !f.incomplete) parts.push('the answer is not NCP API JSON')
  }
  if (f.requestId) parts.push(`request id ${f.requestId}`)
  return `${f.action} failed: ${parts.join(', ')}.`
}

function hintFor(f: NcloudErrorFields): string {
  const gateway = f.gatewaySetting
  if (f.source === 'network') {
    if (f.code && TLS_FAILURE.test(f.code)) {
      return `The gateway's TLS certificate was not accepted: check ${gateway}; if a proxy re-signs HTTPS, give Node its CA with NODE_EXTRA_CA_CERTS.`
    }
    return `Check the runner's network and ${gateway}; behind a proxy, set HTTPS_PROXY (and NO_PROXY).`
  }
  if (f.source === 'redirect') {
    const from = gateway === 'api-url' ? '' : ` (the gateway now comes from ${gateway})`
    return `The NCP API gateway does not redirect, so the request did not reach it and nothing was done: set api-url to the gateway origin, e.g. https://ncloud.apigw.ntruss.com${from}.`
  }
  if (f.source === 'service') {
    if (f.code === SERVICE_RETRY_LATER) {
      return 'NCP asked to try again later; re-run the job in a few minutes.'
    }
    if ((f.httpStatus ?? 0) >= 500)
      return "NCP's Server API failed on its side: re-run the job later."
    return "This is NCP's own answer: its message says which value it did not accept."
  }
  if (f.source === 'response' && f.pagesDisagree) {
    return "NCP's pages of this list do not add up to its own count, so the list is not trusted. Re-run the job; if it persists, report it to NCP with the request ids in the debug log."
  }
  if (f.source === 'response' && f.incomplete) {
    return "NCP answered success without the record the action needs; it is looked up again where that is safe. If it persists, check NCP's status."
  }
  if (f.source === 'response') {
    return `Check that ${gateway} points at the NCP API gateway and that no proxy rewrites the answer.`
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
      return `The gateway does not know this API: check site, and that ${gateway} is only the gateway origin.`
    case '400':
      return "The account's API quota is used up: wait for it to reset or ask NCP to raise it."
    case '410':
    case '420':
      return 'NCP is throttling requests: run fewer jobs against NCP at once, or raise poll-interval.'
    case '430':
      return 'The request is too large: shorten image-description.'
    case '100':
      return `The gateway could not read the request: check ${gateway} and that the inputs are valid UTF-8.`
    default:
      if ((f.httpStatus ?? 0) >= 500) {
        return "NCP's gateway could not get an answer from the Server API, usually for a short time: re-run the job later."
      }
      return "See NCP's message; check the inputs it names."
  }
}
