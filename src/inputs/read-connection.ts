import { formatDuration } from '../lib/duration.js'
import type { Settings } from '../model/settings.js'
import { SITES, isSite, type Site } from '../ncloud/endpoints.js'
import { duration, gatewayOrigin } from './checks.js'
import type { Reading } from './read-settings.js'

// Where the requests go (region, site, api-url) and how long they and the wait may take.

const MIN_POLL_INTERVAL_MS = 100
const MIN_REQUEST_TIMEOUT_MS = 100

/** region, site and api-url (or NCLOUD_API_GW): where the requests go. */
export function readGateway({
  source,
  input,
  problems,
  warnings
}: Reading): Pick<Settings, 'region' | 'origin' | 'originSource'> {
  const region = (input('region') || 'KR').toUpperCase()
  if (!/^[A-Z]{2,10}$/.test(region)) {
    problems.push(
      `Input "region" must be an NCP region code such as KR, SGN or JPN, got "${input('region')}".`
    )
  }
  const siteText = (input('site') || 'public').toLowerCase()
  const site: Site = isSite(siteText) ? siteText : 'public'
  if (!isSite(siteText)) {
    problems.push(
      `Input "site" must be one of ${Object.keys(SITES).join(', ')}, got "${input('site')}".`
    )
  }
  const { origin, originSource } = gatewayOrigin(
    input('api-url'),
    source.env.NCLOUD_API_GW?.trim() ?? '',
    site,
    problems
  )
  if (originSource === 'NCLOUD_API_GW' && site !== 'public') {
    warnings.push(
      `The environment variable NCLOUD_API_GW (${origin}) overrides site: ${site}; requests go to ${origin}. Unset NCLOUD_API_GW, or set api-url, to choose the gateway explicitly.`
    )
  }
  return { region, origin, originSource }
}

/** wait-timeout, poll-interval, request-timeout and post-timeout. */
export function readTiming({
  input,
  problems
}: Reading): Pick<
  Settings,
  'waitTimeoutMs' | 'pollIntervalMs' | 'requestTimeoutMs' | 'postTimeoutMs'
> {
  const waitTimeoutMs = duration(input('wait-timeout') || '60m', 'wait-timeout', 1000, problems)
  const pollIntervalMs = duration(
    input('poll-interval') || '10s',
    'poll-interval',
    MIN_POLL_INTERVAL_MS,
    problems
  )
  const requestTimeoutMs = duration(
    input('request-timeout') || '30s',
    'request-timeout',
    MIN_REQUEST_TIMEOUT_MS,
    problems
  )
  const postTimeoutMs = duration(input('post-timeout') || '4m', 'post-timeout', 1000, problems)
  if (
    waitTimeoutMs !== undefined &&
    pollIntervalMs !== undefined &&
    pollIntervalMs > waitTimeoutMs
  ) {
    problems.push(
      `Input "poll-interval" (${formatDuration(pollIntervalMs)}) must not be longer than "wait-timeout" (${formatDuration(waitTimeoutMs)}).`
    )
  }
  // A bad value has added its problem, so these fallbacks never reach a run.
  return {
    waitTimeoutMs: waitTimeoutMs ?? 0,
    pollIntervalMs: pollIntervalMs ?? 0,
    requestTimeoutMs: requestTimeoutMs ?? 0,
    postTimeoutMs: postTimeoutMs ?? 0
  }
}
