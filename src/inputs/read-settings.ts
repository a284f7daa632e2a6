import { nameSourceOf, type NameSeed } from '../model/image-name.js'
import { MAX_DESCRIPTION_BYTES, descriptionBytes, workflowRunFrom } from '../model/provenance.js'
import { InputError, type Hypervisor, type Settings } from '../model/settings.js'
import { bool, imageNameProblem, loginIds, number, oneOf, placeholders, pruning } from './checks.js'
import { readGateway, readTiming } from './read-connection.js'
import { readVerify } from './read-verify.js'

export interface InputSource {
  getInput(name: string): string
  env: Record<string, string | undefined>
  /** Called with each secret the moment it is read, before any other input is looked at. */
  mask(secret: string): void
  now: Date
}

/** What every group reader is given: the inputs, the problems found so far, the warnings. */
export interface Reading {
  source: InputSource
  input(name: string): string
  problems: string[]
  warnings: string[]
}

/** Reads and checks every input; returns complete, valid settings or throws InputError naming each bad input. */
export function readSettings(source: InputSource): Settings {
  const reading: Reading = {
    source,
    input: name => source.getInput(name).trim(),
    problems: [],
    warnings: []
  }
  const credentials = readCredentials(reading)
  const target = readTarget(reading)
  const naming = readNaming(reading, target.imageInstanceNo)
  const gateway = readGateway(reading)
  const lifecycle = readLifecycle(reading)
  const timing = readTiming(reading)
  const verify = readVerify(reading)
  if (reading.problems.length > 0) throw new InputError(reading.problems)
  return Object.freeze({
    ...credentials,
    ...target,
    ...naming,
    ...gateway,
    ...lifecycle,
    ...timing,
    ...verify,
    workflow: workflowRunFrom(source.env),
    warnings: reading.warnings
  })
}

/** access-key and secret-key, from the inputs or the environment, masked the moment they are read. */
function readCredentials({
  source,
  input,
  problems
}: Reading): Pick<Settings, 'accessKey' | 'secretKey'> {
  const credential = (name: string, envName: string): string => {
    const value = input(name) || (source.env[envName] ?? '').trim()
    if (value) source.mask(value)
    else
      problems.push(
        `Input "${name}" is empty and the environment variable ${envName} is not set: pass the key from a secret, e.g. ${name}: \${{ secrets.${envName} }}.`
      )
    return value
  }
  const accessKey = credential('access-key', 'NCLOUD_ACCESS_KEY')
  const secretKey = credential('secret-key', 'NCLOUD_SECRET_KEY')
  return { accessKey, secretKey }
}

/** Which server to image (by number or name), or which image to wait for. */
function readTarget({
  input,
  problems
}: Reading): Pick<Settings, 'imageInstanceNo' | 'serverInstanceNo' | 'serverName'> {
  const imageInstanceNo = number('image-instance-no', "the image's number", problems, input)
  const serverInstanceNo = number(
    'server-instance-no',
    "the server's instance number",
    problems,
    input
  )
  const serverName = input('server-name')
  if (serverName && input('server-instance-no')) {
    problems.push(
      'Inputs "server-instance-no" and "server-name" are both given: give one of them, the server\'s number or its exact name.'
    )
  } else if (serverName && !/^[^\s,;]{1,255}$/.test(serverName)) {
    problems.push(
      `Input "server-name" must be a server's exact name (no spaces, commas or semicolons), got "${serverName}".`
    )
  }
  if (!input('server-instance-no') && !serverName && !input('image-instance-no')) {
    problems.push(
      'Input "server-instance-no" is required: the number of the server to image, e.g. 1234567 (or give server-name, or image-instance-no to wait for an existing image).'
    )
  }
  return { imageInstanceNo, serverInstanceNo, serverName }
}

/** hypervisor, image-name and image-description: what the image is called and described as. */
function readNaming(
  { source, input, problems, warnings }: Reading,
  imageInstanceNo: string
): Pick<
  Settings,
  'hypervisor' | 'imageName' | 'nameChanges' | 'nameSource' | 'nameSeed' | 'imageDescription'
> {
  const hypervisor: Hypervisor =
    oneOf(input('hypervisor') || 'auto', 'hypervisor', ['auto', 'xen', 'kvm'] as const, problems) ??
    'auto'
  const givenName = placeholders(input('image-name'), 'image-name', source.now, problems)
  // The source of a generated name is known now; the name itself once the server is.
  const nameSeed: Omit<NameSeed, 'serverInstanceNo'> = { now: source.now, env: source.env }
  if (givenName && !imageInstanceNo) {
    const problem = imageNameProblem(givenName, hypervisor)
    if (problem) problems.push(problem)
  }
  if (imageInstanceNo) {
    for (const name of ['image-name', 'image-description', 'stop-server']) {
      if (source.getInput(name) && !(name === 'stop-server' && /^false$/i.test(input(name)))) {
        warnings.push(`Input "${name}" is not used: image-instance-no resumes an existing image.`)
      }
    }
  }
  const imageDescription = placeholders(
    source.getInput('image-description'),
    'image-description',
    source.now,
    problems
  )
  const bytes = descriptionBytes(imageDescription)
  if (bytes > MAX_DESCRIPTION_BYTES) {
    problems.push(
      `Input "image-description" has ${bytes} bytes of UTF-8; NCP accepts at most ${MAX_DESCRIPTION_BYTES}.`
    )
  }
  return {
    hypervisor,
    imageName: givenName,
    nameChanges: /\{(date|time)\}/.test(input('image-name')),
    nameSource: givenName ? 'given' : nameSourceOf(source.env),
    nameSeed,
    imageDescription
  }
}

/** if-exists, wait, share-with, keep-last, keep-days, prune-match, stop-server, dry-run: what the run does. */
function readLifecycle({
  source,
  input,
  problems
}: Reading): Pick<
  Settings,
  | 'ifExists'
  | 'wait'
  | 'shareWith'
  | 'keepLast'
  | 'keepDays'
  | 'pruneMatch'
  | 'stopServer'
  | 'dryRun'
> {
  const ifExists =
    oneOf(input('if-exists') || 'fail', 'if-exists', ['fail', 'reuse'] as const, problems) ?? 'fail'
  const wait = bool(input('wait') || 'true', 'wait', problems)
  const shareWith = loginIds(source.getInput('share-with'), problems)
  const { keepLast, keepDays, pruneMatch } = pruning(
    input('keep-last'),
    input('keep-days'),
    input('prune-match'),
    problems
  )
  const stopServer = bool(input('stop-server') || 'false', 'stop-server', problems)
  if (wait === false) {
    if (stopServer) {
      problems.push(
        'Input "stop-server" needs wait: true: the action starts the server again only once the image is made, so it must wait for it.'
      )
    }
    if (shareWith.length > 0) {
      problems.push(
        'Input "share-with" needs wait: true: an image can be shared only once NCP has created it.'
      )
    }
    for (const [name, value] of [
      ['keep-last', keepLast],
      ['keep-days', keepDays]
    ] as const) {
      if (value !== undefined) {
        problems.push(
          `Input "${name}" needs wait: true: old images are pruned only once the new one is created.`
        )
      }
    }
  }
  const dryRun = bool(input('dry-run') || 'false', 'dry-run', problems)
  return {
    ifExists,
    wait: wait ?? true,
    shareWith,
    keepLast,
    keepDays,
    pruneMatch,
    stopServer: stopServer ?? false,
    dryRun: dryRun ?? false
  }
}
