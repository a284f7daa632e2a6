import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 770:
/***/ ((module, __unused_webpack_exports, __nccwpck_require__) => {

module.exports = __nccwpck_require__(218);


/***/ }),

/***/ 218:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var net = __nccwpck_require__(278);
var tls = __nccwpck_require__(756);
var http = __nccwpck_require__(611);
var https = __nccwpck_require__(692);
var events = __nccwpck_require__(434);
var assert = __nccwpck_require__(613);
var util = __nccwpck_require__(23);


exports.httpOverHttp = httpOverHttp;
exports.httpsOverHttp = httpsOverHttp;
exports.httpOverHttps = httpOverHttps;
exports.httpsOverHttps = httpsOverHttps;


function httpOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  return agent;
}

function httpsOverHttp(options) {
  var agent = new TunnelingAgent(options);
  agent.request = http.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}

function httpOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  return agent;
}

function httpsOverHttps(options) {
  var agent = new TunnelingAgent(options);
  agent.request = https.request;
  agent.createSocket = createSecureSocket;
  agent.defaultPort = 443;
  return agent;
}


function TunnelingAgent(options) {
  var self = this;
  self.options = options || {};
  self.proxyOptions = self.options.proxy || {};
  self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
  self.requests = [];
  self.sockets = [];

  self.on('free', function onFree(socket, host, port, localAddress) {
    var options = toOptions(host, port, localAddress);
    for (var i = 0, len = self.requests.length; i < len; ++i) {
      var pending = self.requests[i];
      if (pending.host === options.host && pending.port === options.port) {
        // Detect the request to connect same origin server,
        // reuse the connection.
        self.requests.splice(i, 1);
        pending.request.onSocket(socket);
        return;
      }
    }
    socket.destroy();
    self.removeSocket(socket);
  });
}
util.inherits(TunnelingAgent, events.EventEmitter);

TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
  var self = this;
  var options = mergeOptions({request: req}, self.options, toOptions(host, port, localAddress));

  if (self.sockets.length >= this.maxSockets) {
    // We are over limit so we'll add it to the queue.
    self.requests.push(options);
    return;
  }

  // If we are under maxSockets create a new one.
  self.createSocket(options, function(socket) {
    socket.on('free', onFree);
    socket.on('close', onCloseOrRemove);
    socket.on('agentRemove', onCloseOrRemove);
    req.onSocket(socket);

    function onFree() {
      self.emit('free', socket, options);
    }

    function onCloseOrRemove(err) {
      self.removeSocket(socket);
      socket.removeListener('free', onFree);
      socket.removeListener('close', onCloseOrRemove);
      socket.removeListener('agentRemove', onCloseOrRemove);
    }
  });
};

TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
  var self = this;
  var placeholder = {};
  self.sockets.push(placeholder);

  var connectOptions = mergeOptions({}, self.proxyOptions, {
    method: 'CONNECT',
    path: options.host + ':' + options.port,
    agent: false,
    headers: {
      host: options.host + ':' + options.port
    }
  });
  if (options.localAddress) {
    connectOptions.localAddress = options.localAddress;
  }
  if (connectOptions.proxyAuth) {
    connectOptions.headers = connectOptions.headers || {};
    connectOptions.headers['Proxy-Authorization'] = 'Basic ' +
        new Buffer(connectOptions.proxyAuth).toString('base64');
  }

  debug('making CONNECT request');
  var connectReq = self.request(connectOptions);
  connectReq.useChunkedEncodingByDefault = false; // for v0.6
  connectReq.once('response', onResponse); // for v0.6
  connectReq.once('upgrade', onUpgrade);   // for v0.6
  connectReq.once('connect', onConnect);   // for v0.7 or later
  connectReq.once('error', onError);
  connectReq.end();

  function onResponse(res) {
    // Very hacky. This is necessary to avoid http-parser leaks.
    res.upgrade = true;
  }

  function onUpgrade(res, socket, head) {
    // Hacky.
    process.nextTick(function() {
      onConnect(res, socket, head);
    });
  }

  function onConnect(res, socket, head) {
    connectReq.removeAllListeners();
    socket.removeAllListeners();

    if (res.statusCode !== 200) {
      debug('tunneling socket could not be established, statusCode=%d',
        res.statusCode);
      socket.destroy();
      var error = new Error('tunneling socket could not be established, ' +
        'statusCode=' + res.statusCode);
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    if (head.length > 0) {
      debug('got illegal response body from proxy');
      socket.destroy();
      var error = new Error('got illegal response body from proxy');
      error.code = 'ECONNRESET';
      options.request.emit('error', error);
      self.removeSocket(placeholder);
      return;
    }
    debug('tunneling connection has established');
    self.sockets[self.sockets.indexOf(placeholder)] = socket;
    return cb(socket);
  }

  function onError(cause) {
    connectReq.removeAllListeners();

    debug('tunneling socket could not be established, cause=%s\n',
          cause.message, cause.stack);
    var error = new Error('tunneling socket could not be established, ' +
                          'cause=' + cause.message);
    error.code = 'ECONNRESET';
    options.request.emit('error', error);
    self.removeSocket(placeholder);
  }
};

TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
  var pos = this.sockets.indexOf(socket)
  if (pos === -1) {
    return;
  }
  this.sockets.splice(pos, 1);

  var pending = this.requests.shift();
  if (pending) {
    // If we have pending requests and a socket gets closed a new one
    // needs to be created to take over in the pool for the one that closed.
    this.createSocket(pending, function(socket) {
      pending.request.onSocket(socket);
    });
  }
};

function createSecureSocket(options, cb) {
  var self = this;
  TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
    var hostHeader = options.request.getHeader('host');
    var tlsOptions = mergeOptions({}, self.options, {
      socket: socket,
      servername: hostHeader ? hostHeader.replace(/:.*$/, '') : options.host
    });

    // 0 is dummy port for v0.6
    var secureSocket = tls.connect(0, tlsOptions);
    self.sockets[self.sockets.indexOf(socket)] = secureSocket;
    cb(secureSocket);
  });
}


function toOptions(host, port, localAddress) {
  if (typeof host === 'string') { // since v0.10
    return {
      host: host,
      port: port,
      localAddress: localAddress
    };
  }
  return host; // for v0.11 or later
}

function mergeOptions(target) {
  for (var i = 1, len = arguments.length; i < len; ++i) {
    var overrides = arguments[i];
    if (typeof overrides === 'object') {
      var keys = Object.keys(overrides);
      for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
        var k = keys[j];
        if (overrides[k] !== undefined) {
          target[k] = overrides[k];
        }
      }
    }
  }
  return target;
}


var debug;
if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
  debug = function() {
    var args = Array.prototype.slice.call(arguments);
    if (typeof args[0] === 'string') {
      args[0] = 'TUNNEL: ' + args[0];
    } else {
      args.unshift('TUNNEL:');
    }
    console.error.apply(console, args);
  }
} else {
  debug = function() {};
}
__webpack_unused_export__ = debug; // for test


/***/ }),

/***/ 351:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ guardExit)
/* harmony export */ });
/* harmony import */ var _markdown_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(566);

function guardExit(port) {
    let reported = false;
    const report = (why) => {
        if (reported)
            return;
        reported = true;
        port.fail(`The action stopped before it finished: ${why} Any image it knew of is in the outputs; re-run the job, and report this with the log if it happens again.`);
        void port.writeSummary(`### ❌ The action stopped before it finished\n\n${(0,_markdown_js__WEBPACK_IMPORTED_MODULE_0__/* .inert */ .t)(why)}\n`);
    };
    const onBeforeExit = () => report('nothing was left running (an answer that never ended?).');
    const onError = (error) => {
        report(`unexpected error: ${error instanceof Error ? error.message : String(error)}.`);
        process.exitCode = 1;
    };
    process.on('beforeExit', onBeforeExit);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    return {
        dispose: () => {
            process.off('beforeExit', onBeforeExit);
            process.off('uncaughtException', onError);
            process.off('unhandledRejection', onError);
        }
    };
}


/***/ }),

/***/ 555:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  e: () => (/* binding */ run)
});

// UNUSED EXPORTS: imageOutputsFrom

;// CONCATENATED MODULE: ./src/lib/deadline.ts
const MAX_TIMER_MS = 2 ** 31 - 1;
class DeadlineExpired extends Error {
    ms;
    constructor(ms) {
        super(`the deadline of ${ms} ms passed`);
        this.ms = ms;
        this.name = 'DeadlineExpired';
    }
}
function deadline_deadline(ms, parent) {
    const controller = new AbortController();
    let expired = false;
    let timer;
    const stop = () => {
        clearTimeout(timer);
        parent?.removeEventListener('abort', onParentAbort);
    };
    const onParentAbort = () => {
        stop();
        controller.abort(parent?.reason);
    };
    const endsAt = Date.now() + Math.max(0, ms);
    const arm = () => {
        const left = endsAt - Date.now();
        if (left > MAX_TIMER_MS) {
            timer = setTimeout(arm, MAX_TIMER_MS);
            return;
        }
        timer = setTimeout(() => {
            expired = true;
            stop();
            controller.abort(new DeadlineExpired(ms));
        }, left);
    };
    if (parent?.aborted)
        controller.abort(parent.reason);
    else {
        parent?.addEventListener('abort', onParentAbort, { once: true });
        arm();
    }
    return {
        signal: controller.signal,
        get expired() {
            return expired;
        },
        dispose: stop
    };
}

;// CONCATENATED MODULE: ./src/lib/clock.ts

const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve, reject) => {
        const pause = deadline_deadline(ms, signal);
        const end = () => (pause.expired ? resolve() : reject(pause.signal.reason));
        if (pause.signal.aborted)
            return end();
        pause.signal.addEventListener('abort', end, { once: true });
    })
};

;// CONCATENATED MODULE: ./src/steps/timing.ts
const STOP_TIMEOUT_MS = 10 * 60_000;
const CONFIRM_DELAYS_MS = [1_000, 2_000, 4_000];
const CANCEL_LOOKUP_TIMEOUT_MS = 3_000;

// EXTERNAL MODULE: ./src/lib/cancel.ts
var cancel = __nccwpck_require__(321);
;// CONCATENATED MODULE: ./src/model/settings.ts
class InputError extends Error {
    problems;
    constructor(problems) {
        super(problems.length === 1
            ? problems[0]
            : `${problems.length} inputs are invalid:\n${problems.map(p => `- ${p}`).join('\n')}`);
        this.problems = problems;
        this.name = 'InputError';
    }
}
function prunes(settings) {
    return settings.keepLast !== undefined || settings.keepDays !== undefined;
}

;// CONCATENATED MODULE: ./src/lib/duration.ts
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
function parseDuration(text) {
    const value = text.trim().toLowerCase();
    if (/^\d+(?:\.\d+)?$/.test(value))
        return Math.round(Number(value) * 1000);
    if (!DURATION.test(value))
        return undefined;
    let total = 0;
    for (const [, amount, unit] of value.matchAll(PART))
        total += Number(amount) * UNIT_MS[unit];
    return Math.round(total);
}
function formatDuration(ms) {
    const clamped = Math.max(0, Math.round(ms));
    if (clamped < 1000)
        return `${clamped}ms`;
    const seconds = Math.floor(clamped / 1000);
    if (seconds < 60)
        return `${seconds}s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60)
        return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
    return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

;// CONCATENATED MODULE: ./src/ncloud/errors.ts

class NcloudError extends Error {
    fields;
    constructor(fields) {
        super(`${summarize(fields)} ${hintFor(fields)}`);
        this.fields = fields;
        this.name = 'NcloudError';
    }
    get summary() {
        return summarize(this.fields);
    }
    get transient() {
        return this.fields.transient;
    }
    get reached() {
        return this.fields.reached;
    }
    get hint() {
        return hintFor(this.fields);
    }
}
const THROTTLE_CODES = new Set(['400', '410', '420']);
const GATEWAY_TRANSIENT_CODES = new Set(['500', '510', '900']);
const SERVICE_RETRY_LATER = '1000';
const TLS_FAILURE = /CERT|UNABLE_TO_VERIFY|^ERR_TLS_|^ERR_SSL_/;
const TOO_LARGE = 'ERESPONSETOOLARGE';
const NOT_CONNECTED = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH'
]);
function answerError(action, facts, answer, gatewaySetting) {
    const common = { action, gatewaySetting, ...facts };
    const status = facts.httpStatus;
    switch (answer.shape) {
        case 'gateway':
            return new NcloudError({
                ...common,
                source: 'gateway',
                code: answer.code,
                ncpMessage: answer.message,
                details: answer.details,
                ...gatewayNature(answer.code, status)
            });
        case 'service':
            return new NcloudError({
                ...common,
                source: 'service',
                code: answer.code,
                ncpMessage: answer.message,
                requestId: answer.requestId ?? facts.requestId,
                ...serviceNature(answer.code, status)
            });
        case 'redirect':
            return new NcloudError({
                ...common,
                source: 'redirect',
                location: hostOf(answer.location),
                transient: false,
                reached: 'no'
            });
        case 'unreadable':
            return new NcloudError({
                ...common,
                source: 'response',
                details: answer.snippet,
                transient: status === 429 || status >= 500,
                reached: status === 429 ? 'no' : 'maybe'
            });
    }
}
function contentError(action, problem, gatewaySetting, requestId) {
    return new NcloudError({
        action,
        gatewaySetting,
        source: 'response',
        httpStatus: 200,
        details: problem,
        incomplete: true,
        requestId,
        transient: false,
        reached: 'maybe'
    });
}
function networkError(action, error, gatewaySetting) {
    const tls = TLS_FAILURE.test(error.code);
    return new NcloudError({
        action,
        gatewaySetting,
        source: 'network',
        code: error.code,
        details: error.message,
        transient: !tls && error.code !== TOO_LARGE,
        reached: tls || NOT_CONNECTED.has(error.code) || !error.sent ? 'no' : 'maybe'
    });
}
function describeError(error) {
    if (error instanceof NcloudError)
        return error.summary;
    return error instanceof Error ? error.message : String(error);
}
function serviceNature(code, status) {
    if (code === SERVICE_RETRY_LATER)
        return { transient: true, reached: 'maybe' };
    return { transient: false, reached: status >= 500 ? 'maybe' : 'yes' };
}
function gatewayNature(code, status) {
    if (code && THROTTLE_CODES.has(code))
        return { transient: true, reached: 'no' };
    if (code && GATEWAY_TRANSIENT_CODES.has(code))
        return { transient: true, reached: 'maybe' };
    if (status >= 500)
        return { transient: true, reached: 'maybe' };
    if (status === 429)
        return { transient: true, reached: 'no' };
    return { transient: false, reached: 'no' };
}
function hostOf(location) {
    if (!location)
        return undefined;
    try {
        return new URL(location).host;
    }
    catch {
        return location.slice(0, 100);
    }
}
function summarize(f) {
    const parts = [];
    if (f.source === 'network') {
        const what = f.code && TLS_FAILURE.test(f.code) ? 'TLS failed' : 'no answer';
        parts.push(`${what} (${f.code ?? 'connection error'}${f.details ? `: ${f.details}` : ''})`);
    }
    else {
        if (f.httpStatus !== undefined)
            parts.push(`HTTP ${f.httpStatus}`);
        if (f.source === 'redirect')
            parts.push(`a redirect to ${f.location ?? 'no Location'}`);
        if (f.code !== undefined)
            parts.push(`NCP ${f.source === 'gateway' ? 'gateway error' : 'returnCode'} ${f.code}`);
        if (f.ncpMessage)
            parts.push(`"${f.ncpMessage}"`);
        if (f.details)
            parts.push(`(${f.details})`);
        if (f.source === 'response' && !f.incomplete)
            parts.push('the answer is not NCP API JSON');
    }
    if (f.requestId)
        parts.push(`request id ${f.requestId}`);
    return `${f.action} failed: ${parts.join(', ')}.`;
}
function hintFor(f) {
    const gateway = f.gatewaySetting;
    if (f.source === 'network') {
        if (f.code && TLS_FAILURE.test(f.code)) {
            return `The gateway's TLS certificate was not accepted: check ${gateway}; if a proxy re-signs HTTPS, give Node its CA with NODE_EXTRA_CA_CERTS.`;
        }
        return `Check the runner's network and ${gateway}; behind a proxy, set HTTPS_PROXY (and NO_PROXY).`;
    }
    if (f.source === 'redirect') {
        const from = gateway === 'api-url' ? '' : ` (the gateway now comes from ${gateway})`;
        return `The NCP API gateway does not redirect, so the request did not reach it and nothing was done: set api-url to the gateway origin, e.g. https://ncloud.apigw.ntruss.com${from}.`;
    }
    if (f.source === 'service') {
        if (f.code === SERVICE_RETRY_LATER) {
            return 'NCP asked to try again later; re-run the job in a few minutes.';
        }
        if ((f.httpStatus ?? 0) >= 500)
            return "NCP's Server API failed on its side: re-run the job later.";
        return "This is NCP's own answer: its message says which value it did not accept.";
    }
    if (f.source === 'response' && f.pagesDisagree) {
        return "NCP's pages of this list do not add up to its own count, so the list is not trusted. Re-run the job; if it persists, report it to NCP with the request ids in the debug log.";
    }
    if (f.source === 'response' && f.incomplete) {
        return "NCP answered success without the record the action needs; it is looked up again where that is safe. If it persists, check NCP's status.";
    }
    if (f.source === 'response') {
        return `Check that ${gateway} points at the NCP API gateway and that no proxy rewrites the answer.`;
    }
    switch (f.code) {
        case '200': {
            const skew = f.clockSkewMs !== undefined && Math.abs(f.clockSkewMs) > 60_000
                ? ` The gateway's clock differs from the runner's by ${formatDuration(Math.abs(f.clockSkewMs))}.`
                : '';
            return ('Check access-key and secret-key (an active API key pair of this account or sub account), and the ' +
                `runner's clock: NCP refuses requests more than 5 minutes off.${skew}`);
        }
        case '210':
            return 'The key may not call this API: give the sub account a policy that allows server management (for example NCP_SERVER_MANAGER).';
        case '230':
            return "The gateway refused the key: check the sub account's access settings (allowed source IPs, API access).";
        case '300':
            return `The gateway does not know this API: check site, and that ${gateway} is only the gateway origin.`;
        case '400':
            return "The account's API quota is used up: wait for it to reset or ask NCP to raise it.";
        case '410':
        case '420':
            return 'NCP is throttling requests: run fewer jobs against NCP at once, or raise poll-interval.';
        case '430':
            return 'The request is too large: shorten image-description.';
        case '100':
            return `The gateway could not read the request: check ${gateway} and that the inputs are valid UTF-8.`;
        default:
            if ((f.httpStatus ?? 0) >= 500) {
                return "NCP's gateway could not get an answer from the Server API, usually for a short time: re-run the job later.";
            }
            return "See NCP's message; check the inputs it names.";
    }
}

;// CONCATENATED MODULE: ./src/model/next-steps.ts

const NEXT = {
    useOutput: "Later steps read the number from this step's image-instance-no output.",
    fixInputs: 'Fix the inputs named above; no image was created.',
    dryRunDone: 'Set dry-run: false (or remove it) to create the image.',
    dryRunUse: (image) => `Set dry-run: false (or remove it) to use image ${image.no}.`,
    dryRunResume: (image) => `Set dry-run: false (or remove it) to wait for image ${image.no}.`,
    cancelledBeforeCreate: 'Nothing was created; re-run the job when you are ready.',
    notUsableYet: (image) => `Image ${image.no} is not usable until its status is CREAT; to wait for it, run the step with image-instance-no: ${image.no}.`,
    imageGone: (image) => `Image ${image.no} cannot be used. Check in the NCP console (Server > My Server Image) who is deleting it; once it is gone, re-run the step to create a new image.`,
    deleteFailed: 'Delete the failed image (NCP console: Server > My Server Image), check that the server and its disks are healthy, and re-run.',
    resume: (image, names) => `To wait for image ${image.no} again, run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
    raiseTimeout: (image, timeoutMs, names) => `Raise wait-timeout (now ${formatDuration(timeoutMs)}), or wait for the same image: run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
    lookInConsole: (image, names) => `Look image ${image.no} up in the NCP console; to wait for it again, run the step with image-instance-no: ${image.no}${alsoWorks(names)}.`,
    findUncertain: (name, region, names) => {
        const where = `an image named "${name}" in region ${region}`;
        if (names === 'run') {
            return `Re-run the job: it looks for ${where}, or another image this step of this run made, first and uses it instead of creating another.`;
        }
        if (names === 'given') {
            return `Look for ${where} in the NCP console; re-run with if-exists: reuse to use it.`;
        }
        return `Look for ${where} in the NCP console, then run the step with image-instance-no: <its number> (a re-run may use another name and create a second image).`;
    },
    nameTaken: (image, ofThisServer) => ofThisServer
        ? `Choose another image-name, delete that image, set if-exists: reuse to use it, or run the step with image-instance-no: ${image.no}.`
        : 'Choose another image-name, or delete that image (it was made from another server, so it cannot be reused).',
    otherServersImage: 'Choose another image-name.',
    failedExisting: 'Delete it (NCP console: Server > My Server Image) or choose another image-name, then re-run.',
    serverBusy: 'Wait until the server is running (RUN) or stopped (NSTOP) with no operation in progress, then re-run.',
    checkServer: 'Check server-instance-no and region (the server must be a VPC server in that region).',
    checkServerName: 'Check server-name (the exact name, case included) and region.',
    ambiguousServerName: 'Give server-instance-no instead of server-name, or rename the servers so the name is unique.',
    checkImage: 'Check image-instance-no, region and site: the image must be a My Server Image of this account in that region.',
    shareAgain: (image, loginIds) => `Check the login IDs and the key's permission to share, then share only: run the step with image-instance-no: ${image.no} and share-with: ${loginIds.join(',')}.`,
    stopFailed: 'Check the server in the NCP console, or run without stop-server to image it as it is.',
    checkServerState: (no) => `Check server ${no} in the NCP console (Server > Server) and start it if it is stopped.`,
    startServer: (no) => `Start server ${no} now (NCP console: Server > Server > Start), then check why NCP refused the start.`,
    reportBug: 'This is a fault of the action, not of the inputs: re-run the job, and report it with this log if it happens again.'
};
function alsoWorks(names) {
    if (names === 'run')
        return ' (re-running the job also finds it)';
    if (names === 'given')
        return ' (or re-run with if-exists: reuse)';
    return '';
}

;// CONCATENATED MODULE: ./src/ncloud/server-errors.ts
class ServerLookupError extends Error {
    check;
    constructor(message, check) {
        super(message);
        this.check = check;
        this.name = 'ServerLookupError';
    }
}

;// CONCATENATED MODULE: ./src/model/failure.ts





const SERVER_CHECKS = {
    number: NEXT.checkServer,
    name: NEXT.checkServerName,
    'unique-name': NEXT.ambiguousServerName
};
class RunFailure extends Error {
    outcome;
    nextStep;
    image;
    constructor(message, outcome, nextStep, image) {
        super(message);
        this.outcome = outcome;
        this.nextStep = nextStep;
        this.image = image;
        this.name = 'RunFailure';
    }
}
function asRunFailure(error, context = {}) {
    if (error instanceof RunFailure)
        return error;
    if (error instanceof InputError)
        return new RunFailure(error.message, 'error', NEXT.fixInputs);
    if (error instanceof cancel/* CancelledError */.c) {
        const { image } = context;
        if (!image)
            return new RunFailure(error.message, 'cancelled', NEXT.cancelledBeforeCreate);
        const ready = image.status === 'CREAT';
        return new RunFailure(`${error.message} Image ${image.no} ("${image.name}") is ${image.status || 'in no status'}.`, 'cancelled', ready ? NEXT.useOutput : NEXT.resume(image, context.advice ?? 'time'), image);
    }
    if (error instanceof NcloudError)
        return new RunFailure(error.summary, 'error', error.hint);
    if (error instanceof ServerLookupError) {
        return new RunFailure(error.message, 'error', SERVER_CHECKS[error.check]);
    }
    const message = error instanceof Error ? error.message : String(error);
    return new RunFailure(`Unexpected error: ${message}`, 'error', NEXT.reportBug);
}

;// CONCATENATED MODULE: ./src/model/journal.ts
const JOURNAL_VERSION = 1;
class JournalRecorder {
    onChange;
    journal = { version: JOURNAL_VERSION, deleted: [] };
    constructor(onChange = () => undefined) {
        this.onChange = onChange;
    }
    snapshot() {
        return JSON.parse(JSON.stringify(this.journal));
    }
    record(change) {
        change(this.journal);
        this.onChange(this.snapshot());
    }
}
function journalImage(image, kind, origin) {
    return {
        no: image.no,
        name: image.name,
        kind: kind ?? '',
        status: image.status,
        ...(image.statusName === undefined ? {} : { statusName: image.statusName }),
        ...(origin === undefined ? {} : { origin }),
        sharedWith: [...image.sharedWith],
        raw: image.raw
    };
}
function journalDelete(recorder, entry) {
    if (!recorder)
        return () => undefined;
    let index = -1;
    recorder.record(j => {
        j.deletes ??= [];
        index = j.deletes.push({ ...entry }) - 1;
    });
    return answer => recorder.record(j => {
        const sent = j.deletes?.[index];
        if (!sent)
            return;
        sent.answer = answer;
        if (answer === 'accepted' && sent.what === 'image') {
            j.deleted.push({ no: sent.no, name: sent.name ?? '' });
        }
    });
}
function powerOf(journal, now) {
    const stopped = journal.stopped;
    if (!stopped)
        return undefined;
    return {
        stoppedAt: stopped.stoppedAt,
        runningAt: stopped.runningAgainAt,
        startAccepted: stopped.startAccepted,
        downMs: (stopped.runningAgainAt ?? now) - stopped.stoppedAt
    };
}

;// CONCATENATED MODULE: external "node:crypto"
const external_node_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");
;// CONCATENATED MODULE: ./src/model/provenance.ts

const MARK = 'ncloud-server-image-action:';
function workflowRunFrom(env) {
    return {
        serverUrl: env.GITHUB_SERVER_URL?.trim() || undefined,
        repository: env.GITHUB_REPOSITORY?.trim() || undefined,
        sha: env.GITHUB_SHA?.trim() || undefined,
        runId: env.GITHUB_RUN_ID?.trim() || undefined,
        job: env.GITHUB_JOB?.trim() || undefined,
        action: env.GITHUB_ACTION?.trim() || undefined
    };
}
function provenanceDescription(server, run) {
    const parts = [`${MARK} server ${server.no}${server.name ? ` (${server.name})` : ''}`];
    if (run.repository)
        parts.push(`repository ${run.repository}`);
    if (run.sha)
        parts.push(`commit ${run.sha}`);
    if (run.runId) {
        parts.push(`run ${run.serverUrl && run.repository ? `${run.serverUrl}/${run.repository}/actions/runs/` : ''}${run.runId}`, `step ${stepMarker(run.job, run.action, server.no)}`);
    }
    return fitBytes(parts.join('; '), MAX_DESCRIPTION_BYTES);
}
function readProvenance(description) {
    if (!description?.startsWith(MARK))
        return undefined;
    const server = /^ server (\d{1,20})\b/.exec(description.slice(MARK.length))?.[1];
    if (!server)
        return undefined;
    return {
        server,
        runId: /; run (?:\S*\/)?(\d{1,20})(?:;|$)/.exec(description)?.[1],
        step: /; step ([0-9a-f]{6})(?:;|$)/.exec(description)?.[1]
    };
}
function provenanceServer(description) {
    return readProvenance(description)?.server;
}
function madeByThisStep(description, run, serverInstanceNo) {
    const said = readProvenance(description);
    return (said !== undefined &&
        run.runId !== undefined &&
        said.server === serverInstanceNo &&
        said.runId === run.runId &&
        said.step === stepMarker(run.job, run.action, serverInstanceNo));
}
function fitBytes(text, bytes) {
    if (descriptionBytes(text) <= bytes)
        return text;
    const cut = Buffer.from(text, 'utf8')
        .subarray(0, bytes - 3)
        .toString('utf8');
    return `${cut.replace(/\uFFFD+$/, '')}...`;
}
function stepMarker(job, action, serverInstanceNo) {
    return (0,external_node_crypto_namespaceObject.createHash)('sha256')
        .update([job ?? '', action ?? '', serverInstanceNo].join('\n'))
        .digest('hex')
        .slice(0, 6);
}
const MAX_DESCRIPTION_BYTES = 1000;
function descriptionBytes(description) {
    return Buffer.byteLength(description, 'utf8');
}

;// CONCATENATED MODULE: ./src/model/image-name.ts

const MAX_NAME = 30;
function generateImageName(seed) {
    const runId = seed.env.GITHUB_RUN_ID?.trim() ?? '';
    if (nameSourceOf(seed.env) === 'run') {
        const run = BigInt(runId).toString(36).slice(-13);
        const step = stepMarker(seed.env.GITHUB_JOB, seed.env.GITHUB_ACTION, seed.serverInstanceNo);
        return { name: withServer(seed.serverInstanceNo, `-${run}-${step}`), source: 'run' };
    }
    const stamp = seed.now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    return { name: withServer(seed.serverInstanceNo, `-${stamp}`), source: 'time' };
}
function nameSourceOf(env) {
    return /^\d+$/.test(env.GITHUB_RUN_ID?.trim() ?? '') ? 'run' : 'time';
}
function withServer(serverInstanceNo, tail) {
    const server = serverInstanceNo.slice(-(MAX_NAME - 'img-'.length - tail.length));
    return `img-${server}${tail}`;
}
function imageNameMessage(name, problem, rule) {
    return `Input "image-name" "${name}" breaks the ${rule.label} naming rule: ${problem}. The rule: ${rule.text}.`;
}

;// CONCATENATED MODULE: ./src/ncloud/endpoints.ts
const SITES = {
    public: 'https://ncloud.apigw.ntruss.com',
    gov: 'https://ncloud.apigw.gov-ntruss.com',
    fin: 'https://fin-ncloud.apigw.fin-ntruss.com'
};
const SERVER_API_PATH = '/vserver/v2';
const AUTOSCALING_API_PATH = '/vautoscaling/v2';
function isSite(value) {
    return Object.hasOwn(SITES, value);
}
function isLoopbackHost(hostname) {
    const host = hostname.toLowerCase();
    if (host === 'localhost' || host === '[::1]')
        return true;
    const octets = host.split('.');
    return (octets.length === 4 &&
        octets[0] === '127' &&
        octets.every(octet => /^\d{1,3}$/.test(octet) && Number(octet) <= 255));
}
function parseGatewayOrigin(text) {
    let url;
    try {
        url = new URL(text);
    }
    catch {
        return { problem: 'is not a URL' };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return { problem: `uses the scheme "${url.protocol.replace(/:$/, '')}"` };
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
        return {
            problem: 'uses plain http:// for a host that is not loopback, which would send the signed credentials in clear'
        };
    }
    if (url.username || url.password)
        return { problem: 'contains a user name or password' };
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
        return { problem: `has a path, query or fragment ("${url.pathname}${url.search}${url.hash}")` };
    }
    return { origin: url.origin };
}

;// CONCATENATED MODULE: ./src/ncloud/name-rules.ts
const MEMBER_IMAGE_NAME_RULE = {
    label: 'createMemberServerImageInstance (XEN/RHV)',
    text: '3-30 characters: lowercase letters, digits and "-", starting with a lowercase letter and ending with a lowercase letter or digit',
    pattern: /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/,
    middle: /^[a-z0-9-]$/
};
const SERVER_IMAGE_NAME_RULE = {
    label: 'createServerImage (KVM)',
    text: '3-30 characters: letters, digits, "-" and "_", starting with a lowercase letter and ending with a lowercase letter or digit',
    pattern: /^[a-z][A-Za-z0-9_-]{1,28}[a-z0-9]$/,
    middle: /^[A-Za-z0-9_-]$/
};
function nameProblem(name, rule) {
    if (rule.pattern.test(name))
        return undefined;
    const chars = [...name];
    if (chars.length < 3 || chars.length > 30)
        return `it has ${chars.length} characters`;
    if (!/^[a-z]$/.test(chars[0]))
        return `it starts with "${chars[0]}"`;
    if (!/^[a-z0-9]$/.test(chars[chars.length - 1]))
        return `it ends with "${chars[chars.length - 1]}"`;
    const bad = [...new Set(chars.slice(1, -1).filter(c => !rule.middle.test(c)))];
    return `it contains ${bad.map(c => `"${c}"`).join(', ')}`;
}

;// CONCATENATED MODULE: ./src/inputs/checks.ts




const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];
function imageNameProblem(name, hypervisor) {
    if (hypervisor !== 'auto') {
        const rule = hypervisor === 'xen' ? MEMBER_IMAGE_NAME_RULE : SERVER_IMAGE_NAME_RULE;
        const problem = nameProblem(name, rule);
        return problem ? imageNameMessage(name, problem, rule) : undefined;
    }
    const broken = [MEMBER_IMAGE_NAME_RULE, SERVER_IMAGE_NAME_RULE].map(rule => ({
        rule,
        problem: nameProblem(name, rule)
    }));
    if (broken.some(({ problem }) => !problem))
        return undefined;
    return (`Input "image-name" "${name}" breaks the naming rule of both image kinds: ` +
        broken
            .map(({ rule, problem }) => `${rule.label}: ${problem} (the rule: ${rule.text})`)
            .join('; ') +
        '.');
}
function gatewayOrigin(apiUrl, envUrl, site, problems) {
    const [text, originSource, name] = apiUrl
        ? [apiUrl, 'api-url', 'Input "api-url"']
        : envUrl
            ? [
                envUrl,
                'NCLOUD_API_GW',
                'The environment variable NCLOUD_API_GW (used because api-url is empty)'
            ]
            : [SITES[site], 'site', ''];
    const parsed = parseGatewayOrigin(text);
    if ('problem' in parsed) {
        problems.push(`${name} "${withoutUserInfo(text)}" ${parsed.problem}. Give the gateway origin only, as https://host[:port] (http:// only for localhost, 127.x.x.x or [::1]).`);
        return { origin: SITES[site], originSource };
    }
    return { origin: parsed.origin, originSource };
}
function withoutUserInfo(url) {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
const PLACEHOLDERS = {
    date: now => now.toISOString().slice(0, 10).replace(/-/g, ''),
    time: now => now.toISOString().slice(11, 19).replace(/:/g, '')
};
function placeholders(text, name, now, problems) {
    const unknown = [...text.matchAll(/\{([^{}]*)\}/g)]
        .map(match => match[1])
        .filter(key => !Object.hasOwn(PLACEHOLDERS, key));
    if (unknown.length > 0) {
        problems.push(`Input "${name}" has the unknown placeholder ${unknown.map(key => `{${key}}`).join(', ')}: only {date} (UTC YYYYMMDD) and {time} (UTC HHMMSS) are replaced.`);
        return text;
    }
    return text.replace(/\{(date|time)\}/g, (_match, key) => PLACEHOLDERS[key](now));
}
const LOGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._%+@-]{0,99}$/;
function loginIds(text, problems) {
    const entries = text
        .split(/[,\r\n]/)
        .map(entry => entry.trim())
        .filter(Boolean);
    const bad = entries.filter(entry => !LOGIN_ID.test(entry));
    for (const entry of bad) {
        problems.push(`Input "share-with" has the entry "${entry}", which is not an NCP login ID: give login IDs (e-mail addresses or account names) separated by commas or new lines.`);
    }
    return bad.length > 0 ? [] : [...new Set(entries)];
}
const MAX_KEEP = 1000;
const MAX_KEEP_DAYS = 3650;
function pruning(keepText, daysText, pattern, problems) {
    if (!keepText && !daysText && !pattern)
        return {};
    if (!keepText && !daysText) {
        problems.push('Input "prune-match" needs keep-last or keep-days: how many matching images to keep (e.g. 7), or for how many days (e.g. 14).');
        return {};
    }
    const keepLast = keepText
        ? wholeNumber(keepText, 'keep-last', MAX_KEEP, "the images to keep, this run's included", problems)
        : undefined;
    const keepDays = daysText
        ? wholeNumber(daysText, 'keep-days', MAX_KEEP_DAYS, 'the days within which images are kept', problems)
        : undefined;
    const rules = [keepText && 'keep-last', daysText && 'keep-days'].filter(Boolean).join(' and ');
    if (!pattern) {
        problems.push(`Input "prune-match" is required with ${rules}: a name pattern in which * stands for any characters, e.g. nightly-*.`);
    }
    else if (!/^[A-Za-z0-9_*-]{1,30}$/.test(pattern)) {
        problems.push(`Input "prune-match" must be an image name pattern of letters, digits, "-", "_" and "*" (any characters), got "${pattern}".`);
    }
    return { keepLast, keepDays, pruneMatch: pattern };
}
function wholeNumber(text, name, max, what, problems) {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= 1 && value <= max)) {
        problems.push(`Input "${name}" must be a whole number from 1 to ${max} (${what}), got "${text}".`);
    }
    return value;
}
function number(name, what, problems, input) {
    const value = input(name);
    if (value && !/^\d{1,20}$/.test(value)) {
        problems.push(`Input "${name}" must be ${what} (digits only), got "${value}".`);
        return '';
    }
    return value;
}
function oneOf(value, name, allowed, problems) {
    const lower = value.toLowerCase();
    const found = allowed.find(word => word === lower);
    if (found !== undefined)
        return found;
    problems.push(`Input "${name}" must be one of ${allowed.join(', ')}, got "${value}".`);
    return undefined;
}
function bool(value, name, problems) {
    if (TRUE.includes(value))
        return true;
    if (FALSE.includes(value))
        return false;
    problems.push(`Input "${name}" must be true or false, got "${value}".`);
    return undefined;
}
function duration(value, name, minimumMs, problems) {
    const ms = parseDuration(value);
    if (ms === undefined) {
        problems.push(`Input "${name}" must be a duration such as 500ms, 90s, 45m or 1h30m, or a number of seconds, got "${value}".`);
        return undefined;
    }
    if (ms < minimumMs) {
        problems.push(`Input "${name}" must be at least ${formatDuration(minimumMs)}, got "${value}".`);
        return undefined;
    }
    return ms;
}

;// CONCATENATED MODULE: ./src/inputs/read-connection.ts



const MIN_POLL_INTERVAL_MS = 100;
const MIN_REQUEST_TIMEOUT_MS = 100;
function readGateway({ source, input, problems, warnings }) {
    const region = (input('region') || 'KR').toUpperCase();
    if (!/^[A-Z]{2,10}$/.test(region)) {
        problems.push(`Input "region" must be an NCP region code such as KR, SGN or JPN, got "${input('region')}".`);
    }
    const siteText = (input('site') || 'public').toLowerCase();
    const site = isSite(siteText) ? siteText : 'public';
    if (!isSite(siteText)) {
        problems.push(`Input "site" must be one of ${Object.keys(SITES).join(', ')}, got "${input('site')}".`);
    }
    const { origin, originSource } = gatewayOrigin(input('api-url'), source.env.NCLOUD_API_GW?.trim() ?? '', site, problems);
    if (originSource === 'NCLOUD_API_GW' && site !== 'public') {
        warnings.push(`The environment variable NCLOUD_API_GW (${origin}) overrides site: ${site}; requests go to ${origin}. Unset NCLOUD_API_GW, or set api-url, to choose the gateway explicitly.`);
    }
    return { region, origin, originSource };
}
function readTiming({ input, problems }) {
    const waitTimeoutMs = duration(input('wait-timeout') || '60m', 'wait-timeout', 1000, problems);
    const pollIntervalMs = duration(input('poll-interval') || '10s', 'poll-interval', MIN_POLL_INTERVAL_MS, problems);
    const requestTimeoutMs = duration(input('request-timeout') || '30s', 'request-timeout', MIN_REQUEST_TIMEOUT_MS, problems);
    if (waitTimeoutMs !== undefined &&
        pollIntervalMs !== undefined &&
        pollIntervalMs > waitTimeoutMs) {
        problems.push(`Input "poll-interval" (${formatDuration(pollIntervalMs)}) must not be longer than "wait-timeout" (${formatDuration(waitTimeoutMs)}).`);
    }
    return {
        waitTimeoutMs: waitTimeoutMs ?? 0,
        pollIntervalMs: pollIntervalMs ?? 0,
        requestTimeoutMs: requestTimeoutMs ?? 0
    };
}

;// CONCATENATED MODULE: ./src/inputs/read-settings.ts





function readSettings(source) {
    const reading = {
        source,
        input: name => source.getInput(name).trim(),
        problems: [],
        warnings: []
    };
    const credentials = readCredentials(reading);
    const target = readTarget(reading);
    const naming = readNaming(reading, target.imageInstanceNo);
    const gateway = readGateway(reading);
    const lifecycle = readLifecycle(reading);
    const timing = readTiming(reading);
    if (reading.problems.length > 0)
        throw new InputError(reading.problems);
    return Object.freeze({
        ...credentials,
        ...target,
        ...naming,
        ...gateway,
        ...lifecycle,
        ...timing,
        workflow: workflowRunFrom(source.env),
        warnings: reading.warnings
    });
}
function readCredentials({ source, input, problems }) {
    const credential = (name, envName) => {
        const value = input(name) || (source.env[envName] ?? '').trim();
        if (value)
            source.mask(value);
        else
            problems.push(`Input "${name}" is empty and the environment variable ${envName} is not set: pass the key from a secret, e.g. ${name}: \${{ secrets.${envName} }}.`);
        return value;
    };
    const accessKey = credential('access-key', 'NCLOUD_ACCESS_KEY');
    const secretKey = credential('secret-key', 'NCLOUD_SECRET_KEY');
    return { accessKey, secretKey };
}
function readTarget({ input, problems }) {
    const imageInstanceNo = number('image-instance-no', "the image's number", problems, input);
    const serverInstanceNo = number('server-instance-no', "the server's instance number", problems, input);
    const serverName = input('server-name');
    if (serverName && input('server-instance-no')) {
        problems.push('Inputs "server-instance-no" and "server-name" are both given: give one of them, the server\'s number or its exact name.');
    }
    else if (serverName && !/^[^\s,;]{1,255}$/.test(serverName)) {
        problems.push(`Input "server-name" must be a server's exact name (no spaces, commas or semicolons), got "${serverName}".`);
    }
    if (!input('server-instance-no') && !serverName && !input('image-instance-no')) {
        problems.push('Input "server-instance-no" is required: the number of the server to image, e.g. 1234567 (or give server-name, or image-instance-no to wait for an existing image).');
    }
    return { imageInstanceNo, serverInstanceNo, serverName };
}
function readNaming({ source, input, problems, warnings }, imageInstanceNo) {
    const hypervisor = oneOf(input('hypervisor') || 'auto', 'hypervisor', ['auto', 'xen', 'kvm'], problems) ??
        'auto';
    const givenName = placeholders(input('image-name'), 'image-name', source.now, problems);
    const nameSeed = { now: source.now, env: source.env };
    if (givenName && !imageInstanceNo) {
        const problem = imageNameProblem(givenName, hypervisor);
        if (problem)
            problems.push(problem);
    }
    if (imageInstanceNo) {
        for (const name of ['image-name', 'image-description', 'stop-server']) {
            if (source.getInput(name) && !(name === 'stop-server' && /^false$/i.test(input(name)))) {
                warnings.push(`Input "${name}" is not used: image-instance-no resumes an existing image.`);
            }
        }
    }
    const imageDescription = placeholders(source.getInput('image-description'), 'image-description', source.now, problems);
    const bytes = descriptionBytes(imageDescription);
    if (bytes > MAX_DESCRIPTION_BYTES) {
        problems.push(`Input "image-description" has ${bytes} bytes of UTF-8; NCP accepts at most ${MAX_DESCRIPTION_BYTES}.`);
    }
    return {
        hypervisor,
        imageName: givenName,
        nameChanges: /\{(date|time)\}/.test(input('image-name')),
        nameSource: givenName ? 'given' : nameSourceOf(source.env),
        nameSeed,
        imageDescription
    };
}
function readLifecycle({ source, input, problems }) {
    const ifExists = oneOf(input('if-exists') || 'fail', 'if-exists', ['fail', 'reuse'], problems) ?? 'fail';
    const wait = bool(input('wait') || 'true', 'wait', problems);
    const shareWith = loginIds(source.getInput('share-with'), problems);
    const { keepLast, keepDays, pruneMatch } = pruning(input('keep-last'), input('keep-days'), input('prune-match'), problems);
    const stopServer = bool(input('stop-server') || 'false', 'stop-server', problems);
    if (wait === false) {
        if (stopServer) {
            problems.push('Input "stop-server" needs wait: true: the action starts the server again only once the image is made, so it must wait for it.');
        }
        if (shareWith.length > 0) {
            problems.push('Input "share-with" needs wait: true: an image can be shared only once NCP has created it.');
        }
        for (const [name, value] of [
            ['keep-last', keepLast],
            ['keep-days', keepDays]
        ]) {
            if (value !== undefined) {
                problems.push(`Input "${name}" needs wait: true: old images are pruned only once the new one is created.`);
            }
        }
    }
    const dryRun = bool(input('dry-run') || 'false', 'dry-run', problems);
    return {
        ifExists,
        wait: wait ?? true,
        shareWith,
        keepLast,
        keepDays,
        pruneMatch,
        stopServer: stopServer ?? false,
        dryRun: dryRun ?? false
    };
}

;// CONCATENATED MODULE: ./src/github/outputs.ts
const MAX_IMAGE_OUTPUT = 64 * 1024;
const MAX_FIELD_OUTPUT = 2 * 1024;
function imageOutputs(image) {
    return [
        ['image-instance-no', image.no],
        ['image-name', image.name],
        ['image-status', image.status],
        ['image', imageJson(image.raw)],
        ['shared-with', image.sharedWith.join(',')]
    ];
}
function writeImageOutputs(port, image) {
    for (const [name, value] of imageOutputs(image))
        port.setOutput(name, value);
}
function writeOutputs(port, result) {
    port.setOutput('outcome', result.outcome);
    if (result.server?.hypervisor)
        port.setOutput('hypervisor', result.server.hypervisor);
    if (result.image && !result.dryRun)
        writeImageOutputs(port, result.image);
    if (result.power?.downMs !== undefined) {
        port.setOutput('server-stopped-for', String(Math.round(result.power.downMs / 1000)));
    }
    if (result.pruning && 'deleted' in result.pruning) {
        port.setOutput('pruned', result.pruning.deleted.map(image => image.no).join(','));
    }
}
function imageJson(raw) {
    const whole = JSON.stringify(raw);
    if (whole.length <= MAX_IMAGE_OUTPUT)
        return whole;
    const kept = {};
    const dropped = [];
    for (const [key, value] of Object.entries(raw)) {
        if ((JSON.stringify(value) ?? '').length <= MAX_FIELD_OUTPUT)
            kept[key] = value;
        else
            dropped.push(key);
    }
    const reduced = JSON.stringify({ ...kept, droppedOversizedFields: dropped });
    return reduced.length <= MAX_IMAGE_OUTPUT
        ? reduced
        : JSON.stringify({ droppedOversizedFields: Object.keys(raw) });
}

;// CONCATENATED MODULE: ./src/lib/retry.ts
const DEFAULT_RETRY = Object.freeze({
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 15_000,
    maxRetryAfterMs: 60_000
});
function backoffDelay(failedAttempts, policy, random, retryAfterMs) {
    if (retryAfterMs !== undefined)
        return Math.min(retryAfterMs, policy.maxRetryAfterMs);
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
    return Math.floor(random() * ceiling);
}
async function retrying(operation, options) {
    const { policy, clock, signal } = options;
    for (let attempt = 1;; attempt++) {
        let error;
        try {
            return await operation(attempt);
        }
        catch (caught) {
            error = caught;
        }
        signal?.throwIfAborted();
        const next = await options.decide(error, attempt);
        if (next.verdict === 'settled')
            return next.value;
        if (next.verdict === 'stop' || attempt >= policy.maxAttempts)
            throw error;
        const delay = backoffDelay(attempt, policy, options.random ?? Math.random, next.retryAfterMs);
        if (options.deadline !== undefined && clock.now() + delay >= options.deadline)
            throw error;
        options.log(`${options.label}: attempt ${attempt} of ${policy.maxAttempts} failed: ${options.describe(error)} ${next.why} in ${delay} ms.`);
        await clock.sleep(delay, signal);
    }
}

;// CONCATENATED MODULE: ./src/ncloud/image-record.ts
const MAX_FIELD = 300;
function toImageRecord(kind, raw) {
    const { fields } = kind;
    const status = raw[fields.status];
    return {
        no: image_record_text(raw[fields.number]),
        name: image_record_text(raw[fields.name]),
        status: typeof status?.code === 'string' ? status.code.slice(0, MAX_FIELD) : '',
        statusName: typeof raw[fields.statusName] === 'string' ? image_record_text(raw[fields.statusName]) : undefined,
        sourceServerNo: fields.sourceServer && raw[fields.sourceServer] !== undefined
            ? image_record_text(raw[fields.sourceServer])
            : undefined,
        description: typeof raw[fields.description] === 'string'
            ? raw[fields.description].slice(0, 1000)
            : undefined,
        createdAt: dateOf(raw[fields.createDate]),
        sharedWith: Array.isArray(raw[fields.sharedLoginIds])
            ? raw[fields.sharedLoginIds].map(image_record_text).filter(Boolean).slice(0, 100)
            : [],
        ...(kind.actions.deleteSnapshots ? { snapshots: snapshotsOf(raw) } : {}),
        raw
    };
}
function snapshotsOf(raw) {
    const list = raw.blockStorageMappingList;
    if (!Array.isArray(list))
        return [];
    const nos = list
        .map(entry => typeof entry === 'object' && entry !== null
        ? image_record_text(entry.blockStorageSnapshotInstanceNo)
        : '')
        .filter(no => /^\d{1,20}$/.test(no));
    return [...new Set(nos)].slice(0, 100);
}
function dateOf(value) {
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isNaN(at) ? undefined : at;
}
function image_record_text(value) {
    return typeof value === 'string' || typeof value === 'number'
        ? String(value).slice(0, MAX_FIELD)
        : '';
}

;// CONCATENATED MODULE: ./src/ncloud/image-status.ts
const IMAGE_STATUSES = Object.freeze({
    pending: 'INIT',
    created: 'CREAT',
    failed: 'CREFL',
    goingAway: Object.freeze({
        codes: Object.freeze(['TERMT']),
        words: Object.freeze(['delet', 'terminat', 'remov', 'destroy'])
    })
});
function imageState(kind, status, statusName) {
    const { pending, created, failed, goingAway } = kind.statuses;
    if (saysGoingAway(goingAway, status, statusName))
        return 'going-away';
    if (status === created)
        return 'created';
    if (status === failed)
        return 'failed';
    if (status === pending)
        return 'pending';
    return 'unknown';
}
function saysGoingAway({ codes, words }, status, statusName = '') {
    if (codes.includes(status.toUpperCase()))
        return true;
    const said = `${status} ${statusName}`.toLowerCase().split(/[^a-z]+/);
    return said.some(word => words.some(start => word.startsWith(start)));
}

;// CONCATENATED MODULE: ./src/ncloud/unconfirmed-delete.ts
function answeredNoRows(result) {
    return result.totalRows !== undefined && Number(result.totalRows) === 0;
}
class UnconfirmedDeleteError extends Error {
    action;
    imageNo;
    constructor(action, imageNo) {
        super(`${action} answered with no image (totalRows 0)`);
        this.action = action;
        this.imageNo = imageNo;
        this.name = 'UnconfirmedDeleteError';
    }
}

;// CONCATENATED MODULE: ./src/ncloud/images.ts






const MEMBER_IMAGE = Object.freeze({
    label: 'member server image (XEN/RHV)',
    hypervisors: ['XEN', 'RHV'],
    onRequest: [],
    nameRule: MEMBER_IMAGE_NAME_RULE,
    actions: {
        create: 'createMemberServerImageInstance',
        detail: 'getMemberServerImageInstanceDetail',
        list: 'getMemberServerImageInstanceList',
        share: 'addMemberServerImageSharingPermission',
        delete: 'deleteMemberServerImageInstances'
    },
    params: {
        name: 'memberServerImageName',
        description: 'memberServerImageDescription',
        number: 'memberServerImageInstanceNo',
        numberList: 'memberServerImageInstanceNoList'
    },
    listFilter: {},
    listKey: 'memberServerImageInstanceList',
    fields: {
        number: 'memberServerImageInstanceNo',
        name: 'memberServerImageName',
        status: 'memberServerImageInstanceStatus',
        statusName: 'memberServerImageInstanceStatusName',
        description: 'memberServerImageDescription',
        createDate: 'createDate',
        sharedLoginIds: 'sharedLoginIdList',
        sourceServer: 'originalServerInstanceNo'
    },
    statuses: IMAGE_STATUSES
});
const SERVER_IMAGE = Object.freeze({
    label: 'server image (KVM)',
    hypervisors: ['KVM'],
    onRequest: ['XEN', 'RHV'],
    nameRule: SERVER_IMAGE_NAME_RULE,
    actions: {
        create: 'createServerImage',
        detail: 'getServerImageDetail',
        list: 'getServerImageList',
        share: 'addServerImageSharingPermission',
        delete: 'deleteServerImage',
        deleteSnapshots: 'deleteBlockStorageSnapshotInstances'
    },
    params: {
        name: 'serverImageName',
        description: 'serverImageDescription',
        number: 'serverImageNo',
        numberList: 'serverImageNoList'
    },
    listFilter: { 'serverImageTypeCodeList.1': 'SELF' },
    listKey: 'serverImageList',
    fields: {
        number: 'serverImageNo',
        name: 'serverImageName',
        status: 'serverImageStatus',
        statusName: 'serverImageStatusName',
        description: 'serverImageDescription',
        createDate: 'createDate',
        sharedLoginIds: 'sharedLoginIdList'
    },
    statuses: IMAGE_STATUSES
});
const IMAGE_KINDS = [MEMBER_IMAGE, SERVER_IMAGE];
class ImageNotFoundError extends Error {
    kind;
    imageNo;
    constructor(kind, imageNo) {
        super(`NCP returned no ${kind.label} with number ${imageNo} (${kind.actions.detail}); it may have been deleted.`);
        this.kind = kind;
        this.imageNo = imageNo;
        this.name = 'ImageNotFoundError';
    }
}
class ImageApi {
    client;
    kind;
    constructor(client, kind) {
        this.client = client;
        this.kind = kind;
    }
    async create(request) {
        const { params, actions } = this.kind;
        const body = { serverInstanceNo: request.serverInstanceNo, [params.name]: request.name };
        if (request.description)
            body[params.description] = request.description;
        const images = this.records(actions.create, await this.client.sendOnce(actions.create, body));
        if (images.length === 0) {
            throw this.contentError(actions.create, `the success answer holds no image; one named "${request.name}" may exist`);
        }
        return images[0];
    }
    async get(imageNo, deadline) {
        const { detail } = this.kind.actions;
        const result = await this.client.read(detail, { [this.kind.params.number]: imageNo }, deadline);
        const image = this.records(detail, result).find(record => record.no === imageNo);
        if (!image)
            throw new ImageNotFoundError(this.kind, imageNo);
        return image;
    }
    async findAllByName(name, endBy) {
        const images = await this.listAll({ [this.kind.params.name]: name }, endBy);
        return images.filter(record => record.name === name);
    }
    async listAll(filter = {}, endBy) {
        const { actions, listFilter, listKey, fields } = this.kind;
        const rows = await this.client.readAllPages(actions.list, { ...listFilter, ...filter }, listKey, fields.number, endBy);
        return this.fromRows(rows);
    }
    fromRows(rows) {
        return rows
            .filter(item => typeof item === 'object' && item !== null)
            .map(item => toImageRecord(this.kind, item));
    }
    async share(imageNo, loginIds) {
        const params = { [this.kind.params.number]: imageNo };
        loginIds.forEach((id, index) => (params[`targetLoginIdList.${index + 1}`] = id));
        await this.client.repeatable(this.kind.actions.share, params);
    }
    async delete(imageNo) {
        const { delete: action } = this.kind.actions;
        const result = await this.client.sendOnce(action, {
            [`${this.kind.params.numberList}.1`]: imageNo
        });
        if (answeredNoRows(result))
            throw new UnconfirmedDeleteError(action, imageNo);
        return Array.isArray(result[this.kind.listKey]) ? this.records(action, result) : [];
    }
    async deleteSnapshot(snapshotNo) {
        const action = this.kind.actions.deleteSnapshots;
        if (!action)
            throw new Error(`${this.kind.label} keeps no snapshots`);
        await this.client.sendOnce(action, { 'blockStorageSnapshotInstanceNoList.1': snapshotNo });
    }
    get ncloud() {
        return this.client;
    }
    records(action, result) {
        const list = result[this.kind.listKey];
        if (!Array.isArray(list)) {
            throw this.contentError(action, `the success answer has no ${this.kind.listKey}`);
        }
        return list
            .filter(item => typeof item === 'object' && item !== null)
            .map(item => toImageRecord(this.kind, item));
    }
    contentError(action, problem) {
        return contentError(action, problem, this.client.gatewaySetting);
    }
}

;// CONCATENATED MODULE: ./src/model/source-server.ts

function sourceServerOf(image) {
    return image.sourceServerNo ?? provenanceServer(image.description);
}
function madeFrom(image, request) {
    const source = sourceServerOf(image);
    if (source === undefined)
        return 'unknown';
    return source === request.serverInstanceNo ? 'yes' : 'no';
}

;// CONCATENATED MODULE: ./src/model/prune-plan.ts


const DAY_MS = 24 * 60 * 60 * 1000;
function matchesPattern(name, pattern) {
    const regex = pattern
        .split('*')
        .map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${regex}$`).test(name);
}
function planFromReads(kind, images, inUse, current, rule, now) {
    const blocked = [images, inUse].flatMap(read => (read.ok ? [] : [read.problem]));
    if (!images.ok || !inUse.ok) {
        return {
            keep: current ? [current] : [],
            remove: [],
            leave: [],
            blocked: blocked.filter(Boolean).join(' '),
            rules: rulesOf(rule)
        };
    }
    return planPrune(kind, images.value, current, rule, { inUse: inUse.value, now });
}
function planPrune(kind, images, current, rule, facts = { inUse: new Map() }) {
    const plan = {
        keep: current ? [current] : [],
        remove: [],
        leave: [],
        rules: rulesOf(rule)
    };
    const created = [];
    for (const image of images) {
        if (image.no === current?.no || !matchesPattern(image.name, rule.pattern))
            continue;
        const source = madeFrom(image, { serverInstanceNo: rule.serverInstanceNo });
        if (source === 'no')
            continue;
        const state = imageState(kind, image.status, image.statusName);
        const others = image.sharedWith.filter(id => !rule.shareWith.includes(id));
        const uses = facts.inUse.get(image.no);
        if (uses && uses.length > 0)
            plan.leave.push({ image, why: uses.join('; ') });
        else if (source === 'unknown')
            plan.leave.push({ image, why: 'its source server cannot be verified' });
        else if (others.length > 0) {
            plan.leave.push({ image, why: `it is shared with ${others.join(', ')}` });
        }
        else if (state === 'failed')
            plan.remove.push(image);
        else if (state === 'created')
            created.push(image);
        else
            plan.leave.push({ image, why: `its status is ${image.status || 'not reported'}` });
    }
    created.sort(newestFirst);
    const room = rule.keepLast === undefined
        ? 0
        : Math.max(0, rule.keepLast - (rule.countsCurrent === false ? 0 : 1));
    const youngest = youngestAge(rule, facts);
    created.forEach((image, index) => {
        if (index < room)
            plan.keep.push(image);
        else if (youngest === undefined)
            plan.remove.push(image);
        else if (image.createdAt === undefined) {
            plan.leave.push({ image, why: 'its creation date is not known, so keep-days cannot age it' });
        }
        else if (image.createdAt >= youngest)
            plan.keep.push(image);
        else
            plan.remove.push(image);
    });
    return plan;
}
function rulesOf(rule) {
    return [
        rule.keepLast === undefined ? '' : 'keep-last',
        rule.keepDays === undefined ? '' : 'keep-days'
    ].filter(Boolean);
}
function youngestAge(rule, facts) {
    if (rule.keepDays === undefined)
        return undefined;
    if (facts.now === undefined)
        throw new Error('keep-days needs the time now');
    return facts.now - rule.keepDays * DAY_MS;
}
function newestFirst(a, b) {
    return (b.createdAt ?? 0) - (a.createdAt ?? 0) || Number(b.no) - Number(a.no);
}
function describeImage(image) {
    const snapshots = image.snapshots ?? [];
    const behind = snapshots.length > 0
        ? ` with snapshot${snapshots.length === 1 ? '' : 's'} ${snapshots.join(', ')}`
        : '';
    return `${image.no} ("${image.name}")${behind}`;
}
function describePrune(plan, dryRun, imageToCome) {
    const list = (images) => images.map(image => `${image.no} ("${image.name}")`).join(', ');
    const keep = [imageToCome ? 'the image this run would create' : '', list(plan.keep)]
        .filter(Boolean)
        .join(', and ');
    const lines = [
        `${dryRun ? 'Dry run: would keep' : 'Keeping'} ${keep || 'none'}.`,
        `${dryRun ? 'Dry run: would delete' : 'Deleting'} ${plan.remove.map(describeImage).join(', ') || 'none'}.`
    ];
    for (const { image, why } of plan.leave) {
        lines.push(`Leaving image ${image.no} ("${image.name}"): ${why}.`);
    }
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/ncloud/incomplete-list.ts

class IncompleteListError extends NcloudError {
    rows;
    constructor(action, problem, gatewaySetting, rows) {
        super({
            action,
            gatewaySetting,
            source: 'response',
            httpStatus: 200,
            details: `the list is incomplete: ${problem}`,
            incomplete: true,
            pagesDisagree: true,
            transient: false,
            reached: 'maybe'
        });
        this.rows = rows;
        this.name = 'IncompleteListError';
    }
}

;// CONCATENATED MODULE: ./src/ncloud/in-use.ts


const IMAGE_FIELDS = ['memberServerImageInstanceNo', 'serverImageNo'];
async function readImagesInUse(client) {
    const inUse = new Map();
    const add = (no, why) => {
        inUse.set(no, [...(inUse.get(no) ?? []), why]);
    };
    let configs;
    try {
        configs = await client
            .forApi(AUTOSCALING_API_PATH)
            .readAllPages('getLaunchConfigurationList', {}, 'launchConfigurationList', 'launchConfigurationNo');
    }
    catch (error) {
        return failed('The Auto Scaling launch configurations', 'vautoscaling/v2', 'getLaunchConfigurationList', error);
    }
    for (const config of records(configs)) {
        const name = in_use_text(config.launchConfigurationName);
        const no = in_use_text(config.launchConfigurationNo);
        for (const image of imagesNamedBy(config)) {
            add(image, `used by launch configuration ${name ? `${name} (${no})` : no}`);
        }
    }
    let servers;
    try {
        servers = await client.readAllPages('getServerInstanceList', {}, 'serverInstanceList', 'serverInstanceNo');
    }
    catch (error) {
        return failed('The servers', 'vserver/v2', 'getServerInstanceList', error);
    }
    for (const server of records(servers)) {
        if (server.serverInstanceStatus?.code === 'TERMT')
            continue;
        for (const image of imagesNamedBy(server)) {
            add(image, `server ${in_use_text(server.serverInstanceNo)} was created from it`);
        }
    }
    return { ok: true, value: inUse };
}
function failed(what, api, action, error) {
    const refused = error instanceof NcloudError && error.fields.code === '210';
    return {
        ok: false,
        problem: `${what} could not be read: ${describeError(error)} Without them no image is known to be unused. ` +
            `Pruning needs a key that may call ${api} ${action}${refused ? ' (the sub account policy does not allow it)' : ''}.`
    };
}
function imagesNamedBy(row) {
    const nos = IMAGE_FIELDS.map(field => in_use_text(row[field])).filter(Boolean);
    return [...new Set(nos)];
}
function records(rows) {
    return rows.filter((row) => typeof row === 'object' && row !== null);
}
function in_use_text(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 300) : '';
}

;// CONCATENATED MODULE: ./src/steps/prune.ts






async function readAndPlan(api, current, rule, options) {
    let images;
    try {
        images = { ok: true, value: await api.listAll() };
    }
    catch (error) {
        const what = error instanceof IncompleteListError ? 'did not add up' : 'could not be read';
        images = { ok: false, problem: `The images ${what} (${describeError(error)})` };
    }
    const now = options.now();
    const planWith = (inUse) => planFromReads(api.kind, images, inUse, current, rule, now);
    let plan = planWith({ ok: true, value: new Map() });
    if (plan.remove.length > 0)
        plan = planWith(await readImagesInUse(api.ncloud));
    else if (plan.blocked === undefined) {
        options.log.info('Pruning: nothing is to be deleted, so what uses the images (launch configurations, servers) is not read.');
    }
    if (plan.blocked !== undefined) {
        options.log.warning(`Pruning: nothing is deleted. ${plan.blocked}`);
    }
    else {
        options.log.info(describePrune(plan, options.dryRun, current === undefined));
    }
    return plan;
}
async function prune(api, plan, log, signal, record) {
    const result = {
        ...plan,
        deleted: [],
        failed: [],
        snapshotsDeleted: {},
        snapshotsLeft: []
    };
    for (const image of plan.remove) {
        let answered;
        const answer = sent(record, { what: 'image', no: image.no, name: image.name });
        try {
            answered = await api.delete(image.no);
            answer('accepted');
        }
        catch (error) {
            signal?.throwIfAborted();
            if (error instanceof UnconfirmedDeleteError) {
                answer('unconfirmed');
                result.failed.push({ image, why: error.message, unconfirmed: true });
                log.warning(unconfirmedDelete(image, api.kind.actions.deleteSnapshots !== undefined));
                continue;
            }
            if (refused(error))
                answer('refused');
            const why = describeError(error);
            result.failed.push({ image, why });
            log.warning(`Could not delete image ${image.no} ("${image.name}"): ${why} It is left as it is.`);
            continue;
        }
        result.deleted.push(image);
        log.info(`Deleted image ${image.no} ("${image.name}", ${image.status}).`);
        if (api.kind.actions.deleteSnapshots) {
            await deleteSnapshots(api, image, answered, result, log, signal, record);
        }
    }
    return result;
}
async function deleteSnapshots(api, image, answered, result, log, signal, record) {
    const fromAnswer = answered.find(record => record.no === image.no)?.snapshots ?? [];
    const nos = [...new Set([...fromAnswer, ...(image.snapshots ?? [])])];
    const deleted = [];
    for (const no of nos) {
        const answer = sent(record, { what: 'snapshot', no, imageNo: image.no });
        try {
            await api.deleteSnapshot(no);
            answer('accepted');
            deleted.push(no);
        }
        catch (error) {
            signal?.throwIfAborted();
            if (refused(error))
                answer('refused');
            const why = describeError(error);
            result.snapshotsLeft.push({ imageNo: image.no, no, why });
            log.warning(`Could not delete snapshot ${no} of deleted image ${image.no} ("${image.name}"): ${why} It is still billed: delete it in the console or with deleteBlockStorageSnapshotInstances.`);
        }
    }
    result.snapshotsDeleted[image.no] = deleted;
    if (deleted.length > 0) {
        log.info(`Deleted the snapshot${deleted.length === 1 ? '' : 's'} behind image ${image.no}: ${deleted.join(', ')}.`);
    }
}
function unconfirmedDelete(image, keepsSnapshots) {
    const snapshots = keepsSnapshots ? ' Its snapshots are left as they are.' : '';
    return `NCP answered the delete of image ${image.no} ("${image.name}") with no image: it may not have been deleted; check the console.${snapshots}`;
}
function sent(record, entry) {
    return journalDelete(record?.journal, { ...entry, sentAt: record?.clock.now() ?? 0 });
}
function refused(error) {
    return !(error instanceof NcloudError) || error.reached !== 'maybe';
}

;// CONCATENATED MODULE: ./src/steps/share.ts



async function shareImage(api, image, loginIds, log, signal) {
    const label = `image ${image.no} ("${image.name}")`;
    try {
        await api.share(image.no, loginIds);
    }
    catch (error) {
        signal?.throwIfAborted();
        throw new RunFailure(`Image ${image.no} ("${image.name}") is created, but sharing it with ${loginIds.join(', ')} failed: ${describeError(error)}`, 'share-failed', NEXT.shareAgain(image, loginIds), image);
    }
    let after;
    try {
        after = await api.get(image.no);
    }
    catch (error) {
        signal?.throwIfAborted();
        log.warning(`Shared ${label} with ${loginIds.join(', ')}, but could not read back whom NCP lists: ${describeError(error)}`);
        return { ...image, sharedWith: [...new Set([...image.sharedWith, ...loginIds])] };
    }
    const missing = loginIds.filter(id => !after.sharedWith.includes(id));
    if (missing.length > 0) {
        log.warning(`NCP accepted sharing ${label} with ${missing.join(', ')}, but does not list ${missing.length === 1 ? 'it' : 'them'} among the accounts it is shared with yet.`);
    }
    log.info(`Shared ${label} with ${loginIds.join(', ')}; NCP lists: ${after.sharedWith.join(', ') || 'none'}.`);
    return after;
}

;// CONCATENATED MODULE: ./src/steps/after-created.ts






async function afterReady(api, ending, image, options) {
    if (!['created', 'reused', 'resumed'].includes(ending.outcome) || !image)
        return undefined;
    const { settings, log } = options;
    let current = image;
    if (settings.shareWith.length > 0) {
        current = await shareImage(api, image, settings.shareWith, log, options.signal);
        options.onImage?.(current);
    }
    if (!prunes(settings) || settings.pruneMatch === undefined)
        return undefined;
    const plan = await planPruning(api, current, options);
    if (!plan)
        return undefined;
    const record = options.journal && { journal: options.journal, clock: options.clock };
    return prune(api, plan, log, options.signal, record);
}
async function dryRunAfterCreation(api, image, options) {
    const { settings } = options;
    if (settings.shareWith.length > 0) {
        options.log.info(`Dry run: would share the image with ${settings.shareWith.join(', ')} once it is created.`);
    }
    if (!prunes(settings))
        return undefined;
    const current = image && imageState(api.kind, image.status, image.statusName) === 'created' ? image : undefined;
    return planPruning(api, current, options);
}
async function planPruning(api, current, options) {
    const { log, settings } = options;
    const pattern = settings.pruneMatch;
    const serverInstanceNo = options.serverNo ?? (current && sourceServerOf(current));
    if (!serverInstanceNo) {
        log.warning('Pruning: nothing is pruned, since the source server of the image is not known; give server-instance-no.');
        return undefined;
    }
    const name = current?.name ?? options.imageName;
    const countsCurrent = matchesPattern(name ?? '', pattern);
    if (!countsCurrent && settings.keepLast !== undefined) {
        log.warning(`keep-last: this run's image "${name}" does not match prune-match "${pattern}", so it is not counted among the ${settings.keepLast} kept.`);
    }
    const rule = {
        keepLast: settings.keepLast,
        keepDays: settings.keepDays,
        pattern,
        serverInstanceNo,
        shareWith: settings.shareWith,
        countsCurrent
    };
    return readAndPlan(api, current, rule, {
        log,
        now: () => options.clock.now(),
        dryRun: settings.dryRun
    });
}

;// CONCATENATED MODULE: ./src/steps/run-state.ts
const OUTCOME_OF = {
    created: 'created',
    adopted: 'created',
    reused: 'reused',
    resumed: 'resumed'
};

;// CONCATENATED MODULE: ./src/steps/wait.ts

const DOUBTFUL_REPEATS = 3;
async function waitForImage(read, initial, options) {
    const { clock, signal, intervalMs, timeoutMs, log } = options;
    const heartbeatMs = options.heartbeatMs ?? 60_000;
    const start = clock.now();
    const deadline = start + timeoutMs;
    let image = initial;
    let lastReadAt = start;
    let lastError;
    let doubtful = 0;
    let lastStatus;
    let lastLine = -Infinity;
    const report = (force) => {
        const now = clock.now();
        if (!force && now - lastLine < heartbeatMs)
            return;
        lastLine = now;
        log.info(`Image ${image.no} (${image.name}): ${describeStatus(image, options.stateOf(image))}, ${formatDuration(now - start)} elapsed, ${formatDuration(deadline - now)} left.`);
    };
    for (;;) {
        const state = options.stateOf(image);
        if (image.status !== lastStatus && state === 'unknown') {
            log.warning(`Image ${image.no} reports ${describeStatus(image, state)}; the action goes on waiting for CREAT or CREFL.`);
        }
        report(image.status !== lastStatus);
        lastStatus = image.status;
        if (state === 'created' || state === 'failed' || state === 'going-away')
            return { state, image };
        const now = clock.now();
        if (now >= deadline)
            return { state: 'timed-out', image, lastReadAt, lastError };
        const nextSlot = start + (Math.floor((now - start) / intervalMs) + 1) * intervalMs;
        const pollAt = Math.min(nextSlot, deadline);
        while (clock.now() < pollAt) {
            await clock.sleep(Math.min(pollAt, lastLine + heartbeatMs) - clock.now(), signal);
            if (clock.now() < pollAt)
                report(false);
        }
        try {
            image = await read(deadline);
            lastReadAt = clock.now();
            lastError = undefined;
            doubtful = 0;
        }
        catch (error) {
            signal?.throwIfAborted();
            const kind = options.classify(error);
            if (kind === 'fatal')
                throw error;
            if (kind === 'doubtful' && ++doubtful >= DOUBTFUL_REPEATS)
                throw error;
            lastError = error;
            const repeat = kind === 'doubtful' ? ` (${doubtful} of ${DOUBTFUL_REPEATS} such answers)` : '';
            log.warning(`Could not read image ${image.no} this time${repeat}: ${error instanceof Error ? error.message : String(error)} Still waiting.`);
        }
    }
}
function describeStatus(image, state) {
    const code = image.status || 'no status code';
    const shown = image.statusName ? `${code} (${image.statusName})` : code;
    return state === 'unknown' ? `status ${shown}, which this action does not know` : shown;
}

;// CONCATENATED MODULE: ./src/steps/image-wait.ts








async function finish(api, { image: first, origin }, options) {
    let image = first;
    const state = stateOf(api, image);
    if (options.wait && (state === 'pending' || state === 'unknown')) {
        image = await waitFor(api, image, options);
    }
    const label = `image ${image.no} ("${image.name}")`;
    const finalState = stateOf(api, image);
    if (finalState === 'created') {
        options.log.info(`Image ${image.no} ("${image.name}") is created.`);
        return { outcome: OUTCOME_OF[origin], nextStep: NEXT.useOutput };
    }
    if (finalState === 'failed') {
        throw new RunFailure(`NCP could not create ${label}: status CREFL${image.statusName ? ` (${image.statusName})` : ''}.`, 'failed', NEXT.deleteFailed, image);
    }
    if (finalState === 'going-away') {
        throw new RunFailure(`NCP reports ${label} in status ${describeStatus(image, finalState)}: it is being deleted or is gone, so it will never be created.`, 'gone', NEXT.imageGone(image), image);
    }
    options.log.info(`Image ${image.no} ("${image.name}") is ${describeStatus(image, finalState)}; wait is false, so the step ends here.`);
    return { outcome: 'creating', nextStep: NEXT.notUsableYet(image) };
}
async function waitFor(api, image, options) {
    const { advice, log, clock } = options;
    options.onWaitStart?.(clock.now() + options.waitTimeoutMs);
    const label = `image ${image.no} ("${image.name}")`;
    log.info(`Waiting up to ${formatDuration(options.waitTimeoutMs)} for ${label}, checking every ${formatDuration(options.pollIntervalMs)}.`);
    const started = clock.now();
    let latest = image;
    const read = async (deadline) => (latest = await api.get(image.no, deadline));
    let result;
    try {
        result = await waitForImage(read, image, {
            timeoutMs: options.waitTimeoutMs,
            intervalMs: options.pollIntervalMs,
            clock,
            signal: options.signal,
            log,
            stateOf: polled => stateOf(api, polled),
            classify: pollFailure
        });
    }
    catch (error) {
        if (error instanceof cancel/* CancelledError */.c) {
            throw new RunFailure(`${error.message} Stopped waiting for ${label}, ${stateOf(api, latest) === 'pending' ? 'which NCP is still creating' : `last read in ${describeStatus(latest, stateOf(api, latest))}`}.`, 'cancelled', NEXT.resume(latest, advice), latest);
        }
        throw new RunFailure(`Stopped waiting for ${label}: ${describeError(error)}`, 'wait-failed', `${error instanceof NcloudError ? `${error.hint} ` : ''}${NEXT.lookInConsole(image, advice)}`, image);
    }
    options.onImage(result.image);
    if (result.state !== 'timed-out')
        return result.image;
    const waited = formatDuration(clock.now() - started);
    const last = result.image;
    const lastState = stateOf(api, last);
    const pending = lastState === 'pending';
    const status = pending
        ? `still being created (status ${last.status})`
        : `in ${describeStatus(last, lastState)}`;
    const sinceRead = clock.now() - result.lastReadAt;
    const stale = result.lastError !== undefined && sinceRead >= options.pollIntervalMs;
    const what = stale
        ? `was ${status} when last read, ${formatDuration(sinceRead)} before the wait ended${result.lastReadAt === started ? ' (by the answer that found or created it)' : ''}; no poll since could read it (last: ${describeError(result.lastError)}). The action stopped waiting after ${waited}`
        : `is ${status}${pending ? '' : ','} after waiting ${waited}`;
    throw new RunFailure(`Image ${last.no} ("${last.name}") ${what}; ${pending ? 'NCP goes on creating it' : 'whether NCP is still creating it is not known'}.`, 'timed-out', NEXT.raiseTimeout(last, options.waitTimeoutMs, advice), last);
}
function stateOf(api, image) {
    return imageState(api.kind, image.status, image.statusName);
}
function pollFailure(error) {
    if (error instanceof NcloudError) {
        if (error.transient)
            return 'transient';
        const unreadable = error.fields.source === 'response' || error.fields.code === 'ERESPONSETOOLARGE';
        return unreadable ? 'doubtful' : 'fatal';
    }
    return error instanceof ImageNotFoundError ? 'doubtful' : 'fatal';
}

;// CONCATENATED MODULE: ./src/ncloud/servers.ts


const IMAGEABLE_STATUSES = new Set(['RUN', 'NSTOP']);
async function readServer(client, serverInstanceNo) {
    let result;
    try {
        result = await client.read('getServerInstanceDetail', { serverInstanceNo });
    }
    catch (error) {
        const refused = error instanceof NcloudError && error.fields.source === 'service' && error.reached === 'yes';
        if (refused) {
            throw new ServerLookupError(`Server ${serverInstanceNo} could not be read in region ${client.region}: ${error.summary}`, 'number');
        }
        throw error;
    }
    const list = result.serverInstanceList;
    const raw = Array.isArray(list) ? list[0] : undefined;
    if (!raw) {
        throw new ServerLookupError(`Server ${serverInstanceNo} was not found in region ${client.region}.`, 'number');
    }
    return toServerRecord(raw, serverInstanceNo);
}
async function findServerByName(client, name) {
    const rows = await client.readAllPages('getServerInstanceList', { serverName: name }, 'serverInstanceList', 'serverInstanceNo');
    const servers = rows
        .filter(row => typeof row === 'object' && row !== null)
        .map(row => toServerRecord(row, ''));
    const matching = servers.filter(server => server.name === name && server.status !== 'TERMT');
    if (matching.length === 1)
        return matching[0];
    const listed = (list) => list.map(server => `${server.no} (${server.status})`).join(', ');
    if (matching.length === 0) {
        const terminated = servers.filter(server => server.name === name);
        throw new ServerLookupError(`No server named "${name}" that is not terminated exists in region ${client.region}${terminated.length > 0 ? `; terminated: ${listed(terminated)}` : ''}.`, 'name');
    }
    throw new ServerLookupError(`${matching.length} servers are named "${name}" in region ${client.region}: ${listed(matching)}.`, 'unique-name');
}
function toServerRecord(raw, fallbackNo) {
    return {
        no: servers_text(raw.serverInstanceNo) || fallbackNo,
        name: servers_text(raw.serverName),
        status: codeOf(raw.serverInstanceStatus) ?? 'UNKNOWN',
        operation: codeOf(raw.serverInstanceOperation) ?? 'NULL',
        statusName: servers_text(raw.serverInstanceStatusName),
        hypervisor: codeOf(raw.hypervisorType)
    };
}
function serverProblem(server) {
    const state = `${server.status}${server.statusName ? ` (${server.statusName})` : ''}`;
    if (!IMAGEABLE_STATUSES.has(server.status)) {
        return `Server ${server.no} is ${state}; an image can be made only of a server that is running (RUN) or stopped (NSTOP).`;
    }
    if (server.operation !== 'NULL') {
        return `Server ${server.no} is ${state} with the operation ${server.operation} in progress.`;
    }
    return undefined;
}
function servers_text(value) {
    return typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 300) : '';
}
function codeOf(value) {
    const code = value?.code;
    return typeof code === 'string' ? code.slice(0, 100) : undefined;
}

;// CONCATENATED MODULE: ./src/steps/plan.ts











function planImage(settings, server) {
    const problem = serverProblem(server);
    if (problem)
        return new RunFailure(problem, 'error', NEXT.serverBusy);
    const choice = chooseKind(settings, server);
    if (choice instanceof RunFailure)
        return choice;
    const { kind, why } = choice;
    const nameRule = kind.nameRule;
    const name = settings.imageName ||
        generateImageName({ ...settings.nameSeed, serverInstanceNo: server.no }).name;
    const broken = nameProblem(name, nameRule);
    if (broken) {
        return new RunFailure(imageNameMessage(name, broken, nameRule), 'error', NEXT.fixInputs);
    }
    const writesProvenance = settings.imageDescription === '';
    const request = {
        serverInstanceNo: server.no,
        name,
        description: writesProvenance
            ? provenanceDescription(server, settings.workflow)
            : settings.imageDescription
    };
    return { kind, why, request, nameRule, writesProvenance };
}
function kindForServer(settings, server) {
    const choice = chooseKind(settings, server);
    return choice instanceof RunFailure ? choice : choice.kind;
}
function chooseKind(settings, server) {
    const selected = selectImageKind(settings.hypervisor, server.hypervisor);
    if ('problem' in selected) {
        return new RunFailure(`Input "hypervisor" ${selected.problem}`, 'error', NEXT.fixInputs);
    }
    return selected;
}
function selectImageKind(requested, hypervisor) {
    const actual = hypervisor?.toUpperCase();
    const server = actual
        ? `the server's hypervisor is ${actual}`
        : "NCP does not report the server's hypervisor";
    const fitting = IMAGE_KINDS.find(kind => actual && kind.hypervisors.includes(actual)) ?? MEMBER_IMAGE;
    if (requested === 'auto')
        return { kind: fitting, why: `hypervisor: auto, and ${server}` };
    const wanted = requested === 'kvm' ? SERVER_IMAGE : MEMBER_IMAGE;
    if (actual === undefined || wanted === fitting) {
        return { kind: wanted, why: `hypervisor: ${requested}, and ${server}` };
    }
    if (wanted.onRequest.includes(actual)) {
        return {
            kind: wanted,
            why: `hypervisor: ${requested} asks for it on this ${actual} server (auto would use ` +
                `${fitting.actions.create}); NCP documents ${wanted.actions.create} images for ` +
                `${[...wanted.hypervisors, ...wanted.onRequest].join(', ')} servers`
        };
    }
    const instead = fitting === SERVER_IMAGE ? 'kvm' : 'xen';
    return {
        problem: `is "${requested}", but ${server}: ${wanted.actions.create} ` +
            `does not image ${actual} servers. Use hypervisor: ${instead} (or auto).`
    };
}
function planLines(plan, settings, server, first) {
    const { kind, request } = plan;
    const would = settings.dryRun ? 'Dry run: would' : 'Plan:';
    const hypervisor = server.hypervisor?.toUpperCase();
    const what = hypervisor && kind.onRequest.includes(hypervisor)
        ? `an image of this ${hypervisor} server`
        : `a ${kind.label}`;
    const headline = first.use
        ? `${would} use ${plan_describeImage(first.use)}, ${first.origin === 'resumed' ? "this workflow run's earlier attempt" : 'which already has the name (if-exists: reuse)'}; no image is created:`
        : `${would} create ${what} with ${kind.actions.create}:`;
    const names = {
        given: '',
        run: ' (generated, the same on every attempt of this workflow run; set image-name to choose one)',
        time: ' (generated; set image-name to choose one)'
    };
    const lines = [
        headline,
        `  server:      ${describeServer(server)}`,
        `  name:        ${request.name}${names[settings.nameSource]}`
    ];
    if (!first.use) {
        lines.push(`  description: ${JSON.stringify(request.description)}${plan.writesProvenance ? ' (provenance, since image-description is empty)' : ''}`, `  endpoint:    POST ${settings.origin}${SERVER_API_PATH}/${kind.actions.create}`, `  image API:   ${kind.actions.create}, since ${plan.why}`, `  disks:       the server's disks as they are (no storage list is sent)`);
    }
    lines.push(`  region:      ${settings.region}`, `  if-exists:   ${settings.ifExists}`, `  wait:        ${settings.wait ? `up to ${formatDuration(settings.waitTimeoutMs)}` : 'no'}`);
    if (settings.stopServer && !first.use) {
        lines.push(server.status === 'RUN'
            ? `  stop-server: stop the server first (waiting up to ${formatDuration(STOP_TIMEOUT_MS)} for NSTOP), start it again once the image is made; it is down the whole time`
            : `  stop-server: the server is already ${server.status}: imaged as it is, left stopped`);
    }
    return lines;
}
function resumeLines(settings, kind, image) {
    const would = settings.dryRun ? 'Dry run: would wait for' : 'Plan: wait for';
    return [
        `${would} ${plan_describeImage(image)} (image-instance-no), a ${kind.label}; no image is created:`,
        `  region:      ${settings.region}`,
        `  wait:        ${settings.wait ? `up to ${formatDuration(settings.waitTimeoutMs)}` : 'no'}`
    ];
}
function describeServer(server) {
    return `${server.no} (${server.name || 'no name'}), ${server.status}, hypervisor ${server.hypervisor ?? 'not reported'}`;
}
function plan_describeImage(image) {
    return `image ${image.no} ("${image.name}", ${image.status || 'no status'})`;
}

;// CONCATENATED MODULE: ./src/steps/resume.ts








async function resumeByNumber(settings, client, server) {
    const no = settings.imageInstanceNo;
    let kinds = IMAGE_KINDS;
    if (server) {
        const kind = kindForServer(settings, server);
        if (kind instanceof RunFailure)
            throw kind;
        kinds = [kind];
    }
    else if (settings.hypervisor !== 'auto') {
        kinds = [settings.hypervisor === 'kvm' ? SERVER_IMAGE : MEMBER_IMAGE];
    }
    let found;
    for (const kind of kinds) {
        const api = new ImageApi(client, kind);
        const image = await findByNumber(api, no);
        if (image) {
            found = { api, image };
            break;
        }
    }
    if (!found) {
        throw new RunFailure(`Image ${no} is not known in region ${settings.region}: ${kinds.map(kind => kind.actions.detail).join(' and ')} found no image of that number.`, 'error', NEXT.checkImage);
    }
    return found;
}
function checkResumed(settings, { api, image }, server, log) {
    const no = image.no;
    if (server) {
        const source = madeFrom(image, { serverInstanceNo: server.no });
        if (source === 'no') {
            throw new RunFailure(`Image ${no} ("${image.name}") was made from server ${sourceServerOf(image)}, not from server ${server.no} (server-instance-no).`, 'error', 'Give the image of this server, or leave server-instance-no empty to wait for this image as it is.', image);
        }
        if (source === 'unknown') {
            log.warning(`Image ${no} ("${image.name}") is waited for although its source server cannot be verified: NCP's record does not name one, and its description is not this action's provenance.`);
        }
    }
    log.info(resumeLines(settings, api.kind, image).join('\n'));
}
async function findByNumber(api, no) {
    try {
        return await api.get(no);
    }
    catch (error) {
        if (error instanceof ImageNotFoundError)
            return undefined;
        if (error instanceof NcloudError &&
            error.fields.source === 'service' &&
            error.reached === 'yes') {
            return undefined;
        }
        throw error;
    }
}

;// CONCATENATED MODULE: ./src/steps/name-lookup.ts







async function lookFirst(api, request, options) {
    const existing = await lookByName(api, request.name, options.log);
    if (existing.length === 0)
        return lookForEarlierAttempt(api, request, options);
    const image = newest(existing);
    const where = describeExisting(image, options.region);
    const source = madeFrom(image, request);
    if (options.nameSource === 'run' && source !== 'no') {
        if (source === 'unknown')
            options.log.warning(unverifiable(image, request));
        options.log.info(`${where} It is this workflow run's earlier attempt (the same generated name, the same server): it is used, and no image is created.`);
        return { use: image, origin: 'resumed' };
    }
    const failed = imageState(api.kind, image.status, image.statusName) === 'failed';
    if (options.ifExists === 'fail') {
        throw new RunFailure(`${where} With if-exists: fail nothing was created.`, 'error', failed ? NEXT.failedExisting : NEXT.nameTaken(image, source !== 'no'));
    }
    if (source === 'no') {
        throw new RunFailure(`${where} It was not made from server ${request.serverInstanceNo}, so it is not reused.`, 'error', NEXT.otherServersImage);
    }
    if (failed) {
        throw new RunFailure(`${where} Its creation failed, so it cannot be reused.`, 'error', NEXT.failedExisting);
    }
    if (source === 'unknown')
        options.log.warning(unverifiable(image, request));
    options.log.info(`${where} if-exists: reuse, so no image is created and this one is used.`);
    return { use: image, origin: 'reused' };
}
async function lookByName(api, name, log) {
    const found = await evenIfIncomplete(api, () => api.findAllByName(name), log, `named "${name}"`);
    return found.filter(image => image.name === name);
}
async function evenIfIncomplete(api, read, log, what) {
    try {
        return await read();
    }
    catch (error) {
        if (!(error instanceof IncompleteListError))
            throw error;
        log.warning(`The look for images ${what} before the create is incomplete: ${error.summary} An image it did not see may exist.`);
        return api.fromRows(error.rows);
    }
}
async function lookForEarlierAttempt(api, request, options) {
    const run = options.attemptsOf;
    if (!run)
        return { use: undefined };
    const all = await evenIfIncomplete(api, () => api.listAll(), options.log, 'of earlier attempts');
    const earlier = all.filter(image => madeByThisStep(image.description, run, request.serverInstanceNo));
    if (earlier.length === 0)
        return { use: undefined };
    const image = newest(earlier);
    options.log.info(`Image ${image.no} ("${image.name}") is this workflow run's earlier attempt: its description names this run and step, and server ${request.serverInstanceNo}. The name differs ({date} or {time} changed), so it is used, and no image named "${request.name}" is created.`);
    return { use: image, origin: 'resumed' };
}
function unverifiable(image, request) {
    return `Image ${image.no} ("${image.name}") is used although its source server cannot be verified: NCP's record does not name one, and its description is not this action's provenance. Check that it was made from server ${request.serverInstanceNo}.`;
}
function describeExisting(image, region) {
    const source = sourceServerOf(image);
    return `An image named "${image.name}" already exists in region ${region}: number ${image.no}, status ${image.status}${image.statusName ? ` (${image.statusName})` : ''}${source ? `, made from server ${source}` : ''}.`;
}
function newest(images) {
    return images[images.length - 1];
}
async function sweepAfterWait(api, { image, origin }, options) {
    if (origin !== 'created' && origin !== 'adopted')
        return undefined;
    const sweeper = options.signal?.aborted ? options.afterCancel() : api;
    return sweepForDuplicates(sweeper, image, options.log, options.endBy());
}
async function sweepForDuplicates(api, used, log, endBy) {
    let images;
    try {
        images = await api.findAllByName(used.name, endBy);
    }
    catch (error) {
        log.warning(`Could not check for other images named "${used.name}" (${describeError(error)}); a create whose reply was lost may have made one.`);
        return [];
    }
    const others = images.filter(image => image.no !== used.no);
    if (others.length > 0) {
        log.warning(`NCP holds ${others.length + 1} images named "${used.name}": ${[used, ...others].map(image => image.no).join(', ')}. ` +
            `This run uses ${used.no}; ${others.map(image => image.no).join(', ')} ${others.length === 1 ? 'was' : 'were'} made by a lost reply or another run. Delete what you do not need.`);
    }
    return others;
}

;// CONCATENATED MODULE: ./src/steps/uncertain-create.ts







async function obtainImage(api, request, first, options) {
    if (first.use) {
        options.onImage(first.use);
        return { image: first.use, origin: first.origin };
    }
    const create = api.kind.actions.create;
    let maybeCreated = false;
    const adopt = (image) => {
        if (madeFrom(image, request) === 'unknown')
            options.log.warning(unverifiable(image, request));
        options.log.info(`The reply was lost, but image ${image.no} named "${image.name}" now exists: using it.`);
        return { verdict: 'settled', value: { image, origin: 'adopted' } };
    };
    const decide = async (error) => {
        const ncloud = error instanceof NcloudError ? error : undefined;
        if (ncloud?.reached === 'no' && !ncloud.transient)
            return { verdict: 'stop' };
        if (!maybeCreated && ncloud?.reached === 'no') {
            return {
                verdict: 'again',
                why: 'It never reached the service, so it is sent again',
                retryAfterMs: ncloud.fields.retryAfterMs
            };
        }
        if (!maybeCreated && ncloud?.reached === 'yes') {
            const taken = await lookFirst(api, request, options).catch(caught => {
                if (caught instanceof RunFailure)
                    throw caught;
                options.signal?.throwIfAborted();
                return { use: undefined };
            });
            return taken.use
                ? { verdict: 'settled', value: { image: taken.use, origin: taken.origin } }
                : { verdict: 'stop' };
        }
        maybeCreated = true;
        options.log.info(`The create may have been carried out: ${describeError(error)} Looking for an image named "${request.name}".`);
        const found = await lookAgain(api, request, options, error);
        if (found)
            return adopt(found);
        const success = ncloud?.fields.incomplete || ncloud?.fields.code === 'ERESPONSETOOLARGE';
        return ncloud && !success && (ncloud.transient || ncloud.reached === 'maybe')
            ? {
                verdict: 'again',
                why: `No image named "${request.name}" exists, so it is sent again`,
                retryAfterMs: ncloud.fields.retryAfterMs
            }
            : { verdict: 'stop' };
    };
    try {
        const obtained = await retrying(async () => ({ image: await api.create(request), origin: 'created' }), { label: create, ...options, decide, describe: describeError, log: options.log.warning });
        options.onImage(obtained.image);
        return obtained;
    }
    catch (error) {
        if (error instanceof cancel/* CancelledError */.c)
            throw await lookAfterCancel(options, request, error);
        if (!maybeCreated || error instanceof RunFailure)
            throw error;
        throw new RunFailure(`${describeError(error)} A ${create} of this run may have made an image named "${request.name}" ` +
            `although none shows in region ${options.region} yet.`, 'uncertain', NEXT.findUncertain(request.name, options.region, options.advice));
    }
}
async function lookAgain(api, request, options, cause) {
    for (const delay of [0, ...options.confirmDelaysMs]) {
        if (delay > 0)
            await options.clock.sleep(delay, options.signal);
        let found;
        try {
            found = await api.findAllByName(request.name);
        }
        catch (error) {
            options.signal?.throwIfAborted();
            throw new RunFailure(`${api.kind.actions.create} may have created an image (${describeError(cause)}), and looking it up failed (${describeError(error)}).`, 'uncertain', NEXT.findUncertain(request.name, options.region, options.advice));
        }
        const ours = found.filter(image => madeFrom(image, request) !== 'no');
        if (ours.length > 0)
            return newest(ours);
    }
    return undefined;
}
async function lookAfterCancel(options, request, cancel) {
    const where = `in region ${options.region}`;
    const unsettled = NEXT.findUncertain(request.name, options.region, options.advice);
    try {
        const images = await options.afterCancel().findAllByName(request.name);
        const image = images.find(found => madeFrom(found, request) !== 'no');
        if (image) {
            options.onImage(image);
            return new RunFailure(`${cancel.message} The create had been sent: image ${image.no} named "${image.name}" exists (${image.status}).`, 'cancelled', NEXT.resume(image, options.advice), image);
        }
        return new RunFailure(`${cancel.message} The create had been sent, and no image named "${request.name}" shows yet ${where}.`, 'cancelled', unsettled);
    }
    catch (error) {
        return new RunFailure(`${cancel.message} The create had been sent; an image named "${request.name}" may exist ${where} (the look failed: ${describeError(error)}).`, 'cancelled', unsettled);
    }
}

;// CONCATENATED MODULE: ./src/ncloud/response.ts
function parseAnswer(action, answer, nowMs) {
    const facts = {
        httpStatus: answer.status,
        requestId: header(answer, 'x-ncp-apigw-request-id') ?? header(answer, 'x-ncp-trace-id') ?? undefined,
        retryAfterMs: parseRetryAfter(header(answer, 'retry-after'), nowMs),
        clockSkewMs: clockSkew(header(answer, 'date'), nowMs)
    };
    return { facts, answer: shapeOf(action, answer) };
}
function shapeOf(action, answer) {
    if (answer.status >= 300 && answer.status < 400) {
        return { shape: 'redirect', location: header(answer, 'location') };
    }
    const json = parseJson(answer.body);
    const gateway = objectAt(json, 'error');
    if (gateway) {
        return {
            shape: 'gateway',
            code: stringOf(gateway.errorCode),
            message: stringOf(gateway.message),
            details: stringOf(gateway.details)
        };
    }
    const service = objectAt(json, 'responseError');
    if (service) {
        return {
            shape: 'service',
            code: stringOf(service.returnCode ?? service.responseCode),
            message: stringOf(service.returnMessage ?? service.responseMessage)
        };
    }
    const result = objectAt(json, `${action}Response`);
    if (answer.status >= 200 && answer.status < 300 && result) {
        const returnCode = stringOf(result.returnCode);
        if (returnCode === undefined || returnCode === '0')
            return { shape: 'success', result };
        return {
            shape: 'service',
            code: returnCode,
            message: stringOf(result.returnMessage),
            requestId: stringOf(result.requestId)
        };
    }
    return { shape: 'unreadable', snippet: snippet(answer.body) };
}
function parseRetryAfter(value, nowMs) {
    const text = value?.trim() ?? '';
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    if (!/GMT$/.test(text))
        return undefined;
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
function clockSkew(date, nowMs) {
    if (!date)
        return undefined;
    const at = Date.parse(date);
    return Number.isNaN(at) ? undefined : at - nowMs;
}
function header(answer, name) {
    const value = answer.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
function parseJson(body) {
    try {
        return JSON.parse(body);
    }
    catch {
        return undefined;
    }
}
function objectAt(value, key) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const inner = value[key];
    return typeof inner === 'object' && inner !== null
        ? inner
        : undefined;
}
const MAX_TEXT = 300;
function stringOf(value) {
    if (typeof value === 'string')
        return clip(value);
    if (typeof value === 'number')
        return String(value);
    return undefined;
}
function clip(text) {
    return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
function snippet(body) {
    const text = body
        .slice(0, 4 * MAX_TEXT)
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    if (!text)
        return undefined;
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

;// CONCATENATED MODULE: ./src/ncloud/signer.ts

function stringToSign({ method, target, timestamp, accessKey }) {
    return `${method.toUpperCase()} ${target}\n${timestamp}\n${accessKey}`;
}
function sign(input, secretKey) {
    return (0,external_node_crypto_namespaceObject.createHmac)('sha256', secretKey).update(stringToSign(input), 'utf8').digest('base64');
}

// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 2 modules
var lib = __nccwpck_require__(313);
;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: ./src/ncloud/transport.ts




class TransportError extends Error {
    code;
    sent;
    constructor(message, code, sent) {
        super(message);
        this.code = code;
        this.sent = sent;
        this.name = 'TransportError';
    }
}
const MAX_BODY_BYTES = 1024 * 1024;
class Transport {
    agents = new lib/* HttpClient */.Qq('ncloud-server-image-action', [], { keepAlive: false });
    post(exchange) {
        const url = new URL(exchange.url);
        const agent = this.agents.getAgent(exchange.url);
        const deadline = deadline_deadline(exchange.deadlineMs, exchange.signal);
        const { signal } = deadline;
        const send = url.protocol === 'https:' ? external_node_https_namespaceObject.request : external_node_http_namespaceObject.request;
        return new Promise((resolve, reject) => {
            let connected = false;
            let settled = false;
            const settle = (error, answer) => {
                if (settled)
                    return;
                settled = true;
                deadline.dispose();
                signal.removeEventListener('abort', onAbort);
                if (error) {
                    req.destroy();
                    reject(error);
                }
                else
                    resolve(answer);
            };
            const onAbort = () => {
                if (!deadline.expired)
                    return settle(signal.reason);
                settle(new TransportError(`no complete answer within ${exchange.deadlineMs} ms`, 'ETIMEDOUT', connected));
            };
            const req = send({
                protocol: url.protocol,
                hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
                port: url.port,
                path: `${url.pathname}${url.search}`,
                method: 'POST',
                agent,
                headers: {
                    ...exchange.headers,
                    'content-length': String(Buffer.byteLength(exchange.body))
                }
            }, response => {
                const chunks = [];
                let bytes = 0;
                let ended = false;
                response.on('data', (chunk) => {
                    bytes += chunk.length;
                    if (bytes > MAX_BODY_BYTES) {
                        return settle(new TransportError(`the answer is larger than ${MAX_BODY_BYTES} bytes`, 'ERESPONSETOOLARGE', true));
                    }
                    chunks.push(chunk);
                });
                response.on('end', () => {
                    ended = true;
                    settle(undefined, {
                        status: response.statusCode ?? 0,
                        headers: response.headers,
                        body: Buffer.concat(chunks).toString('utf8')
                    });
                });
                const cutOff = (why) => settle(new TransportError(`the answer was cut off after ${bytes} bytes of the body (${why})`, 'ECONNRESET', true));
                response.on('error', error => cutOff(error.message));
                response.on('close', () => {
                    if (!ended)
                        cutOff('connection closed');
                });
            });
            req.on('socket', socket => {
                socket.once('connect', () => (connected = true));
                socket.once('secureConnect', () => (connected = true));
            });
            req.on('error', error => settle(asTransportError(error, connected)));
            if (signal.aborted)
                return onAbort();
            signal.addEventListener('abort', onAbort, { once: true });
            req.end(exchange.body);
        });
    }
    dispose() {
        this.agents.dispose();
    }
}
function asTransportError(error, sent) {
    if (error instanceof TransportError)
        return error;
    const code = error.code;
    return new TransportError(error.message, typeof code === 'string' ? code : 'ECONNRESET', sent);
}

;// CONCATENATED MODULE: ./src/ncloud/client.ts







const PAGE_SIZE = 100;
const MAX_PAGES = 1000;
class NcloudClient {
    options;
    transport;
    constructor(options, transport = new Transport()) {
        this.options = options;
        this.transport = transport;
    }
    get region() {
        return this.options.region;
    }
    get retryPolicy() {
        return this.options.retry;
    }
    get gatewaySetting() {
        return this.options.gatewaySetting;
    }
    read(action, params = {}, deadline, endBy) {
        return this.repeatable(action, params, deadline, endBy);
    }
    repeatable(action, params = {}, deadline, endBy) {
        return retrying(() => this.sendOnce(action, params, endBy), {
            label: action,
            policy: this.options.retry,
            clock: this.options.clock,
            signal: this.options.signal,
            random: this.options.random,
            deadline: endBy === undefined ? deadline : Math.min(deadline ?? endBy, endBy),
            decide: error => error instanceof NcloudError && error.transient
                ? { verdict: 'again', why: 'Retrying', retryAfterMs: error.fields.retryAfterMs }
                : { verdict: 'stop' },
            describe: describeError,
            log: this.options.onRetry
        });
    }
    async readAllPages(action, params, listKey, idField, endBy) {
        const rows = [];
        const seen = new Set();
        const incomplete = (problem) => new IncompleteListError(action, problem, this.gatewaySetting, rows);
        let total = NaN;
        for (let pageNo = 1; pageNo <= MAX_PAGES; pageNo++) {
            const page = await this.read(action, { ...params, pageNo: String(pageNo), pageSize: String(PAGE_SIZE) }, undefined, endBy);
            const list = page[listKey];
            if (!Array.isArray(list)) {
                throw contentError(action, `the success answer has no ${listKey}`, this.gatewaySetting);
            }
            total = Number(page.totalRows);
            if (page.totalRows === undefined || !Number.isSafeInteger(total) || total < 0) {
                throw incomplete(`page ${pageNo} does not say how many rows there are (totalRows)`);
            }
            for (const row of list) {
                const id = idOf(row, idField);
                if (id && seen.has(id)) {
                    throw incomplete(`page ${pageNo} repeats the row ${idField} ${id}, so the pages overlap and rows may be missing`);
                }
                if (id)
                    seen.add(id);
                rows.push(row);
            }
            if (rows.length >= total || list.length === 0)
                break;
        }
        if (rows.length !== total) {
            throw incomplete(`the pages hold ${rows.length} row${rows.length === 1 ? '' : 's'}, but totalRows says ${total}`);
        }
        return rows;
    }
    forApi(apiPath) {
        return new NcloudClient({ ...this.options, apiPath }, this.transport);
    }
    async sendOnce(action, params = {}, endBy) {
        const { origin, accessKey, secretKey, region, clock, signal, gatewaySetting } = this.options;
        signal?.throwIfAborted();
        const timeLeft = endBy === undefined ? Infinity : endBy - clock.now();
        if (timeLeft <= 0) {
            throw networkError(action, new TransportError('no time was left for this request', 'ETIMEDOUT', false), gatewaySetting);
        }
        const path = `${this.options.apiPath ?? SERVER_API_PATH}/${action}`;
        const body = new URLSearchParams({
            regionCode: region,
            ...params,
            responseFormatType: 'json'
        }).toString();
        const timestamp = String(clock.now());
        const headers = {
            'user-agent': this.options.userAgent,
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
            accept: 'application/json',
            'x-ncp-apigw-timestamp': timestamp,
            'x-ncp-iam-access-key': accessKey,
            'x-ncp-apigw-signature-v2': sign({ method: 'POST', target: path, timestamp, accessKey }, secretKey)
        };
        this.options.debug(`POST ${path} ${describeParams(params)}`);
        let answer;
        try {
            answer = await this.transport.post({
                url: `${origin}${path}`,
                headers,
                body,
                deadlineMs: Math.min(this.options.requestTimeoutMs, timeLeft),
                signal
            });
        }
        catch (error) {
            signal?.throwIfAborted();
            if (error instanceof TransportError)
                throw networkError(action, error, gatewaySetting);
            throw error;
        }
        const { facts, answer: shape } = parseAnswer(action, answer, clock.now());
        this.options.debug(`${action}: HTTP ${answer.status} (${shape.shape})`);
        if (shape.shape !== 'success')
            throw answerError(action, facts, shape, gatewaySetting);
        return shape.result;
    }
    afterCancel(requestTimeoutMs) {
        return new NcloudClient({
            ...this.options,
            signal: undefined,
            requestTimeoutMs,
            retry: { ...this.options.retry, maxAttempts: 1 }
        }, this.transport);
    }
    dispose() {
        this.transport.dispose();
    }
}
function idOf(row, idField) {
    const value = typeof row === 'object' && row !== null ? row[idField] : undefined;
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
function describeParams(params) {
    return Object.entries(params)
        .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
        .join(' ');
}

;// CONCATENATED MODULE: ./src/steps/run-setup.ts


const USER_AGENT = 'ncloud-server-image-action/1';
function adviceFor(settings, provenance) {
    if (!settings.nameChanges)
        return settings.nameSource;
    return provenance && settings.workflow.runId ? 'run' : 'time';
}
async function readKnownServer(client, settings, log) {
    let serverInstanceNo = settings.serverInstanceNo;
    if (settings.serverName) {
        const found = await findServerByName(client, settings.serverName);
        log.info(`Server "${settings.serverName}" is server ${found.no}.`);
        serverInstanceNo = found.no;
    }
    const server = await readServer(client, serverInstanceNo);
    log.info(`Server ${server.no} (${server.name || 'no name'}): ${server.status}${server.statusName ? ` (${server.statusName})` : ''}, hypervisor ${server.hypervisor ?? 'not reported'}.`);
    return server;
}
function makeClient(settings, deps) {
    return new NcloudClient({
        origin: settings.origin,
        gatewaySetting: settings.originSource,
        accessKey: settings.accessKey,
        secretKey: settings.secretKey,
        region: settings.region,
        clock: deps.clock,
        retry: deps.retry,
        requestTimeoutMs: settings.requestTimeoutMs,
        signal: deps.signal,
        random: deps.random,
        userAgent: USER_AGENT,
        debug: deps.log.debug,
        onRetry: deps.log.info
    });
}

;// CONCATENATED MODULE: ./src/steps/server-power.ts







const START_BUDGET_MS = 15 * 60_000;
const BOOT_TIMEOUT_MS = 15 * 60_000;
const REFUSED_START_PAUSE_MS = 15_000;
const START_POLICY = {
    maxAttempts: 200,
    baseDelayMs: 1_000,
    maxDelayMs: 15_000,
    maxRetryAfterMs: 60_000
};
const STOP = 'stopServerInstances';
const START = 'startServerInstances';
async function stopServer(client, server, deps, stop = { sent: () => undefined, undone: () => undefined }) {
    const sentAt = deps.clock.now();
    deps.signal?.throwIfAborted();
    stop.sent();
    deps.log.info(`Stopping server ${server.no} (stop-server: true), then waiting up to ${formatDuration(STOP_TIMEOUT_MS)} for it to be stopped (NSTOP).`);
    try {
        await retrying(() => client.sendOnce(STOP, { 'serverInstanceNoList.1': server.no }), {
            label: STOP,
            policy: client.retryPolicy,
            clock: deps.clock,
            signal: deps.signal,
            random: deps.random,
            describe: describeError,
            log: deps.log.warning,
            decide: error => error instanceof NcloudError && error.transient && error.reached === 'no'
                ? {
                    verdict: 'again',
                    why: 'It never reached the service, so it is sent again',
                    retryAfterMs: error.fields.retryAfterMs
                }
                : { verdict: 'stop' }
        });
    }
    catch (error) {
        deps.signal?.throwIfAborted();
        const now = await readServer(client, server.no);
        if (now.status !== 'NSTOP' && now.operation !== 'SHTDN') {
            stop.undone();
            throw new RunFailure(`Could not stop server ${server.no}: ${describeError(error)} Nothing was created.`, 'error', NEXT.stopFailed);
        }
    }
    await waitForServer(client, server.no, 'NSTOP', sentAt + STOP_TIMEOUT_MS, deps);
    deps.log.info(`Server ${server.no} is stopped (NSTOP) after ${formatDuration(deps.clock.now() - sentAt)}.`);
    return sentAt;
}
async function startServer(client, serverInstanceNo, deps, onAccepted = () => undefined) {
    const deadline = deps.clock.now() + START_BUDGET_MS;
    deps.log.info(`Starting server ${serverInstanceNo} again (the action stopped it).`);
    await retrying(() => client.sendOnce(START, { 'serverInstanceNoList.1': serverInstanceNo }), {
        label: START,
        policy: START_POLICY,
        clock: deps.clock,
        signal: deps.signal,
        random: deps.random,
        deadline,
        describe: describeError,
        log: deps.log.warning,
        decide: async (error) => {
            if (error instanceof NcloudError && error.transient) {
                return { verdict: 'again', why: 'Retrying', retryAfterMs: error.fields.retryAfterMs };
            }
            const now = await readServer(client, serverInstanceNo);
            if (isStarting(now))
                return { verdict: 'settled', value: {} };
            const refused = error instanceof NcloudError && error.fields.source === 'service';
            return refused
                ? {
                    verdict: 'again',
                    why: 'NCP refused the start for now; asking again',
                    retryAfterMs: REFUSED_START_PAUSE_MS
                }
                : { verdict: 'stop' };
        }
    });
    onAccepted();
    await waitForServer(client, serverInstanceNo, 'RUN', deps.clock.now() + BOOT_TIMEOUT_MS, deps);
    deps.log.info(`Server ${serverInstanceNo} is running (RUN) again.`);
}
async function startAfterCancel(client, serverInstanceNo, log) {
    try {
        await client.sendOnce(START, { 'serverInstanceNoList.1': serverInstanceNo });
        log.info(`Start of server ${serverInstanceNo} sent and accepted; it boots on its own.`);
        return { accepted: true };
    }
    catch (error) {
        const why = describeError(error);
        const now = await readServer(client, serverInstanceNo).catch(() => undefined);
        if (now && isStarting(now)) {
            log.info(`Server ${serverInstanceNo} is already starting (${now.status}, ${now.operation}).`);
            return { accepted: true };
        }
        log.warning(`Start of server ${serverInstanceNo} was not accepted: ${why}`);
        return { accepted: false, why };
    }
}
function powerPollMs(pollIntervalMs) {
    return Math.min(15_000, Math.max(2_000, pollIntervalMs));
}
function isStarting(server) {
    return server.operation === 'START' || (server.status === 'RUN' && server.operation !== 'SHTDN');
}
async function waitForServer(client, serverInstanceNo, status, deadline, deps) {
    for (;;) {
        const server = await readServer(client, serverInstanceNo);
        if (server.status === status && server.operation === 'NULL')
            return;
        if (deps.clock.now() >= deadline) {
            throw new RunFailure(`Server ${serverInstanceNo} did not reach ${status} in time: it is ${server.status}${server.operation !== 'NULL' ? ` with the operation ${server.operation}` : ''}.`, 'error', NEXT.checkServerState(serverInstanceNo));
        }
        await deps.clock.sleep(Math.min(powerPollMs(deps.pollIntervalMs), Math.max(0, deadline - deps.clock.now())), deps.signal);
    }
}

;// CONCATENATED MODULE: ./src/steps/stopped-server.ts






const NONE = { no: '', name: '', stoppedAt: 0 };
async function withServerStopped(options, body) {
    const { client, server, journal } = options;
    let value;
    let failure;
    let startOnCancel;
    try {
        await stopServer(client, server, options, {
            sent: () => {
                const stoppedAt = options.clock.now();
                journal.record(j => (j.stopped = { no: server.no, name: server.name, stoppedAt }));
                startOnCancel = sendStartOnCancel(options);
            },
            undone: () => {
                journal.record(j => delete j.stopped);
                startOnCancel?.dispose();
            }
        });
        value = await body();
    }
    catch (error) {
        failure = error;
    }
    if (journal.snapshot().stopped) {
        try {
            await startAgain(options, failure, startOnCancel);
        }
        finally {
            startOnCancel?.dispose();
        }
    }
    if (failure !== undefined)
        throw failure;
    return value;
}
function sendStartOnCancel(options) {
    const { client, server, journal } = options;
    const deps = options;
    let sent;
    const onAbort = () => {
        if (journal.snapshot().stopped?.startAccepted)
            return;
        journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()));
        sent = startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log);
    };
    deps.signal.addEventListener('abort', onAbort, { once: true });
    return {
        sent: () => sent,
        dispose: () => deps.signal.removeEventListener('abort', onAbort)
    };
}
async function startAgain(options, failure, startOnCancel) {
    const { client, server, journal } = options;
    const deps = options;
    const context = options.context();
    const power = () => journal.snapshot().stopped ?? NONE;
    const accepted = () => journal.record(j => j.stopped && (j.stopped.startAccepted = true));
    const label = `Server ${server.no} (${server.name || 'no name'})`;
    const before = failure === undefined ? '' : ` Before that: ${asRunFailure(failure).message}`;
    if (deps.signal.aborted) {
        let start = { accepted: true };
        if (!power().startAccepted) {
            const sent = startOnCancel?.sent();
            if (!sent)
                journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()));
            start = await (sent ??
                startAfterCancel(client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), server.no, deps.log));
        }
        journal.record(j => j.stopped && (j.stopped.startAccepted = start.accepted));
        const cancelled = asRunFailure(failure ?? deps.signal.reason, context);
        throw new RunFailure(`${cancelled.message} ${label} had been stopped by the action; ${start.accepted ? 'the start request was sent and accepted, and it boots on its own' : `the start request was not accepted (${start.why ?? 'no answer'}): it is still stopped`}.`, cancelled.outcome, start.accepted ? cancelled.nextStep : `${NEXT.startServer(server.no)} ${cancelled.nextStep}`, cancelled.image ?? context.image);
    }
    try {
        journal.record(j => j.stopped && (j.stopped.startSentAt = deps.clock.now()));
        await startServer(client, server.no, deps, accepted);
        const runningAgainAt = deps.clock.now();
        journal.record(j => j.stopped && (j.stopped.runningAgainAt = runningAgainAt));
        deps.log.info(`${label} was down for ${formatDuration(runningAgainAt - power().stoppedAt)}.`);
    }
    catch (error) {
        if (deps.signal.aborted) {
            return startAgain(options, error, startOnCancel);
        }
        if (power().startAccepted) {
            throw new RunFailure(`${label} was started again, but is not running yet: ${describeError(error)}${before}`, 'error', NEXT.checkServerState(server.no), context.image);
        }
        throw new RunFailure(`${label} is stopped: the action stopped it for the image and could not start it again: ${describeError(error)}${before}`, 'server-stopped', NEXT.startServer(server.no), context.image);
    }
}

;// CONCATENATED MODULE: ./src/steps/run.ts














async function runImage(settings, deps) {
    const started = deps.clock.now();
    const client = makeClient(settings, deps);
    const learned = { duplicates: [] };
    const journal = deps.journal ?? new JournalRecorder();
    const noteImage = (image) => {
        learned.image = image;
        const kind = learned.kind?.actions.create;
        journal.record(j => {
            const waitingUntil = j.image?.no === image.no ? j.image.waitingUntil : undefined;
            j.image = journalImage(image, kind, learned.origin);
            if (waitingUntil !== undefined)
                j.image.waitingUntil = waitingUntil;
        });
    };
    const base = () => ({
        serverInstanceNo: settings.serverInstanceNo,
        region: settings.region,
        dryRun: settings.dryRun,
        ...learned,
        power: powerOf(journal.snapshot(), deps.clock.now()),
        elapsedMs: deps.clock.now() - started
    });
    try {
        const ending = await steps(settings, { ...deps, journal, client, learned, noteImage });
        return { ...base(), ...ending, failed: false };
    }
    catch (error) {
        const failure = asRunFailure(error, learned);
        if (failure.image) {
            learned.image = failure.image;
            if (!settings.dryRun)
                noteImage(failure.image);
        }
        return {
            ...base(),
            outcome: failure.outcome,
            failed: true,
            problem: failure.message,
            nextStep: failure.nextStep || undefined
        };
    }
    finally {
        client.dispose();
    }
}
async function steps(settings, run) {
    const { log, learned, client } = run;
    log.info(`NCP API ${settings.origin} (from ${settings.originSource}), region ${settings.region}.`);
    for (const warning of settings.warnings)
        log.warning(warning);
    if (settings.imageInstanceNo) {
        const named = settings.serverInstanceNo || settings.serverName;
        const server = named ? await readKnownServer(client, settings, log) : undefined;
        learned.server = server;
        const found = await resumeByNumber(settings, client, server);
        const { api, image } = found;
        learned.kind = api.kind;
        learned.image = image;
        if (!settings.dryRun)
            run.noteImage(image);
        checkResumed(settings, found, server, log);
        if (settings.dryRun) {
            learned.pruning = await dryRunAfterCreation(api, image, afterOptions(settings, run));
            log.info(`Dry run: credentials${server ? ', server' : ''} and image checked. Nothing was changed.`);
            return { outcome: 'dry-run', nextStep: NEXT.dryRunResume(image) };
        }
        learned.origin = 'resumed';
        learned.advice = 'time';
        const ending = await finish(api, { image, origin: 'resumed' }, waitOptions(settings, run));
        return after(api, ending, settings, run);
    }
    const server = await readKnownServer(client, settings, log);
    learned.server = server;
    const plan = planImage(settings, server);
    if (plan instanceof RunFailure)
        throw plan;
    learned.kind = plan.kind;
    const api = new ImageApi(client, plan.kind);
    learned.imageName = plan.request.name;
    learned.advice = adviceFor(settings, plan.writesProvenance);
    const first = await lookFirst(api, plan.request, judgeOptions(settings, plan, log));
    log.info(planLines(plan, settings, server, first).join('\n'));
    if (settings.dryRun)
        return dryRun(api, first, settings, run);
    const stopFirst = settings.stopServer && !first.use && server.status === 'RUN';
    if (settings.stopServer && first.use) {
        log.info('stop-server: nothing is stopped, since no image is created (one exists already).');
    }
    if (settings.stopServer && server.status !== 'RUN') {
        const left = first.use
            ? `the action did not stop it and does not start it`
            : 'it is imaged as it is and left stopped';
        const line = `Server ${server.no} is already stopped (${server.status}): ${left}.`;
        if (first.use)
            log.warning(line);
        else
            log.info(line);
    }
    const body = () => createWaitSweep(api, plan, first, settings, run);
    const ending = stopFirst
        ? await withServerStopped({ ...run, server, pollIntervalMs: settings.pollIntervalMs, context: () => learned }, body)
        : await body();
    return after(api, ending, settings, run);
}
async function createWaitSweep(api, plan, first, settings, run) {
    const { log, learned, journal, clock } = run;
    const afterCancel = () => new ImageApi(run.client.afterCancel(CANCEL_LOOKUP_TIMEOUT_MS), plan.kind);
    const obtained = await obtainImage(api, plan.request, first, {
        ...run,
        ...judgeOptions(settings, plan, log),
        advice: learned.advice ?? settings.nameSource,
        policy: run.retry,
        onImage: run.noteImage,
        afterCancel
    });
    learned.origin = obtained.origin;
    run.noteImage(obtained.image);
    const { image } = obtained;
    if (obtained.origin === 'created' && settings.wait) {
        log.info(`Image ${image.no} ("${image.name}") is being created (${image.status}).`);
    }
    const waited = await finish(api, obtained, waitOptions(settings, run)).then(ending => ({ ending }), (failure) => ({ failure }));
    const swept = await sweepAfterWait(api, obtained, {
        log,
        signal: run.signal,
        afterCancel,
        endBy: () => (journal.snapshot().image?.waitingUntil ?? clock.now()) + settings.requestTimeoutMs
    });
    learned.duplicates = swept ?? [];
    if ('failure' in waited)
        throw waited.failure;
    return waited.ending;
}
async function after(api, ending, settings, run) {
    const pruning = await afterReady(api, ending, run.learned.image, afterOptions(settings, run));
    if (pruning)
        run.learned.pruning = pruning;
    return ending;
}
function judgeOptions(settings, plan, log) {
    return {
        ifExists: settings.ifExists,
        nameSource: settings.nameSource,
        region: settings.region,
        log,
        attemptsOf: settings.nameChanges && plan.writesProvenance ? settings.workflow : undefined
    };
}
function waitOptions(settings, run) {
    return {
        ...settings,
        ...run,
        advice: run.learned.advice ?? settings.nameSource,
        onImage: run.noteImage,
        onWaitStart: endsAt => run.journal.record(j => j.image && (j.image.waitingUntil = endsAt))
    };
}
function afterOptions(settings, run) {
    return {
        ...run,
        settings,
        serverNo: run.learned.server?.no,
        imageName: run.learned.imageName,
        onImage: run.noteImage
    };
}
async function dryRun(api, first, settings, run) {
    const { log } = run;
    const verdict = first.use
        ? `would use image ${first.use.no}`
        : 'the name is free, so the image would be created';
    run.learned.pruning = await dryRunAfterCreation(api, first.use, afterOptions(settings, run));
    log.info(`Dry run: credentials, server and name checked; ${verdict}. Nothing was created${prunes(settings) ? ' or deleted' : ''}. ` +
        'A dry run cannot check that the key may create images (NCP has no read-only way to ask), so a key that may only read passes it.');
    return {
        outcome: 'dry-run',
        nextStep: first.use ? NEXT.dryRunUse(first.use) : NEXT.dryRunDone
    };
}

// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __nccwpck_require__(566);
;// CONCATENATED MODULE: ./src/github/summary.ts



const HEADINGS = {
    created: '✅ Server image created',
    reused: '✅ Existing server image used (if-exists: reuse)',
    resumed: '✅ Server image ready (picked up again, not created by this step)',
    creating: '⏳ Server image is being created',
    failed: '❌ Server image creation failed',
    gone: '❌ Server image is being deleted or is gone',
    'share-failed': '⚠️ Server image created, but not shared',
    'server-stopped': '🛑 The server is still stopped: start it',
    'timed-out': '⏳ Server image still being created (wait timed out)',
    'wait-failed': '❌ Stopped waiting for the server image',
    cancelled: '⚠️ Cancelled',
    uncertain: '⚠️ An image may have been created: see below',
    'dry-run': '🧪 Dry run: nothing was created',
    error: '❌ Server image was not created'
};
const ORIGIN = {
    created: 'created by this run',
    adopted: 'created by this run (the reply was lost; found by name)',
    reused: 'already existed (if-exists: reuse)',
    resumed: 'picked up again (image-instance-no, or an earlier attempt of this workflow run)'
};
function renderSummary(result) {
    const { server, image } = result;
    const serverNo = server?.no ?? result.serverInstanceNo;
    const rows = [
        ['Server', serverNo && `${serverNo}${server?.name ? ` (${server.name})` : ''}`],
        ['Image number', image?.no],
        ['Image name', image?.name ?? result.imageName],
        ['Status', image?.status],
        ['Image', result.origin && ORIGIN[result.origin]],
        [
            'Other images of this name',
            result.duplicates.length > 0 ? result.duplicates.map(d => d.no).join(', ') : undefined
        ],
        ['Shared with', image && image.sharedWith.length > 0 ? image.sharedWith.join(', ') : undefined],
        ...pruneRows(result),
        ['Server downtime', downtime(result)],
        ['Region', result.region],
        [
            'Hypervisor',
            server &&
                `${server.hypervisor ?? 'not reported'}${result.kind ? ` (${result.kind.actions.create})` : ''}`
        ],
        ['Time taken', formatDuration(result.elapsedMs)]
    ];
    const heading = result.dryRun && result.failed
        ? `🧪 Dry run failed: ${HEADINGS[result.outcome].replace(/^\S+ /, '')}`
        : HEADINGS[result.outcome];
    const lines = [
        `### ${heading}`,
        '',
        '| | |',
        '|---|---|',
        ...rows
            .filter(([, value]) => value)
            .map(([label, value]) => `| ${label} | ${(0,markdown/* inert */.t)(value)} |`)
    ];
    if (result.problem)
        lines.push('', `**What happened:** ${(0,markdown/* inert */.t)(result.problem)}`);
    if (result.nextStep)
        lines.push('', `**Next:** ${(0,markdown/* inert */.t)(result.nextStep)}`);
    return `${lines.join('\n')}\n`;
}
function downtime(result) {
    const power = result.power;
    if (!power || power.downMs === undefined)
        return undefined;
    const state = power.runningAt !== undefined
        ? 'stopped by this step, running again'
        : power.startAccepted
            ? `stopped by this step; the start was accepted${result.outcome === 'cancelled' ? ' after the cancel' : ''}, but it was not running yet`
            : 'stopped by this step and still stopped';
    return `${formatDuration(power.downMs)} (${state})`;
}
function pruneRows(result) {
    const pruning = result.pruning;
    if (!pruning)
        return [];
    if (pruning.blocked !== undefined)
        return [['Pruning', `nothing deleted: ${pruning.blocked}`]];
    const list = (images, snapshotsOf) => images
        .map(image => {
        const snapshots = snapshotsOf?.(image.no) ?? [];
        return snapshots.length > 0 ? `${image.no} (snapshots ${snapshots.join(', ')})` : image.no;
    })
        .join(', ') || 'none';
    const done = 'deleted' in pruning;
    const rows = [
        [`Kept (${pruning.rules.join(', ')})`, list(pruning.keep)],
        done
            ? ['Deleted', list(pruning.deleted, no => pruning.snapshotsDeleted[no] ?? [])]
            : [
                'Would delete',
                list(pruning.remove, no => pruning.remove.find(image => image.no === no)?.snapshots ?? [])
            ]
    ];
    const left = [
        ...pruning.leave.map(({ image, why }) => `${image.no} (${why})`),
        ...(done
            ? pruning.failed.map(({ image, unconfirmed }) => `${image.no} (${unconfirmed ? 'the delete was not confirmed' : 'the delete failed'})`)
            : []),
        ...(done
            ? pruning.snapshotsLeft.map(({ imageNo, no }) => `snapshot ${no} of deleted image ${imageNo} (the delete failed; still billed)`)
            : [])
    ];
    if (left.length > 0)
        rows.push(['Left', left.join('; ')]);
    return rows;
}

;// CONCATENATED MODULE: ./src/github/main.ts









async function run(options) {
    const { port, signal } = options;
    const clock = options.clock ?? systemClock;
    const started = clock.now();
    let result;
    try {
        const settings = readSettings({
            getInput: port.getInput,
            env: port.env,
            mask: port.mask,
            now: new Date(clock.now())
        });
        result = await runImage(settings, {
            log: port,
            clock,
            signal,
            random: options.random,
            retry: options.retry ?? DEFAULT_RETRY,
            confirmDelaysMs: options.confirmDelaysMs ?? CONFIRM_DELAYS_MS,
            journal: new JournalRecorder(imageOutputsFrom(port))
        });
    }
    catch (error) {
        const failure = asRunFailure(error);
        result = {
            outcome: failure.outcome,
            failed: true,
            problem: failure.message,
            nextStep: failure.nextStep,
            duplicates: [],
            dryRun: false,
            elapsedMs: clock.now() - started
        };
    }
    writeOutputs(port, result);
    await port.writeSummary(renderSummary(result));
    if (result.failed)
        port.fail([result.problem, result.nextStep].filter(Boolean).join(' '));
    return result;
}
function imageOutputsFrom(port) {
    let written = '';
    return ({ image }) => {
        if (!image)
            return;
        const outputs = imageOutputs(image);
        const key = JSON.stringify(outputs);
        if (key === written)
            return;
        written = key;
        for (const [name, value] of outputs)
            port.setOutput(name, value);
    };
}


/***/ }),

/***/ 566:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ inert)
/* harmony export */ });
function inert(text) {
    return (text
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/([\\`*_[\]|~])/g, '\\$1')
        .replace(/:\/\//g, ':/\u2060/')
        .replace(/\bwww\./gi, match => `${match.slice(0, 3)}\u2060.`)
        .replace(/\r\n|\r|\n/g, '<br>'));
}


/***/ }),

/***/ 390:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  B: () => (/* binding */ actionsPort)
});

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function utils_toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function utils_toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function command_issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function command_issue(name, message = '') {
    command_issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return utils_toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function file_command_issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${utils_toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function file_command_prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = utils_toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: external "path"
const external_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("path");
// EXTERNAL MODULE: ./node_modules/@actions/http-client/lib/index.js + 2 modules
var lib = __nccwpck_require__(313);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/auth.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
class BasicCredentialHandler {
    constructor(username, password) {
        this.username = username;
        this.password = password;
    }
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class auth_BearerCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Bearer ${this.token}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
class PersonalAccessTokenCredentialHandler {
    constructor(token) {
        this.token = token;
    }
    // currently implements pre-authorization
    // TODO: support preAuth = false where it hooks on 401
    prepareRequest(options) {
        if (!options.headers) {
            throw Error('The request has no headers');
        }
        options.headers['Authorization'] = `Basic ${Buffer.from(`PAT:${this.token}`).toString('base64')}`;
    }
    // This handler cannot handle 401
    canHandleAuthentication() {
        return false;
    }
    handleAuthentication() {
        return __awaiter(this, void 0, void 0, function* () {
            throw new Error('not implemented');
        });
    }
}
//# sourceMappingURL=auth.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/oidc-utils.js
var oidc_utils_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};



class oidc_utils_OidcClient {
    static createHttpClient(allowRetry = true, maxRetry = 10) {
        const requestOptions = {
            allowRetries: allowRetry,
            maxRetries: maxRetry
        };
        return new HttpClient('actions/oidc-client', [new BearerCredentialHandler(oidc_utils_OidcClient.getRequestToken())], requestOptions);
    }
    static getRequestToken() {
        const token = process.env['ACTIONS_ID_TOKEN_REQUEST_TOKEN'];
        if (!token) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_TOKEN env variable');
        }
        return token;
    }
    static getIDTokenUrl() {
        const runtimeUrl = process.env['ACTIONS_ID_TOKEN_REQUEST_URL'];
        if (!runtimeUrl) {
            throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable');
        }
        return runtimeUrl;
    }
    static getCall(id_token_url) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            var _a;
            const httpclient = oidc_utils_OidcClient.createHttpClient();
            const res = yield httpclient
                .getJson(id_token_url)
                .catch(error => {
                throw new Error(`Failed to get ID Token. \n 
        Error Code : ${error.statusCode}\n 
        Error Message: ${error.message}`);
            });
            const id_token = (_a = res.result) === null || _a === void 0 ? void 0 : _a.value;
            if (!id_token) {
                throw new Error('Response json body do not have ID Token field');
            }
            return id_token;
        });
    }
    static getIDToken(audience) {
        return oidc_utils_awaiter(this, void 0, void 0, function* () {
            try {
                // New ID Token is requested from action service
                let id_token_url = oidc_utils_OidcClient.getIDTokenUrl();
                if (audience) {
                    const encodedAudience = encodeURIComponent(audience);
                    id_token_url = `${id_token_url}&audience=${encodedAudience}`;
                }
                debug(`ID token url is ${id_token_url}`);
                const id_token = yield oidc_utils_OidcClient.getCall(id_token_url);
                setSecret(id_token);
                return id_token;
            }
            catch (error) {
                throw new Error(`Error message: ${error.message}`);
            }
        });
    }
}
//# sourceMappingURL=oidc-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var summary_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return summary_awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return summary_awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return summary_awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/path-utils.js

/**
 * toPosixPath converts the given path to the posix form. On Windows, \\ will be
 * replaced with /.
 *
 * @param pth. Path to transform.
 * @return string Posix path.
 */
function toPosixPath(pth) {
    return pth.replace(/[\\]/g, '/');
}
/**
 * toWin32Path converts the given path to the win32 form. On Linux, / will be
 * replaced with \\.
 *
 * @param pth. Path to transform.
 * @return string Win32 path.
 */
function toWin32Path(pth) {
    return pth.replace(/[/]/g, '\\');
}
/**
 * toPlatformPath converts the given path to a platform-specific path. It does
 * this by replacing instances of / and \ with the platform-specific path
 * separator.
 *
 * @param pth The path to platformize.
 * @return string The platform-specific path.
 */
function toPlatformPath(pth) {
    return pth.replace(/[/\\]/g, path.sep);
}
//# sourceMappingURL=path-utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/platform.js
var platform_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const getWindowsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout: version } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Version"', undefined, {
        silent: true
    });
    const { stdout: name } = yield exec.getExecOutput('powershell -command "(Get-CimInstance -ClassName Win32_OperatingSystem).Caption"', undefined, {
        silent: true
    });
    return {
        name: name.trim(),
        version: version.trim()
    };
});
const getMacOsInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    var _a, _b, _c, _d;
    const { stdout } = yield exec.getExecOutput('sw_vers', undefined, {
        silent: true
    });
    const version = (_b = (_a = stdout.match(/ProductVersion:\s*(.+)/)) === null || _a === void 0 ? void 0 : _a[1]) !== null && _b !== void 0 ? _b : '';
    const name = (_d = (_c = stdout.match(/ProductName:\s*(.+)/)) === null || _c === void 0 ? void 0 : _c[1]) !== null && _d !== void 0 ? _d : '';
    return {
        name,
        version
    };
});
const getLinuxInfo = () => platform_awaiter(void 0, void 0, void 0, function* () {
    const { stdout } = yield exec.getExecOutput('lsb_release', ['-i', '-r', '-s'], {
        silent: true
    });
    const [name, version] = stdout.trim().split('\n');
    return {
        name,
        version
    };
});
const platform = external_os_namespaceObject.platform();
const arch = external_os_namespaceObject.arch();
const isWindows = platform === 'win32';
const isMacOS = platform === 'darwin';
const isLinux = platform === 'linux';
function getDetails() {
    return platform_awaiter(this, void 0, void 0, function* () {
        return Object.assign(Object.assign({}, (yield (isWindows
            ? getWindowsInfo()
            : isMacOS
                ? getMacOsInfo()
                : getLinuxInfo()))), { platform,
            arch,
            isWindows,
            isMacOS,
            isLinux });
    });
}
//# sourceMappingURL=platform.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/core.js
var core_awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};






/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
//-----------------------------------------------------------------------
// Variables
//-----------------------------------------------------------------------
/**
 * Sets env variable for this action and future actions in the job
 * @param name the name of the variable to set
 * @param val the value of the variable. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function exportVariable(name, val) {
    const convertedVal = toCommandValue(val);
    process.env[name] = convertedVal;
    const filePath = process.env['GITHUB_ENV'] || '';
    if (filePath) {
        return issueFileCommand('ENV', prepareKeyValueMessage(name, val));
    }
    issueCommand('set-env', { name }, convertedVal);
}
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function core_setSecret(secret) {
    command_issueCommand('add-mask', {}, secret);
}
/**
 * Prepends inputPath to the PATH (for this action and future actions)
 * @param inputPath
 */
function addPath(inputPath) {
    const filePath = process.env['GITHUB_PATH'] || '';
    if (filePath) {
        issueFileCommand('PATH', inputPath);
    }
    else {
        issueCommand('add-path', {}, inputPath);
    }
    process.env['PATH'] = `${inputPath}${path.delimiter}${process.env['PATH']}`;
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    if (options && options.required && !val) {
        throw new Error(`Input required and not supplied: ${name}`);
    }
    if (options && options.trimWhitespace === false) {
        return val;
    }
    return val.trim();
}
/**
 * Gets the values of an multiline input.  Each value is also trimmed.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string[]
 *
 */
function getMultilineInput(name, options) {
    const inputs = getInput(name, options)
        .split('\n')
        .filter(x => x !== '');
    if (options && options.trimWhitespace === false) {
        return inputs;
    }
    return inputs.map(input => input.trim());
}
/**
 * Gets the input value of the boolean type in the YAML 1.2 "core schema" specification.
 * Support boolean input list: `true | True | TRUE | false | False | FALSE` .
 * The return value is also in boolean type.
 * ref: https://yaml.org/spec/1.2/spec.html#id2804923
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   boolean
 */
function getBooleanInput(name, options) {
    const trueValue = ['true', 'True', 'TRUE'];
    const falseValue = ['false', 'False', 'FALSE'];
    const val = getInput(name, options);
    if (trueValue.includes(val))
        return true;
    if (falseValue.includes(val))
        return false;
    throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}\n` +
        `Support boolean input list: \`true | True | TRUE | false | False | FALSE\``);
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return file_command_issueFileCommand('OUTPUT', file_command_prepareKeyValueMessage(name, value));
    }
    process.stdout.write(external_os_namespaceObject.EOL);
    command_issueCommand('set-output', { name }, utils_toCommandValue(value));
}
/**
 * Enables or disables the echoing of commands into stdout for the rest of the step.
 * Echoing is disabled by default if ACTIONS_STEP_DEBUG is not set.
 *
 */
function setCommandEcho(enabled) {
    issue('echo', enabled ? 'on' : 'off');
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function core_debug(message) {
    command_issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    command_issueCommand('error', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    command_issueCommand('warning', utils_toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + external_os_namespaceObject.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}
/**
 * Wrap an asynchronous function call in a group.
 *
 * Returns the same type as the function itself.
 *
 * @param name The name of the group
 * @param fn The function to wrap in the group
 */
function group(name, fn) {
    return core_awaiter(this, void 0, void 0, function* () {
        startGroup(name);
        let result;
        try {
            result = yield fn();
        }
        finally {
            endGroup();
        }
        return result;
    });
}
//-----------------------------------------------------------------------
// Wrapper action state
//-----------------------------------------------------------------------
/**
 * Saves state for current action, the state can only be retrieved by this action's post job execution.
 *
 * @param     name     name of the state to store
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function saveState(name, value) {
    const filePath = process.env['GITHUB_STATE'] || '';
    if (filePath) {
        return issueFileCommand('STATE', prepareKeyValueMessage(name, value));
    }
    issueCommand('save-state', { name }, toCommandValue(value));
}
/**
 * Gets the value of an state set by this action's main execution.
 *
 * @param     name     name of the state to get
 * @returns   string
 */
function getState(name) {
    return process.env[`STATE_${name}`] || '';
}
function getIDToken(aud) {
    return core_awaiter(this, void 0, void 0, function* () {
        return yield OidcClient.getIDToken(aud);
    });
}
/**
 * Summary exports
 */

/**
 * @deprecated use core.summary
 */

/**
 * Path exports
 */

/**
 * Platform utilities exports
 */

//# sourceMappingURL=core.js.map
// EXTERNAL MODULE: ./src/github/markdown.ts
var markdown = __nccwpck_require__(566);
;// CONCATENATED MODULE: ./src/github/port.ts

const COMMAND_START = /^[\s\u0085]*::/;
function neutralise(text) {
    return text
        .split(/\r\n|\r|\n/)
        .map(line => (COMMAND_START.test(line) ? `> ${line}` : line).replace(/##\[/g, '#\u200b#['))
        .join('\n');
}
function guardedPort(sink) {
    const secrets = [];
    const redact = (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
    return {
        env: sink.env,
        getInput: name => sink.getInput(name),
        info: line => sink.info(neutralise(line)),
        warning: line => sink.warning(neutralise(line)),
        debug: line => sink.debug(neutralise(line)),
        fail: message => sink.fail(neutralise(message)),
        mask: secret => {
            if (secret)
                secrets.push((0,markdown/* inert */.t)(secret), secret);
            sink.mask(secret);
        },
        setOutput: (name, value) => sink.setOutput(name, value),
        writeSummary: markdown => sink.writeSummary(redact(markdown))
    };
}

;// CONCATENATED MODULE: ./src/github/toolkit.ts


function actionsPort() {
    return guardedPort({
        env: process.env,
        getInput: name => getInput(name, { trimWhitespace: false }),
        info: info,
        warning: warning,
        debug: core_debug,
        fail: setFailed,
        mask: core_setSecret,
        setOutput: setOutput,
        writeSummary: async (markdown) => {
            try {
                await summary.addRaw(markdown).write();
            }
            catch (error) {
                core_debug(`No job summary written: ${error.message}`);
            }
        }
    });
}


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_cancel_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(321);
/* harmony import */ var _github_exit_guard_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(351);
/* harmony import */ var _github_main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(555);
/* harmony import */ var _github_toolkit_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(390);




const port = (0,_github_toolkit_js__WEBPACK_IMPORTED_MODULE_2__/* .actionsPort */ .B)();
const { signal } = (0,_lib_cancel_js__WEBPACK_IMPORTED_MODULE_0__/* .cancelOnSignals */ .d)();
const guard = (0,_github_exit_guard_js__WEBPACK_IMPORTED_MODULE_3__/* .guardExit */ .K)(port);
await (0,_github_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .e)({ port, signal });
guard.dispose();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 321:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   c: () => (/* binding */ CancelledError),
/* harmony export */   d: () => (/* binding */ cancelOnSignals)
/* harmony export */ });
class CancelledError extends Error {
    signalName;
    constructor(signalName) {
        super(`Cancelled (${signalName}).`);
        this.signalName = signalName;
        this.name = 'CancelledError';
    }
}
function cancelOnSignals(signals = ['SIGINT', 'SIGTERM']) {
    const controller = new AbortController();
    const handlers = signals.map(name => {
        const handler = () => controller.abort(new CancelledError(name));
        process.on(name, handler);
        return [name, handler];
    });
    return {
        signal: controller.signal,
        dispose: () => handlers.forEach(([name, handler]) => process.off(name, handler))
    };
}


/***/ }),

/***/ 613:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("assert");

/***/ }),

/***/ 434:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("events");

/***/ }),

/***/ 611:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("http");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("https");

/***/ }),

/***/ 278:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("net");

/***/ }),

/***/ 756:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("tls");

/***/ }),

/***/ 23:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("util");

/***/ }),

/***/ 313:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Qq: () => (/* binding */ HttpClient)
});

// UNUSED EXPORTS: Headers, HttpClientError, HttpClientResponse, HttpCodes, MediaTypes, getProxyUrl, isHttps

// EXTERNAL MODULE: external "http"
var external_http_ = __nccwpck_require__(611);
var external_http_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_http_, 2);
// EXTERNAL MODULE: external "https"
var external_https_ = __nccwpck_require__(692);
var external_https_namespaceObject = /*#__PURE__*/__nccwpck_require__.t(external_https_, 2);
;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/proxy.js
function getProxyUrl(reqUrl) {
    const usingSsl = reqUrl.protocol === 'https:';
    if (checkBypass(reqUrl)) {
        return undefined;
    }
    const proxyVar = (() => {
        if (usingSsl) {
            return process.env['https_proxy'] || process.env['HTTPS_PROXY'];
        }
        else {
            return process.env['http_proxy'] || process.env['HTTP_PROXY'];
        }
    })();
    if (proxyVar) {
        try {
            return new DecodedURL(proxyVar);
        }
        catch (_a) {
            if (!proxyVar.startsWith('http://') && !proxyVar.startsWith('https://'))
                return new DecodedURL(`http://${proxyVar}`);
        }
    }
    else {
        return undefined;
    }
}
function checkBypass(reqUrl) {
    if (!reqUrl.hostname) {
        return false;
    }
    const reqHost = reqUrl.hostname;
    if (isLoopbackAddress(reqHost)) {
        return true;
    }
    const noProxy = process.env['no_proxy'] || process.env['NO_PROXY'] || '';
    if (!noProxy) {
        return false;
    }
    // Determine the request port
    let reqPort;
    if (reqUrl.port) {
        reqPort = Number(reqUrl.port);
    }
    else if (reqUrl.protocol === 'http:') {
        reqPort = 80;
    }
    else if (reqUrl.protocol === 'https:') {
        reqPort = 443;
    }
    // Format the request hostname and hostname with port
    const upperReqHosts = [reqUrl.hostname.toUpperCase()];
    if (typeof reqPort === 'number') {
        upperReqHosts.push(`${upperReqHosts[0]}:${reqPort}`);
    }
    // Compare request host against noproxy
    for (const upperNoProxyItem of noProxy
        .split(',')
        .map(x => x.trim().toUpperCase())
        .filter(x => x)) {
        if (upperNoProxyItem === '*' ||
            upperReqHosts.some(x => x === upperNoProxyItem ||
                x.endsWith(`.${upperNoProxyItem}`) ||
                (upperNoProxyItem.startsWith('.') &&
                    x.endsWith(`${upperNoProxyItem}`)))) {
            return true;
        }
    }
    return false;
}
function isLoopbackAddress(host) {
    const hostLower = host.toLowerCase();
    return (hostLower === 'localhost' ||
        hostLower.startsWith('127.') ||
        hostLower.startsWith('[::1]') ||
        hostLower.startsWith('[0:0:0:0:0:0:0:1]'));
}
class DecodedURL extends URL {
    constructor(url, base) {
        super(url, base);
        this._decodedUsername = decodeURIComponent(super.username);
        this._decodedPassword = decodeURIComponent(super.password);
    }
    get username() {
        return this._decodedUsername;
    }
    get password() {
        return this._decodedPassword;
    }
}
//# sourceMappingURL=proxy.js.map
// EXTERNAL MODULE: ./node_modules/tunnel/index.js
var tunnel = __nccwpck_require__(770);
;// CONCATENATED MODULE: ./stubs/undici/index.js
// @actions/http-client imports undici only for getAgentDispatcher(), the proxy dispatcher it hands
// to fetch() users. This action never calls it, yet bundling undici tripled the action's start-up
// time (it is 85% of the bundle and is evaluated on load). Requests go through http-client's
// node:http/https agents, which keep HTTPS_PROXY/NO_PROXY support. See README "Benchmark".
// The override in package.json names http-client's exact version (npm refuses a range there for a
// direct dependency): when http-client is updated, update that key too. If it is forgotten, the
// real undici comes back and scripts/check-bundle.mjs (npm run check:bundle) fails in CI.
class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled with this action: HttpClient.getAgentDispatcher() is unavailable'
    )
  }
}

;// CONCATENATED MODULE: ./node_modules/@actions/http-client/lib/index.js
/* eslint-disable @typescript-eslint/no-explicit-any */
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};





var HttpCodes;
(function (HttpCodes) {
    HttpCodes[HttpCodes["OK"] = 200] = "OK";
    HttpCodes[HttpCodes["MultipleChoices"] = 300] = "MultipleChoices";
    HttpCodes[HttpCodes["MovedPermanently"] = 301] = "MovedPermanently";
    HttpCodes[HttpCodes["ResourceMoved"] = 302] = "ResourceMoved";
    HttpCodes[HttpCodes["SeeOther"] = 303] = "SeeOther";
    HttpCodes[HttpCodes["NotModified"] = 304] = "NotModified";
    HttpCodes[HttpCodes["UseProxy"] = 305] = "UseProxy";
    HttpCodes[HttpCodes["SwitchProxy"] = 306] = "SwitchProxy";
    HttpCodes[HttpCodes["TemporaryRedirect"] = 307] = "TemporaryRedirect";
    HttpCodes[HttpCodes["PermanentRedirect"] = 308] = "PermanentRedirect";
    HttpCodes[HttpCodes["BadRequest"] = 400] = "BadRequest";
    HttpCodes[HttpCodes["Unauthorized"] = 401] = "Unauthorized";
    HttpCodes[HttpCodes["PaymentRequired"] = 402] = "PaymentRequired";
    HttpCodes[HttpCodes["Forbidden"] = 403] = "Forbidden";
    HttpCodes[HttpCodes["NotFound"] = 404] = "NotFound";
    HttpCodes[HttpCodes["MethodNotAllowed"] = 405] = "MethodNotAllowed";
    HttpCodes[HttpCodes["NotAcceptable"] = 406] = "NotAcceptable";
    HttpCodes[HttpCodes["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
    HttpCodes[HttpCodes["RequestTimeout"] = 408] = "RequestTimeout";
    HttpCodes[HttpCodes["Conflict"] = 409] = "Conflict";
    HttpCodes[HttpCodes["Gone"] = 410] = "Gone";
    HttpCodes[HttpCodes["TooManyRequests"] = 429] = "TooManyRequests";
    HttpCodes[HttpCodes["InternalServerError"] = 500] = "InternalServerError";
    HttpCodes[HttpCodes["NotImplemented"] = 501] = "NotImplemented";
    HttpCodes[HttpCodes["BadGateway"] = 502] = "BadGateway";
    HttpCodes[HttpCodes["ServiceUnavailable"] = 503] = "ServiceUnavailable";
    HttpCodes[HttpCodes["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function (Headers) {
    Headers["Accept"] = "accept";
    Headers["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function (MediaTypes) {
    MediaTypes["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
/**
 * Returns the proxy URL, depending upon the supplied url and proxy environment variables.
 * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
 */
function lib_getProxyUrl(serverUrl) {
    const proxyUrl = pm.getProxyUrl(new URL(serverUrl));
    return proxyUrl ? proxyUrl.href : '';
}
const HttpRedirectCodes = [
    HttpCodes.MovedPermanently,
    HttpCodes.ResourceMoved,
    HttpCodes.SeeOther,
    HttpCodes.TemporaryRedirect,
    HttpCodes.PermanentRedirect
];
const HttpResponseRetryCodes = [
    HttpCodes.BadGateway,
    HttpCodes.ServiceUnavailable,
    HttpCodes.GatewayTimeout
];
const RetryableHttpVerbs = ['OPTIONS', 'GET', 'DELETE', 'HEAD'];
const ExponentialBackoffCeiling = 10;
const ExponentialBackoffTimeSlice = 5;
class HttpClientError extends Error {
    constructor(message, statusCode) {
        super(message);
        this.name = 'HttpClientError';
        this.statusCode = statusCode;
        Object.setPrototypeOf(this, HttpClientError.prototype);
    }
}
class HttpClientResponse {
    constructor(message) {
        this.message = message;
    }
    readBody() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                let output = Buffer.alloc(0);
                this.message.on('data', (chunk) => {
                    output = Buffer.concat([output, chunk]);
                });
                this.message.on('end', () => {
                    resolve(output.toString());
                });
            }));
        });
    }
    readBodyBuffer() {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve) => __awaiter(this, void 0, void 0, function* () {
                const chunks = [];
                this.message.on('data', (chunk) => {
                    chunks.push(chunk);
                });
                this.message.on('end', () => {
                    resolve(Buffer.concat(chunks));
                });
            }));
        });
    }
}
function isHttps(requestUrl) {
    const parsedUrl = new URL(requestUrl);
    return parsedUrl.protocol === 'https:';
}
class HttpClient {
    constructor(userAgent, handlers, requestOptions) {
        this._ignoreSslError = false;
        this._allowRedirects = true;
        this._allowRedirectDowngrade = false;
        this._maxRedirects = 50;
        this._allowRetries = false;
        this._maxRetries = 1;
        this._keepAlive = false;
        this._disposed = false;
        this.userAgent = this._getUserAgentWithOrchestrationId(userAgent);
        this.handlers = handlers || [];
        this.requestOptions = requestOptions;
        if (requestOptions) {
            if (requestOptions.ignoreSslError != null) {
                this._ignoreSslError = requestOptions.ignoreSslError;
            }
            this._socketTimeout = requestOptions.socketTimeout;
            if (requestOptions.allowRedirects != null) {
                this._allowRedirects = requestOptions.allowRedirects;
            }
            if (requestOptions.allowRedirectDowngrade != null) {
                this._allowRedirectDowngrade = requestOptions.allowRedirectDowngrade;
            }
            if (requestOptions.maxRedirects != null) {
                this._maxRedirects = Math.max(requestOptions.maxRedirects, 0);
            }
            if (requestOptions.keepAlive != null) {
                this._keepAlive = requestOptions.keepAlive;
            }
            if (requestOptions.allowRetries != null) {
                this._allowRetries = requestOptions.allowRetries;
            }
            if (requestOptions.maxRetries != null) {
                this._maxRetries = requestOptions.maxRetries;
            }
        }
    }
    options(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('OPTIONS', requestUrl, null, additionalHeaders || {});
        });
    }
    get(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('GET', requestUrl, null, additionalHeaders || {});
        });
    }
    del(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('DELETE', requestUrl, null, additionalHeaders || {});
        });
    }
    post(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('POST', requestUrl, data, additionalHeaders || {});
        });
    }
    patch(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PATCH', requestUrl, data, additionalHeaders || {});
        });
    }
    put(requestUrl, data, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('PUT', requestUrl, data, additionalHeaders || {});
        });
    }
    head(requestUrl, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request('HEAD', requestUrl, null, additionalHeaders || {});
        });
    }
    sendStream(verb, requestUrl, stream, additionalHeaders) {
        return __awaiter(this, void 0, void 0, function* () {
            return this.request(verb, requestUrl, stream, additionalHeaders);
        });
    }
    /**
     * Gets a typed object from an endpoint
     * Be aware that not found returns a null.  Other errors (4xx, 5xx) reject the promise
     */
    getJson(requestUrl_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, additionalHeaders = {}) {
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            const res = yield this.get(requestUrl, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    postJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.post(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    putJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.put(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    patchJson(requestUrl_1, obj_1) {
        return __awaiter(this, arguments, void 0, function* (requestUrl, obj, additionalHeaders = {}) {
            const data = JSON.stringify(obj, null, 2);
            additionalHeaders[Headers.Accept] = this._getExistingOrDefaultHeader(additionalHeaders, Headers.Accept, MediaTypes.ApplicationJson);
            additionalHeaders[Headers.ContentType] =
                this._getExistingOrDefaultContentTypeHeader(additionalHeaders, MediaTypes.ApplicationJson);
            const res = yield this.patch(requestUrl, data, additionalHeaders);
            return this._processResponse(res, this.requestOptions);
        });
    }
    /**
     * Makes a raw http request.
     * All other methods such as get, post, patch, and request ultimately call this.
     * Prefer get, del, post and patch
     */
    request(verb, requestUrl, data, headers) {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._disposed) {
                throw new Error('Client has already been disposed.');
            }
            const parsedUrl = new URL(requestUrl);
            let info = this._prepareRequest(verb, parsedUrl, headers);
            // Only perform retries on reads since writes may not be idempotent.
            const maxTries = this._allowRetries && RetryableHttpVerbs.includes(verb)
                ? this._maxRetries + 1
                : 1;
            let numTries = 0;
            let response;
            do {
                response = yield this.requestRaw(info, data);
                // Check if it's an authentication challenge
                if (response &&
                    response.message &&
                    response.message.statusCode === HttpCodes.Unauthorized) {
                    let authenticationHandler;
                    for (const handler of this.handlers) {
                        if (handler.canHandleAuthentication(response)) {
                            authenticationHandler = handler;
                            break;
                        }
                    }
                    if (authenticationHandler) {
                        return authenticationHandler.handleAuthentication(this, info, data);
                    }
                    else {
                        // We have received an unauthorized response but have no handlers to handle it.
                        // Let the response return to the caller.
                        return response;
                    }
                }
                let redirectsRemaining = this._maxRedirects;
                while (response.message.statusCode &&
                    HttpRedirectCodes.includes(response.message.statusCode) &&
                    this._allowRedirects &&
                    redirectsRemaining > 0) {
                    const redirectUrl = response.message.headers['location'];
                    if (!redirectUrl) {
                        // if there's no location to redirect to, we won't
                        break;
                    }
                    const parsedRedirectUrl = new URL(redirectUrl);
                    if (parsedUrl.protocol === 'https:' &&
                        parsedUrl.protocol !== parsedRedirectUrl.protocol &&
                        !this._allowRedirectDowngrade) {
                        throw new Error('Redirect from HTTPS to HTTP protocol. This downgrade is not allowed for security reasons. If you want to allow this behavior, set the allowRedirectDowngrade option to true.');
                    }
                    // we need to finish reading the response before reassigning response
                    // which will leak the open socket.
                    yield response.readBody();
                    // strip authorization header if redirected to a different hostname
                    if (parsedRedirectUrl.hostname !== parsedUrl.hostname) {
                        for (const header in headers) {
                            // header names are case insensitive
                            if (header.toLowerCase() === 'authorization') {
                                delete headers[header];
                            }
                        }
                    }
                    // let's make the request with the new redirectUrl
                    info = this._prepareRequest(verb, parsedRedirectUrl, headers);
                    response = yield this.requestRaw(info, data);
                    redirectsRemaining--;
                }
                if (!response.message.statusCode ||
                    !HttpResponseRetryCodes.includes(response.message.statusCode)) {
                    // If not a retry code, return immediately instead of retrying
                    return response;
                }
                numTries += 1;
                if (numTries < maxTries) {
                    yield response.readBody();
                    yield this._performExponentialBackoff(numTries);
                }
            } while (numTries < maxTries);
            return response;
        });
    }
    /**
     * Needs to be called if keepAlive is set to true in request options.
     */
    dispose() {
        if (this._agent) {
            this._agent.destroy();
        }
        this._disposed = true;
    }
    /**
     * Raw request.
     * @param info
     * @param data
     */
    requestRaw(info, data) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => {
                function callbackForResult(err, res) {
                    if (err) {
                        reject(err);
                    }
                    else if (!res) {
                        // If `err` is not passed, then `res` must be passed.
                        reject(new Error('Unknown error'));
                    }
                    else {
                        resolve(res);
                    }
                }
                this.requestRawWithCallback(info, data, callbackForResult);
            });
        });
    }
    /**
     * Raw request with callback.
     * @param info
     * @param data
     * @param onResult
     */
    requestRawWithCallback(info, data, onResult) {
        if (typeof data === 'string') {
            if (!info.options.headers) {
                info.options.headers = {};
            }
            info.options.headers['Content-Length'] = Buffer.byteLength(data, 'utf8');
        }
        let callbackCalled = false;
        function handleResult(err, res) {
            if (!callbackCalled) {
                callbackCalled = true;
                onResult(err, res);
            }
        }
        const req = info.httpModule.request(info.options, (msg) => {
            const res = new HttpClientResponse(msg);
            handleResult(undefined, res);
        });
        let socket;
        req.on('socket', sock => {
            socket = sock;
        });
        // If we ever get disconnected, we want the socket to timeout eventually
        req.setTimeout(this._socketTimeout || 3 * 60000, () => {
            if (socket) {
                socket.end();
            }
            handleResult(new Error(`Request timeout: ${info.options.path}`));
        });
        req.on('error', function (err) {
            // err has statusCode property
            // res should have headers
            handleResult(err);
        });
        if (data && typeof data === 'string') {
            req.write(data, 'utf8');
        }
        if (data && typeof data !== 'string') {
            data.on('close', function () {
                req.end();
            });
            data.pipe(req);
        }
        else {
            req.end();
        }
    }
    /**
     * Gets an http agent. This function is useful when you need an http agent that handles
     * routing through a proxy server - depending upon the url and proxy environment variables.
     * @param serverUrl  The server URL where the request will be sent. For example, https://api.github.com
     */
    getAgent(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        return this._getAgent(parsedUrl);
    }
    getAgentDispatcher(serverUrl) {
        const parsedUrl = new URL(serverUrl);
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (!useProxy) {
            return;
        }
        return this._getProxyAgentDispatcher(parsedUrl, proxyUrl);
    }
    _prepareRequest(method, requestUrl, headers) {
        const info = {};
        info.parsedUrl = requestUrl;
        const usingSsl = info.parsedUrl.protocol === 'https:';
        info.httpModule = usingSsl ? external_https_namespaceObject : external_http_namespaceObject;
        const defaultPort = usingSsl ? 443 : 80;
        info.options = {};
        info.options.host = info.parsedUrl.hostname;
        info.options.port = info.parsedUrl.port
            ? parseInt(info.parsedUrl.port)
            : defaultPort;
        info.options.path =
            (info.parsedUrl.pathname || '') + (info.parsedUrl.search || '');
        info.options.method = method;
        info.options.headers = this._mergeHeaders(headers);
        if (this.userAgent != null) {
            info.options.headers['user-agent'] = this.userAgent;
        }
        info.options.agent = this._getAgent(info.parsedUrl);
        // gives handlers an opportunity to participate
        if (this.handlers) {
            for (const handler of this.handlers) {
                handler.prepareRequest(info.options);
            }
        }
        return info;
    }
    _mergeHeaders(headers) {
        if (this.requestOptions && this.requestOptions.headers) {
            return Object.assign({}, lowercaseKeys(this.requestOptions.headers), lowercaseKeys(headers || {}));
        }
        return lowercaseKeys(headers || {});
    }
    /**
     * Gets an existing header value or returns a default.
     * Handles converting number header values to strings since HTTP headers must be strings.
     * Note: This returns string | string[] since some headers can have multiple values.
     * For headers that must always be a single string (like Content-Type), use the
     * specialized _getExistingOrDefaultContentTypeHeader method instead.
     */
    _getExistingOrDefaultHeader(additionalHeaders, header, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[header];
            if (headerValue) {
                clientHeader =
                    typeof headerValue === 'number' ? headerValue.toString() : headerValue;
            }
        }
        const additionalValue = additionalHeaders[header];
        if (additionalValue !== undefined) {
            return typeof additionalValue === 'number'
                ? additionalValue.toString()
                : additionalValue;
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    /**
     * Specialized version of _getExistingOrDefaultHeader for Content-Type header.
     * Always returns a single string (not an array) since Content-Type should be a single value.
     * Converts arrays to comma-separated strings and numbers to strings to ensure type safety.
     * This was split from _getExistingOrDefaultHeader to provide stricter typing for callers
     * that assign the result to places expecting a string (e.g., additionalHeaders[Headers.ContentType]).
     */
    _getExistingOrDefaultContentTypeHeader(additionalHeaders, _default) {
        let clientHeader;
        if (this.requestOptions && this.requestOptions.headers) {
            const headerValue = lowercaseKeys(this.requestOptions.headers)[Headers.ContentType];
            if (headerValue) {
                if (typeof headerValue === 'number') {
                    clientHeader = String(headerValue);
                }
                else if (Array.isArray(headerValue)) {
                    clientHeader = headerValue.join(', ');
                }
                else {
                    clientHeader = headerValue;
                }
            }
        }
        const additionalValue = additionalHeaders[Headers.ContentType];
        // Return the first non-undefined value, converting numbers or arrays to strings if necessary
        if (additionalValue !== undefined) {
            if (typeof additionalValue === 'number') {
                return String(additionalValue);
            }
            else if (Array.isArray(additionalValue)) {
                return additionalValue.join(', ');
            }
            else {
                return additionalValue;
            }
        }
        if (clientHeader !== undefined) {
            return clientHeader;
        }
        return _default;
    }
    _getAgent(parsedUrl) {
        let agent;
        const proxyUrl = getProxyUrl(parsedUrl);
        const useProxy = proxyUrl && proxyUrl.hostname;
        if (this._keepAlive && useProxy) {
            agent = this._proxyAgent;
        }
        if (!useProxy) {
            agent = this._agent;
        }
        // if agent is already assigned use that agent.
        if (agent) {
            return agent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        let maxSockets = 100;
        if (this.requestOptions) {
            maxSockets = this.requestOptions.maxSockets || external_http_.globalAgent.maxSockets;
        }
        // This is `useProxy` again, but we need to check `proxyURl` directly for TypeScripts's flow analysis.
        if (proxyUrl && proxyUrl.hostname) {
            const agentOptions = {
                maxSockets,
                keepAlive: this._keepAlive,
                proxy: Object.assign(Object.assign({}, ((proxyUrl.username || proxyUrl.password) && {
                    proxyAuth: `${proxyUrl.username}:${proxyUrl.password}`
                })), { host: proxyUrl.hostname, port: proxyUrl.port })
            };
            let tunnelAgent;
            const overHttps = proxyUrl.protocol === 'https:';
            if (usingSsl) {
                tunnelAgent = overHttps ? tunnel.httpsOverHttps : tunnel.httpsOverHttp;
            }
            else {
                tunnelAgent = overHttps ? tunnel.httpOverHttps : tunnel.httpOverHttp;
            }
            agent = tunnelAgent(agentOptions);
            this._proxyAgent = agent;
        }
        // if tunneling agent isn't assigned create a new agent
        if (!agent) {
            const options = { keepAlive: this._keepAlive, maxSockets };
            agent = usingSsl ? new external_https_.Agent(options) : new external_http_.Agent(options);
            this._agent = agent;
        }
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            agent.options = Object.assign(agent.options || {}, {
                rejectUnauthorized: false
            });
        }
        return agent;
    }
    _getProxyAgentDispatcher(parsedUrl, proxyUrl) {
        let proxyAgent;
        if (this._keepAlive) {
            proxyAgent = this._proxyAgentDispatcher;
        }
        // if agent is already assigned use that agent.
        if (proxyAgent) {
            return proxyAgent;
        }
        const usingSsl = parsedUrl.protocol === 'https:';
        proxyAgent = new ProxyAgent(Object.assign({ uri: proxyUrl.href, pipelining: !this._keepAlive ? 0 : 1 }, ((proxyUrl.username || proxyUrl.password) && {
            token: `Basic ${Buffer.from(`${proxyUrl.username}:${proxyUrl.password}`).toString('base64')}`
        })));
        this._proxyAgentDispatcher = proxyAgent;
        if (usingSsl && this._ignoreSslError) {
            // we don't want to set NODE_TLS_REJECT_UNAUTHORIZED=0 since that will affect request for entire process
            // http.RequestOptions doesn't expose a way to modify RequestOptions.agent.options
            // we have to cast it to any and change it directly
            proxyAgent.options = Object.assign(proxyAgent.options.requestTls || {}, {
                rejectUnauthorized: false
            });
        }
        return proxyAgent;
    }
    _getUserAgentWithOrchestrationId(userAgent) {
        const baseUserAgent = userAgent || 'actions/http-client';
        const orchId = process.env['ACTIONS_ORCHESTRATION_ID'];
        if (orchId) {
            // Sanitize the orchestration ID to ensure it contains only valid characters
            // Valid characters: 0-9, a-z, _, -, .
            const sanitizedId = orchId.replace(/[^a-z0-9_.-]/gi, '_');
            return `${baseUserAgent} actions_orchestration_id/${sanitizedId}`;
        }
        return baseUserAgent;
    }
    _performExponentialBackoff(retryNumber) {
        return __awaiter(this, void 0, void 0, function* () {
            retryNumber = Math.min(ExponentialBackoffCeiling, retryNumber);
            const ms = ExponentialBackoffTimeSlice * Math.pow(2, retryNumber);
            return new Promise(resolve => setTimeout(() => resolve(), ms));
        });
    }
    _processResponse(res, options) {
        return __awaiter(this, void 0, void 0, function* () {
            return new Promise((resolve, reject) => __awaiter(this, void 0, void 0, function* () {
                const statusCode = res.message.statusCode || 0;
                const response = {
                    statusCode,
                    result: null,
                    headers: {}
                };
                // not found leads to null obj returned
                if (statusCode === HttpCodes.NotFound) {
                    resolve(response);
                }
                // get the result from the body
                function dateTimeDeserializer(key, value) {
                    if (typeof value === 'string') {
                        const a = new Date(value);
                        if (!isNaN(a.valueOf())) {
                            return a;
                        }
                    }
                    return value;
                }
                let obj;
                let contents;
                try {
                    contents = yield res.readBody();
                    if (contents && contents.length > 0) {
                        if (options && options.deserializeDates) {
                            obj = JSON.parse(contents, dateTimeDeserializer);
                        }
                        else {
                            obj = JSON.parse(contents);
                        }
                        response.result = obj;
                    }
                    response.headers = res.message.headers;
                }
                catch (err) {
                    // Invalid resource (contents not json);  leaving result obj null
                }
                // note that 3xx redirects are handled by the http layer.
                if (statusCode > 299) {
                    let msg;
                    // if exception/error in body, attempt to get better error
                    if (obj && obj.message) {
                        msg = obj.message;
                    }
                    else if (contents && contents.length > 0) {
                        // it may be the case that the exception is in the body message as string
                        msg = contents;
                    }
                    else {
                        msg = `Failed request: (${statusCode})`;
                    }
                    const err = new HttpClientError(msg, statusCode);
                    err.result = response.result;
                    reject(err);
                }
                else {
                    resolve(response);
                }
            }));
        });
    }
}
const lowercaseKeys = (obj) => Object.keys(obj).reduce((c, k) => ((c[k.toLowerCase()] = obj[k]), c), {});
//# sourceMappingURL=index.js.map

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 

//# sourceMappingURL=index.js.map