// In-repo simulator of the NCP VPC Server API (/vserver/v2), for end-to-end tests, the demo and
// the benchmark. It checks signatures with its own code and never imports from src/.
import { createServer } from 'node:http'
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'

const API_PREFIX = '/vserver/v2/'
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
const FIRST_IMAGE_NO = 900001
const MAX_DESCRIPTION_BYTES = 1000
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
  serverNotFound: '10102',
  imageNotFound: '10103',
  notJson: '10110',
  kvmNotSupported: '24000',
  kvmOnly: '24001',
  serverState: '24003',
  invalidName: '24004',
  duplicateName: '24005',
  descriptionTooLong: '24006'
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
  'permission'
]

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
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  const { port } = server.address()

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: sim.requests,
    images: () => sim.images.map(image => imageSummary(image, Date.now())),
    addFault: fault => sim.faults.push(normalizeFault(fault)),
    setServer: fixture => setServer(sim, fixture),
    addImage: seed => imageSummary(addImage(sim, seed), Date.now()),
    close: () => closeServer(server, sim)
  }
}

// ---------------------------------------------------------------- state

function createState(options) {
  const sim = {
    credentials: options.credentials ?? { 'sim-access-key': 'sim-secret-key' },
    createMs: options.createMs ?? 1000,
    failImages: options.failImages ?? false,
    listLagMs: options.listLagMs ?? 0,
    permissionDenied: options.permissionDenied ?? false,
    clockSkewMs: options.clockSkewMs ?? 0,
    latencyMs: options.latencyMs ?? 0,
    onRequest: options.onRequest,
    servers: new Map(),
    images: [],
    nextImageNo: FIRST_IMAGE_NO,
    faults: [],
    requests: [],
    timers: new Set()
  }
  for (const fixture of options.servers ?? []) setServer(sim, fixture)
  for (const seed of options.images ?? []) addImage(sim, seed)
  return sim
}

function setServer(sim, fixture) {
  const status = fixture.status ?? 'RUN'
  const operation = fixture.operation ?? 'NULL'
  const regionCode = fixture.regionCode ?? 'KR'
  sim.servers.set(String(fixture.serverInstanceNo), {
    serverInstanceNo: String(fixture.serverInstanceNo),
    serverName: fixture.serverName ?? `server-${fixture.serverInstanceNo}`,
    regionCode,
    zoneCode: fixture.zoneCode ?? `${regionCode}-1`,
    hypervisor: fixture.hypervisor ?? 'XEN',
    status,
    operation,
    statusName:
      fixture.statusName ??
      SERVER_OPERATION_NAMES[operation] ??
      SERVER_STATUS_NAMES[status] ??
      status.toLowerCase(),
    createMs: fixture.createMs,
    failImage: fixture.failImage
  })
}

function allocateImageNo(sim, wanted) {
  if (wanted === undefined) return String(sim.nextImageNo++)
  sim.nextImageNo = Math.max(sim.nextImageNo, Number(wanted) + 1 || sim.nextImageNo)
  return String(wanted)
}

// A pre-existing image. INIT seeds finish like created images; CREAT/CREFL seeds are final.
function addImage(sim, seed) {
  const createdAt = seed.createdAt ?? Date.now()
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
    listedAt: createdAt
  }
  sim.images.push(image)
  return image
}

function createImage(sim, { kind, name, description, server, blockStorageList = [] }) {
  const createdAt = Date.now()
  const fail = server.failImage ?? sim.failImages
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
    finalStatus: fail ? 'CREFL' : 'CREAT',
    listedAt: createdAt + sim.listLagMs
  }
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
    blockStorageList: image.blockStorageList
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
  const at = Date.now()
  const requestId = randomUUID()
  const body = await readBody(req)
  const url = new URL(req.url, 'http://simulator')
  const entry = {
    action: url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : '',
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
  else send(res, reply, requestId)
}

// Decides the reply for one request, in the gateway's order: auth, permission, route, fault.
function answer(sim, req, entry, requestId) {
  const authFailure = checkAuth(req, sim.credentials, Date.now() + sim.clockSkewMs)
  if (authFailure) return gatewayError('auth', authFailure)
  entry.authOk = true

  const accessKey = req.headers['x-ncp-iam-access-key']
  if (isPermissionDenied(sim.permissionDenied, accessKey)) {
    return gatewayError('permission', `access key ${accessKey} may not call ${entry.action}`)
  }
  const route = Object.hasOwn(ACTIONS, entry.action) ? ACTIONS[entry.action] : undefined
  if (!route || !['GET', 'POST'].includes(req.method)) {
    return gatewayError('notFound', `no API for ${req.method} ${entry.path}`)
  }
  const fault = takeFault(sim, entry.action)
  if (!fault) return runAction(sim, entry, route, requestId)

  entry.fault = fault.kind
  if (fault.when === 'after') runAction(sim, entry, route, requestId)
  return faultReply(fault)
}

function runAction(sim, entry, route, requestId) {
  const { params, action } = entry
  if (params.responseFormatType !== 'json') return notJsonReply()
  try {
    const region = required(params, 'regionCode')
    const list = route.run(sim, params, region, Date.now())
    return jsonReply(200, {
      [`${action}Response`]: {
        requestId,
        returnCode: '0',
        returnMessage: 'success',
        totalRows: list.length,
        [route.listKey]: list
      }
    })
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    return jsonReply(error.httpStatus, {
      responseError: { returnCode: error.returnCode, returnMessage: error.message }
    })
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

function jsonReply(status, body, headers = {}) {
  return {
    status,
    contentType: 'application/json;charset=UTF-8',
    body: JSON.stringify(body),
    headers
  }
}

function gatewayError(kind, details, headers) {
  const [status, errorCode, message] = GATEWAY_ERRORS[kind]
  return jsonReply(status, { error: { errorCode, message, details } }, headers)
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

function faultReply(fault) {
  if (fault.kind === 'drop') return { drop: true }
  const headers =
    fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) }
  if (fault.kind === 'service-retry') {
    const responseError = {
      returnCode: RETURN_CODES.retryLater,
      returnMessage: 'Please try your call again later.'
    }
    return jsonReply(500, { responseError }, headers)
  }
  if (fault.kind === 'service-internal') {
    const responseError = {
      returnCode: RETURN_CODES.internalError,
      returnMessage: 'Unknown error.'
    }
    return jsonReply(500, { responseError }, headers)
  }
  if (fault.kind === 'permission') return gatewayError('permission', 'injected fault', headers)
  return gatewayError(fault.kind, 'injected fault', headers)
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

function checkServerState(server) {
  if (!['RUN', 'NSTOP'].includes(server.status) || server.operation !== 'NULL') {
    throw new ServiceError(
      RETURN_CODES.serverState,
      `The server is not in a state that allows image creation (status ${server.status}, operation ${server.operation}). Image creation needs a running or stopped server with no operation in progress.`
    )
  }
}

function checkNewImage(sim, { name, nameParam, rule, description, descriptionParam, region }) {
  if (!rule.pattern.test(name)) {
    throw new ServiceError(RETURN_CODES.invalidName, `${nameParam} must be ${rule.text}.`)
  }
  if (sim.images.some(i => i.name === name && i.regionCode === region)) {
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

function serverRecord(server) {
  const kvm = server.hypervisor === 'KVM'
  return {
    serverInstanceNo: server.serverInstanceNo,
    serverName: server.serverName,
    serverInstanceStatus: { code: server.status, codeName: `Server ${server.status} state` },
    serverInstanceOperation: { code: server.operation, codeName: `Server ${server.operation} OP` },
    serverInstanceStatusName: server.statusName,
    hypervisorType: { code: server.hypervisor, codeName: server.hypervisor },
    regionCode: server.regionCode,
    zoneCode: server.zoneCode,
    platformType: { code: 'LNX64', codeName: 'Linux 64 Bit' },
    ...(kvm ? { serverImageNo: '100001' } : { serverImageProductCode: productCodeOf(server) })
  }
}

function memberRecord(image, now) {
  const status = imageStatus(image, now)
  const operation = status === 'INIT' ? 'CREAT' : 'NULL'
  return {
    memberServerImageInstanceNo: image.no,
    memberServerImageName: image.name,
    memberServerImageDescription: image.description,
    originalServerInstanceNo: image.serverInstanceNo,
    originalServerImageProductCode: image.productCode,
    memberServerImageInstanceStatus: codeName(status, MEMBER_CODE_NAMES.status),
    memberServerImageInstanceOperation: codeName(operation, MEMBER_CODE_NAMES.operation),
    memberServerImageInstanceStatusName: IMAGE_STATUS_NAMES[status],
    createDate: kstDate(image.createdAt),
    memberServerImageBlockStorageTotalRows: 1,
    memberServerImageBlockStorageTotalSize: 53687091200,
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: []
  }
}

function serverImageRecord(image, now) {
  const status = imageStatus(image, now)
  const operation = status === 'INIT' ? 'CREAT' : 'NULL'
  return {
    serverImageNo: image.no,
    serverImageName: image.name,
    serverImageDescription: image.description,
    serverImageType: { code: 'SELF', codeName: 'SELF' },
    hypervisorType: { code: 'KVM', codeName: 'KVM' },
    serverImageStatus: codeName(status, SERVER_IMAGE_CODE_NAMES.status),
    serverImageOperation: codeName(operation, SERVER_IMAGE_CODE_NAMES.operation),
    serverImageStatusName: IMAGE_STATUS_NAMES[status],
    createDate: kstDate(image.createdAt),
    shareStatus: SHARE_STATUS,
    sharedLoginIdList: [],
    blockStorageMappingList: []
  }
}

// Images of one kind in a region that list calls can already see (list lag).
function listedImages(sim, kind, region, now) {
  return sim.images.filter(i => i.kind === kind && i.regionCode === region && now >= i.listedAt)
}

function matchesFilters(image, { name, nos, statusCode }, now) {
  return (
    (!name || image.name === name) &&
    (nos.length === 0 || nos.includes(image.no)) &&
    (!statusCode || imageStatus(image, now) === statusCode)
  )
}

const ACTIONS = {
  getServerInstanceDetail: {
    listKey: 'serverInstanceList',
    run: (sim, params, region) => [
      serverRecord(findServer(sim, required(params, 'serverInstanceNo'), region))
    ]
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
      checkServerState(server)
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
      return listedImages(sim, 'member', region, now)
        .filter(image => matchesFilters(image, filters, now))
        .map(image => memberRecord(image, now))
    }
  },

  createServerImage: {
    listKey: 'serverImageList',
    run: (sim, params, region, now) => {
      const server = findServer(sim, required(params, 'serverInstanceNo'), region)
      if (server.hypervisor !== 'KVM') {
        throw new ServiceError(
          RETURN_CODES.kvmOnly,
          `createServerImage is for KVM servers; this server is ${server.hypervisor}. Use createMemberServerImageInstance.`
        )
      }
      checkServerState(server)
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
      return listedImages(sim, 'server', region, now)
        .filter(image => matchesFilters(image, filters, now))
        .map(image => serverImageRecord(image, now))
    }
  }
}
