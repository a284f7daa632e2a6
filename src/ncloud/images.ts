import { MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE, type NameRule } from '../image-name.js'
import type { ApiResult, NcloudClient, Params } from './client.js'

/** One NCP image API, described as data so that one code path serves both. */
export interface ImageKind {
  /** How the kind is named in messages. */
  label: string
  hypervisors: readonly string[]
  nameRule: NameRule
  actions: { create: string; detail: string; list: string }
  params: { name: string; description: string; number: string }
  /** Sent with every list call: keeps NCP's public images out of a name lookup. */
  listFilter: Params
  listKey: string
  /** `sourceServer`: the field naming the server an image was made from, where NCP returns one. */
  fields: {
    number: string
    name: string
    status: string
    statusName: string
    sourceServer?: string
  }
}

export const MEMBER_IMAGE: ImageKind = Object.freeze({
  label: 'member server image (XEN/RHV)',
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

export const SERVER_IMAGE: ImageKind = Object.freeze({
  label: 'server image (KVM)',
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

/** An image as the action sees it, with NCP's record kept whole for the `image` output. */
export interface ImageRecord {
  no: string
  name: string
  /** NCP's status code: INIT, CREAT, CREFL (or a code this action does not know). */
  status: string
  statusName?: string
  /** The server it was made from, when NCP says. */
  sourceServerNo?: string
  raw: Record<string, unknown>
}

export interface CreateRequest {
  serverInstanceNo: string
  name: string
  description: string
}

export class ImageNotFoundError extends Error {
  constructor(
    readonly kind: ImageKind,
    readonly imageNo: string
  ) {
    super(
      `NCP returned no ${kind.label} with number ${imageNo} (${kind.actions.detail}); it may have been deleted.`
    )
    this.name = 'ImageNotFoundError'
  }
}

/** create / get / find over one image kind. */
export class ImageApi {
  constructor(
    private readonly client: NcloudClient,
    readonly kind: ImageKind
  ) {}

  /** Sends the create request once. The caller decides whether another try is safe. */
  async create(request: CreateRequest): Promise<ImageRecord> {
    const { params, actions } = this.kind
    const body: Params = { serverInstanceNo: request.serverInstanceNo, [params.name]: request.name }
    if (request.description) body[params.description] = request.description
    const images = this.records(await this.client.send(actions.create, body))
    if (images.length === 0) {
      throw new Error(
        `${actions.create} answered success but returned no image; look for an image named "${request.name}".`
      )
    }
    return images[0]
  }

  async get(imageNo: string): Promise<ImageRecord> {
    const result = await this.client.call(this.kind.actions.detail, {
      [this.kind.params.number]: imageNo
    })
    const image = this.records(result).find(record => record.no === imageNo)
    if (!image) throw new ImageNotFoundError(this.kind, imageNo)
    return image
  }

  /** The image with exactly this name in the client's region, if there is one. */
  async findByName(name: string): Promise<ImageRecord | undefined> {
    return (await this.findAllByName(name))[0]
  }

  /** Every image with exactly this name: NCP's name filter is not documented as exact. */
  async findAllByName(name: string): Promise<ImageRecord[]> {
    const { actions, params, listFilter } = this.kind
    const result = await this.client.call(actions.list, { ...listFilter, [params.name]: name })
    return this.records(result).filter(record => record.name === name)
  }

  toRecord(raw: Record<string, unknown>): ImageRecord {
    const { fields } = this.kind
    const status = raw[fields.status] as { code?: unknown } | undefined
    return {
      no: String(raw[fields.number] ?? ''),
      name: String(raw[fields.name] ?? ''),
      status: typeof status?.code === 'string' ? status.code : 'UNKNOWN',
      statusName:
        typeof raw[fields.statusName] === 'string' ? (raw[fields.statusName] as string) : undefined,
      sourceServerNo:
        fields.sourceServer && raw[fields.sourceServer] !== undefined
          ? String(raw[fields.sourceServer])
          : undefined,
      raw
    }
  }

  private records(result: ApiResult): ImageRecord[] {
    const list = result[this.kind.listKey]
    return Array.isArray(list)
      ? list.map(item => this.toRecord(item as Record<string, unknown>))
      : []
  }
}

/** Picks the image kind for a server, or explains why the requested one does not fit. */
export function selectImageKind(
  requested: 'auto' | 'xen' | 'kvm',
  hypervisor: string | undefined
): { kind: ImageKind } | { problem: string } {
  const actual = hypervisor?.toUpperCase()
  const fitting = actual === 'KVM' ? SERVER_IMAGE : MEMBER_IMAGE
  if (requested === 'auto') return { kind: fitting }
  const wanted = requested === 'kvm' ? SERVER_IMAGE : MEMBER_IMAGE
  if (actual === undefined || wanted === fitting) return { kind: wanted }
  const instead = fitting === SERVER_IMAGE ? 'kvm' : 'xen'
  return {
    problem:
      `is "${requested}", but the server's hypervisor is ${actual}: ${wanted.actions.create} ` +
      `does not image ${actual} servers. Use hypervisor: ${instead} (or auto).`
  }
}
