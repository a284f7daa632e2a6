import { HttpClient } from '@actions/http-client'
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { deadline as startDeadline } from '../lib/deadline.js'

/** One complete HTTP answer, read to its end. */
export interface HttpAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** Why an exchange ended without a complete answer. Codes follow Node's where one exists. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string,
    /** Whether any byte of the request left: false only when no connection was made. */
    readonly sent: boolean
  ) {
    super(message)
    this.name = 'TransportError'
  }
}

export interface Exchange {
  url: string
  headers: Record<string, string>
  body: string
  /** Connect, headers and body together: past this the request is destroyed. */
  deadlineMs: number
  signal?: AbortSignal
}

/** An NCP answer is a few kB; a bigger one is not NCP's and is not read further. */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * POSTs one request and reads the whole answer, within one overall deadline. Never follows a
 * redirect. The agent comes from @actions/http-client, so HTTPS_PROXY and NO_PROXY work as in
 * other actions; the exchange itself is done here because the library's readBody() waits forever
 * on a body that stalls, and hangs on one that is cut off.
 */
export class Transport {
  private readonly agents = new HttpClient('ncloud-server-image-action', [], { keepAlive: false })

  post(exchange: Exchange): Promise<HttpAnswer> {
    const url = new URL(exchange.url)
    const agent = this.agents.getAgent(exchange.url) as Agent
    // Its timer also keeps the event loop alive until the exchange settles, whatever the socket does.
    const deadline = startDeadline(exchange.deadlineMs, exchange.signal)
    const { signal } = deadline
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest

    return new Promise<HttpAnswer>((resolve, reject) => {
      let connected = false
      let settled = false
      const settle = (error?: Error, answer?: HttpAnswer): void => {
        if (settled) return
        settled = true
        deadline.dispose()
        signal.removeEventListener('abort', onAbort)
        if (error) {
          req.destroy()
          reject(error)
        } else resolve(answer as HttpAnswer)
      }
      const onAbort = (): void => {
        if (!deadline.expired) return settle(signal.reason as Error)
        settle(
          new TransportError(
            `no complete answer within ${exchange.deadlineMs} ms`,
            'ETIMEDOUT',
            connected
          )
        )
      }
      const req = send(
        {
          protocol: url.protocol,
          // Node wants an IPv6 literal without its brackets.
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent,
          headers: {
            ...exchange.headers,
            'content-length': String(Buffer.byteLength(exchange.body))
          }
        },
        response => {
          const chunks: Buffer[] = []
          let bytes = 0
          let ended = false
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (bytes > MAX_BODY_BYTES) {
              return settle(
                new TransportError(
                  `the answer is larger than ${MAX_BODY_BYTES} bytes`,
                  'ERESPONSETOOLARGE',
                  true
                )
              )
            }
            chunks.push(chunk)
          })
          response.on('end', () => {
            ended = true
            settle(undefined, {
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8')
            })
          })
          const cutOff = (why: string): void =>
            settle(
              new TransportError(
                `the answer was cut off after ${bytes} bytes of the body (${why})`,
                'ECONNRESET',
                true
              )
            )
          response.on('error', error => cutOff(error.message))
          response.on('close', () => {
            if (!ended) cutOff('connection closed')
          })
        }
      )
      req.on('socket', socket => {
        socket.once('connect', () => (connected = true))
        socket.once('secureConnect', () => (connected = true))
      })
      req.on('error', error => settle(asTransportError(error, connected)))
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      req.end(exchange.body)
    })
  }

  dispose(): void {
    this.agents.dispose()
  }
}

function asTransportError(error: Error, sent: boolean): TransportError {
  if (error instanceof TransportError) return error
  const code = (error as { code?: unknown }).code
  return new TransportError(error.message, typeof code === 'string' ? code : 'ECONNRESET', sent)
}
