import type { NcloudClient } from './client.js'
import { NcloudError } from './errors.js'
import { ServerLookupError } from './server-errors.js'

export interface ServerRecord {
  no: string
  name: string
  status: string
  operation: string
  statusName: string
  hypervisor?: string
  /** What a server launched from its image takes over (ncloud-api-next §3, §5). */
  launch?: LaunchFacts
  /** serverDescription: a test server's description marks the run that launched it. */
  description?: string
}

/** The source server's facts a test server is launched with. */
export interface LaunchFacts {
  vpcNo: string
  subnetNo: string
  networkInterfaceNos: string[]
  loginKeyName: string
  serverSpecCode: string
  serverProductCode: string
}

const IMAGEABLE_STATUSES = new Set(['RUN', 'NSTOP'])
/**
 * NCP's server statuses (INIT, CREAT, RUN, NSTOP, TERMT, FSTOP, SD_FL, RS_FL, ST_FL): a new server
 * is INIT or CREAT on its way to RUN. Any other status with no operation under way (stopped,
 * terminated, a failed start or restart) will not become RUN by itself; neither will a server
 * being terminated.
 */
const BOOTING_STATUSES = new Set(['INIT', 'CREAT'])
const ENDING_OPERATIONS = new Set(['TERMT'])

/** Where a newly launched server is: running, still on its way, or not going to run. */
export function bootProgress(server: ServerRecord): 'running' | 'booting' | 'not-running' {
  if (ENDING_OPERATIONS.has(server.operation)) return 'not-running'
  if (server.status === 'RUN' && server.operation === 'NULL') return 'running'
  if (BOOTING_STATUSES.has(server.status) || server.operation !== 'NULL') return 'booting'
  return 'not-running'
}

export async function readServer(
  client: NcloudClient,
  serverInstanceNo: string
): Promise<ServerRecord> {
  let result
  try {
    result = await client.read('getServerInstanceDetail', { serverInstanceNo })
  } catch (error) {
    const refused =
      error instanceof NcloudError && error.fields.source === 'service' && error.reached === 'yes'
    if (refused) {
      throw new ServerLookupError(
        `Server ${serverInstanceNo} could not be read in region ${client.region}: ${error.summary}`,
        'number'
      )
    }
    throw error
  }
  const list = result.serverInstanceList
  const raw = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined
  if (!raw) {
    throw new ServerLookupError(
      `Server ${serverInstanceNo} was not found in region ${client.region}.`,
      'number'
    )
  }
  return toServerRecord(raw, serverInstanceNo)
}

/**
 * A server's record by number, for a server that may be gone. A failed read (an answer with no
 * rows, a refusal) proves nothing on its own: a complete listing (every page, checked) settles it.
 * Undefined only when that listing no longer lists the number.
 */
export async function readOrList(
  client: NcloudClient,
  serverInstanceNo: string,
  endBy?: number
): Promise<ServerRecord | undefined> {
  try {
    return await readServer(client, serverInstanceNo)
  } catch (error) {
    if (!(error instanceof ServerLookupError)) throw error
    return (await listServers(client, endBy)).find(server => server.no === serverInstanceNo)
  }
}

/**
 * The one server of this exact name in the region that is not terminated: NCP's name filter is
 * not documented as exact, and a terminated server keeps its name for a while.
 */
export async function findServerByName(client: NcloudClient, name: string): Promise<ServerRecord> {
  const rows = await client.readAllPages(
    'getServerInstanceList',
    { serverName: name },
    'serverInstanceList',
    'serverInstanceNo'
  )
  const servers = rows
    .filter(row => typeof row === 'object' && row !== null)
    .map(row => toServerRecord(row as Record<string, unknown>, ''))
  const matching = servers.filter(server => server.name === name && server.status !== 'TERMT')
  if (matching.length === 1) return matching[0]
  const listed = (list: ServerRecord[]): string =>
    list.map(server => `${server.no} (${server.status})`).join(', ')
  if (matching.length === 0) {
    const terminated = servers.filter(server => server.name === name)
    throw new ServerLookupError(
      `No server named "${name}" that is not terminated exists in region ${client.region}${terminated.length > 0 ? `; terminated: ${listed(terminated)}` : ''}.`,
      'name'
    )
  }
  throw new ServerLookupError(
    `${matching.length} servers are named "${name}" in region ${client.region}: ${listed(matching)}.`,
    'unique-name'
  )
}

function toServerRecord(raw: Record<string, unknown>, fallbackNo: string): ServerRecord {
  return {
    no: text(raw.serverInstanceNo) || fallbackNo,
    name: text(raw.serverName),
    status: codeOf(raw.serverInstanceStatus) ?? 'UNKNOWN',
    operation: codeOf(raw.serverInstanceOperation) ?? 'NULL',
    statusName: text(raw.serverInstanceStatusName),
    hypervisor: codeOf(raw.hypervisorType),
    launch: {
      vpcNo: text(raw.vpcNo),
      subnetNo: text(raw.subnetNo),
      networkInterfaceNos: Array.isArray(raw.networkInterfaceNoList)
        ? raw.networkInterfaceNoList
            .map(no => text(no))
            .filter(Boolean)
            .slice(0, 10)
        : [],
      loginKeyName: text(raw.loginKeyName),
      serverSpecCode: text(raw.serverSpecCode),
      serverProductCode: text(raw.serverProductCode)
    },
    description: text(raw.serverDescription, 2000)
  }
}

/** Every server of the region (all pages, checked against totalRows). */
export async function listServers(client: NcloudClient, endBy?: number): Promise<ServerRecord[]> {
  const rows = await client.readAllPages(
    'getServerInstanceList',
    {},
    'serverInstanceList',
    'serverInstanceNo',
    endBy
  )
  return rows
    .filter(row => typeof row === 'object' && row !== null)
    .map(row => toServerRecord(row as Record<string, unknown>, ''))
}

/** Why the server cannot be imaged now, or undefined when it is running or stopped and idle. */
export function serverProblem(server: ServerRecord): string | undefined {
  const state = `${server.status}${server.statusName ? ` (${server.statusName})` : ''}`
  if (!IMAGEABLE_STATUSES.has(server.status)) {
    return `Server ${server.no} is ${state}; an image can be made only of a server that is running (RUN) or stopped (NSTOP).`
  }
  if (server.operation !== 'NULL') {
    return `Server ${server.no} is ${state} with the operation ${server.operation} in progress.`
  }
  return undefined
}

function text(value: unknown, max = 300): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : ''
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code.slice(0, 100) : undefined
}
