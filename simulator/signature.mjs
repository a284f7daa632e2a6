// @ts-check
// The gateway's signature v2 check, written here on purpose: the simulator must agree with NCP's
// reference, not with the action's own signer (never import src/ncloud/signer.ts).
import { createHmac, timingSafeEqual } from 'node:crypto'

const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000

/**
 * @param {string} secretKey
 * @param {string} stringToSign
 */
function sign(secretKey, stringToSign) {
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('base64')
}

/**
 * @param {string} a
 * @param {string} b
 */
function sameText(a, b) {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Returns why authentication failed, or null when the request is signed correctly.
 * @param {{ method?: string, url?: string, headers: import('node:http').IncomingHttpHeaders }} req
 * @param {Record<string, string>} credentials accessKey → secretKey
 * @param {number} clockMs the gateway's clock
 */
export function checkAuth(req, credentials, clockMs) {
  const timestamp = header(req, 'x-ncp-apigw-timestamp')
  const accessKey = header(req, 'x-ncp-iam-access-key')
  const signature = header(req, 'x-ncp-apigw-signature-v2')
  if (!timestamp) return 'missing header x-ncp-apigw-timestamp'
  if (!accessKey) return 'missing header x-ncp-iam-access-key'
  if (!signature) {
    const hint = req.headers['x-ncp-apigw-signature-v1'] ? ' (got only the -v1 header)' : ''
    return `missing header x-ncp-apigw-signature-v2${hint}`
  }
  if (!Object.hasOwn(credentials, accessKey)) return 'unknown access key'
  if (!/^\d+$/.test(timestamp)) return 'x-ncp-apigw-timestamp is not a millisecond epoch'
  if (Math.abs(clockMs - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    return 'x-ncp-apigw-timestamp is more than 5 minutes away from the gateway clock'
  }
  const stringToSign = `${req.method} ${req.url}\n${timestamp}\n${accessKey}`
  if (!sameText(sign(credentials[accessKey], stringToSign), signature)) {
    // Names what was signed, but not the access key: gateway details end up in logs.
    return `signature mismatch; expected the signature of "${req.method} ${req.url}", the timestamp and the access key`
  }
  return null
}

/**
 * A header as one string (Node gives custom headers as strings already).
 * @param {{ headers: import('node:http').IncomingHttpHeaders }} req
 * @param {string} name
 */
export function header(req, name) {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/**
 * @param {boolean | string[]} setting SimulatorOptions.permissionDenied
 * @param {string | undefined} accessKey
 */
export function isPermissionDenied(setting, accessKey) {
  return Array.isArray(setting) ? setting.includes(accessKey ?? '') : setting === true
}
