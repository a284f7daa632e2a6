// Tests of the in-repo NCP simulator itself. The signer below is written here on purpose: the
// simulator must agree with the reference test vectors, not with the action's own signer.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import {
  RETURN_CODES,
  demoFixture,
  startSimulator,
  type Clock,
  type Simulator,
  type SimulatorOptions
} from '../simulator/ncp-simulator.mjs'

// Response bodies are checked field by field; a precise type per action would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any

const ACCESS_KEY = 'sim-access-key'
const SECRET_KEY = 'sim-secret-key'
const MINUTE = 60 * 1000

function signV2(secretKey: string, requestLine: string, timestamp: string, accessKey: string) {
  return createHmac('sha256', secretKey)
    .update(`${requestLine}\n${timestamp}\n${accessKey}`)
    .digest('base64')
}

interface CallOptions {
  method?: 'GET' | 'POST'
  /** The API's path segment; default 'vserver'. */
  api?: 'vserver' | 'vautoscaling'
  /** For POST: a query string to put in the URL (and sign). */
  query?: string
  /** Send exactly this path and query (GET), signed as is. */
  rawTarget?: string
  /** Sign this request target instead of the one sent. */
  signTarget?: string
  accessKey?: string
  secretKey?: string
  timestamp?: string
  headers?: Record<string, string>
  omitHeaders?: string[]
}

interface Reply {
  status: number
  headers: Headers
  text: string
  json: Json
}

async function call(
  sim: Pick<Simulator, 'url'>,
  action: string,
  params: Record<string, string | undefined> = {},
  options: CallOptions = {}
): Promise<Reply> {
  const method = options.method ?? 'POST'
  const merged = { responseFormatType: 'json', regionCode: 'KR', ...params }
  const defined = Object.entries(merged).filter((entry): entry is [string, string] => !!entry[1])
  const form = new URLSearchParams(defined).toString()
  const path = `/${options.api ?? 'vserver'}/v2/${action}`
  const target =
    options.rawTarget ??
    (method === 'GET' ? `${path}?${form}` : options.query ? `${path}?${options.query}` : path)
  const timestamp = options.timestamp ?? String(Date.now())
  const accessKey = options.accessKey ?? ACCESS_KEY
  const requestLine = `${method} ${options.signTarget ?? target}`
  const headers: Record<string, string> = {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    'x-ncp-apigw-signature-v2': signV2(
      options.secretKey ?? SECRET_KEY,
      requestLine,
      timestamp,
      accessKey
    ),
    ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...options.headers
  }
  for (const name of options.omitHeaders ?? []) delete headers[name]
  const response = await fetch(sim.url + target, {
    method,
    headers,
    body: method === 'POST' ? form : undefined
  })
  const text = await response.text()
  const json = text.startsWith('{') ? JSON.parse(text) : undefined
  return { status: response.status, headers: response.headers, text, json }
}

/** The first list entry of a successful reply. */
function first(reply: Reply, action: string, listKey: string): Json {
  expect(reply.status).toBe(200)
  const list = reply.json[`${action}Response`][listKey]
  expect(list).toHaveLength(1)
  return list[0]
}

function expectServiceError(reply: Reply, returnCode: string) {
  expect(reply.status).toBe(400)
  expect(reply.json.responseError.returnCode).toBe(returnCode)
}

function expectGatewayError(reply: Reply, status: number, errorCode: string) {
  expect(reply.status).toBe(status)
  expect(reply.json.error.errorCode).toBe(errorCode)
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Sleeps until the simulator says the image with this number is due to finish. */
async function waitForCompletion(sim: Simulator, no: string) {
  const image = sim.images().find(i => i.no === no)
  expect(image).toBeDefined()
  await sleep(Math.max(0, image!.completedAt - Date.now()) + 10)
}

async function withSimulator(options: SimulatorOptions, body: (sim: Simulator) => Promise<void>) {
  const sim = await startSimulator({ ...demoFixture(), ...options })
  try {
    await body(sim)
  } finally {
    await sim.close()
  }
}

const createMember = (
  sim: Pick<Simulator, 'url'>,
  params: Record<string, string | undefined>,
  options?: CallOptions
) => call(sim, 'createMemberServerImageInstance', { serverInstanceNo: '1001', ...params }, options)
const memberOf = (reply: Reply) =>
  first(reply, 'createMemberServerImageInstance', 'memberServerImageInstanceList')
const memberDetail = async (sim: Pick<Simulator, 'url'>, no: string, options?: CallOptions) =>
  first(
    await call(
      sim,
      'getMemberServerImageInstanceDetail',
      { memberServerImageInstanceNo: no },
      options
    ),
    'getMemberServerImageInstanceDetail',
    'memberServerImageInstanceList'
  )

/** A clock that moves only when told to. */
function fakeClock(start = Date.UTC(2030, 0, 1)) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    }
  }
}

/** Signs with the simulator's (fake) clock instead of Date.now(). */
const at = (clock: Clock): CallOptions => ({ timestamp: String(clock.now()) })

interface RawExchange {
  /** Every byte received so far, headers included. */
  received(): Buffer
  /** How many separate reads that took. */
  reads(): number
  /** Resolves when the socket closes, for whatever reason. */
  closed: Promise<void>
  isClosed(): boolean
}

/** Sends one signed POST over a plain socket (no HTTP client in between) and collects the bytes. */
function rawRequest(
  sim: Simulator,
  action: string,
  params: Record<string, string> = {}
): RawExchange {
  const form = new URLSearchParams({ responseFormatType: 'json', regionCode: 'KR', ...params })
  const body = form.toString()
  const path = `/vserver/v2/${action}`
  const timestamp = String(Date.now())
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: 127.0.0.1:${sim.port}`,
    'connection: close',
    'content-type: application/x-www-form-urlencoded',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-ncp-apigw-timestamp: ${timestamp}`,
    `x-ncp-iam-access-key: ${ACCESS_KEY}`,
    `x-ncp-apigw-signature-v2: ${signV2(SECRET_KEY, `POST ${path}`, timestamp, ACCESS_KEY)}`
  ]
  const chunks: Buffer[] = []
  let closed = false
  const socket = connect(sim.port, '127.0.0.1')
  socket.on('data', chunk => chunks.push(chunk))
  socket.on('error', () => undefined)
  socket.write(`${head.join('\r\n')}\r\n\r\n${body}`)
  return {
    received: () => Buffer.concat(chunks),
    reads: () => chunks.length,
    closed: new Promise(resolve =>
      socket.on('close', () => {
        closed = true
        resolve()
      })
    ),
    isClosed: () => closed
  }
}

interface RawReply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

function parseRaw(bytes: Buffer): RawReply {
  const end = bytes.indexOf('\r\n\r\n')
  expect(end).toBeGreaterThan(0)
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers = Object.fromEntries(
    lines.map(line => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
    })
  )
  const body = bytes.subarray(end + 4)
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: headers['transfer-encoding'] === 'chunked' ? unchunk(body) : body
  }
}

/** Decodes a complete chunked body. */
function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    if (!(size > 0)) return Buffer.concat(parts)
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}

/** The whole exchange, for replies that end with the socket closing. */
async function rawCall(sim: Simulator, action: string, params: Record<string, string> = {}) {
  const exchange = rawRequest(sim, action, params)
  await exchange.closed
  return parseRaw(exchange.received())
}

/** Waits (at most about a second) until the headers and at least `bodyBytes` bytes of body are in. */
async function receivedAtLeast(exchange: RawExchange, bodyBytes: number): Promise<RawReply> {
  for (let i = 0; i < 200; i++) {
    const bytes = exchange.received()
    const end = bytes.indexOf('\r\n\r\n')
    if (end > 0 && bytes.length - end - 4 >= bodyBytes) return parseRaw(bytes)
    await sleep(5)
  }
  throw new Error(`only ${exchange.received().length} bytes arrived`)
}

describe('signature v2', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator(demoFixture())
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
    const vectorSim = await startSimulator({
      credentials: { ACCESS_KEY_ID: 'ncp-secret-example' },
      servers: [{ serverInstanceNo: '1234567' }],
      clockSkewMs: 1700000000000 - Date.now()
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
    ['a timestamp 6 minutes old', { timestamp: String(Date.now() - 6 * MINUTE) }, /5 minutes/],
    ['a timestamp 6 minutes ahead', { timestamp: String(Date.now() + 6 * MINUTE) }, /5 minutes/],
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
    const timestamp = String(Date.now())
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
          timestamp: String(Date.now() + 10 * MINUTE)
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

describe('protocol', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      servers: [...demoFixture().servers, { serverInstanceNo: '5001', regionCode: 'JPN' }]
    })
  })
  afterAll(() => sim.close())

  it('wraps a success in <action>Response with the request id of the header', async () => {
    const reply = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '2001' })
    const body = reply.json.getServerInstanceDetailResponse
    expect(body).toMatchObject({ returnCode: '0', returnMessage: 'success', totalRows: 1 })
    expect(body.requestId).toBe(reply.headers.get('x-ncp-apigw-request-id'))
    expect(body.serverInstanceList[0]).toMatchObject({
      serverInstanceNo: '2001',
      serverName: 'web-kvm-1',
      serverInstanceStatus: { code: 'RUN' },
      serverInstanceOperation: { code: 'NULL' },
      serverInstanceStatusName: 'running',
      hypervisorType: { code: 'KVM' },
      regionCode: 'KR',
      zoneCode: 'KR-1',
      platformType: { code: 'LNX64' }
    })
  })

  it('describes the preset servers', async () => {
    const detail = async (no: string) =>
      first(
        await call(sim, 'getServerInstanceDetail', { serverInstanceNo: no }),
        'getServerInstanceDetail',
        'serverInstanceList'
      )
    expect(await detail('1001')).toMatchObject({
      serverName: 'web-xen-1',
      hypervisorType: { code: 'XEN' }
    })
    expect(await detail('3001')).toMatchObject({
      hypervisorType: { code: 'RHV' },
      serverInstanceStatus: { code: 'NSTOP' },
      serverInstanceStatusName: 'stopped'
    })
    expect(await detail('4001')).toMatchObject({
      serverInstanceOperation: { code: 'START' },
      serverInstanceStatusName: 'booting'
    })
  })

  it('insists on responseFormatType=json with an XML error', async () => {
    for (const responseFormatType of [undefined, 'xml']) {
      const reply = await call(sim, 'getServerInstanceDetail', {
        serverInstanceNo: '1001',
        responseFormatType
      })
      expect(reply.status).toBe(400)
      expect(reply.text).toContain('<responseError>')
      expect(reply.headers.get('content-type')).toMatch(/xml/)
    }
  })

  it('requires regionCode', async () => {
    const reply = await call(sim, 'getServerInstanceDetail', {
      serverInstanceNo: '1001',
      regionCode: undefined
    })
    expectServiceError(reply, RETURN_CODES.parameterRequired)
    expect(reply.json.responseError.returnMessage).toMatch(/regionCode/)
  })

  it.each(['getNothing', 'constructor', '__proto__'])(
    'answers 404 / 300 for action %s',
    async action => {
      const reply = await call(sim, action, {})
      expectGatewayError(reply, 404, '300')
      expect(reply.json.error.message).toBe('Not Found Exception')
    }
  )

  it('does not find a server that is unknown or in another region', async () => {
    for (const [serverInstanceNo, regionCode] of [
      ['9999', 'KR'],
      ['1001', 'JPN'],
      ['5001', 'KR']
    ]) {
      const reply = await call(sim, 'getServerInstanceDetail', { serverInstanceNo, regionCode })
      expectServiceError(reply, RETURN_CODES.serverNotFound)
    }
    const japan = await call(sim, 'getServerInstanceDetail', {
      serverInstanceNo: '5001',
      regionCode: 'JPN'
    })
    expect(japan.status).toBe(200)
  })

  it('merges query and body parameters and records the request as received', async () => {
    await call(
      sim,
      'getServerInstanceDetail',
      { serverInstanceNo: '1001' },
      {
        query: 'extra=from-query',
        headers: { 'X-Custom-Header': 'Value' }
      }
    )
    const recorded = sim.requests.at(-1)!
    expect(recorded).toMatchObject({
      action: 'getServerInstanceDetail',
      method: 'POST',
      path: '/vserver/v2/getServerInstanceDetail?extra=from-query',
      params: { extra: 'from-query', serverInstanceNo: '1001', regionCode: 'KR' },
      authOk: true,
      status: 200
    })
    expect(recorded.headers['x-custom-header']).toBe('Value')
    expect(recorded.headers['x-ncp-iam-access-key']).toBe(ACCESS_KEY)
    expect(Math.abs(recorded.at - Date.now())).toBeLessThan(5000)
  })
})

describe('member server images (XEN / RHV)', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      createMs: 150,
      servers: [
        ...demoFixture().servers,
        { serverInstanceNo: '6001', failImage: true },
        { serverInstanceNo: '7001', regionCode: 'JPN' }
      ]
    })
  })
  afterAll(() => sim.close())

  it('creates an image in INIT / CREAT that turns CREAT / NULL after createMs', async () => {
    const image = memberOf(
      await createMember(sim, {
        memberServerImageName: 'life-1',
        memberServerImageDescription: 'd'
      })
    )
    expect(image).toMatchObject({
      memberServerImageInstanceNo: expect.stringMatching(/^9\d{5}$/),
      memberServerImageName: 'life-1',
      memberServerImageDescription: 'd',
      originalServerInstanceNo: '1001',
      originalServerImageProductCode: expect.any(String),
      memberServerImageInstanceStatus: { code: 'INIT', codeName: 'NSI INIT state' },
      memberServerImageInstanceOperation: { code: 'CREAT', codeName: 'NSI CREAT OP' },
      memberServerImageInstanceStatusName: 'creating',
      createDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0900$/),
      memberServerImageBlockStorageTotalRows: 1,
      shareStatus: { code: 'NULL', codeName: 'NSI Share NULL State' },
      sharedLoginIdList: []
    })
    const no = image.memberServerImageInstanceNo
    expect((await memberDetail(sim, no)).memberServerImageInstanceStatus.code).toBe('INIT')

    await waitForCompletion(sim, no)
    expect(await memberDetail(sim, no)).toMatchObject({
      memberServerImageInstanceStatus: { code: 'CREAT', codeName: 'NSI CREATED state' },
      memberServerImageInstanceOperation: { code: 'NULL', codeName: 'NSI NULLOP' },
      memberServerImageInstanceStatusName: 'created'
    })
    const summary = sim.images().find(i => i.no === no)!
    expect(summary).toMatchObject({
      kind: 'member',
      name: 'life-1',
      status: 'CREAT',
      regionCode: 'KR'
    })
    expect(summary.completedAt).toBe(summary.createdAt + 150)
  })

  it('numbers images upwards', async () => {
    const a = memberOf(await createMember(sim, { memberServerImageName: 'order-a' }))
    const b = memberOf(await createMember(sim, { memberServerImageName: 'order-b' }))
    expect(Number(b.memberServerImageInstanceNo)).toBeGreaterThan(
      Number(a.memberServerImageInstanceNo)
    )
  })

  it('ends in CREFL / createFailed for a server marked to fail', async () => {
    const reply = await createMember(sim, {
      serverInstanceNo: '6001',
      memberServerImageName: 'fails-1'
    })
    const no = memberOf(reply).memberServerImageInstanceNo
    await waitForCompletion(sim, no)
    expect(await memberDetail(sim, no)).toMatchObject({
      memberServerImageInstanceStatus: { code: 'CREFL', codeName: 'NSI CREATE FAILED state' },
      memberServerImageInstanceOperation: { code: 'NULL' },
      memberServerImageInstanceStatusName: 'createFailed'
    })
  })

  it('generates a valid name when none is given', async () => {
    const image = memberOf(await createMember(sim, {}))
    expect(image.memberServerImageName).toMatch(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/)
  })

  it('accepts a stopped RHV server and refuses a booting one', async () => {
    const rhv = await createMember(sim, {
      serverInstanceNo: '3001',
      memberServerImageName: 'rhv-1'
    })
    expect(memberOf(rhv).originalServerInstanceNo).toBe('3001')
    const booting = await createMember(sim, {
      serverInstanceNo: '4001',
      memberServerImageName: 'boot-1'
    })
    expectServiceError(booting, RETURN_CODES.serverState)
    expect(booting.json.responseError.returnMessage).toMatch(
      /not in a state that allows image creation/
    )
  })

  it('refuses a missing server', async () => {
    const reply = await createMember(sim, {
      serverInstanceNo: '9999',
      memberServerImageName: 'x-1'
    })
    expectServiceError(reply, RETURN_CODES.serverNotFound)
  })

  it.each(['Upper-1', 'ab', 'a-', '1abc', 'under_score', 'a'.repeat(31)])(
    'refuses the member image name %s',
    async name => {
      expectServiceError(
        await createMember(sim, { memberServerImageName: name }),
        RETURN_CODES.invalidName
      )
    }
  )

  it('counts the description limit in UTF-8 bytes', async () => {
    const korean333 = '테'.repeat(333) // 999 bytes
    const fits = await createMember(sim, {
      memberServerImageName: 'desc-fits',
      memberServerImageDescription: `${korean333}x`
    })
    expect(fits.status).toBe(200)
    const tooLong = await createMember(sim, {
      memberServerImageName: 'desc-long',
      memberServerImageDescription: `${korean333}xy`
    })
    expectServiceError(tooLong, RETURN_CODES.descriptionTooLong)
  })

  it('keeps names unique per region, across both image kinds and seeds', async () => {
    expect((await createMember(sim, { memberServerImageName: 'unique-1' })).status).toBe(200)
    const again = await createMember(sim, { memberServerImageName: 'unique-1' })
    expectServiceError(again, RETURN_CODES.duplicateName)
    expect(again.json.responseError.returnMessage).toBe('The image name is already in use.')

    const kvm = await call(sim, 'createServerImage', {
      serverInstanceNo: '2001',
      serverImageName: 'unique-1'
    })
    expectServiceError(kvm, RETURN_CODES.duplicateName)

    const japan = await createMember(sim, {
      serverInstanceNo: '7001',
      regionCode: 'JPN',
      memberServerImageName: 'unique-1'
    })
    expect(japan.status).toBe(200)

    sim.addImage({ kind: 'server', name: 'seeded-1', serverInstanceNo: '2001', status: 'CREAT' })
    const seeded = await createMember(sim, { memberServerImageName: 'seeded-1' })
    expectServiceError(seeded, RETURN_CODES.duplicateName)
  })

  it('does not find an image looked up in another region', async () => {
    const no = memberOf(
      await createMember(sim, { memberServerImageName: 'region-1' })
    ).memberServerImageInstanceNo
    const reply = await call(sim, 'getMemberServerImageInstanceDetail', {
      memberServerImageInstanceNo: no,
      regionCode: 'JPN'
    })
    expectServiceError(reply, RETURN_CODES.imageNotFound)
  })
})

describe('server images (KVM)', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ ...demoFixture(), createMs: 100 })
  })
  afterAll(() => sim.close())

  const createKvm = (params: Record<string, string | undefined>) =>
    call(sim, 'createServerImage', { serverInstanceNo: '2001', ...params })

  it('refuses createMemberServerImageInstance on a KVM server', async () => {
    const reply = await createMember(sim, {
      serverInstanceNo: '2001',
      memberServerImageName: 'kvm-1'
    })
    expectServiceError(reply, RETURN_CODES.kvmNotSupported)
    expect(reply.json.responseError.returnMessage).toMatch(/Use createServerImage/)
  })

  it.each(['1001', '3001'])('makes a server image of the non-KVM server %s', async no => {
    const reply = await createKvm({ serverInstanceNo: no, serverImageName: `not-kvm-${no}` })
    expect(reply.status).toBe(200)
    const [record] = reply.json.createServerImageResponse.serverImageList
    expect(record.serverImageName).toBe(`not-kvm-${no}`)
    const image = sim.images().find(i => i.no === record.serverImageNo)
    expect(image).toMatchObject({ kind: 'server', serverInstanceNo: no })
  })

  it.each(['1001', '3001'])(
    'with kvmOnlyServerImages refuses createServerImage on the non-KVM server %s',
    async no => {
      const strict = await startSimulator({ ...demoFixture(), kvmOnlyServerImages: true })
      try {
        const reply = await call(strict, 'createServerImage', {
          serverInstanceNo: no,
          serverImageName: 'not-kvm-1'
        })
        expectServiceError(reply, RETURN_CODES.kvmOnly)
        expect(reply.json.responseError.returnMessage).toMatch(/createMemberServerImageInstance/)
        expect(strict.images()).toEqual([])
      } finally {
        await strict.close()
      }
    }
  )

  it('requires serverImageName and applies its own name rule', async () => {
    expectServiceError(await createKvm({}), RETURN_CODES.parameterRequired)
    expectServiceError(await createKvm({ serverImageName: 'Kvm-1' }), RETURN_CODES.invalidName)
    expectServiceError(await createKvm({ serverImageName: 'kvm-' }), RETURN_CODES.invalidName)
  })

  it('creates a server image that turns CREAT after createMs and records blockStorageList', async () => {
    const reply = await createKvm({
      serverImageName: 'kvm_Image-1',
      serverImageDescription: 'nightly',
      'blockStorageList.1.order': '0',
      'blockStorageList.2.order': '1',
      'blockStorageList.2.blockStorageVolumeTypeCode': 'CB1'
    })
    const image = first(reply, 'createServerImage', 'serverImageList')
    expect(image).toMatchObject({
      serverImageNo: expect.stringMatching(/^\d+$/),
      serverImageName: 'kvm_Image-1',
      serverImageDescription: 'nightly',
      serverImageType: { code: 'SELF' },
      hypervisorType: { code: 'KVM' },
      serverImageStatus: { code: 'INIT' },
      serverImageOperation: { code: 'CREAT' },
      serverImageStatusName: 'creating',
      shareStatus: { code: 'NULL' },
      sharedLoginIdList: [],
      // The snapshot the image is made of (kept after a delete, until deleted itself).
      blockStorageMappingList: [
        expect.objectContaining({ order: 0, blockStorageSnapshotInstanceNo: expect.any(Number) })
      ]
    })
    const no = image.serverImageNo
    expect(sim.images().find(i => i.no === no)?.blockStorageList).toEqual([
      { order: '0' },
      { order: '1', blockStorageVolumeTypeCode: 'CB1' }
    ])

    await waitForCompletion(sim, no)
    const detail = first(
      await call(sim, 'getServerImageDetail', { serverImageNo: no }),
      'getServerImageDetail',
      'serverImageList'
    )
    expect(detail).toMatchObject({
      serverImageStatus: { code: 'CREAT' },
      serverImageOperation: { code: 'NULL' },
      serverImageStatusName: 'created'
    })
  })

  it('keeps the two image kinds apart in detail calls', async () => {
    const kvmNo = first(
      await createKvm({ serverImageName: 'apart-kvm' }),
      'createServerImage',
      'serverImageList'
    ).serverImageNo
    const xenNo = memberOf(
      await createMember(sim, { memberServerImageName: 'apart-xen' })
    ).memberServerImageInstanceNo
    expectServiceError(
      await call(sim, 'getMemberServerImageInstanceDetail', { memberServerImageInstanceNo: kvmNo }),
      RETURN_CODES.imageNotFound
    )
    expectServiceError(
      await call(sim, 'getServerImageDetail', { serverImageNo: xenNo }),
      RETURN_CODES.imageNotFound
    )
  })
})

describe('list calls', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      listLagMs: 200,
      images: [{ kind: 'member', name: 'old-image', serverInstanceNo: '1001', status: 'CREAT' }]
    })
  })
  afterAll(() => sim.close())

  const memberList = async (params: Record<string, string> = {}) => {
    const reply = await call(sim, 'getMemberServerImageInstanceList', params)
    expect(reply.status).toBe(200)
    return reply.json.getMemberServerImageInstanceListResponse
  }

  it('lists seeded images at once', async () => {
    const list = await memberList({ memberServerImageName: 'old-image' })
    expect(list.totalRows).toBe(1)
    expect(list.memberServerImageInstanceList[0].memberServerImageInstanceStatus.code).toBe('CREAT')
  })

  it('shows a new image in detail at once but in lists only after listLagMs', async () => {
    const no = memberOf(
      await createMember(sim, { memberServerImageName: 'lagging' })
    ).memberServerImageInstanceNo
    expect((await memberDetail(sim, no)).memberServerImageName).toBe('lagging')
    expect((await memberList({ memberServerImageName: 'lagging' })).totalRows).toBe(0)

    await sleep(sim.images().find(i => i.no === no)!.createdAt + 200 - Date.now() + 10)
    const list = await memberList({ memberServerImageName: 'lagging' })
    expect(list.totalRows).toBe(1)
    expect(list.memberServerImageInstanceList[0].memberServerImageInstanceNo).toBe(no)
  })

  it('filters by exact name and by number list', async () => {
    expect((await memberList({ memberServerImageName: 'old-imag' })).totalRows).toBe(0)
    const all = await memberList()
    const numbers: string[] = all.memberServerImageInstanceList.map(
      (i: Json) => i.memberServerImageInstanceNo
    )
    expect(numbers.length).toBeGreaterThanOrEqual(2)
    const one = await memberList({ 'memberServerImageInstanceNoList.1': numbers[1] })
    expect(
      one.memberServerImageInstanceList.map((i: Json) => i.memberServerImageInstanceNo)
    ).toEqual([numbers[1]])
  })

  it('lists only server images in getServerImageList, with the same lag', async () => {
    const no = first(
      await call(sim, 'createServerImage', {
        serverInstanceNo: '2001',
        serverImageName: 'kvm-listed'
      }),
      'createServerImage',
      'serverImageList'
    ).serverImageNo
    const list = async () =>
      (await call(sim, 'getServerImageList', {})).json.getServerImageListResponse.serverImageList
    expect(await list()).toEqual([])
    await sleep(250)
    expect((await list()).map((i: Json) => i.serverImageNo)).toEqual([no])
    const byName = await call(sim, 'getServerImageList', { serverImageName: 'kvm-listed' })
    expect(byName.json.getServerImageListResponse.totalRows).toBe(1)
  })
})

describe('faults', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ ...demoFixture(), createMs: 50 })
  })
  afterAll(() => sim.close())

  const detail = () => call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })

  it.each<[string, number, string, string]>([
    ['throttle', 429, '410', 'Throttle Limited'],
    ['endpoint-error', 503, '500', 'Endpoint Error'],
    ['endpoint-timeout', 504, '510', 'Endpoint Timeout'],
    ['unexpected', 500, '900', 'Unexpected Error'],
    ['permission', 401, '210', 'Permission Denied']
  ])('answers the %s fault as a gateway error, once', async (kind, status, errorCode, message) => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: kind as 'throttle' })
    const faulted = await detail()
    expectGatewayError(faulted, status, errorCode)
    expect(faulted.json.error.message).toBe(message)
    expect(faulted.headers.get('x-ncp-apigw-request-id')).toBeTruthy()
    expect(sim.requests.at(-1)).toMatchObject({ fault: kind, status, authOk: true })
    expect((await detail()).status).toBe(200)
  })

  it('answers a service-retry fault as HTTP 500 returnCode 1000', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'service-retry' })
    const reply = await detail()
    expect(reply.status).toBe(500)
    expect(reply.json.responseError).toEqual({
      returnCode: '1000',
      returnMessage: 'Please try your call again later.'
    })
  })

  it('counts down times, in the order added, with Retry-After when asked', async () => {
    sim.addFault({
      action: 'getServerInstanceDetail',
      kind: 'throttle',
      times: 2,
      retryAfterSeconds: 3
    })
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'endpoint-error' })
    const replies: Reply[] = []
    for (let i = 0; i < 4; i++) replies.push(await detail())
    expect(replies.map(r => r.status)).toEqual([429, 429, 503, 200])
    expect(replies.map(r => r.headers.get('retry-after'))).toEqual(['3', '3', null, null])
    expect(sim.requests.slice(-4).map(r => r.fault)).toEqual([
      'throttle',
      'throttle',
      'endpoint-error',
      undefined
    ])
  })

  it('only faults the named action, or any action for "*"', async () => {
    sim.addFault({ action: 'getServerImageList', kind: 'throttle' })
    expect((await detail()).status).toBe(200)
    expect((await call(sim, 'getServerImageList', {})).status).toBe(429)
    sim.addFault({ action: '*', kind: 'endpoint-timeout' })
    expect((await detail()).status).toBe(504)
  })

  it('does not spend a fault on a request with a bad signature', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'throttle' })
    const bad = await call(
      sim,
      'getServerInstanceDetail',
      { serverInstanceNo: '1001' },
      { secretKey: 'x' }
    )
    expectGatewayError(bad, 401, '200')
    expect(sim.requests.at(-1)?.fault).toBeUndefined()
    expect((await detail()).status).toBe(429)
  })

  it("with when 'before', skips the action", async () => {
    sim.addFault({ action: 'createMemberServerImageInstance', kind: 'endpoint-error' })
    const count = sim.images().length
    expect((await createMember(sim, { memberServerImageName: 'before-1' })).status).toBe(503)
    expect(sim.images()).toHaveLength(count)
  })

  it("with when 'after', performs the action and loses the reply", async () => {
    sim.addFault({
      action: 'createMemberServerImageInstance',
      kind: 'endpoint-timeout',
      when: 'after'
    })
    const lost = await createMember(sim, { memberServerImageName: 'after-1' })
    expect(lost.status).toBe(504)
    expect(sim.images().filter(i => i.name === 'after-1')).toHaveLength(1)
    const retry = await createMember(sim, { memberServerImageName: 'after-1' })
    expectServiceError(retry, RETURN_CODES.duplicateName)
  })

  it('drops the connection without a reply', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'drop' })
    await expect(detail()).rejects.toThrow()
    expect(sim.requests.at(-1)).toMatchObject({ fault: 'drop', status: 0 })
    expect((await detail()).status).toBe(200)
  })

  it('refuses an unknown fault kind', () => {
    expect(() => sim.addFault({ action: 'x', kind: 'nope' as 'drop' })).toThrow(
      /unknown fault kind/
    )
  })
})

describe('fixtures, seeds and latency', () => {
  it('turns an INIT seed into CREAT (or CREFL) after its createMs', async () => {
    await withSimulator({}, async sim => {
      const ok = sim.addImage({
        kind: 'member',
        name: 'seed-ok',
        serverInstanceNo: '1001',
        status: 'INIT',
        createMs: 80
      })
      const bad = sim.addImage({
        kind: 'member',
        name: 'seed-bad',
        serverInstanceNo: '1001',
        status: 'INIT',
        createMs: 80,
        fail: true
      })
      expect((await memberDetail(sim, ok.no)).memberServerImageInstanceStatus.code).toBe('INIT')
      await waitForCompletion(sim, ok.no)
      expect((await memberDetail(sim, ok.no)).memberServerImageInstanceStatus.code).toBe('CREAT')
      expect((await memberDetail(sim, bad.no)).memberServerImageInstanceStatus.code).toBe('CREFL')
    })
  })

  it('replaces a server with setServer', async () => {
    await withSimulator({}, async sim => {
      sim.setServer({
        serverInstanceNo: '1001',
        serverName: 'web-xen-1',
        status: 'NSTOP',
        operation: 'SHTDN'
      })
      const refused = await createMember(sim, { memberServerImageName: 'busy-1' })
      expectServiceError(refused, RETURN_CODES.serverState)
      sim.setServer({ serverInstanceNo: '1001', status: 'NSTOP' })
      expect((await createMember(sim, { memberServerImageName: 'busy-1' })).status).toBe(200)
    })
  })

  it('delays every response by latencyMs', async () => {
    await withSimulator({ latencyMs: 150 }, async sim => {
      const started = Date.now()
      const reply = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
      expect(reply.status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    })
  })
})

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    stream.on('data', chunk => {
      buffered += String(chunk)
      const end = buffered.indexOf('\n')
      if (end >= 0) resolve(buffered.slice(0, end))
    })
    stream.on('end', () => reject(new Error(`the CLI ended without a line: ${buffered}`)))
  })
}

describe('cli', () => {
  it('prints the ready JSON, serves the preset and exits 0 on SIGTERM', async () => {
    const cliPath = fileURLToPath(new URL('../simulator/cli.mjs', import.meta.url))
    const child = spawn(process.execPath, [cliPath, '--port', '0', '--create-ms', '50'], {
      stdio: ['ignore', 'pipe', 'inherit']
    })
    const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
    try {
      const ready = JSON.parse(await firstLine(child.stdout!))
      expect(ready).toMatchObject({
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        accessKey: ACCESS_KEY,
        secretKey: SECRET_KEY
      })
      expect(ready.servers.map((s: Json) => s.serverInstanceNo)).toEqual([
        '1001',
        '2001',
        '3001',
        '4001'
      ])
      const reply = await call(ready, 'getServerInstanceDetail', { serverInstanceNo: '2001' })
      expect(first(reply, 'getServerInstanceDetail', 'serverInstanceList').serverName).toBe(
        'web-kvm-1'
      )
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
  })
})

describe('shared clock', () => {
  it('drives image completion, createDate, the signature rule and the request log', async () => {
    const clock = fakeClock(Date.UTC(2030, 0, 1))
    await withSimulator({ clock, createMs: 10 * MINUTE }, async sim => {
      const realTime = await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
      expectGatewayError(realTime, 401, '200')

      const image = memberOf(
        await createMember(sim, { memberServerImageName: 'virtual-1' }, at(clock))
      )
      expect(image.createDate).toBe('2030-01-01T09:00:00+0900')
      expect(sim.requests.at(-1)?.at).toBe(clock.now())
      const no = image.memberServerImageInstanceNo
      expect(sim.images()[0]).toMatchObject({
        status: 'INIT',
        createdAt: clock.now(),
        completedAt: clock.now() + 10 * MINUTE
      })

      clock.advance(10 * MINUTE - 1)
      const status = async () =>
        (await memberDetail(sim, no, at(clock))).memberServerImageInstanceStatus.code
      expect(await status()).toBe('INIT')
      clock.advance(1)
      expect(await status()).toBe('CREAT')
      expect(sim.images()[0].status).toBe('CREAT')
      expect(
        sim.addImage({ kind: 'member', name: 'seeded', serverInstanceNo: '1001', status: 'CREAT' })
          .createdAt
      ).toBe(clock.now())
    })
  })

  it('applies list lag in clock time', async () => {
    const clock = fakeClock()
    await withSimulator({ clock, listLagMs: MINUTE }, async sim => {
      await createMember(sim, { memberServerImageName: 'lag-1' }, at(clock))
      const listed = async () =>
        (await call(sim, 'getMemberServerImageInstanceList', {}, at(clock))).json
          .getMemberServerImageInstanceListResponse.totalRows
      expect(await listed()).toBe(0)
      clock.advance(MINUTE)
      expect(await listed()).toBe(1)
    })
  })
})

describe('hostile faults', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ ...demoFixture(), createMs: 50 })
  })
  afterAll(() => sim.close())

  const detailParams = { serverInstanceNo: '1001' }
  const normalLength = async () =>
    Buffer.byteLength((await call(sim, 'getServerInstanceDetail', detailParams)).text)

  it('cut: announces the whole body, sends half of it and closes', async () => {
    const full = await normalLength()
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'cut' })
    const reply = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(reply.status).toBe(200)
    expect(Number(reply.headers['content-length'])).toBe(full)
    expect(reply.body.length).toBe(Math.floor(full / 2))
    expect(reply.body.toString()).toMatch(/^\{"getServerInstanceDetailResponse"/)
    expect(sim.requests.at(-1)).toMatchObject({ fault: 'cut', status: 200 })
  })

  it("cut 'after' creates the image; cut 'before' leaves no trace", async () => {
    const count = sim.images().length
    sim.addFault({ action: 'createMemberServerImageInstance', kind: 'cut' })
    const before = await rawCall(sim, 'createMemberServerImageInstance', {
      serverInstanceNo: '1001',
      memberServerImageName: 'cut-before'
    })
    expect(Number(before.headers['content-length'])).toBeGreaterThan(before.body.length)
    expect(sim.images()).toHaveLength(count)
    expect((await createMember(sim, { memberServerImageName: 'cut-before' })).status).toBe(200)

    sim.addFault({ action: 'createMemberServerImageInstance', kind: 'cut', when: 'after' })
    await rawCall(sim, 'createMemberServerImageInstance', {
      serverInstanceNo: '1001',
      memberServerImageName: 'cut-after'
    })
    expect(sim.images().filter(i => i.name === 'cut-after')).toHaveLength(1)
  })

  it('redirect: 307 with a Location elsewhere, or the status and location given', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'redirect' })
    const reply = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(reply.status).toBe(307)
    expect(reply.headers.location).toBe(
      'https://elsewhere.example.com/vserver/v2/getServerInstanceDetail'
    )
    expect(reply.body.length).toBeGreaterThan(0)

    sim.addFault({
      action: 'getServerInstanceDetail',
      kind: 'redirect',
      status: 302,
      location: 'http://127.0.0.1:1/trap'
    })
    const custom = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(custom.status).toBe(302)
    expect(custom.headers.location).toBe('http://127.0.0.1:1/trap')
  })

  it("redirect honours when: 'before' skips the create, 'after' performs it", async () => {
    const create = (name: string) =>
      rawCall(sim, 'createMemberServerImageInstance', {
        serverInstanceNo: '1001',
        memberServerImageName: name
      })
    sim.addFault({ action: 'createMemberServerImageInstance', kind: 'redirect' })
    expect((await create('moved-before')).status).toBe(307)
    sim.addFault({ action: 'createMemberServerImageInstance', kind: 'redirect', when: 'after' })
    expect((await create('moved-after')).status).toBe(307)
    expect(sim.images().map(i => i.name)).not.toContain('moved-before')
    expect(sim.images().map(i => i.name)).toContain('moved-after')
  })

  it('not-json: HTTP 200 with an HTML page', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'not-json' })
    const reply = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toMatch(/^text\/html/)
    expect(reply.body.toString()).toMatch(/^<html>.*<\/html>$/s)
  })

  it('no-list: a success response without the list key', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'no-list' })
    const reply = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(reply.status).toBe(200)
    const body = JSON.parse(reply.body.toString()).getServerInstanceDetailResponse
    expect(body).toMatchObject({ returnCode: '0', returnMessage: 'success' })
    expect(body).not.toHaveProperty('serverInstanceList')
  })

  it('huge: a 5 MiB gateway error by default, or the size and status given', async () => {
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'huge' })
    const reply = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(reply.status).toBe(503)
    expect(reply.body.length).toBe(5 * 1024 * 1024)
    const { error } = JSON.parse(reply.body.toString())
    expect(error).toMatchObject({ errorCode: '500', message: 'Endpoint Error' })
    expect(error.details.length).toBeGreaterThan(5_000_000)

    sim.addFault({ action: 'getServerInstanceDetail', kind: 'huge', bytes: 2000, status: 500 })
    const small = await rawCall(sim, 'getServerInstanceDetail', detailParams)
    expect(small.status).toBe(500)
    expect(small.body.length).toBe(2000)
    expect(JSON.parse(small.body.toString()).error.errorCode).toBe('900')
  })

  it('trickle: sends the body one byte at a time until it is complete', async () => {
    // A service error keeps the body (and so the test) short.
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'trickle', intervalMs: 1 })
    const exchange = rawRequest(sim, 'getServerInstanceDetail')
    await exchange.closed
    const reply = parseRaw(exchange.received())
    expect(reply.status).toBe(400)
    expect(reply.body.length).toBe(Number(reply.headers['content-length']))
    expect(JSON.parse(reply.body.toString()).responseError.returnCode).toBe(
      RETURN_CODES.parameterRequired
    )
    expect(reply.body.length).toBeGreaterThan(50)
    expect(exchange.reads()).toBeGreaterThan(reply.body.length / 2)
  })

  it('puts the injected message text into gateway and service errors', async () => {
    const workflowCommand = '::set-output name=image-instance-no::666'
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'throttle', message: workflowCommand })
    const gateway = await call(sim, 'getServerInstanceDetail', detailParams)
    expectGatewayError(gateway, 429, '410')
    expect(gateway.json.error.message).toBe(workflowCommand)

    const markdown = '![x](https://example.com/t.png)'
    for (const kind of ['service-retry', 'service-internal'] as const) {
      sim.addFault({ action: 'getServerInstanceDetail', kind, message: markdown })
      const service = await call(sim, 'getServerInstanceDetail', detailParams)
      expect(service.status).toBe(500)
      expect(service.json.responseError.returnMessage).toBe(markdown)
    }
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'permission', message: markdown })
    expect((await call(sim, 'getServerInstanceDetail', detailParams)).json.error.message).toBe(
      markdown
    )
  })

  it('refuses a negative fault option', () => {
    expect(() => sim.addFault({ action: 'x', kind: 'trickle', intervalMs: -1 })).toThrow(
      /intervalMs/
    )
  })
})

describe('stalled and trickling replies at close()', () => {
  it('stall: sends half the body, then nothing, until close() ends it promptly', async () => {
    const sim = await startSimulator(demoFixture())
    try {
      const full = Buffer.byteLength(
        (await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })).text
      )
      sim.addFault({ action: 'getServerInstanceDetail', kind: 'stall' })
      sim.addFault({ action: 'getServerImageList', kind: 'trickle' })
      const stalled = rawRequest(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' })
      const trickling = rawRequest(sim, 'getServerImageList')
      const reply = await receivedAtLeast(stalled, Math.floor(full / 2))
      expect(reply.status).toBe(200)
      expect(Number(reply.headers['content-length'])).toBe(full)
      const slow = await receivedAtLeast(trickling, 0)
      expect(slow.status).toBe(200)

      await sleep(60)
      expect(stalled.isClosed()).toBe(false)
      expect(parseRaw(stalled.received()).body.length).toBe(Math.floor(full / 2))
      expect(parseRaw(trickling.received()).body.length).toBe(0) // default 2 s between bytes

      const started = Date.now()
      await sim.close()
      await Promise.all([stalled.closed, trickling.closed])
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await sim.close()
    }
  })
})

describe('image status the action does not know', () => {
  const clock = fakeClock()
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      clock,
      createMs: 1000,
      imageFinalStatus: 'DELETING',
      servers: [
        { serverInstanceNo: '1001' },
        { serverInstanceNo: '1002', imageFinalStatus: null },
        { serverInstanceNo: '1003', imageFinalStatus: 'CREAT' },
        { serverInstanceNo: '2001', hypervisor: 'KVM', imageFinalStatus: null }
      ]
    })
  })
  afterAll(() => sim.close())

  const create = async (serverInstanceNo: string, name: string) =>
    memberOf(await createMember(sim, { serverInstanceNo, memberServerImageName: name }, at(clock)))
      .memberServerImageInstanceNo

  it('ends images in the simulator-wide final status', async () => {
    const no = await create('1001', 'deleting-1')
    clock.advance(1000)
    expect(await memberDetail(sim, no, at(clock))).toMatchObject({
      memberServerImageInstanceStatus: { code: 'DELETING' },
      memberServerImageInstanceOperation: { code: 'NULL' },
      memberServerImageInstanceStatusName: 'deleting'
    })
    expect(sim.images().find(i => i.no === no)?.status).toBe('DELETING')
  })

  it('lets a server fixture win, null meaning no status object at all', async () => {
    const absent = await create('1002', 'absent-1')
    const normal = await create('1003', 'normal-1')
    expect((await memberDetail(sim, absent, at(clock))).memberServerImageInstanceStatus.code).toBe(
      'INIT'
    )
    clock.advance(1000)
    const record = await memberDetail(sim, absent, at(clock))
    expect(record).not.toHaveProperty('memberServerImageInstanceStatus')
    expect(record).not.toHaveProperty('memberServerImageInstanceStatusName')
    expect(record.memberServerImageName).toBe('absent-1')
    expect(sim.images().find(i => i.no === absent)?.status).toBeNull()
    expect((await memberDetail(sim, normal, at(clock))).memberServerImageInstanceStatus.code).toBe(
      'CREAT'
    )

    const kvm = first(
      await call(
        sim,
        'createServerImage',
        { serverInstanceNo: '2001', serverImageName: 'kvm-absent' },
        at(clock)
      ),
      'createServerImage',
      'serverImageList'
    ).serverImageNo
    clock.advance(1000)
    const kvmRecord = first(
      await call(sim, 'getServerImageDetail', { serverImageNo: kvm }, at(clock)),
      'getServerImageDetail',
      'serverImageList'
    )
    expect(kvmRecord).not.toHaveProperty('serverImageStatus')
    expect(kvmRecord.serverImageOperation.code).toBe('NULL')
  })

  it('keeps any status given to a seed', async () => {
    const seed = sim.addImage({
      kind: 'member',
      name: 'seed-deleting',
      serverInstanceNo: '1001',
      status: 'TERMINATING'
    })
    expect(seed.status).toBe('TERMINATING')
    expect((await memberDetail(sim, seed.no, at(clock))).memberServerImageInstanceStatus.code).toBe(
      'TERMINATING'
    )
    const none = sim.addImage({
      kind: 'member',
      name: 'seed-none',
      serverInstanceNo: '1001',
      status: null
    })
    expect(await memberDetail(sim, none.no, at(clock))).not.toHaveProperty(
      'memberServerImageInstanceStatus'
    )
  })
})

describe('gateway without unique names', () => {
  it('makes another image under a name already in use', async () => {
    await withSimulator({ uniqueNames: false }, async sim => {
      const a = memberOf(await createMember(sim, { memberServerImageName: 'twin-1' }))
      const b = memberOf(await createMember(sim, { memberServerImageName: 'twin-1' }))
      expect(b.memberServerImageInstanceNo).not.toBe(a.memberServerImageInstanceNo)
      const list = await call(sim, 'getMemberServerImageInstanceList', {
        memberServerImageName: 'twin-1'
      })
      expect(list.json.getMemberServerImageInstanceListResponse.totalRows).toBe(2)
    })
  })
})

describe('paging', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      maxPageSize: 2,
      // Seeded out of number order: lists come back sorted by number.
      images: ['900005', '900003', '900001', '900004', '900002'].map(no => ({
        kind: 'member' as const,
        no,
        name: `paged-${no}`,
        serverInstanceNo: '1001',
        status: 'CREAT'
      }))
    })
  })
  afterAll(() => sim.close())

  const memberPage = async (params: Record<string, string>) => {
    const reply = await call(sim, 'getMemberServerImageInstanceList', params)
    expect(reply.status).toBe(200)
    const body = reply.json.getMemberServerImageInstanceListResponse
    return {
      totalRows: body.totalRows,
      nos: body.memberServerImageInstanceList.map((i: Json) => i.memberServerImageInstanceNo)
    }
  }

  it('returns every row, sorted by number, when no paging is asked for', async () => {
    expect(await memberPage({})).toEqual({
      totalRows: 5,
      nos: ['900001', '900002', '900003', '900004', '900005']
    })
  })

  it('pages with pageNo/pageSize, counting all rows in totalRows', async () => {
    const pages = []
    for (const pageNo of ['1', '2', '3', '4'])
      pages.push(await memberPage({ pageNo, pageSize: '2' }))
    expect(pages).toEqual([
      { totalRows: 5, nos: ['900001', '900002'] },
      { totalRows: 5, nos: ['900003', '900004'] },
      { totalRows: 5, nos: ['900005'] },
      { totalRows: 5, nos: [] }
    ])
  })

  it('treats pageNo 0 as the first page, caps pageSize and defaults it to 1', async () => {
    expect(await memberPage({ pageNo: '0', pageSize: '2' })).toEqual(
      await memberPage({ pageNo: '1', pageSize: '2' })
    )
    expect((await memberPage({ pageNo: '1', pageSize: '1000' })).nos).toEqual(['900001', '900002'])
    expect(await memberPage({ pageNo: '2' })).toEqual({ totalRows: 5, nos: ['900002'] })
    expect(await memberPage({ pageSize: '1' })).toEqual({ totalRows: 5, nos: ['900001'] })
  })

  it('counts filtered rows in totalRows', async () => {
    expect(
      await memberPage({ memberServerImageName: 'paged-900004', pageNo: '1', pageSize: '2' })
    ).toEqual({
      totalRows: 1,
      nos: ['900004']
    })
  })

  it.each([
    ['pageSize', '0'],
    ['pageSize', 'ten'],
    ['pageNo', '-1']
  ])('refuses %s=%s', async (name, value) => {
    const reply = await call(sim, 'getMemberServerImageInstanceList', {
      pageNo: '1',
      pageSize: '2',
      [name]: value
    })
    expectServiceError(reply, RETURN_CODES.invalidParameter)
  })

  it('pages getServerImageList too', async () => {
    for (const name of ['kvm-page-1', 'kvm-page-2', 'kvm-page-3']) {
      sim.addImage({ kind: 'server', name, serverInstanceNo: '2001', status: 'CREAT' })
    }
    const reply = await call(sim, 'getServerImageList', { pageNo: '2', pageSize: '2' })
    const body = reply.json.getServerImageListResponse
    expect(body.totalRows).toBe(3)
    expect(body.serverImageList.map((i: Json) => i.serverImageName)).toEqual(['kvm-page-3'])
  })
})

describe('getServerInstanceList', () => {
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      maxPageSize: 2,
      servers: [
        ...demoFixture().servers,
        { serverInstanceNo: '5001', serverName: 'web-xen-1', regionCode: 'JPN' },
        { serverInstanceNo: '6001', serverName: 'gone-1', status: 'TERMT' }
      ]
    })
  })
  afterAll(() => sim.close())

  const servers = async (params: Record<string, string>) => {
    const reply = await call(sim, 'getServerInstanceList', params)
    expect(reply.status).toBe(200)
    return reply.json.getServerInstanceListResponse
  }
  const numbers = (body: Json) => body.serverInstanceList.map((s: Json) => s.serverInstanceNo)

  it('filters by exact serverName within the region', async () => {
    const body = await servers({ serverName: 'web-xen-1' })
    expect(body.totalRows).toBe(1)
    expect(body.serverInstanceList[0]).toMatchObject({
      serverInstanceNo: '1001',
      serverInstanceStatus: { code: 'RUN' },
      hypervisorType: { code: 'XEN' }
    })
    expect((await servers({ serverName: 'web' })).totalRows).toBe(0)
    expect(numbers(await servers({ serverName: 'web-xen-1', regionCode: 'JPN' }))).toEqual(['5001'])
  })

  it('filters by serverInstanceNoList.N and status, and lists terminated servers', async () => {
    const body = await servers({
      'serverInstanceNoList.1': '3001',
      'serverInstanceNoList.2': '2001'
    })
    expect(numbers(body)).toEqual(['2001', '3001'])
    const gone = await servers({ serverName: 'gone-1' })
    expect(gone.serverInstanceList[0].serverInstanceStatus.code).toBe('TERMT')
    expect(numbers(await servers({ serverInstanceStatusCode: 'NSTOP' }))).toEqual(['3001', '4001'])
  })

  it('pages, with totalRows counting every server of the region', async () => {
    const page2 = await servers({ pageNo: '2', pageSize: '2' })
    expect(page2.totalRows).toBe(5)
    expect(numbers(page2)).toEqual(['3001', '4001'])
    expect(numbers(await servers({}))).toEqual(['1001', '2001', '3001', '4001', '6001'])
  })

  it('refuses to image a terminated server', async () => {
    const reply = await createMember(sim, {
      serverInstanceNo: '6001',
      memberServerImageName: 'gone-img'
    })
    expectServiceError(reply, RETURN_CODES.serverState)
  })
})

describe('sharing', () => {
  const clock = fakeClock()
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      clock,
      createMs: 1000,
      knownLoginIds: ['a@example.com', 'b@example.com', 'c@example.com']
    })
  })
  afterAll(() => sim.close())

  const api = (action: string, params: Record<string, string>) =>
    call(sim, action, params, at(clock))
  const share = (no: string, ids: string[], action = 'addMemberServerImageSharingPermission') =>
    api(action, {
      memberServerImageInstanceNo: no,
      ...Object.fromEntries(ids.map((id, i) => [`targetLoginIdList.${i + 1}`, id]))
    })
  const sharedWith = (reply: Reply, action: string) =>
    first(reply, action, 'memberServerImageInstanceList').sharedLoginIdList

  it('refuses to share an image that is not CREAT yet, then shares it', async () => {
    const no = memberOf(
      await createMember(sim, { memberServerImageName: 'share-1' }, at(clock))
    ).memberServerImageInstanceNo
    const early = await share(no, ['a@example.com'])
    expectServiceError(early, RETURN_CODES.imageState)
    expect(early.json.responseError.returnMessage).toMatch(/INIT/)

    clock.advance(1000)
    const add = 'addMemberServerImageSharingPermission'
    expect(sharedWith(await share(no, ['a@example.com', 'b@example.com']), add)).toEqual([
      'a@example.com',
      'b@example.com'
    ])
    expect(sharedWith(await share(no, ['b@example.com', 'c@example.com']), add)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com'
    ])
    const remove = 'removeMemberServerImageSharingPermission'
    expect(sharedWith(await share(no, ['b@example.com', 'z@example.com'], remove), remove)).toEqual(
      ['a@example.com', 'c@example.com']
    )
    expect((await memberDetail(sim, no, at(clock))).sharedLoginIdList).toEqual([
      'a@example.com',
      'c@example.com'
    ])
    expect(sim.images().find(i => i.no === no)?.sharedLoginIdList).toEqual([
      'a@example.com',
      'c@example.com'
    ])
  })

  it('refuses unknown login IDs, a missing list and images of another kind', async () => {
    const image = sim.addImage({
      kind: 'member',
      name: 'share-2',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    const unknown = await share(image.no, ['a@example.com', 'nobody@example.com'])
    expectServiceError(unknown, RETURN_CODES.unknownLoginId)
    expect(unknown.json.responseError.returnMessage).toMatch(/nobody@example\.com/)
    expect(sim.images().find(i => i.no === image.no)?.sharedLoginIdList).toEqual([])
    expectServiceError(await share(image.no, []), RETURN_CODES.parameterRequired)

    const kvm = sim.addImage({
      kind: 'server',
      name: 'share-kvm',
      serverInstanceNo: '2001',
      status: 'CREAT'
    })
    expectServiceError(await share(kvm.no, ['a@example.com']), RETURN_CODES.imageNotFound)
  })

  it('refuses to share an image in a status it does not know', async () => {
    const image = sim.addImage({
      kind: 'member',
      name: 'share-3',
      serverInstanceNo: '1001',
      status: 'DELETING'
    })
    expectServiceError(await share(image.no, ['a@example.com']), RETURN_CODES.imageState)
  })

  it('shares KVM server images with addServerImageSharingPermission', async () => {
    const image = sim.addImage({
      kind: 'server',
      name: 'share-kvm-2',
      serverInstanceNo: '2001',
      status: 'CREAT'
    })
    const params = { serverImageNo: image.no, 'targetLoginIdList.1': 'a@example.com' }
    const added = await api('addServerImageSharingPermission', params)
    expect(
      first(added, 'addServerImageSharingPermission', 'serverImageList').sharedLoginIdList
    ).toEqual(['a@example.com'])
    const removed = await api('removeServerImageSharingPermission', params)
    expect(
      first(removed, 'removeServerImageSharingPermission', 'serverImageList').sharedLoginIdList
    ).toEqual([])
  })

  it('applies faults to sharing actions', async () => {
    const image = sim.addImage({
      kind: 'member',
      name: 'share-4',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    sim.addFault({
      action: 'addMemberServerImageSharingPermission',
      kind: 'endpoint-timeout',
      when: 'after'
    })
    expectGatewayError(await share(image.no, ['a@example.com']), 504, '510')
    expect(sim.images().find(i => i.no === image.no)?.sharedLoginIdList).toEqual(['a@example.com'])
  })
})

describe('deletion', () => {
  const clock = fakeClock()
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({ ...demoFixture(), clock, createMs: 1000 })
  })
  afterAll(() => sim.close())

  const api = (action: string, params: Record<string, string>) =>
    call(sim, action, params, at(clock))
  const seed = (name: string, kind: 'member' | 'server' = 'member') =>
    sim.addImage({
      kind,
      name,
      serverInstanceNo: kind === 'member' ? '1001' : '2001',
      status: 'CREAT'
    }).no

  it('deletes member images and answers them; the name is free again', async () => {
    const a = seed('delete-a')
    const b = seed('delete-b')
    const reply = await api('deleteMemberServerImageInstances', {
      'memberServerImageInstanceNoList.1': a,
      'memberServerImageInstanceNoList.2': b
    })
    expect(reply.status).toBe(200)
    const body = reply.json.deleteMemberServerImageInstancesResponse
    expect(body.totalRows).toBe(2)
    expect(
      body.memberServerImageInstanceList.map((i: Json) => i.memberServerImageInstanceNo)
    ).toEqual([a, b])
    expect(sim.images().map(i => i.no)).not.toContain(a)
    expectServiceError(
      await api('getMemberServerImageInstanceDetail', { memberServerImageInstanceNo: a }),
      RETURN_CODES.imageNotFound
    )
    expect((await createMember(sim, { memberServerImageName: 'delete-a' }, at(clock))).status).toBe(
      200
    )
  })

  it('refuses an INIT image or an unknown number, deleting nothing', async () => {
    const kept = seed('delete-kept')
    const creating = memberOf(
      await createMember(sim, { memberServerImageName: 'delete-init' }, at(clock))
    ).memberServerImageInstanceNo
    const busy = await api('deleteMemberServerImageInstances', {
      'memberServerImageInstanceNoList.1': kept,
      'memberServerImageInstanceNoList.2': creating
    })
    expectServiceError(busy, RETURN_CODES.imageState)
    const unknown = await api('deleteMemberServerImageInstances', {
      'memberServerImageInstanceNoList.1': kept,
      'memberServerImageInstanceNoList.2': '123'
    })
    expectServiceError(unknown, RETURN_CODES.imageNotFound)
    expect(sim.images().map(i => i.no)).toEqual(expect.arrayContaining([kept, creating]))
    expectServiceError(
      await api('deleteMemberServerImageInstances', {}),
      RETURN_CODES.parameterRequired
    )

    clock.advance(1000)
    const done = await api('deleteMemberServerImageInstances', {
      'memberServerImageInstanceNoList.1': creating
    })
    expect(done.status).toBe(200)
  })

  it('deletes KVM server images with deleteServerImage', async () => {
    const kvm = seed('delete-kvm', 'server')
    const member = seed('delete-member-2')
    expectServiceError(
      await api('deleteServerImage', { 'serverImageNoList.1': member }),
      RETURN_CODES.imageNotFound
    )
    const reply = await api('deleteServerImage', { 'serverImageNoList.1': kvm })
    expect(first(reply, 'deleteServerImage', 'serverImageList').serverImageNo).toBe(kvm)
    expect(sim.images().map(i => i.no)).not.toContain(kvm)
  })

  it('applies faults per action, so one delete can fail', async () => {
    const a = seed('delete-fault-a')
    const b = seed('delete-fault-b')
    sim.addFault({ action: 'deleteMemberServerImageInstances', kind: 'endpoint-error' })
    const del = (no: string) =>
      api('deleteMemberServerImageInstances', { 'memberServerImageInstanceNoList.1': no })
    expectGatewayError(await del(a), 503, '500')
    expect((await del(b)).status).toBe(200)
    expect(sim.images().map(i => i.no)).toContain(a)
    expect(sim.images().map(i => i.no)).not.toContain(b)
  })
})

describe('stopping and starting servers', () => {
  const stateOf = (sim: Simulator, no: string) => {
    const server = sim.servers().find(s => s.serverInstanceNo === no)!
    return [server.status, server.operation, server.statusName]
  }

  it('stops RUN → SHTDN → NSTOP and starts NSTOP → START → RUN in clock time', async () => {
    const clock = fakeClock()
    await withSimulator({ clock, stopMs: 30_000, startMs: 60_000 }, async sim => {
      const power = (action: string, no = '1001') =>
        call(sim, action, { 'serverInstanceNoList.1': no }, at(clock))
      const stop = await power('stopServerInstances')
      expect(first(stop, 'stopServerInstances', 'serverInstanceList')).toMatchObject({
        serverInstanceNo: '1001',
        serverInstanceStatus: { code: 'RUN' },
        serverInstanceOperation: { code: 'SHTDN' },
        serverInstanceStatusName: 'shutting down'
      })
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'SHTDN', 'shutting down'])
      expectServiceError(await power('stopServerInstances'), RETURN_CODES.serverState)
      expectServiceError(
        await createMember(sim, { memberServerImageName: 'mid-stop' }, at(clock)),
        RETURN_CODES.serverState
      )

      clock.advance(30_000)
      expect(stateOf(sim, '1001')).toEqual(['NSTOP', 'NULL', 'stopped'])
      const detail = first(
        await call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' }, at(clock)),
        'getServerInstanceDetail',
        'serverInstanceList'
      )
      expect(detail.serverInstanceStatus.code).toBe('NSTOP')
      expectServiceError(await power('stopServerInstances'), RETURN_CODES.serverState)

      const start = await power('startServerInstances')
      expect(first(start, 'startServerInstances', 'serverInstanceList')).toMatchObject({
        serverInstanceStatus: { code: 'NSTOP' },
        serverInstanceOperation: { code: 'START' },
        serverInstanceStatusName: 'booting'
      })
      clock.advance(59_999)
      expect(stateOf(sim, '1001')).toEqual(['NSTOP', 'START', 'booting'])
      clock.advance(1)
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'NULL', 'running'])
      expectServiceError(await power('startServerInstances'), RETURN_CODES.serverState)
      expectServiceError(await power('startServerInstances', '4001'), RETURN_CODES.serverState)
    })
  })

  it('changes several servers at once, or none if one is wrong', async () => {
    const clock = fakeClock()
    await withSimulator({ clock }, async sim => {
      const both = { 'serverInstanceNoList.1': '1001', 'serverInstanceNoList.2': '3001' }
      expectServiceError(
        await call(sim, 'stopServerInstances', both, at(clock)),
        RETURN_CODES.serverState
      )
      expect(stateOf(sim, '1001')[1]).toBe('NULL')
      const unknown = { 'serverInstanceNoList.1': '1001', 'serverInstanceNoList.2': '9999' }
      expectServiceError(
        await call(sim, 'stopServerInstances', unknown, at(clock)),
        RETURN_CODES.serverNotFound
      )
      expectServiceError(
        await call(sim, 'stopServerInstances', {}, at(clock)),
        RETURN_CODES.parameterRequired
      )
      const two = { 'serverInstanceNoList.1': '1001', 'serverInstanceNoList.2': '2001' }
      const reply = await call(sim, 'stopServerInstances', two, at(clock))
      expect(reply.json.stopServerInstancesResponse.totalRows).toBe(2)
      expect(stateOf(sim, '2001')[1]).toBe('SHTDN')
    })
  })

  it('lets an image finish while its server stops, and images a stopped server', async () => {
    const clock = fakeClock()
    await withSimulator({ clock, createMs: 5000, stopMs: 1000 }, async sim => {
      const no = memberOf(
        await createMember(sim, { memberServerImageName: 'while-stopping' }, at(clock))
      ).memberServerImageInstanceNo
      await call(sim, 'stopServerInstances', { 'serverInstanceNoList.1': '1001' }, at(clock))
      clock.advance(1000)
      const stopped = memberOf(
        await createMember(sim, { memberServerImageName: 'while-stopped' }, at(clock))
      ).memberServerImageInstanceNo
      clock.advance(5000)
      for (const image of [no, stopped]) {
        expect(
          (await memberDetail(sim, image, at(clock))).memberServerImageInstanceStatus.code
        ).toBe('CREAT')
      }
    })
  })

  it('refuses a start while imaging when asked to', async () => {
    const clock = fakeClock()
    await withSimulator({ clock, createMs: 5000, refuseStartWhileImaging: true }, async sim => {
      await createMember(
        sim,
        { serverInstanceNo: '3001', memberServerImageName: 'rhv-img' },
        at(clock)
      )
      const start = () =>
        call(sim, 'startServerInstances', { 'serverInstanceNoList.1': '3001' }, at(clock))
      const refused = await start()
      expectServiceError(refused, RETURN_CODES.startRefused)
      expect(refused.json.responseError.returnMessage).toMatch(
        /while an image of it is being created/
      )
      expect(stateOf(sim, '3001')).toEqual(['NSTOP', 'NULL', 'stopped'])
      clock.advance(5000)
      expect((await start()).status).toBe(200)
    })
  })

  it('refuses every start with failStart; server fixtures override the simulator', async () => {
    const clock = fakeClock()
    const servers = [
      { serverInstanceNo: '1', status: 'NSTOP' },
      { serverInstanceNo: '2', status: 'NSTOP', failStart: false, startMs: 10 },
      { serverInstanceNo: '3', status: 'NSTOP', refuseStartWhileImaging: true }
    ]
    await withSimulator({ clock, servers, failStart: true }, async sim => {
      const start = (no: string) =>
        call(sim, 'startServerInstances', { 'serverInstanceNoList.1': no }, at(clock))
      expectServiceError(await start('1'), RETURN_CODES.startRefused)
      expect((await start('2')).status).toBe(200)
      clock.advance(10)
      expect(stateOf(sim, '2')).toEqual(['RUN', 'NULL', 'running'])
    })
  })

  it('forgets a stop under way when setServer replaces the server', async () => {
    const clock = fakeClock()
    await withSimulator({ clock }, async sim => {
      await call(sim, 'stopServerInstances', { 'serverInstanceNoList.1': '1001' }, at(clock))
      sim.setServer({ serverInstanceNo: '1001', serverName: 'web-xen-1' })
      clock.advance(5000)
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'NULL', 'running'])
    })
  })
})

describe('KVM snapshots, launch configurations and servers made from images', () => {
  const clock = fakeClock()
  let sim: Simulator
  beforeAll(async () => {
    sim = await startSimulator({
      ...demoFixture(),
      clock,
      createMs: 1000,
      launchConfigurations: [
        { launchConfigurationNo: '123', launchConfigurationName: 'web-lc', serverImageNo: '900777' }
      ]
    })
  })
  afterAll(() => sim.close())

  const api = (action: string, params: Record<string, string>) =>
    call(sim, action, params, at(clock))
  const autoscaling = (action: string, params: Record<string, string> = {}) =>
    call(sim, action, params, { ...at(clock), api: 'vautoscaling' })

  it('a KVM image has its snapshots behind it, numbered as JSON numbers in the image record', async () => {
    const image = sim.addImage({
      kind: 'server',
      name: 'snap-a',
      serverInstanceNo: '2001',
      status: 'CREAT',
      snapshotCount: 2
    })
    expect(image.snapshotNos).toHaveLength(2)
    const record = first(
      await api('getServerImageDetail', { serverImageNo: image.no }),
      'getServerImageDetail',
      'serverImageList'
    )
    expect(
      record.blockStorageMappingList.map((m: Json) => m.blockStorageSnapshotInstanceNo)
    ).toEqual(image.snapshotNos.map(Number))
    expect(sim.snapshots().filter(s => s.imageNo === image.no)).toHaveLength(2)
  })

  it('a created KVM image gets one snapshot; a member image none', async () => {
    const reply = await api('createServerImage', {
      serverInstanceNo: '2001',
      serverImageName: 'snap-new'
    })
    const no = reply.json.createServerImageResponse.serverImageList[0].serverImageNo
    expect(sim.images().find(i => i.no === no)?.snapshotNos).toHaveLength(1)
    const member = sim.addImage({
      kind: 'member',
      name: 'no-snap',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    expect(member.snapshotNos).toEqual([])
  })

  it('deleteServerImage leaves the snapshots, billed, until deleteBlockStorageSnapshotInstances', async () => {
    const image = sim.addImage({
      kind: 'server',
      name: 'snap-b',
      serverInstanceNo: '2001',
      status: 'CREAT'
    })
    const [snapshot] = image.snapshotNos
    // Not while the image still exists.
    expectServiceError(
      await api('deleteBlockStorageSnapshotInstances', {
        'blockStorageSnapshotInstanceNoList.1': snapshot
      }),
      RETURN_CODES.snapshotInUse
    )
    const deleted = await api('deleteServerImage', { 'serverImageNoList.1': image.no })
    const answered = deleted.json.deleteServerImageResponse.serverImageList[0]
    expect(answered.blockStorageMappingList[0].blockStorageSnapshotInstanceNo).toBe(
      Number(snapshot)
    )
    expect(sim.snapshots().map(s => s.no)).toContain(snapshot)
    const reply = await api('deleteBlockStorageSnapshotInstances', {
      'blockStorageSnapshotInstanceNoList.1': snapshot
    })
    const list =
      reply.json.deleteBlockStorageSnapshotInstancesResponse.blockStorageSnapshotInstanceList
    // In the snapshot record the number is a string.
    expect(list.map((s: Json) => s.blockStorageSnapshotInstanceNo)).toEqual([snapshot])
    expect(sim.snapshots().map(s => s.no)).not.toContain(snapshot)
    expectServiceError(
      await api('deleteBlockStorageSnapshotInstances', {
        'blockStorageSnapshotInstanceNoList.1': snapshot
      }),
      RETURN_CODES.snapshotNotFound
    )
  })

  it('lists launch configurations on /vautoscaling/v2, paged, with the image each names', async () => {
    sim.addLaunchConfiguration({
      launchConfigurationName: 'xen-lc',
      memberServerImageInstanceNo: '900888'
    })
    const reply = await autoscaling('getLaunchConfigurationList', { pageNo: '1', pageSize: '1' })
    expect(reply.status).toBe(200)
    const body = reply.json.getLaunchConfigurationListResponse
    expect(body.totalRows).toBe(2)
    expect(body.launchConfigurationList).toEqual([
      expect.objectContaining({
        launchConfigurationNo: '123',
        launchConfigurationName: 'web-lc',
        serverImageNo: '900777'
      })
    ])
    const second = await autoscaling('getLaunchConfigurationList', { pageNo: '2', pageSize: '1' })
    expect(second.json.getLaunchConfigurationListResponse.launchConfigurationList[0]).toMatchObject(
      {
        launchConfigurationName: 'xen-lc',
        memberServerImageInstanceNo: '900888'
      }
    )
    expect(sim.requests.at(-1)).toMatchObject({
      api: 'vautoscaling',
      action: 'getLaunchConfigurationList'
    })
  })

  it('knows each action under its own API only', async () => {
    expectGatewayError(await autoscaling('getServerInstanceList'), 404, '300')
    expectGatewayError(await api('getLaunchConfigurationList', {}), 404, '300')
  })

  it('a server names the image it was created from', async () => {
    sim.setServer({
      serverInstanceNo: '5001',
      hypervisor: 'XEN',
      memberServerImageInstanceNo: '900888'
    })
    sim.setServer({ serverInstanceNo: '5002', hypervisor: 'KVM', serverImageNo: '900777' })
    const reply = await api('getServerInstanceList', {
      'serverInstanceNoList.1': '5001',
      'serverInstanceNoList.2': '5002'
    })
    const list = reply.json.getServerInstanceListResponse.serverInstanceList
    expect(list[0]).toMatchObject({
      serverInstanceNo: '5001',
      memberServerImageInstanceNo: '900888'
    })
    expect(list[1]).toMatchObject({ serverInstanceNo: '5002', serverImageNo: '900777' })
  })
})

describe('a sub account without Auto Scaling rights', () => {
  it('answers 401 / 210 Permission Denied for a denied action, and serves the rest', async () => {
    await withSimulator({ deniedActions: ['getLaunchConfigurationList'] }, async sim => {
      const denied = await call(sim, 'getLaunchConfigurationList', {}, { api: 'vautoscaling' })
      expectGatewayError(denied, 401, '210')
      expect(denied.json.error.message).toBe('Permission Denied')
      expect((await call(sim, 'getServerInstanceList')).status).toBe(200)
    })
  })
})

describe('lists whose pages do not add up', () => {
  const seeds = ['900001', '900002', '900003'].map(no => ({
    kind: 'member' as const,
    no,
    name: `quirk-${no}`,
    serverInstanceNo: '1001',
    status: 'CREAT'
  }))
  const page = async (sim: Simulator, pageNo: string) => {
    const reply = await call(sim, 'getMemberServerImageInstanceList', { pageNo, pageSize: '2' })
    const body = reply.json.getMemberServerImageInstanceListResponse
    return {
      totalRows: body.totalRows,
      nos: body.memberServerImageInstanceList.map((i: Json) => i.memberServerImageInstanceNo)
    }
  }

  it('zero-based: pageNo 1 is the second page, so the first rows never come', async () => {
    await withSimulator({ images: seeds, pagingQuirk: { kind: 'zero-based' } }, async sim => {
      expect(await page(sim, '1')).toEqual({ totalRows: 3, nos: ['900003'] })
      expect(await page(sim, '0')).toEqual({ totalRows: 3, nos: ['900001', '900002'] })
    })
  })

  it('repeat-first: every page is the first', async () => {
    await withSimulator({ images: seeds, pagingQuirk: { kind: 'repeat-first' } }, async sim => {
      expect(await page(sim, '2')).toEqual({ totalRows: 3, nos: ['900001', '900002'] })
    })
  })

  it('overcount: totalRows says one row more than there is, only for the actions named', async () => {
    await withSimulator(
      {
        images: seeds,
        pagingQuirk: { kind: 'overcount', actions: ['getMemberServerImageInstanceList'] }
      },
      async sim => {
        expect(await page(sim, '2')).toEqual({ totalRows: 4, nos: ['900003'] })
        const servers = await call(sim, 'getServerInstanceList', { pageNo: '1', pageSize: '10' })
        expect(servers.json.getServerInstanceListResponse.totalRows).toBe(4)
        expect(servers.json.getServerInstanceListResponse.serverInstanceList).toHaveLength(4)
      }
    )
  })

  it('refuses a quirk it does not know', async () => {
    await expect(
      startSimulator({ pagingQuirk: { kind: 'sideways' as 'overcount' } })
    ).rejects.toThrow('unknown paging quirk: sideways')
  })
})
