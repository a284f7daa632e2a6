import { describe, expect, it } from '@jest/globals'
import {
  MAX_DESCRIPTION_BYTES,
  MEMBER_IMAGE_NAME_RULE,
  SERVER_IMAGE_NAME_RULE,
  descriptionBytes,
  generateImageName,
  nameProblem
} from '../src/image-name.js'

const XEN = MEMBER_IMAGE_NAME_RULE
const KVM = SERVER_IMAGE_NAME_RULE

describe('nameProblem', () => {
  it.each([
    ['abc', 'shortest (3)'],
    ['a'.repeat(30), 'longest (30)'],
    ['my-image-01', 'letters, digits and -'],
    ['a1b', 'digit inside'],
    ['ab9', 'ends with a digit'],
    ['a--b', 'several dashes inside']
  ])('accepts %j under both rules (%s)', name => {
    expect(nameProblem(name, XEN)).toBeUndefined()
    expect(nameProblem(name, KVM)).toBeUndefined()
  })

  it.each([
    ['ab', 'it has 2 characters'],
    ['a'.repeat(31), 'it has 31 characters'],
    ['', 'it has 0 characters'],
    ['1abc', 'it starts with "1"'],
    ['Abc', 'it starts with "A"'],
    ['-abc', 'it starts with "-"'],
    ['abc-', 'it ends with "-"'],
    ['abc_', 'it ends with "_"'],
    ['abC', 'it ends with "C"']
  ])('refuses %j under both rules: %s', (name, problem) => {
    expect(nameProblem(name, XEN)).toBe(problem)
    expect(nameProblem(name, KVM)).toBe(problem)
  })

  it('allows "_" inside only under the KVM rule', () => {
    expect(nameProblem('my_image', KVM)).toBeUndefined()
    expect(nameProblem('my_image', XEN)).toBe('it contains "_"')
  })

  it('allows upper case inside only under the KVM rule', () => {
    expect(nameProblem('myImage1', KVM)).toBeUndefined()
    expect(nameProblem('myImage1', XEN)).toBe('it contains "I"')
  })

  it('names each bad character inside once, under either rule', () => {
    expect(nameProblem('a b.c b.d', KVM)).toBe('it contains " ", "."')
    expect(nameProblem('aB_C.d', XEN)).toBe('it contains "B", "_", "C", "."')
  })

  it('counts characters, not UTF-16 units, and names a non-ASCII character', () => {
    expect(nameProblem('a테b', KVM)).toBe('it contains "테"')
    expect(nameProblem('a😀', XEN)).toBe('it has 2 characters')
  })

  it('checks the length before the first and last characters', () => {
    expect(nameProblem('1-', XEN)).toBe('it has 2 characters')
  })
})

describe('generateImageName', () => {
  const at = new Date('2026-12-01T07:33:21.456Z')

  it('builds img-<server>-<yyyymmdd>-<hhmmss> from the UTC time', () => {
    expect(generateImageName('1234567', at)).toBe('img-1234567-20261201-073321')
  })

  it.each(['1', '1234567', '98765432101', '12345678901234567890'])(
    'is valid under both rules and at most 30 characters for server %s',
    server => {
      const name = generateImageName(server, at)
      expect(name.length).toBeLessThanOrEqual(30)
      expect(nameProblem(name, XEN)).toBeUndefined()
      expect(nameProblem(name, KVM)).toBeUndefined()
    }
  )

  it('keeps the last digits of a 20-digit server number', () => {
    const name = generateImageName('12345678901234567890', at)
    expect(name).toBe('img-1234567890-20261201-073321')
    expect(name).toHaveLength(30)
  })

  it('differs from one second to the next, and is the same within a second', () => {
    const next = new Date(at.getTime() + 1000)
    const sameSecond = new Date(at.getTime() + 400)
    expect(generateImageName('1234567', next)).not.toBe(generateImageName('1234567', at))
    expect(generateImageName('1234567', sameSecond)).toBe(generateImageName('1234567', at))
  })

  it('differs from one server to another', () => {
    expect(generateImageName('1234567', at)).not.toBe(generateImageName('1234568', at))
  })
})

describe('descriptionBytes', () => {
  it('counts UTF-8 bytes: ASCII 1, Korean 3 per character', () => {
    expect(descriptionBytes('')).toBe(0)
    expect(descriptionBytes('nightly build')).toBe(13)
    expect(descriptionBytes('테스트')).toBe(9)
    expect(descriptionBytes('a 테스트')).toBe(11)
    expect(descriptionBytes('😀')).toBe(4)
  })

  it('lets 333 Korean characters (999 bytes) fit the limit and 334 (1002 bytes) not', () => {
    expect(MAX_DESCRIPTION_BYTES).toBe(1000)
    expect(descriptionBytes('가'.repeat(333))).toBe(999)
    expect(descriptionBytes('가'.repeat(334))).toBe(1002)
  })
})
