// The in-repo NCP simulator: paging of the list actions, the server list, and lists whose pages do not add up.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals'
import { RETURN_CODES, demoFixture } from '../simulator/ncp-simulator.mjs'
import {
  call,
  expectServiceError,
  withSimulator,
  createMember,
  startTestSim,
  type Json,
  type TestSim
} from './helpers/simulator-calls.js'

describe('paging', () => {
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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
  let sim: TestSim
  beforeAll(async () => {
    sim = await startTestSim({
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

describe('lists whose pages do not add up', () => {
  const seeds = ['900001', '900002', '900003'].map(no => ({
    kind: 'member' as const,
    no,
    name: `quirk-${no}`,
    serverInstanceNo: '1001',
    status: 'CREAT'
  }))
  const page = async (sim: TestSim, pageNo: string) => {
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
      startTestSim({ pagingQuirk: { kind: 'sideways' as 'overcount' } })
    ).rejects.toThrow('unknown paging quirk: sideways')
  })
})
