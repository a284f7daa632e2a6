import { describe, expect, it } from '@jest/globals'
import {
  NcloudError,
  networkError,
  parseRetryAfter,
  readAnswer,
  type HttpAnswer
} from '../src/ncloud/errors.js'

const NOW = Date.UTC(2026, 11, 1, 7, 33, 21)
const ACTION = 'createMemberServerImageInstance'

function answer(status: number, body: unknown, headers: HttpAnswer['headers'] = {}): HttpAnswer {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

function gateway(
  status: number,
  errorCode: string | number,
  message: string,
  headers: HttpAnswer['headers'] = {}
) {
  return answer(status, { error: { errorCode, message, details: '' } }, headers)
}

/** readAnswer's result, which must be an NcloudError. */
function errorOf(result: ReturnType<typeof readAnswer>): NcloudError {
  expect(result).toBeInstanceOf(NcloudError)
  return result as NcloudError
}

describe('readAnswer: success', () => {
  it('returns the <action>Response object', () => {
    const inner = {
      requestId: 'r-1',
      returnCode: '0',
      returnMessage: 'success',
      totalRows: 1,
      memberServerImageInstanceList: [{ memberServerImageInstanceNo: '5' }]
    }
    expect(readAnswer(ACTION, answer(200, { [`${ACTION}Response`]: inner }), NOW)).toEqual(inner)
  })

  it('accepts a response without returnCode', () => {
    const inner = { serverImageList: [] }
    expect(
      readAnswer('getServerImageList', answer(200, { getServerImageListResponse: inner }), NOW)
    ).toEqual(inner)
  })

  it('treats a non-zero returnCode inside a 200 response as a service error', () => {
    const error = errorOf(
      readAnswer(
        ACTION,
        answer(200, { [`${ACTION}Response`]: { returnCode: '10712', returnMessage: 'No.' } }),
        NOW
      )
    )
    expect(error.fields).toMatchObject({
      source: 'service',
      code: '10712',
      reached: 'yes',
      transient: false
    })
  })

  it('does not take another action’s response for this one', () => {
    const error = errorOf(
      readAnswer(ACTION, answer(200, { getServerImageListResponse: { returnCode: '0' } }), NOW)
    )
    expect(error.fields.source).toBe('response')
  })
})

describe('readAnswer: gateway errors', () => {
  it('401/200 is permanent, never reached the service, and hints at the keys and the clock', () => {
    const error = errorOf(readAnswer(ACTION, gateway(401, '200', 'Authentication Failed'), NOW))
    expect(error.fields).toMatchObject({
      source: 'gateway',
      httpStatus: 401,
      code: '200',
      transient: false,
      reached: 'no'
    })
    expect(error.transient).toBe(false)
    expect(error.reached).toBe('no')
    expect(error.hint).toContain('access-key')
    expect(error.hint).toContain('secret-key')
    expect(error.hint).toContain('clock')
    expect(error.hint).not.toContain('differs')
    expect(error.summary).toBe(
      `${ACTION} failed: HTTP 401, NCP gateway error 200, "Authentication Failed".`
    )
    expect(error.message).toBe(`${error.summary} ${error.hint}`)
  })

  it('401/200 with a Date header 10 minutes off says how far the clocks differ', () => {
    const date = new Date(NOW + 10 * 60_000).toUTCString()
    const error = errorOf(
      readAnswer(ACTION, gateway(401, '200', 'Authentication Failed', { date }), NOW)
    )
    expect(error.fields.clockSkewMs).toBe(600_000)
    expect(error.hint).toContain("The gateway's clock differs from the runner's by 10m00s.")
  })

  it('a gateway clock behind ours is reported the same way', () => {
    const date = new Date(NOW - 10 * 60_000).toUTCString()
    const error = errorOf(
      readAnswer(ACTION, gateway(401, '200', 'Authentication Failed', { date }), NOW)
    )
    expect(error.fields.clockSkewMs).toBe(-600_000)
    expect(error.hint).toContain('by 10m00s')
  })

  it('a Date header only seconds off is not blamed', () => {
    const date = new Date(NOW + 5_000).toUTCString()
    const error = errorOf(
      readAnswer(ACTION, gateway(401, '200', 'Authentication Failed', { date }), NOW)
    )
    expect(error.hint).not.toContain('differs')
  })

  it('401/210 hints at the sub account policy', () => {
    const error = errorOf(readAnswer(ACTION, gateway(401, '210', 'Permission Denied'), NOW))
    expect(error.fields).toMatchObject({ transient: false, reached: 'no', code: '210' })
    expect(error.hint).toContain('sub account a policy')
  })

  it.each([
    [429, '410', 'Throttle Limited'],
    [429, '400', 'Quota Exceeded'],
    [429, '420', 'Rate Limited']
  ])('%d/%s is transient and never reached the service', (status, code, message) => {
    const error = errorOf(readAnswer(ACTION, gateway(status, code, message), NOW))
    expect(error.fields).toMatchObject({ source: 'gateway', code, transient: true, reached: 'no' })
  })

  it.each([
    [503, '500', 'Endpoint Error'],
    [504, '510', 'Endpoint Timeout'],
    [500, '900', 'Unexpected Error']
  ])('%d/%s is transient and may have reached the service', (status, code, message) => {
    const error = errorOf(readAnswer(ACTION, gateway(status, code, message), NOW))
    expect(error.fields).toMatchObject({
      source: 'gateway',
      code,
      transient: true,
      reached: 'maybe'
    })
    expect(error.hint).toContain('re-run the job later')
  })

  it('a gateway error with an unknown code is judged by the HTTP status', () => {
    expect(
      errorOf(readAnswer(ACTION, gateway(502, '999', 'Bad Gateway'), NOW)).fields
    ).toMatchObject({
      transient: true,
      reached: 'maybe'
    })
    expect(errorOf(readAnswer(ACTION, gateway(429, '999', 'Slow down'), NOW)).fields).toMatchObject(
      {
        transient: true,
        reached: 'no'
      }
    )
    expect(errorOf(readAnswer(ACTION, gateway(403, '230', 'Forbidden'), NOW)).fields).toMatchObject(
      {
        transient: false,
        reached: 'no'
      }
    )
  })

  it('reads errorCode given as a number', () => {
    const error = errorOf(readAnswer(ACTION, gateway(429, 410, 'Throttle Limited'), NOW))
    expect(error.fields.code).toBe('410')
    expect(error.fields).toMatchObject({ transient: true, reached: 'no' })
    expect(error.hint).toContain('throttling')
  })

  it('shows the request id from x-ncp-apigw-request-id in the message', () => {
    const error = errorOf(
      readAnswer(
        ACTION,
        gateway(401, '200', 'Authentication Failed', { 'x-ncp-apigw-request-id': 'req-42' }),
        NOW
      )
    )
    expect(error.fields.requestId).toBe('req-42')
    expect(error.summary).toContain('request id req-42')
    expect(error.message).toContain('request id req-42')
  })

  it('falls back to x-ncp-trace-id for the request id, and takes the first of a repeated header', () => {
    const traced = errorOf(
      readAnswer(ACTION, gateway(503, '500', 'Endpoint Error', { 'x-ncp-trace-id': 't-1' }), NOW)
    )
    expect(traced.summary).toContain('request id t-1')
    const repeated = errorOf(
      readAnswer(
        ACTION,
        gateway(503, '500', 'Endpoint Error', { 'x-ncp-apigw-request-id': ['a', 'b'] }),
        NOW
      )
    )
    expect(repeated.fields.requestId).toBe('a')
  })

  it('shows the details the gateway gave', () => {
    const body = {
      error: {
        errorCode: '200',
        message: 'Authentication Failed',
        details: 'This account is not allowed.'
      }
    }
    const error = errorOf(readAnswer(ACTION, answer(401, body), NOW))
    expect(error.summary).toContain('(This account is not allowed.)')
  })
})

describe('readAnswer: Retry-After', () => {
  it('reads seconds', () => {
    const error = errorOf(
      readAnswer(ACTION, gateway(429, '410', 'Throttle Limited', { 'retry-after': '7' }), NOW)
    )
    expect(error.fields.retryAfterMs).toBe(7_000)
  })

  it('reads an HTTP date, relative to now', () => {
    const when = new Date(NOW + 30_000).toUTCString()
    const error = errorOf(
      readAnswer(ACTION, gateway(503, '500', 'Endpoint Error', { 'retry-after': when }), NOW)
    )
    expect(error.fields.retryAfterMs).toBe(30_000)
  })

  it('is absent when the header is', () => {
    const error = errorOf(readAnswer(ACTION, gateway(429, '410', 'Throttle Limited'), NOW))
    expect(error.fields.retryAfterMs).toBeUndefined()
  })
})

describe('parseRetryAfter', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['  ', undefined],
    ['0', 0],
    [' 12 ', 12_000],
    ['not a date', undefined],
    ['1.5', undefined],
    ['-1', undefined],
    ['2026-12-01', undefined],
    [new Date(NOW - 5_000).toUTCString(), 0],
    [new Date(NOW + 90_000).toUTCString(), 90_000]
  ])('%j gives %j', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms)
  })
})

describe('readAnswer: service errors', () => {
  it('400 responseError is permanent, reached the service, and shows returnCode and returnMessage verbatim', () => {
    const returnMessage = 'Not found product. Please check your input product.'
    const error = errorOf(
      readAnswer(
        ACTION,
        answer(400, { responseError: { returnCode: '10712', returnMessage } }),
        NOW
      )
    )
    expect(error.fields).toMatchObject({
      source: 'service',
      httpStatus: 400,
      code: '10712',
      transient: false,
      reached: 'yes'
    })
    expect(error.message).toContain('NCP returnCode 10712')
    expect(error.message).toContain(`"${returnMessage}"`)
    expect(error.hint).toContain('its message says which value it did not accept')
  })

  it('500 responseError 1000 is transient and may have reached the service', () => {
    const body = {
      responseError: { returnCode: '1000', returnMessage: 'Please try your call again later.' }
    }
    const error = errorOf(readAnswer(ACTION, answer(500, body), NOW))
    expect(error.fields).toMatchObject({
      source: 'service',
      code: '1000',
      transient: true,
      reached: 'maybe'
    })
    expect(error.hint).toContain('try again later')
  })

  it('a 500 responseError other than 1000 may have been carried out, and is not retried', () => {
    const body = { responseError: { returnCode: '1300', returnMessage: 'Unknown error.' } }
    const error = errorOf(readAnswer(ACTION, answer(500, body), NOW))
    expect(error.fields).toMatchObject({
      source: 'service',
      code: '1300',
      transient: false,
      reached: 'maybe'
    })
    expect(error.hint).toContain('failed on its side')
  })

  it('reads a numeric returnCode', () => {
    const error = errorOf(
      readAnswer(
        ACTION,
        answer(500, { responseError: { returnCode: 1000, returnMessage: 'x' } }),
        NOW
      )
    )
    expect(error.fields).toMatchObject({ code: '1000', transient: true })
  })
})

describe('readAnswer: bodies that are not NCP JSON', () => {
  it('an HTML 502 page is transient, may have reached the service, and its text is shown without tags', () => {
    const html =
      '<html><body><h1>502 Bad Gateway</h1>\n<p>Please try again in a few minutes</p></body></html>'
    const error = errorOf(readAnswer(ACTION, answer(502, html), NOW))
    expect(error.fields).toMatchObject({
      source: 'response',
      httpStatus: 502,
      transient: true,
      reached: 'maybe'
    })
    expect(error.fields.details).toBe('502 Bad Gateway Please try again in a few minutes')
    expect(error.summary).toContain('the answer is not NCP API JSON')
    expect(error.hint).toContain('api-url')
  })

  it('an HTML 429 never reached the service', () => {
    const error = errorOf(readAnswer(ACTION, answer(429, '<p>slow down</p>'), NOW))
    expect(error.fields).toMatchObject({ source: 'response', transient: true, reached: 'no' })
  })

  it('a non-JSON 200 or 404 is not transient', () => {
    expect(errorOf(readAnswer(ACTION, answer(200, '<xml/>'), NOW)).fields).toMatchObject({
      source: 'response',
      transient: false
    })
    expect(errorOf(readAnswer(ACTION, answer(404, 'Not Found'), NOW)).fields).toMatchObject({
      source: 'response',
      transient: false,
      details: 'Not Found'
    })
  })

  it('JSON of another shape, an empty body and a JSON null are not NCP answers', () => {
    for (const body of ['{"message":"hi"}', '', 'null', '[]', '{"error":"text"}']) {
      expect(errorOf(readAnswer(ACTION, answer(500, body), NOW)).fields.source).toBe('response')
    }
  })

  it('keeps at most 200 characters of the body', () => {
    const error = errorOf(readAnswer(ACTION, answer(500, 'x'.repeat(500)), NOW))
    expect(error.fields.details).toBe(`${'x'.repeat(200)}…`)
  })
})

describe('networkError', () => {
  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('a TLS failure (%s) is permanent, never reached the service, and says so', code => {
    const error = networkError(ACTION, Object.assign(new Error('certificate problem'), { code }))
    expect(error.fields).toMatchObject({ transient: false, reached: 'no' })
    expect(error.summary).toContain(`TLS failed (${code}`)
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS')
  })

  it('ECONNREFUSED never reached the service', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED'
    })
    const error = networkError(ACTION, cause)
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ECONNREFUSED',
      transient: true,
      reached: 'no'
    })
    expect(error.summary).toBe(
      `${ACTION} failed: no answer (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9).`
    )
    expect(error.hint).toContain('HTTPS_PROXY')
  })

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    '%s never reached the service',
    code => {
      expect(networkError(ACTION, Object.assign(new Error(code), { code })).reached).toBe('no')
    }
  )

  it('ECONNRESET may have reached the service', () => {
    const error = networkError(
      ACTION,
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
    )
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ECONNRESET',
      transient: true,
      reached: 'maybe'
    })
  })

  it('a request timeout (no code, "timeout" in the message) is ETIMEDOUT and may have reached the service', () => {
    const error = networkError(ACTION, new Error('Request timeout: /vserver/v2/x'))
    expect(error.fields).toMatchObject({ code: 'ETIMEDOUT', reached: 'maybe', transient: true })
    expect(error.summary).toContain('no answer (ETIMEDOUT: Request timeout: /vserver/v2/x)')
  })

  it('an error with no code and no timeout may have reached the service', () => {
    const error = networkError(ACTION, new Error('something odd'))
    expect(error.fields).toMatchObject({ code: undefined, reached: 'maybe', transient: true })
    expect(error.summary).toContain('no answer (connection error: something odd)')
  })

  it('accepts something that is not an Error', () => {
    expect(networkError(ACTION, 'boom').fields.details).toBe('boom')
  })
})
