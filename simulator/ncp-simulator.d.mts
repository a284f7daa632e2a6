// Types for ncp-simulator.mjs (hand-written; keep in step with the implementation).

export type Hypervisor = 'XEN' | 'KVM' | 'RHV'
export type ImageKind = 'member' | 'server'
export type ImageStatus = 'INIT' | 'CREAT' | 'CREFL'
export type FaultKind =
  | 'throttle'
  | 'endpoint-error'
  | 'endpoint-timeout'
  | 'unexpected'
  | 'service-retry'
  | 'service-internal'
  | 'drop'
  | 'permission'

export interface ServerFixture {
  serverInstanceNo: string
  /** Default `server-<no>`. */
  serverName?: string
  /** Default 'KR'. */
  regionCode?: string
  /** Default `<regionCode>-1`. */
  zoneCode?: string
  /** Default 'XEN'. */
  hypervisor?: Hypervisor
  /** serverInstanceStatus.code, default 'RUN'. */
  status?: string
  /** serverInstanceOperation.code, default 'NULL'. */
  operation?: string
  /** Default derived from operation/status ('running', 'stopped', 'booting', ...). */
  statusName?: string
  /** Overrides SimulatorOptions.createMs for images of this server. */
  createMs?: number
  /** Overrides SimulatorOptions.failImages for images of this server. */
  failImage?: boolean
}

/** A pre-existing image. INIT seeds finish after createMs like new ones; CREAT/CREFL are final. */
export interface ImageSeed {
  kind: ImageKind
  name: string
  serverInstanceNo: string
  status: ImageStatus
  /** Default: the next free image number. */
  no?: string
  description?: string
  /** Default 'KR'. */
  regionCode?: string
  /** ms epoch, default now. */
  createdAt?: number
  /** INIT seeds only; default SimulatorOptions.createMs. */
  createMs?: number
  /** INIT seeds only: end in CREFL instead of CREAT. */
  fail?: boolean
}

export interface SimulatorOptions {
  /** Default 0 (a free port). Always listens on 127.0.0.1. */
  port?: number
  /** accessKey → secretKey. Default { 'sim-access-key': 'sim-secret-key' }. */
  credentials?: Record<string, string>
  servers?: ServerFixture[]
  images?: ImageSeed[]
  /** Time from create to CREAT/CREFL. Default 1000. */
  createMs?: number
  /** New images end in CREFL. Default false. */
  failImages?: boolean
  /** A new image shows up in list calls only this long after creation (detail works at once). Default 0. */
  listLagMs?: number
  /** true: every access key; string[]: only these access keys. 401 / errorCode 210 after the signature passes. */
  permissionDenied?: boolean | string[]
  /** The clock used for the 5-minute timestamp rule is Date.now() + clockSkewMs. Default 0. */
  clockSkewMs?: number
  /** Delay every response this long. Default 0. */
  latencyMs?: number
  /** Called for every request once its outcome is decided (before the reply is sent). */
  onRequest?: (request: RecordedRequest) => void
}

export interface RecordedRequest {
  /** The part after /vserver/v2/ ('' for other paths). */
  action: string
  method: string
  /** req.url as received: path plus ?query. */
  path: string
  /** Query and form body merged (body wins). */
  params: Record<string, string>
  /** As received, lower-case names. */
  headers: Record<string, string>
  authOk: boolean
  /** HTTP status sent; 0 for a dropped connection. */
  status: number
  /** Arrival time, ms epoch. */
  at: number
  fault?: FaultKind
}

export interface BlockStorageEntry {
  [field: string]: string
}

export interface ImageSummary {
  kind: ImageKind
  no: string
  name: string
  description: string
  serverInstanceNo: string
  regionCode: string
  /** Status now. */
  status: ImageStatus
  /** ms epoch. */
  createdAt: number
  /** When the image is due to leave INIT (createdAt + createMs), ms epoch; createdAt for final seeds. */
  completedAt: number
  /** blockStorageList.N.* as sent to createServerImage ([] otherwise). */
  blockStorageList: BlockStorageEntry[]
}

export interface Fault {
  /** An action name, or '*' for any action. */
  action: string
  kind: FaultKind
  /** 'before': answer with the fault and skip the action; 'after': do the action, then answer with the fault. Default 'before'. */
  when?: 'before' | 'after'
  /** How many matching requests get the fault. Default 1. */
  times?: number
  /** Adds a Retry-After header. */
  retryAfterSeconds?: number
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT' */
  url: string
  port: number
  /** Every request received, in order of decision. */
  requests: RecordedRequest[]
  images(): ImageSummary[]
  addFault(fault: Fault): void
  /** Adds or replaces (by serverInstanceNo) a server. */
  setServer(server: ServerFixture): void
  addImage(seed: ImageSeed): ImageSummary
  /** Stops listening and destroys open sockets. */
  close(): Promise<void>
}

/** Service returnCodes used by the simulator. Only retryLater ('1000') is a real NCP code. */
export declare const RETURN_CODES: Readonly<{
  retryLater: '1000'
  internalError: '1300'
  parameterRequired: '10100'
  serverNotFound: '10102'
  imageNotFound: '10103'
  notJson: '10110'
  kvmNotSupported: '24000'
  kvmOnly: '24001'
  serverState: '24003'
  invalidName: '24004'
  duplicateName: '24005'
  descriptionTooLong: '24006'
}>

/** The CLI preset: credentials sim-access-key/sim-secret-key and servers 1001 (XEN, running), 2001 (KVM, running), 3001 (RHV, stopped), 4001 (XEN, booting). */
export declare function demoFixture(): {
  credentials: Record<string, string>
  servers: ServerFixture[]
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>
