import type { NcloudClient } from './client.js'
import { NcloudError } from './errors.js'

export interface ServerRecord {
  no: string
  name: string
  status: string
  operation: string
  statusName: string
  hypervisor?: string
}

/** Raised when the server cannot be imaged as it is; nothing has been created. */
export class ServerError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ServerError'
  }
}

const IMAGEABLE_STATUSES = new Set(['RUN', 'NSTOP'])

export async function readServer(
  client: NcloudClient,
  serverInstanceNo: string
): Promise<ServerRecord> {
  let result
  try {
    result = await client.call('getServerInstanceDetail', { serverInstanceNo })
  } catch (error) {
    const refused =
      error instanceof NcloudError && error.fields.source === 'service' && error.reached === 'yes'
    if (refused) {
      throw new ServerError(
        `Server ${serverInstanceNo} could not be read in region ${client.region}: ${error.summary} ` +
          'Check server-instance-no and region (the server must be a VPC server in that region).'
      )
    }
    throw error
  }
  const list = result.serverInstanceList
  const raw = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined
  if (!raw) {
    throw new ServerError(
      `Server ${serverInstanceNo} was not found in region ${client.region}. Check server-instance-no and region.`
    )
  }
  return {
    no: String(raw.serverInstanceNo ?? serverInstanceNo),
    name: String(raw.serverName ?? ''),
    status: codeOf(raw.serverInstanceStatus) ?? 'UNKNOWN',
    operation: codeOf(raw.serverInstanceOperation) ?? 'NULL',
    statusName: String(raw.serverInstanceStatusName ?? ''),
    hypervisor: codeOf(raw.hypervisorType)
  }
}

/** Why the server cannot be imaged now, or undefined when it is running or stopped and idle. */
export function serverProblem(server: ServerRecord): string | undefined {
  const state = `${server.status}${server.statusName ? ` (${server.statusName})` : ''}`
  if (!IMAGEABLE_STATUSES.has(server.status)) {
    return `Server ${server.no} is ${state}; an image can be made only of a server that is running (RUN) or stopped (NSTOP). Wait until it is, then re-run.`
  }
  if (server.operation !== 'NULL') {
    return `Server ${server.no} is ${state} with the operation ${server.operation} in progress; wait until it finishes, then re-run.`
  }
  return undefined
}

function codeOf(value: unknown): string | undefined {
  const code = (value as { code?: unknown } | undefined)?.code
  return typeof code === 'string' ? code : undefined
}
