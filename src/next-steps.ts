import { formatDuration } from './duration.js'
import type { ImageRecord } from './ncloud/images.js'

/** Every "what to do next" the action gives, each written once. */
export const NEXT = {
  useOutput: "Later steps read the number from this step's image-instance-no output.",
  fixInputs: 'Fix the inputs named above; no image was created.',
  dryRunDone: 'Set dry-run: false (or remove it) to create the image.',
  notUsableYet: (image: ImageRecord): string =>
    `Image ${image.no} is not usable until its status is CREAT.`,
  deleteFailed:
    'Delete the failed image (NCP console: Server > My Server Image), check that the server and its disks are healthy, and re-run.',
  waitAgain: (image: ImageRecord): string =>
    `To wait for image ${image.no} again, re-run with if-exists: reuse.`,
  raiseTimeout: (image: ImageRecord, timeoutMs: number): string =>
    `Raise wait-timeout (now ${formatDuration(timeoutMs)}), or re-run with if-exists: reuse to wait for image ${image.no} again.`,
  lookInConsole: (image: ImageRecord): string =>
    `Look image ${image.no} up in the NCP console; to wait for it again, re-run with if-exists: reuse.`,
  findUncertain: (name: string, region: string): string =>
    `Look for an image named "${name}" in region ${region} in the NCP console; re-run with if-exists: reuse to use it.`,
  nameTaken: 'Choose another image-name, delete that image, or set if-exists: reuse to use it.',
  otherServersImage: 'Choose another image-name.',
  failedExisting:
    'Delete it (NCP console: Server > My Server Image) or choose another image-name, then re-run.',
  serverBusy:
    'Wait until the server is running (RUN) or stopped (NSTOP) with no operation in progress, then re-run.',
  checkServer:
    'Check server-instance-no and region (the server must be a VPC server in that region).',
  reportBug:
    'This is a fault of the action, not of the inputs: re-run the job, and report it with this log if it happens again.'
} as const
