// The in-repo NCP simulator: creating, reading and listing images of both kinds, and their statuses.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  call,
  first,
  expectServiceError,
  waitForCompletion,
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

describe('member server images (XEN / RHV)', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({ ...demoFixture(), createMs: 100 })
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
      const strict = await startTestSim({ ...demoFixture(), kvmOnlyServerImages: true })
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
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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

    sim.clock.advance(sim.images().find(i => i.no === no)!.createdAt + 199 - sim.clock.now())
    expect((await memberList({ memberServerImageName: 'lagging' })).totalRows).toBe(0)
    sim.clock.advance(1)
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
    sim.clock.advance(199)
    expect(await list()).toEqual([])
    sim.clock.advance(1)
    expect((await list()).map((i: Json) => i.serverImageNo)).toEqual([no])
    const byName = await call(sim, 'getServerImageList', { serverImageName: 'kvm-listed' })
    expect(byName.json.getServerImageListResponse.totalRows).toBe(1)
  })
})

describe('image status the action does not know', () => {
  const clock = fakeClock()
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
