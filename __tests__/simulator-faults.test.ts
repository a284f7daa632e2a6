// The in-repo NCP simulator: injected faults: gateway and service errors, dropped, cut, stalled, trickled and odd replies.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  call,
  expectServiceError,
  expectGatewayError,
  createMember,
  rawRequest,
  parseRaw,
  rawCall,
  receivedAtLeast,
  startTestSim,
  type Reply,
  type TestSim,
  controlledWait,
  turns
} from './helpers/simulator-calls.js'

describe('faults', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({ ...demoFixture(), createMs: 50 })
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

describe('hostile faults', () => {
  let sim: TestSim
  const trickle = controlledWait(true)
  beforeAll(async () => {
    sim = await startTestSim({ ...demoFixture(), createMs: 50, wait: trickle.wait })
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

  it('no-rows: a success response with totalRows 0 and an empty list, and nothing done', async () => {
    const image = sim.addImage({
      kind: 'member',
      name: 'kept-by-no-rows',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    sim.addFault({ action: 'deleteMemberServerImageInstances', kind: 'no-rows' })
    const reply = await call(sim, 'deleteMemberServerImageInstances', {
      'memberServerImageInstanceNoList.1': image.no
    })
    expect(reply.status).toBe(200)
    expect(reply.json.deleteMemberServerImageInstancesResponse).toMatchObject({
      returnCode: '0',
      totalRows: 0,
      memberServerImageInstanceList: []
    })
    expect(sim.images().map(i => i.no)).toContain(image.no)
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
    expect(trickle.waits).toEqual(Array(reply.body.length).fill(1))
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
    const trickle = controlledWait()
    const sim = await startTestSim({ ...demoFixture(), wait: trickle.wait })
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

      await turns(20)
      expect(stalled.isClosed()).toBe(false)
      expect(parseRaw(stalled.received()).body.length).toBe(Math.floor(full / 2))
      expect(parseRaw(trickling.received()).body.length).toBe(0)
      expect(trickle.waits).toEqual([2000]) // default 2 s between bytes

      const started = Date.now()
      await sim.close()
      await Promise.all([stalled.closed, trickling.closed])
      expect(Date.now() - started).toBeLessThan(1000)
    } finally {
      await sim.close()
    }
  })
})
