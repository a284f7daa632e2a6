// @ts-check
// The simulator's public shapes: what tests, scripts and the CLI hand it and get back. The code
// is checked against them (`npm run typecheck`), so they cannot drift from what it does.

/** @typedef {'XEN' | 'KVM' | 'RHV'} Hypervisor */
/** @typedef {'member' | 'server'} ImageKind */
/** The codes NCP documents, or any other code (e.g. 'DELETING') a test wants the action to meet. @typedef {'INIT' | 'CREAT' | 'CREFL' | (string & {})} ImageStatus */

/**
 * The simulator's idea of now, in ms epoch. Default { now: Date.now }.
 * @typedef {object} Clock
 * @property {() => number} now
 */

/**
 * @typedef {object} ServerFixture
 * @property {string} serverInstanceNo
 * @property {string} [serverName] Default `server-<no>`.
 * @property {string} [regionCode] Default 'KR'.
 * @property {string} [zoneCode] Default `<regionCode>-1`.
 * @property {Hypervisor} [hypervisor] Default 'XEN'.
 * @property {string} [status] serverInstanceStatus.code, default 'RUN'.
 * @property {string} [operation] serverInstanceOperation.code, default 'NULL'.
 * @property {string} [statusName] Default derived from operation/status ('running', 'stopped', 'booting', ...).
 * @property {number} [createMs] Overrides SimulatorOptions.createMs for images of this server.
 * @property {boolean} [failImage] Overrides SimulatorOptions.failImages for images of this server.
 * @property {string | null} [imageFinalStatus] Overrides failImage and SimulatorOptions.imageFinalStatus for images of this server.
 * @property {number} [stopMs] Overrides SimulatorOptions.stopMs for this server.
 * @property {number} [stopLagMs] Overrides SimulatorOptions.stopLagMs for this server.
 * @property {number} [startMs] Overrides SimulatorOptions.startMs for this server.
 * @property {boolean} [refuseStartWhileImaging] Overrides SimulatorOptions.refuseStartWhileImaging for this server.
 * @property {boolean} [failStart] Overrides SimulatorOptions.failStart for this server.
 * @property {string} [memberServerImageInstanceNo] The account's member image (XEN/RHV) the server was created from: in its records.
 * @property {string} [serverImageNo] The server image it was created from; KVM servers default to a public one ('100001').
 * @property {string} [vpcNo] Default '7001'.
 * @property {string} [subnetNo] Default '8001' (a subnet of vpcNo; the simulator knows every fixture's subnet).
 * @property {string} [networkInterfaceNo] Its one (default) network interface. Default `6<serverInstanceNo>`.
 * @property {string[]} [accessControlGroupNos] The interface's groups (known to the simulator, in vpcNo). Default ['9001'].
 * @property {string} [loginKeyName] Default 'sim-key'.
 * @property {string} [serverSpecCode] Default 's2-g3' on KVM, '' otherwise.
 * @property {string} [serverProductCode] Default 'SVR.VSVR.STAND.C002.M004.NET.SSD.B050.G002' on XEN/RHV, '' on KVM.
 * @property {string} [serverDescription] Default ''.
 */

/**
 * A subnet of the VPC API (`/vpc/v2`), beyond those of the server fixtures.
 * @typedef {object} SubnetSeed
 * @property {string} subnetNo
 * @property {string} vpcNo
 * @property {string} [regionCode] Default 'KR'.
 */

/**
 * A launch configuration of the Auto Scaling API (`/vautoscaling/v2`).
 * @typedef {object} LaunchConfigurationSeed
 * @property {string} [launchConfigurationNo] Default: the next free number (from 500001).
 * @property {string} [launchConfigurationName] Default `lc-<no>`.
 * @property {string} [regionCode] Default 'KR'.
 * @property {string} [memberServerImageInstanceNo] The member image (XEN/RHV) its servers are made from.
 * @property {string} [serverImageNo] The server image its servers are made from.
 * @property {number} [createdAt] ms epoch, default clock.now().
 */

/**
 * @typedef {object} LaunchConfigurationSummary
 * @property {string} launchConfigurationNo
 * @property {string} launchConfigurationName
 * @property {string} regionCode
 * @property {string} [memberServerImageInstanceNo]
 * @property {string} [serverImageNo]
 * @property {number} createdAt
 */

/**
 * A block storage snapshot behind a KVM server image. It is made with the image, outlives
 * deleteServerImage and is billed until deleteBlockStorageSnapshotInstances deletes it.
 * @typedef {object} SnapshotSummary
 * @property {string} no
 * @property {string} name
 * @property {string} imageNo The image it was made for (which may be deleted by now).
 * @property {string} regionCode
 * @property {number} order Its place in the image's blockStorageMappingList, from 0 (the boot disk).
 * @property {number} sizeBytes
 */

/**
 * A pre-existing image. INIT seeds finish after createMs like new ones; any other status is final
 * (null: the record has no status object).
 * @typedef {object} ImageSeed
 * @property {ImageKind} kind
 * @property {string} name
 * @property {string} serverInstanceNo
 * @property {ImageStatus | null} status
 * @property {string} [no] Default: the next free image number.
 * @property {string} [description]
 * @property {string} [regionCode] Default 'KR'.
 * @property {number} [createdAt] ms epoch, default clock.now().
 * @property {number} [createMs] INIT seeds only; default SimulatorOptions.createMs.
 * @property {boolean} [fail] INIT seeds only: end in CREFL instead of CREAT.
 * @property {string[]} [sharedLoginIdList] Login IDs the image is already shared with.
 * @property {number} [snapshotCount] Server images (KVM) only: how many block storage snapshots it has. Default 1.
 */

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port] Default 0 (a free port). Listens on loopback only (see host).
 * @property {'127.0.0.1' | '::1'} [host] '127.0.0.1' (default) or '::1'; the url then has the IPv6 literal in brackets.
 * @property {Record<string, string>} [credentials] accessKey → secretKey. Default { 'sim-access-key': 'sim-secret-key' }.
 * @property {ServerFixture[]} [servers]
 * @property {ImageSeed[]} [images]
 * @property {LaunchConfigurationSeed[]} [launchConfigurations]
 * @property {Clock} [clock] Drives every simulated time: image and server state, createDate, the 5-minute signature rule, RecordedRequest.at. Default { now: Date.now }. Latency and slow-reply faults wait with `wait`.
 * @property {(ms: number) => Promise<void>} [wait] How latencyMs and the trickle fault wait; close() stops waiting for it. Default: a real timer.
 * @property {number} [createMs] Time from create to CREAT/CREFL, in clock time. Default 1000.
 * @property {boolean} [failImages] New images end in CREFL. Default false.
 * @property {string | null} [imageFinalStatus] New images end in this status instead of CREAT (e.g. 'DELETING'); null: their records have no status object (nor status name). Beats failImages; ServerFixture settings beat both.
 * @property {boolean} [uniqueNames] false: a create with a name already in use succeeds and makes another image. Default true.
 * @property {number} [maxPageSize] The largest pageSize honoured by list actions; bigger ones are capped. Default 1000 (NCP's documented maximum).
 * @property {string[]} [knownLoginIds] When set, sharing with a login ID not in this list is refused (RETURN_CODES.unknownLoginId). Default: every ID is known.
 * @property {number} [stopMs] stopServerInstances: RUN/SHTDN for this long, then NSTOP/NULL (clock time). Default 1000.
 * @property {number} [stopLagMs] An accepted stop takes effect only this long after it was answered: the server reads RUN/NULL until then, then RUN/SHTDN for stopMs (clock time; Infinity: never). Default 0.
 * @property {number} [startMs] startServerInstances: NSTOP/START for this long, then RUN/NULL (clock time). Default 1000.
 * @property {boolean} [refuseStartWhileImaging] Refuse a start (RETURN_CODES.startRefused) while an image of the server is INIT. Default false.
 * @property {boolean} [kvmOnlyServerImages] Refuse createServerImage on XEN and RHV servers (RETURN_CODES.kvmOnly), as older NCP documents did. Default false: it images every server, as NCP now documents.
 * @property {boolean} [failStart] Refuse every start (RETURN_CODES.startRefused). Default false.
 * @property {number} [listLagMs] A new image shows up in list calls only this long after creation (detail works at once). Default 0.
 * @property {boolean | string[]} [permissionDenied] true: every access key; string[]: only these access keys. 401 / errorCode 210 after the signature passes.
 * @property {string[]} [deniedActions] Actions no key may call (a sub account policy without them): 401 / errorCode 210 "Permission Denied".
 * @property {import('./paging.mjs').PagingQuirk} [pagingQuirk] A list whose pages do not add up. Default: every list pages as documented.
 * @property {number} [clockSkewMs] The clock used for the 5-minute timestamp rule is clock.now() + clockSkewMs. Default 0.
 * @property {number} [latencyMs] Delay every response this long. Default 0.
 * @property {SubnetSeed[]} [subnets] Subnets beyond those of the server fixtures.
 * @property {{ no: string, vpcNo: string }[]} [accessControlGroups] Access control groups beyond those of the server fixtures.
 * @property {number} [bootMs] createServerInstances: INIT for this long, then RUN (clock time). Default 2000.
 * @property {number} [terminateMs] terminateServerInstances: NSTOP/TERMT for this long, then TERMT (clock time). Default 1000.
 * @property {'refuse' | 'never-run' | 'fail'} [launchFault] 'refuse': every createServerInstances is refused (RETURN_CODES.launchRefused); 'never-run': new servers stay INIT; 'fail': new servers end stopped (NSTOP) instead of RUN.
 * @property {number} [refuseTerminate] Refuse this many terminateServerInstances requests (RETURN_CODES.terminateRefused), each of a stopped server. Default 0.
 * @property {(request: RecordedRequest) => void} [onRequest] Called for every request once its outcome is decided (before the reply is sent).
 */

/**
 * @typedef {object} RecordedRequest
 * @property {string} api 'vserver', 'vautoscaling' or 'vpc' ('' for other paths).
 * @property {string} action The part after /vserver/v2/ or /vautoscaling/v2/ ('' for other paths).
 * @property {string} method
 * @property {string} path req.url as received: path plus ?query.
 * @property {Record<string, string>} params Query and form body merged (body wins).
 * @property {Record<string, string>} headers As received, lower-case names.
 * @property {boolean} authOk
 * @property {number} status HTTP status sent (for cut/stall/trickle: the status in the headers); 0 for a dropped connection.
 * @property {number} at Arrival time, clock.now().
 * @property {import('./faults.mjs').FaultKind} [fault]
 */

/** blockStorageList.N.* as sent to createServerImage. @typedef {Record<string, string>} BlockStorageEntry */

/**
 * @typedef {object} ImageSummary
 * @property {ImageKind} kind
 * @property {string} no
 * @property {string} name
 * @property {string} description
 * @property {string} serverInstanceNo
 * @property {string} regionCode
 * @property {ImageStatus | null} status Status now (null: the record has no status object).
 * @property {number} createdAt ms epoch.
 * @property {number} completedAt When the image is due to leave INIT (createdAt + createMs), ms epoch; createdAt for final seeds.
 * @property {BlockStorageEntry[]} blockStorageList blockStorageList.N.* as sent to createServerImage ([] otherwise).
 * @property {string[]} snapshotNos Server images (KVM): the snapshots behind it, in its blockStorageMappingList ([] otherwise).
 * @property {string[]} sharedLoginIdList Login IDs the image is shared with, in the order added.
 */

/**
 * @typedef {object} ServerSummary
 * @property {string} serverInstanceNo
 * @property {string} serverName
 * @property {string} regionCode
 * @property {Hypervisor} hypervisor
 * @property {string} status serverInstanceStatus.code at clock.now().
 * @property {string} operation serverInstanceOperation.code at clock.now().
 * @property {string} statusName serverInstanceStatusName at clock.now().
 */

/**
 * @typedef {object} Simulator
 * @property {string} url 'http://127.0.0.1:PORT'
 * @property {number} port
 * @property {RecordedRequest[]} requests Every request received, in order of decision.
 * @property {() => ImageSummary[]} images
 * @property {() => ServerSummary[]} servers Every server with its state at clock.now().
 * @property {(fault: import('./faults.mjs').Fault) => void} addFault
 * @property {(server: ServerFixture) => void} setServer Adds or replaces (by serverInstanceNo) a server; a stop or start under way is forgotten.
 * @property {(seed: ImageSeed) => ImageSummary} addImage
 * @property {() => SnapshotSummary[]} snapshots The block storage snapshots that exist (and are billed) now.
 * @property {() => LaunchConfigurationSummary[]} launchConfigurations
 * @property {(seed: LaunchConfigurationSeed) => LaunchConfigurationSummary} addLaunchConfiguration
 * @property {() => Promise<void>} close Stops listening, destroys open sockets (stalled and trickling ones too) and stops waiting.
 */

export {}
