// @ts-check
// Block storage snapshots of /vserver/v2: deleting the ones a deleted KVM image left behind.
import { requiredList } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'

/**
 * In the snapshot record itself the number is a string (ncloud-api-next §1).
 * @param {import('../types.mjs').SnapshotSummary} snapshot
 */
function snapshotRecord(snapshot) {
  return {
    blockStorageSnapshotInstanceNo: snapshot.no,
    blockStorageSnapshotName: snapshot.name,
    blockStorageSnapshotVolumeSize: snapshot.sizeBytes,
    blockStorageSnapshotInstanceStatus: { code: 'CREAT', codeName: 'Snapshot CREATED state' },
    isBootable: snapshot.order === 0
  }
}

/** @type {import('./action.mjs').Actions} */
export const BLOCK_STORAGE_ACTIONS = {
  // Snapshots of a deleted KVM image stay, billed, until deleted (ncloud-api-next §1). One still
  // behind an image cannot be deleted. All or nothing; answers the deleted snapshots.
  deleteBlockStorageSnapshotInstances: {
    listKey: 'blockStorageSnapshotInstanceList',
    run: (sim, params, region) => {
      const nos = requiredList(params, 'blockStorageSnapshotInstanceNoList')
      const snapshots = nos.map(no => {
        const snapshot = sim.snapshots.find(one => one.no === no && one.regionCode === region)
        if (!snapshot) {
          throw new ServiceError(
            RETURN_CODES.snapshotNotFound,
            `Block storage snapshot ${no} not found.`
          )
        }
        if (sim.images.some(image => image.snapshotNos?.includes(no))) {
          throw new ServiceError(
            RETURN_CODES.snapshotInUse,
            `KVM-based snapshots used to create the server image can't be deleted (${no}).`
          )
        }
        return snapshot
      })
      sim.snapshots = sim.snapshots.filter(snapshot => !snapshots.includes(snapshot))
      return snapshots.map(snapshotRecord)
    }
  }
}
