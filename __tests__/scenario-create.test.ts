import { afterEach, describe, expect, it } from '@jest/globals'
import { NEXT } from '../src/model/next-steps.js'
import { errorNaming, runScenario, startScenarioSim, type ScenarioSim } from './helpers/scenario.js'
import { ACCESS_KEY, SECRET_KEY, actionsCalled, baseInputs, count } from './helpers/sim.js'

const CREATE = 'createMemberServerImageInstance'
const DETAIL = 'getMemberServerImageInstanceDetail'

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('the bundled action against the simulator', () => {
  it('creates an image, waits for it, and sets outputs and the summary', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'image-name': 'golden-web-1' }))

    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(sim.images()).toHaveLength(1)
    expect(image).toMatchObject({ name: 'golden-web-1', serverInstanceNo: '1001', status: 'CREAT' })
    expect(run.outputs).toMatchObject({
      'image-instance-no': image.no,
      'image-name': 'golden-web-1',
      'image-status': 'CREAT',
      hypervisor: 'XEN'
    })
    expect(JSON.parse(run.outputs.image)).toMatchObject({ memberServerImageInstanceNo: image.no })
    expect(actionsCalled(sim).slice(0, 3)).toEqual([
      'getServerInstanceDetail',
      'getMemberServerImageInstanceList',
      CREATE
    ])
    expect(count(sim, DETAIL)).toBeGreaterThanOrEqual(1)
    expect(run.result.outcome).toBe('created')
    expect(run.summary).toMatch(new RegExp(`\\| Image number \\| ${image.no} \\|`))
    expect(run.summary).toContain('| Region | KR |')
    expect(run.summary).toContain('| Server | 1001 (web-xen-1) |')
    expect(run.result.elapsedMs).toBeGreaterThan(0)
    // It polled while NCP was still creating the image, and logged the status each poll read.
    const polls = sim.requests.filter(request => request.action === DETAIL)
    expect(polls[0].at).toBeLessThan(image.completedAt)
    expect(run.stdout).toMatch(new RegExp(`^Image ${image.no} .*\\bINIT\\b`, 'm'))
    expect(run.stdout).toContain('CREAT (created)')
  })

  it('signs every request so the simulator accepts it, sends regionCode and json, and a fresh timestamp each time', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { region: 'kr' }))

    expect(run.code).toBe(0)
    expect(sim.requests.length).toBeGreaterThanOrEqual(4)
    for (const request of sim.requests) {
      expect(request.authOk).toBe(true)
      expect(request.method).toBe('POST')
      expect(request.params).toMatchObject({ regionCode: 'KR', responseFormatType: 'json' })
    }
    const stamps = sim.requests.map(request => request.headers['x-ncp-apigw-timestamp'])
    expect(new Set(stamps).size).toBe(stamps.length)
  })

  it('delivers a description with reserved characters and Korean text byte for byte', async () => {
    sim = await startScenarioSim()
    const description = 'nightly build: a b&c=d+e/f%20g?h#i 테스트 100%'
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'image-description': description, wait: 'false' })
    )

    expect(run.code).toBe(0)
    const create = sim.requests.find(request => request.action === CREATE)
    expect(create?.params.memberServerImageDescription).toBe(description)
    expect(sim.images()[0].description).toBe(description)
  })

  it('generates a valid name when image-name is empty', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { wait: 'false' }))

    expect(run.code).toBe(0)
    const sent = sim.requests.find(request => request.action === CREATE)?.params
      .memberServerImageName
    expect(sent).toMatch(/^img-1001-\d{8}-\d{6}$/)
    expect(run.outputs['image-name']).toBe(sent)
  })

  it('returns right after the create call with wait: false', async () => {
    sim = await startScenarioSim({ createMs: 30_000 })
    const run = await runScenario(sim, baseInputs(sim, { wait: 'false' }))

    expect(run.code).toBe(0)
    expect(count(sim, DETAIL)).toBe(0)
    expect(run.outputs['image-status']).toBe('INIT')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
    expect(run.result.outcome).toBe('creating')
    expect(run.outputs.outcome).toBe('creating')
  })

  it('fails at once when the image ends in CREFL, with its number in the outputs', async () => {
    sim = await startScenarioSim({ failImages: true, createMs: 400 })
    const run = await runScenario(sim, baseInputs(sim, { 'wait-timeout': '60m' }))

    expect(run.code).toBe(1)
    const no = sim.images()[0].no
    expect(run.result.outcome).toBe('failed')
    expect(run.stdout).toMatch(errorNaming(no, 'CREFL'))
    expect(run.outputs['image-status']).toBe('CREFL')
    expect(run.outputs['image-instance-no']).toBe(no)
    expect(run.result.nextStep).toBe(NEXT.deleteFailed)
    // It stopped polling when it saw CREFL: far fewer polls than a 60-minute wait would make.
    expect(count(sim, DETAIL)).toBeLessThan(10)
  })

  it('times out with the image number and a hint to wait longer', async () => {
    sim = await startScenarioSim({ createMs: 60_000 })
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'wait-timeout': '1s', 'poll-interval': '200ms' })
    )

    expect(run.code).toBe(1)
    const no = sim.images()[0].no
    expect(run.result.outcome).toBe('timed-out')
    expect(run.stdout).toMatch(errorNaming(no, 'INIT', '1s'))
    expect(run.result.nextStep).toContain('wait-timeout')
    expect(run.result.nextStep).toContain(`image-instance-no: ${no}`)
    expect(run.outputs['image-instance-no']).toBe(no)
    expect(run.outputs['image-status']).toBe('INIT')
    expect(sim.images()).toHaveLength(1)
  })

  it.each([
    ['throttle', 429],
    ['endpoint-error', 503],
    ['service-retry', 500],
    ['drop', 0]
  ] as const)(
    'retries a %s fault (HTTP %d) while polling and still succeeds',
    async (kind, status) => {
      sim = await startScenarioSim()
      sim.addFault({ action: DETAIL, kind, times: 2 })
      const run = await runScenario(sim, baseInputs(sim))

      expect(run.code).toBe(0)
      expect(run.outputs['image-status']).toBe('CREAT')
      const faulted = sim.requests.filter(request => request.fault === kind)
      expect(faulted).toHaveLength(2)
      expect(faulted.every(request => request.status === status)).toBe(true)
      // Each failed poll was logged, naming the action, and polled again.
      expect(run.stdout.split('\n').some(line => line.startsWith(`${DETAIL}: `))).toBe(true)
      expect(count(sim, DETAIL)).toBeGreaterThan(2)
    }
  )

  it('a permanent error while waiting stops the wait and still names the image', async () => {
    sim = await startScenarioSim({ createMs: 30_000 })
    sim.addFault({ action: DETAIL, kind: 'permission' })
    const run = await runScenario(sim, baseInputs(sim))

    expect(run.code).toBe(1)
    const no = sim.images()[0].no
    expect(count(sim, DETAIL)).toBe(1)
    expect(run.result.outcome).toBe('wait-failed')
    expect(sim.requests.find(request => request.action === DETAIL)?.status).toBe(401)
    expect(run.stdout).toMatch(errorNaming(no, DETAIL, '401', '210'))
    // The name was generated from the time: a re-run would not find it, so only the number is advised.
    expect(run.stdout).toContain(`image-instance-no: ${no}`)
    expect(run.stdout).not.toContain('if-exists: reuse')
    expect(run.outputs['image-instance-no']).toBe(no)
    expect(run.summary).toContain(no)
  })

  it('honours Retry-After on a throttled read', async () => {
    sim = await startScenarioSim()
    sim.addFault({ action: 'getServerInstanceDetail', kind: 'throttle', retryAfterSeconds: 1 })
    const run = await runScenario(sim, baseInputs(sim, { wait: 'false' }))

    expect(run.code).toBe(0)
    const [first, second] = sim.requests.filter(
      request => request.action === 'getServerInstanceDetail'
    )
    expect(second.at - first.at).toBeGreaterThanOrEqual(950)
    expect(first).toMatchObject({ fault: 'throttle', status: 429 })
    expect(sim.clock.delays).toContain(1000)
  })

  it('fails at once on bad credentials, with NCP code, request id and a hint, without retrying', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { 'secret-key': 'not-the-secret' }))

    expect(run.code).toBe(1)
    expect(sim.requests).toHaveLength(1)
    expect(sim.requests[0].status).toBe(401)
    expect(run.result.outcome).toBe('error')
    // The status, NCP's code and the request id the gateway sent are on the error line.
    expect(run.stdout).toMatch(errorNaming('getServerInstanceDetail', '401', '200'))
    expect(run.stdout).toMatch(/^::error::.*\b[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/m)
    // The next step points at the keys (and the clock: unit-errors owns the hint).
    expect(run.result.nextStep).toContain('access-key')
    expect(run.result.nextStep).toContain('secret-key')
    expect(sim.images()).toHaveLength(0)
  })

  it('explains a permission error for a sub account', async () => {
    sim = await startScenarioSim({ permissionDenied: true })
    const run = await runScenario(sim, baseInputs(sim))

    expect(run.code).toBe(1)
    expect(sim.requests).toHaveLength(1)
    expect(run.result.outcome).toBe('error')
    expect(sim.requests[0].status).toBe(401)
    expect(run.stdout).toMatch(errorNaming('getServerInstanceDetail', '401', '210'))
    // The next step names the policy to give the sub account (unit-errors owns the hint).
    expect(run.result.nextStep).toContain('NCP_SERVER_MANAGER')
  })

  it('takes the keys and the gateway from NCLOUD_* environment variables', async () => {
    sim = await startScenarioSim()
    const inputs = baseInputs(sim, { wait: 'false' })
    delete inputs['access-key']
    delete inputs['secret-key']
    delete inputs['api-url']
    const run = await runScenario(sim, inputs, {
      env: { NCLOUD_ACCESS_KEY: ACCESS_KEY, NCLOUD_SECRET_KEY: SECRET_KEY, NCLOUD_API_GW: sim.url }
    })

    expect(run.code).toBe(0)
    expect(sim.requests.every(request => request.authOk)).toBe(true)
    // The log names the gateway and the variable it came from.
    const gateway = run.stdout.split('\n').filter(line => line.includes(sim!.url))
    expect(gateway.some(line => /\bNCLOUD_API_GW\b/.test(line))).toBe(true)
    expect(sim.images()).toHaveLength(1)
  })

  it('masks both keys first and never prints them, the signature or auth headers, even with debug on', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim), { env: { RUNNER_DEBUG: '1' } })

    expect(run.code).toBe(0)
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe(`::add-mask::${ACCESS_KEY}`)
    expect(lines[1]).toBe(`::add-mask::${SECRET_KEY}`)
    const rest = lines.slice(2).join('\n') + run.stderr
    expect(rest).toContain('::debug::POST /vserver/v2/')
    expect(rest).not.toContain(ACCESS_KEY)
    expect(rest).not.toContain(SECRET_KEY)
    for (const request of sim.requests)
      expect(rest).not.toContain(request.headers['x-ncp-apigw-signature-v2'])
    expect(rest).not.toMatch(/x-ncp-(apigw-signature|iam-access-key)/i)
  })

  it('stops waiting at once on SIGINT and logs the image number', async () => {
    sim = await startScenarioSim({ createMs: 60_000 })
    let sent = false
    const run = await runScenario(sim, baseInputs(sim, { 'poll-interval': '5s' }), {
      onLine: (line, cancel) => {
        if (!sent && line.includes('Waiting up to')) {
          sent = true
          cancel('SIGINT')
        }
      }
    })

    expect(sent).toBe(true)
    expect(run.code).toBe(1)
    const no = sim.images()[0].no
    expect(run.result.outcome).toBe('cancelled')
    expect(run.stdout).toMatch(new RegExp(`^::error::.*SIGINT.*\\b${no}\\b`, 'm'))
    expect(run.stdout).toContain(`image-instance-no: ${no}`)
    expect(run.outputs['image-instance-no']).toBe(no)
    expect(run.summary).toContain('Cancelled')
    expect(count(sim, DETAIL)).toBe(0)
  })
})

describe('inputs are checked before any request is sent', () => {
  it.each([
    [
      { 'access-key': '' },
      /Input "access-key" is empty and the environment variable NCLOUD_ACCESS_KEY is not set/
    ],
    [
      { 'secret-key': '' },
      /Input "secret-key" is empty and the environment variable NCLOUD_SECRET_KEY is not set/
    ],
    [{ 'server-instance-no': '' }, /Input "server-instance-no" is required/],
    [
      { 'server-instance-no': 'srv-1' },
      /Input "server-instance-no" must be the server's instance number \(digits only\), got "srv-1"/
    ],
    [
      { 'image-name': 'Golden' },
      /Input "image-name" "Golden" breaks the naming rule of both image kinds: createMemberServerImageInstance \(XEN\/RHV\): it starts with "G" \(the rule: 3-30 characters.*createServerImage \(KVM\): it starts with "G"/
    ],
    [{ 'image-name': 'ab' }, /it has 2 characters/],
    [{ 'image-name': 'web_01', hypervisor: 'xen' }, /it contains "_"/],
    [
      { 'image-description': '가'.repeat(334) },
      /Input "image-description" has 1002 bytes of UTF-8; NCP accepts at most 1000/
    ],
    [{ site: 'moon' }, /Input "site" must be one of public, gov, fin, got "moon"/],
    [{ wait: 'yes' }, /Input "wait" must be true or false, got "yes"/],
    [{ 'dry-run': '1' }, /Input "dry-run" must be true or false/],
    [
      { 'wait-timeout': 'forever' },
      /Input "wait-timeout" must be a duration such as 500ms, 90s, 45m or 1h30m/
    ],
    [{ 'poll-interval': '10ms' }, /Input "poll-interval" must be at least 100ms/],
    [
      { 'poll-interval': '2m', 'wait-timeout': '1m' },
      /"poll-interval" \(2m00s\) must not be longer than "wait-timeout" \(1m00s\)/
    ],
    [
      { 'api-url': 'http://ncp.example.com' },
      /Input "api-url" "http:\/\/ncp.example.com" uses plain http:\/\/ .* in clear/
    ],
    [{ 'api-url': 'https://ncp.example.com/vserver/v2' }, /has a path, query or fragment/],
    [{ hypervisor: 'vmware' }, /Input "hypervisor" must be one of auto, xen, kvm, got "vmware"/],
    [{ 'if-exists': 'replace' }, /Input "if-exists" must be one of fail, reuse, got "replace"/]
  ])('%o is refused with a message naming the input', async (bad, message) => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, { ...baseInputs(sim), ...bad })

    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(message)
    expect(sim.requests).toHaveLength(0)
    expect(run.result.outcome).toBe('error')
    expect(run.result.nextStep).toBe(NEXT.fixInputs)
  })

  it('lists every bad input at once', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim!,
      baseInputs(sim, { 'server-instance-no': 'x', site: 'moon', wait: 'maybe' })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('error')
    expect(run.stdout).toMatch(errorNaming('"server-instance-no"', '"site"', '"wait"'))
    expect(sim.requests).toHaveLength(0)
  })
})
