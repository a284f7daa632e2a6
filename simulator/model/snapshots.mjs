// @ts-check
// Block storage snapshots: KVM images keep them behind them, billed until deleted
// (ncloud-api-next §1).

export const FIRST_SNAPSHOT_NO = 700001
export const SNAPSHOT_SIZE_BYTES = 53687091200

/**
 * @param {import('../state.mjs').SimState} sim
 * @param {import('./images.mjs').Image} image
 * @param {number} count
 */
export function addSnapshots(sim, image, count) {
  image.snapshotNos = []
  for (let order = 0; order < count; order++) {
    const no = String(sim.nextSnapshotNo++)
    image.snapshotNos.push(no)
    sim.snapshots.push({
      no,
      name: `snp-${image.no}-${order}`,
      imageNo: image.no,
      regionCode: image.regionCode,
      order,
      sizeBytes: SNAPSHOT_SIZE_BYTES
    })
  }
}
