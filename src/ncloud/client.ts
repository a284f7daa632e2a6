import { HttpClient } from '@actions/http-client'
import type { Clock } from '../clock.js'
import { withRetry, type RetryPolicy } from '../retry.js'
import { SERVER_API_PATH } from './endpoints.js'
import { NcloudError, networkError, readAnswer } from './errors.js'
import { sign } from './signer.js'

export type Params = Record<string, string>
export type ApiResult = Record<string, unknown>

export interface ClientOptions {
  origin: string
  accessKey: string
  secretKey: string
  region: string
  clock: Clock
  retry: RetryPolicy
  requestTimeoutMs: number
  signal?: AbortSignal
  userAgent: string
  debug(line: string): void
  /** Told of each retry, with what failed and how long until the next attempt. */
  onRetry(line: string): void
}

/** The one way to talk to the NCP Server API: signs, sends, reads, and retries what is safe to retry. */
export class NcloudClient {
  private readonly http: HttpClient

  constructor(private readonly options: ClientOptions) {
    this.http = new HttpClient(options.userAgent, [], {
      allowRedirects: false,
      allowRetries: false,
      keepAlive: false,
      socketTimeout: options.requestTimeoutMs
    })
  }

  get region(): string {
    return this.options.region
  }

  /** Calls a read-only action, retrying transient failures with backoff. */
  call(action: string, params: Params = {}): Promise<ApiResult> {
    return withRetry(() => this.send(action, params), {
      policy: this.options.retry,
      clock: this.options.clock,
      signal: this.options.signal,
      isRetryable: error => error instanceof NcloudError && error.transient,
      retryAfterMs: error => (error instanceof NcloudError ? error.fields.retryAfterMs : undefined),
      onRetry: (error, failed, delay) =>
        this.options.onRetry(
          `${action}: attempt ${failed} of ${this.options.retry.maxAttempts} failed: ${error instanceof NcloudError ? error.summary : String(error)} Retrying in ${delay} ms.`
        )
    })
  }

  /** Sends one signed request; never retries. Throws NcloudError for every failure. */
  async send(action: string, params: Params = {}): Promise<ApiResult> {
    const { origin, accessKey, secretKey, region, clock, signal } = this.options
    signal?.throwIfAborted()
    const path = `${SERVER_API_PATH}/${action}`
    const body = new URLSearchParams({
      regionCode: region,
      ...params,
      responseFormatType: 'json'
    }).toString()
    const timestamp = String(clock.now())
    const headers = {
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
      answer = await abortable(async () => {
        const response = await this.http.post(`${origin}${path}`, body, headers)
        return {
          status: response.message.statusCode ?? 0,
          headers: response.message.headers,
          body: await response.readBody()
        }
      }, signal)
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw networkError(action, error)
    }
    const result = readAnswer(action, answer, clock.now())
    this.options.debug(
      `${action}: HTTP ${answer.status}${result instanceof NcloudError ? ` ${result.fields.source} error ${result.fields.code ?? ''}` : ''}`
    )
    if (result instanceof NcloudError) throw result
    return result
  }

  dispose(): void {
    this.http.dispose()
  }
}

function describeParams(params: Params): string {
  return Object.entries(params)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ')
}

/** Runs a promise-returning function but gives up as soon as the signal aborts. */
function abortable<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return run()
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    run().then(
      value => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      error => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}
