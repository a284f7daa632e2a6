// What every failed NCP request records: its source, NCP's words, and whether it may be repeated.

/**
 * Whether a failed request may have been carried out by the Server API:
 * - `no`: the gateway refused it, or no connection was made; sending it again is safe.
 * - `maybe`: it was sent and the answer was lost or ambiguous (dropped connection, 5xx, returnCode 1000).
 * - `yes`: the service read it and refused it.
 */
export type Reached = 'no' | 'maybe' | 'yes'

export type ErrorSource = 'gateway' | 'service' | 'network' | 'response' | 'redirect'

export interface NcloudErrorFields {
  action: string
  source: ErrorSource
  httpStatus?: number
  /** The gateway's `errorCode`, the service's `returnCode`, or the socket's error code. */
  code?: string
  ncpMessage?: string
  details?: string
  requestId?: string
  transient: boolean
  reached: Reached
  retryAfterMs?: number
  clockSkewMs?: number
  /** A success answer without what the action asked for (the list, the record). */
  incomplete?: boolean
  /** A list whose pages do not add up to its totalRows (see IncompleteListError). */
  pagesDisagree?: boolean
  /** The host a redirect pointed at. */
  location?: string
  /** The setting that chose the gateway (`api-url`, `NCLOUD_API_GW`, `site`), for the hint. */
  gatewaySetting: string
}
