#!/usr/bin/env node
// @ts-check
// Starts the NCP simulator with the demo fixture and prints one line of JSON once it listens.
import { renameSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { demoFixture, startSimulator } from './ncp-simulator.mjs'

const USAGE = `Usage: node simulator/cli.mjs [options]
  --port N              listen on 127.0.0.1:N (default 0 = a free port)
  --create-ms N         time until a new image leaves INIT (default 1000)
  --fail                new images end in CREFL instead of CREAT
  --list-lag-ms N       new images appear in list calls only after N ms (default 0)
  --latency-ms N        delay every response by N ms (default 0)
  --clock-skew-ms N     pretend the simulator clock is off by N ms
  --permission-denied   answer every signed request with 401 / errorCode 210
  --fault SPEC          inject a fault, repeatable; SPEC = ACTION:KIND[:TIMES[:before|after]]
                        KIND = throttle | endpoint-error | endpoint-timeout | unexpected |
                               service-retry | service-internal | drop | permission |
                               cut | stall | trickle | redirect | not-json | no-list |
                               no-rows | huge
                               (their options keep their defaults);
                        ACTION may be *
  --ready-file PATH     also write the ready JSON to PATH
  --log                 log one line per request to stderr
  --help                show this text`

/**
 * @param {Record<string, unknown>} values
 * @param {string} name
 */
function numberOption(values, name) {
  const raw = values[name]
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value)) throw new Error(`--${name} needs a number, got "${raw}"`)
  return value
}

/**
 * A fault from ACTION:KIND[:TIMES[:WHEN]]; startSimulator's addFault checks the kind and the rest.
 * @param {string} spec
 * @returns {import('./ncp-simulator.mjs').Fault}
 */
function parseFault(spec) {
  const [action, kind, times, when] = spec.split(':')
  if (!action || !kind) throw new Error(`--fault needs ACTION:KIND, got "${spec}"`)
  return {
    action,
    kind: /** @type {import('./ncp-simulator.mjs').FaultKind} */ (kind),
    times: times ? Number(times) : 1,
    when: /** @type {'before' | 'after'} */ (when || 'before')
  }
}

/** @param {string[]} argv */
function parseCli(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'create-ms': { type: 'string' },
      fail: { type: 'boolean' },
      'list-lag-ms': { type: 'string' },
      'latency-ms': { type: 'string' },
      'clock-skew-ms': { type: 'string' },
      'permission-denied': { type: 'boolean' },
      fault: { type: 'string', multiple: true },
      'ready-file': { type: 'string' },
      log: { type: 'boolean' },
      help: { type: 'boolean' }
    }
  })
  return {
    help: values.help ?? false,
    readyFile: values['ready-file'],
    log: values.log ?? false,
    faults: (values.fault ?? []).map(parseFault),
    options: {
      port: numberOption(values, 'port') ?? 0,
      createMs: numberOption(values, 'create-ms'),
      failImages: values.fail ?? false,
      listLagMs: numberOption(values, 'list-lag-ms'),
      latencyMs: numberOption(values, 'latency-ms'),
      clockSkewMs: numberOption(values, 'clock-skew-ms'),
      permissionDenied: values['permission-denied'] ?? false
    }
  }
}

// Readers polling for the file never see it half-written.
/**
 * @param {string} path
 * @param {string} text
 */
function writeAtomically(path, text) {
  writeFileSync(`${path}.tmp`, text)
  renameSync(`${path}.tmp`, path)
}

/** @param {import('./ncp-simulator.mjs').RecordedRequest} request */
function logRequest(request) {
  const fault = request.fault ? ` fault=${request.fault}` : ''
  process.stderr.write(`${request.status} ${request.method} ${request.path}${fault}\n`)
}

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error)
}

async function main() {
  let cli
  try {
    cli = parseCli(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n\n${USAGE}\n`)
    process.exit(2)
  }
  if (cli.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }

  const fixture = demoFixture()
  const sim = await startSimulator({
    ...cli.options,
    ...fixture,
    onRequest: cli.log ? logRequest : undefined
  })
  try {
    for (const fault of cli.faults) sim.addFault(fault)
  } catch (error) {
    await sim.close()
    process.stderr.write(`${errorMessage(error)}\n\n${USAGE}\n`)
    process.exit(2)
  }

  // Installed before the ready line, so a stop sent as soon as it is read is never lost.
  const stop = async () => {
    await sim.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  const [[accessKey, secretKey]] = Object.entries(fixture.credentials)
  const ready = JSON.stringify({
    url: sim.url,
    accessKey,
    secretKey,
    regionCode: 'KR',
    servers: fixture.servers.map(
      ({ serverInstanceNo, serverName, hypervisor, status, operation }) => ({
        serverInstanceNo,
        serverName,
        hypervisor,
        status: status ?? 'RUN',
        operation: operation ?? 'NULL'
      })
    )
  })
  if (cli.readyFile) writeAtomically(cli.readyFile, `${ready}\n`)
  process.stdout.write(`${ready}\n`)
}

await main()
