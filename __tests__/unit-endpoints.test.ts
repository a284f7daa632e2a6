import { describe, expect, it } from '@jest/globals'
import {
  SERVER_API_PATH,
  SITES,
  isLoopbackHost,
  isSite,
  parseGatewayOrigin
} from '../src/ncloud/endpoints.js'

describe('SITES and isSite', () => {
  it('knows the three NCP sites and their gateways', () => {
    expect(SITES).toEqual({
      public: 'https://ncloud.apigw.ntruss.com',
      gov: 'https://ncloud.apigw.gov-ntruss.com',
      fin: 'https://fin-ncloud.apigw.fin-ntruss.com'
    })
    expect(SERVER_API_PATH).toBe('/vserver/v2')
  })

  it('accepts only the site names, not inherited object keys', () => {
    expect(isSite('public')).toBe(true)
    expect(isSite('gov')).toBe(true)
    expect(isSite('fin')).toBe(true)
    expect(isSite('Public')).toBe(false)
    expect(isSite('toString')).toBe(false)
    expect(isSite('')).toBe(false)
  })
})

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', '127.0.0.1', '127.255.255.255', '127.1.2.3', '[::1]'])(
    '%s is loopback',
    host => {
      expect(isLoopbackHost(host)).toBe(true)
    }
  )

  it.each([
    'example.com',
    'localhost.example.com',
    '128.0.0.1',
    '10.0.0.1',
    '127.0.0',
    '127.0.0.1.5',
    '127.0.0.256',
    '127.0.0.1.nip.io',
    '127.o.0.1',
    '[::2]',
    ''
  ])('%s is not loopback', host => {
    expect(isLoopbackHost(host)).toBe(false)
  })
})

describe('parseGatewayOrigin', () => {
  it.each([
    ['https://ncloud.apigw.ntruss.com', 'https://ncloud.apigw.ntruss.com'],
    ['https://ncloud.apigw.ntruss.com/', 'https://ncloud.apigw.ntruss.com'],
    ['https://gw.example.com:8443', 'https://gw.example.com:8443'],
    ['https://gw.example.com:443', 'https://gw.example.com'],
    ['HTTPS://GW.Example.COM', 'https://gw.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost', 'http://localhost'],
    ['http://localhost:3000/', 'http://localhost:3000'],
    ['http://[::1]:9', 'http://[::1]:9']
  ])('%s gives the origin %s', (text, origin) => {
    expect(parseGatewayOrigin(text)).toEqual({ origin })
  })

  it.each([
    ['', 'is not a URL'],
    ['ncloud.apigw.ntruss.com', 'is not a URL'],
    ['ftp://gw.example.com', 'uses the scheme "ftp"'],
    ['http://gw.example.com', 'plain http://'],
    ['http://10.0.0.1:8080', 'plain http://'],
    ['https://user:pass@gw.example.com', 'user name or password'],
    ['https://gw.example.com/vserver/v2', 'has a path, query or fragment ("/vserver/v2")'],
    ['https://gw.example.com/?a=1', 'has a path, query or fragment ("/?a=1")'],
    ['https://gw.example.com#x', 'has a path, query or fragment ("/#x")']
  ])('%j is refused: %s', (text, problem) => {
    const parsed = parseGatewayOrigin(text)
    expect(parsed).toHaveProperty('problem')
    expect((parsed as { problem: string }).problem).toContain(problem)
  })
})
