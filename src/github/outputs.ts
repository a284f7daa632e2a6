import type { ImageRecord } from '../ncloud/images.js'
import type { Port } from './port.js'
import type { RunResult } from '../model/result.js'

/** GitHub allows 1 MB per job output; NCP's record is a few kB, so anything near this is not. */
export const MAX_IMAGE_OUTPUT = 64 * 1024
const MAX_FIELD_OUTPUT = 2 * 1024

type ImageOutputsOf = Pick<ImageRecord, 'no' | 'name' | 'status' | 'raw' | 'sharedWith'>

/** The image outputs, each name with its value. */
export function imageOutputs(image: ImageOutputsOf): [string, string][] {
  return [
    ['image-instance-no', image.no],
    ['image-name', image.name],
    ['image-status', image.status],
    ['image', imageJson(image.raw)],
    ['shared-with', image.sharedWith.join(',')]
  ]
}

/** The image outputs; written the moment an image is known and again at the end. */
export function writeImageOutputs(port: Pick<Port, 'setOutput'>, image: ImageOutputsOf): void {
  for (const [name, value] of imageOutputs(image)) port.setOutput(name, value)
}

/** Every output, from the run's result. */
export function writeOutputs(port: Pick<Port, 'setOutput'>, result: RunResult): void {
  port.setOutput('outcome', result.outcome)
  if (result.server?.hypervisor) port.setOutput('hypervisor', result.server.hypervisor)
  if (result.image && !result.dryRun) writeImageOutputs(port, result.image)
  if (result.power?.downMs !== undefined) {
    port.setOutput('server-stopped-for', String(Math.round(result.power.downMs / 1000)))
  }
  if (result.verify?.verified !== undefined) {
    port.setOutput('verified', String(result.verify.verified))
  }
  if (result.verify?.serverNo) port.setOutput('verify-server-no', result.verify.serverNo)
  if (result.pruning && 'deleted' in result.pruning) {
    port.setOutput('pruned', result.pruning.deleted.map(image => image.no).join(','))
  }
}

/** NCP's record as JSON, or, when it is oversized, the record without its oversized fields. */
export function imageJson(raw: Record<string, unknown>): string {
  const whole = JSON.stringify(raw)
  if (whole.length <= MAX_IMAGE_OUTPUT) return whole
  const kept: Record<string, unknown> = {}
  const dropped: string[] = []
  for (const [key, value] of Object.entries(raw)) {
    if ((JSON.stringify(value) ?? '').length <= MAX_FIELD_OUTPUT) kept[key] = value
    else dropped.push(key)
  }
  const reduced = JSON.stringify({ ...kept, droppedOversizedFields: dropped })
  return reduced.length <= MAX_IMAGE_OUTPUT
    ? reduced
    : JSON.stringify({ droppedOversizedFields: Object.keys(raw) })
}
