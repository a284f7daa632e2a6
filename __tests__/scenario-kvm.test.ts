import { afterEach, describe, expect, it } from '@jest/globals'
import { NEXT } from '../src/model/next-steps.js'
import { errorNaming, runScenario, startScenarioSim, type ScenarioSim } from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'

const KVM_SERVER = '2001'

/** A plain log line (no workflow command) naming each of these facts in order, as whole words. */
function lineNaming(...facts: string[]): RegExp {
  const words = facts.map(fact => `(?<!\\w)${fact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`)
  return new RegExp(`^(?!::).*${words.join('.*')}`, 'm')
}

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('KVM servers use the server image API', () => {
  it('auto: reads the server, creates with createServerImage, waits, and outputs serverImageNo', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'image-name': 'kvm_golden-1' })
    )

    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(sim.images()).toHaveLength(1)
    expect(image).toMatchObject({
      kind: 'server',
      name: 'kvm_golden-1',
      status: 'CREAT',
      serverInstanceNo: KVM_SERVER
    })
    expect(actionsCalled(sim).slice(0, 3)).toEqual([
      'getServerInstanceDetail',
      'getServerImageList',
      'createServerImage'
    ])
    expect(count(sim, 'getServerImageDetail')).toBeGreaterThanOrEqual(1)
    expect(count(sim, 'createMemberServerImageInstance')).toBe(0)
    expect(run.outputs).toMatchObject({
      'image-instance-no': image.no,
      'image-name': 'kvm_golden-1',
      'image-status': 'CREAT',
      hypervisor: 'KVM'
    })
    expect(JSON.parse(run.outputs.image)).toMatchObject({ serverImageNo: image.no })
    // run-setup.ts, which writes the server line, has no unit test: its facts are asserted here.
    expect(run.stdout).toMatch(lineNaming(KVM_SERVER, 'web-kvm-1', 'RUN', 'KVM'))
    expect(run.summary).toContain('| Hypervisor | KVM (createServerImage) |')
  })

  it('sends no storage list: the server is imaged with its disks as they are', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, wait: 'false' })
    )

    expect(run.code).toBe(0)
    const create = sim.requests.find(r => r.action === 'createServerImage')
    expect(
      Object.keys(create?.params ?? {}).filter(key => key.startsWith('blockStorageList'))
    ).toEqual([])
    expect(sim.images()[0].blockStorageList).toEqual([])
    // The plan says so (unit-plan owns the line).
    expect(run.stdout).toMatch(/^ +disks: /m)
  })

  it('a KVM image that ends in CREFL fails fast', async () => {
    sim = await startScenarioSim()
    sim.setServer({
      serverInstanceNo: KVM_SERVER,
      serverName: 'web-kvm-1',
      hypervisor: 'KVM',
      failImage: true,
      createMs: 300
    })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'wait-timeout': '10m' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('failed')
    expect(run.stdout).toMatch(errorNaming(sim.images()[0].no, 'CREFL'))
    expect(run.outputs['image-status']).toBe('CREFL')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    expect(count(sim, 'getServerImageDetail')).toBeLessThan(10)
  })

  it('a KVM create whose reply is lost is adopted, as for XEN', async () => {
    sim = await startScenarioSim({ listLagMs: 300 })
    sim.addFault({ action: 'createServerImage', kind: 'drop', when: 'after' })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'image-name': 'kvm-1' })
    )

    expect(run.code).toBe(0)
    expect(count(sim, 'createServerImage')).toBe(1)
    expect(sim.images()).toHaveLength(1)
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('if-exists: fail finds an existing KVM image by name', async () => {
    sim = await startScenarioSim()
    const seeded = sim.addImage({
      kind: 'server',
      name: 'kvm-1',
      serverInstanceNo: KVM_SERVER,
      status: 'CREAT'
    })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'image-name': 'kvm-1' })
    )

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(errorNaming('"kvm-1"', seeded.no, 'CREAT'))
    expect(run.result.nextStep).toContain(`image-instance-no: ${seeded.no}`)
    expect(count(sim, 'createServerImage')).toBe(0)
  })

  it('dry-run on a KVM server shows the server image plan', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'dry-run': 'true' })
    )

    expect(run.code).toBe(0)
    expect(run.result.outcome).toBe('dry-run')
    expect(run.result.kind?.actions.create).toBe('createServerImage')
    expect(run.stdout).toMatch(lineNaming('KVM', 'createServerImage'))
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail', 'getServerImageList'])
    expect(run.outputs.hypervisor).toBe('KVM')
  })
})

describe('the server is checked before anything is created', () => {
  it('explicit xen on a KVM server is an error that says which to use', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, hypervisor: 'xen' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming('"hypervisor"', '"xen"', 'KVM', 'hypervisor: kvm'))
    expect(run.result.nextStep).toBe(NEXT.fixInputs)
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('explicit kvm on a XEN server is sent as asked: createServerImage, saying why', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { hypervisor: 'kvm', 'image-name': 'x_1' }))

    expect(run.code).toBe(0)
    expect(count(sim, 'createServerImage')).toBe(1)
    expect(count(sim, 'createMemberServerImageInstance')).toBe(0)
    // The plan says why: the input asked for it on a XEN server, and what auto would use.
    expect(run.result.kind?.actions.create).toBe('createServerImage')
    expect(run.stdout).toMatch(
      lineNaming('createServerImage', 'hypervisor: kvm', 'XEN', 'createMemberServerImageInstance')
    )
    const [image] = sim.images()
    expect(image).toMatchObject({ kind: 'server', serverInstanceNo: '1001', status: 'CREAT' })
    expect(run.outputs['image-instance-no']).toBe(image.no)
    expect(run.outputs.hypervisor).toBe('XEN')
    expect(run.summary).toContain('XEN (createServerImage)')
  })

  it('when NCP refuses createServerImage on a XEN server, the step says so and why it was sent', async () => {
    sim = await startScenarioSim({ kvmOnlyServerImages: true })
    const run = await runScenario(sim, baseInputs(sim, { hypervisor: 'kvm' }))

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(lineNaming('createServerImage', 'hypervisor: kvm', 'XEN'))
    expect(run.stdout).toMatch(/^::error::.*createServerImage.*24001/m)
    expect(sim.images()).toEqual([])
  })

  it('explicit kvm on a KVM server works', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, hypervisor: 'kvm', wait: 'false' })
    )

    expect(run.code).toBe(0)
    expect(count(sim, 'createServerImage')).toBe(1)
  })

  it('a RHV server uses the member image API and reports RHV', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'server-instance-no': '3001' }))

    expect(run.code).toBe(0)
    expect(count(sim, 'createMemberServerImageInstance')).toBe(1)
    expect(run.outputs.hypervisor).toBe('RHV')
    expect(run.stdout).toMatch(lineNaming('3001', 'db-rhv-1', 'NSTOP', 'RHV'))
  })

  it('a name that only the KVM rule allows is refused for a XEN server, naming the rule that applied', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': 'web_golden' }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(
      errorNaming('"web_golden"', 'createMemberServerImageInstance', '"_"')
    )
    expect(run.result.nextStep).toBe(NEXT.fixInputs)
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('a booting server is refused with its status, before any create', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'server-instance-no': '4001' }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming('4001', 'NSTOP', 'START'))
    expect(run.result.nextStep).toBe(NEXT.serverBusy)
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('a server that is neither running nor stopped is refused with its status', async () => {
    sim = await startScenarioSim()
    sim.setServer({
      serverInstanceNo: '5001',
      hypervisor: 'XEN',
      status: 'INIT',
      operation: 'NULL',
      statusName: 'init'
    })
    const run = await runScenario(sim, baseInputs(sim, { 'server-instance-no': '5001' }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming('5001', 'INIT'))
    expect(run.result.nextStep).toBe(NEXT.serverBusy)
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it.each([
    ['an unknown number', { 'server-instance-no': '999999' }],
    ['the wrong region', { region: 'SGN' }]
  ])('a server not found (%s) shows NCP message and what to check', async (_case, extra) => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, extra))

    expect(run.code).toBe(1)
    const answer = sim.requests[0]
    expect(answer.status).toBe(400)
    const given: Record<string, string> = extra
    const no = given['server-instance-no'] ?? '1001'
    const region = given.region ?? 'KR'
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(no, region, 'getServerInstanceDetail', '400'))
    expect(run.result.nextStep).toBe(NEXT.checkServer)
    expect(sim.requests).toHaveLength(1)
  })
})
