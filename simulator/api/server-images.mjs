// @ts-check
// Server images (KVM, and any server unless kvmOnlyServerImages) of /vserver/v2.
import { createImage } from '../model/images.mjs'
import { SNAPSHOT_SIZE_BYTES } from '../model/snapshots.mjs'
import { objectListParam, required } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'
import { kstDate } from './action.mjs'
import {
  checkNewImage,
  checkServerState,
  imageActions,
  SHARE_STATUS,
  statusFields
} from './images.mjs'
import { findServer } from './server.mjs'

const NAME_RULE = {
  pattern: /^[a-z][A-Za-z0-9_-]{1,28}[a-z0-9]$/,
  text: "3-30 letters, digits, '-' or '_', starting with a lower-case letter and ending with a lower-case letter or digit"
}
const CODE_NAMES = {
  status: { INIT: 'SI INIT state', CREAT: 'SI CREATED state', CREFL: 'SI CREATE FAILED state' },
  operation: { CREAT: 'SI CREAT OP', NULL: 'SI NULLOP' }
}
const LIST_KEY = 'serverImageList'

/**
 * @param {import('../model/images.mjs').Image} image
 * @param {number} now
 */
function serverImageRecord(image, now) {
  return {
    serverImageNo: image.no,
    serverImageName: image.name,
    serverImageDescription: image.description,
    serverImageType: { code: 'SELF', codeName: 'SELF' },
    hypervisorType: { code: 'KVM', codeName: 'KVM' },
    ...statusFields(image, now, CODE_NAMES, {
      status: 'serverImageStatus',
      operation: 'serverImageOperation',
      statusName: 'serverImageStatusName'
    }),
    createDate: kstDate(image.createdAt),
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: [...image.sharedLoginIds],
    // The snapshot number is a JSON number here, as in NCP's answers (ncloud-api-next §1).
    blockStorageMappingList: (image.snapshotNos ?? []).map((no, order) => ({
      order,
      blockStorageSnapshotInstanceNo: Number(no),
      blockStorageSnapshotName: `snp-${image.no}-${order}`,
      blockStorageSize: SNAPSHOT_SIZE_BYTES,
      blockStorageName: `${image.name}-disk-${order}`,
      blockStorageVolumeType: { code: 'SSD', codeName: 'SSD' },
      isEncryptedVolume: false
    }))
  }
}

/** @type {import('./action.mjs').Actions} */
export const SERVER_IMAGE_ACTIONS = {
  createServerImage: {
    listKey: LIST_KEY,
    run: (sim, params, region, now) => {
      const server = findServer(sim, required(params, 'serverInstanceNo'), region)
      // NCP documents serverImageNo images for KVM, RHV and XEN servers; a test may have it refuse.
      if (server.hypervisor !== 'KVM' && sim.kvmOnlyServerImages) {
        throw new ServiceError(
          RETURN_CODES.kvmOnly,
          `createServerImage is for KVM servers; this server is ${server.hypervisor}. Use createMemberServerImageInstance.`
        )
      }
      checkServerState(server, now)
      const name = required(params, 'serverImageName')
      const description = params.serverImageDescription ?? ''
      checkNewImage(sim, {
        name,
        nameParam: 'serverImageName',
        rule: NAME_RULE,
        description,
        descriptionParam: 'serverImageDescription',
        region
      })
      const blockStorageList = objectListParam(params, 'blockStorageList')
      const image = createImage(sim, {
        kind: 'server',
        name,
        description,
        server,
        blockStorageList
      })
      return [serverImageRecord(image, now)]
    }
  },

  ...imageActions({
    kind: 'server',
    listKey: LIST_KEY,
    record: serverImageRecord,
    params: {
      no: 'serverImageNo',
      nos: 'serverImageNoList',
      name: 'serverImageName',
      status: 'serverImageStatusCode'
    },
    actions: {
      detail: 'getServerImageDetail',
      list: 'getServerImageList',
      share: 'addServerImageSharingPermission',
      unshare: 'removeServerImageSharingPermission',
      delete: 'deleteServerImage'
    }
  })
}
