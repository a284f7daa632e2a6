import { MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE, type NameRule } from './name-rules.js'
import type { ApiResult, NcloudClient, Params } from './client.js'
import { contentError } from './errors.js'
import { toImageRecord } from './image-record.js'

/** Where an image's status leaves a run: done, failed, still going, or a code this action does not know. */
export type ImageState = 'created' | 'failed' | 'pending' | 'unknown'

/** One NCP image API, described as data so that one code path serves both. */
export interface ImageKind {
  /** How the kind is named in messages. */
  label: string
  /** The servers (NCP hypervisorType codes) this API images. */
  hypervisors: readonly string[]
  nameRule: NameRule
  actions: { create: string; detail: string; list: string; share: string; delete: string }
  /** `numberList`: the list parameter of the delete action. */
  params: { name: string; description: string; number: string; numberList: string }
  /** Sent with every list call: keeps NCP's public images out of a name lookup. */
  listFilter: Params
  listKey: string
  /** `sourceServer`: the field naming the server an image was made from, where NCP returns one. */
  fields: {
    number: string
    name: string
    status: string
    statusName: string
    description: string
    createDate: string
    sharedLoginIds: string
    sourceServer?: string
  }
  /** NCP's image status codes (reference §5.3): the only ones the action acts on. */
  statuses: { pending: string; created: string; failed: string }
}

const IMAGE_STATUSES = Object.freeze({ pending: 'INIT', created: 'CREAT', failed: 'CREFL' })

export const MEMBER_IMAGE: ImageKind = Object.freeze({
  label: 'member server image (XEN/RHV)',
  hypervisors: ['XEN', 'RHV'],
  nameRule: MEMBER_IMAGE_NAME_RULE,
  actions: {
    create: 'createMemberServerImageInstance',
    detail: 'getMemberServerImageInstanceDetail',
    list: 'getMemberServerImageInstanceList',
    share: 'addMemberServerImageSharingPermission',
    delete: 'deleteMemberServerImageInstances'
  },
  params: {
    name: 'memberServerImageName',
    description: 'memberServerImageDescription',
    number: 'memberServerImageInstanceNo',
    numberList: 'memberServerImageInstanceNoList'
  },
  listFilter: {},
  listKey: 'memberServerImageInstanceList',
  fields: {
    number: 'memberServerImageInstanceNo',
    name: 'memberServerImageName',
    status: 'memberServerImageInstanceStatus',
    statusName: 'memberServerImageInstanceStatusName',
    description: 'memberServerImageDescription',
    createDate: 'createDate',
    sharedLoginIds: 'sharedLoginIdList',
    sourceServer: 'originalServerInstanceNo'
  },
  statuses: IMAGE_STATUSES
})

export const SERVER_IMAGE: ImageKind = Object.freeze({
  label: 'server image (KVM)',
  hypervisors: ['KVM'],
  nameRule: SERVER_IMAGE_NAME_RULE,
  actions: {
    create: 'createServerImage',
    detail: 'getServerImageDetail',
    list: 'getServerImageList',
    share: 'addServerImageSharingPermission',
    delete: 'deleteServerImage'
  },
  params: {
    name: 'serverImageName',
    description: 'serverImageDescription',
    number: 'serverImageNo',
    numberList: 'serverImageNoList'
  },
  listFilter: { 'serverImageTypeCodeList.1': 'SELF' },
  listKey: 'serverImageList',
  fields: {
    number: 'serverImageNo',
    name: 'serverImageName',
    status: 'serverImageStatus',
    statusName: 'serverImageStatusName',
    description: 'serverImageDescription',
    createDate: 'createDate',
    sharedLoginIds: 'sharedLoginIdList'
  },
  statuses: IMAGE_STATUSES
})

export const IMAGE_KINDS: readonly ImageKind[] = [MEMBER_IMAGE, SERVER_IMAGE]

/** An image as the action sees it, with NCP's record kept whole for the `image` output. */
export interface ImageRecord {
  no: string
  name: string
  /** NCP's status code: INIT, CREAT, CREFL, or a code this action does not know ('' when absent). */
  status: string
  statusName?: string
  /** The server it was made from, when NCP says. */
  sourceServerNo?: string
  description?: string
  /** When NCP made it (ms since the epoch), when the record says. */
  createdAt?: number
  /** The NCP login IDs it is shared with. */
  sharedWith: string[]
  raw: Record<string, unknown>
}

export interface CreateRequest {
  serverInstanceNo: string
  name: string
  description: string
}

export function imageState(kind: ImageKind, status: string): ImageState {
  const { pending, created, failed } = kind.statuses
  if (status === created) return 'created'
  if (status === failed) return 'failed'
  if (status === pending) return 'pending'
  return 'unknown'
}

/** The detail call answered, and the image was not in it. */
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
    const images = this.records(actions.create, await this.client.sendOnce(actions.create, body))
    if (images.length === 0) {
      throw this.contentError(
        actions.create,
        `the success answer holds no image; one named "${request.name}" may exist`
      )
    }
    return images[0]
  }

  async get(imageNo: string, deadline?: number): Promise<ImageRecord> {
    const { detail } = this.kind.actions
    const result = await this.client.read(detail, { [this.kind.params.number]: imageNo }, deadline)
    const image = this.records(detail, result).find(record => record.no === imageNo)
    if (!image) throw new ImageNotFoundError(this.kind, imageNo)
    return image
  }

  /** Every image with exactly this name: NCP's name filter is not documented as exact. */
  async findAllByName(name: string, endBy?: number): Promise<ImageRecord[]> {
    const images = await this.listAll({ [this.kind.params.name]: name }, endBy)
    return images.filter(record => record.name === name)
  }

  /** Every image of this kind in the region (the account's own), every page read. */
  async listAll(filter: Params = {}, endBy?: number): Promise<ImageRecord[]> {
    const { actions, listFilter, listKey } = this.kind
    const rows = await this.client.readAllPages(
      actions.list,
      { ...listFilter, ...filter },
      listKey,
      endBy
    )
    return rows
      .filter(item => typeof item === 'object' && item !== null)
      .map(item => toImageRecord(this.kind, item as Record<string, unknown>))
  }

  /** Shares the image with NCP login IDs. Adding an ID it is already shared with changes nothing, so it is retried like a read. */
  async share(imageNo: string, loginIds: readonly string[]): Promise<void> {
    const params: Params = { [this.kind.params.number]: imageNo }
    loginIds.forEach((id, index) => (params[`targetLoginIdList.${index + 1}`] = id))
    await this.client.repeatable(this.kind.actions.share, params)
  }

  /** Deletes one image. Sent once: a lost reply is settled by the next list, not by a resend. */
  async delete(imageNo: string): Promise<void> {
    await this.client.sendOnce(this.kind.actions.delete, {
      [`${this.kind.params.numberList}.1`]: imageNo
    })
  }

  private records(action: string, result: ApiResult): ImageRecord[] {
    const list = result[this.kind.listKey]
    if (!Array.isArray(list)) {
      throw this.contentError(action, `the success answer has no ${this.kind.listKey}`)
    }
    return list
      .filter(item => typeof item === 'object' && item !== null)
      .map(item => toImageRecord(this.kind, item as Record<string, unknown>))
  }

  private contentError(action: string, problem: string): Error {
    return contentError(action, problem, this.client.gatewaySetting)
  }
}

/** Picks the image kind for a server, or explains why the requested one does not fit. */
export function selectImageKind(
  requested: 'auto' | 'xen' | 'kvm',
  hypervisor: string | undefined
): { kind: ImageKind } | { problem: string } {
  const actual = hypervisor?.toUpperCase()
  const fitting =
    IMAGE_KINDS.find(kind => actual && kind.hypervisors.includes(actual)) ?? MEMBER_IMAGE
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
