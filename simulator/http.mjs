// @ts-check
// The HTTP side: listening on loopback, reading a request, recording it, and sending the reply
// (whole, in part, or not at all).
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { APIS } from './api/routes.mjs'
import { answer } from './gateway.mjs'
import { gatewayError } from './replies.mjs'

/** @typedef {import('./state.mjs').SimState} SimState */
/** @typedef {import('./replies.mjs').Reply} Reply */
/** @typedef {import('node:http').ServerResponse} ServerResponse */

/**
 * Listens on 127.0.0.1 or ::1 only.
 * @param {SimState} sim
 * @param {{ host?: string, port?: number }} options
 */
export async function listen(sim, { host = '127.0.0.1', port = 0 }) {
  if (host !== '127.0.0.1' && host !== '::1') {
    throw new Error(`host must be 127.0.0.1 or ::1, got ${host}`)
  }
  const server = createServer((req, res) => {
    handleRequest(sim, req, res).catch(error => {
      if (!res.headersSent) send(res, gatewayError('unexpected', String(error)), randomUUID())
    })
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(undefined))
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP')
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    /** Stops listening, destroys open sockets and stops waiting. @returns {Promise<void>} */
    close: () => {
      sim.closed = true
      for (const timer of sim.timers) clearTimeout(timer)
      sim.timers.clear()
      return new Promise(resolve => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    }
  }
}

/**
 * @param {SimState} sim
 * @param {import('node:http').IncomingMessage} req
 * @param {ServerResponse} res
 */
async function handleRequest(sim, req, res) {
  const at = sim.clock.now()
  const requestId = randomUUID()
  const body = await readBody(req)
  const target = req.url ?? '/'
  const url = new URL(target, 'http://simulator')
  const api = APIS.find(({ prefix }) => url.pathname.startsWith(prefix))
  /** @type {import('./types.mjs').RecordedRequest} */
  const entry = {
    api: api?.name ?? '',
    action: api ? url.pathname.slice(api.prefix.length) : '',
    method: req.method ?? '',
    path: target,
    params: parseParams(url, body, req.headers['content-type']),
    headers: plainHeaders(req.headers),
    authOk: false,
    status: 0,
    at
  }
  const reply = answer(sim, req, entry, requestId)
  entry.status = reply.drop ? 0 : reply.status
  sim.requests.push(entry)
  sim.onRequest?.(entry)

  if (sim.latencyMs > 0) await delay(sim, sim.latencyMs)
  if (reply.drop) req.socket.destroy()
  else if (reply.partial) await sendPartly(sim, res, reply, requestId)
  else send(res, reply, requestId)
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<string>} */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * Query and form body merged; the body wins on a clash.
 * @param {URL} url
 * @param {string} body
 * @param {string} [contentType]
 */
function parseParams(url, body, contentType = '') {
  const params = Object.fromEntries(url.searchParams)
  if (body && contentType.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)))
  }
  return params
}

/** @param {import('node:http').IncomingHttpHeaders} headers */
function plainHeaders(headers) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : String(value)
    ])
  )
}

/**
 * Waits with options.wait, or a real timer that close() clears. After close() it never ends.
 * @param {SimState} sim
 * @param {number} ms
 * @returns {Promise<void>}
 */
async function delay(sim, ms) {
  if (sim.wait) {
    await sim.wait(ms)
    if (sim.closed) await new Promise(() => {})
    return
  }
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      sim.timers.delete(timer)
      resolve()
    }, ms)
    sim.timers.add(timer)
  })
}

/**
 * @param {ServerResponse} res
 * @param {Reply} reply
 * @param {string} requestId
 */
function send(res, reply, requestId) {
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'x-ncp-apigw-request-id': requestId,
    ...reply.headers
  })
  res.end(reply.body)
}

/**
 * The cut, stall and trickle faults: headers announce the whole body, which then arrives in part
 * (cut: half, then the socket is destroyed; stall: half, then nothing until close()) or one byte
 * per intervalMs (trickle). close() destroys such sockets and stops the trickle.
 * @param {SimState} sim
 * @param {ServerResponse} res
 * @param {Reply} reply
 * @param {string} requestId
 */
async function sendPartly(sim, res, reply, requestId) {
  const body = Buffer.from(reply.body)
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'content-length': body.length,
    'x-ncp-apigw-request-id': requestId,
    ...reply.headers
  })
  if (reply.partial === 'trickle') {
    res.flushHeaders()
    for (let i = 0; i < body.length; i++) {
      await delay(sim, reply.intervalMs ?? 0)
      if (res.destroyed) return
      res.write(body.subarray(i, i + 1))
    }
    res.end()
    return
  }
  res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
    if (reply.partial === 'cut') res.destroy()
  })
}
