// @ts-check
// Service returnCodes, and the error an action throws to answer with one.

// Only '1000' is a real, observed NCP code (reference §7.2); '1300' is one of Terraform's
// constants ("unknown"). NCP does not document the codes for a missing server or image, a wrong
// server state, a bad or duplicate image name (reference §7.2, §10.4): the others are chosen by
// this simulator.
export const RETURN_CODES = Object.freeze({
  retryLater: '1000',
  internalError: '1300',
  parameterRequired: '10100',
  /** A pageNo or pageSize that is not a whole number, or pageSize 0. */
  invalidParameter: '10101',
  serverNotFound: '10102',
  imageNotFound: '10103',
  notJson: '10110',
  kvmNotSupported: '24000',
  /** createServerImage on a XEN/RHV server, with kvmOnlyServerImages only. */
  kvmOnly: '24001',
  /** Image creation on a server that is busy or neither RUN nor NSTOP; a stop of a server that is not RUN/NULL, a start of one that is not NSTOP/NULL. */
  serverState: '24003',
  invalidName: '24004',
  duplicateName: '24005',
  descriptionTooLong: '24006',
  /** Sharing an image that is not CREAT, or deleting one that is INIT. */
  imageState: '24007',
  unknownLoginId: '24008',
  /** failStart, or refuseStartWhileImaging while an image of the server is INIT. */
  startRefused: '24009',
  /** deleteBlockStorageSnapshotInstances: no such snapshot. */
  snapshotNotFound: '24010',
  /** deleteBlockStorageSnapshotInstances: the snapshot is still behind an image. */
  snapshotInUse: '24011',
  /** createServerInstances: a parameter pair, image, VPC, subnet or group that does not fit; launchFault 'refuse'. */
  launchRefused: '24012',
  /** terminateServerInstances of a server that is not stopped, or refuseTerminate. */
  terminateRefused: '24013',
  /** getNetworkInterfaceDetail / getSubnetDetail: no such interface or subnet. */
  networkNotFound: '24014'
})

/** Thrown by an action; the router answers it as a service error (`responseError`). */
export class ServiceError extends Error {
  /**
   * @param {string} returnCode
   * @param {string} message
   * @param {number} [httpStatus]
   */
  constructor(returnCode, message, httpStatus = 400) {
    super(message)
    this.returnCode = returnCode
    this.httpStatus = httpStatus
  }
}
