import { describe, expect, it } from '@jest/globals'
import {
  NcloudError,
  answerError,
  contentError,
  describeError,
  networkError
} from '../src/ncloud/errors.js'
import { parseAnswer, parseRetryAfter } from '../src/ncloud/response.js'
import { TransportError, type HttpAnswer } from '../src/ncloud/transport.js'

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

/**
 * An answer read and classified as the client does it (parseAnswer, then answerError); it must
 * not be a success.
 */
function errorOf(action: string, http: HttpAnswer, gatewaySetting = 'api-url'): NcloudError {
  const { facts, answer: shape } = parseAnswer(action, http, NOW)
  if (shape.shape === 'success') throw new Error('expected an answer that is not a success')
  return answerError(action, facts, shape, gatewaySetting)
}

/** The <action>Response object of an answer that must be a success. */
function resultOf(action: string, http: HttpAnswer): Record<string, unknown> {
  const { answer: shape } = parseAnswer(action, http, NOW)
  if (shape.shape !== 'success') throw new Error(`expected a success, got ${shape.shape}`)
  return shape.result
}

describe('parseAnswer: success', () => {
  it('returns the <action>Response object', () => {
    const inner = {
      requestId: 'r-1',
      returnCode: '0',
      returnMessage: 'success',
      totalRows: 1,
      memberServerImageInstanceList: [{ memberServerImageInstanceNo: '5' }]
    }
    expect(resultOf(ACTION, answer(200, { [`${ACTION}Response`]: inner }))).toEqual(inner)
  })

  it('accepts a response without returnCode', () => {
    const inner = { serverImageList: [] }
    expect(
      resultOf('getServerImageList', answer(200, { getServerImageListResponse: inner }))
    ).toEqual(inner)
  })

  it('treats a non-zero returnCode inside a 200 response as a service error', () => {
    const error = errorOf(
      ACTION,
      answer(200, {
        [`${ACTION}Response`]: { returnCode: '10712', returnMessage: 'No.', requestId: 'in-body' }
      })
    )
    expect(error.fields).toMatchObject({
      source: 'service',
      code: '10712',
      reached: 'yes',
      transient: false,
      requestId: 'in-body'
    })
  })

  it('does not take another action’s response for this one', () => {
    const error = errorOf(ACTION, answer(200, { getServerImageListResponse: { returnCode: '0' } }))
    expect(error.fields.source).toBe('response')
  })
})

describe('answerError: gateway errors', () => {
  it('401/200 is permanent, never reached the service, and hints at the keys and the clock', () => {
    const error = errorOf(ACTION, gateway(401, '200', 'Authentication Failed'))
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
    const error = errorOf(ACTION, gateway(401, '200', 'Authentication Failed', { date }))
    expect(error.fields.clockSkewMs).toBe(600_000)
    expect(error.hint).toContain("The gateway's clock differs from the runner's by 10m00s.")
  })

  it('a gateway clock behind ours is reported the same way', () => {
    const date = new Date(NOW - 10 * 60_000).toUTCString()
    const error = errorOf(ACTION, gateway(401, '200', 'Authentication Failed', { date }))
    expect(error.fields.clockSkewMs).toBe(-600_000)
    expect(error.hint).toContain('by 10m00s')
  })

  it('a Date header only seconds off is not blamed', () => {
    const date = new Date(NOW + 5_000).toUTCString()
    const error = errorOf(ACTION, gateway(401, '200', 'Authentication Failed', { date }))
    expect(error.hint).not.toContain('differs')
  })

  it('401/210 hints at the sub account policy', () => {
    const error = errorOf(ACTION, gateway(401, '210', 'Permission Denied'))
    expect(error.fields).toMatchObject({ transient: false, reached: 'no', code: '210' })
    expect(error.hint).toContain('sub account a policy')
  })

  it.each([
    [429, '410', 'Throttle Limited'],
    [429, '400', 'Quota Exceeded'],
    [429, '420', 'Rate Limited']
  ])('%d/%s is transient and never reached the service', (status, code, message) => {
    const error = errorOf(ACTION, gateway(status, code, message))
    expect(error.fields).toMatchObject({ source: 'gateway', code, transient: true, reached: 'no' })
  })

  it.each([
    [503, '500', 'Endpoint Error'],
    [504, '510', 'Endpoint Timeout'],
    [500, '900', 'Unexpected Error']
  ])('%d/%s is transient and may have reached the service', (status, code, message) => {
    const error = errorOf(ACTION, gateway(status, code, message))
    expect(error.fields).toMatchObject({
      source: 'gateway',
      code,
      transient: true,
      reached: 'maybe'
    })
    expect(error.hint).toContain('re-run the job later')
  })

  it('a gateway error with an unknown code is judged by the HTTP status', () => {
    expect(errorOf(ACTION, gateway(502, '999', 'Bad Gateway')).fields).toMatchObject({
      transient: true,
      reached: 'maybe'
    })
    expect(errorOf(ACTION, gateway(429, '999', 'Slow down')).fields).toMatchObject({
      transient: true,
      reached: 'no'
    })
    expect(errorOf(ACTION, gateway(403, '230', 'Forbidden')).fields).toMatchObject({
      transient: false,
      reached: 'no'
    })
  })

  it('reads errorCode given as a number', () => {
    const error = errorOf(ACTION, gateway(429, 410, 'Throttle Limited'))
    expect(error.fields.code).toBe('410')
    expect(error.fields).toMatchObject({ transient: true, reached: 'no' })
    expect(error.hint).toContain('throttling')
  })

  it('shows the request id from x-ncp-apigw-request-id in the message', () => {
    const error = errorOf(
      ACTION,
      gateway(401, '200', 'Authentication Failed', { 'x-ncp-apigw-request-id': 'req-42' })
    )
    expect(error.fields.requestId).toBe('req-42')
    expect(error.summary).toContain('request id req-42')
    expect(error.message).toContain('request id req-42')
  })

  it('falls back to x-ncp-trace-id for the request id, and takes the first of a repeated header', () => {
    const traced = errorOf(
      ACTION,
      gateway(503, '500', 'Endpoint Error', { 'x-ncp-trace-id': 't-1' })
    )
    expect(traced.summary).toContain('request id t-1')
    const repeated = errorOf(
      ACTION,
      gateway(503, '500', 'Endpoint Error', { 'x-ncp-apigw-request-id': ['a', 'b'] })
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
    const error = errorOf(ACTION, answer(401, body))
    expect(error.summary).toContain('(This account is not allowed.)')
  })
})

describe('parseAnswer: Retry-After', () => {
  it('reads seconds', () => {
    const error = errorOf(ACTION, gateway(429, '410', 'Throttle Limited', { 'retry-after': '7' }))
    expect(error.fields.retryAfterMs).toBe(7_000)
  })

  it('reads an HTTP date, relative to now', () => {
    const when = new Date(NOW + 30_000).toUTCString()
    const error = errorOf(ACTION, gateway(503, '500', 'Endpoint Error', { 'retry-after': when }))
    expect(error.fields.retryAfterMs).toBe(30_000)
  })

  it('is absent when the header is', () => {
    const error = errorOf(ACTION, gateway(429, '410', 'Throttle Limited'))
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

describe('answerError: service errors', () => {
  it('400 responseError is permanent, reached the service, and shows returnCode and returnMessage verbatim', () => {
    const returnMessage = 'Not found product. Please check your input product.'
    const error = errorOf(
      ACTION,
      answer(400, { responseError: { returnCode: '10712', returnMessage } })
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
    const error = errorOf(ACTION, answer(500, body))
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
    const error = errorOf(ACTION, answer(500, body))
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
      ACTION,
      answer(500, { responseError: { returnCode: 1000, returnMessage: 'x' } })
    )
    expect(error.fields).toMatchObject({ code: '1000', transient: true })
  })
})

describe('answerError: bodies that are not NCP JSON', () => {
  it('an HTML 502 page is transient, may have reached the service, and its text is shown without tags', () => {
    const html =
      '<html><body><h1>502 Bad Gateway</h1>\n<p>Please try again in a few minutes</p></body></html>'
    const error = errorOf(ACTION, answer(502, html))
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
    const error = errorOf(ACTION, answer(429, '<p>slow down</p>'))
    expect(error.fields).toMatchObject({ source: 'response', transient: true, reached: 'no' })
  })

  it('a non-JSON 200 or 404 is not transient', () => {
    expect(errorOf(ACTION, answer(200, '<xml/>')).fields).toMatchObject({
      source: 'response',
      transient: false
    })
    expect(errorOf(ACTION, answer(404, 'Not Found')).fields).toMatchObject({
      source: 'response',
      transient: false,
      details: 'Not Found'
    })
  })

  it('JSON of another shape, an empty body and a JSON null are not NCP answers', () => {
    for (const body of ['{"message":"hi"}', '', 'null', '[]', '{"error":"text"}']) {
      expect(errorOf(ACTION, answer(500, body)).fields.source).toBe('response')
    }
  })

  it('keeps at most 200 characters of the body', () => {
    const error = errorOf(ACTION, answer(500, 'x'.repeat(500)))
    expect(error.fields.details).toBe(`${'x'.repeat(200)}…`)
  })
})

describe('answerError: redirects', () => {
  it.each([301, 302, 307, 308])(
    'a %d is a redirect that was not followed: permanent, never reached the service, naming the Location host',
    status => {
      const error = errorOf(
        ACTION,
        answer(status, '', { location: 'https://login.proxy.example.com:8443/portal?x=1' })
      )
      expect(error.fields).toMatchObject({
        source: 'redirect',
        httpStatus: status,
        location: 'login.proxy.example.com:8443',
        transient: false,
        reached: 'no'
      })
      expect(error.summary).toBe(
        `${ACTION} failed: HTTP ${status}, a redirect to login.proxy.example.com:8443.`
      )
      expect(error.summary).not.toContain('portal')
      expect(error.hint).toContain('nothing was done')
      expect(error.hint).toContain('set api-url to the gateway origin')
    }
  )

  it('a redirect without a Location says so', () => {
    expect(errorOf(ACTION, answer(302, '')).summary).toContain('a redirect to no Location')
  })

  it('names the setting the gateway came from when it was not api-url', () => {
    const error = errorOf(ACTION, answer(307, '', { location: 'https://x.example' }), 'site')
    expect(error.hint).toContain('(the gateway now comes from site)')
  })
})

describe('answerError: the hint names the setting that chose the gateway', () => {
  it('for a body that is not NCP JSON', () => {
    const error = errorOf(ACTION, answer(502, '<p>bad</p>'), 'NCLOUD_API_GW')
    expect(error.hint).toContain('Check that NCLOUD_API_GW points at the NCP API gateway')
  })

  it('for a gateway that does not know the API', () => {
    const error = errorOf(ACTION, gateway(404, '300', 'Not Found Exception'), 'NCLOUD_API_GW')
    expect(error.hint).toContain('that NCLOUD_API_GW is only the gateway origin')
  })
})

describe('contentError', () => {
  it('is a success answer without what the action needs: not transient, may have been carried out', () => {
    const error = contentError(ACTION, 'the success answer holds no image', 'api-url', 'req-9')
    expect(error).toBeInstanceOf(NcloudError)
    expect(error.fields).toMatchObject({
      action: ACTION,
      source: 'response',
      httpStatus: 200,
      details: 'the success answer holds no image',
      requestId: 'req-9',
      transient: false,
      reached: 'maybe',
      incomplete: true
    })
    expect(error.summary).toContain('(the success answer holds no image)')
    expect(error.summary).toContain('request id req-9')
    // It is NCP's JSON, only without the record: the message must not say otherwise.
    expect(error.summary).not.toContain('not NCP API JSON')
    expect(error.hint).toContain('success without the record')
  })
})

describe('networkError', () => {
  it.each([
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('a TLS failure (%s) is permanent, never reached the service, and says so', code => {
    const error = networkError(
      ACTION,
      new TransportError('certificate problem', code, true),
      'api-url'
    )
    expect(error.fields).toMatchObject({ transient: false, reached: 'no' })
    expect(error.summary).toContain(`TLS failed (${code}`)
    expect(error.hint).toContain('NODE_EXTRA_CA_CERTS')
    expect(error.hint).toContain('check api-url')
  })

  it('ECONNREFUSED never reached the service', () => {
    const cause = new TransportError('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED', false)
    const error = networkError(ACTION, cause, 'site')
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
    expect(error.hint).toContain('and site')
  })

  it.each(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
    '%s never reached the service',
    code => {
      expect(networkError(ACTION, new TransportError(code, code, false), 'api-url').reached).toBe(
        'no'
      )
    }
  )

  it('ECONNRESET may have reached the service', () => {
    const error = networkError(
      ACTION,
      new TransportError('socket hang up', 'ECONNRESET', true),
      'api-url'
    )
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ECONNRESET',
      transient: true,
      reached: 'maybe'
    })
  })

  it('a request past its deadline after connecting is ETIMEDOUT and may have reached the service', () => {
    const error = networkError(
      ACTION,
      new TransportError('no complete answer within 200 ms', 'ETIMEDOUT', true),
      'api-url'
    )
    expect(error.fields).toMatchObject({ code: 'ETIMEDOUT', reached: 'maybe', transient: true })
    expect(error.summary).toContain('no answer (ETIMEDOUT: no complete answer within 200 ms)')
  })

  it('an exchange that never connected never reached the service, whatever the code', () => {
    for (const code of ['ETIMEDOUT', 'ECONNRESET']) {
      const error = networkError(ACTION, new TransportError('x', code, false), 'api-url')
      expect(error.fields).toMatchObject({ code, reached: 'no', transient: true })
    }
  })
})

describe('describeError', () => {
  it('gives an NcloudError’s summary without its hint, an Error’s message, and anything else as text', () => {
    const error = errorOf(ACTION, gateway(401, '200', 'Authentication Failed'))
    expect(describeError(error)).toBe(error.summary)
    expect(describeError(error)).not.toContain(error.hint)
    expect(describeError(new Error('plain'))).toBe('plain')
    expect(describeError('boom')).toBe('boom')
  })
})
