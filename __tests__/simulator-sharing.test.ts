// The in-repo NCP simulator: sharing and deleting images.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  call,
  first,
  expectServiceError,
  expectGatewayError,
  createMember,
  memberOf,
  memberDetail,
  fakeClock,
  at,
  startTestSim,
  type Json,
  type Reply,
  type TestSim
} from './helpers/simulator-calls.js'

describe('sharing', () => {
  const clock = fakeClock()
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({ ...demoFixture(), clock, createMs: 1000 })
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
