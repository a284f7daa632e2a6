import { describe, expect, it } from '@jest/globals'
import { readSettings, type InputSource } from '../src/inputs/read-settings.js'
import { InputError } from '../src/model/settings.js'
import { SITES } from '../src/ncloud/endpoints.js'

const NOW = new Date('2026-12-01T07:33:21Z')

interface FakeSource extends InputSource {
  /** Every getInput and mask call, in order. */
  calls: string[]
  masked: string[]
}

function source(
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {}
): FakeSource {
  const calls: string[] = []
  const masked: string[] = []
  return {
    calls,
    masked,
    env,
    now: NOW,
    getInput: name => {
      calls.push(`get ${name}`)
      return inputs[name] ?? ''
    },
    mask: secret => {
      calls.push(`mask ${secret}`)
      masked.push(secret)
    }
  }
}

const VALID = { 'access-key': 'AK', 'secret-key': 'SK', 'server-instance-no': '1234567' }

/** The InputError readSettings throws for these inputs (fails the test if it does not throw one). */
function problemsOf(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): InputError {
  try {
    readSettings(source(inputs, env))
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('readSettings accepted the inputs')
}

function onlyProblem(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): string {
  const error = problemsOf(inputs, env)
  expect(error.problems).toHaveLength(1)
  expect(error.message).toBe(error.problems[0])
  return error.problems[0]
}

describe('readSettings: defaults', () => {
  it('fills every optional input with its default', () => {
    const settings = readSettings(source(VALID))
    expect(settings).toMatchObject({
      accessKey: 'AK',
      secretKey: 'SK',
      serverInstanceNo: '1234567',
      imageInstanceNo: '',
      nameSource: 'time',
      imageDescription: '',
      region: 'KR',
      origin: 'https://ncloud.apigw.ntruss.com',
      originSource: 'site',
      hypervisor: 'auto',
      ifExists: 'fail',
      wait: true,
      waitTimeoutMs: 60 * 60_000,
      pollIntervalMs: 10_000,
      requestTimeoutMs: 30_000,
      postTimeoutMs: 4 * 60_000,
      dryRun: false,
      workflow: { serverUrl: undefined, repository: undefined, sha: undefined, runId: undefined },
      warnings: []
    })
    expect(Object.isFrozen(settings)).toBe(true)
  })

  it('keeps a given image-name, and generates one only when image-name is empty', () => {
    const given = readSettings(source({ ...VALID, 'image-name': 'my-image-01' }))
    expect(given.imageName).toBe('my-image-01')
    expect(given.nameSource).toBe('given')
    const generated = readSettings(source({ ...VALID, 'image-name': '' }))
    expect(generated.nameSource).toBe('time')
    expect(generated.imageName).not.toBe('my-image-01')
  })

  it('makes the generated name run-stable in a workflow run', () => {
    const env = { GITHUB_RUN_ID: '9876543210', GITHUB_JOB: 'build', GITHUB_ACTION: 'image' }
    expect(readSettings(source(VALID, env)).nameSource).toBe('run')
  })

  it('generates the name from the time when the run id is not a number', () => {
    expect(readSettings(source(VALID, { GITHUB_RUN_ID: 'local' })).nameSource).toBe('time')
  })

  it('prefers a given image-name to a run-stable one', () => {
    const settings = readSettings(
      source({ ...VALID, 'image-name': 'golden-1' }, { GITHUB_RUN_ID: '9876543210' })
    )
    expect(settings).toMatchObject({ imageName: 'golden-1', nameSource: 'given' })
  })

  it('knows the workflow run, for the description of the image', () => {
    const settings = readSettings(
      source(VALID, {
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'octo-org/web',
        GITHUB_SHA: 'abc123',
        GITHUB_RUN_ID: '77'
      })
    )
    expect(settings.workflow).toEqual({
      serverUrl: 'https://github.com',
      repository: 'octo-org/web',
      sha: 'abc123',
      runId: '77'
    })
  })

  it('reads the other inputs, trimming and normalising case', () => {
    const settings = readSettings(
      source({
        ...VALID,
        'server-instance-no': ' 42 ',
        region: 'sgn',
        hypervisor: 'KVM',
        'if-exists': 'Reuse',
        wait: 'False',
        'dry-run': 'TRUE',
        'wait-timeout': '2h',
        'poll-interval': '500ms',
        'request-timeout': ' 1m '
      })
    )
    expect(settings).toMatchObject({
      serverInstanceNo: '42',
      region: 'SGN',
      hypervisor: 'kvm',
      ifExists: 'reuse',
      wait: false,
      dryRun: true,
      waitTimeoutMs: 7_200_000,
      pollIntervalMs: 500,
      requestTimeoutMs: 60_000
    })
  })

  it('reads a plain number of seconds for wait-timeout, poll-interval and request-timeout', () => {
    const settings = readSettings(
      source({ ...VALID, 'wait-timeout': '120', 'poll-interval': '5', 'request-timeout': '0.5' })
    )
    expect(settings.waitTimeoutMs).toBe(120_000)
    expect(settings.pollIntervalMs).toBe(5_000)
    expect(settings.requestTimeoutMs).toBe(500)
  })

  it('keeps the description byte for byte, whitespace and all', () => {
    const description = '  nightly build & 테스트 = a+b/c %20 ?x #1\n second line  '
    const settings = readSettings(source({ ...VALID, 'image-description': description }))
    expect(settings.imageDescription).toBe(description)
  })

  it('accepts a description of exactly 1000 bytes', () => {
    const description = '가'.repeat(333) + 'a'
    expect(
      readSettings(source({ ...VALID, 'image-description': description })).imageDescription
    ).toBe(description)
  })
})

describe('readSettings: keys', () => {
  it('falls back to NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY when the inputs are empty', () => {
    const settings = readSettings(
      source(
        { 'server-instance-no': '1' },
        { NCLOUD_ACCESS_KEY: ' env-ak ', NCLOUD_SECRET_KEY: 'env-sk' }
      )
    )
    expect(settings.accessKey).toBe('env-ak')
    expect(settings.secretKey).toBe('env-sk')
  })

  it('prefers the inputs to the environment', () => {
    const settings = readSettings(
      source(VALID, { NCLOUD_ACCESS_KEY: 'env-ak', NCLOUD_SECRET_KEY: 'env-sk' })
    )
    expect(settings.accessKey).toBe('AK')
    expect(settings.secretKey).toBe('SK')
  })

  it('masks both keys before reading any other input', () => {
    const fake = source({ ...VALID, 'image-name': 'my-image', region: 'KR' })
    readSettings(fake)
    expect(fake.masked).toEqual(['AK', 'SK'])
    const lastMask = fake.calls.lastIndexOf('mask SK')
    const reads = fake.calls.filter(call => call.startsWith('get '))
    const readsBeforeMasks = fake.calls.slice(0, lastMask).filter(call => call.startsWith('get '))
    expect(readsBeforeMasks).toEqual(['get access-key', 'get secret-key'])
    expect(fake.calls.indexOf('mask AK')).toBeLessThan(fake.calls.indexOf('get secret-key'))
    expect(reads.length).toBeGreaterThan(2)
  })

  it('masks keys taken from the environment too, before any other input', () => {
    const fake = source(
      { 'server-instance-no': '1' },
      { NCLOUD_ACCESS_KEY: 'env-ak', NCLOUD_SECRET_KEY: 'env-sk' }
    )
    readSettings(fake)
    expect(fake.calls.slice(0, 4)).toEqual([
      'get access-key',
      'mask env-ak',
      'get secret-key',
      'mask env-sk'
    ])
  })

  it('names both the input and the environment variable of a missing key', () => {
    const error = problemsOf({ 'server-instance-no': '1' })
    expect(error.problems).toHaveLength(2)
    expect(error.problems[0]).toContain('"access-key"')
    expect(error.problems[0]).toContain('NCLOUD_ACCESS_KEY')
    expect(error.problems[1]).toContain('"secret-key"')
    expect(error.problems[1]).toContain('NCLOUD_SECRET_KEY')
  })

  it('treats a key of blanks as missing and masks nothing for it', () => {
    const fake = source({ ...VALID, 'secret-key': '   ' }, { NCLOUD_SECRET_KEY: ' ' })
    expect(() => readSettings(fake)).toThrow(InputError)
    expect(fake.masked).toEqual(['AK'])
  })
})

describe('readSettings: one bad input names itself', () => {
  it('server-instance-no missing (and no image-instance-no)', () => {
    const problem = onlyProblem({ 'access-key': 'AK', 'secret-key': 'SK' })
    expect(problem).toContain('"server-instance-no" is required')
    expect(problem).toContain('image-instance-no')
  })

  it.each(['abc', '12a', '-1', '1.5', '123456789012345678901'])('server-instance-no %j', value => {
    const problem = onlyProblem({ ...VALID, 'server-instance-no': value })
    expect(problem).toContain('"server-instance-no"')
    expect(problem).toContain('digits only')
    expect(problem).toContain(`"${value}"`)
  })

  it('image-name breaking the rule: says which part and shows the rule', () => {
    const problem = onlyProblem({ ...VALID, 'image-name': 'Image-1' })
    expect(problem).toContain('"image-name"')
    expect(problem).toContain('"Image-1"')
    expect(problem).toContain('it starts with "I"')
    expect(problem).toContain('3-30 characters')
  })

  it('image-name with "_": allowed for kvm and auto, refused for xen with the XEN rule', () => {
    expect(
      readSettings(source({ ...VALID, 'image-name': 'my_image', hypervisor: 'kvm' })).imageName
    ).toBe('my_image')
    expect(readSettings(source({ ...VALID, 'image-name': 'my_image' })).imageName).toBe('my_image')
    const problem = onlyProblem({ ...VALID, 'image-name': 'my_image', hypervisor: 'xen' })
    expect(problem).toContain('it contains "_"')
    expect(problem).toContain('createMemberServerImageInstance')
    expect(problem).toContain('lowercase letters, digits and "-"')
  })

  it('image-name too long says how many characters', () => {
    expect(onlyProblem({ ...VALID, 'image-name': 'a'.repeat(31) })).toContain(
      'it has 31 characters'
    )
  })

  it('image-description over 1000 bytes says how many bytes', () => {
    const problem = onlyProblem({ ...VALID, 'image-description': '가'.repeat(334) })
    expect(problem).toContain('"image-description"')
    expect(problem).toContain('1002 bytes')
    expect(problem).toContain('1000')
  })

  it('unknown site', () => {
    const problem = onlyProblem({ ...VALID, site: 'moon' })
    expect(problem).toContain('"site"')
    expect(problem).toContain('public, gov, fin')
    expect(problem).toContain('"moon"')
  })

  it.each(['KR-1', 'K R', 'K1', 'X', 'ABCDEFGHIJK'])('bad region %j', value => {
    const problem = onlyProblem({ ...VALID, region: value })
    expect(problem).toContain('"region"')
    expect(problem).toContain(`"${value}"`)
  })

  it.each([
    ['hypervisor', 'vmware', 'auto, xen, kvm'],
    ['if-exists', 'overwrite', 'fail, reuse']
  ])('%s %j lists the allowed values', (name, value, allowed) => {
    const problem = onlyProblem({ ...VALID, [name]: value })
    expect(problem).toContain(`"${name}"`)
    expect(problem).toContain(allowed)
    expect(problem).toContain(`"${value}"`)
  })

  it.each([
    ['wait', 'yes'],
    ['wait', '1'],
    ['dry-run', 'no'],
    ['dry-run', 'tRUE']
  ])('%s %j must be true or false', (name, value) => {
    const problem = onlyProblem({ ...VALID, [name]: value })
    expect(problem).toContain(`"${name}"`)
    expect(problem).toContain('true or false')
    expect(problem).toContain(`"${value}"`)
  })

  it.each([
    ['wait-timeout', 'soon'],
    ['wait-timeout', '1h 30m'],
    ['poll-interval', '-5s'],
    ['poll-interval', '10x'],
    ['request-timeout', 'forever'],
    ['post-timeout', '4 minutes']
  ])('%s %j is not a duration', (name, value) => {
    const problem = onlyProblem({ ...VALID, [name]: value })
    expect(problem).toContain(`"${name}"`)
    expect(problem).toContain('must be a duration')
    expect(problem).toContain(`"${value}"`)
  })

  it.each([
    ['wait-timeout', '500ms', 'at least 1s'],
    ['poll-interval', '50ms', 'at least 100ms'],
    ['poll-interval', '0', 'at least 100ms'],
    ['request-timeout', '50ms', 'at least 100ms'],
    ['post-timeout', '500ms', 'at least 1s']
  ])('%s %j is too short', (name, value, minimum) => {
    const problem = onlyProblem({ ...VALID, [name]: value })
    expect(problem).toContain(`"${name}"`)
    expect(problem).toContain(minimum)
  })

  it("post-timeout: the post step's budget, as a duration", () => {
    expect(readSettings(source({ ...VALID, 'post-timeout': '90s' })).postTimeoutMs).toBe(90_000)
  })

  it('poll-interval longer than wait-timeout', () => {
    const problem = onlyProblem({ ...VALID, 'wait-timeout': '30s', 'poll-interval': '1m' })
    expect(problem).toContain('"poll-interval" (1m00s)')
    expect(problem).toContain('"wait-timeout" (30s)')
  })

  it('poll-interval equal to wait-timeout is fine', () => {
    const settings = readSettings(
      source({ ...VALID, 'wait-timeout': '30s', 'poll-interval': '30s' })
    )
    expect(settings.pollIntervalMs).toBe(30_000)
  })
})

describe('readSettings: gateway origin', () => {
  it.each([
    ['public', SITES.public, 'https://ncloud.apigw.ntruss.com'],
    ['gov', SITES.gov, 'https://ncloud.apigw.gov-ntruss.com'],
    ['fin', SITES.fin, 'https://fin-ncloud.apigw.fin-ntruss.com'],
    ['GOV', SITES.gov, 'https://ncloud.apigw.gov-ntruss.com']
  ])('site %s maps to %s', (site, origin, literal) => {
    const settings = readSettings(source({ ...VALID, site }))
    expect(settings.origin).toBe(origin)
    expect(settings.origin).toBe(literal)
    expect(settings.originSource).toBe('site')
  })

  it('uses NCLOUD_API_GW when api-url is empty, before site', () => {
    const settings = readSettings(
      source({ ...VALID, site: 'gov' }, { NCLOUD_API_GW: ' https://gw.example.com/ ' })
    )
    expect(settings.origin).toBe('https://gw.example.com')
    expect(settings.originSource).toBe('NCLOUD_API_GW')
  })

  it('prefers api-url to NCLOUD_API_GW', () => {
    const settings = readSettings(
      source(
        { ...VALID, 'api-url': 'https://private.example.com:8443' },
        { NCLOUD_API_GW: 'https://gw.example.com' }
      )
    )
    expect(settings.origin).toBe('https://private.example.com:8443')
    expect(settings.originSource).toBe('api-url')
  })

  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost', 'http://localhost'],
    ['http://[::1]:9', 'http://[::1]:9'],
    ['http://127.1.2.3:1/', 'http://127.1.2.3:1'],
    ['https://ncloud.apigw.ntruss.com/', 'https://ncloud.apigw.ntruss.com']
  ])('accepts api-url %s', (url, origin) => {
    expect(readSettings(source({ ...VALID, 'api-url': url })).origin).toBe(origin)
  })

  it('refuses http:// on a host that is not loopback, naming the input', () => {
    const problem = onlyProblem({ ...VALID, 'api-url': 'http://ncloud.apigw.ntruss.com' })
    expect(problem).toContain('Input "api-url" "http://ncloud.apigw.ntruss.com"')
    expect(problem).toContain('plain http://')
  })

  it('refuses a URL with a user name and password without echoing them', () => {
    const problem = onlyProblem({
      ...VALID,
      'api-url': 'https://proxyuser:S3cretPass@gw.example.com'
    })
    expect(problem).toContain(
      'Input "api-url" "https://***@gw.example.com" contains a user name or password'
    )
    expect(problem).not.toContain('S3cretPass')
    expect(problem).not.toContain('proxyuser')
  })

  it('refuses an https URL with a path', () => {
    const problem = onlyProblem({
      ...VALID,
      'api-url': 'https://ncloud.apigw.ntruss.com/vserver/v2'
    })
    expect(problem).toContain('"api-url"')
    expect(problem).toContain('/vserver/v2')
    expect(problem).toContain('https://host[:port]')
  })

  it('names NCLOUD_API_GW when the bad URL came from it', () => {
    const problem = onlyProblem(VALID, { NCLOUD_API_GW: 'http://gw.example.com' })
    expect(problem).toContain('NCLOUD_API_GW')
    expect(problem).toContain('"http://gw.example.com"')
  })
})

describe('readSettings: several bad inputs', () => {
  it('throws one InputError listing them all', () => {
    const error = problemsOf({
      'access-key': 'AK',
      'server-instance-no': 'abc',
      'image-name': 'x',
      wait: 'maybe',
      'poll-interval': 'often'
    })
    expect(error.problems).toHaveLength(5)
    expect(error.message.split('\n')[0]).toBe('5 inputs are invalid:')
    for (const name of [
      '"secret-key"',
      '"server-instance-no"',
      '"image-name"',
      '"wait"',
      '"poll-interval"'
    ]) {
      expect(error.message).toContain(name)
    }
    expect(error.message.split('\n').slice(1)).toEqual(
      error.problems.map(problem => `- ${problem}`)
    )
  })
})

describe('readSettings: image-name against the rules of both image kinds', () => {
  const XEN_RULE_TEXT = 'lowercase letters, digits and "-", starting with a lowercase letter'
  const KVM_RULE_TEXT = 'letters, digits, "-" and "_", starting with a lowercase letter'

  it.each([
    ['Golden-1', 'it starts with "G"'],
    ['ab', 'it has 2 characters'],
    ['golden-', 'it ends with "-"'],
    ['이미지-1', 'it starts with "이"'],
    ['a'.repeat(31), 'it has 31 characters'],
    ['my image', 'it contains " "'],
    ['-x1', 'it starts with "-"']
  ])(
    'with hypervisor auto refuses %j, which fits neither kind, naming each kind’s rule',
    (name, problem) => {
      const message = onlyProblem({ ...VALID, 'image-name': name })
      expect(message).toContain(`Input "image-name" "${name}"`)
      expect(message).toContain('breaks the naming rule of both image kinds')
      expect(message).toContain(`createMemberServerImageInstance (XEN/RHV): ${problem}`)
      expect(message).toContain(`createServerImage (KVM): ${problem}`)
      expect(message).toContain(XEN_RULE_TEXT)
      expect(message).toContain(KVM_RULE_TEXT)
      // The XEN part comes first, then the KVM part.
      expect(message.indexOf('createMemberServerImageInstance')).toBeLessThan(
        message.indexOf('createServerImage (KVM)')
      )
    }
  )

  it('with hypervisor auto passes "web_01", which fits the KVM rule: the plan checks it once the server is known', () => {
    const settings = readSettings(source({ ...VALID, 'image-name': 'web_01' }))
    expect(settings).toMatchObject({ imageName: 'web_01', nameSource: 'given', hypervisor: 'auto' })
  })

  it('with hypervisor xen refuses "web_01", naming the XEN rule only', () => {
    const message = onlyProblem({ ...VALID, 'image-name': 'web_01', hypervisor: 'xen' })
    expect(message).toContain('"web_01"')
    expect(message).toContain('createMemberServerImageInstance (XEN/RHV)')
    expect(message).toContain('it contains "_"')
    expect(message).toContain(XEN_RULE_TEXT)
    expect(message).not.toContain('createServerImage (KVM)')
    expect(message).not.toContain('both image kinds')
  })

  it('with hypervisor kvm passes "web_01"', () => {
    expect(
      readSettings(source({ ...VALID, 'image-name': 'web_01', hypervisor: 'kvm' })).imageName
    ).toBe('web_01')
  })

  it('with hypervisor kvm refuses a name that breaks the KVM rule, naming that rule only', () => {
    const message = onlyProblem({ ...VALID, 'image-name': 'Golden-1', hypervisor: 'kvm' })
    expect(message).toContain('createServerImage (KVM)')
    expect(message).toContain('it starts with "G"')
    expect(message).not.toContain('createMemberServerImageInstance')
  })

  it('never refuses the name it generates', () => {
    for (const server of ['1', '12345678901234567890']) {
      for (const env of [{}, { GITHUB_RUN_ID: '99999999999999999999' }]) {
        for (const hypervisor of ['auto', 'xen', 'kvm']) {
          expect(() =>
            readSettings(source({ ...VALID, 'server-instance-no': server, hypervisor }, env))
          ).not.toThrow()
        }
      }
    }
  })
})

describe('readSettings: image-instance-no (wait for an existing image)', () => {
  const KEYS = { 'access-key': 'AK', 'secret-key': 'SK' }

  it('reads the image number, and needs no server number with it', () => {
    const settings = readSettings(source({ ...KEYS, 'image-instance-no': ' 555 ' }))
    expect(settings.imageInstanceNo).toBe('555')
    expect(settings.serverInstanceNo).toBe('')
    expect(settings.warnings).toEqual([])
  })

  it('keeps a server number given with it, to check the image against', () => {
    const settings = readSettings(source({ ...VALID, 'image-instance-no': '555' }))
    expect(settings).toMatchObject({ imageInstanceNo: '555', serverInstanceNo: '1234567' })
  })

  it('is empty when not given', () => {
    expect(readSettings(source(VALID)).imageInstanceNo).toBe('')
  })

  it.each(['abc', '55a', '-1', '1.5', '123456789012345678901'])(
    'refuses image-instance-no %j, naming it',
    value => {
      const problem = onlyProblem({ ...KEYS, 'image-instance-no': value })
      expect(problem).toContain('"image-instance-no"')
      expect(problem).toContain('digits only')
      expect(problem).toContain(`"${value}"`)
    }
  )

  it('refuses a bad server number given with it', () => {
    const problem = onlyProblem({ ...KEYS, 'image-instance-no': '555', 'server-instance-no': 'x' })
    expect(problem).toContain('"server-instance-no"')
    expect(problem).toContain('digits only')
  })

  it.each(['image-name', 'image-description'])(
    'warns that %s is not used with it, and does not refuse it',
    name => {
      const settings = readSettings(
        source({ ...KEYS, 'image-instance-no': '555', [name]: 'Not A Valid Name!' })
      )
      expect(settings.warnings).toHaveLength(1)
      expect(settings.warnings[0]).toContain(`"${name}"`)
      expect(settings.warnings[0]).toContain('not used')
      expect(settings.warnings[0]).toContain('image-instance-no')
    }
  )

  it('warns once for each input it does not use', () => {
    const settings = readSettings(
      source({
        ...KEYS,
        'image-instance-no': '555',
        'image-name': 'golden-1',
        'image-description': 'nightly'
      })
    )
    expect(settings.warnings).toHaveLength(2)
    expect(settings.warnings.join('\n')).toContain('"image-name"')
    expect(settings.warnings.join('\n')).toContain('"image-description"')
  })

  it('gives no such warning without image-instance-no', () => {
    const settings = readSettings(
      source({ ...VALID, 'image-name': 'golden-1', 'image-description': 'nightly' })
    )
    expect(settings.warnings).toEqual([])
  })
})

describe('readSettings: warnings about the gateway', () => {
  it.each(['gov', 'fin'])('warns when NCLOUD_API_GW overrides site: %s, naming both', site => {
    const settings = readSettings(
      source({ ...VALID, site }, { NCLOUD_API_GW: 'https://gw.example.com' })
    )
    expect(settings.origin).toBe('https://gw.example.com')
    expect(settings.warnings).toHaveLength(1)
    expect(settings.warnings[0]).toContain('NCLOUD_API_GW')
    expect(settings.warnings[0]).toContain(`site: ${site}`)
    expect(settings.warnings[0]).toContain('https://gw.example.com')
    expect(settings.warnings[0]).toContain('api-url')
  })

  it('does not warn when NCLOUD_API_GW is used and site is left at public', () => {
    const settings = readSettings(source(VALID, { NCLOUD_API_GW: 'https://gw.example.com' }))
    expect(settings.originSource).toBe('NCLOUD_API_GW')
    expect(settings.warnings).toEqual([])
  })

  it('does not warn when api-url chooses the gateway, whatever the site', () => {
    const settings = readSettings(
      source(
        { ...VALID, site: 'gov', 'api-url': 'https://private.example.com' },
        { NCLOUD_API_GW: 'https://gw.example.com' }
      )
    )
    expect(settings.originSource).toBe('api-url')
    expect(settings.warnings).toEqual([])
  })

  it('does not warn when site gov is used without NCLOUD_API_GW', () => {
    expect(readSettings(source({ ...VALID, site: 'gov' })).warnings).toEqual([])
  })
})
