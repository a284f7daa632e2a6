import { MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE, type NameRule } from './name-rules.js'
import type { ApiResult, NcloudClient, Params } from './client.js'
import { contentError } from './errors.js'
import { toImageRecord, type ImageRecord } from './image-record.js'
import { IMAGE_STATUSES, type ImageStatuses } from './image-status.js'
import { answeredNoRows, UnconfirmedDeleteError } from './unconfirmed-delete.js'

export { imageState, type ImageState } from './image-status.js'
export type { ImageRecord } from './image-record.js'

/** One NCP image API, described as data so that one code path serves both. */
export interface ImageKind {
  /** How the kind is named in messages. */
  label: string
  /** The servers (NCP hypervisorType codes) `hypervisor: auto` uses this API for. */
  hypervisors: readonly string[]
  /** Other servers this API images when the hypervisor input asks for it explicitly. */
  onRequest: readonly string[]
  nameRule: NameRule
  /** `deleteSnapshots`: where an image keeps block storage snapshots that outlive its delete. */
  actions: {
    create: string
    detail: string
    list: string
    share: string
    delete: string
    deleteSnapshots?: string
  }
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
  /** NCP's image status codes, and what says an image is going away. */
  statuses: ImageStatuses
}

export const MEMBER_IMAGE: ImageKind = Object.freeze({
  label: 'member server image (XEN/RHV)',
  hypervisors: ['XEN', 'RHV'],
  // NCP: "KVM-based server images are not supported" by the member image actions.
  onRequest: [],
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
  // The newer API: NCP documents serverImageNo images for KVM, RHV and XEN servers (next §6).
  onRequest: ['XEN', 'RHV'],
  nameRule: SERVER_IMAGE_NAME_RULE,
  actions: {
    create: 'createServerImage',
    detail: 'getServerImageDetail',
    list: 'getServerImageList',
    share: 'addServerImageSharingPermission',
    delete: 'deleteServerImage',
    // deleteServerImage leaves the image's snapshots behind, billed (ncloud-api-next §1).
    deleteSnapshots: 'deleteBlockStorageSnapshotInstances'
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

export interface CreateRequest {
  serverInstanceNo: string
  name: string
  description: string
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
    const { actions, listFilter, listKey, fields } = this.kind
    const rows = await this.client.readAllPages(
      actions.list,
      { ...listFilter, ...filter },
      listKey,
      fields.number,
      endBy
    )
    return this.fromRows(rows)
  }

  /** The image records among list rows (what an incomplete list did bring, too). */
  fromRows(rows: readonly unknown[]): ImageRecord[] {
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

  /**
   * Deletes one image and returns the records NCP answers with (for a KVM image, with the
   * snapshots behind it). Sent again only when it never reached NCP (a throttle); a lost reply
   * is settled by the next list, not by a resend.
   * An answer with no image (totalRows 0) is an UnconfirmedDeleteError.
   */
  async delete(imageNo: string): Promise<ImageRecord[]> {
    const { delete: action } = this.kind.actions
    const result = await this.client.sendUnlessReached(action, {
      [`${this.kind.params.numberList}.1`]: imageNo
    })
    if (answeredNoRows(result)) throw new UnconfirmedDeleteError(action, imageNo)
    return Array.isArray(result[this.kind.listKey]) ? this.records(action, result) : []
  }

  /** Deletes one block storage snapshot a deleted KVM image left; sent again only if it never reached NCP. */
  async deleteSnapshot(snapshotNo: string): Promise<void> {
    const action = this.kind.actions.deleteSnapshots
    if (!action) throw new Error(`${this.kind.label} keeps no snapshots`)
    await this.client.sendUnlessReached(action, {
      'blockStorageSnapshotInstanceNoList.1': snapshotNo
    })
  }

  /** The client, for reads beside the images (what uses them). */
  get ncloud(): NcloudClient {
    return this.client
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
