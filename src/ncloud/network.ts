import type { NcloudClient } from './client.js'
import { contentError } from './errors.js'
import { VPC_API_PATH } from './endpoints.js'

// The network a test server is launched into: the source's interface groups, a subnet's VPC.

/**
 * The access control groups of the server's default network interface (the first interface
 * NCP marks as default, else the first one read).
 */
export async function defaultInterfaceGroups(
  client: NcloudClient,
  networkInterfaceNos: readonly string[]
): Promise<{ networkInterfaceNo: string; groups: string[] }> {
  let first: { networkInterfaceNo: string; groups: string[] } | undefined
  for (const networkInterfaceNo of networkInterfaceNos) {
    const result = await client.read('getNetworkInterfaceDetail', { networkInterfaceNo })
    const row = firstRow(result.networkInterfaceList)
    if (!row) continue
    const groups = Array.isArray(row.accessControlGroupNoList)
      ? row.accessControlGroupNoList.map(digits).filter(Boolean).slice(0, 10)
      : []
    const found = { networkInterfaceNo, groups }
    if (row.isDefault === true || row.isDefault === 'true') return found
    first ??= found
  }
  if (first) return first
  throw contentError(
    'getNetworkInterfaceDetail',
    "the source server's network interfaces could not be read",
    client.gatewaySetting
  )
}

/** The VPC a subnet belongs to (getSubnetDetail on the VPC API). */
export async function subnetVpc(client: NcloudClient, subnetNo: string): Promise<string> {
  const result = await client.forApi(VPC_API_PATH).read('getSubnetDetail', { subnetNo })
  const vpcNo = digits(firstRow(result.subnetList)?.vpcNo)
  if (!vpcNo) {
    throw contentError(
      'getSubnetDetail',
      `subnet ${subnetNo} was not found in the region, or its answer names no VPC`,
      client.gatewaySetting
    )
  }
  return vpcNo
}

function firstRow(list: unknown): Record<string, unknown> | undefined {
  const row: unknown = Array.isArray(list) ? list[0] : undefined
  return typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : undefined
}

function digits(value: unknown): string {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  return /^\d{1,20}$/.test(text) ? text : ''
}
