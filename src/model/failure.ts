import { CancelledError } from '../lib/cancel.js'
import { InputError } from './settings.js'
import { NcloudError } from '../ncloud/errors.js'
import type { NameSource } from './image-name.js'
import type { ImageRecord } from '../ncloud/images.js'
import { NEXT } from './next-steps.js'
import { ServerLookupError } from '../ncloud/server-errors.js'

const SERVER_CHECKS: Record<ServerLookupError['check'], string> = {
  number: NEXT.checkServer,
  name: NEXT.checkServerName,
  'unique-name': NEXT.ambiguousServerName
}

/** How a run ended; the job summary's heading and the failure's kind. */
export type Outcome =
  | 'created'
  | 'reused'
  | 'resumed'
  | 'creating'
  | 'dry-run'
  | 'failed'
  | 'gone'
  | 'share-failed'
  | 'verify-failed'
  | 'server-stopped'
  | 'timed-out'
  | 'wait-failed'
  | 'cancelled'
  | 'uncertain'
  | 'error'

/** The one failure the run reports: what happened, how the run ended, and what to do next. */
export class RunFailure extends Error {
  constructor(
    message: string,
    readonly outcome: Outcome,
    readonly nextStep: string,
    /** The image the failure concerns, when there is one: it stays in the outputs. */
    readonly image?: ImageRecord
  ) {
    super(message)
    this.name = 'RunFailure'
  }
}

/**
 * Any error as the failure the user sees. `context` is the image the run knows of, if any, and
 * what finds it again: a cancel after the image exists must not say that nothing was created.
 */
export function asRunFailure(
  error: unknown,
  context: { image?: ImageRecord; advice?: NameSource } = {}
): RunFailure {
  if (error instanceof RunFailure) return error
  if (error instanceof InputError) return new RunFailure(error.message, 'error', NEXT.fixInputs)
  if (error instanceof CancelledError) {
    const { image } = context
    if (!image) return new RunFailure(error.message, 'cancelled', NEXT.cancelledBeforeCreate)
    const ready = image.status === 'CREAT'
    return new RunFailure(
      `${error.message} Image ${image.no} ("${image.name}") is ${image.status || 'in no status'}.`,
      'cancelled',
      ready ? NEXT.useOutput : NEXT.resume(image, context.advice ?? 'time'),
      image
    )
  }
  if (error instanceof NcloudError) return new RunFailure(error.summary, 'error', error.hint)
  if (error instanceof ServerLookupError) {
    return new RunFailure(error.message, 'error', SERVER_CHECKS[error.check])
  }
  const message = error instanceof Error ? error.message : String(error)
  return new RunFailure(`Unexpected error: ${message}`, 'error', NEXT.reportBug)
}
