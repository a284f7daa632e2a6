export const SITES = {
  public: 'https://ncloud.apigw.ntruss.com',
  gov: 'https://ncloud.apigw.gov-ntruss.com',
  fin: 'https://fin-ncloud.apigw.fin-ntruss.com'
} as const

export type Site = keyof typeof SITES

/** Every VPC Server API action lives under this prefix, on every site. */
export const SERVER_API_PATH = '/vserver/v2'
/** The Auto Scaling API: the same gateway and signature, another prefix (ncloud-api-next §2). */
export const AUTOSCALING_API_PATH = '/vautoscaling/v2'
/** The VPC API (subnets): the same gateway and signature (ncloud-api-next §5). */
export const VPC_API_PATH = '/vpc/v2'

export function isSite(value: string): value is Site {
  return Object.hasOwn(SITES, value)
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host === '[::1]') return true
  const octets = host.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every(octet => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  )
}

/**
 * Checks an API gateway override and returns its origin, or a sentence saying what is wrong.
 * Plain http is refused except on loopback, because every request carries the signed credentials.
 */
export function parseGatewayOrigin(text: string): { origin: string } | { problem: string } {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return { problem: 'is not a URL' }
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: `uses the scheme "${url.protocol.replace(/:$/, '')}"` }
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      problem:
        'uses plain http:// for a host that is not loopback, which would send the signed credentials in clear'
    }
  }
  if (url.username || url.password) return { problem: 'contains a user name or password' }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    return { problem: `has a path, query or fragment ("${url.pathname}${url.search}${url.hash}")` }
  }
  return { origin: url.origin }
}
