// The in-repo NCP simulator: the gateway's signature v2 check: the reference vectors, the 5-minute rule, permission.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  ACCESS_KEY,
  SECRET_KEY,
  MINUTE,
  SIM_START,
  signV2,
  call,
  expectGatewayError,
  withSimulator,
  startTestSim,
  type CallOptions,
  type TestSim
} from './helpers/simulator-calls.js'

describe('signature v2', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim(demoFixture())
  })
  afterAll(() => sim.close())

  it.each([
    [
      'TestSecretKey',
      'TestAccessKey',
      '1234567890123',
      'GET /vserver/v2/getServerInstanceList?responseFormatType=json',
      'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M='
    ],
    [
      'ncp-secret-example',
      'ACCESS_KEY_ID',
      '1700000000000',
      'GET /photos/puppy.jpg?query1=&query2',
      'iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE='
    ],
    [
      'ncp-secret-example',
      'ACCESS_KEY_ID',
      '1700000000000',
      'POST /vserver/v2/createMemberServerImageInstance',
      'mO+TLk2fFhFi7CDXhr3ysX3nXf4Yctpo8L5qjXCyhVw='
    ],
    [
      'ncp-secret-example',
      'ACCESS_KEY_ID',
      '1700000000000',
      'GET /vserver/v2/getMemberServerImageInstanceDetail?regionCode=KR&memberServerImageInstanceNo=1234567&responseFormatType=json',
      'u0hCbhoIcI+h06lfC/QobUr761QK1k4rMLrBVhFVze4='
    ],
    [
      'ncp-secret-example',
      'ACCESS_KEY_ID',
      '1700000000000',
      'GET /vserver/v2/createMemberServerImageInstance?regionCode=KR&serverInstanceNo=1234567&memberServerImageName=my-image-01&memberServerImageDescription=nightly%20build%20%ED%85%8C%EC%8A%A4%ED%8A%B8&responseFormatType=json',
      'XQNYst7p4Bd0OIv5AY9WEiqEMiVdxa/YJiPiSkN/z0s='
    ]
  ])(
    'the test signer matches reference vector (%s, %s, %s, %s)',
    (secret, key, ts, line, expected) => {
      expect(signV2(secret, line, ts, key)).toBe(expected)
    }
  )

  it('accepts the reference vectors as requests when given the same credentials', async () => {
    const vectorSim = await startTestSim({
      credentials: { ACCESS_KEY_ID: 'ncp-secret-example' },
      servers: [{ serverInstanceNo: '1234567' }],
      clockSkewMs: 1700000000000 - SIM_START
    })
    try {
      const target =
        '/vserver/v2/createMemberServerImageInstance?regionCode=KR&serverInstanceNo=1234567&memberServerImageName=my-image-01&memberServerImageDescription=nightly%20build%20%ED%85%8C%EC%8A%A4%ED%8A%B8&responseFormatType=json'
      const response = await fetch(vectorSim.url + target, {
        headers: {
          'x-ncp-apigw-timestamp': '1700000000000',
          'x-ncp-iam-access-key': 'ACCESS_KEY_ID',
          'x-ncp-apigw-signature-v2': 'XQNYst7p4Bd0OIv5AY9WEiqEMiVdxa/YJiPiSkN/z0s='
        }
      })
      expect(response.status).toBe(200)
      expect(vectorSim.images()[0]).toMatchObject({
        name: 'my-image-01',
        description: 'nightly build 테스트'
      })
    } finally {
      await vectorSim.close()
    }
  })

  it('accepts a POST signed over the path only', async () => {
    const reply = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
    expect(reply.status).toBe(200)
    expect(sim.requests.at(-1)).toMatchObject({ authOk: true, status: 200, method: 'POST' })
  })

  it('accepts a POST whose URL has a query, signed with that query', async () => {
    const reply = await call(
      sim,
      'getServerInstanceDetail',
      { serverInstanceNo: '1001' },
      {
        query: 'responseFormatType=json'
      }
    )
    expect(reply.status).toBe(200)
  })

  it('accepts a GET signed over the raw query as sent', async () => {
    const reply = await call(
      sim,
      'getServerInstanceDetail',
      { serverInstanceNo: '1001' },
      {
        method: 'GET'
      }
    )
    expect(reply.status).toBe(200)
    expect(sim.requests.at(-1)?.path).toMatch(/^\/vserver\/v2\/getServerInstanceDetail\?/)
  })

  it.each<[string, CallOptions, RegExp]>([
    ['a wrong secret', { secretKey: 'wrong-secret' }, /signature mismatch/],
    ['an unknown access key', { accessKey: 'nobody' }, /unknown access key/],
    ['a timestamp 6 minutes old', { timestamp: String(SIM_START - 6 * MINUTE) }, /5 minutes/],
    ['a timestamp 6 minutes ahead', { timestamp: String(SIM_START + 6 * MINUTE) }, /5 minutes/],
    ['a timestamp in seconds text', { timestamp: 'yesterday' }, /millisecond epoch/],
    [
      'a POST query left out of the signature',
      { query: 'responseFormatType=json', signTarget: '/vserver/v2/getServerInstanceDetail' },
      /signature mismatch/
    ],
    ['a missing timestamp', { omitHeaders: ['x-ncp-apigw-timestamp'] }, /x-ncp-apigw-timestamp/],
    ['a missing access key', { omitHeaders: ['x-ncp-iam-access-key'] }, /x-ncp-iam-access-key/],
    ['a missing signature', { omitHeaders: ['x-ncp-apigw-signature-v2'] }, /signature-v2/]
  ])('rejects %s with 401 / 200', async (_case, options, details) => {
    const before = sim.requests.length
    const reply = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' }, options)
    expectGatewayError(reply, 401, '200')
    expect(reply.json.error.message).toBe('Authentication Failed')
    expect(reply.json.error.details).toMatch(details)
    expect(reply.headers.get('x-ncp-apigw-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect(sim.requests.slice(before)).toEqual([
      expect.objectContaining({ authOk: false, status: 401 })
    ])
  })

  it('does not accept the signature under the -v1 header name', async () => {
    const good = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
    expect(good.status).toBe(200)
    const timestamp = String(sim.clock.now())
    const signature = signV2(
      SECRET_KEY,
      'POST /vserver/v2/getServerInstanceDetail',
      timestamp,
      ACCESS_KEY
    )
    const reply = await call(
      sim,
      'getServerInstanceDetail',
      { serverInstanceNo: '1001' },
      {
        timestamp,
        omitHeaders: ['x-ncp-apigw-signature-v2'],
        headers: { 'x-ncp-apigw-signature-v1': signature }
      }
    )
    expectGatewayError(reply, 401, '200')
    expect(reply.json.error.details).toMatch(/-v1/)
  })

  it('applies the 5-minute rule to its own (skewed) clock', async () => {
    await withSimulator({ clockSkewMs: 10 * MINUTE }, async skewed => {
      const now = await call(skewed, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
      expectGatewayError(now, 401, '200')
      const ahead = await call(
        skewed,
        'getServerInstanceDetail',
        { serverInstanceNo: '1001' },
        {
          timestamp: String(skewed.clock.now() + 10 * MINUTE)
        }
      )
      expect(ahead.status).toBe(200)
    })
  })

  it('answers 401 / 210 after a valid signature when permission is denied', async () => {
    await withSimulator({ permissionDenied: true }, async denied => {
      const reply = await call(denied, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
      expectGatewayError(reply, 401, '210')
      expect(reply.json.error.message).toBe('Permission Denied')
      expect(denied.requests[0].authOk).toBe(true)
    })
  })

  it('can deny permission to some access keys only', async () => {
    const credentials = { 'read-only': 'secret-1', admin: 'secret-2' }
    await withSimulator({ credentials, permissionDenied: ['read-only'] }, async denied => {
      const params = { serverInstanceNo: '1001' }
      const readOnly = await call(denied, 'getServerInstanceDetail', params, {
        accessKey: 'read-only',
        secretKey: 'secret-1'
      })
      expectGatewayError(readOnly, 401, '210')
      const admin = await call(denied, 'getServerInstanceDetail', params, {
        accessKey: 'admin',
        secretKey: 'secret-2'
      })
      expect(admin.status).toBe(200)
    })
  })
})
