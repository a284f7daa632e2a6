// @ts-check
// Launching a server from an image, terminating it, and the network interface read
// (/vserver/v2: createServerInstances, terminateServerInstances, getNetworkInterfaceDetail).
import { imageStatus } from '../model/images.mjs'
import { groupsOf, interfaceOf, subnetsOf } from '../model/network.mjs'
import { beginTransition, serverState, setServer } from '../model/servers.mjs'
import { given, required, requiredList } from '../params.mjs'
import { RETURN_CODES, ServiceError } from '../return-codes.mjs'
import { findImage } from './images.mjs'
import { checkPowerState, findServer, serverRecord } from './server.mjs'

/** @typedef {import('../state.mjs').SimState} SimState */
/** @typedef {import('../params.mjs').Params} Params */

/** The console's server-name rule (NCP documents none for the API). */
const SERVER_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/

/** @param {string} message */
function refuse(message) {
  return new ServiceError(RETURN_CODES.launchRefused, message)
}

/**
 * The image and the spec parameter that goes with it: serverImageNo with serverSpecCode, a
 * member image with serverProductCode (ncloud-api-next §5).
 * @param {SimState} sim
 * @param {Params} params
 * @param {string} region
 * @param {number} now
 */
function launchImage(sim, params, region, now) {
  const member = given(params, 'memberServerImageInstanceNo')
  if (member === given(params, 'serverImageNo')) {
    throw refuse('Give one of memberServerImageInstanceNo and serverImageNo.')
  }
  const [spec, wrong] = member
    ? ['serverProductCode', 'serverSpecCode']
    : ['serverSpecCode', 'serverProductCode']
  if (given(params, wrong) || given(params, 'serverImageProductCode')) {
    throw refuse(
      `These parameters cannot be used at the same time : [${member ? 'memberServerImageInstanceNo' : 'serverImageNo'}, ${wrong}]`
    )
  }
  required(params, spec)
  const kind = member ? 'member' : 'server'
  const no = params[member ? 'memberServerImageInstanceNo' : 'serverImageNo']
  const image = findImage(sim, kind, no, region)
  if (imageStatus(image, now) !== 'CREAT') {
    throw refuse(`Image ${no} is not created (CREAT), so no server can be launched from it.`)
  }
  return { kind, no, spec: params[spec] }
}

/**
 * @param {SimState} sim
 * @param {Params} params
 * @param {string} region
 */
function launchNetwork(sim, params, region) {
  const vpcNo = required(params, 'vpcNo')
  const subnetNo = required(params, 'subnetNo')
  const subnetVpc = subnetsOf(sim, region).get(subnetNo)
  if (subnetVpc === undefined) throw refuse(`Subnet ${subnetNo} was not found.`)
  if (subnetVpc !== vpcNo) throw refuse(`Subnet ${subnetNo} is not in VPC ${vpcNo}.`)
  required(params, 'networkInterfaceList.1.networkInterfaceOrder')
  const groups = requiredList(params, 'networkInterfaceList.1.accessControlGroupNoList')
  const known = groupsOf(sim)
  for (const group of groups) {
    if (known.get(group) !== vpcNo) {
      throw refuse(`Access control group ${group} is not a group of VPC ${vpcNo}.`)
    }
  }
  return { vpcNo, subnetNo, groups }
}

/** @type {import('./action.mjs').Actions} */
export const SERVER_LAUNCH_ACTIONS = {
  createServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      if (sim.launchFault === 'refuse') throw refuse('The server could not be created.')
      const image = launchImage(sim, params, region, now)
      const network = launchNetwork(sim, params, region)
      const name = params.serverName ?? ''
      if (!SERVER_NAME.test(name)) throw refuse(`serverName "${name}" breaks the naming rule.`)
      const taken = [...sim.servers.values()].some(
        s => s.serverName === name && serverState(s, now).status !== 'TERMT'
      )
      if (taken) throw refuse(`A server named "${name}" exists already.`)
      const serverInstanceNo = String(sim.nextServerNo++)
      setServer(sim, {
        serverInstanceNo,
        serverName: name,
        regionCode: region,
        hypervisor: image.kind === 'member' ? 'XEN' : 'KVM',
        status: 'INIT',
        vpcNo: network.vpcNo,
        subnetNo: network.subnetNo,
        accessControlGroupNos: network.groups,
        loginKeyName: params.loginKeyName ?? 'sim-key',
        ...(image.kind === 'member'
          ? { memberServerImageInstanceNo: image.no, serverProductCode: image.spec }
          : { serverImageNo: image.no, serverSpecCode: image.spec }),
        serverDescription: params.serverDescription ?? ''
      })
      const server = findServer(sim, serverInstanceNo, region)
      if (sim.launchFault !== 'never-run') {
        const to = sim.launchFault === 'fail' ? 'NSTOP' : 'RUN'
        beginTransition(server, now, 'NULL', to, sim.bootMs)
      }
      return [serverRecord(server, now)]
    }
  },

  terminateServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const servers = requiredList(params, 'serverInstanceNoList').map(no =>
        findServer(sim, no, region)
      )
      for (const server of servers) checkPowerState(server, now, 'NSTOP', 'terminated')
      if (sim.refuseTerminate > 0) {
        sim.refuseTerminate--
        throw new ServiceError(
          RETURN_CODES.terminateRefused,
          'The storage allocated to the server is being manipulated.'
        )
      }
      return servers.map(server => {
        beginTransition(server, now, 'TERMT', 'TERMT', sim.terminateMs)
        return serverRecord(server, now)
      })
    }
  },

  getNetworkInterfaceDetail: {
    listKey: 'networkInterfaceList',
    run: (sim, params, region) => {
      const no = required(params, 'networkInterfaceNo')
      const server = interfaceOf(sim, no, region)
      if (!server) {
        throw new ServiceError(
          RETURN_CODES.networkNotFound,
          `Network interface ${no} was not found.`
        )
      }
      return [
        {
          networkInterfaceNo: no,
          subnetNo: server.subnetNo,
          instanceNo: server.serverInstanceNo,
          isDefault: true,
          accessControlGroupNoList: [...server.accessControlGroupNos],
          deviceName: 'eth0'
        }
      ]
    }
  }
}
