import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { NcloudClient } from '../src/ncloud/client.js'
import { NcloudError } from '../src/ncloud/errors.js'
import { IncompleteListError } from '../src/ncloud/incomplete-list.js'
import { FakeClock } from './helpers/fake-clock.js'

const ACCESS_KEY = 'AK-pages-0001'
const SECRET_KEY = 'SK-pages-secret-0001'
const ACTION = 'getServerInstanceList'
const LIST = 'serverInstanceList'

interface Received {
  url: string
  signatureOk: boolean
  form: URLSearchParams
}

let server: Server
let origin: string
let received: Received[]
/** The inner object of each answer, in order; an answer with none scripted is a 500. */
let pages: Record<string, unknown>[]

function handler(request: IncomingMessage, response: ServerResponse): void {
  const chunks: Buffer[] = []
  request.on('data', chunk => chunks.push(chunk as Buffer))
  request.on('end', () => {
    const timestamp = String(request.headers['x-ncp-apigw-timestamp'])
    const expected = createHmac('sha256', SECRET_KEY)
      .update(`POST ${request.url}\n${timestamp}\n${ACCESS_KEY}`)
      .digest('base64')
    received.push({
      url: request.url ?? '',
      signatureOk: request.headers['x-ncp-apigw-signature-v2'] === expected,
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
    })
    const page = pages.shift()
    const [status, body] = page
      ? [200, { [`${ACTION}Response`]: { requestId: 'r', returnCode: '0', ...page } }]
      : [500, { error: { errorCode: '900', message: 'no page scripted' } }]
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  })
}

beforeAll(async () => {
  server = createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
})

beforeEach(() => {
  received = []
  pages = []
})

function makeClient(
  clock = new FakeClock(),
  debug = jest.fn<(line: string) => void>()
): NcloudClient {
  return new NcloudClient({
    origin,
    gatewaySetting: 'api-url',
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    region: 'KR',
    clock,
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    requestTimeoutMs: 5_000,
    userAgent: 'unit-test-agent/1',
    debug,
    onRetry: jest.fn<(line: string) => void>()
  })
}

const rows = (from: number, count: number): { serverInstanceNo: string }[] =>
  Array.from({ length: count }, (_, index) => ({ serverInstanceNo: String(from + index) }))

async function readAll(params: Record<string, string> = { serverName: 'web-1' }) {
  const client = makeClient()
  try {
    return await client.readAllPages(ACTION, params, LIST, 'serverInstanceNo')
  } finally {
    client.dispose()
  }
}

describe('NcloudClient.readAllPages', () => {
  it('reads page after page until totalRows rows have come, and returns them in order', async () => {
    pages.push(
      { totalRows: 250, [LIST]: rows(1, 100) },
      { totalRows: 250, [LIST]: rows(101, 100) },
      { totalRows: 250, [LIST]: rows(201, 50) },
      { totalRows: 250, [LIST]: rows(999, 1) }
    )
    const all = await readAll()
    expect(all).toEqual(rows(1, 250))
    expect(received).toHaveLength(3)
  })

  it('sends pageNo and pageSize on every page, with the caller’s own parameters, signed', async () => {
    pages.push({ totalRows: 3, [LIST]: rows(1, 2) }, { totalRows: 3, [LIST]: rows(3, 1) })
    await readAll({ serverName: 'web-1', 'serverInstanceNoList.1': '7' })
    expect(received.map(request => request.form.get('pageNo'))).toEqual(['1', '2'])
    expect(received.map(request => request.form.get('pageSize'))).toEqual(['100', '100'])
    for (const request of received) {
      expect(request.url).toBe(`/vserver/v2/${ACTION}`)
      expect(request.signatureOk).toBe(true)
      expect(request.form.get('serverName')).toBe('web-1')
      expect(request.form.get('serverInstanceNoList.1')).toBe('7')
      expect(request.form.get('regionCode')).toBe('KR')
    }
  })

  it('reads totalRows given as a string', async () => {
    pages.push({ totalRows: '2', [LIST]: rows(1, 1) }, { totalRows: '2', [LIST]: rows(2, 1) })
    await expect(readAll()).resolves.toEqual(rows(1, 2))
    expect(received).toHaveLength(2)
  })

  it('stops at an empty page, and calls the list incomplete when totalRows promised more', async () => {
    pages.push(
      { totalRows: 500, [LIST]: rows(1, 100) },
      { totalRows: 500, [LIST]: [] },
      { totalRows: 500, [LIST]: rows(201, 100) }
    )
    const error = await readAll().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteListError)
    expect((error as IncompleteListError).summary).toContain(
      'the list is incomplete: the pages hold 100 rows, but totalRows says 500'
    )
    expect((error as IncompleteListError).rows).toEqual(rows(1, 100))
    expect(received).toHaveLength(2)
  })

  it('calls a list incomplete when a page repeats a row (pages 0 and 1 are both the first page)', async () => {
    // A server that counts pages from 0 answers page 1 with the second page, or, as here, one
    // that pages by a different size answers an overlapping page.
    pages.push({ totalRows: 150, [LIST]: rows(1, 100) }, { totalRows: 150, [LIST]: rows(51, 100) })
    const error = await readAll().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteListError)
    expect((error as NcloudError).summary).toContain(
      'page 2 repeats the row serverInstanceNo 51, so the pages overlap and rows may be missing'
    )
    expect((error as NcloudError).transient).toBe(false)
    expect((error as NcloudError).hint).toContain('do not add up')
  })

  it('calls a list incomplete when a page that ends it holds fewer rows than totalRows', async () => {
    // pageNo 1 taken as the second page: the first 100 rows never come.
    pages.push({ totalRows: 150, [LIST]: rows(101, 50) }, { totalRows: 150, [LIST]: [] })
    const error = await readAll().catch((e: unknown) => e)
    expect((error as NcloudError).summary).toContain(
      'the pages hold 50 rows, but totalRows says 150'
    )
  })

  it('calls a list incomplete when it holds more rows than totalRows', async () => {
    pages.push({ totalRows: 1, [LIST]: rows(1, 2) })
    const error = await readAll().catch((e: unknown) => e)
    expect((error as NcloudError).summary).toContain('the pages hold 2 rows, but totalRows says 1')
  })

  it.each([
    ['absent', undefined],
    ['not a number', 'many'],
    ['negative', -1]
  ])('calls a list incomplete when totalRows is %s', async (_what, totalRows) => {
    pages.push({ ...(totalRows === undefined ? {} : { totalRows }), [LIST]: rows(1, 2) })
    const error = await readAll().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IncompleteListError)
    expect((error as NcloudError).summary).toContain('page 1 does not say how many rows there are')
  })

  it('reads one page when the list is empty', async () => {
    pages.push({ totalRows: 0, [LIST]: [] })
    await expect(readAll()).resolves.toEqual([])
    expect(received).toHaveLength(1)
  })

  it('fails clearly when a page has no list under the key', async () => {
    pages.push({ totalRows: 150, [LIST]: rows(1, 100) }, { totalRows: 150, somethingElse: [] })
    const error = await readAll().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).summary).toContain(`${ACTION} failed`)
    expect((error as NcloudError).summary).toContain(`the success answer has no ${LIST}`)
    expect((error as NcloudError).fields.incomplete).toBe(true)
    expect(received).toHaveLength(2)
  })

  it('fails clearly when the list key holds something other than a list', async () => {
    pages.push({ totalRows: 1, [LIST]: { serverInstanceNo: '1' } })
    const error = await readAll().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NcloudError)
    expect((error as NcloudError).summary).toContain(`the success answer has no ${LIST}`)
  })
})

describe('NcloudClient.forApi', () => {
  it('signs and sends to the other API path on the same gateway', async () => {
    pages.push({ totalRows: 1, [LIST]: rows(1, 1) })
    const client = makeClient().forApi('/vautoscaling/v2')
    try {
      await client.read(ACTION)
    } finally {
      client.dispose()
    }
    expect(received[0].url).toBe(`/vautoscaling/v2/${ACTION}`)
    expect(received[0].signatureOk).toBe(true)
  })
})

describe('NcloudClient.readAllPages: endBy', () => {
  it('holds every page to endBy: a page due after it is not asked for, and the read fails at once', async () => {
    const clock = new FakeClock()
    const endBy = clock.now() + 10_000
    // Time passes while the first page is read (the answer's debug line is logged on arrival).
    const debug = jest.fn((line: string) => {
      if (line.startsWith(`${ACTION}: HTTP`)) clock.advance(10_000)
    })
    const client = makeClient(clock, debug)
    pages.push({ totalRows: 150, [LIST]: rows(1, 100) }, { totalRows: 150, [LIST]: rows(101, 50) })
    try {
      const error = await client
        .readAllPages(ACTION, { serverName: 'web-1' }, LIST, 'serverInstanceNo', endBy)
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(NcloudError)
      expect((error as NcloudError).fields).toMatchObject({ code: 'ETIMEDOUT', reached: 'no' })
      expect(received).toHaveLength(1)
    } finally {
      client.dispose()
    }
  })

  it('reads every page when they all come within endBy', async () => {
    const clock = new FakeClock()
    const client = makeClient(clock)
    pages.push({ totalRows: 150, [LIST]: rows(1, 100) }, { totalRows: 150, [LIST]: rows(101, 50) })
    try {
      await expect(
        client.readAllPages(ACTION, {}, LIST, 'serverInstanceNo', clock.now() + 1_000)
      ).resolves.toEqual(rows(1, 150))
      expect(received).toHaveLength(2)
    } finally {
      client.dispose()
    }
  })
})
