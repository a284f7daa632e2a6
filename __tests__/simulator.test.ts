// Tests of the in-repo NCP simulator itself. The signer below is written here on purpose: the
// simulator must agree with the reference test vectors, not with the action's own signer.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import {
  RETURN_CODES,
  demoFixture,
  startSimulator,
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
  const path = `/vserver/v2/${action}`
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

const createMember = (sim: Pick<Simulator, 'url'>, params: Record<string, string | undefined>) =>
  call(sim, 'createMemberServerImageInstance', { serverInstanceNo: '1001', ...params })
const memberOf = (reply: Reply) =>
  first(reply, 'createMemberServerImageInstance', 'memberServerImageInstanceList')
const memberDetail = async (sim: Pick<Simulator, 'url'>, no: string) =>
  first(
    await call(sim, 'getMemberServerImageInstanceDetail', { memberServerImageInstanceNo: no }),
    'getMemberServerImageInstanceDetail',
    'memberServerImageInstanceList'
  )

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

  it.each(['1001', '3001'])('refuses createServerImage on the non-KVM server %s', async no => {
    const reply = await createKvm({ serverInstanceNo: no, serverImageName: 'not-kvm-1' })
    expectServiceError(reply, RETURN_CODES.kvmOnly)
    expect(reply.json.responseError.returnMessage).toMatch(/createMemberServerImageInstance/)
  })

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
      blockStorageMappingList: []
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
