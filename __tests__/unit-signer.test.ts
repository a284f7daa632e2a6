import { describe, expect, it } from '@jest/globals'
import { sign, stringToSign } from '../src/ncloud/signer.js'

// The five vectors of /work/shared/ncloud-api.md §1.8, copied as written there.
const VECTORS = [
  {
    secret: 'TestSecretKey',
    accessKey: 'TestAccessKey',
    timestamp: '1234567890123',
    request: 'GET /vserver/v2/getServerInstanceList?responseFormatType=json',
    signature: 'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M='
  },
  {
    secret: 'ncp-secret-example',
    accessKey: 'ACCESS_KEY_ID',
    timestamp: '1700000000000',
    request: 'GET /photos/puppy.jpg?query1=&query2',
    signature: 'iPe1hFfjl7BPGhFZJGCY5XZgH6eWMwCWlSdSkKU+SPE='
  },
  {
    secret: 'ncp-secret-example',
    accessKey: 'ACCESS_KEY_ID',
    timestamp: '1700000000000',
    request: 'POST /vserver/v2/createMemberServerImageInstance',
    signature: 'mO+TLk2fFhFi7CDXhr3ysX3nXf4Yctpo8L5qjXCyhVw='
  },
  {
    secret: 'ncp-secret-example',
    accessKey: 'ACCESS_KEY_ID',
    timestamp: '1700000000000',
    request:
      'GET /vserver/v2/getMemberServerImageInstanceDetail?regionCode=KR&memberServerImageInstanceNo=1234567&responseFormatType=json',
    signature: 'u0hCbhoIcI+h06lfC/QobUr761QK1k4rMLrBVhFVze4='
  },
  {
    secret: 'ncp-secret-example',
    accessKey: 'ACCESS_KEY_ID',
    timestamp: '1700000000000',
    request:
      'GET /vserver/v2/createMemberServerImageInstance?regionCode=KR&serverInstanceNo=1234567&memberServerImageName=my-image-01&memberServerImageDescription=nightly%20build%20%ED%85%8C%EC%8A%A4%ED%8A%B8&responseFormatType=json',
    signature: 'XQNYst7p4Bd0OIv5AY9WEiqEMiVdxa/YJiPiSkN/z0s='
  }
]

describe('sign', () => {
  it.each(VECTORS.map((vector, index) => ({ ...vector, n: index + 1 })))(
    'matches reference vector #$n',
    ({ secret, accessKey, timestamp, request, signature }) => {
      const space = request.indexOf(' ')
      const input = {
        method: request.slice(0, space),
        target: request.slice(space + 1),
        timestamp,
        accessKey
      }
      expect(sign(input, secret)).toBe(signature)
    }
  )

  it('signs the upper-cased method, so a lower-case method gives the same signature', () => {
    const { secret, accessKey, timestamp, signature } = VECTORS[2]
    const input = {
      method: 'post',
      target: '/vserver/v2/createMemberServerImageInstance',
      timestamp,
      accessKey
    }
    expect(sign(input, secret)).toBe(signature)
  })

  it('depends on the secret, the timestamp, the access key and the target', () => {
    const base = { method: 'POST', target: '/vserver/v2/a', timestamp: '1', accessKey: 'k' }
    const reference = sign(base, 's')
    expect(sign(base, 't')).not.toBe(reference)
    expect(sign({ ...base, timestamp: '2' }, 's')).not.toBe(reference)
    expect(sign({ ...base, accessKey: 'K' }, 's')).not.toBe(reference)
    expect(sign({ ...base, target: '/vserver/v2/b' }, 's')).not.toBe(reference)
  })
})

describe('stringToSign', () => {
  it('is METHOD SP target LF timestamp LF accessKey, with no trailing newline', () => {
    const text = stringToSign({
      method: 'POST',
      target: '/vserver/v2/createServerImage',
      timestamp: '1700000000000',
      accessKey: 'AK'
    })
    expect(text).toBe('POST /vserver/v2/createServerImage\n1700000000000\nAK')
    expect(text.endsWith('\n')).toBe(false)
    expect(text).not.toContain('\r')
  })

  it('upper-cases the method and keeps the target (query included) as given', () => {
    expect(
      stringToSign({ method: 'get', target: '/p?a=%20b&c', timestamp: '5', accessKey: 'x' })
    ).toBe('GET /p?a=%20b&c\n5\nx')
  })
})
