import { formatDuration } from '../lib/duration.js'
import { RunFailure, asRunFailure } from '../model/failure.js'
import type { NameSource } from '../model/image-name.js'
import type { JournalRecorder, RunJournal } from '../model/journal.js'
import { NEXT } from '../model/next-steps.js'
import type { NcloudClient } from '../ncloud/client.js'
import { describeError } from '../ncloud/errors.js'
import type { ImageRecord } from '../ncloud/images.js'
import type { ServerRecord } from '../ncloud/servers.js'
import { startAfterCancel, startServer, stopServer, type PowerDeps } from './server-power.js'
import { CANCEL_LOOKUP_TIMEOUT_MS } from './timing.js'
import { clause } from '../lib/clause.js'

// stop-server's bracket: stop the server, run the body, and start the server again whatever the
// body did; the journal holds the bracket from the stop request until the server runs again.

export interface StoppedServerOptions extends PowerDeps {
  client: NcloudClient
  server: ServerRecord
  signal: AbortSignal
  journal: JournalRecorder
  /** The image the run has, and what finds it again: a failure must not lose its number. */
  context(): { image?: ImageRecord; advice?: NameSource }
}

const NONE = { no: '', name: '', stoppedAt: 0 }

/** Stops the running server, runs `body`, and starts the server again whatever `body` did. */
export async function withServerStopped<T>(
  options: StoppedServerOptions,
  body: () => Promise<T>
): Promise<T> {
  const { client, server, journal } = options
  let value: T | undefined
  let failure: unknown
  let startOnCancel: StartOnCancel | undefined
  try {
    await stopServer(client, server, options, {
      sent: () => {
        const stoppedAt = options.clock.now()
        journal.record(j => (j.stopped = { no: server.no, name: server.name, stoppedAt }))
        startOnCancel = sendStartOnCancel(options)
      },
      undone: () => {
        journal.record(j => delete j.stopped)
        startOnCancel?.dispose()
      },
      unsettled: () => {
        journal.record(j => j.stopped && (j.stopped.stopUnsettled = true))
        startOnCancel?.dispose()
      },
      answered: () => journal.record(j => j.stopped && (j.stopped.stopAccepted = true)),
      seen: () => {
        if (journal.snapshot().stopped?.stopSeenAt !== undefined) return
        const seenAt = options.clock.now()
        journal.record(j => j.stopped && (j.stopped.stopSeenAt = seenAt))
      }
    })
    value = await body()
  } catch (error) {
    failure = error
  }
  const open = journal.snapshot().stopped
  // An unsettled stop left the server running: nothing to start (the post step watches it).
  if (open && !open.stopUnsettled) {
    try {
      await startAgain(options, failure, startOnCancel)
    } finally {
      startOnCancel?.dispose()
    }
  }
  if (failure !== undefined) throw failure
  return value as T
}

/**
 * The action stopped the server, so it starts it again, whatever happened meanwhile. When the
 * start fails for good, the step fails saying the server is stopped, keeping the image's number.
 */
interface StartOnCancel {
  /** The start sent when the signal came, if it came; settles with whether NCP accepted it. */
  sent(): Promise<{ accepted: boolean; why?: string }> | undefined
  dispose(): void
}

/**
 * Once the action has stopped the server, a cancel sends the start at once, before anything else
 * the run is doing at that moment, since the runner kills the process a few seconds later.
 */
function sendStartOnCancel(options: StoppedServerOptions): StartOnCancel {
  const { client, server, journal } = options
  const deps = options
  let sent: Promise<{ accepted: boolean; why?: string }> | undefined
  const onAbort = (): void => {
    if (journal.snapshot().stopped?.startAccepted) return
    journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()))
    sent = startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log)
  }
  deps.signal.addEventListener('abort', onAbort, { once: true })
  return {
    sent: () => sent,
    dispose: () => deps.signal.removeEventListener('abort', onAbort)
  }
}

async function startAgain(
  options: StoppedServerOptions,
  failure: unknown,
  startOnCancel?: StartOnCancel
): Promise<void> {
  const { client, server, journal } = options
  const deps = options
  const context = options.context()
  const power = (): NonNullable<RunJournal['stopped']> => journal.snapshot().stopped ?? NONE
  const accepted = (): void => journal.record(j => j.stopped && (j.stopped.startAccepted = true))
  const label = `Server ${server.no} (${server.name || 'no name'})`
  const before = failure === undefined ? '' : ` Before that: ${asRunFailure(failure).message}`
  if (deps.signal.aborted) {
    // One start request if none was accepted yet; a second would be refused while it boots.
    let start: { accepted: boolean; why?: string } = { accepted: true }
    if (!power().startAccepted) {
      const sent = startOnCancel?.sent()
      if (!sent) journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()))
      start = await (sent ??
        startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log))
    }
    journal.record(j => j.stopped && (j.stopped.startAccepted = start.accepted))
    const cancelled = asRunFailure(failure ?? deps.signal.reason, context)
    throw new RunFailure(
      `${cancelled.message} ${label} had been stopped by the action; ${start.accepted ? 'the start request was sent and accepted, and it boots on its own' : `the start request was not accepted (${clause(start.why ?? 'no answer')}): it is still stopped`}.`,
      cancelled.outcome,
      start.accepted ? cancelled.nextStep : `${NEXT.startServer(server.no)} ${cancelled.nextStep}`,
      cancelled.image ?? context.image
    )
  }
  try {
    journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()))
    await startServer(client, server.no, deps, accepted)
    const runningAgainAt = deps.clock.now()
    journal.record(j => j.stopped && (j.stopped.runningAgainAt = runningAgainAt))
    deps.log.info(`${label} was down for ${formatDuration(runningAgainAt - power().stoppedAt)}.`)
  } catch (error) {
    if (deps.signal.aborted) {
      return startAgain(options, error, startOnCancel)
    }
    if (power().startAccepted) {
      throw new RunFailure(
        `${label} was started again, but is not running yet: ${describeError(error)}${before}`,
        'error',
        NEXT.checkServerState(server.no),
        context.image
      )
    }
    throw new RunFailure(
      `${label} is stopped: the action stopped it for the image and could not start it again: ${describeError(error)}${before}`,
      'server-stopped',
      NEXT.startServer(server.no),
      context.image
    )
  }
}
