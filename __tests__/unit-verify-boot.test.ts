import { describe, expect, it } from '@jest/globals'
import { readSettings } from '../src/inputs/read-settings.js'
import { NEXT } from '../src/model/next-steps.js'
import { isTestServerOfThisStep, testServerDescription } from '../src/model/provenance.js'
import { SERVER_NAME_RULE, testServerName } from '../src/model/test-server-name.js'
import type { ImageRecord } from '../src/ncloud/images.js'
import { launchParams, type LaunchRequest } from '../src/ncloud/server-launch.js'
import { leftRunning, removeNext, sameServer } from '../src/steps/test-server.js'
import { didNotRun } from '../src/steps/verify-boot.js'

describe('testServerName', () => {
  it.each([
    'golden-web-1',
    'img-1234567-5o4kfd-3fa9c2',
    'Golden_Web_Image_With_A_Very_Long_Name_2026',
    '1-starts-with-a-digit',
    '___',
    'ends-with-dash-----------------------x'
  ])('fits the server-name rule for %s', name => {
    const server = testServerName(name)
    expect(server).toMatch(SERVER_NAME_RULE)
    expect(server.length).toBeLessThanOrEqual(30)
    expect(testServerName(name)).toBe(server)
  })

  it('keeps a short name readable, and tells long names apart by their hash', () => {
    expect(testServerName('golden-web-1')).toMatch(/^golden-web-1-t[0-9a-f]{5}$/)
    const a = testServerName('golden-web-image-of-the-day-20261201')
    const b = testServerName('golden-web-image-of-the-day-20261202')
    expect(a).not.toBe(b)
  })
})

describe('test server description', () => {
  const run = {
    runId: '42',
    repository: 'org/app',
    serverUrl: 'https://github.com',
    job: 'b',
    action: 'i'
  }
  const image = { no: '900001', name: 'golden-web-1' }

  it('marks the image, source server, run and step, and is recognised by this step only', () => {
    const description = testServerDescription(image, { no: '1001' }, run)
    expect(description).toMatch(
      /^ncloud-server-image-action: boot test of image 900001 \(golden-web-1\); server 1001; repository org\/app; run https:\/\/github.com\/org\/app\/actions\/runs\/42; step [0-9a-f]{6}$/
    )
    expect(isTestServerOfThisStep(description, run, '1001')).toBe(true)
    expect(isTestServerOfThisStep(description, { ...run, runId: '43' }, '1001')).toBe(false)
    expect(isTestServerOfThisStep(description, { ...run, action: 'other' }, '1001')).toBe(false)
    expect(isTestServerOfThisStep(description, run, '1002')).toBe(false)
    expect(isTestServerOfThisStep('web server', run, '1001')).toBe(false)
  })

  it('outside a workflow run no server is taken for an earlier attempt', () => {
    const description = testServerDescription(image, { no: '1001' }, {})
    expect(isTestServerOfThisStep(description, {}, '1001')).toBe(false)
  })
})

describe('launchParams', () => {
  const base: LaunchRequest = {
    image: { kind: 'member', no: '900001' },
    spec: 'SVR.STAND',
    vpcNo: '7001',
    subnetNo: '8001',
    accessControlGroupNos: ['9001', '9002'],
    loginKeyName: '',
    name: 'golden-t12345',
    description: 'd'
  }

  it('a member image goes with serverProductCode; order 0 is sent; groups numbered from 1', () => {
    expect(launchParams(base)).toEqual({
      memberServerImageInstanceNo: '900001',
      serverProductCode: 'SVR.STAND',
      vpcNo: '7001',
      subnetNo: '8001',
      'networkInterfaceList.1.networkInterfaceOrder': '0',
      'networkInterfaceList.1.accessControlGroupNoList.1': '9001',
      'networkInterfaceList.1.accessControlGroupNoList.2': '9002',
      serverName: 'golden-t12345',
      serverDescription: 'd',
      isProtectServerTermination: 'false',
      associateWithPublicIp: 'false',
      serverCreateCount: '1'
    })
  })

  it('a server image goes with serverSpecCode, and the login key when there is one', () => {
    const params = launchParams({ ...base, image: { kind: 'server', no: '5' }, loginKeyName: 'k' })
    expect(params).toMatchObject({
      serverImageNo: '5',
      serverSpecCode: 'SVR.STAND',
      loginKeyName: 'k'
    })
    expect(params).not.toHaveProperty('memberServerImageInstanceNo')
    expect(params).not.toHaveProperty('serverProductCode')
  })
})

describe('test server removal', () => {
  it('names every server not removed, with its state and the last refusal', () => {
    expect(
      leftRunning([
        { name: 'a', no: '1', removed: true },
        { name: 'b', no: '2', removed: false, state: 'NSTOP', problem: 'refused' }
      ])
    ).toBe('test server 2 ("b") is NSTOP (refused)')
  })

  it('names a server whose launch was never answered and no list showed as one that may exist', () => {
    const removals = [
      { name: 'b', no: '2', removed: false, state: 'NSTOP' },
      { name: 'golden-t1', removed: false, unconfirmed: true }
    ]
    expect(leftRunning(removals)).toBe(
      'test server 2 ("b") is NSTOP; a test server named "golden-t1" may exist (its launch was never answered, and no list showed it)'
    )
    expect(removeNext(removals)).toBe(
      `${NEXT.removeTestServer(['2'])} ${NEXT.findTestServer('golden-t1')}`
    )
    expect(NEXT.findTestServer('golden-t1')).toBe(
      'A test server named "golden-t1" may exist: check the NCP console and terminate it (Server > Server > Stop, then Terminate); it is billed while it exists.'
    )
    expect(removeNext([{ name: 'b', removed: true }])).toBe('')
  })

  it('tells journal entries apart by number, else by their launch', () => {
    expect(
      sameServer({ name: 'a', imageNo: '1', no: '5' }, { name: 'b', imageNo: '1', no: '5' })
    ).toBe(true)
    expect(
      sameServer(
        { name: 'a', imageNo: '1', launchSentAt: 1 },
        { name: 'a', imageNo: '1', launchSentAt: 2 }
      )
    ).toBe(false)
  })

  it('the next steps name the servers to terminate, and the image to test again', () => {
    expect(NEXT.removeTestServer(['3000001'])).toBe(
      'Terminate test server 3000001 now (NCP console: Server > Server > Stop, then Terminate): it is billed while it exists.'
    )
    const image = { no: '900001' } as ImageRecord
    expect(NEXT.verifyFailed(image, '3000001')).toContain(
      'run the step with image-instance-no: 900001 and verify-boot: true'
    )
  })
})

describe('verify inputs', () => {
  const read =
    (inputs: Record<string, string>): unknown =>
    () =>
      readSettings({
        getInput: name =>
          ({ 'access-key': 'a', 'secret-key': 's', 'server-instance-no': '1', ...inputs })[name] ??
          '',
        env: {},
        mask: () => undefined,
        now: new Date(0)
      })

  it('reads them, with the defaults', () => {
    const settings = (
      read({
        'verify-boot': 'true',
        'verify-access-control-groups': '1, 2\n3'
      }) as () => ReturnType<typeof readSettings>
    )()
    expect(settings).toMatchObject({
      verifyBoot: true,
      verifySubnetNo: '',
      verifyAccessControlGroups: ['1', '2', '3'],
      verifyTimeoutMs: 20 * 60_000
    })
  })

  it.each([
    [{ 'verify-boot': 'yes' }, 'Input "verify-boot" must be true or false, got "yes".'],
    [{ 'verify-boot': 'true', wait: 'false' }, 'Input "verify-boot" needs wait: true'],
    [
      { 'verify-subnet-no': 'subnet-1' },
      `Input "verify-subnet-no" must be a subnet's number (digits only), got "subnet-1".`
    ],
    [
      { 'verify-access-control-groups': '1,acg' },
      'Input "verify-access-control-groups" must be up to 5 access control group numbers (digits only) separated by commas or new lines, got "acg".'
    ],
    [{ 'verify-timeout': 'soon' }, 'Input "verify-timeout" must be a duration']
  ])('refuses %j', (inputs, message) => {
    expect(read(inputs)).toThrow(message)
  })
})

describe('didNotRun', () => {
  it('says what the test server did instead of running', () => {
    expect(didNotRun('3000001', 'gone')).toBe(
      'test server 3000001 is no longer listed: it went away while it booted.'
    )
    expect(didNotRun('3000001', 'ended', 'ST_FL')).toBe(
      'test server 3000001 did not run: it became ST_FL.'
    )
    expect(didNotRun('3000001', 'timeout', 'INIT (SETUP)')).toBe(
      'test server 3000001 was not running within verify-timeout; it was INIT (SETUP).'
    )
  })
})
