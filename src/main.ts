import * as core from '@actions/core'
import { CancelledError, cancelOnSignals } from './cancel.js'
import { systemClock, type Clock } from './clock.js'
import { CreateUncertainError } from './create-image.js'
import { ImageRun, RunFailure, makeClient } from './image-run.js'
import { InputError, readSettings } from './inputs.js'
import type { NcloudClient } from './ncloud/client.js'
import { NcloudError, describeError } from './ncloud/errors.js'
import { renderSummary, type RunReport } from './summary.js'

export async function run(clock: Clock = systemClock): Promise<void> {
  const started = clock.now()
  const cancellation = cancelOnSignals()
  const report: RunReport = { outcome: 'error', elapsedMs: 0 }
  let client: NcloudClient | undefined
  try {
    const settings = readSettings({
      getInput: name => core.getInput(name, { trimWhitespace: false }),
      env: process.env,
      mask: core.setSecret,
      now: new Date(clock.now())
    })
    Object.assign(report, {
      serverInstanceNo: settings.serverInstanceNo,
      region: settings.region,
      imageName: settings.imageName
    })
    client = makeClient(settings, clock, { signal: cancellation.signal })
    await new ImageRun(settings, client, report, clock, cancellation.signal).execute()
  } catch (error) {
    recordFailure(error, report)
    core.setFailed(failureMessage(error))
  } finally {
    report.elapsedMs = clock.now() - started
    await writeSummary(report)
    client?.dispose()
    cancellation.dispose()
  }
}

function failureMessage(error: unknown): string {
  if (error instanceof RunFailure) return `${error.message} ${error.nextStep}`
  return error instanceof Error ? error.message : String(error)
}

function recordFailure(error: unknown, report: RunReport): void {
  report.problem = describeError(error)
  if (error instanceof RunFailure) {
    Object.assign(report, { outcome: error.outcome, nextStep: error.nextStep })
  } else if (error instanceof CancelledError) {
    report.outcome = 'cancelled'
  } else if (error instanceof CreateUncertainError) {
    Object.assign(report, {
      outcome: 'uncertain',
      nextStep:
        'Look for the named image in the NCP console; re-run with if-exists: reuse to use it.'
    })
  } else if (error instanceof NcloudError) {
    report.nextStep = error.hint
  } else if (error instanceof InputError) {
    report.nextStep = 'Fix the inputs named above; no image was created.'
  }
}

async function writeSummary(report: RunReport): Promise<void> {
  try {
    await core.summary.addRaw(renderSummary(report)).write()
  } catch (error) {
    core.debug(`No job summary written: ${(error as Error).message}`)
  }
}
