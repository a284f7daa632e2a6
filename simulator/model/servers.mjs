// @ts-check
// Servers: fixtures, and their state as a function of time (a stop or start under way).

const SERVER_STATUS_NAMES = {
  INIT: 'init',
  CREAT: 'creating',
  RUN: 'running',
  NSTOP: 'stopped',
  FSTOP: 'stopped',
  TERMT: 'terminated'
}
const SERVER_OPERATION_NAMES = {
  START: 'booting',
  SHTDN: 'shutting down',
  RESTA: 'rebooting',
  TERMT: 'terminating',
  COPY: 'copying',
  SETUP: 'setting up',
  CHNG: 'changingSpec'
}

/**
 * A stop or start under way, in clock time: the old state until `at`, then the operation until
 * `until`, then the new status.
 * @typedef {{ from: string, operation: string, to: string, at: number, until: number }} Transition
 */
/**
 * @typedef {Omit<import('../types.mjs').ServerFixture, 'serverName' | 'regionCode' | 'zoneCode' | 'hypervisor' | 'status' | 'operation'
 *     | 'vpcNo' | 'subnetNo' | 'networkInterfaceNo' | 'accessControlGroupNos' | 'loginKeyName' | 'serverSpecCode' | 'serverProductCode' | 'serverDescription'>
 *   & { serverName: string, regionCode: string, zoneCode: string, hypervisor: import('../types.mjs').Hypervisor,
 *       status: string, operation: string, transition: Transition | undefined,
 *       vpcNo: string, subnetNo: string, networkInterfaceNo: string, accessControlGroupNos: string[],
 *       loginKeyName: string, serverSpecCode: string, serverProductCode: string, serverDescription: string }} Server
 */

/**
 * @param {import("../state.mjs").SimState} sim
 * @param {import('../types.mjs').ServerFixture} fixture
 */
export function setServer(sim, fixture) {
  const regionCode = fixture.regionCode ?? 'KR'
  sim.servers.set(String(fixture.serverInstanceNo), {
    serverInstanceNo: String(fixture.serverInstanceNo),
    serverName: fixture.serverName ?? `server-${fixture.serverInstanceNo}`,
    regionCode,
    zoneCode: fixture.zoneCode ?? `${regionCode}-1`,
    hypervisor: fixture.hypervisor ?? 'XEN',
    status: fixture.status ?? 'RUN',
    operation: fixture.operation ?? 'NULL',
    // Only a fixture's own statusName; otherwise it is derived from the state.
    statusName: fixture.statusName,
    transition: undefined,
    createMs: fixture.createMs,
    failImage: fixture.failImage,
    imageFinalStatus: fixture.imageFinalStatus,
    stopMs: fixture.stopMs,
    stopLagMs: fixture.stopLagMs,
    startMs: fixture.startMs,
    refuseStartWhileImaging: fixture.refuseStartWhileImaging,
    failStart: fixture.failStart,
    memberServerImageInstanceNo: fixture.memberServerImageInstanceNo,
    serverImageNo: fixture.serverImageNo,
    vpcNo: fixture.vpcNo ?? '7001',
    subnetNo: fixture.subnetNo ?? '8001',
    networkInterfaceNo: fixture.networkInterfaceNo ?? `6${fixture.serverInstanceNo}`,
    accessControlGroupNos: fixture.accessControlGroupNos ?? ['9001'],
    loginKeyName: fixture.loginKeyName ?? 'sim-key',
    serverSpecCode: fixture.serverSpecCode ?? (fixture.hypervisor === 'KVM' ? 's2-g3' : ''),
    serverProductCode:
      fixture.serverProductCode ??
      (fixture.hypervisor === 'KVM' ? '' : 'SVR.VSVR.STAND.C002.M004.NET.SSD.B050.G002'),
    serverDescription: fixture.serverDescription ?? ''
  })
}

/**
 * Server state is a function of time, like image state: a stop or start shows its operation
 * until it is due, then the new status with operation NULL.
 * @param {Server} server
 * @param {number} now
 */
export function serverState(server, now) {
  const t = server.transition
  const [status, operation] = !t
    ? [server.status, server.operation]
    : now < t.at
      ? [t.from, 'NULL']
      : now < t.until
        ? [t.from, t.operation]
        : [t.to, 'NULL']
  const statusName =
    (t ? undefined : server.statusName) ??
    lookUp(SERVER_OPERATION_NAMES, operation) ??
    lookUp(SERVER_STATUS_NAMES, status) ??
    status.toLowerCase()
  return { status, operation, statusName }
}

/**
 * @param {Record<string, string>} names
 * @param {string} code
 */
function lookUp(names, code) {
  return Object.hasOwn(names, code) ? names[code] : undefined
}

/**
 * @param {Server} server
 * @param {number} now
 * @param {string} operation
 * @param {string} to
 * @param {number} ms
 * @param {number} [lagMs] How long the request waits before it takes effect.
 */
export function beginTransition(server, now, operation, to, ms, lagMs = 0) {
  const { status } = serverState(server, now)
  server.status = status
  server.operation = 'NULL'
  server.transition = { from: status, operation, to, at: now + lagMs, until: now + lagMs + ms }
}

/**
 * @param {Server} server
 * @param {number} now
 * @returns {import('../types.mjs').ServerSummary}
 */
export function serverSummary(server, now) {
  const { serverInstanceNo, serverName, regionCode, hypervisor } = server
  return { serverInstanceNo, serverName, regionCode, hypervisor, ...serverState(server, now) }
}

/** @param {Server | undefined} server */
export function productCodeOf(server) {
  return server?.hypervisor === 'KVM' ? '' : 'SW.VSVR.OS.LNX64.ROCKY.0810.B050'
}
