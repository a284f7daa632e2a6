import { afterEach, describe, expect, it } from '@jest/globals'
import { CancelledError } from '../src/lib/cancel.js'
import { errorNaming, runScenario, startScenarioSim, type ScenarioSim } from './helpers/scenario.js'
import { ACCESS_KEY, SECRET_KEY, baseInputs, count } from './helpers/sim.js'

// The action looks for a name after an uncertain create at 0, 1, 3 and 7 s (CONFIRM_DELAYS_MS).
const LOOKS_END_MS = 7_000

const CREATE = 'createMemberServerImageInstance'
const LIST = 'getMemberServerImageInstanceList'
const NAME = 'golden-web-1'
const DESCRIPTION = 'release 1.2'

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function seed(status: 'INIT' | 'CREAT' | 'CREFL', extra: { createMs?: number } = {}): string {
  return sim!.addImage({ kind: 'member', name: NAME, serverInstanceNo: '1001', status, ...extra })
    .no
}

describe('if-exists', () => {
  it('fail: a re-run with the same name stops before creating and names the existing image', async () => {
    sim = await startScenarioSim()
    const no = seed('CREAT')
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(`"${NAME}"`, no, 'CREAT', '1001'))
    expect(run.result.nextStep).toContain(`image-instance-no: ${no}`)
    expect(run.result.nextStep).toContain('if-exists: reuse')
    expect(count(sim, CREATE)).toBe(0)
    expect(sim.images()).toHaveLength(1)
    expect(run.outputs['image-instance-no']).toBeUndefined()
  })

  it('reuse: a created image is output as is, with no create call', async () => {
    sim = await startScenarioSim()
    const no = seed('CREAT')
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(0)
    expect(count(sim, 'getMemberServerImageInstanceDetail')).toBe(0)
    expect(run.outputs).toMatchObject({
      'image-instance-no': no,
      'image-status': 'CREAT',
      'image-name': NAME
    })
    expect(sim.images()).toHaveLength(1)
    expect(run.result).toMatchObject({ outcome: 'reused', origin: 'reused' })
  })

  it('reuse: an image still being created is waited for', async () => {
    sim = await startScenarioSim()
    const no = seed('INIT', { createMs: 3_000 })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(0)
    expect(count(sim, 'getMemberServerImageInstanceDetail')).toBeGreaterThanOrEqual(1)
    expect(run.outputs).toMatchObject({ 'image-instance-no': no, 'image-status': 'CREAT' })
    expect(sim.images()).toHaveLength(1)
  })

  it('reuse: an image of that name made from another server is not reused', async () => {
    sim = await startScenarioSim()
    const other = sim.addImage({
      kind: 'member',
      name: NAME,
      serverInstanceNo: '3001',
      status: 'CREAT'
    })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(other.no, '3001', '1001'))
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(count(sim, CREATE)).toBe(0)
  })

  it('reuse: a failed image is an error that says so', async () => {
    sim = await startScenarioSim()
    const no = seed('CREFL')
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'if-exists': 'reuse' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(no, 'CREFL'))
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(count(sim, CREATE)).toBe(0)
    expect(sim.images()).toHaveLength(1)
  })
})

describe('a create that fails or loses its reply never leaves a second image', () => {
  it.each(['throttle', 'endpoint-error'] as const)(
    'a create answered %s before reaching the service is sent again: one image',
    async kind => {
      sim = await startScenarioSim()
      sim.addFault({ action: CREATE, kind, when: 'before' })
      const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

      expect(run.code).toBe(0)
      expect(count(sim, CREATE)).toBe(2)
      expect(sim.images()).toHaveLength(1)
      expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
      expect(run.outputs['image-status']).toBe('CREAT')
    }
  )

  it('a throttled create is resent without a lookup, since the gateway never passed it on', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'throttle', when: 'before' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }))

    expect(run.code).toBe(0)
    // The first look by name, the two sends, and the sweep for other images of the name.
    expect(sim.requests.map(r => r.action).filter(a => a === LIST || a === CREATE)).toEqual([
      LIST,
      CREATE,
      CREATE,
      LIST
    ])
    expect(sim.requests.filter(r => r.action === CREATE).map(r => r.status)).toEqual([429, 200])
    expect(run.result).toMatchObject({ outcome: 'creating', origin: 'created' })
  })

  it.each(['unexpected', 'endpoint-timeout', 'service-retry', 'drop'] as const)(
    'a create carried out but answered %s is found by name and adopted: one image, no second create',
    async kind => {
      sim = await startScenarioSim({ listLagMs: 400 })
      sim.addFault({ action: CREATE, kind, when: 'after' })
      const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

      expect(run.code).toBe(0)
      expect(count(sim, CREATE)).toBe(1)
      expect(sim.images()).toHaveLength(1)
      const [image] = sim.images()
      expect(run.outputs).toMatchObject({ 'image-instance-no': image.no, 'image-status': 'CREAT' })
      expect(run.result).toMatchObject({ outcome: 'created', origin: 'adopted' })
    }
  )

  it('a resent create that answers "name in use" after a lost reply adopts the first image', async () => {
    // The list lags longer than the first round of looks, so the action resends; the service then
    // refuses the name, and the next looks find the image the first create made.
    sim = await startScenarioSim({ listLagMs: LOOKS_END_MS + 2_500 })
    sim.addFault({ action: CREATE, kind: 'endpoint-error', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(2)
    expect(sim.requests.filter(r => r.action === CREATE).map(r => r.status)).toEqual([503, 400])
    expect(sim.images()).toHaveLength(1)
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('a create carried out but answered with a 500 service error is adopted, not reported as refused', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'service-internal', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }))

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(1)
    expect(sim.images()).toHaveLength(1)
    expect(sim.requests.filter(r => r.action === CREATE).map(r => r.status)).toEqual([500])
    expect(run.result).toMatchObject({ outcome: 'creating', origin: 'adopted' })
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('a create answered with a 500 service error that made nothing is sent again once the looks are empty', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'service-internal', when: 'before' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }))

    expect(run.code).toBe(0)
    expect(count(sim, CREATE)).toBe(2)
    expect(sim.images()).toHaveLength(1)
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    // One look before, four after the 500, and one at the end that names every image of the name.
    expect(count(sim, LIST)).toBe(6)
  })

  it('when no look finds the image a lost reply made, the error names it and says it may exist', async () => {
    sim = await startScenarioSim({ listLagMs: 60_000 })
    sim.addFault({ action: CREATE, kind: 'drop', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(run.code).toBe(1)
    expect(sim.images()).toHaveLength(1)
    expect(count(sim, CREATE)).toBe(2)
    // The first create was carried out, its reply dropped; the second was refused on the name.
    expect(sim.requests.filter(r => r.action === CREATE).map(r => r.status)).toEqual([0, 400])
    expect(run.result.outcome).toBe('uncertain')
    expect(run.stdout).toMatch(errorNaming(`"${NAME}"`))
    expect(run.result.nextStep).toContain('if-exists: reuse')
    expect(run.outputs['image-instance-no']).toBeUndefined()
  })

  it('never prints a key or signature, also on failures and retries with debug on', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'drop', when: 'after' })
    sim.addFault({ action: LIST, kind: 'throttle', times: 2 })
    const ok = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }), {
      env: { RUNNER_DEBUG: '1' }
    })
    const refused = await runScenario(
      sim!,
      baseInputs(sim, { 'secret-key': `${SECRET_KEY}-wrong` }),
      {
        env: { RUNNER_DEBUG: '1' }
      }
    )

    expect(ok.code).toBe(0)
    expect(refused.code).toBe(1)
    for (const run of [ok, refused]) {
      const log = run.stdout
        .split('\n')
        .filter(line => !line.startsWith('::add-mask::'))
        .join('\n')
      const everything = log + run.stderr + run.summary + JSON.stringify(run.outputs)
      expect(everything).not.toContain(ACCESS_KEY)
      expect(everything).not.toContain(SECRET_KEY)
      for (const request of sim.requests) {
        expect(everything).not.toContain(request.headers['x-ncp-apigw-signature-v2'])
      }
    }
  })

  it('a re-run after a lost reply fails on the name (if-exists: fail) or picks the image up (reuse)', async () => {
    sim = await startScenarioSim({ createMs: 30_000 })
    sim.addFault({ action: CREATE, kind: 'drop', when: 'after' })
    const first = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }))
    const no = sim.images()[0].no
    expect(first.code).toBe(0)
    expect(first.outputs['image-instance-no']).toBe(no)

    const again = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, wait: 'false' }))
    expect(again.code).toBe(1)
    expect(again.result.outcome).toBe('error')
    expect(again.stdout).toMatch(errorNaming(no, 'INIT'))

    const reuse = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, wait: 'false', 'if-exists': 'reuse' })
    )
    expect(reuse.code).toBe(0)
    expect(reuse.outputs['image-instance-no']).toBe(no)
    expect(count(sim, CREATE)).toBe(1)
    expect(sim.images()).toHaveLength(1)
  })

  it('cancelled while looking for a lost image: logs the number and name of the image that exists', async () => {
    // The looks at 0 and 1 s miss. Once the look at 1 s has been answered and the lag is over, the
    // signal comes while the action pauses until its look at 3 s.
    const LAG_MS = 1_500
    const controller = new AbortController()
    let lists = 0
    let cancelled = false
    sim = await startScenarioSim({
      listLagMs: LAG_MS,
      createMs: 60_000,
      onRequest: request => {
        if (request.action === LIST) lists++
      }
    })
    // The pause after the third list (the look at 1 s) is where the signal comes.
    sim.clock.onSleep = () => {
      if (lists !== 3 || cancelled) return
      cancelled = true
      controller.abort(new CancelledError('SIGINT'))
    }
    sim.addFault({ action: CREATE, kind: 'drop', when: 'after' })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'poll-interval': '10s' }),
      { controller }
    )

    expect(cancelled).toBe(true)
    expect(run.code).toBe(1)
    const [image] = sim.images()
    expect(sim.images()).toHaveLength(1)
    expect(run.stdout).toContain(`image ${image.no} named "${NAME}" exists (INIT)`)
    expect(run.outputs['image-instance-no']).toBe(image.no)
    expect(count(sim, CREATE)).toBe(1)
  })

  it('cancelled between create retries: stops promptly and says what it found', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: CREATE, kind: 'throttle', when: 'before', retryAfterSeconds: 30 })
    let sent = false
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }), {
      onLine: (line, cancel) => {
        if (!sent && line.includes('sent again in 30000 ms')) {
          sent = true
          cancel('SIGTERM')
        }
      }
    })

    expect(sent).toBe(true)
    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('cancelled')
    expect(run.stdout).toMatch(errorNaming('SIGTERM', `"${NAME}"`))
    expect(count(sim, CREATE)).toBe(1)
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(sim.images()).toHaveLength(0)
  })
})

describe('dry-run', () => {
  it('checks with read-only calls, logs the plan, creates nothing and sets no image outputs', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-name': NAME, 'image-description': DESCRIPTION, 'dry-run': 'true' })
    )

    expect(run.code).toBe(0)
    expect(sim.requests.map(r => r.action)).toEqual(['getServerInstanceDetail', LIST])
    expect(sim.images()).toHaveLength(0)
    expect(run.result).toMatchObject({
      outcome: 'dry-run',
      dryRun: true,
      kind: { actions: { create: CREATE } },
      imageName: NAME,
      region: 'KR'
    })
    // The plan (worded in unit-plan) carries the inputs and the gateway the run was given.
    expect(run.stdout).toContain(JSON.stringify(DESCRIPTION))
    expect(run.stdout).toContain(`POST ${sim.url}/vserver/v2/${CREATE}`)
    expect(run.outputs['image-instance-no']).toBeUndefined()
    expect(run.outputs['image-status']).toBeUndefined()
    expect(run.outputs.outcome).toBe('dry-run')
  })

  it('fails like the real run would when the name is taken and if-exists is fail', async () => {
    sim = await startScenarioSim()
    const seeded = seed('CREAT')
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME, 'dry-run': 'true' }))

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming(`"${NAME}"`, seeded))
    expect(count(sim, CREATE)).toBe(0)
  })

  it('fails on bad credentials, since it checks them', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'secret-key': 'wrong', 'dry-run': 'true' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    // The server read was refused at the gateway (401): the dry run checked the keys.
    expect(sim.requests.map(r => [r.action, r.status])).toEqual([['getServerInstanceDetail', 401]])
    expect(run.stdout).toMatch(errorNaming('401'))
  })
})

describe('a create that NCP answered as a success', () => {
  it('is never sent again, even when the looks find nothing: one image, and the error says it may exist', async () => {
    sim = await startScenarioSim({ listLagMs: 60_000, uniqueNames: false })
    sim.addFault({ action: CREATE, kind: 'no-list', when: 'after' })
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': NAME }))

    expect(count(sim, CREATE)).toBe(1)
    expect(sim.images()).toHaveLength(1)
    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('uncertain')
    expect(run.stdout).toMatch(errorNaming(`"${NAME}"`))
    expect(run.outputs['image-instance-no']).toBeUndefined()
  })
})
