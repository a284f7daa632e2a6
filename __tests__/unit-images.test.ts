import { describe, expect, it, jest } from '@jest/globals'
import { NcloudClient, type ApiResult, type Params } from '../src/ncloud/client.js'
import { NcloudError } from '../src/ncloud/errors.js'
import {
  IMAGE_KINDS,
  ImageApi,
  ImageNotFoundError,
  MEMBER_IMAGE,
  SERVER_IMAGE,
  imageState,
  type ImageKind
} from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import { UnconfirmedDeleteError } from '../src/ncloud/unconfirmed-delete.js'
import { sourceServerOf } from '../src/model/source-server.js'
import { provenanceDescription } from '../src/model/provenance.js'

describe('image kinds', () => {
  it('has one kind for each hypervisor', () => {
    const hypervisors = IMAGE_KINDS.flatMap(kind => kind.hypervisors)
    expect(new Set(hypervisors).size).toBe(hypervisors.length)
    expect([...hypervisors].sort()).toEqual(['KVM', 'RHV', 'XEN'])
  })
})

describe.each(IMAGE_KINDS.map(kind => [kind.label, kind] as const))(
  'imageState for the %s',
  (_label, kind) => {
    it('maps CREAT to created, CREFL to failed and INIT to pending', () => {
      expect(imageState(kind, 'CREAT')).toBe('created')
      expect(imageState(kind, 'CREFL')).toBe('failed')
      expect(imageState(kind, 'INIT')).toBe('pending')
    })

    it.each([
      ['', undefined],
      ['UNKNOWN', undefined],
      ['creat', undefined],
      [' CREAT', undefined],
      ['REPAIR', 'repairing'],
      ['COPY', 'copying'],
      ['BUSY', 'undeleted']
    ])('calls %j (status name %j) a status it does not know', (status, statusName) => {
      expect(imageState(kind, status, statusName)).toBe('unknown')
    })

    it.each([
      ['DELETING', undefined],
      ['deleted', undefined],
      ['TERMT', undefined],
      ['termt', 'x'],
      ['TERMINATING', undefined],
      ['INIT', 'terminating'],
      ['INIT', 'Terminated'],
      ['CREAT', 'terminated'],
      ['CREFL', 'being deleted'],
      ['', 'removed'],
      ['NSI DELETE state', undefined]
    ])('calls %j (status name %j) going away: being deleted or gone', (status, statusName) => {
      expect(imageState(kind, status, statusName)).toBe('going-away')
    })

    it('keeps what says "going away" as data, beside the documented codes', () => {
      expect(kind.statuses.goingAway.codes).toContain('TERMT')
      expect(kind.statuses.goingAway.words).toEqual(expect.arrayContaining(['delet', 'terminat']))
    })
  }
)

/** Raw NCP records as the two APIs return them. */
function memberRaw(
  no: string,
  name: string,
  status = 'INIT',
  statusName = 'creating'
): Record<string, unknown> {
  return {
    memberServerImageInstanceNo: no,
    memberServerImageName: name,
    memberServerImageDescription: 'd',
    originalServerInstanceNo: '1234567',
    memberServerImageInstanceStatus: { code: status, codeName: `NSI ${status} state` },
    memberServerImageInstanceOperation: { code: 'CREAT', codeName: 'NSI CREAT OP' },
    memberServerImageInstanceStatusName: statusName
  }
}

function serverRaw(no: string, name: string, status = 'CREAT'): Record<string, unknown> {
  return {
    serverImageNo: no,
    serverImageName: name,
    serverImageType: { code: 'SELF', codeName: 'Self' },
    hypervisorType: { code: 'KVM', codeName: 'KVM' },
    serverImageStatus: { code: status, codeName: 'created' },
    serverImageOperation: { code: 'NULL', codeName: 'NULL' },
    serverImageStatusName: 'created'
  }
}

/** The parameters of a list read, without the paging the client adds. */
function withoutPaging(params: Params): Params {
  return Object.fromEntries(
    Object.entries(params).filter(([key]) => key !== 'pageNo' && key !== 'pageSize')
  )
}

interface Sent {
  via: 'sendOnce' | 'sendUnlessReached' | 'read'
  action: string
  params: Params
  deadline?: number
  endBy?: number
}

/** A fake NcloudClient: records what is sent and answers from a function of the action. */
function fakeClient(answer: (action: string, params: Params) => ApiResult) {
  const sent: Sent[] = []
  const client = {
    sendOnce: jest.fn(async (action: string, params: Params = {}) => {
      sent.push({ via: 'sendOnce', action, params })
      return answer(action, params)
    }),
    sendUnlessReached: jest.fn(async (action: string, params: Params = {}) => {
      sent.push({ via: 'sendUnlessReached', action, params })
      return answer(action, params)
    }),
    read: jest.fn(
      async (action: string, params: Params = {}, deadline?: number, endBy?: number) => {
        sent.push({
          via: 'read',
          action,
          params,
          ...(deadline === undefined ? {} : { deadline }),
          ...(endBy === undefined ? {} : { endBy })
        })
        return answer(action, params)
      }
    ),
    region: 'KR',
    gatewaySetting: 'api-url',
    // The client's own paging, over the fake read.
    readAllPages: NcloudClient.prototype.readAllPages
  }
  return { client: client as unknown as NcloudClient, sent }
}

describe('toImageRecord', () => {
  it('reads a member image record', () => {
    const raw = memberRaw('555', 'my-image')
    expect(toImageRecord(MEMBER_IMAGE, raw)).toMatchObject({
      no: '555',
      name: 'my-image',
      status: 'INIT',
      statusName: 'creating',
      sourceServerNo: '1234567',
      description: 'd',
      raw
    })
  })

  it('reads a server image record', () => {
    const raw = serverRaw('777', 'my_image')
    const record = toImageRecord(SERVER_IMAGE, raw)
    expect(record).toMatchObject({
      no: '777',
      name: 'my_image',
      status: 'CREAT',
      statusName: 'created',
      raw
    })
    // A KVM record does not name the server it was made from.
    expect(record.sourceServerNo).toBeUndefined()
    expect(record.description).toBeUndefined()
  })

  it.each(IMAGE_KINDS.map(kind => [kind.label, kind] as const))(
    'reads the description of a %s as NCP holds it',
    (_label, kind) => {
      const description = '  nightly & 테스트\nsecond line '
      const raw = kind === MEMBER_IMAGE ? memberRaw('1', 'n') : serverRaw('1', 'n')
      const key = kind === MEMBER_IMAGE ? 'memberServerImageDescription' : 'serverImageDescription'
      expect(toImageRecord(kind, { ...raw, [key]: description }).description).toBe(description)
    }
  )

  it('has no description when NCP’s is missing or not text', () => {
    expect(
      toImageRecord(MEMBER_IMAGE, { ...memberRaw('1', 'n'), memberServerImageDescription: 42 })
        .description
    ).toBeUndefined()
    const bare = memberRaw('1', 'n')
    delete bare.memberServerImageDescription
    expect(toImageRecord(MEMBER_IMAGE, bare).description).toBeUndefined()
  })

  it('clips a description far over NCP’s limit', () => {
    const record = toImageRecord(SERVER_IMAGE, {
      ...serverRaw('1', 'n'),
      serverImageDescription: 'x'.repeat(50_000)
    })
    expect(record.description?.length).toBeLessThanOrEqual(1000)
  })

  it('does not read one kind’s fields as the other’s', () => {
    const record = toImageRecord(SERVER_IMAGE, memberRaw('555', 'x'))
    expect(record).toMatchObject({ no: '', name: '', status: '', statusName: undefined })
  })

  it('turns a numeric number into a string and a missing or non-text status into ""', () => {
    const record = toImageRecord(MEMBER_IMAGE, {
      memberServerImageInstanceNo: 42,
      memberServerImageName: 'n',
      memberServerImageInstanceStatus: { code: 7 }
    })
    expect(record).toMatchObject({ no: '42', status: '', statusName: undefined })
    expect(toImageRecord(MEMBER_IMAGE, {}).status).toBe('')
  })

  it('clips what a hostile answer makes too long, and keeps the raw record whole', () => {
    const raw = {
      ...memberRaw('555', 'n'.repeat(5_000), 'S'.repeat(5_000), 'c'.repeat(5_000))
    }
    const record = toImageRecord(MEMBER_IMAGE, raw)
    expect(record.name).toHaveLength(300)
    expect(record.status).toHaveLength(300)
    expect(record.statusName).toHaveLength(300)
    expect(record.raw).toBe(raw)
  })
})

/** NCP's names for each image API, written out: the wire is checked against NCP, not the descriptor. */
interface Wire {
  create: string
  detail: string
  list: string
  listKey: string
  name: string
  description: string
  number: string
}
const MEMBER_WIRE: Wire = {
  create: 'createMemberServerImageInstance',
  detail: 'getMemberServerImageInstanceDetail',
  list: 'getMemberServerImageInstanceList',
  listKey: 'memberServerImageInstanceList',
  name: 'memberServerImageName',
  description: 'memberServerImageDescription',
  number: 'memberServerImageInstanceNo'
}
const SERVER_WIRE: Wire = {
  create: 'createServerImage',
  detail: 'getServerImageDetail',
  list: 'getServerImageList',
  listKey: 'serverImageList',
  name: 'serverImageName',
  description: 'serverImageDescription',
  number: 'serverImageNo'
}

describe.each<
  [string, ImageKind, Wire, (no: string, name: string, status?: string) => Record<string, unknown>]
>([
  ['member image (XEN)', MEMBER_IMAGE, MEMBER_WIRE, memberRaw],
  ['server image (KVM)', SERVER_IMAGE, SERVER_WIRE, serverRaw]
])('ImageApi for the %s', (_label, kind, wire, raw) => {
  const request = { serverInstanceNo: '1234567', name: 'my-image', description: 'nightly & 테스트' }

  it('create sends the create action once (sendOnce, not read) with NCP’s parameter names', async () => {
    const { client, sent } = fakeClient(() => ({
      [wire.listKey]: [raw('900', 'my-image', 'INIT')]
    }))
    const image = await new ImageApi(client, kind).create(request)
    expect(sent).toEqual([
      {
        via: 'sendOnce',
        action: wire.create,
        params: {
          serverInstanceNo: '1234567',
          [wire.name]: 'my-image',
          [wire.description]: 'nightly & 테스트'
        }
      }
    ])
    expect(image).toMatchObject({ no: '900', name: 'my-image', status: 'INIT' })
  })

  it('create leaves the description out when it is empty', async () => {
    const { client, sent } = fakeClient(() => ({
      [wire.listKey]: [raw('900', 'my-image', 'INIT')]
    }))
    await new ImageApi(client, kind).create({ ...request, description: '' })
    expect(sent[0].params).toEqual({ serverInstanceNo: '1234567', [wire.name]: 'my-image' })
    expect(Object.keys(sent[0].params)).not.toContain(wire.description)
  })

  it('create throws a response error, naming the action, when the success answer holds no image', async () => {
    const { client } = fakeClient(() => ({ [wire.listKey]: [] }))
    const error = await new ImageApi(client, kind).create(request).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields).toMatchObject({
      action: wire.create,
      source: 'response',
      transient: false,
      reached: 'maybe'
    })
    expect((error as NcloudError).message).toContain('holds no image')
  })

  it('create throws a response error when the success answer has no list at all', async () => {
    const { client } = fakeClient(() => ({ totalRows: 0 }))
    const error = await new ImageApi(client, kind).create(request).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields.source).toBe('response')
    expect((error as NcloudError).message).toContain(wire.listKey)
  })

  it('delete throws UnconfirmedDeleteError when NCP answers with no image (totalRows 0)', async () => {
    const { client } = fakeClient(() => ({ totalRows: 0, [wire.listKey]: [] }))
    const error = await new ImageApi(client, kind).delete('901').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UnconfirmedDeleteError)
    expect(error).toMatchObject({ imageNo: '901', action: kind.actions.delete })
  })

  it('delete returns the images NCP answers with', async () => {
    const { client, sent } = fakeClient(() => ({
      totalRows: 1,
      [wire.listKey]: [raw('901', 'old')]
    }))
    const answered = await new ImageApi(client, kind).delete('901')
    expect(answered.map(one => one.no)).toEqual(['901'])
    // Resent only when it never reached NCP: never a plain retry.
    expect(sent.map(one => one.via)).toEqual(['sendUnlessReached'])
  })

  it('get reads the detail action with the number and returns that image', async () => {
    const { client, sent } = fakeClient(() => ({
      [wire.listKey]: [raw('901', 'my-image', 'CREAT')]
    }))
    const image = await new ImageApi(client, kind).get('901')
    expect(sent).toEqual([{ via: 'read', action: wire.detail, params: { [wire.number]: '901' } }])
    expect(image).toMatchObject({ no: '901', status: 'CREAT' })
  })

  it('get passes the deadline on to the read, so its retries end with the wait', async () => {
    const { client, sent } = fakeClient(() => ({
      [wire.listKey]: [raw('901', 'my-image', 'CREAT')]
    }))
    await new ImageApi(client, kind).get('901', 1_234_567)
    expect(sent[0].deadline).toBe(1_234_567)
  })

  it('get throws a response error when the success answer has no list at all', async () => {
    const { client } = fakeClient(() => ({ totalRows: 0 }))
    const error = await new ImageApi(client, kind).get('901').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields).toMatchObject({
      action: wire.detail,
      source: 'response'
    })
  })

  it('get throws ImageNotFoundError when the answer has no image of that number', async () => {
    const { client } = fakeClient(() => ({ [wire.listKey]: [raw('902', 'other')] }))
    const error = await new ImageApi(client, kind).get('901').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageNotFoundError)
    expect((error as Error).message).toContain('901')
    expect((error as Error).message).toContain(wire.detail)
  })

  it('findAllByName lists by name and returns every exact match, in NCP’s order', async () => {
    const { client, sent } = fakeClient(() => ({
      totalRows: 4,
      [wire.listKey]: [
        raw('1', 'my-image-2'),
        raw('2', 'xmy-image'),
        raw('3', 'my-image'),
        raw('4', 'my-image')
      ]
    }))
    const images = await new ImageApi(client, kind).findAllByName('my-image')
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ via: 'read', action: wire.list })
    expect(sent[0].params[wire.name]).toBe('my-image')
    expect(images.map(image => image.no)).toEqual(['3', '4'])
  })

  it('findAllByName holds every page it reads to endBy, when given one', async () => {
    const { client, sent } = fakeClient((_action, params) => ({
      totalRows: 101,
      [wire.listKey]:
        params.pageNo === '1'
          ? Array.from({ length: 100 }, (_, i) => raw(String(i + 1), 'other'))
          : [raw('101', 'my-image')]
    }))
    const images = await new ImageApi(client, kind).findAllByName('my-image', 1_234_567)
    expect(images.map(image => image.no)).toEqual(['101'])
    expect(sent.map(request => [request.params.pageNo, request.endBy])).toEqual([
      ['1', 1_234_567],
      ['2', 1_234_567]
    ])
    expect(sent.every(request => request.deadline === undefined)).toBe(true)
  })

  it('findAllByName returns none when only similar names come back', async () => {
    const similar = fakeClient(() => ({
      totalRows: 2,
      [wire.listKey]: [raw('1', 'my-image-2'), raw('2', 'MY-IMAGE')]
    }))
    await expect(new ImageApi(similar.client, kind).findAllByName('my-image')).resolves.toEqual([])
  })

  it('findAllByName throws a response error when the success answer has no list at all', async () => {
    const empty = fakeClient(() => ({ totalRows: 0 }))
    const error = await new ImageApi(empty.client, kind)
      .findAllByName('my-image')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).fields).toMatchObject({
      action: wire.list,
      source: 'response',
      transient: false
    })
  })

  it('findAllByName skips list entries that are not records', async () => {
    const { client } = fakeClient(() => ({
      totalRows: 4,
      [wire.listKey]: [null, 'my-image', 7, raw('5', 'my-image')]
    }))
    const images = await new ImageApi(client, kind).findAllByName('my-image')
    expect(images.map(image => image.no)).toEqual(['5'])
  })
})

describe('name lookups ask only for the account’s own images', () => {
  it('the KVM list filter keeps NCP’s public images out', async () => {
    const { client, sent } = fakeClient(() => ({ totalRows: 0, serverImageList: [] }))
    await new ImageApi(client, SERVER_IMAGE).findAllByName('my-image')
    expect(withoutPaging(sent[0].params)).toEqual({
      'serverImageTypeCodeList.1': 'SELF',
      serverImageName: 'my-image'
    })
  })

  it('the member image list holds only member images, so it sends no type filter', async () => {
    const { client, sent } = fakeClient(() => ({ totalRows: 0, memberServerImageInstanceList: [] }))
    await new ImageApi(client, MEMBER_IMAGE).findAllByName('my-image')
    expect(withoutPaging(sent[0].params)).toEqual({ memberServerImageName: 'my-image' })
  })
})

describe('sourceServerOf', () => {
  const kvm = (description?: unknown) =>
    toImageRecord(SERVER_IMAGE, {
      ...serverRaw('777', 'img'),
      ...(description === undefined ? {} : { serverImageDescription: description })
    })

  it('is the server NCP’s record names', () => {
    expect(sourceServerOf(toImageRecord(MEMBER_IMAGE, memberRaw('555', 'img')))).toBe('1234567')
  })

  it('is the server the action’s description names when NCP’s record names none', () => {
    const description = provenanceDescription({ no: '7654321', name: 'web-1' }, {})
    expect(sourceServerOf(kvm(description))).toBe('7654321')
  })

  it('prefers NCP’s record to the description', () => {
    const description = provenanceDescription({ no: '7654321', name: 'web-1' }, {})
    const record = toImageRecord(MEMBER_IMAGE, {
      ...memberRaw('555', 'img'),
      memberServerImageDescription: description
    })
    expect(sourceServerOf(record)).toBe('1234567')
  })

  it.each([
    ['no description', undefined],
    ['a user’s description', 'nightly build'],
    ['a user’s description that mentions a server', 'from server 7654321']
  ])('is unknown with %s', (_label, description) => {
    expect(sourceServerOf(kvm(description))).toBeUndefined()
  })
})
