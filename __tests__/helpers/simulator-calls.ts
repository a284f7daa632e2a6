// What the simulator's own tests share: a signer written here on purpose (the simulator must
// agree with the reference test vectors, not with the action's own signer), signed calls, raw
// socket exchanges, and simulators on a fake clock, so that no test sleeps.
import { createHmac } from 'node:crypto'
import { connect } from 'node:net'
import { expect } from '@jest/globals'
import {
  demoFixture,
  startSimulator,
  type Clock,
  type Simulator,
  type SimulatorOptions
} from '../../simulator/ncp-simulator.mjs'
import { FakeClock } from './fake-clock.js'

// Response bodies are checked field by field; a precise type per action would add nothing here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export const ACCESS_KEY = 'sim-access-key'
export const SECRET_KEY = 'sim-secret-key'
export const MINUTE = 60 * 1000

export function signV2(
  secretKey: string,
  requestLine: string,
  timestamp: string,
  accessKey: string
) {
  return createHmac('sha256', secretKey)
    .update(`${requestLine}\n${timestamp}\n${accessKey}`)
    .digest('base64')
}

export interface CallOptions {
  method?: 'GET' | 'POST'
  /** The API's path segment; default 'vserver'. */
  api?: 'vserver' | 'vautoscaling'
  /** For POST: a query string to put in the URL (and sign). */
  query?: string
  /** Send exactly this path and query (GET), signed as is. */
  rawTarget?: string
  /** Sign this request target instead of the one sent. */
  signTarget?: string
  accessKey?: string
  secretKey?: string
  timestamp?: string
  headers?: Record<string, string>
  omitHeaders?: string[]
}

export interface Reply {
  status: number
  headers: Headers
  text: string
  json: Json
}

export async function call(
  sim: Pick<Simulator, 'url'> & { clock?: Clock },
  action: string,
  params: Record<string, string | undefined> = {},
  options: CallOptions = {}
): Promise<Reply> {
  const method = options.method ?? 'POST'
  const merged = { responseFormatType: 'json', regionCode: 'KR', ...params }
  const defined = Object.entries(merged).filter((entry): entry is [string, string] => !!entry[1])
  const form = new URLSearchParams(defined).toString()
  const path = `/${options.api ?? 'vserver'}/v2/${action}`
  const target =
    options.rawTarget ??
    (method === 'GET' ? `${path}?${form}` : options.query ? `${path}?${options.query}` : path)
  const timestamp = options.timestamp ?? String((sim.clock ?? Date).now())
  const accessKey = options.accessKey ?? ACCESS_KEY
  const requestLine = `${method} ${options.signTarget ?? target}`
  const headers: Record<string, string> = {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    'x-ncp-apigw-signature-v2': signV2(
      options.secretKey ?? SECRET_KEY,
      requestLine,
      timestamp,
      accessKey
    ),
    ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    ...options.headers
  }
  for (const name of options.omitHeaders ?? []) delete headers[name]
  const response = await fetch(sim.url + target, {
    method,
    headers,
    body: method === 'POST' ? form : undefined
  })
  const text = await response.text()
  const json = text.startsWith('{') ? JSON.parse(text) : undefined
  return { status: response.status, headers: response.headers, text, json }
}

/** The first list entry of a successful reply. */
export function first(reply: Reply, action: string, listKey: string): Json {
  expect(reply.status).toBe(200)
  const list = reply.json[`${action}Response`][listKey]
  expect(list).toHaveLength(1)
  return list[0]
}

export function expectServiceError(reply: Reply, returnCode: string) {
  expect(reply.status).toBe(400)
  expect(reply.json.responseError.returnCode).toBe(returnCode)
}

export function expectGatewayError(reply: Reply, status: number, errorCode: string) {
  expect(reply.status).toBe(status)
  expect(reply.json.error.errorCode).toBe(errorCode)
}

export interface RawExchange {
  /** Every byte received so far, headers included. */
  received(): Buffer
  /** How many separate reads that took. */
  reads(): number
  /** Resolves when the socket closes, for whatever reason. */
  closed: Promise<void>
  isClosed(): boolean
}

/** Sends one signed POST over a plain socket (no HTTP client in between) and collects the bytes. */
export function rawRequest(
  sim: TestSim,
  action: string,
  params: Record<string, string> = {}
): RawExchange {
  const form = new URLSearchParams({ responseFormatType: 'json', regionCode: 'KR', ...params })
  const body = form.toString()
  const path = `/vserver/v2/${action}`
  const timestamp = String(sim.clock.now())
  const head = [
    `POST ${path} HTTP/1.1`,
    `host: 127.0.0.1:${sim.port}`,
    'connection: close',
    'content-type: application/x-www-form-urlencoded',
    `content-length: ${Buffer.byteLength(body)}`,
    `x-ncp-apigw-timestamp: ${timestamp}`,
    `x-ncp-iam-access-key: ${ACCESS_KEY}`,
    `x-ncp-apigw-signature-v2: ${signV2(SECRET_KEY, `POST ${path}`, timestamp, ACCESS_KEY)}`
  ]
  const chunks: Buffer[] = []
  let closed = false
  const socket = connect(sim.port, '127.0.0.1')
  socket.on('data', chunk => chunks.push(chunk))
  socket.on('error', () => undefined)
  socket.write(`${head.join('\r\n')}\r\n\r\n${body}`)
  return {
    received: () => Buffer.concat(chunks),
    reads: () => chunks.length,
    closed: new Promise(resolve =>
      socket.on('close', () => {
        closed = true
        resolve()
      })
    ),
    isClosed: () => closed
  }
}

export interface RawReply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export function parseRaw(bytes: Buffer): RawReply {
  const end = bytes.indexOf('\r\n\r\n')
  expect(end).toBeGreaterThan(0)
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers = Object.fromEntries(
    lines.map(line => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]
    })
  )
  const body = bytes.subarray(end + 4)
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: headers['transfer-encoding'] === 'chunked' ? unchunk(body) : body
  }
}

/** Decodes a complete chunked body. */
export function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    if (!(size > 0)) return Buffer.concat(parts)
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}

/** The whole exchange, for replies that end with the socket closing. */
export async function rawCall(sim: TestSim, action: string, params: Record<string, string> = {}) {
  const exchange = rawRequest(sim, action, params)
  await exchange.closed
  return parseRaw(exchange.received())
}

/** Where the simulators of these tests start their clock (the FakeClock default). */
export const SIM_START = new FakeClock().now()

/** A simulator and the fake clock that is its time. */
export type TestSim = Simulator & { clock: FakeClock }
export type TestSimOptions = Omit<SimulatorOptions, 'clock'> & { clock?: FakeClock }

/** A simulator on a fake clock (a new one at SIM_START unless given): time moves when a test says. */
export async function startTestSim(options: TestSimOptions = {}): Promise<TestSim> {
  const clock = options.clock ?? new FakeClock(SIM_START)
  return Object.assign(await startSimulator({ ...options, clock }), { clock })
}

/** A fake clock that moves only when told to. */
export function fakeClock(start = Date.UTC(2030, 0, 1)): FakeClock {
  return new FakeClock(start)
}

/** Moves the simulator's clock to the moment the image with this number is due to finish. */
export function waitForCompletion(sim: TestSim, no: string): void {
  const image = sim.images().find(i => i.no === no)
  expect(image).toBeDefined()
  sim.clock.advance(Math.max(0, image!.completedAt - sim.clock.now()))
}

export async function withSimulator(
  options: TestSimOptions,
  body: (sim: TestSim) => Promise<void>
): Promise<void> {
  const sim = await startTestSim({ ...demoFixture(), ...options })
  try {
    await body(sim)
  } finally {
    await sim.close()
  }
}

export const createMember = (
  sim: Pick<TestSim, 'url' | 'clock'>,
  params: Record<string, string | undefined>,
  options?: CallOptions
) => call(sim, 'createMemberServerImageInstance', { serverInstanceNo: '1001', ...params }, options)
export const memberOf = (reply: Reply) =>
  first(reply, 'createMemberServerImageInstance', 'memberServerImageInstanceList')
export const memberDetail = async (
  sim: Pick<TestSim, 'url' | 'clock'>,
  no: string,
  options?: CallOptions
) =>
  first(
    await call(
      sim,
      'getMemberServerImageInstanceDetail',
      { memberServerImageInstanceNo: no },
      options
    ),
    'getMemberServerImageInstanceDetail',
    'memberServerImageInstanceList'
  )

/** Signs with this clock (by default calls sign with the simulator's own). */
export const at = (clock: Clock): CallOptions => ({ timestamp: String(clock.now()) })

/** Lets the event loop go round (sockets deliver, timers of 0 fire): no time passes. */
export async function turns(count = 1): Promise<void> {
  for (let i = 0; i < count; i++) await new Promise(resolve => setImmediate(resolve))
}

/**
 * A SimulatorOptions.wait the test controls: every wait is recorded and ends only when the test
 * calls release() (or at once, with `instant`).
 */
export function controlledWait(instant = false) {
  const waits: number[] = []
  const pending: (() => void)[] = []
  return {
    waits,
    wait: (ms: number) =>
      instant
        ? (waits.push(ms), turns())
        : new Promise<void>(resolve => {
            waits.push(ms)
            pending.push(resolve)
          }),
    release: () => pending.splice(0).forEach(resolve => resolve())
  }
}

/** Waits (a bounded number of loop turns) until the headers and at least `bodyBytes` bytes of body are in. */
export async function receivedAtLeast(exchange: RawExchange, bodyBytes: number): Promise<RawReply> {
  for (let i = 0; i < 2000; i++) {
    const bytes = exchange.received()
    const end = bytes.indexOf('\r\n\r\n')
    if (end > 0 && bytes.length - end - 4 >= bodyBytes) return parseRaw(bytes)
    await turns()
  }
  throw new Error(`only ${exchange.received().length} bytes arrived`)
}
