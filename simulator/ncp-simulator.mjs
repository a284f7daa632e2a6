// In-repo simulator of the NCP VPC Server API (/vserver/v2) and the launch configurations of the
// Auto Scaling API (/vautoscaling/v2), for end-to-end tests, the demo and the benchmark. It checks signatures with its own code and never imports from src/.
//
// Simulated time (image and server state, createDate, the 5-minute signature rule, the request
// log) comes from options.clock, so a test's fake clock drives it; latency and the slow-reply
// faults use real timers.
/* global structuredClone */
import { createServer } from 'node:http'
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'

const API_PREFIX = '/vserver/v2/'
const AUTOSCALING_PREFIX = '/vautoscaling/v2/'
const FIRST_SNAPSHOT_NO = 700001
const FIRST_LAUNCH_CONFIGURATION_NO = 500001
// A list whose pages do not add up (SimulatorOptions.pagingQuirk).
const PAGING_QUIRKS = ['zero-based', 'repeat-first', 'overcount']
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
const FIRST_IMAGE_NO = 900001
const MAX_DESCRIPTION_BYTES = 1000
// pageSize is documented as 1-1000 (ncloud-api-audit §3.5, §4.4).
const MAX_PAGE_SIZE = 1000
const DEFAULT_HUGE_BYTES = 5 * 1024 * 1024
const DEFAULT_TRICKLE_MS = 2000
const MEMBER_NAME_RULE = {
  pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/,
  text: "3-30 lower-case letters, digits or '-', starting with a letter and ending with a letter or digit"
}
const SERVER_IMAGE_NAME_RULE = {
  pattern: /^[a-z][A-Za-z0-9_-]{1,28}[a-z0-9]$/,
  text: "3-30 letters, digits, '-' or '_', starting with a lower-case letter and ending with a lower-case letter or digit"
}

// Service returnCodes. Only '1000' is a real, observed NCP code (reference §7.2); '1300' is one of
// Terraform's constants ("unknown"). NCP does not
// document the codes for a missing server or image, a wrong server state, a bad or duplicate
// image name (reference §7.2, §10.4): the others are chosen by this simulator.
export const RETURN_CODES = Object.freeze({
  retryLater: '1000',
  internalError: '1300',
  parameterRequired: '10100',
  invalidParameter: '10101',
  serverNotFound: '10102',
  imageNotFound: '10103',
  notJson: '10110',
  kvmNotSupported: '24000',
  kvmOnly: '24001',
  serverState: '24003',
  invalidName: '24004',
  duplicateName: '24005',
  descriptionTooLong: '24006',
  imageState: '24007',
  unknownLoginId: '24008',
  startRefused: '24009',
  snapshotNotFound: '24010',
  snapshotInUse: '24011'
})

// API Gateway errors (reference §7.1): [HTTP status, errorCode, message].
const GATEWAY_ERRORS = {
  auth: [401, '200', 'Authentication Failed'],
  permission: [401, '210', 'Permission Denied'],
  notFound: [404, '300', 'Not Found Exception'],
  throttle: [429, '410', 'Throttle Limited'],
  'endpoint-error': [503, '500', 'Endpoint Error'],
  'endpoint-timeout': [504, '510', 'Endpoint Timeout'],
  unexpected: [500, '900', 'Unexpected Error']
}

const FAULT_KINDS = [
  'throttle',
  'endpoint-error',
  'endpoint-timeout',
  'unexpected',
  'service-retry',
  'service-internal',
  'drop',
  'permission',
  'cut',
  'stall',
  'trickle',
  'redirect',
  'not-json',
  'no-list',
  'huge'
]
// Faults that send (part of) the body the action produces; with when 'before' the action runs on
// a copy of the state, so the body is what it would have been but nothing changes.
const BODY_FAULTS = ['cut', 'stall', 'trickle']

const IMAGE_STATUS_NAMES = { INIT: 'creating', CREAT: 'created', CREFL: 'createFailed' }
const MEMBER_CODE_NAMES = {
  status: { INIT: 'NSI INIT state', CREAT: 'NSI CREATED state', CREFL: 'NSI CREATE FAILED state' },
  operation: { CREAT: 'NSI CREAT OP', NULL: 'NSI NULLOP' }
}
const SERVER_IMAGE_CODE_NAMES = {
  status: { INIT: 'SI INIT state', CREAT: 'SI CREATED state', CREFL: 'SI CREATE FAILED state' },
  operation: { CREAT: 'SI CREAT OP', NULL: 'SI NULLOP' }
}
const SERVER_STATUS_NAMES = {
  INIT: 'init',
  CREAT: 'creating',
  RUN: 'running',
  NSTOP: 'stopped',
  FSTOP: 'stopped',
  TERMT: 'terminated'
}
const SERVER_OPERATION_NAMES = {
  START: 'booting',
  SHTDN: 'shutting down',
  RESTA: 'rebooting',
  TERMT: 'terminating',
  COPY: 'copying',
  SETUP: 'setting up',
  CHNG: 'changingSpec'
}
const SHARE_STATUS = { code: 'NULL', codeName: 'NSI Share NULL State' }

/** The preset used by cli.mjs (and handy for demos and benchmarks). */
export function demoFixture() {
  return {
    credentials: { 'sim-access-key': 'sim-secret-key' },
    servers: [
      { serverInstanceNo: '1001', serverName: 'web-xen-1', hypervisor: 'XEN' },
      { serverInstanceNo: '2001', serverName: 'web-kvm-1', hypervisor: 'KVM' },
      { serverInstanceNo: '3001', serverName: 'db-rhv-1', hypervisor: 'RHV', status: 'NSTOP' },
      {
        serverInstanceNo: '4001',
        serverName: 'web-xen-2',
        hypervisor: 'XEN',
        status: 'NSTOP',
        operation: 'START'
      }
    ]
  }
}

export async function startSimulator(options = {}) {
  const sim = createState(options)
  const server = createServer((req, res) => {
    handleRequest(sim, req, res).catch(error => {
      if (!res.headersSent) send(res, gatewayError('unexpected', String(error)), randomUUID())
    })
  })
  // Loopback only: 127.0.0.1, or ::1 to test IPv6 literals in api-url.
  const host = options.host ?? '127.0.0.1'
  if (host !== '127.0.0.1' && host !== '::1')
    throw new Error(`host must be 127.0.0.1 or ::1, got ${host}`)
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, resolve)
  })
  const { port } = server.address()

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests: sim.requests,
    images: () => sim.images.map(image => imageSummary(image, sim.clock.now())),
    servers: () => [...sim.servers.values()].map(server => serverSummary(server, sim.clock.now())),
    addFault: fault => sim.faults.push(normalizeFault(fault)),
    setServer: fixture => setServer(sim, fixture),
    addImage: seed => imageSummary(addImage(sim, seed), sim.clock.now()),
    snapshots: () => sim.snapshots.map(snapshot => ({ ...snapshot })),
    launchConfigurations: () => sim.launchConfigurations.map(config => ({ ...config })),
    addLaunchConfiguration: seed => ({ ...addLaunchConfiguration(sim, seed) }),
    close: () => closeServer(server, sim)
  }
}

// ---------------------------------------------------------------- state

function createState(options) {
  const sim = {
    credentials: options.credentials ?? { 'sim-access-key': 'sim-secret-key' },
    clock: options.clock ?? { now: Date.now },
    createMs: options.createMs ?? 1000,
    failImages: options.failImages ?? false,
    imageFinalStatus: options.imageFinalStatus,
    uniqueNames: options.uniqueNames ?? true,
    maxPageSize: options.maxPageSize ?? MAX_PAGE_SIZE,
    knownLoginIds: options.knownLoginIds,
    stopMs: options.stopMs ?? 1000,
    startMs: options.startMs ?? 1000,
    refuseStartWhileImaging: options.refuseStartWhileImaging ?? false,
    kvmOnlyServerImages: options.kvmOnlyServerImages ?? false,
    failStart: options.failStart ?? false,
    listLagMs: options.listLagMs ?? 0,
    permissionDenied: options.permissionDenied ?? false,
    deniedActions: options.deniedActions ?? [],
    pagingQuirk: normalizeQuirk(options.pagingQuirk),
    clockSkewMs: options.clockSkewMs ?? 0,
    latencyMs: options.latencyMs ?? 0,
    onRequest: options.onRequest,
    servers: new Map(),
    images: [],
    nextImageNo: FIRST_IMAGE_NO,
    snapshots: [],
    nextSnapshotNo: FIRST_SNAPSHOT_NO,
    launchConfigurations: [],
    nextLaunchConfigurationNo: FIRST_LAUNCH_CONFIGURATION_NO,
    faults: [],
    requests: [],
    timers: new Set()
  }
  for (const fixture of options.servers ?? []) setServer(sim, fixture)
  for (const seed of options.images ?? []) addImage(sim, seed)
  for (const seed of options.launchConfigurations ?? []) addLaunchConfiguration(sim, seed)
  return sim
}

function normalizeQuirk(quirk) {
  if (quirk === undefined) return undefined
  if (!PAGING_QUIRKS.includes(quirk.kind)) throw new Error(`unknown paging quirk: ${quirk.kind}`)
  return { actions: undefined, ...quirk }
}

// A launch configuration names the image its servers are made from (ncloud-api-next §2).
function addLaunchConfiguration(sim, seed) {
  const no =
    seed.launchConfigurationNo === undefined
      ? String(sim.nextLaunchConfigurationNo++)
      : String(seed.launchConfigurationNo)
  const config = {
    launchConfigurationNo: no,
    launchConfigurationName: seed.launchConfigurationName ?? `lc-${no}`,
    regionCode: seed.regionCode ?? 'KR',
    memberServerImageInstanceNo: seed.memberServerImageInstanceNo,
    serverImageNo: seed.serverImageNo,
    createdAt: seed.createdAt ?? sim.clock.now()
  }
  sim.launchConfigurations.push(config)
  return config
}

// KVM images keep block storage snapshots behind them, billed until deleted (ncloud-api-next §1).
function addSnapshots(sim, image, count) {
  image.snapshotNos = []
  for (let order = 0; order < count; order++) {
    const no = String(sim.nextSnapshotNo++)
    image.snapshotNos.push(no)
    sim.snapshots.push({
      no,
      name: `snp-${image.no}-${order}`,
      imageNo: image.no,
      regionCode: image.regionCode,
      order,
      sizeBytes: 53687091200
    })
  }
}

function setServer(sim, fixture) {
  const regionCode = fixture.regionCode ?? 'KR'
  sim.servers.set(String(fixture.serverInstanceNo), {
    serverInstanceNo: String(fixture.serverInstanceNo),
    serverName: fixture.serverName ?? `server-${fixture.serverInstanceNo}`,
    regionCode,
    zoneCode: fixture.zoneCode ?? `${regionCode}-1`,
    hypervisor: fixture.hypervisor ?? 'XEN',
    status: fixture.status ?? 'RUN',
    operation: fixture.operation ?? 'NULL',
    // Only a fixture's own statusName; otherwise it is derived from the state.
    statusName: fixture.statusName,
    // A stop or start under way: { from, operation, to, until } in clock time.
    transition: undefined,
    createMs: fixture.createMs,
    failImage: fixture.failImage,
    imageFinalStatus: fixture.imageFinalStatus,
    stopMs: fixture.stopMs,
    startMs: fixture.startMs,
    refuseStartWhileImaging: fixture.refuseStartWhileImaging,
    failStart: fixture.failStart,
    memberServerImageInstanceNo: fixture.memberServerImageInstanceNo,
    serverImageNo: fixture.serverImageNo
  })
}

// Server state is a function of time, like image state: a stop or start shows its operation until
// it is due, then the new status with operation NULL.
function serverState(server, now) {
  const t = server.transition
  const [status, operation] = !t
    ? [server.status, server.operation]
    : now < t.until
      ? [t.from, t.operation]
      : [t.to, 'NULL']
  const statusName =
    (t ? undefined : server.statusName) ??
    SERVER_OPERATION_NAMES[operation] ??
    SERVER_STATUS_NAMES[status] ??
    status.toLowerCase()
  return { status, operation, statusName }
}

function beginTransition(server, now, operation, to, ms) {
  const { status } = serverState(server, now)
  server.status = status
  server.operation = 'NULL'
  server.transition = { from: status, operation, to, until: now + ms }
}

function serverSummary(server, now) {
  const { serverInstanceNo, serverName, regionCode, hypervisor } = server
  return { serverInstanceNo, serverName, regionCode, hypervisor, ...serverState(server, now) }
}

function allocateImageNo(sim, wanted) {
  if (wanted === undefined) return String(sim.nextImageNo++)
  sim.nextImageNo = Math.max(sim.nextImageNo, Number(wanted) + 1 || sim.nextImageNo)
  return String(wanted)
}

// A pre-existing image. INIT seeds finish like created images; any other status (or null) is final.
function addImage(sim, seed) {
  const createdAt = seed.createdAt ?? sim.clock.now()
  const final = seed.status !== 'INIT'
  const image = {
    kind: seed.kind,
    no: allocateImageNo(sim, seed.no),
    name: seed.name,
    description: seed.description ?? '',
    serverInstanceNo: String(seed.serverInstanceNo),
    regionCode: seed.regionCode ?? 'KR',
    productCode: productCodeOf(sim.servers.get(String(seed.serverInstanceNo))),
    blockStorageList: [],
    createdAt,
    completedAt: final ? createdAt : createdAt + (seed.createMs ?? sim.createMs),
    finalStatus: final ? seed.status : seed.fail ? 'CREFL' : 'CREAT',
    listedAt: createdAt,
    sharedLoginIds: [...(seed.sharedLoginIdList ?? [])]
  }
  if (image.kind === 'server') addSnapshots(sim, image, seed.snapshotCount ?? 1)
  sim.images.push(image)
  return image
}

// The status an image of this server ends in: the server's settings win over the simulator's.
function finalStatusFor(sim, server) {
  if (server.imageFinalStatus !== undefined) return server.imageFinalStatus
  if (server.failImage !== undefined) return server.failImage ? 'CREFL' : 'CREAT'
  if (sim.imageFinalStatus !== undefined) return sim.imageFinalStatus
  return sim.failImages ? 'CREFL' : 'CREAT'
}

function createImage(sim, { kind, name, description, server, blockStorageList = [] }) {
  const createdAt = sim.clock.now()
  const image = {
    kind,
    no: allocateImageNo(sim),
    name,
    description,
    serverInstanceNo: server.serverInstanceNo,
    regionCode: server.regionCode,
    productCode: productCodeOf(server),
    blockStorageList,
    createdAt,
    completedAt: createdAt + (server.createMs ?? sim.createMs),
    finalStatus: finalStatusFor(sim, server),
    listedAt: createdAt + sim.listLagMs,
    sharedLoginIds: []
  }
  if (kind === 'server') addSnapshots(sim, image, 1)
  sim.images.push(image)
  return image
}

// Image state is a pure function of time: INIT until completedAt, then its final status.
function imageStatus(image, now) {
  return now < image.completedAt ? 'INIT' : image.finalStatus
}

function imageSummary(image, now) {
  const { kind, no, name, description, serverInstanceNo, regionCode, createdAt, completedAt } =
    image
  return {
    kind,
    no,
    name,
    description,
    serverInstanceNo,
    regionCode,
    status: imageStatus(image, now),
    createdAt,
    completedAt,
    blockStorageList: image.blockStorageList,
    snapshotNos: [...(image.snapshotNos ?? [])],
    sharedLoginIdList: [...image.sharedLoginIds]
  }
}

function productCodeOf(server) {
  return server?.hypervisor === 'KVM' ? '' : 'SW.VSVR.OS.LNX64.ROCKY.0810.B050'
}

function normalizeFault(fault) {
  if (!FAULT_KINDS.includes(fault.kind)) throw new Error(`unknown fault kind: ${fault.kind}`)
  if (!fault.action) throw new Error('a fault needs an action (or "*")')
  const normalized = { when: 'before', times: 1, ...fault }
  if (!['before', 'after'].includes(normalized.when)) {
    throw new Error(`fault "when" must be before or after, got ${normalized.when}`)
  }
  if (!(normalized.times >= 1)) throw new Error(`fault "times" must be at least 1`)
  for (const name of ['intervalMs', 'bytes', 'status']) {
    if (normalized[name] !== undefined && !(normalized[name] >= 0)) {
      throw new Error(`fault "${name}" must be a number of at least 0`)
    }
  }
  return normalized
}

function takeFault(sim, action) {
  const index = sim.faults.findIndex(f => f.action === action || f.action === '*')
  if (index < 0) return undefined
  const fault = sim.faults[index]
  fault.times -= 1
  if (fault.times <= 0) sim.faults.splice(index, 1)
  return fault
}

function closeServer(server, sim) {
  for (const timer of sim.timers) clearTimeout(timer)
  sim.timers.clear()
  return new Promise(resolve => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

// ---------------------------------------------------------------- HTTP

async function handleRequest(sim, req, res) {
  const at = sim.clock.now()
  const requestId = randomUUID()
  const body = await readBody(req)
  const url = new URL(req.url, 'http://simulator')
  const api = API_ROUTES.find(({ prefix }) => url.pathname.startsWith(prefix))
  const entry = {
    api: api?.name ?? '',
    action: api ? url.pathname.slice(api.prefix.length) : '',
    method: req.method,
    path: req.url,
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

// Decides the reply for one request, in the gateway's order: auth, permission, route, fault.
function answer(sim, req, entry, requestId) {
  const authFailure = checkAuth(req, sim.credentials, sim.clock.now() + sim.clockSkewMs)
  if (authFailure) return gatewayError('auth', authFailure)
  entry.authOk = true

  const accessKey = req.headers['x-ncp-iam-access-key']
  if (isPermissionDenied(sim.permissionDenied, accessKey)) {
    return gatewayError('permission', `access key ${accessKey} may not call ${entry.action}`)
  }
  const actions = API_ROUTES.find(({ name }) => name === entry.api)?.actions ?? {}
  const route = Object.hasOwn(actions, entry.action) ? actions[entry.action] : undefined
  if (!route || !['GET', 'POST'].includes(req.method)) {
    return gatewayError('notFound', `no API for ${req.method} ${entry.path}`)
  }
  if (sim.deniedActions.includes(entry.action)) {
    return gatewayError('permission', `the sub account's policy does not allow ${entry.action}`)
  }
  const fault = takeFault(sim, entry.action)
  if (!fault) return runAction(sim, entry, route, requestId)

  entry.fault = fault.kind
  const run = () => runAction(sim, entry, route, requestId)
  let normal
  if (fault.when === 'after') normal = run()
  else if (BODY_FAULTS.includes(fault.kind)) normal = withoutEffects(sim, run)
  return faultReply(fault, entry.action, normal, requestId)
}

// Runs an action and then puts the state back as it was.
function withoutEffects(sim, run) {
  const saved = structuredClone({
    servers: sim.servers,
    images: sim.images,
    nextImageNo: sim.nextImageNo,
    snapshots: sim.snapshots,
    nextSnapshotNo: sim.nextSnapshotNo
  })
  try {
    return run()
  } finally {
    Object.assign(sim, saved)
  }
}

function runAction(sim, entry, route, requestId) {
  const { params, action } = entry
  if (params.responseFormatType !== 'json') return notJsonReply()
  try {
    const region = required(params, 'regionCode')
    // Most actions return their list; list actions return one page and the count of all rows.
    const result = route.run(sim, params, region, sim.clock.now())
    const { rows, totalRows } = Array.isArray(result)
      ? { rows: result, totalRows: result.length }
      : result
    return jsonReply(200, {
      [`${action}Response`]: {
        requestId,
        returnCode: '0',
        returnMessage: 'success',
        totalRows,
        [route.listKey]: rows
      }
    })
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    return serviceError(error.httpStatus, error.returnCode, error.message)
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', chunk => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

// Query and form body merged; the body wins on a clash.
function parseParams(url, body, contentType = '') {
  const params = Object.fromEntries(url.searchParams)
  if (body && contentType.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body)))
  }
  return params
}

function plainHeaders(headers) {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : String(value)
    ])
  )
}

function delay(sim, ms) {
  return new Promise(resolve => {
    const timer = setTimeout(() => {
      sim.timers.delete(timer)
      resolve()
    }, ms)
    sim.timers.add(timer)
  })
}

function send(res, reply, requestId) {
  res.writeHead(reply.status, {
    'content-type': reply.contentType,
    'x-ncp-apigw-request-id': requestId,
    ...reply.headers
  })
  res.end(reply.body)
}

// The cut, stall and trickle faults: headers announce the whole body, which then arrives in part
// (cut: half, then the socket is destroyed; stall: half, then nothing until close()) or one byte
// per intervalMs (trickle). close() destroys such sockets and stops the trickle.
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
      await delay(sim, reply.intervalMs)
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

function jsonReply(status, body, headers = {}) {
  return {
    status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify(body),
    headers
  }
}

function gatewayError(kind, details, headers, message = GATEWAY_ERRORS[kind][2]) {
  const [status, errorCode] = GATEWAY_ERRORS[kind]
  return jsonReply(status, { error: { errorCode, message, details } }, headers)
}

function serviceError(status, returnCode, returnMessage, headers) {
  return jsonReply(status, { responseError: { returnCode, returnMessage } }, headers)
}

function notJsonReply() {
  return {
    status: 400,
    contentType: 'application/xml;charset=UTF-8',
    body:
      '<?xml version="1.0" encoding="UTF-8"?><responseError>' +
      `<returnCode>${RETURN_CODES.notJson}</returnCode>` +
      '<returnMessage>This simulator answers only responseFormatType=json.</returnMessage>' +
      '</responseError>',
    headers: {}
  }
}

// normal: the reply the action gave (when 'after'), or would have given (body faults, 'before').
function faultReply(fault, action, normal, requestId) {
  const { kind, message } = fault
  if (kind === 'drop') return { drop: true }
  const headers =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }
  if (BODY_FAULTS.includes(kind)) {
    return { ...normal, partial: kind, intervalMs: fault.intervalMs ?? DEFAULT_TRICKLE_MS }
  }
  if (kind === 'service-retry') {
    const text = message ?? 'Please try your call again later.'
    return serviceError(500, RETURN_CODES.retryLater, text, headers)
  }
  if (kind === 'service-internal') {
    return serviceError(500, RETURN_CODES.internalError, message ?? 'Unknown error.', headers)
  }
  if (kind === 'redirect') {
    const location = fault.location ?? `https://elsewhere.example.com${API_PREFIX}${action}`
    const body = `<html><body><a href="${location}">Moved</a></body></html>`
    return htmlReply(fault.status ?? 307, body, { ...headers, location })
  }
  if (kind === 'not-json') {
    const body =
      '<html><head><title>Service Unavailable</title></head>' +
      '<body><h1>Please try again in a few minutes.</h1></body></html>'
    return htmlReply(200, body, headers)
  }
  if (kind === 'no-list') {
    // Claims a row but carries no list.
    const response = { requestId, returnCode: '0', returnMessage: 'success', totalRows: 1 }
    return jsonReply(200, { [`${action}Response`]: response }, headers)
  }
  if (kind === 'huge') return hugeReply(fault, headers)
  return gatewayError(kind, 'injected fault', headers, message)
}

function htmlReply(status, body, headers) {
  return { status, contentType: 'text/html;charset=UTF-8', body, headers }
}

// A gateway error of exactly fault.bytes bytes (or the bare error, if that is longer).
function hugeReply(fault, headers) {
  const status = fault.status ?? 503
  const [, errorCode, defaultMessage] =
    Object.values(GATEWAY_ERRORS).find(([code]) => code === status) ?? GATEWAY_ERRORS.unexpected
  const error = { errorCode, message: fault.message ?? defaultMessage, details: '' }
  const padding = (fault.bytes ?? DEFAULT_HUGE_BYTES) - Buffer.byteLength(JSON.stringify({ error }))
  const sentence = 'The backend answered with more detail than anyone needs. '
  error.details = sentence
    .repeat(Math.ceil(Math.max(0, padding) / sentence.length))
    .slice(0, padding)
  return jsonReply(status, { error }, headers)
}

// ---------------------------------------------------------------- auth

function sign(secretKey, stringToSign) {
  return createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('base64')
}

function sameText(a, b) {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/** Returns why authentication failed, or null when the request is signed correctly. */
function checkAuth(req, credentials, clockMs) {
  const timestamp = req.headers['x-ncp-apigw-timestamp']
  const accessKey = req.headers['x-ncp-iam-access-key']
  const signature = req.headers['x-ncp-apigw-signature-v2']
  if (!timestamp) return 'missing header x-ncp-apigw-timestamp'
  if (!accessKey) return 'missing header x-ncp-iam-access-key'
  if (!signature) {
    const hint = req.headers['x-ncp-apigw-signature-v1'] ? ' (got only the -v1 header)' : ''
    return `missing header x-ncp-apigw-signature-v2${hint}`
  }
  if (!Object.hasOwn(credentials, accessKey)) return 'unknown access key'
  if (!/^\d+$/.test(timestamp)) return 'x-ncp-apigw-timestamp is not a millisecond epoch'
  if (Math.abs(clockMs - Number(timestamp)) > MAX_CLOCK_SKEW_MS) {
    return 'x-ncp-apigw-timestamp is more than 5 minutes away from the gateway clock'
  }
  const stringToSign = `${req.method} ${req.url}\n${timestamp}\n${accessKey}`
  if (!sameText(sign(credentials[accessKey], stringToSign), signature)) {
    // Names what was signed, but not the access key: gateway details end up in logs.
    return `signature mismatch; expected the signature of "${req.method} ${req.url}", the timestamp and the access key`
  }
  return null
}

function isPermissionDenied(setting, accessKey) {
  return Array.isArray(setting) ? setting.includes(accessKey) : setting === true
}

// ---------------------------------------------------------------- actions

class ServiceError extends Error {
  constructor(returnCode, message, httpStatus = 400) {
    super(message)
    this.returnCode = returnCode
    this.httpStatus = httpStatus
  }
}

function required(params, name) {
  const value = params[name]
  if (value === undefined || value === '') {
    throw new ServiceError(RETURN_CODES.parameterRequired, `${name} is a required parameter.`)
  }
  return value
}

// Collects name.1, name.2, ... in index order.
function listParam(params, name) {
  const pattern = new RegExp(`^${name}\\.(\\d+)$`)
  return Object.entries(params)
    .map(([key, value]) => [Number(pattern.exec(key)?.[1]), value])
    .filter(([index]) => !Number.isNaN(index))
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value)
}

function requiredList(params, name) {
  const values = listParam(params, name)
  if (values.length === 0) {
    throw new ServiceError(RETURN_CODES.parameterRequired, `${name}.N is a required parameter.`)
  }
  return [...new Set(values)]
}

// Collects name.N.field=value into [{ field: value }, ...] in index order.
function objectListParam(params, name) {
  const pattern = new RegExp(`^${name}\\.(\\d+)\\.(\\w+)$`)
  const byIndex = new Map()
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key)
    if (!match) continue
    const index = Number(match[1])
    byIndex.set(index, { ...byIndex.get(index), [match[2]]: value })
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry)
}

function given(params, name) {
  return params[name] !== undefined && params[name] !== ''
}

function integerParam(params, name, fallback) {
  if (!given(params, name)) return fallback
  if (!/^\d+$/.test(params[name])) {
    throw new ServiceError(RETURN_CODES.invalidParameter, `${name} must be a whole number.`)
  }
  return Number(params[name])
}

// Paging as documented for the list actions (ncloud-api-audit §3.5, §4.4): pageNo is 0-N
// (default 0) and pages 0 and 1 are both the first page; pageSize is 1-1000, "default: 1" and
// "required when entering pageNo" (a missing pageSize is taken as 1 here). Without either
// parameter every row comes back, which Terraform relies on (audit D4; not documented). The
// simulator caps pageSize at maxPageSize, and totalRows counts every matching row, not the page.
// A pagingQuirk makes one list's pages not add up: 'zero-based' counts pages from 0 (pageNo 1 is
// the second page), 'repeat-first' answers every page with the first, 'overcount' says one row
// more in totalRows than there is.
function onePage(sim, params, rows, action) {
  if (!given(params, 'pageNo') && !given(params, 'pageSize')) {
    return { rows, totalRows: rows.length }
  }
  const pageNo = integerParam(params, 'pageNo', 0)
  const pageSize = integerParam(params, 'pageSize', 1)
  if (pageSize < 1) {
    throw new ServiceError(RETURN_CODES.invalidParameter, 'pageSize must be at least 1.')
  }
  const size = Math.min(pageSize, sim.maxPageSize)
  const quirk = sim.pagingQuirk
  const kind = quirk && (!quirk.actions || quirk.actions.includes(action)) ? quirk.kind : undefined
  const page =
    kind === 'zero-based' ? pageNo : kind === 'repeat-first' ? 0 : Math.max(pageNo, 1) - 1
  const start = page * size
  const totalRows = rows.length + (kind === 'overcount' ? 1 : 0)
  return { rows: rows.slice(start, start + size), totalRows }
}

// Lists are sorted by number, ascending (NCP's default order is not documented).
function byNumber(a, b) {
  return Number(a) - Number(b)
}

function findServer(sim, serverInstanceNo, region) {
  const server = sim.servers.get(serverInstanceNo)
  if (!server || server.regionCode !== region) {
    throw new ServiceError(
      RETURN_CODES.serverNotFound,
      'Server instance not found. Please check serverInstanceNo.'
    )
  }
  return server
}

function findImage(sim, kind, no, region) {
  const image = sim.images.find(i => i.kind === kind && i.no === no && i.regionCode === region)
  if (!image) {
    throw new ServiceError(
      RETURN_CODES.imageNotFound,
      'Server image not found. Please check the image number.'
    )
  }
  return image
}

function checkServerState(server, now) {
  const { status, operation } = serverState(server, now)
  if (!['RUN', 'NSTOP'].includes(status) || operation !== 'NULL') {
    throw new ServiceError(
      RETURN_CODES.serverState,
      `The server is not in a state that allows image creation (status ${status}, operation ${operation}). Image creation needs a running or stopped server with no operation in progress.`
    )
  }
}

function checkNewImage(sim, { name, nameParam, rule, description, descriptionParam, region }) {
  if (!rule.pattern.test(name)) {
    throw new ServiceError(RETURN_CODES.invalidName, `${nameParam} must be ${rule.text}.`)
  }
  if (sim.uniqueNames && sim.images.some(i => i.name === name && i.regionCode === region)) {
    throw new ServiceError(RETURN_CODES.duplicateName, 'The image name is already in use.')
  }
  if (Buffer.byteLength(description, 'utf8') > MAX_DESCRIPTION_BYTES) {
    throw new ServiceError(
      RETURN_CODES.descriptionTooLong,
      `${descriptionParam} must be at most ${MAX_DESCRIPTION_BYTES} bytes.`
    )
  }
}

function codeName(code, names) {
  return { code, codeName: names[code] ?? code }
}

// createDate as NCP writes it: Korea time, no milliseconds, '+0900'.
function kstDate(ms) {
  return new Date(ms + 9 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, '+0900')
}

function serverRecord(server, now) {
  const kvm = server.hypervisor === 'KVM'
  const { status, operation, statusName } = serverState(server, now)
  return {
    serverInstanceNo: server.serverInstanceNo,
    serverName: server.serverName,
    serverInstanceStatus: { code: status, codeName: `Server ${status} state` },
    serverInstanceOperation: { code: operation, codeName: `Server ${operation} OP` },
    serverInstanceStatusName: statusName,
    hypervisorType: { code: server.hypervisor, codeName: server.hypervisor },
    regionCode: server.regionCode,
    zoneCode: server.zoneCode,
    platformType: { code: 'LNX64', codeName: 'Linux 64 Bit' },
    // The image it was made from: a public one unless the fixture names one of the account's.
    ...(kvm
      ? { serverImageNo: server.serverImageNo ?? '100001' }
      : { serverImageProductCode: productCodeOf(server) }),
    ...(server.memberServerImageInstanceNo === undefined
      ? {}
      : { memberServerImageInstanceNo: server.memberServerImageInstanceNo }),
    ...(kvm || server.serverImageNo === undefined ? {} : { serverImageNo: server.serverImageNo })
  }
}

// The status fields of an image record: absent when the image's status is null.
function statusFields(
  image,
  now,
  names,
  { status: statusKey, operation: operationKey, statusName }
) {
  const status = imageStatus(image, now)
  const operation = codeName(status === 'INIT' ? 'CREAT' : 'NULL', names.operation)
  if (status === null) return { [operationKey]: operation }
  return {
    [statusKey]: codeName(status, names.status),
    [operationKey]: operation,
    [statusName]: IMAGE_STATUS_NAMES[status] ?? status.toLowerCase()
  }
}

// shareStatus stays the one documented value ('NULL'); sharing shows in sharedLoginIdList.
function memberRecord(image, now) {
  return {
    memberServerImageInstanceNo: image.no,
    memberServerImageName: image.name,
    memberServerImageDescription: image.description,
    originalServerInstanceNo: image.serverInstanceNo,
    originalServerImageProductCode: image.productCode,
    ...statusFields(image, now, MEMBER_CODE_NAMES, {
      status: 'memberServerImageInstanceStatus',
      operation: 'memberServerImageInstanceOperation',
      statusName: 'memberServerImageInstanceStatusName'
    }),
    createDate: kstDate(image.createdAt),
    memberServerImageBlockStorageTotalRows: 1,
    memberServerImageBlockStorageTotalSize: 53687091200,
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: [...image.sharedLoginIds]
  }
}

function serverImageRecord(image, now) {
  return {
    serverImageNo: image.no,
    serverImageName: image.name,
    serverImageDescription: image.description,
    serverImageType: { code: 'SELF', codeName: 'SELF' },
    hypervisorType: { code: 'KVM', codeName: 'KVM' },
    ...statusFields(image, now, SERVER_IMAGE_CODE_NAMES, {
      status: 'serverImageStatus',
      operation: 'serverImageOperation',
      statusName: 'serverImageStatusName'
    }),
    createDate: kstDate(image.createdAt),
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: [...image.sharedLoginIds],
    // The snapshot number is a JSON number here, as in NCP's answers (ncloud-api-next §1).
    blockStorageMappingList: (image.snapshotNos ?? []).map((no, order) => ({
      order,
      blockStorageSnapshotInstanceNo: Number(no),
      blockStorageSnapshotName: `snp-${image.no}-${order}`,
      blockStorageSize: 53687091200,
      blockStorageName: `${image.name}-disk-${order}`,
      blockStorageVolumeType: { code: 'SSD', codeName: 'SSD' },
      isEncryptedVolume: false
    }))
  }
}

// In the snapshot record itself the number is a string (ncloud-api-next §1).
function snapshotRecord(snapshot) {
  return {
    blockStorageSnapshotInstanceNo: snapshot.no,
    blockStorageSnapshotName: snapshot.name,
    blockStorageSnapshotVolumeSize: snapshot.sizeBytes,
    blockStorageSnapshotInstanceStatus: { code: 'CREAT', codeName: 'Snapshot CREATED state' },
    isBootable: snapshot.order === 0
  }
}

function launchConfigurationRecord(config) {
  return {
    launchConfigurationNo: config.launchConfigurationNo,
    launchConfigurationName: config.launchConfigurationName,
    serverImageProductCode:
      config.memberServerImageInstanceNo || config.serverImageNo
        ? ''
        : 'SW.VSVR.OS.LNX64.ROCKY.0810.B050',
    ...(config.memberServerImageInstanceNo === undefined
      ? {}
      : { memberServerImageInstanceNo: config.memberServerImageInstanceNo }),
    ...(config.serverImageNo === undefined ? {} : { serverImageNo: config.serverImageNo }),
    serverProductCode: 'SVR.VSVR.STAND.C002.M008.NET.SSD.B050.G002',
    loginKeyName: 'sim-key',
    createDate: kstDate(config.createdAt),
    launchConfigurationStatus: { code: 'CREAT', codeName: 'Created' },
    initScriptNo: '',
    isEncryptedVolume: false
  }
}

// Images of one kind in a region that list calls can already see (list lag), by number.
function listedImages(sim, kind, region, now) {
  return sim.images
    .filter(i => i.kind === kind && i.regionCode === region && now >= i.listedAt)
    .sort((a, b) => byNumber(a.no, b.no))
}

function matchesFilters(image, { name, nos, statusCode }, now) {
  return (
    (!name || image.name === name) &&
    (nos.length === 0 || nos.includes(image.no)) &&
    (!statusCode || imageStatus(image, now) === statusCode)
  )
}

// add/remove…SharingPermission. Adding needs a CREAT image and (with knownLoginIds) known IDs;
// IDs already shared are kept once. Removing an ID that is not shared is no error.
function changeSharing(sim, image, params, now, add) {
  const ids = requiredList(params, 'targetLoginIdList')
  if (add) {
    const status = imageStatus(image, now)
    if (status !== 'CREAT') {
      throw new ServiceError(
        RETURN_CODES.imageState,
        `Only a created image can be shared; this image's status is ${status ?? 'unknown'}.`
      )
    }
    const unknown = sim.knownLoginIds && ids.find(id => !sim.knownLoginIds.includes(id))
    if (unknown) {
      throw new ServiceError(RETURN_CODES.unknownLoginId, `The login ID ${unknown} does not exist.`)
    }
  }
  image.sharedLoginIds = add
    ? [...new Set([...image.sharedLoginIds, ...ids])]
    : image.sharedLoginIds.filter(id => !ids.includes(id))
  return image
}

// delete…: every number must exist, and none may be INIT (NCP does not document deleting an image
// that is still being created; refused here). All or nothing. Answers the deleted images.
function deleteImages(sim, kind, nos, region, now) {
  const images = nos.map(no => findImage(sim, kind, no, region))
  const busy = images.find(image => imageStatus(image, now) === 'INIT')
  if (busy) {
    throw new ServiceError(
      RETURN_CODES.imageState,
      `Image ${busy.no} is still being created and cannot be deleted.`
    )
  }
  sim.images = sim.images.filter(image => !images.includes(image))
  return images
}

function serversOf(sim, params, region) {
  return requiredList(params, 'serverInstanceNoList').map(no => findServer(sim, no, region))
}

function checkPowerState(server, now, wanted, verb) {
  const { status, operation } = serverState(server, now)
  if (status !== wanted || operation !== 'NULL') {
    throw new ServiceError(
      RETURN_CODES.serverState,
      `Server ${server.serverInstanceNo} cannot be ${verb} (status ${status}, operation ${operation}); it must be ${wanted} with no operation in progress.`
    )
  }
}

function checkStartAllowed(sim, server, now) {
  checkPowerState(server, now, 'NSTOP', 'started')
  if (server.failStart ?? sim.failStart) {
    throw new ServiceError(
      RETURN_CODES.startRefused,
      `Server ${server.serverInstanceNo} could not be started.`
    )
  }
  const imaging = sim.images.some(
    image =>
      image.serverInstanceNo === server.serverInstanceNo && imageStatus(image, now) === 'INIT'
  )
  if (imaging && (server.refuseStartWhileImaging ?? sim.refuseStartWhileImaging)) {
    throw new ServiceError(
      RETURN_CODES.startRefused,
      `Server ${server.serverInstanceNo} cannot be started while an image of it is being created.`
    )
  }
}

const ACTIONS = {
  getServerInstanceDetail: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => [
      serverRecord(findServer(sim, required(params, 'serverInstanceNo'), region), now)
    ]
  },

  // serverName: NCP does not document exact or partial matching; the simulator matches exactly.
  // Servers of any status are listed, terminated ones (TERMT) included.
  getServerInstanceList: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const nos = listParam(params, 'serverInstanceNoList')
      const statusCode = params.serverInstanceStatusCode
      const rows = [...sim.servers.values()]
        .filter(
          server =>
            server.regionCode === region &&
            (!params.serverName || server.serverName === params.serverName) &&
            (nos.length === 0 || nos.includes(server.serverInstanceNo)) &&
            (!statusCode || serverState(server, now).status === statusCode)
        )
        .sort((a, b) => byNumber(a.serverInstanceNo, b.serverInstanceNo))
        .map(server => serverRecord(server, now))
      return onePage(sim, params, rows, 'getServerInstanceList')
    }
  },

  stopServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const servers = serversOf(sim, params, region)
      for (const server of servers) checkPowerState(server, now, 'RUN', 'stopped')
      return servers.map(server => {
        beginTransition(server, now, 'SHTDN', 'NSTOP', server.stopMs ?? sim.stopMs)
        return serverRecord(server, now)
      })
    }
  },

  startServerInstances: {
    listKey: 'serverInstanceList',
    run: (sim, params, region, now) => {
      const servers = serversOf(sim, params, region)
      for (const server of servers) checkStartAllowed(sim, server, now)
      return servers.map(server => {
        beginTransition(server, now, 'START', 'RUN', server.startMs ?? sim.startMs)
        return serverRecord(server, now)
      })
    }
  },

  createMemberServerImageInstance: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const server = findServer(sim, required(params, 'serverInstanceNo'), region)
      if (server.hypervisor === 'KVM') {
        throw new ServiceError(
          RETURN_CODES.kvmNotSupported,
          'KVM-based servers are not supported by createMemberServerImageInstance. Use createServerImage.'
        )
      }
      checkServerState(server, now)
      const name = params.memberServerImageName || `msi-${sim.nextImageNo}`
      const description = params.memberServerImageDescription ?? ''
      checkNewImage(sim, {
        name,
        nameParam: 'memberServerImageName',
        rule: MEMBER_NAME_RULE,
        description,
        descriptionParam: 'memberServerImageDescription',
        region
      })
      return [memberRecord(createImage(sim, { kind: 'member', name, description, server }), now)]
    }
  },

  getMemberServerImageInstanceDetail: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const no = required(params, 'memberServerImageInstanceNo')
      return [memberRecord(findImage(sim, 'member', no, region), now)]
    }
  },

  getMemberServerImageInstanceList: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const filters = {
        name: params.memberServerImageName,
        nos: listParam(params, 'memberServerImageInstanceNoList'),
        statusCode: params.memberServerImageInstanceStatusCode
      }
      const rows = listedImages(sim, 'member', region, now)
        .filter(image => matchesFilters(image, filters, now))
        .map(image => memberRecord(image, now))
      return onePage(sim, params, rows, 'getMemberServerImageInstanceList')
    }
  },

  addMemberServerImageSharingPermission: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const image = findImage(
        sim,
        'member',
        required(params, 'memberServerImageInstanceNo'),
        region
      )
      return [memberRecord(changeSharing(sim, image, params, now, true), now)]
    }
  },

  removeMemberServerImageSharingPermission: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const image = findImage(
        sim,
        'member',
        required(params, 'memberServerImageInstanceNo'),
        region
      )
      return [memberRecord(changeSharing(sim, image, params, now, false), now)]
    }
  },

  deleteMemberServerImageInstances: {
    listKey: 'memberServerImageInstanceList',
    run: (sim, params, region, now) => {
      const nos = requiredList(params, 'memberServerImageInstanceNoList')
      return deleteImages(sim, 'member', nos, region, now).map(image => memberRecord(image, now))
    }
  },

  createServerImage: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const server = findServer(sim, required(params, 'serverInstanceNo'), region)
      // NCP documents serverImageNo images for KVM, RHV and XEN servers; a test may have it refuse.
      if (server.hypervisor !== 'KVM' && sim.kvmOnlyServerImages) {
        throw new ServiceError(
          RETURN_CODES.kvmOnly,
          `createServerImage is for KVM servers; this server is ${server.hypervisor}. Use createMemberServerImageInstance.`
        )
      }
      checkServerState(server, now)
      const name = required(params, 'serverImageName')
      const description = params.serverImageDescription ?? ''
      checkNewImage(sim, {
        name,
        nameParam: 'serverImageName',
        rule: SERVER_IMAGE_NAME_RULE,
        description,
        descriptionParam: 'serverImageDescription',
        region
      })
      const blockStorageList = objectListParam(params, 'blockStorageList')
      const image = createImage(sim, {
        kind: 'server',
        name,
        description,
        server,
        blockStorageList
      })
      return [serverImageRecord(image, now)]
    }
  },

  getServerImageDetail: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => [
      serverImageRecord(findImage(sim, 'server', required(params, 'serverImageNo'), region), now)
    ]
  },

  getServerImageList: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const filters = {
        name: params.serverImageName,
        nos: listParam(params, 'serverImageNoList'),
        statusCode: params.serverImageStatusCode
      }
      const rows = listedImages(sim, 'server', region, now)
        .filter(image => matchesFilters(image, filters, now))
        .map(image => serverImageRecord(image, now))
      return onePage(sim, params, rows, 'getServerImageList')
    }
  },

  addServerImageSharingPermission: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const image = findImage(sim, 'server', required(params, 'serverImageNo'), region)
      return [serverImageRecord(changeSharing(sim, image, params, now, true), now)]
    }
  },

  removeServerImageSharingPermission: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const image = findImage(sim, 'server', required(params, 'serverImageNo'), region)
      return [serverImageRecord(changeSharing(sim, image, params, now, false), now)]
    }
  },

  deleteServerImage: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const nos = requiredList(params, 'serverImageNoList')
      return deleteImages(sim, 'server', nos, region, now).map(image =>
        serverImageRecord(image, now)
      )
    }
  },

  // Snapshots of a deleted KVM image stay, billed, until deleted (ncloud-api-next §1). One still
  // behind an image cannot be deleted. All or nothing; answers the deleted snapshots.
  deleteBlockStorageSnapshotInstances: {
    listKey: 'blockStorageSnapshotInstanceList',
    run: (sim, params, region) => {
      const nos = requiredList(params, 'blockStorageSnapshotInstanceNoList')
      const snapshots = nos.map(no => {
        const snapshot = sim.snapshots.find(one => one.no === no && one.regionCode === region)
        if (!snapshot) {
          throw new ServiceError(
            RETURN_CODES.snapshotNotFound,
            `Block storage snapshot ${no} not found.`
          )
        }
        if (sim.images.some(image => image.snapshotNos?.includes(no))) {
          throw new ServiceError(
            RETURN_CODES.snapshotInUse,
            `KVM-based snapshots used to create the server image can't be deleted (${no}).`
          )
        }
        return snapshot
      })
      sim.snapshots = sim.snapshots.filter(snapshot => !snapshots.includes(snapshot))
      return snapshots.map(snapshotRecord)
    }
  }
}

// The Auto Scaling API: launch configurations, which name the image their servers are made from.
const AUTOSCALING_ACTIONS = {
  getLaunchConfigurationList: {
    listKey: 'launchConfigurationList',
    run: (sim, params, region) => {
      const nos = listParam(params, 'launchConfigurationNoList')
      const names = listParam(params, 'launchConfigurationNameList')
      const rows = sim.launchConfigurations
        .filter(
          config =>
            config.regionCode === region &&
            (nos.length === 0 || nos.includes(config.launchConfigurationNo)) &&
            (names.length === 0 || names.includes(config.launchConfigurationName))
        )
        .sort((a, b) => byNumber(a.launchConfigurationNo, b.launchConfigurationNo))
        .map(launchConfigurationRecord)
      return onePage(sim, params, rows, 'getLaunchConfigurationList')
    }
  }
}

const API_ROUTES = [
  { name: 'vserver', prefix: API_PREFIX, actions: ACTIONS },
  { name: 'vautoscaling', prefix: AUTOSCALING_PREFIX, actions: AUTOSCALING_ACTIONS }
]
