import { afterEach, describe, expect, it } from '@jest/globals'
import { runScenario, startScenarioSim, type ScenarioSim } from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'

const KVM_SERVER = '2001'

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
    expect(run.stdout).toContain('Server 2001 (web-kvm-1): RUN (running), hypervisor KVM.')
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
    expect(run.stdout).toContain("disks:       the server's disks as they are")
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
    expect(run.stdout).toContain('status CREFL')
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
    expect(run.stdout).toContain(`number ${seeded.no}, status CREAT`)
    expect(count(sim, 'createServerImage')).toBe(0)
  })

  it('dry-run on a KVM server shows the server image plan', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': KVM_SERVER, 'dry-run': 'true' })
    )

    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      'Dry run: would create a server image (KVM) with createServerImage:'
    )
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
    expect(run.stdout).toContain('Input "hypervisor" is "xen", but the server\'s hypervisor is KVM')
    expect(run.stdout).toContain('Use hypervisor: kvm (or auto)')
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('explicit kvm on a XEN server is sent as asked: createServerImage, saying why', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { hypervisor: 'kvm', 'image-name': 'x_1' }))

    expect(run.code).toBe(0)
    expect(count(sim, 'createServerImage')).toBe(1)
    expect(count(sim, 'createMemberServerImageInstance')).toBe(0)
    expect(run.stdout).toContain(
      'image API:   createServerImage, since hypervisor: kvm asks for it on this XEN server (auto would use createMemberServerImageInstance)'
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
    expect(run.stdout).toContain('since hypervisor: kvm asks for it on this XEN server')
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
    expect(run.stdout).toContain('Server 3001 (db-rhv-1): NSTOP')
  })

  it('a name that only the KVM rule allows is refused for a XEN server, naming the rule that applied', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': 'web_golden' }))

    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'breaks the createMemberServerImageInstance (XEN/RHV) naming rule: it contains "_"'
    )
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('a booting server is refused with its status, before any create', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'server-instance-no': '4001' }))

    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      'Server 4001 is NSTOP (booting) with the operation START in progress'
    )
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
    expect(run.stdout).toContain(
      'Server 5001 is INIT (init); an image can be made only of a server that is running (RUN) or stopped (NSTOP)'
    )
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
    expect(run.stdout).toMatch(
      /could not be read in region (KR|SGN): getServerInstanceDetail failed: HTTP 400, NCP returnCode \d+, "[^"]+"/
    )
    expect(run.stdout).toContain('Check server-instance-no and region')
    expect(sim.requests).toHaveLength(1)
  })
})
