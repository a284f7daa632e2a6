// Types for ncp-simulator.mjs (hand-written; keep in step with the implementation).

export type Hypervisor = 'XEN' | 'KVM' | 'RHV'
export type ImageKind = 'member' | 'server'
/** The codes NCP documents, or any other code (e.g. 'DELETING') a test wants the action to meet. */
export type ImageStatus = 'INIT' | 'CREAT' | 'CREFL' | (string & {})
export type FaultKind =
  | 'throttle'
  | 'endpoint-error'
  | 'endpoint-timeout'
  | 'unexpected'
  | 'service-retry'
  | 'service-internal'
  | 'drop'
  | 'permission'
  | 'cut'
  | 'stall'
  | 'trickle'
  | 'redirect'
  | 'not-json'
  | 'no-list'
  | 'huge'

/** The simulator's idea of now, in ms epoch. Default { now: Date.now }. */
export interface Clock {
  now(): number
}

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
  /** Overrides failImage and SimulatorOptions.imageFinalStatus for images of this server. */
  imageFinalStatus?: string | null
  /** Overrides SimulatorOptions.stopMs for this server. */
  stopMs?: number
  /** Overrides SimulatorOptions.startMs for this server. */
  startMs?: number
  /** Overrides SimulatorOptions.refuseStartWhileImaging for this server. */
  refuseStartWhileImaging?: boolean
  /** Overrides SimulatorOptions.failStart for this server. */
  failStart?: boolean
  /** The account's member image (XEN/RHV) the server was created from: in its records. */
  memberServerImageInstanceNo?: string
  /** The server image it was created from; KVM servers default to a public one ('100001'). */
  serverImageNo?: string
}

/** A launch configuration of the Auto Scaling API (`/vautoscaling/v2`). */
export interface LaunchConfigurationSeed {
  /** Default: the next free number (from 500001). */
  launchConfigurationNo?: string
  /** Default `lc-<no>`. */
  launchConfigurationName?: string
  /** Default 'KR'. */
  regionCode?: string
  /** The member image (XEN/RHV) its servers are made from. */
  memberServerImageInstanceNo?: string
  /** The server image its servers are made from. */
  serverImageNo?: string
  /** ms epoch, default clock.now(). */
  createdAt?: number
}

export interface LaunchConfigurationSummary {
  launchConfigurationNo: string
  launchConfigurationName: string
  regionCode: string
  memberServerImageInstanceNo?: string
  serverImageNo?: string
  createdAt: number
}

/**
 * A block storage snapshot behind a KVM server image. It is made with the image, outlives
 * deleteServerImage and is billed until deleteBlockStorageSnapshotInstances deletes it.
 */
export interface SnapshotSummary {
  no: string
  name: string
  /** The image it was made for (which may be deleted by now). */
  imageNo: string
  regionCode: string
  /** Its place in the image's blockStorageMappingList, from 0 (the boot disk). */
  order: number
  sizeBytes: number
}

/**
 * Pages that do not add up, for every list action or only `actions`: 'zero-based' counts pages
 * from 0 (pageNo 1 answers the second page), 'repeat-first' answers every page with the first,
 * 'overcount' says one more row in totalRows than there is.
 */
export interface PagingQuirk {
  kind: 'zero-based' | 'repeat-first' | 'overcount'
  actions?: string[]
}

/** A pre-existing image. INIT seeds finish after createMs like new ones; any other status is final (null: the record has no status object). */
export interface ImageSeed {
  kind: ImageKind
  name: string
  serverInstanceNo: string
  status: ImageStatus | null
  /** Default: the next free image number. */
  no?: string
  description?: string
  /** Default 'KR'. */
  regionCode?: string
  /** ms epoch, default clock.now(). */
  createdAt?: number
  /** INIT seeds only; default SimulatorOptions.createMs. */
  createMs?: number
  /** INIT seeds only: end in CREFL instead of CREAT. */
  fail?: boolean
  /** Login IDs the image is already shared with. */
  sharedLoginIdList?: string[]
  /** Server images (KVM) only: how many block storage snapshots it has. Default 1. */
  snapshotCount?: number
}

export interface SimulatorOptions {
  /** Default 0 (a free port). Listens on loopback only (see host). */
  port?: number
  /** '127.0.0.1' (default) or '::1'; the url then has the IPv6 literal in brackets. */
  host?: '127.0.0.1' | '::1'
  /** accessKey → secretKey. Default { 'sim-access-key': 'sim-secret-key' }. */
  credentials?: Record<string, string>
  servers?: ServerFixture[]
  images?: ImageSeed[]
  launchConfigurations?: LaunchConfigurationSeed[]
  /** Drives every simulated time: image and server state, createDate, the 5-minute signature rule, RecordedRequest.at. Default { now: Date.now }. Latency and slow-reply faults use real timers. */
  clock?: Clock
  /** Time from create to CREAT/CREFL, in clock time. Default 1000. */
  createMs?: number
  /** New images end in CREFL. Default false. */
  failImages?: boolean
  /** New images end in this status instead of CREAT (e.g. 'DELETING'); null: their records have no status object (nor status name). Beats failImages; ServerFixture settings beat both. */
  imageFinalStatus?: string | null
  /** false: a create with a name already in use succeeds and makes another image. Default true. */
  uniqueNames?: boolean
  /** The largest pageSize honoured by list actions; bigger ones are capped. Default 1000 (NCP's documented maximum). */
  maxPageSize?: number
  /** When set, sharing with a login ID not in this list is refused (RETURN_CODES.unknownLoginId). Default: every ID is known. */
  knownLoginIds?: string[]
  /** stopServerInstances: RUN/SHTDN for this long, then NSTOP/NULL (clock time). Default 1000. */
  stopMs?: number
  /** startServerInstances: NSTOP/START for this long, then RUN/NULL (clock time). Default 1000. */
  startMs?: number
  /** Refuse a start (RETURN_CODES.startRefused) while an image of the server is INIT. Default false. */
  refuseStartWhileImaging?: boolean
  /** Refuse createServerImage on XEN and RHV servers (RETURN_CODES.kvmOnly), as older NCP documents did. Default false: it images every server, as NCP now documents. */
  kvmOnlyServerImages?: boolean
  /** Refuse every start (RETURN_CODES.startRefused). Default false. */
  failStart?: boolean
  /** A new image shows up in list calls only this long after creation (detail works at once). Default 0. */
  listLagMs?: number
  /** true: every access key; string[]: only these access keys. 401 / errorCode 210 after the signature passes. */
  permissionDenied?: boolean | string[]
  /** Actions no key may call (a sub account policy without them): 401 / errorCode 210 "Permission Denied". */
  deniedActions?: string[]
  /** A list whose pages do not add up. Default: every list pages as documented. */
  pagingQuirk?: PagingQuirk
  /** The clock used for the 5-minute timestamp rule is clock.now() + clockSkewMs. Default 0. */
  clockSkewMs?: number
  /** Delay every response this long. Default 0. */
  latencyMs?: number
  /** Called for every request once its outcome is decided (before the reply is sent). */
  onRequest?: (request: RecordedRequest) => void
}

export interface RecordedRequest {
  /** 'vserver' or 'vautoscaling' ('' for other paths). */
  api: string
  /** The part after /vserver/v2/ or /vautoscaling/v2/ ('' for other paths). */
  action: string
  method: string
  /** req.url as received: path plus ?query. */
  path: string
  /** Query and form body merged (body wins). */
  params: Record<string, string>
  /** As received, lower-case names. */
  headers: Record<string, string>
  authOk: boolean
  /** HTTP status sent (for cut/stall/trickle: the status in the headers); 0 for a dropped connection. */
  status: number
  /** Arrival time, clock.now(). */
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
  /** Status now (null: the record has no status object). */
  status: ImageStatus | null
  /** ms epoch. */
  createdAt: number
  /** When the image is due to leave INIT (createdAt + createMs), ms epoch; createdAt for final seeds. */
  completedAt: number
  /** blockStorageList.N.* as sent to createServerImage ([] otherwise). */
  blockStorageList: BlockStorageEntry[]
  /** Server images (KVM): the snapshots behind it, in its blockStorageMappingList ([] otherwise). */
  snapshotNos: string[]
  /** Login IDs the image is shared with, in the order added. */
  sharedLoginIdList: string[]
}

export interface ServerSummary {
  serverInstanceNo: string
  serverName: string
  regionCode: string
  hypervisor: Hypervisor
  /** serverInstanceStatus.code at clock.now(). */
  status: string
  /** serverInstanceOperation.code at clock.now(). */
  operation: string
  /** serverInstanceStatusName at clock.now(). */
  statusName: string
}

/**
 * One injected fault. Kinds:
 * - throttle 429/410, endpoint-error 503/500, endpoint-timeout 504/510, unexpected 500/900, permission 401/210: gateway errors.
 * - service-retry (500, returnCode 1000), service-internal (500, returnCode 1300): service errors.
 * - drop: the socket is destroyed without a reply.
 * - cut: headers with the Content-Length of the whole normal reply, half the body, then the socket is destroyed.
 * - stall: the same headers and half the body, then nothing until close().
 * - trickle: the same headers, then the body one byte every intervalMs until done or close().
 * - redirect: `status` (default 307) with a Location header (`location`) and a small HTML body.
 * - not-json: HTTP 200, text/html body.
 * - no-list: HTTP 200, `<action>Response` with returnCode '0' and totalRows 1 but no list key.
 * - huge: a gateway error (`status`, default 503) whose JSON body is `bytes` long (default 5 MiB), mostly error.details.
 * For cut/stall/trickle with when 'before', the body is what the action would have answered, but the
 * action's effects are undone (e.g. no image is made and its number is handed out again).
 */
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
  /** Gateway and service error kinds, and huge: replaces error.message / returnMessage. */
  message?: string
  /** trickle: ms between bytes (real time). Default 2000. */
  intervalMs?: number
  /** redirect: the Location header. Default `https://elsewhere.example.com/vserver/v2/<action>`. */
  location?: string
  /** redirect (default 307) and huge (default 503): the HTTP status. */
  status?: number
  /** huge: body size in bytes. Default 5 MiB. */
  bytes?: number
}

export interface Simulator {
  /** 'http://127.0.0.1:PORT' */
  url: string
  port: number
  /** Every request received, in order of decision. */
  requests: RecordedRequest[]
  images(): ImageSummary[]
  /** Every server with its state at clock.now(). */
  servers(): ServerSummary[]
  addFault(fault: Fault): void
  /** Adds or replaces (by serverInstanceNo) a server; a stop or start under way is forgotten. */
  setServer(server: ServerFixture): void
  addImage(seed: ImageSeed): ImageSummary
  /** The block storage snapshots that exist (and are billed) now. */
  snapshots(): SnapshotSummary[]
  launchConfigurations(): LaunchConfigurationSummary[]
  addLaunchConfiguration(seed: LaunchConfigurationSeed): LaunchConfigurationSummary
  /** Stops listening, destroys open sockets (stalled and trickling ones too) and stops timers. */
  close(): Promise<void>
}

/** Service returnCodes used by the simulator. Only retryLater ('1000') is a real NCP code. */
export declare const RETURN_CODES: Readonly<{
  retryLater: '1000'
  internalError: '1300'
  parameterRequired: '10100'
  /** A pageNo or pageSize that is not a whole number, or pageSize 0. */
  invalidParameter: '10101'
  serverNotFound: '10102'
  imageNotFound: '10103'
  notJson: '10110'
  kvmNotSupported: '24000'
  /** createServerImage on a XEN/RHV server, with kvmOnlyServerImages only. */
  kvmOnly: '24001'
  /** Image creation on a server that is busy or neither RUN nor NSTOP; a stop of a server that is not RUN/NULL, a start of one that is not NSTOP/NULL. */
  serverState: '24003'
  invalidName: '24004'
  duplicateName: '24005'
  descriptionTooLong: '24006'
  /** Sharing an image that is not CREAT, or deleting one that is INIT. */
  imageState: '24007'
  unknownLoginId: '24008'
  /** failStart, or refuseStartWhileImaging while an image of the server is INIT. */
  startRefused: '24009'
  /** deleteBlockStorageSnapshotInstances: no such snapshot. */
  snapshotNotFound: '24010'
  /** deleteBlockStorageSnapshotInstances: the snapshot is still behind an image. */
  snapshotInUse: '24011'
}>

/** The CLI preset: credentials sim-access-key/sim-secret-key and servers 1001 (XEN, running), 2001 (KVM, running), 3001 (RHV, stopped), 4001 (XEN, booting). */
export declare function demoFixture(): {
  credentials: Record<string, string>
  servers: ServerFixture[]
}

export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>
