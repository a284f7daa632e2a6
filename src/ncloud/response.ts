import type { HttpAnswer } from './transport.js'

/** What an answer says, before anyone decides what it means for the run. */
export type AnswerShape =
  | { shape: 'success'; result: Record<string, unknown> }
  /** The API gateway's own error: `{"error": {errorCode, message, details}}`. */
  | { shape: 'gateway'; code?: string; message?: string; details?: string }
  /** The Server API's error: `{"responseError": …}`, or a success wrapper with a returnCode other than 0. */
  | { shape: 'service'; code?: string; message?: string; requestId?: string }
  | { shape: 'redirect'; location?: string }
  | { shape: 'unreadable'; snippet?: string }

export interface AnswerFacts {
  httpStatus: number
  requestId?: string
  retryAfterMs?: number
  /** Gateway clock minus ours, when the gateway sent a Date header. */
  clockSkewMs?: number
}

/** Reads an HTTP answer into its shape and the facts every error message carries. Pure. */
export function parseAnswer(
  action: string,
  answer: HttpAnswer,
  nowMs: number
): { facts: AnswerFacts; answer: AnswerShape } {
  const facts: AnswerFacts = {
    httpStatus: answer.status,
    requestId:
      header(answer, 'x-ncp-apigw-request-id') ?? header(answer, 'x-ncp-trace-id') ?? undefined,
    retryAfterMs: parseRetryAfter(header(answer, 'retry-after'), nowMs),
    clockSkewMs: clockSkew(header(answer, 'date'), nowMs)
  }
  return { facts, answer: shapeOf(action, answer) }
}

function shapeOf(action: string, answer: HttpAnswer): AnswerShape {
  if (answer.status >= 300 && answer.status < 400) {
    return { shape: 'redirect', location: header(answer, 'location') }
  }
  const json = parseJson(answer.body)
  const gateway = objectAt(json, 'error')
  if (gateway) {
    return {
      shape: 'gateway',
      code: stringOf(gateway.errorCode),
      message: stringOf(gateway.message),
      details: stringOf(gateway.details)
    }
  }
  const service = objectAt(json, 'responseError')
  if (service) {
    // One NCP service is seen answering with responseCode/responseMessage instead (audit D7).
    return {
      shape: 'service',
      code: stringOf(service.returnCode ?? service.responseCode),
      message: stringOf(service.returnMessage ?? service.responseMessage)
    }
  }
  const result = objectAt(json, `${action}Response`)
  if (answer.status >= 200 && answer.status < 300 && result) {
    const returnCode = stringOf(result.returnCode)
    if (returnCode === undefined || returnCode === '0') return { shape: 'success', result }
    return {
      shape: 'service',
      code: returnCode,
      message: stringOf(result.returnMessage),
      requestId: stringOf(result.requestId)
    }
  }
  return { shape: 'unreadable', snippet: snippet(answer.body) }
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

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name]
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

/** NCP's own texts are short; anything longer is cut so a hostile answer cannot flood the log. */
const MAX_TEXT = 300

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return clip(value)
  if (typeof value === 'number') return String(value)
  return undefined
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text
}

function snippet(body: string): string | undefined {
  const text = body
    .slice(0, 4 * MAX_TEXT)
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!text) return undefined
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
