import type { Clock } from '../lib/clock.js'
import { retrying, type RetryPolicy } from '../lib/retry.js'
import { SERVER_API_PATH } from './endpoints.js'
import { NcloudError, answerError, contentError, describeError, networkError } from './errors.js'
import { IncompleteListError } from './incomplete-list.js'
import { parseAnswer } from './response.js'
import { sign } from './signer.js'
import { Transport, TransportError } from './transport.js'

export type Params = Record<string, string>

/** NCP's largest page (1000) would make one slow answer; 100 keeps each one small. */
const PAGE_SIZE = 100
/** A bound on a list that never ends: 100 000 rows. */
const MAX_PAGES = 1000
export type ApiResult = Record<string, unknown>

export interface ClientOptions {
  origin: string
  /** The setting that chose the origin, named in hints: `api-url`, `NCLOUD_API_GW` or `site`. */
  gatewaySetting: string
  accessKey: string
  secretKey: string
  region: string
  clock: Clock
  retry: RetryPolicy
  /** The overall deadline of one request: connect, headers and body. */
  requestTimeoutMs: number
  signal?: AbortSignal
  random?: () => number
  userAgent: string
  /** The API's base path on the gateway; default the Server API's, `/vserver/v2`. */
  apiPath?: string
  debug(line: string): void
  /** Told of each retry, with what failed and how long until the next attempt. */
  onRetry(line: string): void
}

/** The one way to talk to the NCP Server API: signs, sends, reads, classifies every failure. */
export class NcloudClient {
  constructor(
    private readonly options: ClientOptions,
    private readonly transport = new Transport()
  ) {}

  get region(): string {
    return this.options.region
  }

  get retryPolicy(): RetryPolicy {
    return this.options.retry
  }

  get gatewaySetting(): string {
    return this.options.gatewaySetting
  }

  /** Reads with a read-only action, retrying transient failures; no retry starts after `deadline`. */
  read(action: string, params: Params = {}, deadline?: number, endBy?: number): Promise<ApiResult> {
    return this.repeatable(action, params, deadline, endBy)
  }

  /** Sends what may be repeated safely (a read, sharing), retrying transient failures. */
  repeatable(
    action: string,
    params: Params = {},
    deadline?: number,
    endBy?: number
  ): Promise<ApiResult> {
    return this.retried(action, params, error => error.transient, 'Retrying', deadline, endBy)
  }

  /** A change not to be done twice (a delete): resent only when it never reached the service. */
  sendUnlessReached(action: string, params: Params = {}): Promise<ApiResult> {
    const again = (error: NcloudError): boolean => error.transient && error.reached === 'no'
    const why = 'It never reached the service, so it is sent again'
    return this.retried(action, params, again, why)
  }

  /** The one retry loop around sendOnce; past endBy no request runs on (each is cut short). */
  private retried(
    action: string,
    params: Params,
    again: (error: NcloudError) => boolean,
    why: string,
    deadline?: number,
    endBy?: number
  ): Promise<ApiResult> {
    return retrying(() => this.sendOnce(action, params, endBy), {
      label: action,
      policy: this.options.retry,
      clock: this.options.clock,
      signal: this.options.signal,
      random: this.options.random,
      deadline: endBy === undefined ? deadline : Math.min(deadline ?? endBy, endBy),
      decide: error =>
        error instanceof NcloudError && again(error)
          ? { verdict: 'again', why, retryAfterMs: error.fields.retryAfterMs }
          : { verdict: 'stop' },
      describe: describeError,
      log: this.options.onRetry
    })
  }

  /**
   * Reads every page of a list action: NCP's page size defaults to 1 once pageNo is sent, so
   * both are sent, and the pages are read until totalRows rows have come. The list must add up:
   * a row seen twice (NCP documents pages 0 and 1 as the same first page), fewer distinct rows
   * than totalRows, or no totalRows at all make it an IncompleteListError, never a silent gap.
   * `idField` names the field that tells rows apart.
   */
  async readAllPages(
    action: string,
    params: Params,
    listKey: string,
    idField: string,
    endBy?: number
  ): Promise<unknown[]> {
    const rows: unknown[] = []
    const seen = new Set<string>()
    const incomplete = (problem: string): IncompleteListError =>
      new IncompleteListError(action, problem, this.gatewaySetting, rows)
    let total = NaN
    for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
      const page = await this.read(
        action,
        { ...params, pageNo: String(pageNo), pageSize: String(PAGE_SIZE) },
        undefined,
        endBy
      )
      const list = page[listKey]
      if (!Array.isArray(list)) {
        throw contentError(action, `the success answer has no ${listKey}`, this.gatewaySetting)
      }
      total = Number(page.totalRows)
      if (page.totalRows === undefined || !Number.isSafeInteger(total) || total < 0) {
        throw incomplete(`page ${pageNo} does not say how many rows there are (totalRows)`)
      }
      for (const row of list) {
        // A row without an id cannot be told apart: it counts, but cannot be seen twice.
        const id = idOf(row, idField)
        if (id && seen.has(id)) {
          throw incomplete(
            `page ${pageNo} repeats the row ${idField} ${id}, so the pages overlap and rows may be missing`
          )
        }
        if (id) seen.add(id)
        rows.push(row)
      }
      if (rows.length >= total || list.length === 0) break
    }
    if (rows.length !== total) {
      throw incomplete(
        `the pages hold ${rows.length} row${rows.length === 1 ? '' : 's'}, but totalRows says ${total}`
      )
    }
    return rows
  }

  /** The same client for another API on the same gateway (e.g. `/vautoscaling/v2`). */
  forApi(apiPath: string): NcloudClient {
    return new NcloudClient({ ...this.options, apiPath }, this.transport)
  }

  /** Sends one signed request and never retries. Throws NcloudError for every failure. */
  async sendOnce(action: string, params: Params = {}, endBy?: number): Promise<ApiResult> {
    const { origin, accessKey, secretKey, region, clock, signal, gatewaySetting } = this.options
    signal?.throwIfAborted()
    const timeLeft = endBy === undefined ? Infinity : endBy - clock.now()
    if (timeLeft <= 0) {
      throw networkError(
        action,
        new TransportError('no time was left for this request', 'ETIMEDOUT', false),
        gatewaySetting
      )
    }
    const path = `${this.options.apiPath ?? SERVER_API_PATH}/${action}`
    const body = new URLSearchParams({
      regionCode: region,
      ...params,
      responseFormatType: 'json'
    }).toString()
    const timestamp = String(clock.now())
    const headers = {
      'user-agent': this.options.userAgent,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
      'x-ncp-apigw-timestamp': timestamp,
      'x-ncp-iam-access-key': accessKey,
      'x-ncp-apigw-signature-v2': sign(
        { method: 'POST', target: path, timestamp, accessKey },
        secretKey
      )
    }
    this.options.debug(`POST ${path} ${describeParams(params)}`)
    let answer
    try {
      answer = await this.transport.post({
        url: `${origin}${path}`,
        headers,
        body,
        deadlineMs: Math.min(this.options.requestTimeoutMs, timeLeft),
        signal
      })
    } catch (error) {
      signal?.throwIfAborted()
      if (error instanceof TransportError) throw networkError(action, error, gatewaySetting)
      throw error
    }
    const { facts, answer: shape } = parseAnswer(action, answer, clock.now())
    this.options.debug(`${action}: HTTP ${answer.status} (${shape.shape})`)
    if (shape.shape !== 'success') throw answerError(action, facts, shape, gatewaySetting)
    return shape.result
  }

  /**
   * The same client for a last request after a cancel: no abort signal, one attempt, a short
   * deadline, so the runner's few seconds between SIGINT and SIGKILL are enough.
   */
  afterCancel(requestTimeoutMs: number): NcloudClient {
    return new NcloudClient(
      {
        ...this.options,
        signal: undefined,
        requestTimeoutMs,
        retry: { ...this.options.retry, maxAttempts: 1 }
      },
      this.transport
    )
  }

  dispose(): void {
    this.transport.dispose()
  }
}

/** A row's identity for the completeness check: its id field as text ('' when it has none). */
function idOf(row: unknown, idField: string): string {
  const value =
    typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[idField] : undefined
  return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
}

function describeParams(params: Params): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ')
}
