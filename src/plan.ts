import { RunFailure } from './failure.js'
import { nameProblem, type NameRule } from './image-name.js'
import { imageNameMessage, type Settings } from './inputs.js'
import { SERVER_API_PATH } from './ncloud/endpoints.js'
import { selectImageKind, type CreateRequest, type ImageKind } from './ncloud/images.js'
import { serverProblem, type ServerRecord } from './ncloud/servers.js'
import { NEXT } from './next-steps.js'

export interface Plan {
  kind: ImageKind
  request: CreateRequest
  nameRule: NameRule
  /** What the run is about to do, for the log. */
  lines: string[]
}

/** From the settings and the server, what to create and how; or the failure that says why not. Pure. */
export function planImage(settings: Settings, server: ServerRecord): Plan | RunFailure {
  const problem = serverProblem(server)
  if (problem) return new RunFailure(problem, 'error', NEXT.serverBusy)
  const selected = selectImageKind(settings.hypervisor, server.hypervisor)
  if ('problem' in selected) {
    return new RunFailure(`Input "hypervisor" ${selected.problem}`, 'error', NEXT.fixInputs)
  }
  const { kind } = selected
  const nameRule = kind.nameRule
  const broken = nameProblem(settings.imageName, nameRule)
  if (broken) {
    return new RunFailure(
      imageNameMessage(settings.imageName, broken, nameRule),
      'error',
      NEXT.fixInputs
    )
  }
  const request: CreateRequest = {
    serverInstanceNo: server.no,
    name: settings.imageName,
    description: settings.imageDescription
  }
  const lines = [
    `${settings.dryRun ? 'Dry run: would create' : 'Plan: create'} a ${kind.label} with ${kind.actions.create}:`,
    `  server:      ${describeServer(server)}`,
    `  name:        ${request.name}${settings.imageNameGenerated ? ' (generated; set image-name to choose one)' : ''}`,
    `  description: ${request.description ? JSON.stringify(request.description) : '(none)'}`,
    `  region:      ${settings.region}`,
    `  endpoint:    POST ${settings.origin}${SERVER_API_PATH}/${kind.actions.create}`,
    `  disks:       the server's disks as they are (no storage list is sent)`,
    `  if-exists:   ${settings.ifExists}`
  ]
  return { kind, request, nameRule, lines }
}

export function describeServer(server: ServerRecord): string {
  return `${server.no} (${server.name || 'no name'}), ${server.status}, hypervisor ${server.hypervisor ?? 'not reported'}`
}
