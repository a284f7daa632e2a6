import type { NameSeed, NameSource } from './image-name.js'
import type { WorkflowRun } from './provenance.js'

// What the run is asked to do, once every input is read and checked.

export type Hypervisor = 'auto' | 'xen' | 'kvm'
export type IfExists = 'fail' | 'reuse'

export interface Settings {
  readonly accessKey: string
  readonly secretKey: string
  /** Empty when image-instance-no is given without it. */
  readonly serverInstanceNo: string
  /** The server's exact name, instead of its number; empty when not given. */
  readonly serverName: string
  /** An existing image to wait for instead of creating one; empty otherwise. */
  readonly imageInstanceNo: string
  /** image-name with its placeholders replaced; empty when a name is to be generated. */
  readonly imageName: string
  readonly nameSource: NameSource
  /** image-name has {date} or {time}: it may differ between attempts of one workflow run. */
  readonly nameChanges: boolean
  /** What a generated name is made of, with the server's number. */
  readonly nameSeed: Omit<NameSeed, 'serverInstanceNo'>
  readonly imageDescription: string
  readonly region: string
  readonly origin: string
  /** Where the origin came from, for the log. */
  readonly originSource: 'api-url' | 'NCLOUD_API_GW' | 'site'
  readonly hypervisor: Hypervisor
  readonly ifExists: IfExists
  readonly wait: boolean
  readonly waitTimeoutMs: number
  readonly pollIntervalMs: number
  readonly requestTimeoutMs: number
  /** How long the post step may take to finish what the main step left open. */
  readonly postTimeoutMs: number
  readonly dryRun: boolean
  /** Stop a running server for the image, and start it again afterwards. */
  readonly stopServer: boolean
  /** NCP login IDs to share the image with once it is created. */
  readonly shareWith: readonly string[]
  /** Keep this many newest images that match pruneMatch; undefined: no pruning. */
  readonly keepLast?: number
  /** Keep every image that matches pruneMatch made in the last this many days; undefined: no age rule. */
  readonly keepDays?: number
  readonly pruneMatch?: string
  /** Launch a throwaway server from the new image, wait for RUN, remove it; before sharing. */
  readonly verifyBoot: boolean
  /** The test server's subnet instead of the source's; empty: the source's. */
  readonly verifySubnetNo: string
  /** The test server's access control groups instead of the source interface's; []: those. */
  readonly verifyAccessControlGroups: readonly string[]
  readonly verifyTimeoutMs: number
  /** The workflow run, for the provenance description. */
  readonly workflow: WorkflowRun
  /** Things the user should know that are not errors. */
  readonly warnings: readonly string[]
}

/** Every bad input at once, each naming the input, what was wrong and the accepted form. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`
    )
    this.name = 'InputError'
  }
}

/** Whether the settings prune old images (keep-last or keep-days). */
export function prunes(settings: Pick<Settings, 'keepLast' | 'keepDays'>): boolean {
  return settings.keepLast !== undefined || settings.keepDays !== undefined
}
