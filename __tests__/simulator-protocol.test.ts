// The in-repo NCP simulator: the envelope of every answer, parameters, fixtures and seeds, latency, the CLI, and the shared clock.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  ACCESS_KEY,
  SECRET_KEY,
  MINUTE,
  call,
  first,
  expectServiceError,
  expectGatewayError,
  waitForCompletion,
  withSimulator,
  createMember,
  memberOf,
  memberDetail,
  fakeClock,
  at,
  startTestSim,
  turns,
  controlledWait,
  type Json,
  type TestSim
} from './helpers/simulator-calls.js'

describe('protocol', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
    expect(recorded.at).toBe(sim.clock.now())
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
    const latency = controlledWait()
    await withSimulator({ latencyMs: 150, wait: latency.wait }, async sim => {
      let answered = false
      const replied = call(sim, 'getServerInstanceDetail', { serverInstanceNo: '1001' }).then(
        reply => ((answered = true), reply)
      )
      for (let i = 0; i < 2000 && latency.waits.length === 0; i++) await turns()
      expect(latency.waits).toEqual([150])
      await turns(20)
      expect(answered).toBe(false)
      latency.release()
      expect((await replied).status).toBe(200)
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
      const realTime = await call(
        sim,
        'getServerInstanceDetail',
        { serverInstanceNo: '1001' },
        { timestamp: String(Date.now()) }
      )
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
