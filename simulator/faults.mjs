// @ts-check
// Injected faults: checking them, spending them, and the reply each one makes.
import { gatewayError, GATEWAY_ERRORS, htmlReply, jsonReply, serviceError } from './replies.mjs'
import { RETURN_CODES } from './return-codes.mjs'

const FAULT_KINDS = /** @type {const} */ ([
  'throttle',
  'endpoint-error',
  'endpoint-timeout',
  'unexpected',
  'service-retry',
  'service-internal',
  'drop',
  'permission',
  'cut',
  'stall',
  'trickle',
  'redirect',
  'not-json',
  'no-list',
  'no-rows',
  'huge'
])
/** @typedef {typeof FAULT_KINDS[number]} FaultKind */

// Faults that send (part of) the body the action produces; with when 'before' the action runs on
// a copy of the state, so the body is what it would have been but nothing changes.
const BODY_FAULTS = /** @type {const} */ (['cut', 'stall', 'trickle'])
const DEFAULT_HUGE_BYTES = 5 * 1024 * 1024
const DEFAULT_TRICKLE_MS = 2000

/**
 * One injected fault. Kinds:
 * - throttle 429/410, endpoint-error 503/500, endpoint-timeout 504/510, unexpected 500/900, permission 401/210: gateway errors.
 * - service-retry (500, returnCode 1000), service-internal (500, returnCode 1300): service errors.
 * - drop: the socket is destroyed without a reply.
 * - cut: headers with the Content-Length of the whole normal reply, half the body, then the socket is destroyed.
 * - stall: the same headers and half the body, then nothing until close().
 * - trickle: the same headers, then the body one byte every intervalMs until done or close().
 * - redirect: `status` (default 307) with a Location header (`location`) and a small HTML body.
 * - not-json: HTTP 200, text/html body.
 * - no-list: HTTP 200, `<action>Response` with returnCode '0' and totalRows 1 but no list key.
 * - no-rows: HTTP 200, `<action>Response` with returnCode '0', totalRows 0 and an empty list: with
 *   when 'before' nothing is done (a delete that deleted nothing, ncloud-api-next §1).
 * - huge: a gateway error (`status`, default 503) whose JSON body is `bytes` long (default 5 MiB), mostly error.details.
 * For cut/stall/trickle with when 'before', the body is what the action would have answered, but
 * the action's effects are undone (e.g. no image is made and its number is handed out again).
 * @typedef {object} Fault
 * @property {string} action An action name, or '*' for any action.
 * @property {FaultKind} kind
 * @property {'before' | 'after'} [when] 'before': answer with the fault and skip the action; 'after': do the action, then answer with the fault. Default 'before'.
 * @property {number} [times] How many matching requests get the fault. Default 1.
 * @property {number} [retryAfterSeconds] Adds a Retry-After header.
 * @property {string} [message] Gateway and service error kinds, and huge: replaces error.message / returnMessage.
 * @property {number} [intervalMs] trickle: ms between bytes (waited with SimulatorOptions.wait). Default 2000.
 * @property {string} [location] redirect: the Location header. Default `https://elsewhere.example.com/vserver/v2/<action>`.
 * @property {number} [status] redirect (default 307) and huge (default 503): the HTTP status.
 * @property {number} [bytes] huge: body size in bytes. Default 5 MiB.
 */
/** @typedef {Fault & { when: 'before' | 'after', times: number }} NormalizedFault */

/**
 * @param {Fault} fault
 * @returns {NormalizedFault}
 */
export function normalizeFault(fault) {
  if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind: ${fault.kind}`)
  if (!fault.action) throw new Error('a fault needs an action (or "*")')
  const normalized = { when: /** @type {const} */ ('before'), times: 1, ...fault }
  if (!['before', 'after'].includes(normalized.when)) {
    throw new Error(`fault "when" must be before or after, got ${normalized.when}`)
  }
  if (!(normalized.times >= 1)) throw new Error(`fault "times" must be at least 1`)
  for (const name of /** @type {const} */ (['intervalMs', 'bytes', 'status'])) {
    const value = normalized[name]
    if (value !== undefined && !(value >= 0)) {
      throw new Error(`fault "${name}" must be a number of at least 0`)
    }
  }
  return normalized
}

/**
 * The first fault for this action (or '*'), counted down.
 * @param {NormalizedFault[]} faults
 * @param {string} action
 */
export function takeFault(faults, action) {
  const index = faults.findIndex(f => f.action === action || f.action === '*')
  if (index < 0) return undefined
  const fault = faults[index]
  fault.times -= 1
  if (fault.times <= 0) faults.splice(index, 1)
  return fault
}

/**
 * Whether the fault sends (part of) the action's body, so the action must run first.
 * @param {FaultKind} kind
 */
export function sendsBody(kind) {
  return /** @type {readonly string[]} */ (BODY_FAULTS).includes(kind)
}

/**
 * @param {NormalizedFault} fault
 * @param {string} action
 * @param {import('./replies.mjs').Reply | undefined} normal the reply the action gave (when
 *   'after'), or would have given (body faults, 'before').
 * @param {string} requestId
 * @param {string} listKey the list key of the action's answer (no-rows)
 * @returns {import('./replies.mjs').Reply}
 */
export function faultReply(fault, action, normal, requestId, listKey) {
  const { kind, message } = fault
  /** @type {Record<string, string>} */
  const headers =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }
  switch (kind) {
    case 'drop':
      return { status: 0, contentType: '', body: '', headers: {}, drop: true }
    case 'cut':
    case 'stall':
    case 'trickle':
      if (!normal) throw new Error(`a ${kind} fault needs the action's reply`)
      return { ...normal, partial: kind, intervalMs: fault.intervalMs ?? DEFAULT_TRICKLE_MS }
    case 'service-retry':
      return serviceError(
        500,
        RETURN_CODES.retryLater,
        message ?? 'Please try your call again later.',
        headers
      )
    case 'service-internal':
      return serviceError(500, RETURN_CODES.internalError, message ?? 'Unknown error.', headers)
    case 'redirect': {
      const location = fault.location ?? `https://elsewhere.example.com/vserver/v2/${action}`
      const body = `<html><body><a href="${location}">Moved</a></body></html>`
      return htmlReply(fault.status ?? 307, body, { ...headers, location })
    }
    case 'not-json':
      return htmlReply(
        200,
        '<html><head><title>Service Unavailable</title></head>' +
          '<body><h1>Please try again in a few minutes.</h1></body></html>',
        headers
      )
    case 'no-list': {
      // Claims a row but carries no list.
      const response = { requestId, returnCode: '0', returnMessage: 'success', totalRows: 1 }
      return jsonReply(200, { [`${action}Response`]: response }, headers)
    }
    case 'no-rows': {
      const response = { requestId, returnCode: '0', returnMessage: 'success', totalRows: 0 }
      return jsonReply(200, { [`${action}Response`]: { ...response, [listKey]: [] } }, headers)
    }
    case 'huge':
      return hugeReply(fault, headers)
    default:
      return gatewayError(kind, 'injected fault', headers, message)
  }
}

/**
 * A gateway error of exactly fault.bytes bytes (or the bare error, if that is longer).
 * @param {NormalizedFault} fault
 * @param {Record<string, string>} headers
 */
function hugeReply(fault, headers) {
  const status = fault.status ?? 503
  const [, errorCode, defaultMessage] =
    Object.values(GATEWAY_ERRORS).find(([code]) => code === status) ?? GATEWAY_ERRORS.unexpected
  const error = { errorCode, message: fault.message ?? defaultMessage, details: '' }
  const padding = (fault.bytes ?? DEFAULT_HUGE_BYTES) - Buffer.byteLength(JSON.stringify({ error }))
  const sentence = 'The backend answered with more detail than anyone needs. '
  error.details = sentence
    .repeat(Math.ceil(Math.max(0, padding) / sentence.length))
    .slice(0, padding)
  return jsonReply(status, { error }, headers)
}
