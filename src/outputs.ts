import * as core from '@actions/core'
import type { ImageRecord } from './ncloud/images.js'

/** The only writer of the image outputs; called again whenever NCP tells more about the image. */
export function setImageOutputs(image: ImageRecord): void {
  core.setOutput('image-instance-no', image.no)
  core.setOutput('image-name', image.name)
  core.setOutput('image-status', image.status)
  core.setOutput('image', JSON.stringify(image.raw))
}

export function setHypervisorOutput(hypervisor: string): void {
  core.setOutput('hypervisor', hypervisor)
}
