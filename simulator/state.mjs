// @ts-check
// The simulator's state: its settings, and the servers, images, snapshots and launch
// configurations it holds. Simulated time is options.clock, so a test's fake clock drives it.
/* global structuredClone */
import { normalizeQuirk } from './paging.mjs'
import { addImage, FIRST_IMAGE_NO } from './model/images.mjs'
import {
  addLaunchConfiguration,
  FIRST_LAUNCH_CONFIGURATION_NO
} from './model/launch-configurations.mjs'
import { setServer } from './model/servers.mjs'
import { FIRST_SNAPSHOT_NO } from './model/snapshots.mjs'

// pageSize is documented as 1-1000 (ncloud-api-audit §3.5, §4.4).
const MAX_PAGE_SIZE = 1000

/** @typedef {import('./types.mjs').SimulatorOptions} SimulatorOptions */

/**
 * @typedef {object} SimState
 * @property {Record<string, string>} credentials
 * @property {import('./types.mjs').Clock} clock
 * @property {number} createMs
 * @property {boolean} failImages
 * @property {string | null | undefined} imageFinalStatus
 * @property {boolean} uniqueNames
 * @property {number} maxPageSize
 * @property {string[] | undefined} knownLoginIds
 * @property {number} stopMs
 * @property {number} stopLagMs
 * @property {number} startMs
 * @property {boolean} refuseStartWhileImaging
 * @property {boolean} kvmOnlyServerImages
 * @property {boolean} failStart
 * @property {number} listLagMs
 * @property {boolean | string[]} permissionDenied
 * @property {string[]} deniedActions
 * @property {ReturnType<typeof import('./paging.mjs').normalizeQuirk>} pagingQuirk
 * @property {number} clockSkewMs
 * @property {number} latencyMs
 * @property {((ms: number) => Promise<void>) | undefined} wait
 * @property {((request: import('./types.mjs').RecordedRequest) => void) | undefined} onRequest
 * @property {Map<string, import('./model/servers.mjs').Server>} servers
 * @property {import('./model/images.mjs').Image[]} images
 * @property {number} nextImageNo
 * @property {import('./types.mjs').SnapshotSummary[]} snapshots
 * @property {number} nextSnapshotNo
 * @property {import('./types.mjs').LaunchConfigurationSummary[]} launchConfigurations
 * @property {number} nextLaunchConfigurationNo
 * @property {import('./faults.mjs').NormalizedFault[]} faults
 * @property {import('./types.mjs').RecordedRequest[]} requests
 * @property {Set<NodeJS.Timeout>} timers Real timers (latency, trickle) that close() clears.
 * @property {boolean} closed
 * @property {import('./types.mjs').SubnetSeed[]} subnets
 * @property {{ no: string, vpcNo: string }[]} accessControlGroups
 * @property {number} bootMs
 * @property {number} terminateMs
 * @property {'refuse' | 'never-run' | 'fail' | undefined} launchFault
 * @property {number} refuseTerminate
 * @property {number} nextServerNo
 */

/** @param {SimulatorOptions} options */
export function createState(options) {
  /** @type {SimState} */
  const sim = {
    credentials: options.credentials ?? { 'sim-access-key': 'sim-secret-key' },
    clock: options.clock ?? { now: Date.now },
    createMs: options.createMs ?? 1000,
    failImages: options.failImages ?? false,
    imageFinalStatus: options.imageFinalStatus,
    uniqueNames: options.uniqueNames ?? true,
    maxPageSize: options.maxPageSize ?? MAX_PAGE_SIZE,
    knownLoginIds: options.knownLoginIds,
    stopMs: options.stopMs ?? 1000,
    stopLagMs: options.stopLagMs ?? 0,
    startMs: options.startMs ?? 1000,
    refuseStartWhileImaging: options.refuseStartWhileImaging ?? false,
    kvmOnlyServerImages: options.kvmOnlyServerImages ?? false,
    failStart: options.failStart ?? false,
    listLagMs: options.listLagMs ?? 0,
    permissionDenied: options.permissionDenied ?? false,
    deniedActions: options.deniedActions ?? [],
    pagingQuirk: normalizeQuirk(options.pagingQuirk),
    clockSkewMs: options.clockSkewMs ?? 0,
    latencyMs: options.latencyMs ?? 0,
    wait: options.wait,
    onRequest: options.onRequest,
    servers: new Map(),
    images: [],
    nextImageNo: FIRST_IMAGE_NO,
    snapshots: [],
    nextSnapshotNo: FIRST_SNAPSHOT_NO,
    launchConfigurations: [],
    nextLaunchConfigurationNo: FIRST_LAUNCH_CONFIGURATION_NO,
    faults: [],
    requests: [],
    timers: new Set(),
    closed: false,
    subnets: options.subnets ?? [],
    accessControlGroups: options.accessControlGroups ?? [],
    bootMs: options.bootMs ?? 2000,
    terminateMs: options.terminateMs ?? 1000,
    launchFault: options.launchFault,
    refuseTerminate: options.refuseTerminate ?? 0,
    nextServerNo: 3000001
  }
  for (const fixture of options.servers ?? []) setServer(sim, fixture)
  for (const seed of options.images ?? []) addImage(sim, seed)
  for (const seed of options.launchConfigurations ?? []) addLaunchConfiguration(sim, seed)
  return sim
}

/**
 * Runs an action and then puts the state back as it was.
 * @template T
 * @param {SimState} sim
 * @param {() => T} run
 * @returns {T}
 */
export function withoutEffects(sim, run) {
  const saved = structuredClone({
    servers: sim.servers,
    nextServerNo: sim.nextServerNo,
    images: sim.images,
    nextImageNo: sim.nextImageNo,
    snapshots: sim.snapshots,
    nextSnapshotNo: sim.nextSnapshotNo
  })
  try {
    return run()
  } finally {
    Object.assign(sim, saved)
  }
}
