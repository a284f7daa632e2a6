// @ts-check
// Member server images (XEN / RHV servers) of /vserver/v2.
import { createImage } from '../model/images.mjs'
import { required } from '../params.mjs'
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
  pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/,
  text: "3-30 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit"
}
const CODE_NAMES = {
  status: { INIT: 'NSI INIT state', CREAT: 'NSI CREATED state', CREFL: 'NSI CREATE FAILED state' },
  operation: { CREAT: 'NSI CREAT OP', NULL: 'NSI NULLOP' }
}
const LIST_KEY = 'memberServerImageInstanceList'

/**
 * @param {import('../model/images.mjs').Image} image
 * @param {number} now
 */
function memberRecord(image, now) {
  return {
    memberServerImageInstanceNo: image.no,
    memberServerImageName: image.name,
    memberServerImageDescription: image.description,
    originalServerInstanceNo: image.serverInstanceNo,
    originalServerImageProductCode: image.productCode,
    ...statusFields(image, now, CODE_NAMES, {
      status: 'memberServerImageInstanceStatus',
      operation: 'memberServerImageInstanceOperation',
      statusName: 'memberServerImageInstanceStatusName'
    }),
    createDate: kstDate(image.createdAt),
    memberServerImageBlockStorageTotalRows: 1,
    memberServerImageBlockStorageTotalSize: 53687091200,
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: [...image.sharedLoginIds]
  }
}

/** @type {import('./action.mjs').Actions} */
export const MEMBER_IMAGE_ACTIONS = {
  createMemberServerImageInstance: {
    listKey: LIST_KEY,
    run: (sim, params, region, now) => {
      const server = findServer(sim, required(params, 'serverInstanceNo'), region)
      if (server.hypervisor === 'KVM') {
        throw new ServiceError(
          RETURN_CODES.kvmNotSupported,
          'KVM-based servers are not supported by createMemberServerImageInstance. Use createServerImage.'
        )
      }
      checkServerState(server, now)
      const name = params.memberServerImageName || `msi-${sim.nextImageNo}`
      const description = params.memberServerImageDescription ?? ''
      checkNewImage(sim, {
        name,
        nameParam: 'memberServerImageName',
        rule: NAME_RULE,
        description,
        descriptionParam: 'memberServerImageDescription',
        region
      })
      return [memberRecord(createImage(sim, { kind: 'member', name, description, server }), now)]
    }
  },

  ...imageActions({
    kind: 'member',
    listKey: LIST_KEY,
    record: memberRecord,
    params: {
      no: 'memberServerImageInstanceNo',
      nos: 'memberServerImageInstanceNoList',
      name: 'memberServerImageName',
      status: 'memberServerImageInstanceStatusCode'
    },
    actions: {
      detail: 'getMemberServerImageInstanceDetail',
      list: 'getMemberServerImageInstanceList',
      share: 'addMemberServerImageSharingPermission',
      unshare: 'removeMemberServerImageSharingPermission',
      delete: 'deleteMemberServerImageInstances'
    }
  })
}
