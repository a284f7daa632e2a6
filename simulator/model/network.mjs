// @ts-check
// The network the servers are in: subnets of VPCs, access control groups, network interfaces.
// What the server fixtures are in is known, and what SimulatorOptions adds.

/** @typedef {import('../state.mjs').SimState} SimState */

/**
 * @param {SimState} sim
 * @param {string} region
 * @returns {Map<string, string>} subnet number → VPC number
 */
export function subnetsOf(sim, region) {
  const subnets = new Map()
  for (const server of sim.servers.values()) {
    if (server.regionCode === region) subnets.set(server.subnetNo, server.vpcNo)
  }
  for (const seed of sim.subnets) {
    if ((seed.regionCode ?? 'KR') === region) subnets.set(seed.subnetNo, seed.vpcNo)
  }
  return subnets
}

/**
 * @param {SimState} sim
 * @returns {Map<string, string>} access control group number → VPC number
 */
export function groupsOf(sim) {
  const groups = new Map()
  for (const server of sim.servers.values()) {
    for (const no of server.accessControlGroupNos) groups.set(no, server.vpcNo)
  }
  for (const group of sim.accessControlGroups) groups.set(group.no, group.vpcNo)
  return groups
}

/**
 * The network interface of a server (each has one, its default).
 * @param {SimState} sim
 * @param {string} networkInterfaceNo
 * @param {string} region
 */
export function interfaceOf(sim, networkInterfaceNo, region) {
  return [...sim.servers.values()].find(
    server => server.networkInterfaceNo === networkInterfaceNo && server.regionCode === region
  )
}
