import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from '@jest/globals'
import { NEXT } from '../src/model/next-steps.js'
import { testServerDescription } from '../src/model/provenance.js'
import type { ImageRecord } from '../src/ncloud/images.js'
import { SERVER_NAME_RULE } from '../src/model/test-server-name.js'
import { errorNaming, runScenario, startScenarioSim, type ScenarioSim } from './helpers/scenario.js'
import { actionsCalled, baseInputs, count } from './helpers/sim.js'

// verify-boot: a server launched from the new image must reach RUN before the image is shared,
// and the test server is removed on every path.
const LAUNCH = 'createServerInstances'
const TERMINATE = 'terminateServerInstances'
const SHARE = 'addMemberServerImageSharingPermission'
const verify = { 'verify-boot': 'true', 'image-name': 'golden-web-1' }
const RUN_ENV = {
  GITHUB_RUN_ID: '4242',
  GITHUB_REPOSITORY: 'org/app',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_JOB: 'build',
  GITHUB_ACTION: 'image'
}

let sim: ScenarioSim | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

function launched(): Record<string, string> {
  return sim!.requests.find(r => r.action === LAUNCH)!.params
}

/** The test servers the simulator holds, with their state now. */
function testServers(): { serverInstanceNo: string; status: string }[] {
  return sim!.servers().filter(s => Number(s.serverInstanceNo) >= 3000001)
}

describe('verify-boot: true', () => {
  it('launches one server like the source from the created image, waits for RUN, removes it, then shares', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(
      sim,
      baseInputs(sim, { ...verify, 'share-with': 'ops@example.com' }),
      { env: RUN_ENV }
    )

    expect(run.code).toBe(0)
    expect(run.result.outcome).toBe('created')
    const [image] = sim.images()
    expect(launched()).toMatchObject({
      memberServerImageInstanceNo: image.no,
      serverProductCode: 'SVR.VSVR.STAND.C002.M004.NET.SSD.B050.G002',
      vpcNo: '7001',
      subnetNo: '8001',
      'networkInterfaceList.1.networkInterfaceOrder': '0',
      'networkInterfaceList.1.accessControlGroupNoList.1': '9001',
      loginKeyName: 'sim-key',
      isProtectServerTermination: 'false',
      associateWithPublicIp: 'false'
    })
    expect(launched()).not.toHaveProperty('serverSpecCode')
    expect(launched().serverName).toMatch(SERVER_NAME_RULE)
    expect(launched().serverDescription).toBe(
      testServerDescription(image, { no: '1001' }, { ...runOf(RUN_ENV) })
    )
    const calls = actionsCalled(sim)
    expect(calls.indexOf(LAUNCH)).toBeGreaterThan(
      calls.lastIndexOf('getMemberServerImageInstanceDetail', calls.indexOf(LAUNCH))
    )
    expect(calls.indexOf(TERMINATE)).toBeGreaterThan(calls.indexOf('stopServerInstances'))
    expect(calls.indexOf(SHARE)).toBeGreaterThan(calls.indexOf(TERMINATE))
    expect(testServers()).toEqual([expect.objectContaining({ status: 'TERMT' })])
    expect(run.outputs).toMatchObject({
      verified: 'true',
      'verify-server-no': testServers()[0].serverInstanceNo,
      'image-instance-no': image.no
    })
  })

  it('a KVM server image goes with serverImageNo and serverSpecCode', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'server-instance-no': '2001' }))

    expect(run.code).toBe(0)
    const [image] = sim.images()
    expect(launched()).toMatchObject({ serverImageNo: image.no, serverSpecCode: 's2-g3' })
    expect(launched()).not.toHaveProperty('serverProductCode')
    expect(testServers()).toEqual([expect.objectContaining({ status: 'TERMT' })])
  })

  it('with stop-server, launches only once the source server runs again', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'stop-server': 'true' }))

    expect(run.code).toBe(0)
    const start = sim.requests.find(r => r.action === 'startServerInstances')!
    const launch = sim.requests.find(r => r.action === LAUNCH)!
    const sourceRunning = sim.requests.filter(
      r =>
        r.action === 'getServerInstanceDetail' &&
        r.params.serverInstanceNo === '1001' &&
        r.at > start.at
    )
    expect(sourceRunning.length).toBeGreaterThan(0)
    expect(launch.at).toBeGreaterThan(sourceRunning.at(-1)!.at)
  })

  it('a launch NCP refuses fails the step (verify-failed): image kept, nothing shared or pruned', async () => {
    sim = await startScenarioSim({ launchFault: 'refuse' })
    const run = await runScenario(
      sim,
      baseInputs(sim, {
        ...verify,
        'share-with': 'ops@example.com',
        'keep-last': '1',
        'prune-match': 'golden-*'
      })
    )

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('verify-failed')
    const [image] = sim.images()
    expect(run.outputs).toMatchObject({
      outcome: 'verify-failed',
      verified: 'false',
      'image-instance-no': image.no
    })
    expect(run.outputs['verify-server-no']).toBeUndefined()
    // The next step points to the launch parameters: the log shows them, as a dry run does.
    for (const line of [
      '  vpcNo=7001',
      '  subnetNo=8001',
      `  memberServerImageInstanceNo=${image.no}`
    ]) {
      expect(run.stdout.split('\n')).toContain(line)
    }
    expect(count(sim, SHARE)).toBe(0)
    expect(count(sim, 'deleteMemberServerImageInstances')).toBe(0)
    expect(run.stdout).toMatch(errorNaming('verify-boot', image.no))
    expect(testServers()).toEqual([])
  })

  it('a server that never reaches RUN fails at verify-timeout, and is removed', async () => {
    sim = await startScenarioSim({ launchFault: 'never-run' })
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'verify-timeout': '2m' }))

    expect(run.result.outcome).toBe('verify-failed')
    const [server] = testServers()
    expect(run.outputs).toMatchObject({
      verified: 'false',
      'verify-server-no': server.serverInstanceNo
    })
    expect(server.status).toBe('TERMT')
    const launch = sim.requests.find(r => r.action === LAUNCH)!
    const stop = sim.requests.find(r => r.action === 'stopServerInstances')!
    expect(stop.at - launch.at).toBeGreaterThanOrEqual(120_000)
    expect(run.stdout).toMatch(errorNaming(server.serverInstanceNo, 'INIT'))
  })

  it('a server that ends stopped instead of running fails the step, and is removed', async () => {
    sim = await startScenarioSim({ launchFault: 'fail' })
    const run = await runScenario(sim, baseInputs(sim, verify))

    expect(run.result.outcome).toBe('verify-failed')
    const [server] = testServers()
    expect(server.status).toBe('TERMT')
    expect(run.stdout).toMatch(errorNaming(server.serverInstanceNo, 'NSTOP'))
  })

  it('an empty read while it boots is settled by the list: the server is listed, and the wait goes on', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, verify), {
      onLine: line => {
        if (line.includes('launching test server')) {
          sim!.addFault({ action: 'getServerInstanceDetail', kind: 'no-rows', times: 1 })
        }
      }
    })

    expect(run.code).toBe(0)
    expect(run.outputs.verified).toBe('true')
    expect(testServers()).toEqual([expect.objectContaining({ status: 'TERMT' })])
  })

  it('a test server no longer listed while it boots fails verification (not the source server), and is removed', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, verify), {
      onLine: line => {
        if (line.includes('launching test server')) {
          // Unlisted on five looks 2 s apart: longer than a new server takes to be listed.
          sim!.addFault({ action: 'getServerInstanceDetail', kind: 'no-rows', times: 5 })
          sim!.addFault({ action: 'getServerInstanceList', kind: 'no-rows', times: 5 })
        }
      }
    })

    expect(run.code).toBe(1)
    expect(run.result.outcome).toBe('verify-failed')
    const [server] = testServers()
    expect(run.outputs).toMatchObject({
      verified: 'false',
      'verify-server-no': server.serverInstanceNo
    })
    expect(run.stdout).toMatch(errorNaming('verify-boot', server.serverInstanceNo))
    const image = sim.images()[0] as unknown as ImageRecord
    expect(run.result.nextStep).toBe(NEXT.verifyFailed(image, server.serverInstanceNo))
    expect(server.status).toBe('TERMT')
  })

  it('a test server not listed once, just after its launch, is too new to be gone: it boots and passes', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, verify), {
      onLine: line => {
        if (line.includes('launching test server')) {
          sim!.addFault({ action: 'getServerInstanceDetail', kind: 'no-rows', times: 1 })
          sim!.addFault({ action: 'getServerInstanceList', kind: 'no-rows', times: 1 })
        }
      }
    })

    expect(run.code).toBe(0)
    const [server] = testServers()
    expect(run.outputs.verified).toBe('true')
    expect(server.status).toBe('TERMT')
  })

  it('a status on no way to RUN (a failed start) ends the wait at once, not at verify-timeout', async () => {
    sim = await startScenarioSim({ launchFault: 'never-run' })
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'verify-timeout': '20m' }), {
      onLine: line => {
        if (!line.includes(`${LAUNCH}: HTTP 200`)) return
        const [server] = testServers()
        sim!.setServer({ serverInstanceNo: server.serverInstanceNo, status: 'ST_FL' })
      },
      env: { RUNNER_DEBUG: '1' }
    })

    expect(run.result.outcome).toBe('verify-failed')
    const [server] = testServers()
    expect(run.outputs.verified).toBe('false')
    expect(run.stdout).toMatch(errorNaming(server.serverInstanceNo, 'ST_FL'))
    // The wait ended at once; only the removal's own window (20 min, ST_FL cannot be stopped) ran.
    const launch = sim.requests.find(r => r.action === LAUNCH)!
    expect(sim.clock.now() - launch.at).toBeLessThan(25 * 60_000)
  })

  it('a terminate refused once is asked again, and the run succeeds', async () => {
    sim = await startScenarioSim({ refuseTerminate: 1 })
    const run = await runScenario(sim, baseInputs(sim, verify))

    expect(run.code).toBe(0)
    expect(sim.requests.filter(r => r.action === TERMINATE).map(r => r.status)).toEqual([400, 200])
    expect(testServers()).toEqual([expect.objectContaining({ status: 'TERMT' })])
    expect(run.outputs.verified).toBe('true')
  })

  it('an empty read after the stop is not taken for gone: a complete list settles it, and it is terminated', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, verify), {
      onLine: line => {
        if (line.includes('stop sent and accepted')) {
          sim!.addFault({ action: 'getServerInstanceDetail', kind: 'no-rows', times: 1 })
        }
      }
    })

    expect(run.code).toBe(0)
    expect(testServers()).toEqual([expect.objectContaining({ status: 'TERMT' })])
    expect(count(sim, TERMINATE)).toBe(1)
    const stop = sim.requests.find(r => r.action === 'stopServerInstances')!
    expect(sim.requests.some(r => r.action === 'getServerInstanceList' && r.at >= stop.at)).toBe(
      true
    )
  })

  it('a test server that cannot be removed is named in an error, never left silently', async () => {
    sim = await startScenarioSim({ refuseTerminate: 10_000 })
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'poll-interval': '15s' }))

    expect(run.code).toBe(1)
    const [server] = testServers()
    expect(server.status).toBe('NSTOP')
    expect(run.outputs.verified).toBe('true')
    expect(run.stdout).toMatch(errorNaming(server.serverInstanceNo, 'NSTOP'))
    expect(count(sim, 'addMemberServerImageSharingPermission')).toBe(0)
  })

  it('a cancel while the test server boots sends its stop at once and removes it', async () => {
    sim = await startScenarioSim({ bootMs: 60_000 })
    const run = await runScenario(sim, baseInputs(sim, verify), {
      onLine: (line, cancel) => {
        if (line.includes(`${LAUNCH}: HTTP 200`)) cancel('SIGINT')
      },
      env: { RUNNER_DEBUG: '1' }
    })

    expect(run.result.outcome).toBe('cancelled')
    const [server] = testServers()
    const launch = sim.requests.find(r => r.action === LAUNCH)!
    const stop = sim.requests.find(r => r.action === 'stopServerInstances')!
    expect(stop.at - launch.at).toBeLessThan(1_000)
    expect(run.outputs.verified).toBe('false')
    expect(server.status).toBe('TERMT')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })

  it('a re-run removes the test server an earlier attempt left before launching another', async () => {
    sim = await startScenarioSim()
    sim.setServer({
      serverInstanceNo: '2999999',
      serverName: 'left-by-attempt-1',
      status: 'RUN',
      serverDescription: testServerDescription(
        { no: '900000', name: 'golden-web-1' },
        { no: '1001' },
        runOf(RUN_ENV)
      )
    })
    sim.setServer({
      serverInstanceNo: '2999998',
      serverName: 'of-another-run',
      status: 'RUN',
      serverDescription: testServerDescription(
        { no: '900000', name: 'golden-web-1' },
        { no: '1001' },
        runOf({ ...RUN_ENV, GITHUB_RUN_ID: '1' })
      )
    })
    const run = await runScenario(sim, baseInputs(sim, verify), { env: RUN_ENV })

    expect(run.code).toBe(0)
    const state = (no: string): string =>
      sim!.servers().find(s => s.serverInstanceNo === no)!.status
    expect(state('2999999')).toBe('TERMT')
    expect(state('2999998')).toBe('RUN')
    const terminates = sim.requests.filter(r => r.action === TERMINATE)
    expect(terminates[0].params['serverInstanceNoList.1']).toBe('2999999')
    expect(terminates[0].at).toBeLessThan(sim.requests.find(r => r.action === LAUNCH)!.at)
  })

  it('dry-run prints the launch request after the read-only calls, and launches nothing', async () => {
    sim = await startScenarioSim()
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'dry-run': 'true' }))

    expect(run.code).toBe(0)
    expect(count(sim, LAUNCH)).toBe(0)
    expect(count(sim, 'getNetworkInterfaceDetail')).toBe(1)
    for (const line of [
      '  serverProductCode=SVR.VSVR.STAND.C002.M004.NET.SSD.B050.G002',
      '  vpcNo=7001',
      '  subnetNo=8001',
      '  networkInterfaceList.1.networkInterfaceOrder=0',
      '  networkInterfaceList.1.accessControlGroupNoList.1=9001',
      '  isProtectServerTermination=false'
    ]) {
      expect(run.stdout.split('\n')).toContain(line)
    }
    expect(run.outputs.verified).toBeUndefined()
  })

  it('verify-subnet-no and verify-access-control-groups isolate the test server', async () => {
    sim = await startScenarioSim({
      subnets: [{ subnetNo: '8101', vpcNo: '7101' }],
      accessControlGroups: [{ no: '9101', vpcNo: '7101' }]
    })
    const run = await runScenario(
      sim,
      baseInputs(sim, {
        ...verify,
        'verify-subnet-no': '8101',
        'verify-access-control-groups': '9101'
      })
    )

    expect(run.code).toBe(0)
    expect(sim.requests.find(r => r.action === 'getSubnetDetail')?.api).toBe('vpc')
    expect(count(sim, 'getNetworkInterfaceDetail')).toBe(0)
    expect(launched()).toMatchObject({
      vpcNo: '7101',
      subnetNo: '8101',
      'networkInterfaceList.1.accessControlGroupNoList.1': '9101'
    })
  })

  it('a subnet of another VPC without groups is refused before any launch', async () => {
    sim = await startScenarioSim({ subnets: [{ subnetNo: '8101', vpcNo: '7101' }] })
    const run = await runScenario(sim, baseInputs(sim, { ...verify, 'verify-subnet-no': '8101' }))

    expect(run.code).toBe(1)
    expect(count(sim, LAUNCH)).toBe(0)
    expect(run.stdout).toMatch(errorNaming('verify-subnet-no', '8101', '7101'))
    expect(run.outputs.verified).toBe('false')
    expect(run.outputs['image-instance-no']).toBe(sim.images()[0].no)
  })
})

describe('verify-boot: the permissions the README lists', () => {
  it('name every call verify-boot makes', async () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const listed = /\*\*Permissions:\*\*[^]*?(?=\n- )/.exec(
      readme.slice(readme.indexOf('verify-boot'))
    )
    const names = new Set(listed?.[0].match(/`[A-Za-z]+`/g)?.map(name => name.slice(1, -1)))
    const isolated = {
      subnets: [{ subnetNo: '8101', vpcNo: '7001' }],
      accessControlGroups: [{ no: '9101', vpcNo: '7001' }]
    }
    for (const [options, inputs] of [
      [{}, {}],
      [isolated, { 'verify-subnet-no': '8101' }]
    ] as const) {
      sim = await startScenarioSim(options)
      const run = await runScenario(sim, baseInputs(sim, { ...verify, ...inputs }))
      expect(run.code).toBe(0)
      const first = sim.requests.findIndex(r =>
        /getNetworkInterfaceDetail|getSubnetDetail/.test(r.action)
      )
      const calls = new Set(sim.requests.slice(first).map(r => r.action))
      expect([...calls].filter(action => !names.has(action))).toEqual([])
      await sim.close()
      sim = undefined
    }
  })
})

function runOf(env: Record<string, string>): {
  serverUrl?: string
  repository?: string
  runId?: string
  job?: string
  action?: string
} {
  return {
    serverUrl: env.GITHUB_SERVER_URL,
    repository: env.GITHUB_REPOSITORY,
    runId: env.GITHUB_RUN_ID,
    job: env.GITHUB_JOB,
    action: env.GITHUB_ACTION
  }
}

describe('verify-boot: a launch whose answer never came', () => {
  it('looks for the server by name over several seconds and, not finding it, names it as open', async () => {
    sim = await startScenarioSim()
    // The connection drops before the launch is carried out: no server exists, and none is listed.
    sim.addFault({ action: LAUNCH, kind: 'drop' })
    const run = await runScenario(sim, baseInputs(sim, verify))

    expect(run.code).toBe(1)
    const name = launched().serverName
    expect(run.stdout).toMatch(errorNaming('verify-boot', name))
    const launchAt = sim.requests.find(r => r.action === LAUNCH)!.at
    const looks = sim.requests.filter(r => r.action === 'getServerInstanceList' && r.at > launchAt)
    expect(looks).toHaveLength(4)
    expect(looks[3].at - looks[0].at).toBeGreaterThanOrEqual(7_000)
    // Never marked removed: the post step gets it, and looks again.
    const saved = JSON.parse(run.state.journal) as { testServers: Record<string, unknown>[] }
    expect(saved.testServers).toEqual([expect.objectContaining({ name })])
    expect(saved.testServers[0]).not.toHaveProperty('removedAt')
    expect(count(sim, SHARE)).toBe(0)
  })
})
