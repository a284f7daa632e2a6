import type { ApiResult } from '../../src/ncloud/client.js'

/** A server's state as a fake read gives it: [status, operation]. */
export type ServerState = [status: string, operation: string]

/** getServerInstanceDetail's answer for server `no` (named web-1) in `state`. */
export function serverAnswer(no: unknown, [status, operation]: ServerState): ApiResult {
  return {
    serverInstanceList: [
      {
        serverInstanceNo: no,
        serverName: 'web-1',
        serverInstanceStatus: { code: status },
        serverInstanceOperation: { code: operation }
      }
    ]
  }
}
