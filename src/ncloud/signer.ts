import { createHmac } from 'node:crypto'

export interface SigningInput {
  method: string
  /** Path plus `?query` exactly as sent, e.g. `/vserver/v2/getServerInstanceDetail`. */
  target: string
  timestamp: string
  accessKey: string
}

/** NCP API Gateway signature v2: METHOD SP target LF timestamp LF accessKey, HMAC-SHA256, Base64. */
export function stringToSign({ method, target, timestamp, accessKey }: SigningInput): string {
  return `${method.toUpperCase()} ${target}\n${timestamp}\n${accessKey}`
}

export function sign(input: SigningInput, secretKey: string): string {
  return createHmac('sha256', secretKey).update(stringToSign(input), 'utf8').digest('base64')
}
