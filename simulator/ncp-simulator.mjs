// @ts-check
// In-repo simulator of the NCP VPC Server API (/vserver/v2) and the launch configurations of the
// Auto Scaling API (/vautoscaling/v2), for end-to-end tests, the demo and the benchmark. It checks
// signatures with its own code and never imports from src/. This is its public entry; the
// module map is in CONTRIBUTING.md.
//
// Simulated time (image and server state, createDate, the 5-minute signature rule, the request
// log) comes from options.clock, so a test's fake clock drives it; latency and the trickle fault
// wait with options.wait (real timers by default).
import { normalizeFault } from './faults.mjs'
import { listen } from './http.mjs'
import { addImage, imageSummary } from './model/images.mjs'
import { addLaunchConfiguration } from './model/launch-configurations.mjs'
import { serverSummary, setServer } from './model/servers.mjs'
import { createState } from './state.mjs'

export { RETURN_CODES } from './return-codes.mjs'

/** @typedef {import('./types.mjs').Hypervisor} Hypervisor */
/** @typedef {import('./types.mjs').ImageKind} ImageKind */
/** @typedef {import('./types.mjs').ImageStatus} ImageStatus */
/** @typedef {import('./types.mjs').Clock} Clock */
/** @typedef {import('./types.mjs').ServerFixture} ServerFixture */
/** @typedef {import('./types.mjs').ImageSeed} ImageSeed */
/** @typedef {import('./types.mjs').LaunchConfigurationSeed} LaunchConfigurationSeed */
/** @typedef {import('./types.mjs').LaunchConfigurationSummary} LaunchConfigurationSummary */
/** @typedef {import('./types.mjs').SnapshotSummary} SnapshotSummary */
/** @typedef {import('./types.mjs').SimulatorOptions} SimulatorOptions */
/** @typedef {import('./types.mjs').RecordedRequest} RecordedRequest */
/** @typedef {import('./types.mjs').BlockStorageEntry} BlockStorageEntry */
/** @typedef {import('./types.mjs').ImageSummary} ImageSummary */
/** @typedef {import('./types.mjs').ServerSummary} ServerSummary */
/** @typedef {import('./types.mjs').Simulator} Simulator */
/** @typedef {import('./faults.mjs').Fault} Fault */
/** @typedef {import('./faults.mjs').FaultKind} FaultKind */
/** @typedef {import('./paging.mjs').PagingQuirk} PagingQuirk */

/**
 * The CLI preset: credentials sim-access-key/sim-secret-key and servers 1001 (XEN, running),
 * 2001 (KVM, running), 3001 (RHV, stopped), 4001 (XEN, booting).
 * @returns {{ credentials: Record<string, string>, servers: ServerFixture[] }}
 */
export function demoFixture() {
  return {
    credentials: { 'sim-access-key': 'sim-secret-key' },
    servers: [
      { serverInstanceNo: '1001', serverName: 'web-xen-1', hypervisor: 'XEN' },
      { serverInstanceNo: '2001', serverName: 'web-kvm-1', hypervisor: 'KVM' },
      { serverInstanceNo: '3001', serverName: 'db-rhv-1', hypervisor: 'RHV', status: 'NSTOP' },
      {
        serverInstanceNo: '4001',
        serverName: 'web-xen-2',
        hypervisor: 'XEN',
        status: 'NSTOP',
        operation: 'START'
      }
    ]
  }
}

/**
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
export async function startSimulator(options = {}) {
  const sim = createState(options)
  const { url, port, close } = await listen(sim, options)
  return {
    url,
    port,
    requests: sim.requests,
    images: () => sim.images.map(image => imageSummary(image, sim.clock.now())),
    servers: () => [...sim.servers.values()].map(server => serverSummary(server, sim.clock.now())),
    addFault: fault => {
      sim.faults.push(normalizeFault(fault))
    },
    setServer: fixture => setServer(sim, fixture),
    addImage: seed => imageSummary(addImage(sim, seed), sim.clock.now()),
    snapshots: () => sim.snapshots.map(snapshot => ({ ...snapshot })),
    launchConfigurations: () => sim.launchConfigurations.map(config => ({ ...config })),
    addLaunchConfiguration: seed => ({ ...addLaunchConfiguration(sim, seed) }),
    close
  }
}
