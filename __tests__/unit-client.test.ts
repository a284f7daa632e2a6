import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { createHmac } from 'node:crypto'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { NcloudClient, type ClientOptions } from '../src/ncloud/client.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { MAX_BODY_BYTES } from '../src/ncloud/transport.js'
import type { RetryPolicy } from '../src/lib/retry.js'
import { FakeClock } from './helpers/fake-clock.js'

const ACCESS_KEY = 'AK-test-0001'
const SECRET_KEY = 'SK-very-secret-0001'
const TINY_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxRetryAfterMs: 50
}

interface Received {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/**
 * What the test server does with one request: answer it, drop the connection, keep it waiting
 * (no headers), send the headers and then nothing (stall), send half the body and cut the
 * connection (cut), send the body a byte at a time (trickle), or send a body of `bytes` bytes.
 */
type Reply =
  | { status: number; body: unknown; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true }
  | { stall: true }
  | { cut: true }
  | { trickle: true }
  | { bytes: number }

let server: Server
let origin: string
let received: Received[]
let replies: Reply[]
let hanging: ServerResponse[]
/** The server side of each connection, to see when the client closes it. */
let sockets: Socket[]
let timers: NodeJS.Timeout[]

function handler(request: IncomingMessage, response: ServerResponse): void {
  sockets.push(request.socket)
  const chunks: Buffer[] = []
  request.on('data', chunk => chunks.push(chunk as Buffer))
  request.on('end', () => {
    received.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString('utf8')
    })
    const reply = replies.shift() ?? { status: 500, body: 'no reply scripted' }
    if ('drop' in reply) return void request.socket.destroy()
    if ('hang' in reply) return void hanging.push(response)
    if ('stall' in reply) {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      response.flushHeaders()
      return void hanging.push(response)
    }
    if ('cut' in reply) {
      const whole = JSON.stringify({ getServerImageListResponse: { serverImageList: [] } })
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(whole.length)
      })
      response.write(whole.slice(0, whole.length / 2), () => request.socket.destroy())
      return
    }
    if ('trickle' in reply) {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' })
      response.flushHeaders()
      const timer = setInterval(() => {
        if (response.destroyed || response.writableEnded) return clearInterval(timer)
        response.write(' ')
      }, 10)
      timers.push(timer)
      return
    }
    if ('bytes' in reply) {
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(reply.bytes)
      })
      response.end(Buffer.alloc(reply.bytes, 0x20))
      return
    }
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
    response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
    response.end(body)
  })
}

beforeAll(async () => {
  server = createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
})

beforeEach(() => {
  received = []
  replies = []
  hanging = []
  sockets = []
  timers = []
})

afterEach(() => {
  for (const timer of timers) clearInterval(timer)
  for (const response of hanging) response.destroy()
})

function makeClient(extra: Partial<ClientOptions> = {}) {
  const clock = new FakeClock()
  const debug = jest.fn<(line: string) => void>()
  const warn = jest.fn<(line: string) => void>()
  const client = new NcloudClient({
    origin,
    gatewaySetting: 'api-url',
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    region: 'KR',
    clock,
    retry: TINY_RETRY,
    requestTimeoutMs: 5_000,
    userAgent: 'unit-test-agent/1',
    debug,
    onRetry: warn,
    ...extra
  })
  return { client, clock, debug, warn }
}

const ok = (action: string, inner: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: {
    [`${action}Response`]: { requestId: 'r', returnCode: '0', returnMessage: 'success', ...inner }
  }
})
const gatewayError = (
  status: number,
  errorCode: string,
  message: string,
  headers?: Record<string, string>
): Reply => ({
  status,
  headers,
  body: { error: { errorCode, message, details: '' } }
})
const serviceError = (status: number, returnCode: string, returnMessage: string): Reply => ({
  status,
  body: { responseError: { returnCode, returnMessage } }
})

/** Lets the event loop go round `count` times (I/O included); no timers. */
async function turns(count: number): Promise<void> {
  for (let turn = 0; turn < count; turn++) await new Promise<void>(resolve => setImmediate(resolve))
}

/** The signature, computed here directly from the reference's definition. */
function expectedSignature(action: string, timestamp: string): string {
  return createHmac('sha256', SECRET_KEY)
    .update(`POST /vserver/v2/${action}\n${timestamp}\n${ACCESS_KEY}`)
    .digest('base64')
}

describe('NcloudClient.sendOnce: the request', () => {
  it('POSTs to /vserver/v2/<action> with the three signature headers', async () => {
    const { client, clock } = makeClient()
    replies.push(ok('getServerInstanceDetail'))
    await client.sendOnce('getServerInstanceDetail', { serverInstanceNo: '1234567' })
    expect(received).toHaveLength(1)
    const [request] = received
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/vserver/v2/getServerInstanceDetail')
    expect(request.headers['x-ncp-apigw-timestamp']).toBe(String(clock.now()))
    expect(request.headers['x-ncp-iam-access-key']).toBe(ACCESS_KEY)
    expect(request.headers['x-ncp-apigw-signature-v2']).toBe(
      expectedSignature('getServerInstanceDetail', String(clock.now()))
    )
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    expect(request.headers['user-agent']).toContain('unit-test-agent/1')
    client.dispose()
  })

  it('sends the form body byte for byte: regionCode, the params, responseFormatType=json', async () => {
    const { client } = makeClient()
    const description = 'nightly build & more = a+b / 100% ? #1 테스트  end'
    replies.push(ok('createMemberServerImageInstance'))
    await client.sendOnce('createMemberServerImageInstance', {
      serverInstanceNo: '1234567',
      memberServerImageName: 'my-image-01',
      memberServerImageDescription: description
    })
    const [request] = received
    const form = new URLSearchParams(request.body)
    expect([...form.entries()]).toEqual([
      ['regionCode', 'KR'],
      ['serverInstanceNo', '1234567'],
      ['memberServerImageName', 'my-image-01'],
      ['memberServerImageDescription', description],
      ['responseFormatType', 'json']
    ])
    // On the wire the reserved characters are escaped ("+" is a space there, so a literal "+" is %2B),
    // and the Korean text is UTF-8.
    const pair = request.body
      .split('&')
      .find(item => item.startsWith('memberServerImageDescription='))
    const wire = pair?.slice('memberServerImageDescription='.length) ?? ''
    expect(wire).not.toMatch(/[ &=/?#]/)
    expect(wire).toContain('a%2Bb')
    expect(wire).toContain('100%25')
    expect(wire).toContain('%ED%85%8C%EC%8A%A4%ED%8A%B8')
    expect(Number(request.headers['content-length'])).toBe(Buffer.byteLength(request.body, 'utf8'))
    client.dispose()
  })

  it('signs the path only, so the signature does not depend on the body', async () => {
    const { client, clock } = makeClient()
    replies.push(ok('getServerImageList'), ok('getServerImageList'))
    await client.sendOnce('getServerImageList', { serverImageName: 'a' })
    await client.sendOnce('getServerImageList', { serverImageName: 'completely different & long' })
    expect(received[0].headers['x-ncp-apigw-signature-v2']).toBe(
      received[1].headers['x-ncp-apigw-signature-v2']
    )
    expect(received[1].headers['x-ncp-apigw-signature-v2']).toBe(
      expectedSignature('getServerImageList', String(clock.now()))
    )
    client.dispose()
  })

  it('returns the <action>Response object of a success', async () => {
    const { client } = makeClient()
    replies.push(ok('getServerImageDetail', { serverImageList: [{ serverImageNo: '9' }] }))
    await expect(client.sendOnce('getServerImageDetail', { serverImageNo: '9' })).resolves.toEqual({
      requestId: 'r',
      returnCode: '0',
      returnMessage: 'success',
      serverImageList: [{ serverImageNo: '9' }]
    })
    client.dispose()
  })

  it('never logs the secret key', async () => {
    const { client, debug, warn } = makeClient()
    replies.push(gatewayError(503, '500', 'Endpoint Error'), ok('getServerImageList'))
    await client.read('getServerImageList', { serverImageName: 'x' })
    const logged = [...debug.mock.calls, ...warn.mock.calls].map(([line]) => line).join('\n')
    expect(debug).toHaveBeenCalled()
    expect(logged).not.toContain(SECRET_KEY)
    client.dispose()
  })

  it('does not retry, even a transient error', async () => {
    const { client } = makeClient()
    replies.push(gatewayError(503, '500', 'Endpoint Error'), ok('createServerImage'))
    const error = await client.sendOnce('createServerImage', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields).toMatchObject({
      httpStatus: 503,
      code: '500',
      reached: 'maybe'
    })
    expect(received).toHaveLength(1)
    client.dispose()
  })

  it('reads the request id header into the error', async () => {
    const { client } = makeClient()
    replies.push(
      gatewayError(401, '200', 'Authentication Failed', { 'x-ncp-apigw-request-id': 'gw-123' })
    )
    const error = (await client
      .sendOnce('getServerImageList')
      .catch((e: unknown) => e)) as NcloudError
    expect(error.message).toContain('request id gw-123')
    client.dispose()
  })
})

describe('NcloudClient.read: retries', () => {
  it.each<[string, Reply]>([
    ['429 gateway 410', gatewayError(429, '410', 'Throttle Limited')],
    ['503 gateway 500', gatewayError(503, '500', 'Endpoint Error')],
    ['500 returnCode 1000', serviceError(500, '1000', 'Please try your call again later.')]
  ])(
    'retries %s and returns the later success, signing each try afresh',
    async (_label, failure) => {
      const { client, clock, warn } = makeClient()
      replies.push(failure, failure, ok('getServerImageDetail', { totalRows: 1 }))
      const result = await client.read('getServerImageDetail', { serverImageNo: '9' })
      expect(result.totalRows).toBe(1)
      expect(received).toHaveLength(3)
      expect(clock.sleeps).toHaveLength(2)
      for (const request of received) {
        const timestamp = request.headers['x-ncp-apigw-timestamp'] as string
        expect(request.headers['x-ncp-apigw-signature-v2']).toBe(
          expectedSignature('getServerImageDetail', timestamp)
        )
        expect(new URLSearchParams(request.body).get('serverImageNo')).toBe('9')
      }
      const timestamps = received.map(request => Number(request.headers['x-ncp-apigw-timestamp']))
      expect(timestamps[1] - timestamps[0]).toBe(clock.sleeps[0].ms)
      expect(warn).toHaveBeenCalledTimes(2)
      expect(warn.mock.calls[0][0]).toContain('getServerImageDetail: attempt 1 of 3 failed')
      client.dispose()
    }
  )

  it.each<[string, Reply, string]>([
    ['401 gateway 200', gatewayError(401, '200', 'Authentication Failed'), 'gateway'],
    ['400 service error', serviceError(400, '10712', 'Not found product.'), 'service']
  ])('does not retry %s', async (_label, failure, source) => {
    const { client, clock } = makeClient()
    replies.push(failure, ok('getServerImageDetail'))
    const error = await client.read('getServerImageDetail').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields.source).toBe(source)
    expect((error as NcloudError).transient).toBe(false)
    expect(received).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    client.dispose()
  })

  it('gives up after maxAttempts and throws the last error', async () => {
    const { client } = makeClient()
    replies.push(
      gatewayError(503, '500', 'Endpoint Error'),
      gatewayError(504, '510', 'Endpoint Timeout'),
      gatewayError(500, '900', 'Unexpected Error'),
      ok('getServerImageDetail')
    )
    const error = (await client
      .read('getServerImageDetail')
      .catch((e: unknown) => e)) as NcloudError
    expect(error).toBeInstanceOf(NcloudError)
    expect(error.fields.code).toBe('900')
    expect(received).toHaveLength(3)
    client.dispose()
  })

  it('honours Retry-After, capped at maxRetryAfterMs', async () => {
    const { client, clock } = makeClient()
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '1' }),
      ok('getServerImageList')
    )
    await client.read('getServerImageList')
    // Without Retry-After the tiny policy would sleep 0 ms; 1 s is capped at 50 ms.
    expect(clock.delays).toEqual([50])
    client.dispose()
  })

  it('honours a Retry-After below the cap in full', async () => {
    const { client, clock } = makeClient({ retry: { ...TINY_RETRY, maxRetryAfterMs: 10_000 } })
    replies.push(
      gatewayError(503, '500', 'Endpoint Error', { 'retry-after': '2' }),
      ok('getServerImageList')
    )
    await client.read('getServerImageList')
    expect(clock.delays).toEqual([2_000])
    client.dispose()
  })
})

describe('NcloudClient: no answer', () => {
  it('turns a refused connection into a network error that never reached the service', async () => {
    const closed = createServer()
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>(resolve => closed.close(() => resolve()))
    const { client } = makeClient({ origin: `http://127.0.0.1:${port}` })
    const error = (await client
      .sendOnce('getServerImageList')
      .catch((e: unknown) => e)) as NcloudError
    expect(error).toBeInstanceOf(NcloudError)
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ECONNREFUSED',
      reached: 'no',
      transient: true
    })
    client.dispose()
  })

  it('turns a dropped connection into a network error that may have reached the service', async () => {
    const { client } = makeClient()
    replies.push({ drop: true })
    const error = (await client
      .sendOnce('createServerImage')
      .catch((e: unknown) => e)) as NcloudError
    expect(error).toBeInstanceOf(NcloudError)
    expect(error.fields).toMatchObject({ source: 'network', reached: 'maybe', transient: true })
    expect(received).toHaveLength(1)
    client.dispose()
  })

  it('gives up on an answer that does not come within requestTimeoutMs, as a retryable timeout', async () => {
    const { client } = makeClient({ requestTimeoutMs: 200 })
    replies.push({ hang: true }, ok('getServerImageList', { totalRows: 0 }))
    await expect(client.read('getServerImageList')).resolves.toMatchObject({ totalRows: 0 })
    expect(received).toHaveLength(2)
    client.dispose()
  })

  it('reports a timed-out request as ETIMEDOUT that may have reached the service', async () => {
    const { client } = makeClient({ requestTimeoutMs: 200 })
    replies.push({ hang: true })
    const error = (await client
      .sendOnce('createServerImage')
      .catch((e: unknown) => e)) as NcloudError
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ETIMEDOUT',
      reached: 'maybe',
      transient: true
    })
    client.dispose()
  })

  it('retries a dropped connection in read', async () => {
    const { client } = makeClient()
    replies.push({ drop: true }, ok('getServerImageList', { totalRows: 0 }))
    await expect(client.read('getServerImageList')).resolves.toMatchObject({ totalRows: 0 })
    expect(received).toHaveLength(2)
    client.dispose()
  })
})

/** Fails the test unless the promise rejects with an NcloudError; returns it with how long it took. */
async function timedFailure(
  promise: Promise<unknown>
): Promise<{ error: NcloudError; ms: number }> {
  const started = performance.now()
  const error = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e
  )
  const ms = performance.now() - started
  expect(error).toBeInstanceOf(NcloudError)
  return { error: error as NcloudError, ms }
}

describe('NcloudClient: answers that do not end well', () => {
  it('a body cut off midway is a network error that may have reached the service', async () => {
    const { client } = makeClient()
    replies.push({ cut: true })
    const { error } = await timedFailure(client.sendOnce('createServerImage'))
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ECONNRESET',
      reached: 'maybe',
      transient: true
    })
    expect(error.summary).toContain('cut off')
    expect(received).toHaveLength(1)
    client.dispose()
  })

  it('a body that stalls after the headers fails within the deadline', async () => {
    const { client } = makeClient({ requestTimeoutMs: 200 })
    replies.push({ stall: true })
    const { error, ms } = await timedFailure(client.sendOnce('createServerImage'))
    expect(error.fields).toMatchObject({ source: 'network', code: 'ETIMEDOUT', reached: 'maybe' })
    expect(error.summary).toContain('within 200 ms')
    expect(ms).toBeGreaterThanOrEqual(150)
    expect(ms).toBeLessThan(2_000)
    client.dispose()
  })

  it('a body that trickles in fails at the deadline, although bytes keep coming', async () => {
    const { client } = makeClient({ requestTimeoutMs: 200 })
    replies.push({ trickle: true })
    const { error, ms } = await timedFailure(client.sendOnce('getServerImageList'))
    expect(error.fields).toMatchObject({ source: 'network', code: 'ETIMEDOUT', reached: 'maybe' })
    expect(ms).toBeGreaterThanOrEqual(150)
    expect(ms).toBeLessThan(2_000)
    client.dispose()
  })

  it('a redirect is not followed: a permanent error naming the Location host, that never reached the service', async () => {
    const { client, clock } = makeClient()
    replies.push({
      status: 307,
      body: '',
      headers: { location: 'https://captive.example.net/login?from=ncloud' }
    })
    const { error } = await timedFailure(client.read('getServerImageList'))
    expect(error.fields).toMatchObject({
      source: 'redirect',
      httpStatus: 307,
      location: 'captive.example.net',
      transient: false,
      reached: 'no'
    })
    expect(error.message).toContain('captive.example.net')
    expect(received).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    client.dispose()
  })

  it('an answer larger than MAX_BODY_BYTES is not read to its end', async () => {
    const { client } = makeClient()
    replies.push({ bytes: MAX_BODY_BYTES + 64 * 1024 })
    const { error } = await timedFailure(client.sendOnce('getServerImageList'))
    expect(error.fields).toMatchObject({
      source: 'network',
      code: 'ERESPONSETOOLARGE',
      reached: 'maybe'
    })
    expect(error.message).toContain(`the answer is larger than ${MAX_BODY_BYTES} bytes`)
    client.dispose()
  })

  it('an answer of exactly MAX_BODY_BYTES is read (and, not being NCP JSON, refused as such)', async () => {
    const { client } = makeClient()
    replies.push({ bytes: MAX_BODY_BYTES })
    const { error } = await timedFailure(client.sendOnce('getServerImageList'))
    expect(error.fields.source).toBe('response')
    client.dispose()
  })
})

describe('NcloudClient: api-url on IPv6 loopback', () => {
  it('talks to http://[::1]:port when the server listens on ::1', async () => {
    const v6 = createServer(handler)
    const listening = await new Promise<boolean>(resolve => {
      v6.once('error', () => resolve(false))
      v6.listen(0, '::1', () => resolve(true))
    })
    if (!listening) {
      // This machine has no IPv6 loopback: nothing to test here.
      console.warn('skipped: ::1 is not available on this machine')
      return
    }
    try {
      const port = (v6.address() as AddressInfo).port
      const { client } = makeClient({ origin: `http://[::1]:${port}` })
      replies.push(ok('getServerImageList', { totalRows: 0 }))
      await expect(client.sendOnce('getServerImageList')).resolves.toMatchObject({ totalRows: 0 })
      expect(received).toHaveLength(1)
      expect(received[0].headers.host).toBe(`[::1]:${port}`)
      client.dispose()
    } finally {
      v6.closeAllConnections()
      await new Promise<void>(resolve => v6.close(() => resolve()))
    }
  })
})

describe('NcloudClient.read: the deadline', () => {
  it('starts no retry whose pause would end past the deadline, and throws the last error', async () => {
    const { client, clock } = makeClient()
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '1' }),
      ok('getServerImageList')
    )
    // The Retry-After (capped at 50 ms) would end after the deadline.
    const { error } = await timedFailure(client.read('getServerImageList', {}, clock.now() + 10))
    expect(error.fields.code).toBe('410')
    expect(received).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    client.dispose()
  })

  it('retries as usual when the pause ends before the deadline', async () => {
    const { client, clock } = makeClient()
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '1' }),
      ok('getServerImageList', { totalRows: 3 })
    )
    await expect(client.read('getServerImageList', {}, clock.now() + 1_000)).resolves.toMatchObject(
      { totalRows: 3 }
    )
    expect(clock.delays).toEqual([50])
    client.dispose()
  })
})

describe('NcloudClient.afterCancel', () => {
  it('sends despite the aborted signal, once, with its own short deadline', async () => {
    const controller = new AbortController()
    controller.abort(new Error('cancelled'))
    const { client } = makeClient({ signal: controller.signal })
    const late = client.afterCancel(100)
    replies.push(gatewayError(503, '500', 'Endpoint Error'), ok('getServerImageList'))
    const { error } = await timedFailure(late.read('getServerImageList'))
    expect(error.fields.code).toBe('500')
    expect(received).toHaveLength(1)
    replies.length = 0
    replies.push({ hang: true })
    const { error: slow, ms } = await timedFailure(late.read('getServerImageList'))
    expect(slow.fields.code).toBe('ETIMEDOUT')
    expect(ms).toBeLessThan(1_000)
    // The original client is still cancelled.
    await expect(client.sendOnce('getServerImageList')).rejects.toThrow('cancelled')
    client.dispose()
  })

  it('keeps the region and the gateway setting', () => {
    const { client } = makeClient({ region: 'SGN', gatewaySetting: 'NCLOUD_API_GW' })
    const late = client.afterCancel(100)
    expect(late.region).toBe('SGN')
    expect(late.gatewaySetting).toBe('NCLOUD_API_GW')
    client.dispose()
  })
})

describe('NcloudClient: cancellation', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled')
    controller.abort(reason)
    const { client } = makeClient({ signal: controller.signal })
    await expect(client.sendOnce('getServerImageList')).rejects.toBe(reason)
    await expect(client.read('getServerImageList')).rejects.toBe(reason)
    expect(received).toHaveLength(0)
    client.dispose()
  })

  it('rejects with the abort reason while a request is waiting for its answer, and closes the connection', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled')
    const { client } = makeClient({ signal: controller.signal })
    replies.push({ hang: true })
    const outcome = client.sendOnce('createServerImage')
    for (let turn = 0; turn < 200 && received.length === 0; turn++) await turns(1)
    expect(received).toHaveLength(1)
    const [socket] = sockets
    let closed = false
    socket.once('close', () => (closed = true))
    controller.abort(reason)
    // Settled while the server still holds the answer back: the abort did not wait for the socket.
    const settled = await Promise.race([
      outcome.then(
        () => 'resolved',
        (error: unknown) => (error === reason ? 'aborted' : 'failed otherwise')
      ),
      turns(20).then(() => 'still pending')
    ])
    expect(settled).toBe('aborted')
    expect(hanging).toHaveLength(1)
    // And the request was destroyed: the server sees its connection close, with no answer sent.
    for (let turn = 0; turn < 200 && !closed; turn++) await turns(1)
    expect(closed).toBe(true)
    expect(hanging[0].headersSent).toBe(false)
    client.dispose()
  })

  it('rejects with the abort reason while the body is stalled', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled')
    const { client } = makeClient({ signal: controller.signal })
    replies.push({ stall: true })
    const outcome = client.sendOnce('getServerImageList')
    for (let turn = 0; turn < 200 && hanging.length === 0; turn++) await turns(1)
    const started = performance.now()
    controller.abort(reason)
    await expect(outcome).rejects.toBe(reason)
    expect(performance.now() - started).toBeLessThan(100)
    client.dispose()
  })
})

describe('NcloudClient: endBy, the moment past which no request runs', () => {
  it('sendOnce sends nothing once endBy has come, failing at once with ETIMEDOUT that never reached NCP', async () => {
    const { client, clock } = makeClient()
    replies.push(ok('getServerImageList'))
    for (const endBy of [clock.now(), clock.now() - 1]) {
      const { error, ms } = await timedFailure(client.sendOnce('getServerImageList', {}, endBy))
      expect(error.fields).toMatchObject({
        action: 'getServerImageList',
        source: 'network',
        code: 'ETIMEDOUT',
        reached: 'no'
      })
      expect(error.summary).toContain('no time was left for this request')
      // Well before requestTimeoutMs (5 s): nothing was sent, so nothing was waited for.
      expect(ms).toBeLessThan(1_000)
    }
    expect(received).toHaveLength(0)
    client.dispose()
  })

  it('sendOnce cuts a request short to end by endBy, well before requestTimeoutMs', async () => {
    const { client, clock } = makeClient({ requestTimeoutMs: 5_000 })
    replies.push({ hang: true })
    const { error, ms } = await timedFailure(
      client.sendOnce('getServerImageList', {}, clock.now() + 40)
    )
    expect(error.fields.code).toBe('ETIMEDOUT')
    expect(received).toHaveLength(1)
    expect(ms).toBeLessThan(1_000)
    client.dispose()
  })

  it('sendOnce keeps requestTimeoutMs when endBy is further away', async () => {
    const { client, clock } = makeClient({ requestTimeoutMs: 40 })
    replies.push({ hang: true })
    const { error, ms } = await timedFailure(
      client.sendOnce('getServerImageList', {}, clock.now() + 60_000)
    )
    expect(error.fields.code).toBe('ETIMEDOUT')
    expect(ms).toBeLessThan(1_000)
    client.dispose()
  })

  it('sendOnce answers as usual within endBy', async () => {
    const { client, clock } = makeClient()
    replies.push(ok('getServerImageList', { totalRows: 1 }))
    await expect(
      client.sendOnce('getServerImageList', {}, clock.now() + 5_000)
    ).resolves.toMatchObject({ totalRows: 1 })
    client.dispose()
  })

  it('read starts no retry whose pause would end past endBy, whatever its deadline says', async () => {
    // endBy is also the request's real deadline: seconds away, so a busy machine cannot reach it.
    const { client, clock } = makeClient({ retry: { ...TINY_RETRY, maxRetryAfterMs: 10_000 } })
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '10' }),
      ok('getServerImageList')
    )
    // A Retry-After of 10 s: a pause past endBy (5 s), though within the later deadline (60 s).
    const { error } = await timedFailure(
      client.read('getServerImageList', {}, clock.now() + 60_000, clock.now() + 5_000)
    )
    expect(error.fields.code).toBe('410')
    expect(received).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    client.dispose()
  })

  it('read keeps the earlier deadline when endBy is later', async () => {
    const { client, clock } = makeClient()
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '10' }),
      ok('getServerImageList')
    )
    const { error } = await timedFailure(
      client.read('getServerImageList', {}, clock.now() + 30, clock.now() + 60_000)
    )
    expect(error.fields.code).toBe('410')
    expect(received).toHaveLength(1)
    client.dispose()
  })

  it('read retries within endBy, and each attempt is held to it', async () => {
    const { client, clock } = makeClient()
    replies.push(
      gatewayError(429, '410', 'Throttle Limited', { 'retry-after': '10' }),
      ok('getServerImageList', { totalRows: 2 })
    )
    await expect(
      client.read('getServerImageList', {}, undefined, clock.now() + 5_000)
    ).resolves.toMatchObject({ totalRows: 2 })
    expect(clock.delays).toEqual([50])
    expect(received).toHaveLength(2)
    client.dispose()
  })

  it('read with endBy already past sends nothing and fails at once', async () => {
    const { client, clock } = makeClient()
    replies.push(ok('getServerImageList'))
    const { error } = await timedFailure(
      client.read('getServerImageList', {}, undefined, clock.now())
    )
    expect(error.fields.code).toBe('ETIMEDOUT')
    expect(received).toHaveLength(0)
    expect(clock.sleeps).toEqual([])
    client.dispose()
  })
})
