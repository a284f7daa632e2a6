// @ts-check
// The server actions of /vserver/v2: read, list, stop and start.
import { beginTransition, productCodeOf, serverState } from '../model/servers.mjs'
import { imageStatus } from '../model/images.mjs'
import { byNumber, onePage } from '../paging.mjs'
import { listParam, required, requiredList } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'

/** @typedef {import('../state.mjs').SimState} SimState */
/** @typedef {import('../model/servers.mjs').Server} Server */

/**
 * @param {SimState} sim
 * @param {string} serverInstanceNo
 * @param {string} region
 */
export function findServer(sim, serverInstanceNo, region) {
  const server = sim.servers.get(serverInstanceNo)
  if (!server || server.regionCode !== region) {
    throw new ServiceError(
      RETURN_CODES.serverNotFound,
      'Server instance not found. Please check serverInstanceNo.'
    )
  }
  return server
}

/**
 * @param {Server} server
 * @param {number} now
 */
export function serverRecord(server, now) {
  const kvm = server.hypervisor === 'KVM'
  const { status, operation, statusName } = serverState(server, now)
  return {
    serverInstanceNo: server.serverInstanceNo,
    serverName: server.serverName,
    serverInstanceStatus: { code: status, codeName: `Server ${status} state` },
    serverInstanceOperation: { code: operation, codeName: `Server ${operation} OP` },
    serverInstanceStatusName: statusName,
    hypervisorType: { code: server.hypervisor, codeName: server.hypervisor },
    regionCode: server.regionCode,
    zoneCode: server.zoneCode,
    platformType: { code: 'LNX64', codeName: 'Linux 64 Bit' },
    // The image it was made from: a public one unless the fixture names one of the account's.
    ...(kvm
      ? { serverImageNo: server.serverImageNo ?? '100001' }
      : { serverImageProductCode: productCodeOf(server) }),
    ...(server.memberServerImageInstanceNo === undefined
      ? {}
      : { memberServerImageInstanceNo: server.memberServerImageInstanceNo }),
    ...(kvm || server.serverImageNo === undefined ? {} : { serverImageNo: server.serverImageNo }),
    vpcNo: server.vpcNo,
    subnetNo: server.subnetNo,
    networkInterfaceNoList: [server.networkInterfaceNo],
    loginKeyName: server.loginKeyName,
    ...(server.serverSpecCode ? { serverSpecCode: server.serverSpecCode } : {}),
    ...(server.serverProductCode ? { serverProductCode: server.serverProductCode } : {}),
    serverDescription: server.serverDescription,
    isProtectServerTermination: false
  }
}

/**
 * @param {SimState} sim
 * @param {import('../params.mjs').Params} params
 * @param {string} region
 */
function serversOf(sim, params, region) {
  return requiredList(params, 'serverInstanceNoList').map(no => findServer(sim, no, region))
}

/**
 * @param {Server} server
 * @param {number} now
 * @param {string} wanted
 * @param {string} verb
 */
export function checkPowerState(server, now, wanted, verb) {
  const { status, operation } = serverState(server, now)
  if (status !== wanted || operation !== 'NULL') {
    throw new ServiceError(
      RETURN_CODES.serverState,
      `Server ${server.serverInstanceNo} cannot be ${verb} (status ${status}, operation ${operation}); it must be ${wanted} with no operation in progress.`
    )
  }
}

/**
 * @param {SimState} sim
 * @param {Server} server
 * @param {number} now
 */
function checkStartAllowed(sim, server, now) {
  checkPowerState(server, now, 'NSTOP', 'started')
  if (server.failStart ?? sim.failStart) {
    throw new ServiceError(
      RETURN_CODES.startRefused,
      `Server ${server.serverInstanceNo} could not be started.`
    )
  }
  const imaging = sim.images.some(
    image =>
      image.serverInstanceNo === server.serverInstanceNo && imageStatus(image, now) === 'INIT'
  )
  if (imaging && (server.refuseStartWhileImaging ?? sim.refuseStartWhileImaging)) {
    throw new ServiceError(
      RETURN_CODES.startRefused,
      `Server ${server.serverInstanceNo} cannot be started while an image of it is being created.`
    )
  }
}

/** @type {import('./action.mjs').Actions} */
export const SERVER_ACTIONS = {
  getServerInstanceDetail: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => [
      serverRecord(findServer(sim, required(params, 'serverInstanceNo'), region), now)
    ]
  },

  // serverName: NCP does not document exact or partial matching; the simulator matches exactly.
  // Servers of any status are listed, terminated ones (TERMT) included.
  getServerInstanceList: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const nos = listParam(params, 'serverInstanceNoList')
      const statusCode = params.serverInstanceStatusCode
      const rows = [...sim.servers.values()]
        .filter(
          server =>
            server.regionCode === region &&
            (!params.serverName || server.serverName === params.serverName) &&
            (nos.length === 0 || nos.includes(server.serverInstanceNo)) &&
            (!statusCode || serverState(server, now).status === statusCode)
        )
        .sort((a, b) => byNumber(a.serverInstanceNo, b.serverInstanceNo))
        .map(server => serverRecord(server, now))
      return onePage(sim, params, rows, 'getServerInstanceList')
    }
  },

  stopServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const servers = serversOf(sim, params, region)
      // A server still being made (INIT) may be stopped too: NCP documents neither way.
      for (const server of servers) {
        if (serverState(server, now).status !== 'INIT')
          checkPowerState(server, now, 'RUN', 'stopped')
      }
      return servers.map(server => {
        const lagMs = server.stopLagMs ?? sim.stopLagMs
        beginTransition(server, now, 'SHTDN', 'NSTOP', server.stopMs ?? sim.stopMs, lagMs)
        return serverRecord(server, now)
      })
    }
  },

  startServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const servers = serversOf(sim, params, region)
      for (const server of servers) checkStartAllowed(sim, server, now)
      return servers.map(server => {
        beginTransition(server, now, 'START', 'RUN', server.startMs ?? sim.startMs)
        return serverRecord(server, now)
      })
    }
  }
}
