// @ts-check
// Images of both kinds: seeds, new images, and their status as a function of time.
import { productCodeOf } from './servers.mjs'
import { addSnapshots } from './snapshots.mjs'

export const FIRST_IMAGE_NO = 900001

/**
 * @typedef {object} Image
 * @property {import('../types.mjs').ImageKind} kind
 * @property {string} no
 * @property {string} name
 * @property {string} description
 * @property {string} serverInstanceNo
 * @property {string} regionCode
 * @property {string} productCode
 * @property {import('../types.mjs').BlockStorageEntry[]} blockStorageList
 * @property {number} createdAt
 * @property {number} completedAt When it leaves INIT.
 * @property {import('../types.mjs').ImageStatus | null} finalStatus
 * @property {number} listedAt When list calls can see it (listLagMs).
 * @property {string[]} sharedLoginIds
 * @property {string[]} [snapshotNos] Server images only.
 */
/** @typedef {import('../state.mjs').SimState} SimState */

/**
 * @param {SimState} sim
 * @param {string} [wanted]
 */
function allocateImageNo(sim, wanted) {
  if (wanted === undefined) return String(sim.nextImageNo++)
  sim.nextImageNo = Math.max(sim.nextImageNo, Number(wanted) + 1 || sim.nextImageNo)
  return String(wanted)
}

/**
 * A pre-existing image. INIT seeds finish like created images; any other status (or null) is final.
 * @param {SimState} sim
 * @param {import('../types.mjs').ImageSeed} seed
 */
export function addImage(sim, seed) {
  const createdAt = seed.createdAt ?? sim.clock.now()
  const final = seed.status !== 'INIT'
  /** @type {Image} */
  const image = {
    kind: seed.kind,
    no: allocateImageNo(sim, seed.no),
    name: seed.name,
    description: seed.description ?? '',
    serverInstanceNo: String(seed.serverInstanceNo),
    regionCode: seed.regionCode ?? 'KR',
    productCode: productCodeOf(sim.servers.get(String(seed.serverInstanceNo))),
    blockStorageList: [],
    createdAt,
    completedAt: final ? createdAt : createdAt + (seed.createMs ?? sim.createMs),
    finalStatus: final ? seed.status : seed.fail ? 'CREFL' : 'CREAT',
    listedAt: createdAt,
    sharedLoginIds: [...(seed.sharedLoginIdList ?? [])]
  }
  if (image.kind === 'server') addSnapshots(sim, image, seed.snapshotCount ?? 1)
  sim.images.push(image)
  return image
}

/**
 * The status an image of this server ends in: the server's settings win over the simulator's.
 * @param {SimState} sim
 * @param {import('./servers.mjs').Server} server
 */
function finalStatusFor(sim, server) {
  if (server.imageFinalStatus !== undefined) return server.imageFinalStatus
  if (server.failImage !== undefined) return server.failImage ? 'CREFL' : 'CREAT'
  if (sim.imageFinalStatus !== undefined) return sim.imageFinalStatus
  return sim.failImages ? 'CREFL' : 'CREAT'
}

/**
 * @param {SimState} sim
 * @param {{ kind: import('../types.mjs').ImageKind, name: string, description: string,
 *   server: import('./servers.mjs').Server, blockStorageList?: import('../types.mjs').BlockStorageEntry[] }} request
 */
export function createImage(sim, { kind, name, description, server, blockStorageList = [] }) {
  const createdAt = sim.clock.now()
  /** @type {Image} */
  const image = {
    kind,
    no: allocateImageNo(sim),
    name,
    description,
    serverInstanceNo: server.serverInstanceNo,
    regionCode: server.regionCode,
    productCode: productCodeOf(server),
    blockStorageList,
    createdAt,
    completedAt: createdAt + (server.createMs ?? sim.createMs),
    finalStatus: finalStatusFor(sim, server),
    listedAt: createdAt + sim.listLagMs,
    sharedLoginIds: []
  }
  if (kind === 'server') addSnapshots(sim, image, 1)
  sim.images.push(image)
  return image
}

/**
 * Image state is a pure function of time: INIT until completedAt, then its final status.
 * @param {Image} image
 * @param {number} now
 */
export function imageStatus(image, now) {
  return now < image.completedAt ? 'INIT' : image.finalStatus
}

/**
 * @param {Image} image
 * @param {number} now
 * @returns {import('../types.mjs').ImageSummary}
 */
export function imageSummary(image, now) {
  const { kind, no, name, description, serverInstanceNo, regionCode, createdAt, completedAt } =
    image
  return {
    kind,
    no,
    name,
    description,
    serverInstanceNo,
    regionCode,
    status: imageStatus(image, now),
    createdAt,
    completedAt,
    blockStorageList: image.blockStorageList,
    snapshotNos: [...(image.snapshotNos ?? [])],
    sharedLoginIdList: [...image.sharedLoginIds]
  }
}
