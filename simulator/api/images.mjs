// @ts-check
// What both image APIs share: finding, checking, listing, sharing and deleting images, and the
// status fields of their records.
import { imageStatus } from '../model/images.mjs'
import { serverState } from '../model/servers.mjs'
import { byNumber } from '../paging.mjs'
import { onePage } from '../paging.mjs'
import { listParam, required, requiredList } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'
import { codeName } from './action.mjs'

const MAX_DESCRIPTION_BYTES = 1000
const IMAGE_STATUS_NAMES = { INIT: 'creating', CREAT: 'created', CREFL: 'createFailed' }
/** shareStatus stays the one documented value ('NULL'); sharing shows in sharedLoginIdList. */
export const SHARE_STATUS = { code: 'NULL', codeName: 'NSI Share NULL State' }

/** @typedef {import('../state.mjs').SimState} SimState */
/** @typedef {import('../model/images.mjs').Image} Image */
/** @typedef {import('../types.mjs').ImageKind} ImageKind */

/**
 * @param {SimState} sim
 * @param {ImageKind} kind
 * @param {string} no
 * @param {string} region
 */
export function findImage(sim, kind, no, region) {
  const image = sim.images.find(i => i.kind === kind && i.no === no && i.regionCode === region)
  if (!image) {
    throw new ServiceError(
      RETURN_CODES.imageNotFound,
      'Server image not found. Please check the image number.'
    )
  }
  return image
}

/**
 * @param {import('../model/servers.mjs').Server} server
 * @param {number} now
 */
export function checkServerState(server, now) {
  const { status, operation } = serverState(server, now)
  if (!['RUN', 'NSTOP'].includes(status) || operation !== 'NULL') {
    throw new ServiceError(
      RETURN_CODES.serverState,
      `The server is not in a state that allows image creation (status ${status}, operation ${operation}). Image creation needs a running or stopped server with no operation in progress.`
    )
  }
}

/**
 * @param {SimState} sim
 * @param {{ name: string, nameParam: string, rule: { pattern: RegExp, text: string },
 *   description: string, descriptionParam: string, region: string }} image
 */
export function checkNewImage(
  sim,
  { name, nameParam, rule, description, descriptionParam, region }
) {
  if (!rule.pattern.test(name)) {
    throw new ServiceError(RETURN_CODES.invalidName, `${nameParam} must be ${rule.text}.`)
  }
  if (sim.uniqueNames && sim.images.some(i => i.name === name && i.regionCode === region)) {
    throw new ServiceError(RETURN_CODES.duplicateName, 'The image name is already in use.')
  }
  if (Buffer.byteLength(description, 'utf8') > MAX_DESCRIPTION_BYTES) {
    throw new ServiceError(
      RETURN_CODES.descriptionTooLong,
      `${descriptionParam} must be at most ${MAX_DESCRIPTION_BYTES} bytes.`
    )
  }
}

/**
 * Images of one kind in a region that list calls can already see (list lag), by number, that
 * match the filters.
 * @param {SimState} sim
 * @param {ImageKind} kind
 * @param {string} region
 * @param {number} now
 * @param {{ name?: string, nos: string[], statusCode?: string }} filters
 */
export function listedImages(sim, kind, region, now, { name, nos, statusCode }) {
  return sim.images
    .filter(i => i.kind === kind && i.regionCode === region && now >= i.listedAt)
    .sort((a, b) => byNumber(a.no, b.no))
    .filter(
      image =>
        (!name || image.name === name) &&
        (nos.length === 0 || nos.includes(image.no)) &&
        (!statusCode || imageStatus(image, now) === statusCode)
    )
}

/**
 * add/remove…SharingPermission. Adding needs a CREAT image and (with knownLoginIds) known IDs;
 * IDs already shared are kept once. Removing an ID that is not shared is no error.
 * @param {SimState} sim
 * @param {Image} image
 * @param {import('../params.mjs').Params} params
 * @param {number} now
 * @param {boolean} add
 */
export function changeSharing(sim, image, params, now, add) {
  const ids = requiredList(params, 'targetLoginIdList')
  if (add) {
    const status = imageStatus(image, now)
    if (status !== 'CREAT') {
      throw new ServiceError(
        RETURN_CODES.imageState,
        `Only a created image can be shared; this image's status is ${status ?? 'unknown'}.`
      )
    }
    const known = sim.knownLoginIds
    const unknown = known && ids.find(id => !known.includes(id))
    if (unknown) {
      throw new ServiceError(RETURN_CODES.unknownLoginId, `The login ID ${unknown} does not exist.`)
    }
  }
  image.sharedLoginIds = add
    ? [...new Set([...image.sharedLoginIds, ...ids])]
    : image.sharedLoginIds.filter(id => !ids.includes(id))
  return image
}

/**
 * delete…: every number must exist, and none may be INIT (NCP does not document deleting an
 * image that is still being created; refused here). All or nothing. Answers the deleted images.
 * @param {SimState} sim
 * @param {ImageKind} kind
 * @param {string[]} nos
 * @param {string} region
 * @param {number} now
 */
export function deleteImages(sim, kind, nos, region, now) {
  const images = nos.map(no => findImage(sim, kind, no, region))
  const busy = images.find(image => imageStatus(image, now) === 'INIT')
  if (busy) {
    throw new ServiceError(
      RETURN_CODES.imageState,
      `Image ${busy.no} is still being created and cannot be deleted.`
    )
  }
  sim.images = sim.images.filter(image => !images.includes(image))
  return images
}

/**
 * The status fields of an image record: absent when the image's status is null.
 * @param {Image} image
 * @param {number} now
 * @param {{ status: Record<string, string>, operation: Record<string, string> }} names
 * @param {{ status: string, operation: string, statusName: string }} keys
 */
export function statusFields(image, now, names, keys) {
  const status = imageStatus(image, now)
  const operation = codeName(status === 'INIT' ? 'CREAT' : 'NULL', names.operation)
  if (status === null) return { [keys.operation]: operation }
  return {
    [keys.status]: codeName(status, names.status),
    [keys.operation]: operation,
    [keys.statusName]: Object.hasOwn(IMAGE_STATUS_NAMES, status)
      ? IMAGE_STATUS_NAMES[/** @type {keyof typeof IMAGE_STATUS_NAMES} */ (status)]
      : status.toLowerCase()
  }
}

/**
 * @typedef {object} ImageApi One image kind's names for what both kinds can do.
 * @property {ImageKind} kind
 * @property {string} listKey
 * @property {(image: Image, now: number) => object} record
 * @property {{ no: string, nos: string, name: string, status: string }} params
 * @property {{ detail: string, list: string, share: string, unshare: string, delete: string }} actions
 */

/**
 * Detail, list, share, unshare and delete, the same for both kinds under each kind's names.
 * @param {ImageApi} api
 * @returns {import('./action.mjs').Actions}
 */
export function imageActions({ kind, listKey, record, params: names, actions }) {
  /** @type {(sim: SimState, params: import('../params.mjs').Params, region: string) => Image} */
  const imageOf = (sim, params, region) => findImage(sim, kind, required(params, names.no), region)
  /** @param {boolean} add @returns {import('./action.mjs').Action} */
  const sharing = add => ({
    listKey,
    run: (sim, params, region, now) => [
      record(changeSharing(sim, imageOf(sim, params, region), params, now, add), now)
    ]
  })
  return {
    [actions.detail]: {
      listKey,
      run: (sim, params, region, now) => [record(imageOf(sim, params, region), now)]
    },
    [actions.list]: {
      listKey,
      run: (sim, params, region, now) => {
        const rows = listedImages(sim, kind, region, now, {
          name: params[names.name],
          nos: listParam(params, names.nos),
          statusCode: params[names.status]
        }).map(image => record(image, now))
        return onePage(sim, params, rows, actions.list)
      }
    },
    [actions.share]: sharing(true),
    [actions.unshare]: sharing(false),
    [actions.delete]: {
      listKey,
      run: (sim, params, region, now) =>
        deleteImages(sim, kind, requiredList(params, names.nos), region, now).map(image =>
          record(image, now)
        )
    }
  }
}
