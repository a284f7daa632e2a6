// The in-repo NCP simulator: stopping and starting servers; KVM snapshots, launch configurations and the Auto Scaling API.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  call,
  first,
  expectServiceError,
  expectGatewayError,
  withSimulator,
  createMember,
  memberOf,
  memberDetail,
  fakeClock,
  at,
  startTestSim,
  type Json,
  type TestSim
} from './helpers/simulator-calls.js'

describe('stopping and starting servers', () => {
  const stateOf = (sim: TestSim, no: string) => {
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

  it('with stopLagMs, answers a stop at once and carries it out only later (RUN, then SHTDN, then NSTOP)', async () => {
    const clock = fakeClock()
    await withSimulator({ clock, stopMs: 10_000, stopLagMs: 20_000 }, async sim => {
      const stop = await call(
        sim,
        'stopServerInstances',
        { 'serverInstanceNoList.1': '1001' },
        at(clock)
      )
      expect(first(stop, 'stopServerInstances', 'serverInstanceList')).toMatchObject({
        serverInstanceStatus: { code: 'RUN' },
        serverInstanceOperation: { code: 'NULL' }
      })
      clock.advance(19_999)
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'NULL', 'running'])
      clock.advance(1)
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'SHTDN', 'shutting down'])
      clock.advance(10_000)
      expect(stateOf(sim, '1001')).toEqual(['NSTOP', 'NULL', 'stopped'])
    })
  })

  it('with stopLagMs: Infinity for one server, never carries its stop out', async () => {
    const clock = fakeClock()
    const servers = [{ serverInstanceNo: '1001', stopLagMs: Infinity }]
    await withSimulator({ clock, servers }, async sim => {
      await call(sim, 'stopServerInstances', { 'serverInstanceNoList.1': '1001' }, at(clock))
      clock.advance(3_600_000)
      expect(stateOf(sim, '1001')).toEqual(['RUN', 'NULL', 'running'])
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
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
