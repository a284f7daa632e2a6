import * as core from '@actions/core'
import { CancelledError } from './cancel.js'
import type { Clock } from './clock.js'
import {
  CONFIRM_DELAYS_MS,
  checkExisting,
  ensureImage,
  warnOfDuplicates,
  type CreateProgress,
  type EnsureResult,
  type Provenance
} from './create-image.js'
import { formatDuration } from './duration.js'
import { nameProblem } from './image-name.js'
import { InputError, imageNameMessage, type Settings } from './inputs.js'
import { NcloudClient } from './ncloud/client.js'
import { SERVER_API_PATH } from './ncloud/endpoints.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import {
  ImageApi,
  selectImageKind,
  type CreateRequest,
  type ImageKind,
  type ImageRecord
} from './ncloud/images.js'
import { ServerError, readServer, serverProblem, type ServerRecord } from './ncloud/servers.js'
import { setHypervisorOutput, setImageOutputs } from './outputs.js'
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js'
import type { Outcome, RunReport } from './summary.js'
import { imageOutcome, waitForImage, type WaitResult } from './wait.js'

const USER_AGENT = 'ncloud-server-image-action/1'
const REQUEST_TIMEOUT_MS = 30_000
/** A cancelled run gets a few seconds from the runner; the look for a lost image must fit in them. */
const CANCEL_LOOKUP_TIMEOUT_MS = 3_000

const PROVENANCE: Record<Provenance, string> = {
  created: 'created by this run',
  adopted: 'created by this run (the reply was lost; found by name)',
  reused: 'already existed (if-exists: reuse)'
}

interface ClientTuning {
  retry: RetryPolicy
  requestTimeoutMs: number
  signal: AbortSignal
}

/** A failure that already knows how the run ended and what the user can do. */
export class RunFailure extends Error {
  constructor(
    message: string,
    readonly outcome: Outcome,
    readonly nextStep: string
  ) {
    super(message)
    this.name = 'RunFailure'
  }
}

/** One run's steps: read the server, pick the image kind, create or find the image, wait. */
export class ImageRun {
  constructor(
    private readonly settings: Settings,
    private readonly client: NcloudClient,
    private readonly report: RunReport,
    private readonly clock: Clock,
    private readonly signal: AbortSignal
  ) {}

  async execute(): Promise<void> {
    const { settings } = this
    core.info(
      `NCP API ${settings.origin} (from ${settings.originSource}), region ${settings.region}.`
    )
    const server = await readServer(this.client, settings.serverInstanceNo)
    this.report.serverName = server.name
    core.info(
      `Server ${server.no} (${server.name || 'no name'}): ${server.status}${server.statusName ? ` (${server.statusName})` : ''}, hypervisor ${server.hypervisor ?? 'not reported'}.`
    )
    const problem = serverProblem(server)
    if (problem) throw new ServerError(problem)
    const kind = this.imageKind(server)
    Object.assign(this.report, {
      hypervisor: server.hypervisor ?? 'not reported',
      api: kind.actions.create
    })
    if (server.hypervisor) setHypervisorOutput(server.hypervisor)

    const api = new ImageApi(this.client, kind)
    const request: CreateRequest = {
      serverInstanceNo: server.no,
      name: settings.imageName,
      description: settings.imageDescription
    }
    this.logPlan(kind, server, request)
    if (settings.dryRun) return this.dryRun(api, request)

    const { image, resentAfterLostReply } = await this.createOrFind(api, request)
    try {
      if (!settings.wait || imageOutcome(image.status) !== 'pending') {
        return this.finish(image, false)
      }
      const result = await this.waitFor(api, image)
      this.finish(result.image, result.state === 'timed-out')
    } finally {
      if (resentAfterLostReply) await this.nameEveryImage(api, image)
    }
  }

  /** After a resend, the image a lost reply made may show up late: name every image of the name. */
  private async nameEveryImage(api: ImageApi, image: ImageRecord): Promise<void> {
    try {
      warnOfDuplicates(await api.findAllByName(image.name), image, { warn: core.warning })
    } catch (error) {
      core.warning(
        `Could not check for other images named "${image.name}" (${describeError(error)}); a create whose reply was lost may have made one.`
      )
    }
  }

  private async waitFor(api: ImageApi, image: ImageRecord): Promise<WaitResult<ImageRecord>> {
    const { settings } = this
    core.info(
      `Waiting up to ${formatDuration(settings.waitTimeoutMs)} for image ${image.no}, checking every ${formatDuration(settings.pollIntervalMs)}.`
    )
    try {
      return await waitForImage(() => api.get(image.no), image, {
        timeoutMs: settings.waitTimeoutMs,
        intervalMs: settings.pollIntervalMs,
        clock: this.clock,
        signal: this.signal,
        info: core.info,
        warn: core.warning,
        isTransient: error => error instanceof NcloudError && error.transient
      })
    } catch (error) {
      if (error instanceof CancelledError) {
        throw new RunFailure(
          `${error.message} Stopped waiting for image ${image.no} ("${image.name}"), which NCP is still creating.`,
          'cancelled',
          `Image ${image.no} keeps being created by NCP. To wait for it again, re-run with if-exists: reuse.`
        )
      }
      throw new RunFailure(
        `Stopped waiting for image ${image.no} ("${image.name}"): ${describeError(error)}`,
        'wait-failed',
        `${error instanceof NcloudError ? `${error.hint} ` : ''}Look the image up in the NCP console; to wait for it again, re-run with if-exists: reuse.`
      )
    }
  }

  /** The image kind that fits the server, with the name checked against that kind's rule. */
  private imageKind(server: ServerRecord): ImageKind {
    const selected = selectImageKind(this.settings.hypervisor, server.hypervisor)
    if ('problem' in selected) throw new InputError([`Input "hypervisor" ${selected.problem}`])
    const { kind } = selected
    const problem = nameProblem(this.settings.imageName, kind.nameRule)
    if (problem)
      throw new InputError([imageNameMessage(this.settings.imageName, problem, kind.nameRule)])
    return kind
  }

  private logPlan(kind: ImageKind, server: ServerRecord, request: CreateRequest): void {
    const { settings } = this
    const lines = [
      `${settings.dryRun ? 'Dry run: would create' : 'Plan: create'} a ${kind.label} with ${kind.actions.create}:`,
      `  server:      ${server.no} (${server.name || 'no name'}), ${server.status}, hypervisor ${server.hypervisor ?? 'not reported'}`,
      `  name:        ${request.name}${settings.imageNameGenerated ? ' (generated; set image-name to choose one)' : ''}`,
      `  description: ${request.description ? JSON.stringify(request.description) : '(none)'}`,
      `  region:      ${settings.region}`,
      `  endpoint:    POST ${settings.origin}${SERVER_API_PATH}/${kind.actions.create}`,
      `  disks:       the server's disks as they are (no storage list is sent)`,
      `  if-exists:   ${settings.ifExists}`
    ]
    core.info(lines.join('\n'))
  }

  private async dryRun(api: ImageApi, request: CreateRequest): Promise<void> {
    const existing = await api.findByName(request.name)
    const verdict = existing
      ? `would use the existing image ${checkExisting(existing, request, this.ingredients()).no}`
      : `the name "${request.name}" is free in region ${this.settings.region}`
    core.info(`Dry run: credentials, server and name checked; ${verdict}. Nothing was created.`)
    Object.assign(this.report, {
      outcome: 'dry-run',
      nextStep: 'Set dry-run: false (or remove it) to create the image.'
    })
  }

  private async createOrFind(api: ImageApi, request: CreateRequest): Promise<EnsureResult> {
    const progress: CreateProgress = { createSent: false }
    try {
      const result = await ensureImage(
        api,
        request,
        {
          ...this.ingredients(),
          retry: DEFAULT_RETRY,
          confirmDelaysMs: CONFIRM_DELAYS_MS,
          clock: this.clock,
          signal: this.signal,
          warn: core.warning
        },
        progress
      )
      const { image, provenance } = result
      this.report.provenance = PROVENANCE[provenance]
      if (provenance === 'created') {
        core.info(`Image ${image.no} ("${image.name}") is being created (${image.status}).`)
      }
      this.record(image)
      return result
    } catch (error) {
      if (error instanceof CancelledError && progress.createSent) {
        await this.lookForImageAfterCancel(api.kind, request.name)
      }
      throw error
    }
  }

  private ingredients(): {
    ifExists: Settings['ifExists']
    region: string
    info(line: string): void
  } {
    return { ifExists: this.settings.ifExists, region: this.settings.region, info: core.info }
  }

  /** A cancel while a create was under way: say whether an image was made, so nothing is lost. */
  private async lookForImageAfterCancel(kind: ImageKind, name: string): Promise<void> {
    const client = makeClient(this.settings, this.clock, {
      retry: { ...DEFAULT_RETRY, maxAttempts: 1 },
      requestTimeoutMs: CANCEL_LOOKUP_TIMEOUT_MS
    })
    try {
      const images = await new ImageApi(client, kind).findAllByName(name)
      const image = images[images.length - 1]
      if (image) {
        this.record(image)
        core.warning(
          `Cancelled after the create was sent: image ${image.no} named "${image.name}" exists (${image.status}).`
        )
        warnOfDuplicates(images, image, { warn: core.warning })
      } else {
        core.warning(
          `Cancelled after the create was sent: no image named "${name}" shows yet; look for it in region ${this.settings.region}.`
        )
      }
    } catch {
      core.warning(
        `Cancelled after the create was sent: an image named "${name}" may exist in region ${this.settings.region}.`
      )
    } finally {
      client.dispose()
    }
  }

  private record(image: ImageRecord): void {
    setImageOutputs(image)
    Object.assign(this.report, {
      imageNo: image.no,
      imageName: image.name,
      imageStatus: image.status
    })
  }

  private finish(image: ImageRecord, timedOut: boolean): void {
    this.record(image)
    const label = `image ${image.no} ("${image.name}")`
    const outcome = imageOutcome(image.status)
    if (outcome === 'created') {
      core.info(`Image ${image.no} ("${image.name}") is created.`)
      Object.assign(this.report, {
        outcome: this.report.provenance === PROVENANCE.reused ? 'reused' : 'created',
        nextStep: "Later steps read the number from this step's image-instance-no output."
      })
      return
    }
    if (outcome === 'failed') {
      throw new RunFailure(
        `NCP could not create ${label}: status CREFL${image.statusName ? ` (${image.statusName})` : ''}.`,
        'failed',
        'Delete the failed image (NCP console: Server > My Server Image), check that the server and its disks are healthy, and re-run.'
      )
    }
    if (timedOut) {
      throw new RunFailure(
        `Image ${image.no} ("${image.name}") is still being created (status ${image.status}) after waiting ${formatDuration(this.settings.waitTimeoutMs)}; NCP goes on creating it.`,
        'timed-out',
        `Raise wait-timeout (now ${formatDuration(this.settings.waitTimeoutMs)}), or re-run with if-exists: reuse to wait for image ${image.no} again.`
      )
    }
    core.info(
      `Image ${image.no} ("${image.name}") is being created (${image.status}); wait is false, so the step ends here.`
    )
    Object.assign(this.report, {
      outcome: 'creating',
      nextStep: `Image ${image.no} is not usable until its status is CREAT.`
    })
  }
}

/** The client for these settings: the default retry policy and timeout unless told otherwise. */
export function makeClient(
  settings: Settings,
  clock: Clock,
  {
    retry = DEFAULT_RETRY,
    requestTimeoutMs = REQUEST_TIMEOUT_MS,
    signal
  }: Partial<ClientTuning> = {}
): NcloudClient {
  return new NcloudClient({
    origin: settings.origin,
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
    clock,
    retry,
    requestTimeoutMs,
    signal,
    userAgent: USER_AGENT,
    debug: core.debug,
    onRetry: core.info
  })
}
