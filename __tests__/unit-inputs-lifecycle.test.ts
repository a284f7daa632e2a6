import { describe, expect, it } from '@jest/globals'
import { readSettings, type InputSource } from '../src/inputs/read-settings.js'
import { InputError } from '../src/model/settings.js'

const NOW = new Date('2026-12-01T07:33:21Z')
const VALID = { 'access-key': 'AK', 'secret-key': 'SK', 'server-instance-no': '1234567' }
const BY_NAME = { 'access-key': 'AK', 'secret-key': 'SK' }

function source(inputs: Record<string, string>, now = NOW): InputSource {
  return { env: {}, now, getInput: name => inputs[name] ?? '', mask: () => {} }
}

const read = (inputs: Record<string, string>, now?: Date) => readSettings(source(inputs, now))

/** Every problem readSettings reports for these inputs (fails the test if it accepts them). */
function problems(inputs: Record<string, string>): string[] {
  try {
    read(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).problems
  }
  throw new Error('readSettings accepted the inputs')
}

function onlyProblem(inputs: Record<string, string>): string {
  const found = problems(inputs)
  expect(found).toHaveLength(1)
  return found[0]
}

describe('readSettings: server-name', () => {
  it('takes the server’s exact name instead of its number', () => {
    const settings = read({ ...BY_NAME, 'server-name': ' web-1 ' })
    expect(settings.serverName).toBe('web-1')
    expect(settings.serverInstanceNo).toBe('')
  })

  it('is empty when not given', () => {
    expect(read(VALID).serverName).toBe('')
  })

  it('may be given with image-instance-no', () => {
    const settings = read({ ...BY_NAME, 'server-name': 'web-1', 'image-instance-no': '555' })
    expect(settings).toMatchObject({ serverName: 'web-1', imageInstanceNo: '555' })
  })

  it('refuses server-name together with server-instance-no', () => {
    const problem = onlyProblem({ ...VALID, 'server-name': 'web-1' })
    expect(problem).toContain('"server-instance-no" and "server-name" are both given')
  })

  it.each(['web 1', 'web,1', 'web;1', 'web\t1', 'w'.repeat(256)])(
    'refuses the malformed name %j, quoting it',
    name => {
      const problem = onlyProblem({ ...BY_NAME, 'server-name': name })
      expect(problem).toContain('Input "server-name" must be a server\'s exact name')
      expect(problem).toContain(`"${name}"`)
    }
  )

  it('accepts a name of 255 characters', () => {
    const name = 'w'.repeat(255)
    expect(read({ ...BY_NAME, 'server-name': name }).serverName).toBe(name)
  })

  it('still needs a server or an image when server-name is empty', () => {
    expect(onlyProblem(BY_NAME)).toContain('Input "server-instance-no" is required')
  })
})

describe('readSettings: share-with', () => {
  it('is empty by default', () => {
    expect(read(VALID).shareWith).toEqual([])
  })

  it('splits login IDs on commas and new lines, ignoring blanks and spaces', () => {
    const settings = read({
      ...VALID,
      'share-with': ' team@example.com , ops-account,\n\n  qa.user+ci@example.co.kr \r\n, ,'
    })
    expect(settings.shareWith).toEqual([
      'team@example.com',
      'ops-account',
      'qa.user+ci@example.co.kr'
    ])
  })

  it('collapses duplicates, keeping the first order', () => {
    const settings = read({ ...VALID, 'share-with': 'b@example.com\na@example.com,b@example.com' })
    expect(settings.shareWith).toEqual(['b@example.com', 'a@example.com'])
  })

  it('is empty when only blanks are given', () => {
    expect(read({ ...VALID, 'share-with': ' ,\n , ' }).shareWith).toEqual([])
  })

  it.each(['team member', '-leading-dash', 'a;b', '<x@example.com>', 'x'.repeat(101)])(
    'names the malformed entry %j',
    entry => {
      const problem = onlyProblem({ ...VALID, 'share-with': `good@example.com, ${entry}` })
      expect(problem).toContain(`Input "share-with" has the entry "${entry}"`)
      expect(problem).toContain('not an NCP login ID')
      expect(problem).not.toContain('good@example.com')
    }
  )

  it('names each malformed entry', () => {
    const found = problems({ ...VALID, 'share-with': 'bad one, good, also bad' })
    expect(found).toHaveLength(2)
    expect(found[0]).toContain('"bad one"')
    expect(found[1]).toContain('"also bad"')
  })

  it('needs wait: true', () => {
    const problem = onlyProblem({ ...VALID, 'share-with': 'team@example.com', wait: 'false' })
    expect(problem).toContain('Input "share-with" needs wait: true')
  })
})

describe('readSettings: keep-days', () => {
  it('reads a whole number of days, alone or with keep-last', () => {
    const alone = read({ ...VALID, 'keep-days': ' 14 ', 'prune-match': 'nightly-*' })
    expect(alone).toMatchObject({ keepDays: 14, keepLast: undefined, pruneMatch: 'nightly-*' })
    const both = read({ ...VALID, 'keep-days': '1', 'keep-last': '3', 'prune-match': 'a*' })
    expect(both).toMatchObject({ keepDays: 1, keepLast: 3 })
  })

  it('is unset when not given', () => {
    expect(read(VALID).keepDays).toBeUndefined()
  })

  it.each(['0', '-1', '1.5', 'two', '3651', '14d'])(
    'refuses keep-days %j, giving the range',
    days => {
      const problem = onlyProblem({ ...VALID, 'keep-days': days, 'prune-match': 'a*' })
      expect(problem).toBe(
        `Input "keep-days" must be a whole number from 1 to 3650 (the days within which images are kept), got "${days}".`
      )
    }
  )

  it('needs prune-match and wait: true', () => {
    expect(onlyProblem({ ...VALID, 'keep-days': '7' })).toContain(
      'Input "prune-match" is required with keep-days'
    )
    expect(
      onlyProblem({ ...VALID, 'keep-days': '7', 'prune-match': 'a*', wait: 'false' })
    ).toContain('Input "keep-days" needs wait: true')
  })
})

describe('readSettings: keep-last and prune-match', () => {
  it('sets no pruning when neither is given', () => {
    const settings = read(VALID)
    expect(settings.keepLast).toBeUndefined()
    expect(settings.pruneMatch).toBeUndefined()
  })

  it('reads both', () => {
    const settings = read({ ...VALID, 'keep-last': ' 7 ', 'prune-match': ' nightly-* ' })
    expect(settings).toMatchObject({ keepLast: 7, pruneMatch: 'nightly-*' })
  })

  it.each(['1', '1000'])('accepts keep-last %s, the ends of the range', keep => {
    expect(read({ ...VALID, 'keep-last': keep, 'prune-match': 'a*' }).keepLast).toBe(Number(keep))
  })

  it.each(['0', '1001', '-1', '2.5', 'seven', '1e2', ' 3 4'])(
    'refuses keep-last %j, giving the range',
    keep => {
      const problem = onlyProblem({ ...VALID, 'keep-last': keep, 'prune-match': 'a*' })
      expect(problem).toContain('Input "keep-last" must be a whole number from 1 to 1000')
      expect(problem).toContain(`"${keep.trim()}"`)
    }
  )

  it('refuses keep-last without prune-match', () => {
    const problem = onlyProblem({ ...VALID, 'keep-last': '3' })
    expect(problem).toContain('Input "prune-match" is required with keep-last')
  })

  it('refuses prune-match without keep-last', () => {
    const problem = onlyProblem({ ...VALID, 'prune-match': 'nightly-*' })
    expect(problem).toContain('Input "prune-match" needs keep-last')
  })

  it.each([
    ['verify-subnet-no', '8101'],
    ['verify-access-control-groups', '9101'],
    ['verify-timeout', '5m']
  ])('refuses %s without verify-boot: true, naming it', (name, value) => {
    const expected = `Input "${name}" needs verify-boot: true: it sets up verify-boot's test server, and without verify-boot no test server is launched.`
    expect(onlyProblem({ ...VALID, [name]: value })).toBe(expected)
    expect(onlyProblem({ ...VALID, 'verify-boot': 'false', [name]: value })).toBe(expected)
    expect(() => read({ ...VALID, 'verify-boot': 'true', [name]: value })).not.toThrow()
  })

  it.each(['Nightly_2026-*', '*', 'a', 'x'.repeat(30)])('accepts the pattern %j', pattern => {
    expect(read({ ...VALID, 'keep-last': '2', 'prune-match': pattern }).pruneMatch).toBe(pattern)
  })

  it.each(['nightly.*', 'night ly', 'a?b', '[ab]', 'x/y', 'é*', 'x'.repeat(31)])(
    'refuses the pattern %j, quoting it',
    pattern => {
      const problem = onlyProblem({ ...VALID, 'keep-last': '2', 'prune-match': pattern })
      expect(problem).toContain('Input "prune-match" must be an image name pattern')
      expect(problem).toContain(`"${pattern}"`)
    }
  )

  it('keep-last needs wait: true', () => {
    const problem = onlyProblem({
      ...VALID,
      'keep-last': '2',
      'prune-match': 'a*',
      wait: 'false'
    })
    expect(problem).toContain('Input "keep-last" needs wait: true')
  })
})

describe('readSettings: stop-server', () => {
  it('is false by default', () => {
    expect(read(VALID).stopServer).toBe(false)
  })

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['False', false]
  ])('reads %j', (text, want) => {
    expect(read({ ...VALID, 'stop-server': text }).stopServer).toBe(want)
  })

  it.each(['yes', '1', 'on'])('refuses %j', text => {
    const problem = onlyProblem({ ...VALID, 'stop-server': text })
    expect(problem).toContain('Input "stop-server" must be true or false')
    expect(problem).toContain(`"${text}"`)
  })

  it('refuses stop-server: true with wait: false', () => {
    const problem = onlyProblem({ ...VALID, 'stop-server': 'true', wait: 'false' })
    expect(problem).toContain('Input "stop-server" needs wait: true')
  })

  it('allows stop-server: false with wait: false', () => {
    expect(read({ ...VALID, 'stop-server': 'false', wait: 'false' }).wait).toBe(false)
  })

  it('names every input that needs wait: true', () => {
    const found = problems({
      ...VALID,
      wait: 'false',
      'stop-server': 'true',
      'share-with': 'team',
      'keep-last': '2',
      'prune-match': 'a*'
    })
    expect(found).toHaveLength(3)
    expect(found.join('\n')).toMatch(/stop-server[\s\S]*share-with[\s\S]*keep-last/)
  })
})

describe('readSettings: {date} and {time}', () => {
  it('replaces them in image-name with the UTC date and time of now', () => {
    const settings = read({ ...VALID, 'image-name': 'nightly-{date}-{time}' })
    expect(settings.imageName).toBe('nightly-20261201-073321')
    expect(settings.nameSource).toBe('given')
    expect(settings.nameChanges).toBe(true)
  })

  it('uses UTC, not the runner’s time zone', () => {
    // A date as a runner in Seoul sees it: 23:30 on 31 December in UTC is 08:30 on 1 January there.
    class SeoulDate extends Date {
      private get local(): Date {
        return new Date(this.getTime() + 9 * 60 * 60_000)
      }
      override getFullYear(): number {
        return this.local.getUTCFullYear()
      }
      override getMonth(): number {
        return this.local.getUTCMonth()
      }
      override getDate(): number {
        return this.local.getUTCDate()
      }
      override getHours(): number {
        return this.local.getUTCHours()
      }
      override getTimezoneOffset(): number {
        return -9 * 60
      }
    }
    const at = new SeoulDate('2026-12-31T23:30:05Z')
    expect(at.getDate()).toBe(1)
    expect(read({ ...VALID, 'image-name': 'n-{date}-{time}' }, at).imageName).toBe(
      'n-20261231-233005'
    )
  })

  it('replaces every occurrence', () => {
    expect(read({ ...VALID, 'image-name': 'a{date}b{date}' }).imageName).toBe('a20261201b20261201')
  })

  it('replaces them in image-description too', () => {
    const settings = read({ ...VALID, 'image-description': 'Built {date} at {time} UTC' })
    expect(settings.imageDescription).toBe('Built 20261201 at 073321 UTC')
  })

  it('a name without placeholders does not change between attempts', () => {
    const settings = read({ ...VALID, 'image-name': 'nightly-1' })
    expect(settings.imageName).toBe('nightly-1')
    expect(settings.nameChanges).toBe(false)
  })

  it('a placeholder only in the description does not make the name change', () => {
    const settings = read({ ...VALID, 'image-name': 'n-1', 'image-description': 'at {time}' })
    expect(settings.nameChanges).toBe(false)
  })

  it.each([
    ['image-name', 'nightly-{branch}', '{branch}'],
    ['image-name', 'nightly-{DATE}', '{DATE}'],
    ['image-name', 'nightly-{}', '{}'],
    ['image-description', 'built from {sha}', '{sha}']
  ])('%s %j: refuses the unknown placeholder, naming it', (name, value, placeholder) => {
    const found = problems({ ...VALID, [name]: value })
    const problem = found.find(text => text.includes('unknown placeholder'))
    expect(problem).toContain(`Input "${name}" has the unknown placeholder ${placeholder}`)
    expect(problem).toContain('{date}')
    expect(problem).toContain('{time}')
  })

  it('names each unknown placeholder of one input', () => {
    const problem = onlyProblem({ ...VALID, 'image-description': '{a} and {b}, {date}' })
    expect(problem).toContain('{a}, {b}')
    expect(problem).not.toContain('{date},')
  })

  it('checks the name after the placeholders are replaced', () => {
    // The braces of the literal text break the KVM naming rule; the date and time do not.
    const settings = read({ ...VALID, hypervisor: 'kvm', 'image-name': 'nightly-{date}-{time}' })
    expect(settings.imageName).toMatch(/^nightly-\d{8}-\d{6}$/)
  })
})

describe('readSettings: request-timeout', () => {
  it('is 30 seconds by default', () => {
    expect(read(VALID).requestTimeoutMs).toBe(30_000)
  })

  it.each([
    ['100ms', 100],
    ['2m', 120_000],
    ['45', 45_000],
    ['1m30s', 90_000]
  ])('reads %j', (text, ms) => {
    expect(read({ ...VALID, 'request-timeout': text }).requestTimeoutMs).toBe(ms)
  })

  it.each(['99ms', '0'])('refuses %j, shorter than the minimum of 100ms', text => {
    const problem = onlyProblem({ ...VALID, 'request-timeout': text })
    expect(problem).toBe(`Input "request-timeout" must be at least 100ms, got "${text}".`)
  })

  it('refuses text that is not a duration', () => {
    const problem = onlyProblem({ ...VALID, 'request-timeout': 'thirty seconds' })
    expect(problem).toContain('Input "request-timeout" must be a duration')
  })
})
