import { describe, expect, it, jest } from '@jest/globals'
import { MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE } from '../src/image-name.js'
import type { ApiResult, NcloudClient, Params } from '../src/ncloud/client.js'
import {
  ImageApi,
  ImageNotFoundError,
  MEMBER_IMAGE,
  SERVER_IMAGE,
  selectImageKind,
  type ImageKind
} from '../src/ncloud/images.js'

describe('image kind descriptors', () => {
  it('describes the XEN/RHV member image API', () => {
    expect(MEMBER_IMAGE).toMatchObject({
      hypervisors: ['XEN', 'RHV'],
      nameRule: MEMBER_IMAGE_NAME_RULE,
      actions: {
        create: 'createMemberServerImageInstance',
        detail: 'getMemberServerImageInstanceDetail',
        list: 'getMemberServerImageInstanceList'
      },
      params: {
        name: 'memberServerImageName',
        description: 'memberServerImageDescription',
        number: 'memberServerImageInstanceNo'
      },
      listFilter: {},
      listKey: 'memberServerImageInstanceList',
      fields: {
        number: 'memberServerImageInstanceNo',
        name: 'memberServerImageName',
        status: 'memberServerImageInstanceStatus',
        statusName: 'memberServerImageInstanceStatusName',
        sourceServer: 'originalServerInstanceNo'
      }
    })
  })

  it('describes the KVM server image API', () => {
    expect(SERVER_IMAGE).toMatchObject({
      hypervisors: ['KVM'],
      nameRule: SERVER_IMAGE_NAME_RULE,
      actions: {
        create: 'createServerImage',
        detail: 'getServerImageDetail',
        list: 'getServerImageList'
      },
      params: {
        name: 'serverImageName',
        description: 'serverImageDescription',
        number: 'serverImageNo'
      },
      listFilter: { 'serverImageTypeCodeList.1': 'SELF' },
      listKey: 'serverImageList',
      fields: {
        number: 'serverImageNo',
        name: 'serverImageName',
        status: 'serverImageStatus',
        statusName: 'serverImageStatusName'
      }
    })
  })

  it('freezes both kinds', () => {
    expect(Object.isFrozen(MEMBER_IMAGE)).toBe(true)
    expect(Object.isFrozen(SERVER_IMAGE)).toBe(true)
  })
})

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

interface Sent {
  via: 'send' | 'call'
  action: string
  params: Params
}

/** A fake NcloudClient: records what is sent and answers from a function of the action. */
function fakeClient(answer: (action: string, params: Params) => ApiResult) {
  const sent: Sent[] = []
  const respond = (via: Sent['via']) =>
    jest.fn(async (action: string, params: Params = {}) => {
      sent.push({ via, action, params })
      return answer(action, params)
    })
  const client = { send: respond('send'), call: respond('call'), region: 'KR' }
  return { client: client as unknown as NcloudClient, sent }
}

describe('ImageApi.toRecord', () => {
  it('reads a member image record', () => {
    const raw = memberRaw('555', 'my-image')
    expect(new ImageApi(fakeClient(() => ({})).client, MEMBER_IMAGE).toRecord(raw)).toEqual({
      no: '555',
      name: 'my-image',
      status: 'INIT',
      statusName: 'creating',
      sourceServerNo: '1234567',
      raw
    })
  })

  it('reads a server image record', () => {
    const raw = serverRaw('777', 'my_image')
    expect(new ImageApi(fakeClient(() => ({})).client, SERVER_IMAGE).toRecord(raw)).toEqual({
      no: '777',
      name: 'my_image',
      status: 'CREAT',
      statusName: 'created',
      raw
    })
  })

  it('does not read one kind’s fields as the other’s', () => {
    const record = new ImageApi(fakeClient(() => ({})).client, SERVER_IMAGE).toRecord(
      memberRaw('555', 'x')
    )
    expect(record).toMatchObject({ no: '', name: '', status: 'UNKNOWN', statusName: undefined })
  })

  it('turns a numeric number into a string and a missing status into UNKNOWN', () => {
    const record = new ImageApi(fakeClient(() => ({})).client, MEMBER_IMAGE).toRecord({
      memberServerImageInstanceNo: 42,
      memberServerImageName: 'n',
      memberServerImageInstanceStatus: { code: 7 }
    })
    expect(record).toMatchObject({ no: '42', status: 'UNKNOWN', statusName: undefined })
  })
})

describe.each<
  [string, ImageKind, (no: string, name: string, status?: string) => Record<string, unknown>]
>([
  ['member image (XEN)', MEMBER_IMAGE, memberRaw],
  ['server image (KVM)', SERVER_IMAGE, serverRaw]
])('ImageApi for the %s', (_label, kind, raw) => {
  const request = { serverInstanceNo: '1234567', name: 'my-image', description: 'nightly & 테스트' }

  it('create sends the create action once (send, not call) with the kind’s parameter names', async () => {
    const { client, sent } = fakeClient(() => ({
      [kind.listKey]: [raw('900', 'my-image', 'INIT')]
    }))
    const image = await new ImageApi(client, kind).create(request)
    expect(sent).toEqual([
      {
        via: 'send',
        action: kind.actions.create,
        params: {
          serverInstanceNo: '1234567',
          [kind.params.name]: 'my-image',
          [kind.params.description]: 'nightly & 테스트'
        }
      }
    ])
    expect(image).toMatchObject({ no: '900', name: 'my-image', status: 'INIT' })
  })

  it('create leaves the description out when it is empty', async () => {
    const { client, sent } = fakeClient(() => ({
      [kind.listKey]: [raw('900', 'my-image', 'INIT')]
    }))
    await new ImageApi(client, kind).create({ ...request, description: '' })
    expect(sent[0].params).toEqual({ serverInstanceNo: '1234567', [kind.params.name]: 'my-image' })
    expect(Object.keys(sent[0].params)).not.toContain(kind.params.description)
  })

  it('create throws, naming the image, when the success answer holds no image', async () => {
    const { client } = fakeClient(() => ({ [kind.listKey]: [] }))
    await expect(new ImageApi(client, kind).create(request)).rejects.toThrow(
      /returned no image.*"my-image"/
    )
  })

  it('get calls the detail action with the number and returns that image', async () => {
    const { client, sent } = fakeClient(() => ({
      [kind.listKey]: [raw('901', 'my-image', 'CREAT')]
    }))
    const image = await new ImageApi(client, kind).get('901')
    expect(sent).toEqual([
      { via: 'call', action: kind.actions.detail, params: { [kind.params.number]: '901' } }
    ])
    expect(image).toMatchObject({ no: '901', status: 'CREAT' })
  })

  it('get throws ImageNotFoundError when the answer has no image of that number', async () => {
    const { client } = fakeClient(() => ({ [kind.listKey]: [raw('902', 'other')] }))
    const error = await new ImageApi(client, kind).get('901').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ImageNotFoundError)
    expect((error as Error).message).toContain('901')
    expect((error as Error).message).toContain(kind.actions.detail)
  })

  it('findByName lists by name and returns only the exact match', async () => {
    const { client, sent } = fakeClient(() => ({
      [kind.listKey]: [
        raw('1', 'my-image-2'),
        raw('2', 'xmy-image'),
        raw('3', 'my-image'),
        raw('4', 'my-image')
      ]
    }))
    const image = await new ImageApi(client, kind).findByName('my-image')
    expect(sent).toEqual([
      {
        via: 'call',
        action: kind.actions.list,
        params: { ...kind.listFilter, [kind.params.name]: 'my-image' }
      }
    ])
    expect(image?.no).toBe('3')
  })

  it('findByName returns undefined when only similar names come back, or no list at all', async () => {
    const similar = fakeClient(() => ({
      [kind.listKey]: [raw('1', 'my-image-2'), raw('2', 'MY-IMAGE')]
    }))
    await expect(new ImageApi(similar.client, kind).findByName('my-image')).resolves.toBeUndefined()
    const empty = fakeClient(() => ({ totalRows: 0 }))
    await expect(new ImageApi(empty.client, kind).findByName('my-image')).resolves.toBeUndefined()
  })
})

describe('selectImageKind', () => {
  it('auto picks the server image API for KVM, in any case', () => {
    expect(selectImageKind('auto', 'KVM')).toEqual({ kind: SERVER_IMAGE })
    expect(selectImageKind('auto', 'kvm')).toEqual({ kind: SERVER_IMAGE })
  })

  it.each(['XEN', 'RHV', undefined])('auto picks the member image API for %s', hypervisor => {
    expect(selectImageKind('auto', hypervisor)).toEqual({ kind: MEMBER_IMAGE })
  })

  it('an explicit choice that matches the server is taken', () => {
    expect(selectImageKind('kvm', 'KVM')).toEqual({ kind: SERVER_IMAGE })
    expect(selectImageKind('xen', 'XEN')).toEqual({ kind: MEMBER_IMAGE })
    expect(selectImageKind('xen', 'RHV')).toEqual({ kind: MEMBER_IMAGE })
  })

  it('an explicit choice is taken when the server does not say its hypervisor', () => {
    expect(selectImageKind('kvm', undefined)).toEqual({ kind: SERVER_IMAGE })
    expect(selectImageKind('xen', undefined)).toEqual({ kind: MEMBER_IMAGE })
  })

  it('kvm on a XEN server is a problem that names xen', () => {
    const selected = selectImageKind('kvm', 'XEN')
    expect(selected).toHaveProperty('problem')
    const { problem } = selected as { problem: string }
    expect(problem).toContain('"kvm"')
    expect(problem).toContain('XEN')
    expect(problem).toContain('createServerImage')
    expect(problem).toContain('Use hypervisor: xen')
  })

  it('xen on a KVM server is a problem that names kvm', () => {
    const { problem } = selectImageKind('xen', 'KVM') as { problem: string }
    expect(problem).toContain('createMemberServerImageInstance')
    expect(problem).toContain('Use hypervisor: kvm')
  })
})
