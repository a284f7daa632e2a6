import type { FirstLook } from './name-lookup.js'
import { formatDuration } from '../lib/duration.js'
import { RunFailure } from '../model/failure.js'
import { generateImageName } from '../model/image-name.js'
import { nameProblem, type NameRule } from '../ncloud/name-rules.js'
import { type Settings } from '../model/settings.js'
import { imageNameMessage } from '../model/image-name.js'
import { SERVER_API_PATH } from '../ncloud/endpoints.js'
import {
  IMAGE_KINDS,
  MEMBER_IMAGE,
  SERVER_IMAGE,
  type CreateRequest,
  type ImageKind,
  type ImageRecord
} from '../ncloud/images.js'
import { serverProblem, type ServerRecord } from '../ncloud/servers.js'
import { NEXT } from '../model/next-steps.js'
import { provenanceDescription } from '../model/provenance.js'
import { STOP_TIMEOUT_MS } from './timing.js'

export interface Plan {
  kind: ImageKind
  /** Why this image API: the hypervisor input and the server's hypervisor. */
  why: string
  request: CreateRequest
  nameRule: NameRule
  /** The description is the action's provenance, not the user's. */
  writesProvenance: boolean
}

/** From the settings and the server, what to create and how; or the failure that says why not. Pure. */
export function planImage(settings: Settings, server: ServerRecord): Plan | RunFailure {
  const problem = serverProblem(server)
  if (problem) return new RunFailure(problem, 'error', NEXT.serverBusy)
  const choice = chooseKind(settings, server)
  if (choice instanceof RunFailure) return choice
  const { kind, why } = choice
  const nameRule = kind.nameRule
  const name =
    settings.imageName ||
    generateImageName({ ...settings.nameSeed, serverInstanceNo: server.no }).name
  const broken = nameProblem(name, nameRule)
  if (broken) {
    return new RunFailure(imageNameMessage(name, broken, nameRule), 'error', NEXT.fixInputs)
  }
  const writesProvenance = settings.imageDescription === ''
  const request: CreateRequest = {
    serverInstanceNo: server.no,
    name,
    description: writesProvenance
      ? provenanceDescription(server, settings.workflow)
      : settings.imageDescription
  }
  return { kind, why, request, nameRule, writesProvenance }
}

/** The image kind for the server and the hypervisor input, or the failure that says they do not fit. */
export function kindForServer(settings: Settings, server: ServerRecord): ImageKind | RunFailure {
  const choice = chooseKind(settings, server)
  return choice instanceof RunFailure ? choice : choice.kind
}

function chooseKind(
  settings: Settings,
  server: ServerRecord
): { kind: ImageKind; why: string } | RunFailure {
  const selected = selectImageKind(settings.hypervisor, server.hypervisor)
  if ('problem' in selected) {
    return new RunFailure(`Input "hypervisor" ${selected.problem}`, 'error', NEXT.fixInputs)
  }
  return selected
}

/** The image kind for a server and why, or why the requested one does not fit. */
export type KindChoice = { kind: ImageKind; why: string } | { problem: string }

/** Picks the image kind for a server, or explains why the requested one does not fit. */
export function selectImageKind(
  requested: 'auto' | 'xen' | 'kvm',
  hypervisor: string | undefined
): KindChoice {
  const actual = hypervisor?.toUpperCase()
  const server = actual
    ? `the server's hypervisor is ${actual}`
    : "NCP does not report the server's hypervisor"
  const fitting =
    IMAGE_KINDS.find(kind => actual && kind.hypervisors.includes(actual)) ?? MEMBER_IMAGE
  if (requested === 'auto') return { kind: fitting, why: `hypervisor: auto, and ${server}` }
  const wanted = requested === 'kvm' ? SERVER_IMAGE : MEMBER_IMAGE
  if (actual === undefined || wanted === fitting) {
    return { kind: wanted, why: `hypervisor: ${requested}, and ${server}` }
  }
  if (wanted.onRequest.includes(actual)) {
    return {
      kind: wanted,
      why:
        `hypervisor: ${requested} asks for it on this ${actual} server (auto would use ` +
        `${fitting.actions.create}); NCP documents ${wanted.actions.create} images for ` +
        `${[...wanted.hypervisors, ...wanted.onRequest].join(', ')} servers`
    }
  }
  const instead = fitting === SERVER_IMAGE ? 'kvm' : 'xen'
  return {
    problem:
      `is "${requested}", but ${server}: ${wanted.actions.create} ` +
      `does not image ${actual} servers. Use hypervisor: ${instead} (or auto).`
  }
}

/** What the run is about to do, once the first look by name has shown whether the name is taken. Pure. */
export function planLines(
  plan: Plan,
  settings: Settings,
  server: ServerRecord,
  first: FirstLook
): string[] {
  const { kind, request } = plan
  const would = settings.dryRun ? 'Dry run: would' : 'Plan:'
  const hypervisor = server.hypervisor?.toUpperCase()
  const what =
    hypervisor && kind.onRequest.includes(hypervisor)
      ? `an image of this ${hypervisor} server`
      : `a ${kind.label}`
  const headline = first.use
    ? `${would} use ${describeImage(first.use)}, ${first.origin === 'resumed' ? "this workflow run's earlier attempt" : 'which already has the name (if-exists: reuse)'}; no image is created:`
    : `${would} create ${what} with ${kind.actions.create}:`
  const names = {
    given: '',
    run: ' (generated, the same on every attempt of this workflow run; set image-name to choose one)',
    time: ' (generated; set image-name to choose one)'
  }
  const lines = [
    headline,
    `  server:      ${describeServer(server)}`,
    `  name:        ${request.name}${names[settings.nameSource]}`
  ]
  if (!first.use) {
    lines.push(
      `  description: ${JSON.stringify(request.description)}${plan.writesProvenance ? ' (provenance, since image-description is empty)' : ''}`,
      `  endpoint:    POST ${settings.origin}${SERVER_API_PATH}/${kind.actions.create}`,
      `  image API:   ${kind.actions.create}, since ${plan.why}`,
      `  disks:       the server's disks as they are (no storage list is sent)`
    )
  }
  lines.push(
    `  region:      ${settings.region}`,
    `  if-exists:   ${settings.ifExists}`,
    `  wait:        ${settings.wait ? `up to ${formatDuration(settings.waitTimeoutMs)}` : 'no'}`
  )
  if (settings.stopServer && !first.use) {
    lines.push(
      server.status === 'RUN'
        ? `  stop-server: stop the server first (waiting up to ${formatDuration(STOP_TIMEOUT_MS)} for NSTOP), start it again once the image is made; it is down the whole time`
        : `  stop-server: the server is already ${server.status}: imaged as it is, left stopped`
    )
  }
  return lines
}

/** What a run that resumes an image by number is about to do. Pure. */
export function resumeLines(settings: Settings, kind: ImageKind, image: ImageRecord): string[] {
  const would = settings.dryRun ? 'Dry run: would wait for' : 'Plan: wait for'
  return [
    `${would} ${describeImage(image)} (image-instance-no), a ${kind.label}; no image is created:`,
    `  region:      ${settings.region}`,
    `  wait:        ${settings.wait ? `up to ${formatDuration(settings.waitTimeoutMs)}` : 'no'}`
  ]
}

function describeServer(server: ServerRecord): string {
  return `${server.no} (${server.name || 'no name'}), ${server.status}, hypervisor ${server.hypervisor ?? 'not reported'}`
}

function describeImage(image: ImageRecord): string {
  return `image ${image.no} ("${image.name}", ${image.status || 'no status'})`
}
