import { RunFailure } from '../model/failure.js'
import { NEXT } from '../model/next-steps.js'
import { testServerDescription } from '../model/provenance.js'
import { sourceServerOf } from '../model/source-server.js'
import { testServerName } from '../model/test-server-name.js'
import type { NcloudClient } from '../ncloud/client.js'
import { MEMBER_IMAGE, type ImageKind, type ImageRecord } from '../ncloud/images.js'
import { defaultInterfaceGroups, subnetVpc } from '../ncloud/network.js'
import type { LaunchRequest } from '../ncloud/server-launch.js'
import { readServer, type ServerRecord } from '../ncloud/servers.js'
import type { Settings } from '../model/settings.js'

// What verify-boot's test server is launched with: the source server's spec, login key and
// network, or the subnet and groups the user chose for it.

interface RequestOptions {
  client: NcloudClient
  settings: Pick<Settings, 'verifySubnetNo' | 'verifyAccessControlGroups' | 'workflow'>
  server?: ServerRecord
  kind: ImageKind
  imageName: string
}

/** The source server: as the run read it, or the one the image's record or provenance names. */
export async function sourceOf(
  image: ImageRecord | undefined,
  options: RequestOptions
): Promise<ServerRecord> {
  if (options.server) return options.server
  const no = image && sourceServerOf(image)
  if (!no) {
    throw new RunFailure(
      `verify-boot cannot tell which server image ${image?.no ?? ''} was made from.`,
      'error',
      NEXT.verifyNeedsServer,
      image
    )
  }
  return readServer(options.client, no)
}

/** The launch request: reads the subnet's VPC and the source interface's groups as needed. */
export async function launchRequest(
  image: ImageRecord | undefined,
  source: ServerRecord,
  options: RequestOptions
): Promise<LaunchRequest> {
  const { client, settings } = options
  const facts = source.launch
  const member = options.kind.actions.create === MEMBER_IMAGE.actions.create
  const spec = (member ? facts?.serverProductCode : facts?.serverSpecCode) ?? ''
  const missing = [
    !spec && (member ? 'serverProductCode' : 'serverSpecCode'),
    !facts?.vpcNo && 'vpcNo',
    !facts?.subnetNo && 'subnetNo'
  ].filter(Boolean)
  if (!facts || missing.length > 0) {
    throw new RunFailure(
      `verify-boot: server ${source.no}'s record has no ${missing.join(', ')}, so a server like it cannot be launched.`,
      'error',
      NEXT.checkServer,
      image
    )
  }
  let { vpcNo, subnetNo } = facts
  if (settings.verifySubnetNo) {
    subnetNo = settings.verifySubnetNo
    vpcNo = await subnetVpc(client, subnetNo)
  }
  let groups = [...settings.verifyAccessControlGroups]
  if (groups.length === 0) {
    if (vpcNo !== facts.vpcNo) {
      throw new RunFailure(
        `Input "verify-subnet-no" ${subnetNo} is in VPC ${vpcNo}, not in the source server's VPC ${facts.vpcNo}, whose access control groups it cannot use.`,
        'error',
        NEXT.verifyGroups,
        image
      )
    }
    groups = (await defaultInterfaceGroups(client, facts.networkInterfaceNos)).groups
  }
  const name = image?.name ?? options.imageName
  return {
    image: { kind: member ? 'member' : 'server', no: image?.no ?? '<the new image>' },
    spec,
    vpcNo,
    subnetNo,
    accessControlGroupNos: groups,
    loginKeyName: facts.loginKeyName,
    name: testServerName(name),
    description: testServerDescription({ no: image?.no ?? '', name }, source, settings.workflow)
  }
}
