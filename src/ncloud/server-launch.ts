import type { NcloudClient, Params } from './client.js'
import { contentError } from './errors.js'

// Launching a server from an image, and terminating it (ncloud-api-next §5).

/** What a test server is launched with: everything createServerInstances is sent. */
export interface LaunchRequest {
  /** A member image (XEN/RHV) goes with serverProductCode, a server image with serverSpecCode. */
  image: { kind: 'member' | 'server'; no: string }
  /** serverProductCode (member image) or serverSpecCode (server image), from the source. */
  spec: string
  vpcNo: string
  subnetNo: string
  accessControlGroupNos: readonly string[]
  /** The source's login key; empty: NCP picks the most recent key. */
  loginKeyName: string
  name: string
  description: string
}

/** createServerInstances' parameters, in the order NCP's SDK writes them. */
export function launchParams(request: LaunchRequest): Params {
  const member = request.image.kind === 'member'
  const params: Params = member
    ? { memberServerImageInstanceNo: request.image.no, serverProductCode: request.spec }
    : { serverImageNo: request.image.no, serverSpecCode: request.spec }
  Object.assign(params, {
    vpcNo: request.vpcNo,
    subnetNo: request.subnetNo,
    // An order of 0 is sent as 0, never dropped as empty.
    'networkInterfaceList.1.networkInterfaceOrder': '0'
  })
  request.accessControlGroupNos.forEach((no, index) => {
    params[`networkInterfaceList.1.accessControlGroupNoList.${index + 1}`] = no
  })
  if (request.spec === '') delete params[member ? 'serverProductCode' : 'serverSpecCode']
  if (request.loginKeyName) params.loginKeyName = request.loginKeyName
  Object.assign(params, {
    serverName: request.name,
    serverDescription: request.description,
    isProtectServerTermination: 'false',
    associateWithPublicIp: 'false',
    serverCreateCount: '1'
  })
  return params
}

/** Sends the launch once (never repeated: a second would be a second server); its number. */
export async function launchServer(client: NcloudClient, params: Params): Promise<string> {
  const result = await client.sendOnce('createServerInstances', params)
  const row: unknown = Array.isArray(result.serverInstanceList)
    ? result.serverInstanceList[0]
    : undefined
  const no = (row as { serverInstanceNo?: unknown } | undefined)?.serverInstanceNo
  if (typeof no === 'string' || typeof no === 'number') {
    if (/^\d{1,20}$/.test(String(no))) return String(no)
  }
  throw contentError(
    'createServerInstances',
    'the success answer names no server number',
    client.gatewaySetting
  )
}

/** One stop request for the server. */
export async function sendStop(client: NcloudClient, serverInstanceNo: string): Promise<void> {
  await client.sendOnce('stopServerInstances', { 'serverInstanceNoList.1': serverInstanceNo })
}

/** One terminate request: NCP terminates only a stopped server. */
export async function sendTerminate(client: NcloudClient, serverInstanceNo: string): Promise<void> {
  await client.sendOnce('terminateServerInstances', {
    'serverInstanceNoList.1': serverInstanceNo
  })
}
