import { afterEach, describe, expect, it } from '@jest/globals'
import {
  errorNaming,
  runScenario,
  startScenarioSim,
  warningNaming,
  type ScenarioSim
} from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'

// Re-runs and resumes that need no human: run-stable names, image-instance-no, the outcome output,
// provenance for KVM images, and messages that say what works.
const CREATE = 'createMemberServerImageInstance'
const KVM_CREATE = 'createServerImage'
const WORKFLOW = {
  GITHUB_RUN_ID: '16612345678',
  GITHUB_RUN_ATTEMPT: '1',
  GITHUB_JOB: 'golden-image',
  GITHUB_ACTION: 'image',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/web',
  GITHUB_SHA: '1a2b3c4d5e6f'
}

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('a generated name survives a re-run', () => {
  it('a re-run after a timeout finds the first attempt’s image by its name and waits for it: one image', async () => {
    sim = await startScenarioSim({ createMs: 120_000 })
    const first = await runScenario(
      sim,
      baseInputs(sim, { 'wait-timeout': '1m', 'poll-interval': '10s' }),
      {
        env: WORKFLOW
      }
    )
    expect(first.code).toBe(1)
    expect(first.result.outcome).toBe('timed-out')
    const [image] = sim.images()
    expect(first.stdout).toMatch(errorNaming(`image-instance-no: ${image.no}`))
    // The name is run-stable, so the next step offers the re-run (which the second run proves).
    expect(first.result.nextStep).not.toMatch(new RegExp(`image-instance-no: ${image.no}\\.$`))
    expect(first.result.nextStep).not.toContain('if-exists')

    const again = await runScenario(
      sim,
      baseInputs(sim, { 'wait-timeout': '5m', 'poll-interval': '10s' }),
      {
        env: { ...WORKFLOW, GITHUB_RUN_ATTEMPT: '2' }
      }
    )
    expect(again.code).toBe(0)
    expect(count(sim, CREATE)).toBe(1)
    expect(sim.images()).toHaveLength(1)
    expect(again.result.origin).toBe('resumed')
    expect(again.outputs).toMatchObject({
      'image-instance-no': image.no,
      'image-status': 'CREAT',
      outcome: 'resumed'
    })
  })

  it('a re-run after a cancel picks the image up, whatever if-exists says', async () => {
    sim = await startScenarioSim({ createMs: 120_000 })
    const first = await runScenario(sim, baseInputs(sim), {
      env: WORKFLOW,
      onLine: (line, cancel) => {
        if (line.startsWith('Waiting up to')) cancel('SIGINT')
      }
    })
    expect(first.result.outcome).toBe('cancelled')

    const again = await runScenario(
      sim,
      baseInputs(sim, { 'if-exists': 'fail', 'poll-interval': '10s' }),
      {
        env: { ...WORKFLOW, GITHUB_RUN_ATTEMPT: '2' }
      }
    )
    expect(again.code).toBe(0)
    expect(sim.images()).toHaveLength(1)
    expect(again.outputs.outcome).toBe('resumed')
  })

  it('differs between steps and between servers of one run, and is valid for both name rules', async () => {
    sim = await startScenarioSim()
    const names = new Set<string>()
    for (const [action, server] of [
      ['image', '1001'],
      ['image-again', '1001'],
      ['image', '2001']
    ]) {
      const run = await runScenario(sim, baseInputs(sim, { 'server-instance-no': server }), {
        env: { ...WORKFLOW, GITHUB_ACTION: action }
      })
      expect(run.code).toBe(0)
      expect(run.outputs.outcome).toBe('created')
      names.add(run.outputs['image-name'])
    }
    expect(names.size).toBe(3)
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]{1,28}[a-z0-9]$/)
  })

  it('an image of the generated name made from another server is not taken for an earlier attempt', async () => {
    sim = await startScenarioSim()
    const first = await runScenario(sim, baseInputs(sim, { wait: 'false' }), { env: WORKFLOW })
    const name = first.outputs['image-name']
    await sim.close()
    sim = await startScenarioSim()
    sim.addImage({ kind: 'member', name, serverInstanceNo: '3001', status: 'CREAT' })
    const run = await runScenario(sim, baseInputs(sim), { env: WORKFLOW })

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.result.origin).toBeUndefined()
    expect(run.stdout).toMatch(errorNaming(`"${name}"`, '3001'))
    // Neither reuse nor a resume by number picks up another server's image.
    expect(run.result.nextStep).not.toContain('if-exists: reuse')
    expect(run.result.nextStep).not.toContain('image-instance-no')
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(count(sim, CREATE)).toBe(0)
  })
})

describe('resume by number: image-instance-no', () => {
  it('waits for an existing image without creating, and sets the outputs', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'INIT',
      createMs: 30_000
    }).no
    const run = await runScenario(sim, baseInputs(sim, { 'image-instance-no': no }))

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(0)
    expect(run.outputs).toMatchObject({
      'image-instance-no': no,
      'image-status': 'CREAT',
      outcome: 'resumed'
    })
    expect(run.result.origin).toBe('resumed')
    expect(count(sim, 'getMemberServerImageInstanceList')).toBe(0)
  })

  it('needs no server: finds which image API knows the number', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'server',
      name: 'kvm-golden',
      serverInstanceNo: '2001',
      status: 'CREAT'
    }).no
    const inputs = baseInputs(sim, { 'image-instance-no': no })
    delete inputs['server-instance-no']
    const run = await runScenario(sim, inputs)

    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'image-instance-no': no, outcome: 'resumed' })
    expect(count(sim, 'getServerInstanceDetail')).toBe(0)
    expect(count(sim, 'getServerImageDetail')).toBe(1)
    expect(count(sim, KVM_CREATE)).toBe(0)
  })

  it('with hypervisor set and no server, asks only that image API', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'server',
      name: 'kvm-a',
      serverInstanceNo: '2001',
      status: 'CREAT'
    }).no
    const inputs = baseInputs(sim, { 'image-instance-no': no, hypervisor: 'kvm' })
    delete inputs['server-instance-no']
    const run = await runScenario(sim, inputs)

    expect(run.code).toBe(0)
    expect(count(sim, 'getMemberServerImageInstanceDetail')).toBe(0)
  })

  it('fails clearly for a number neither API knows', async () => {
    sim = await startScenarioSim()
    const inputs = baseInputs(sim, { 'image-instance-no': '424242' })
    delete inputs['server-instance-no']
    const run = await runScenario(sim, inputs)

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(
      errorNaming('424242', 'KR', 'getMemberServerImageInstanceDetail', 'getServerImageDetail')
    )
    expect(actionsCalled(sim)).toEqual([
      'getMemberServerImageInstanceDetail',
      'getServerImageDetail'
    ])
    expect(
      sim.requests.every(r => r.params.memberServerImageInstanceNo ?? r.params.serverImageNo)
    ).toBe(true)
    expect(run.outputs['image-instance-no']).toBeUndefined()
  })

  it('fails clearly for an image of another server than the one named', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'db-1',
      serverInstanceNo: '3001',
      status: 'CREAT'
    }).no
    const run = await runScenario(sim, baseInputs(sim, { 'image-instance-no': no }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(no, '3001', '1001'))
    expect(count(sim, 'getMemberServerImageInstanceDetail')).toBe(1)
  })

  it('a timeout names the exact step that resumes the image', async () => {
    sim = await startScenarioSim({ createMs: 600_000 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': 'golden-web-1', 'wait-timeout': '1m' })
    )
    const no = sim.images()[0].no

    expect(run.result.outcome).toBe('timed-out')
    expect(run.stdout).toMatch(errorNaming(`image-instance-no: ${no}`))
    expect(run.summary).toContain(`image-instance-no: ${no}`)

    const resumed = await runScenario(
      sim,
      baseInputs(sim, { 'image-instance-no': no, 'wait-timeout': '20m', 'poll-interval': '30s' })
    )
    expect(resumed.code).toBe(0)
    expect(resumed.outputs.outcome).toBe('resumed')
    expect(sim.images()).toHaveLength(1)
  })
})

describe('the outcome output', () => {
  it.each([
    ['created', {}],
    ['creating', { wait: 'false' }],
    ['dry-run', { 'dry-run': 'true' }]
  ] as const)('is %s', async (outcome, extra) => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': 'golden-web-1', ...extra }))
    expect(run.code).toBe(0)
    expect(run.outputs.outcome).toBe(outcome)
  })

  it('is reused for an existing image with if-exists: reuse', async () => {
    sim = await startScenarioSim()
    sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'CREAT'
    })
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-name': 'golden-web-1', 'if-exists': 'reuse' })
    )
    expect(run.outputs.outcome).toBe('reused')
  })

  it('says how a failed run ended, next to the image number', async () => {
    sim = await startScenarioSim({ failImages: true })
    const run = await runScenario(sim, baseInputs(sim))
    expect(run.outputs).toMatchObject({ outcome: 'failed', 'image-status': 'CREFL' })
  })
})

describe('provenance, and KVM images that can be checked', () => {
  const kvm = { 'server-instance-no': '2001' }

  it('an empty image-description becomes a provenance description within 1000 bytes', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, kvm), { env: WORKFLOW })

    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(image.description).toMatch(
      /^ncloud-server-image-action: server 2001 \(web-kvm-1\); repository acme\/web; commit 1a2b3c4d5e6f; run https:\/\/github\.com\/acme\/web\/actions\/runs\/16612345678; step [0-9a-f]{6}$/
    )
    expect(Buffer.byteLength(image.description)).toBeLessThanOrEqual(1000)
  })

  it('reuse refuses a KVM image whose provenance names another server', async () => {
    sim = await startScenarioSim()
    const theirs = sim.addImage({
      kind: 'server',
      name: 'kvm-golden',
      serverInstanceNo: '9001',
      status: 'CREAT',
      description: 'ncloud-server-image-action: server 9001 (other)'
    }).no
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...kvm, 'image-name': 'kvm-golden', 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(theirs, '9001', '2001'))
    expect(count(sim, KVM_CREATE)).toBe(0)
  })

  it('reuse takes a KVM image whose source cannot be verified only with a warning that says so', async () => {
    sim = await startScenarioSim()
    const byHand = sim.addImage({
      kind: 'server',
      name: 'kvm-golden',
      serverInstanceNo: '9001',
      status: 'CREAT',
      description: 'made by hand'
    }).no
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...kvm, 'image-name': 'kvm-golden', 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'image-instance-no': byHand, outcome: 'reused' })
    expect(run.stdout).toMatch(warningNaming(byHand, '"kvm-golden"'))
  })

  it('a lost reply adopts an unverifiable KVM image only with a warning', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: KVM_CREATE, kind: 'drop', when: 'after' })
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...kvm, 'image-name': 'kvm-golden', 'image-description': 'hand-written' })
    )

    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(run.result.origin).toBe('adopted')
    expect(count(sim, KVM_CREATE)).toBe(1)
    expect(run.stdout).toMatch(warningNaming(image.no))
  })

  it('a lost reply adopts a KVM image with this action’s provenance without a warning', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: KVM_CREATE, kind: 'drop', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { ...kvm, 'image-name': 'kvm-golden' }))

    expect(run.code).toBe(0)
    expect(run.result.origin).toBe('adopted')
    expect(count(sim, KVM_CREATE)).toBe(1)
    expect(run.stdout).not.toMatch(/^::warning::/m)
  })
})

describe('messages that tell the truth', () => {
  it('an IPv6 loopback api-url works', async () => {
    sim = await startScenarioSim({ host: '::1' })
    expect(sim.url).toMatch(/^http:\/\/\[::1\]:\d+$/)
    const run = await runScenario(sim, baseInputs(sim))
    expect(run.code).toBe(0)
  })

  it('reuse and dry-run with reuse say they would use the image, not create one', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'CREAT'
    }).no
    const inputs = baseInputs(sim, { 'image-name': 'golden-web-1', 'if-exists': 'reuse' })
    const real = await runScenario(sim, inputs)
    const dry = await runScenario(sim, { ...inputs, 'dry-run': 'true' })

    expect(real.outputs).toMatchObject({ 'image-instance-no': no, outcome: 'reused' })
    expect(dry.result.outcome).toBe('dry-run')
    // The next step names the image the real run would use (dryRunDone names none).
    expect(dry.result.nextStep).toMatch(new RegExp(`\\b${no}\\b`))
    // Neither plan names the create's endpoint, and neither run sent a create.
    for (const run of [real, dry]) expect(run.stdout).not.toContain(`/${CREATE}`)
    expect(count(sim, CREATE)).toBe(0)
  })

  it('a dry run says that it cannot check the permission to create', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'dry-run': 'true' }))
    // run.ts has no unit test yet: its sentence is asserted here until it has one.
    expect(run.stdout).toContain('A dry run cannot check that the key may create images')
  })

  it('a failed dry run is marked as one, and a name never attempted is not shown', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'dry-run': 'true', 'server-instance-no': '4001' })
    )

    expect(run.code).toBe(1)
    expect(run.result).toMatchObject({ dryRun: true, failed: true })
    expect(run.result.imageName).toBeUndefined()
    expect(run.summary).toMatch(/^### 🧪 /)
    expect(actionsCalled(sim)).toEqual(['getServerInstanceDetail'])
  })

  it('wait: false says once that the image is being created', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { wait: 'false' }))
    const no = run.outputs['image-instance-no']
    expect(run.stdout.split('\n').filter(line => line.startsWith(`Image ${no} `))).toHaveLength(1)
  })

  it('a cancel before any create says what to do next in the summary', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim), {
      onLine: (line, cancel) => {
        if (line.startsWith('NCP API')) cancel('SIGTERM')
      }
    })
    expect(run.result.outcome).toBe('cancelled')
    expect(run.result.image).toBeUndefined()
    expect(count(sim, CREATE)).toBe(0)
    expect(run.result.nextStep).toBeDefined()
    expect(run.summary).toContain(run.result.nextStep!)
  })

  it('a gateway from NCLOUD_API_GW is named as such in a network error, and a site it overrides is warned of', async () => {
    sim = await startScenarioSim()
    const inputs = baseInputs(sim, { site: 'gov' })
    delete inputs['api-url']
    const run = await runScenario(sim, inputs, {
      env: { NCLOUD_API_GW: 'http://127.0.0.1:9' }
    })

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(warningNaming('NCLOUD_API_GW', 'site: gov'))
    expect(run.stdout).toMatch(errorNaming('NCLOUD_API_GW'))
    const errors = run.stdout.split('\n').filter(line => line.startsWith('::error::'))
    expect(errors.join('\n')).not.toContain('api-url')
  })
})

describe('a dry run of a resume', () => {
  it('checks the image and sets no image outputs', async () => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'INIT'
    }).no
    const run = await runScenario(
      sim,
      baseInputs(sim, { 'image-instance-no': no, 'dry-run': 'true' })
    )

    expect(run.code).toBe(0)
    expect(run.result.outcome).toBe('dry-run')
    expect(run.result.image?.no).toBe(no)
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(run.outputs.outcome).toBe('dry-run')
    expect(run.summary).toContain(no)
  })
})

describe('the next step after a timeout names only what finds the image again', () => {
  const timeout = { 'wait-timeout': '1m', 'poll-interval': '10s' }
  // The resume hint, and nothing after it: no re-run and no if-exists: reuse is offered.
  const numberOnly = (no: string): RegExp => new RegExp(`image-instance-no: ${no}\\.$`)

  it('image-name with {time} and its own description: only image-instance-no, not if-exists: reuse', async () => {
    sim = await startScenarioSim({ createMs: 600_000 })
    const run = await runScenario(
      sim,
      baseInputs(sim, {
        ...timeout,
        'image-name': 'build-{time}',
        'image-description': 'nightly build'
      }),
      { env: WORKFLOW }
    )

    expect(run.result.outcome).toBe('timed-out')
    const [image] = sim.images()
    expect(image.name).toMatch(/^build-\d{6}$/)
    // A re-run names the image after another time, and this description does not tie it to the run.
    expect(run.result.nextStep).toMatch(numberOnly(image.no))
    expect(run.stdout).not.toContain('if-exists: reuse')
    expect(run.summary).not.toContain('if-exists: reuse')
  })

  it('image-name with {time} and the provenance description in a workflow run: a re-run finds it, and does', async () => {
    sim = await startScenarioSim({ createMs: 600_000 })
    const inputs = baseInputs(sim, { ...timeout, 'image-name': 'build-{time}' })
    const first = await runScenario(sim, inputs, { env: WORKFLOW })

    expect(first.result.outcome).toBe('timed-out')
    const [image] = sim.images()
    expect(first.result.nextStep).toContain(`image-instance-no: ${image.no}`)
    expect(first.result.nextStep).not.toMatch(numberOnly(image.no))
    expect(first.result.nextStep).not.toContain('if-exists: reuse')

    // What the advice says holds: the re-run, at another time, uses that image.
    sim.clock.advance(120_000)
    const again = await runScenario(
      sim,
      baseInputs(sim, {
        'wait-timeout': '20m',
        'poll-interval': '30s',
        'image-name': 'build-{time}'
      }),
      { env: { ...WORKFLOW, GITHUB_RUN_ATTEMPT: '2' } }
    )
    expect(again.code).toBe(0)
    expect(sim.images()).toHaveLength(1)
    expect(again.outputs).toMatchObject({ 'image-instance-no': image.no, outcome: 'resumed' })
  })

  it('image-name with {time} outside a workflow run (no GITHUB_RUN_ID): only image-instance-no', async () => {
    sim = await startScenarioSim({ createMs: 600_000 })
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...timeout, 'image-name': 'build-{time}' })
    )

    expect(run.result.outcome).toBe('timed-out')
    expect(run.result.nextStep).toMatch(numberOnly(sim.images()[0].no))
  })

  it.each([
    ['in a workflow run', {}],
    ['with an image-name it does not use', { 'image-name': 'golden-web-1' }]
  ])('a resume by number that times out, %s: only image-instance-no', async (_label, extra) => {
    sim = await startScenarioSim()
    const no = sim.addImage({
      kind: 'member',
      name: 'golden-web-1',
      serverInstanceNo: '1001',
      status: 'INIT',
      createMs: 600_000
    }).no
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...timeout, ...extra, 'image-instance-no': no }),
      { env: WORKFLOW }
    )

    expect(run.result.outcome).toBe('timed-out')
    expect(run.result.nextStep).toMatch(numberOnly(no))
    expect(run.stdout).not.toContain('if-exists: reuse')
    expect(run.stdout).toMatch(errorNaming(`image-instance-no: ${no}`))
  })
})
