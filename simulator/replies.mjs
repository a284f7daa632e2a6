// @ts-check
// The replies the gateway and the service send: success, gateway and service errors, XML, HTML.
import { RETURN_CODES } from './return-codes.mjs'

/**
 * A reply before it is sent. `drop` destroys the socket instead; `partial` sends part of the
 * body (the cut, stall and trickle faults).
 * @typedef {object} Reply
 * @property {number} status
 * @property {string} contentType
 * @property {string} body
 * @property {Record<string, string>} headers
 * @property {boolean} [drop]
 * @property {'cut' | 'stall' | 'trickle'} [partial]
 * @property {number} [intervalMs] trickle: ms between bytes.
 */

/** API Gateway errors (reference §7.1): [HTTP status, errorCode, message]. */
export const GATEWAY_ERRORS = {
  auth: /** @type {const} */ ([401, '200', 'Authentication Failed']),
  permission: /** @type {const} */ ([401, '210', 'Permission Denied']),
  notFound: /** @type {const} */ ([404, '300', 'Not Found Exception']),
  throttle: /** @type {const} */ ([429, '410', 'Throttle Limited']),
  'endpoint-error': /** @type {const} */ ([503, '500', 'Endpoint Error']),
  'endpoint-timeout': /** @type {const} */ ([504, '510', 'Endpoint Timeout']),
  unexpected: /** @type {const} */ ([500, '900', 'Unexpected Error'])
}
/** @typedef {keyof typeof GATEWAY_ERRORS} GatewayErrorKind */

/**
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @returns {Reply}
 */
export function jsonReply(status, body, headers = {}) {
  return {
    status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify(body),
    headers
  }
}

/**
 * @param {GatewayErrorKind} kind
 * @param {string} details
 * @param {Record<string, string>} [headers]
 * @param {string} [message]
 */
export function gatewayError(kind, details, headers, message = GATEWAY_ERRORS[kind][2]) {
  const [status, errorCode] = GATEWAY_ERRORS[kind]
  return jsonReply(status, { error: { errorCode, message, details } }, headers)
}

/**
 * @param {number} status
 * @param {string} returnCode
 * @param {string} returnMessage
 * @param {Record<string, string>} [headers]
 */
export function serviceError(status, returnCode, returnMessage, headers) {
  return jsonReply(status, { responseError: { returnCode, returnMessage } }, headers)
}

/** @returns {Reply} */
export function notJsonReply() {
  return {
    status: 400,
    contentType: 'application/xml;charset=UTF-8',
    body:
      '<?xml version="1.0" encoding="UTF-8"?><responseError>' +
      `<returnCode>${RETURN_CODES.notJson}</returnCode>` +
      '<returnMessage>This simulator answers only responseFormatType=json.</returnMessage>' +
      '</responseError>',
    headers: {}
  }
}

/**
 * @param {number} status
 * @param {string} body
 * @param {Record<string, string>} headers
 * @returns {Reply}
 */
export function htmlReply(status, body, headers) {
  return { status, contentType: 'text/html;charset=UTF-8', body, headers }
}
