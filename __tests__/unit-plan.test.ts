import { describe, expect, it } from '@jest/globals'
import type { FirstLook } from '../src/steps/name-lookup.js'
import { RunFailure } from '../src/model/failure.js'
import { generateImageName } from '../src/model/image-name.js'
import { readSettings } from '../src/inputs/read-settings.js'
import { type Settings } from '../src/model/settings.js'
import { MEMBER_IMAGE, SERVER_IMAGE, type ImageRecord } from '../src/ncloud/images.js'
import { toImageRecord } from '../src/ncloud/image-record.js'
import type { ServerRecord } from '../src/ncloud/servers.js'
import { NEXT } from '../src/model/next-steps.js'
import { planImage, planLines, resumeLines, selectImageKind, type Plan } from '../src/steps/plan.js'
import { provenanceDescription, provenanceServer } from '../src/model/provenance.js'

const NOW = new Date('2026-12-01T07:33:21Z')
const WORKFLOW_ENV = {
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'octo-org/web',
  GITHUB_SHA: '0123456789abcdef'
}

/** Settings as the inputs make them (the keys and the server are always given). */
function settingsFor(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = WORKFLOW_ENV,
  now = NOW
): Settings {
  const all: Record<string, string> = {
    'access-key': 'AK',
    'secret-key': 'SK',
    'server-instance-no': '1234567',
    ...inputs
  }
  return readSettings({ getInput: name => all[name] ?? '', env, mask: () => undefined, now })
}

const SETTINGS: Settings = settingsFor({
  'image-name': 'my-image',
  'image-description': 'nightly build'
})

const RUN_ENV = {
  ...WORKFLOW_ENV,
  GITHUB_RUN_ID: '9876543210',
  GITHUB_JOB: 'build',
  GITHUB_ACTION: 'image'
}
const RUN_NAME = generateImageName({ serverInstanceNo: '1234567', now: NOW, env: RUN_ENV }).name

const server = (extra: Partial<ServerRecord> = {}): ServerRecord => ({
  no: '1234567',
  name: 'web-1',
  status: 'RUN',
  operation: 'NULL',
  statusName: 'running',
  hypervisor: 'XEN',
  ...extra
})

function failureOf(result: Plan | RunFailure): RunFailure {
  expect(result).toBeInstanceOf(RunFailure)
  return result as RunFailure
}

function planOf(result: Plan | RunFailure): Plan {
  if (result instanceof RunFailure) throw new Error(`expected a plan, got: ${result.message}`)
  return result
}

describe('planImage: servers that cannot be imaged now', () => {
  it.each(['INIT', 'FSTOP', 'TERMT', 'UNKNOWN'])(
    'refuses a %s server, naming its status',
    status => {
      const failure = failureOf(planImage(SETTINGS, server({ status, statusName: 'busy' })))
      expect(failure.outcome).toBe('error')
      expect(failure.message).toContain(`Server 1234567 is ${status} (busy)`)
      expect(failure.message).toContain('RUN')
      expect(failure.message).toContain('NSTOP')
      expect(failure.nextStep).toBe(NEXT.serverBusy)
    }
  )

  it('refuses a server with an operation in progress, naming the operation', () => {
    const failure = failureOf(planImage(SETTINGS, server({ status: 'NSTOP', operation: 'COPY' })))
    expect(failure.message).toContain('the operation COPY in progress')
    expect(failure.nextStep).toBe(NEXT.serverBusy)
  })

  it('plans for a stopped idle server', () => {
    expect(planOf(planImage(SETTINGS, server({ status: 'NSTOP' }))).kind).toBe(MEMBER_IMAGE)
  })
})

describe('planImage: the image kind', () => {
  it.each(['XEN', 'RHV'])(
    'plans hypervisor: kvm on a %s server with createServerImage, saying why',
    hypervisor => {
      const settings = { ...SETTINGS, hypervisor: 'kvm' as const, imageName: 'my_image' }
      const record = server({ hypervisor })
      const plan = planOf(planImage(settings, record))
      expect(plan.kind).toBe(SERVER_IMAGE)
      expect(plan.nameRule).toBe(SERVER_IMAGE.nameRule)
      const lines = planLines(plan, settings, record, { use: undefined })
      expect(lines[0]).toBe(
        `Plan: create an image of this ${hypervisor} server with createServerImage:`
      )
      expect(lines).toContain(
        `  image API:   createServerImage, since hypervisor: kvm asks for it on this ${hypervisor} ` +
          'server (auto would use createMemberServerImageInstance); NCP documents ' +
          'createServerImage images for KVM, XEN, RHV servers'
      )
    }
  )

  it('plans hypervisor: auto on a XEN server as before, saying why', () => {
    const plan = planOf(planImage(SETTINGS, server()))
    expect(plan.kind).toBe(MEMBER_IMAGE)
    expect(planLines(plan, SETTINGS, server(), { use: undefined })).toContain(
      "  image API:   createMemberServerImageInstance, since hypervisor: auto, and the server's hypervisor is XEN"
    )
  })

  it('refuses hypervisor: xen for a KVM server', () => {
    const failure = failureOf(
      planImage({ ...SETTINGS, hypervisor: 'xen' }, server({ hypervisor: 'KVM' }))
    )
    expect(failure.message).toBe(
      'Input "hypervisor" is "xen", but the server\'s hypervisor is KVM: createMemberServerImageInstance does not image KVM servers. Use hypervisor: kvm (or auto).'
    )
    expect(failure.nextStep).toBe(NEXT.fixInputs)
  })

  it('checks the name against the XEN rule once the server turns out to be XEN', () => {
    // "_" passes the looser KVM rule the inputs check with hypervisor: auto.
    const failure = failureOf(planImage({ ...SETTINGS, imageName: 'my_image' }, server()))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('"my_image"')
    expect(failure.message).toContain('createMemberServerImageInstance')
    expect(failure.message).toContain('it contains "_"')
    expect(failure.message).toContain(
      'breaks the createMemberServerImageInstance (XEN/RHV) naming rule: it contains "_"'
    )
    expect(failure.nextStep).toBe(NEXT.fixInputs)
  })

  it('uses the KVM image API for a KVM server, with the KVM name rule', () => {
    const plan = planOf(
      planImage({ ...SETTINGS, imageName: 'my_image' }, server({ hypervisor: 'KVM' }))
    )
    expect(plan.kind).toBe(SERVER_IMAGE)
    expect(plan.nameRule).toBe(SERVER_IMAGE.nameRule)
    expect(plan.request).toEqual({
      serverInstanceNo: '1234567',
      name: 'my_image',
      description: 'nightly build'
    })
  })

  it('uses the member image API for a server that does not report its hypervisor', () => {
    expect(planOf(planImage(SETTINGS, server({ hypervisor: undefined }))).kind).toBe(MEMBER_IMAGE)
  })
})

describe('planImage: the name', () => {
  it('uses the given image-name as it is', () => {
    expect(planOf(planImage(SETTINGS, server())).request.name).toBe('my-image')
  })

  it('generates a name from the time outside a workflow run', () => {
    const plan = planOf(planImage(settingsFor({}, {}), server()))
    expect(plan.request.name).toBe('img-1234567-20261201-073321')
  })

  it('generates the same name on every attempt of a workflow run, at any time', () => {
    const first = settingsFor({}, { ...RUN_ENV, GITHUB_RUN_ATTEMPT: '1' })
    const again = settingsFor(
      {},
      { ...RUN_ENV, GITHUB_RUN_ATTEMPT: '2' },
      new Date(NOW.getTime() + 2 * 3_600_000)
    )
    const name = planOf(planImage(first, server())).request.name
    expect(name).toBe(RUN_NAME)
    expect(planOf(planImage(again, server())).request.name).toBe(name)
  })

  it('generates another name for another job of the same run', () => {
    const other = settingsFor({}, { ...RUN_ENV, GITHUB_JOB: 'deploy' })
    expect(planOf(planImage(other, server())).request.name).not.toBe(RUN_NAME)
  })

  it('generates a name that fits the stricter XEN rule, with a 20-digit server and run id', () => {
    const no = '12345678901234567890'
    const settings = readSettings({
      getInput: name =>
        ({ 'access-key': 'AK', 'secret-key': 'SK', 'server-instance-no': no })[name] ?? '',
      env: { ...RUN_ENV, GITHUB_RUN_ID: '99999999999999999999' },
      mask: () => undefined,
      now: NOW
    })
    const plan = planOf(planImage(settings, server({ no })))
    expect(plan.request.name.length).toBeLessThanOrEqual(30)
    expect(plan.kind).toBe(MEMBER_IMAGE)
  })
})

describe('planImage: the description', () => {
  it('sends the user’s description byte for byte, whitespace and all', () => {
    const description = '  nightly & 테스트 = a+b/c %20\n second line  '
    const plan = planOf(planImage({ ...SETTINGS, imageDescription: description }, server()))
    expect(plan.request.description).toBe(description)
    expect(plan.writesProvenance).toBe(false)
  })

  it('writes where the image came from when image-description is empty', () => {
    const plan = planOf(planImage({ ...SETTINGS, imageDescription: '' }, server()))
    expect(plan.writesProvenance).toBe(true)
    expect(plan.request.description).toBe(provenanceDescription(server(), SETTINGS.workflow))
    expect(plan.request.description).toContain('web-1')
    expect(plan.request.description).toContain('octo-org/web')
    expect(provenanceServer(plan.request.description)).toBe('1234567')
  })

  it('never reads a user’s description as the action’s provenance', () => {
    const plan = planOf(planImage({ ...SETTINGS, imageDescription: 'server 1234567' }, server()))
    expect(provenanceServer(plan.request.description)).toBeUndefined()
  })
})

const NOTHING: FirstLook = { use: undefined }
const existing = (no: string, status = 'CREAT'): ImageRecord =>
  toImageRecord(MEMBER_IMAGE, {
    memberServerImageInstanceNo: no,
    memberServerImageName: 'my-image',
    memberServerImageInstanceStatus: { code: status }
  })
const linesFor = (
  settings: Settings,
  first: FirstLook = NOTHING,
  record: ServerRecord = server()
): string[] => planLines(planOf(planImage(settings, record)), settings, record, first)

describe('planLines: what the run is about to do', () => {
  it('says what a real run is about to create, and where', () => {
    const lines = linesFor(SETTINGS, NOTHING, server({ hypervisor: 'KVM' }))
    expect(lines[0]).toBe('Plan: create a server image (KVM) with createServerImage:')
    const text = lines.join('\n')
    expect(text).toContain('1234567 (web-1), RUN, hypervisor KVM')
    expect(text).toContain('my-image')
    expect(text).not.toContain('generated')
    expect(text).toContain('"nightly build"')
    expect(text).not.toContain('provenance')
    expect(text).toContain('KR')
    expect(text).toContain('POST https://ncloud.apigw.ntruss.com/vserver/v2/createServerImage')
    expect(text).toContain('if-exists:   fail')
    expect(text).toContain('up to 1h00m')
    expect(text).toContain(
      "  disks:       the server's disks as they are (no storage list is sent)"
    )
  })

  it('says what a dry run would create on a KVM server', () => {
    const lines = linesFor({ ...SETTINGS, dryRun: true }, NOTHING, server({ hypervisor: 'KVM' }))
    expect(lines[0]).toBe('Dry run: would create a server image (KVM) with createServerImage:')
  })

  it('says what a dry run would create', () => {
    const lines = linesFor({ ...SETTINGS, dryRun: true })
    expect(lines[0]).toBe(
      'Dry run: would create a member server image (XEN/RHV) with createMemberServerImageInstance:'
    )
    expect(lines.join('\n')).toContain(
      'POST https://ncloud.apigw.ntruss.com/vserver/v2/createMemberServerImageInstance'
    )
  })

  it('with stop-server, says a running server is stopped first and for how long the stop may take', () => {
    const text = linesFor({ ...SETTINGS, stopServer: true }).join('\n')
    expect(text).toContain(
      '  stop-server: stop the server first (waiting up to 10m00s for NSTOP), start it again once the image is made; it is down the whole time'
    )
  })

  it('with stop-server, says a stopped server is imaged as it is and left stopped', () => {
    const record = server({ status: 'NSTOP' })
    const text = linesFor({ ...SETTINGS, stopServer: true }, NOTHING, record).join('\n')
    expect(text).toContain(
      '  stop-server: the server is already NSTOP: imaged as it is, left stopped'
    )
  })

  it('says when the run will not wait', () => {
    const text = linesFor({ ...SETTINGS, wait: false }).join('\n')
    expect(text).toMatch(/wait: +no/)
    expect(text).not.toContain('up to')
  })

  it('says when the name was generated from the time, and shows the description written instead of none', () => {
    // No image-name, no image-description, and no workflow run id.
    const settings = settingsFor()
    const record = server({ name: '', hypervisor: undefined })
    const text = linesFor(settings, NOTHING, record).join('\n')
    expect(text).toContain('img-1234567-20261201-073321 (generated; set image-name to choose one)')
    expect(text).toContain('1234567 (no name), RUN, hypervisor not reported')
    expect(text).toContain(JSON.stringify(provenanceDescription(record, SETTINGS.workflow)))
    expect(text).toContain('image-description is empty')
  })

  it('says when the name is run-stable: the same on every attempt of the workflow run', () => {
    const settings = settingsFor({ 'image-description': 'nightly' }, RUN_ENV)
    const text = linesFor(settings).join('\n')
    expect(text).toContain(`${RUN_NAME} (generated`)
    expect(text).toContain('the same on every attempt of this workflow run')
    expect(text).toContain('set image-name to choose one')
  })

  it('with if-exists reuse and the name taken, says the image it will use instead of creating one', () => {
    const settings: Settings = { ...SETTINGS, ifExists: 'reuse' }
    const lines = linesFor(settings, { use: existing('901', 'INIT'), origin: 'reused' })
    expect(lines[0]).toMatch(/^Plan: use image 901 /)
    expect(lines[0]).toContain('"my-image"')
    expect(lines[0]).toContain('INIT')
    expect(lines[0]).toContain('if-exists: reuse')
    expect(lines[0]).toContain('no image is created')
    const text = lines.join('\n')
    expect(text).not.toMatch(/\bcreate a\b/)
    expect(text).not.toContain('POST ')
    expect(text).toContain('KR')
    expect(text).toContain('if-exists:   reuse')
  })

  it('names the earlier attempt of the workflow run when it picks that image up again', () => {
    const settings = settingsFor({}, RUN_ENV)
    const lines = linesFor(settings, { use: existing('902'), origin: 'resumed' })
    expect(lines[0]).toMatch(/^Plan: use image 902 /)
    expect(lines[0]).toContain('earlier attempt')
    expect(lines[0]).not.toContain('if-exists: reuse')
    expect(lines.join('\n')).not.toContain('POST ')
  })

  it('in a dry run says it would use the image, not create one', () => {
    const lines = linesFor(
      { ...SETTINGS, dryRun: true, ifExists: 'reuse' },
      { use: existing('903'), origin: 'reused' }
    )
    expect(lines[0]).toMatch(/^Dry run: would use image 903 /)
    expect(lines[0]).not.toContain('would create')
  })

  it('shows an image without a status as such', () => {
    const lines = linesFor(
      { ...SETTINGS, ifExists: 'reuse' },
      { use: existing('904', ''), origin: 'reused' }
    )
    expect(lines[0]).toContain('no status')
  })
})

describe('resumeLines: waiting for an image given by number', () => {
  it('says which image a real run waits for, that nothing is created, and for how long', () => {
    const lines = resumeLines(
      { ...SETTINGS, imageInstanceNo: '555' },
      SERVER_IMAGE,
      existing('555', 'INIT')
    )
    expect(lines[0]).toMatch(/^Plan: wait for image 555 /)
    expect(lines[0]).toContain('image-instance-no')
    expect(lines[0]).toContain('server image (KVM)')
    expect(lines[0]).toContain('no image is created')
    const text = lines.join('\n')
    expect(text).toContain('KR')
    expect(text).toContain('up to 1h00m')
    expect(text).not.toContain('POST ')
  })

  it('says what a dry run would wait for, and when it would not wait', () => {
    const lines = resumeLines(
      { ...SETTINGS, imageInstanceNo: '555', dryRun: true, wait: false },
      MEMBER_IMAGE,
      existing('555')
    )
    expect(lines[0]).toMatch(/^Dry run: would wait for image 555 /)
    expect(lines.join('\n')).toMatch(/wait: +no/)
  })
})

describe('selectImageKind', () => {
  it('auto picks the server image API for KVM, in any case', () => {
    expect(selectImageKind('auto', 'KVM')).toEqual({
      kind: SERVER_IMAGE,
      why: "hypervisor: auto, and the server's hypervisor is KVM"
    })
    expect(selectImageKind('auto', 'kvm')).toMatchObject({ kind: SERVER_IMAGE })
  })

  it.each(['XEN', 'RHV'])('auto picks the member image API for %s', hypervisor => {
    expect(selectImageKind('auto', hypervisor)).toEqual({
      kind: MEMBER_IMAGE,
      why: `hypervisor: auto, and the server's hypervisor is ${hypervisor}`
    })
  })

  it('auto picks the member image API for a server that does not report its hypervisor', () => {
    expect(selectImageKind('auto', undefined)).toEqual({
      kind: MEMBER_IMAGE,
      why: "hypervisor: auto, and NCP does not report the server's hypervisor"
    })
  })

  it('an explicit choice that matches the server is taken', () => {
    expect(selectImageKind('kvm', 'KVM')).toMatchObject({ kind: SERVER_IMAGE })
    expect(selectImageKind('xen', 'XEN')).toMatchObject({ kind: MEMBER_IMAGE })
    expect(selectImageKind('xen', 'RHV')).toEqual({
      kind: MEMBER_IMAGE,
      why: "hypervisor: xen, and the server's hypervisor is RHV"
    })
  })

  it('an explicit choice is taken when the server does not say its hypervisor', () => {
    expect(selectImageKind('kvm', undefined)).toMatchObject({ kind: SERVER_IMAGE })
    expect(selectImageKind('xen', undefined)).toMatchObject({ kind: MEMBER_IMAGE })
  })

  it.each(['XEN', 'RHV', 'xen'])(
    'kvm on a %s server is sent as asked, saying which API and why',
    hypervisor => {
      const actual = hypervisor.toUpperCase()
      expect(selectImageKind('kvm', hypervisor)).toEqual({
        kind: SERVER_IMAGE,
        why:
          `hypervisor: kvm asks for it on this ${actual} server (auto would use ` +
          'createMemberServerImageInstance); NCP documents createServerImage images for KVM, ' +
          'XEN, RHV servers'
      })
    }
  )

  it('xen on a KVM server is a problem that names kvm', () => {
    const { problem } = selectImageKind('xen', 'KVM') as { problem: string }
    expect(problem).toBe(
      'is "xen", but the server\'s hypervisor is KVM: createMemberServerImageInstance does not ' +
        'image KVM servers. Use hypervisor: kvm (or auto).'
    )
  })

  it('the member image API images no other server on request', () => {
    expect(MEMBER_IMAGE.onRequest).toEqual([])
    expect(SERVER_IMAGE.onRequest).toEqual(['XEN', 'RHV'])
  })
})
