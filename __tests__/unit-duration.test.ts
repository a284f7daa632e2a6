import { describe, expect, it } from '@jest/globals'
import { formatDuration, parseDuration } from '../src/lib/duration.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5s', 1_500],
    ['120', 120_000],
    ['0.25', 250],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
    ['1h0m5s', 3_605_000],
    ['10S', 10_000],
    ['  30s  ', 30_000]
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', '   ', 'abc', '10x', '-5s', '1h 30m', 's', '1.s', '.5s', '5m-', '1,5s', 'ms'])(
    'refuses %j',
    text => {
      expect(parseDuration(text)).toBeUndefined()
    }
  )

  it('reads "ms" as milliseconds, not minutes followed by seconds', () => {
    expect(parseDuration('5ms')).toBe(5)
    expect(parseDuration('5m')).toBe(300_000)
  })
})

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [42_000, '42s'],
    [42_999, '42s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [185_000, '3m05s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [3_720_000, '1h02m'],
    [36_000_000, '10h00m']
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text)
  })

  it('shows negative durations as 0ms and rounds fractions', () => {
    expect(formatDuration(-5_000)).toBe('0ms')
    expect(formatDuration(12.6)).toBe('13ms')
    expect(formatDuration(999.6)).toBe('1s')
  })

  it('round-trips with parseDuration for whole seconds', () => {
    for (const text of ['42s', '3m05s', '59m59s']) {
      expect(formatDuration(parseDuration(text) as number)).toBe(text)
    }
  })
})
