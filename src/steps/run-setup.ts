import type { RunDeps } from './run-state.js'
import type { Log } from '../lib/log.js'
import type { NameSource } from '../model/image-name.js'
import type { Settings } from '../model/settings.js'
import { NcloudClient } from '../ncloud/client.js'
import { findServerByName, readServer, type ServerRecord } from '../ncloud/servers.js'

// What a run starts from: its client, the server it images, and what will find its image again.

const USER_AGENT = 'ncloud-server-image-action/1'

/**
 * What finds this run's image again: a run-stable generated name, or a changing name ({date},
 * {time}) whose image the provenance description ties to this step of this run, count as 'run'.
 */
export function adviceFor(settings: Settings, provenance: boolean): NameSource {
  if (!settings.nameChanges) return settings.nameSource
  return provenance && settings.workflow.runId ? 'run' : 'time'
}

/** The server named by number or by name, read and logged. */
export async function readKnownServer(
  client: NcloudClient,
  settings: Settings,
  log: Log
): Promise<ServerRecord> {
  let serverInstanceNo = settings.serverInstanceNo
  if (settings.serverName) {
    const found = await findServerByName(client, settings.serverName)
    log.info(`Server "${settings.serverName}" is server ${found.no}.`)
    serverInstanceNo = found.no
  }
  const server = await readServer(client, serverInstanceNo)
  log.info(
    `Server ${server.no} (${server.name || 'no name'}): ${server.status}${server.statusName ? ` (${server.statusName})` : ''}, hypervisor ${server.hypervisor ?? 'not reported'}.`
  )
  return server
}

export function makeClient(settings: Settings, deps: RunDeps): NcloudClient {
  return new NcloudClient({
    origin: settings.origin,
    gatewaySetting: settings.originSource,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    clock: deps.clock,
    retry: deps.retry,
    requestTimeoutMs: settings.requestTimeoutMs,
    signal: deps.signal,
    random: deps.random,
    userAgent: USER_AGENT,
    debug: deps.log.debug,
    onRetry: deps.log.info
  })
}
