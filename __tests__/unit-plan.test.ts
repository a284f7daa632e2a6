import { describe, expect, it } from '@jest/globals'
import { RunFailure } from '../src/failure.js'
import type { Settings } from '../src/inputs.js'
import { MEMBER_IMAGE, SERVER_IMAGE } from '../src/ncloud/images.js'
import type { ServerRecord } from '../src/ncloud/servers.js'
import { NEXT } from '../src/next-steps.js'
import { planImage, type Plan } from '../src/plan.js'

const SETTINGS: Settings = {
  accessKey: 'AK',
  secretKey: 'SK',
  serverInstanceNo: '1234567',
  imageName: 'my-image',
  imageNameGenerated: false,
  imageDescription: 'nightly build',
  region: 'KR',
  origin: 'https://ncloud.apigw.ntruss.com',
  originSource: 'site',
  hypervisor: 'auto',
  ifExists: 'fail',
  wait: true,
  waitTimeoutMs: 3_600_000,
  pollIntervalMs: 10_000,
  requestTimeoutMs: 30_000,
  dryRun: false
}

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
  it('refuses hypervisor: kvm for a XEN server, saying what to use', () => {
    const failure = failureOf(planImage({ ...SETTINGS, hypervisor: 'kvm' }, server()))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('Input "hypervisor" is "kvm"')
    expect(failure.message).toContain('XEN')
    expect(failure.message).toContain('Use hypervisor: xen')
    expect(failure.nextStep).toBe(NEXT.fixInputs)
  })

  it('refuses hypervisor: xen for a KVM server', () => {
    const failure = failureOf(
      planImage({ ...SETTINGS, hypervisor: 'xen' }, server({ hypervisor: 'KVM' }))
    )
    expect(failure.message).toContain('Use hypervisor: kvm')
  })

  it('checks the name against the XEN rule once the server turns out to be XEN', () => {
    // "_" passes the looser KVM rule the inputs check with hypervisor: auto.
    const failure = failureOf(planImage({ ...SETTINGS, imageName: 'my_image' }, server()))
    expect(failure.outcome).toBe('error')
    expect(failure.message).toContain('"my_image"')
    expect(failure.message).toContain('createMemberServerImageInstance')
    expect(failure.message).toContain('it contains "_"')
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

describe('planImage: the plan lines', () => {
  it('says what a real run is about to create, and where', () => {
    const { lines } = planOf(planImage(SETTINGS, server({ hypervisor: 'KVM' })))
    expect(lines[0]).toBe('Plan: create a server image (KVM) with createServerImage:')
    const text = lines.join('\n')
    expect(text).toContain('1234567 (web-1), RUN, hypervisor KVM')
    expect(text).toContain('my-image')
    expect(text).not.toContain('generated')
    expect(text).toContain('"nightly build"')
    expect(text).toContain('KR')
    expect(text).toContain('POST https://ncloud.apigw.ntruss.com/vserver/v2/createServerImage')
    expect(text).toContain('if-exists:   fail')
  })

  it('says what a dry run would create', () => {
    const { lines } = planOf(planImage({ ...SETTINGS, dryRun: true }, server()))
    expect(lines[0]).toBe(
      'Dry run: would create a member server image (XEN/RHV) with createMemberServerImageInstance:'
    )
    expect(lines.join('\n')).toContain(
      'POST https://ncloud.apigw.ntruss.com/vserver/v2/createMemberServerImageInstance'
    )
  })

  it('says when the name was generated, and when there is no description', () => {
    const { lines } = planOf(
      planImage(
        {
          ...SETTINGS,
          imageName: 'img-1234567-20261201-073321',
          imageNameGenerated: true,
          imageDescription: ''
        },
        server({ name: '', hypervisor: undefined })
      )
    )
    const text = lines.join('\n')
    expect(text).toContain('img-1234567-20261201-073321 (generated; set image-name to choose one)')
    expect(text).toContain('(none)')
    expect(text).toContain('1234567 (no name), RUN, hypervisor not reported')
  })
})
