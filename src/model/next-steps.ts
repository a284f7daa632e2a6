import { formatDuration } from '../lib/duration.js'
import type { NameSource } from './image-name.js'
import type { ImageRecord } from '../ncloud/images.js'

/** Every "what to do next" the action gives, each written once. */
export const NEXT = {
  useOutput: "Later steps read the number from this step's image-instance-no output.",
  fixInputs: 'Fix the inputs named above; no image was created.',
  dryRunDone: 'Set dry-run: false (or remove it) to create the image.',
  dryRunUse: (image: ImageRecord): string =>
    `Set dry-run: false (or remove it) to use image ${image.no}.`,
  dryRunResume: (image: ImageRecord): string =>
    `Set dry-run: false (or remove it) to wait for image ${image.no}.`,
  cancelledBeforeCreate: 'Nothing was created; re-run the job when you are ready.',
  notUsableYet: (image: ImageRecord): string =>
    `Image ${image.no} is not usable until its status is CREAT; to wait for it, run the step with image-instance-no: ${image.no}.`,
  imageGone: (image: ImageRecord): string =>
    `Image ${image.no} cannot be used. Check in the NCP console (Server > My Server Image) who is deleting it; once it is gone, re-run the step to create a new image.`,
  deleteFailed:
    'Delete the failed image (NCP console: Server > My Server Image), check that the server and its disks are healthy, and re-run.',
  /** The exact step that picks the image up again, and what else works for the name in use. */
  resume: (image: ImageRecord, names: NameSource): string =>
    `To wait for image ${image.no} again, run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
  raiseTimeout: (image: ImageRecord, timeoutMs: number, names: NameSource): string =>
    `Raise wait-timeout (now ${formatDuration(timeoutMs)}), or wait for the same image: run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
  lookInConsole: (image: ImageRecord, names: NameSource): string =>
    `Look image ${image.no} up in the NCP console; to wait for it again, run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
  /** No number is known: what finds the image that may exist. */
  findUncertain: (name: string, region: string, names: NameSource): string => {
    const where = `an image named "${name}" in region ${region}`
    if (names === 'run') {
      return `Re-run the job: it looks for ${where}, or another image this step of this run made, first and uses it instead of creating another.`
    }
    if (names === 'given') {
      return `Look for ${where} in the NCP console; re-run with if-exists: reuse to use it.`
    }
    return `Look for ${where} in the NCP console, then run the step with image-instance-no: <its number> (a re-run may use another name and create a second image).`
  },
  /** The post step's words for an image the killed main step had: the exact input that resumes it. */
  pickUpImage: (no: string): string =>
    `To wait for it and get its outputs, run the step with image-instance-no: ${no}.`,
  /** The post step found no image of a create that was never answered: it may show later. */
  createMayAppear:
    'The create may still have been carried out and its image may appear later: check the NCP console (Server Image) before re-running the step, so that no second image is made.',
  /** A test server whose launch was never answered and that no list showed. */
  findTestServer: (name: string): string =>
    `A test server named "${name}" may exist: check the NCP console and terminate it (Server > Server > Stop, then Terminate); it is billed while it exists.`,
  nameTaken: (image: ImageRecord, ofThisServer: boolean): string =>
    ofThisServer
      ? `Choose another image-name, delete that image, set if-exists: reuse to use it, or run the step with image-instance-no: ${image.no}.`
      : 'Choose another image-name, or delete that image (it was made from another server, so it cannot be reused).',
  otherServersImage: 'Choose another image-name.',
  failedExisting:
    'Delete it (NCP console: Server > My Server Image) or choose another image-name, then re-run.',
  serverBusy:
    'Wait until the server is running (RUN) or stopped (NSTOP) with no operation in progress, then re-run.',
  checkServer:
    'Check server-instance-no and region (the server must be a VPC server in that region).',
  checkServerName: 'Check server-name (the exact name, case included) and region.',
  ambiguousServerName:
    'Give server-instance-no instead of server-name, or rename the servers so the name is unique.',
  checkImage:
    'Check image-instance-no, region and site: the image must be a My Server Image of this account in that region.',
  shareAgain: (image: ImageRecord, loginIds: readonly string[]): string =>
    `Check the login IDs and the key's permission to share, then share only: run the step with image-instance-no: ${image.no} and share-with: ${loginIds.join(',')}.`,
  stopFailed:
    'Check the server in the NCP console, or run without stop-server to image it as it is.',
  checkServerState: (no: string): string =>
    `Check server ${no} in the NCP console (Server > Server) and start it if it is stopped.`,
  startServer: (no: string): string =>
    `Start server ${no} now (NCP console: Server > Server > Start), then check why NCP refused the start.`,
  verifyFailed: (image: ImageRecord, serverNo: string | undefined): string =>
    `Image ${image.no} was not shared and nothing was pruned. ${serverNo ? `Look at test server ${serverNo} in the NCP console (Server > Server; its record stays a while after termination) and its boot log, ` : 'Check the launch parameters above, '}then fix the image or the server it was made of; to test the same image again, run the step with image-instance-no: ${image.no} and verify-boot: true.`,
  removeTestServer: (servers: readonly string[]): string =>
    `Terminate ${servers.length === 1 ? 'test server' : 'test servers'} ${servers.join(', ')} now (NCP console: Server > Server > Stop, then Terminate): ${servers.length === 1 ? 'it is' : 'they are'} billed while ${servers.length === 1 ? 'it exists' : 'they exist'}.`,
  verifyGroups:
    'Give verify-access-control-groups: groups of that VPC (one with no rules isolates the test server).',
  verifyNeedsServer:
    'Give server-instance-no (or server-name) of the server the image was made from: the test server is launched with its spec and network.',
  reportBug:
    'This is a fault of the action, not of the inputs: re-run the job, and report it with this log if it happens again.'
} as const

function alsoWorks(names: NameSource): string {
  if (names === 'run') return ' (re-running the job also finds it)'
  if (names === 'given') return ' (or re-run with if-exists: reuse)'
  return ''
}
