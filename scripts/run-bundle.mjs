// @ts-check
// The one way to run the action as the runner does: INPUT_* variables from an inputs map, the
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_STATE files in a fresh temp dir (also RUNNER_TEMP,
// HOME and the cwd), the runtime chosen (this Node, or the runner's Node 24), signals at given
// moments, a kill timeout. Used by the spawned tests (__tests__/helpers/run-action.ts), the demo,
// local-action and the benchmark. runPostStep() runs a post step from a run's saved state.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { POST_ENTRY } from './post-entry.mjs'
import { distProblem } from './source-hash.mjs'

export const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url))
/** The post step's entry (action.yml `post:`): marks the phase and loads dist/index.js. */
export { POST_ENTRY }

/**
 * @typedef {object} TimedSignal
 * @property {NodeJS.Signals} signal
 * @property {number} [afterMs] sent this long after the spawn
 * @property {string | RegExp} [onOutput] sent once stdout contains (or matches) this
 */

/**
 * @typedef {object} RunOptions
 * @property {string} [runtime] the Node binary: default process.execPath; findNode24() for the runner's
 * @property {string} [entry] the script to run: default dist/index.js
 * @property {string[]} [nodeArgs] arguments before the entry, such as ['--import', preload]
 * @property {Record<string, string>} [env] more environment (PATH, HOME and the runner's files are set)
 * @property {Record<string, string>} [state] the saved state a post step gets, as STATE_<name>
 * @property {TimedSignal[]} [signals] signals to send to the child
 * @property {(stdout: string, child: import('node:child_process').ChildProcess) => void} [onOutput]
 *   called with the output so far each time the child prints
 * @property {boolean} [discardOutput] send stdout and stderr to /dev/null, as a measurement wants
 *   (stdout and stderr are then empty, and signals on output never fire)
 * @property {number} [limitMs] SIGKILL the child still running after this long (default 45 s)
 * @property {'throw' | 'warn'} [staleDist] what to do, once per process, when dist/ is not the
 *   bundle of src/ and the entry is dist/index.js or dist/post.js (default 'throw')
 */

/**
 * @typedef {object} BundleRun
 * @property {number | null} code the exit code, null when a signal ended the child
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {Record<string, string>} outputs the last value of each output (GITHUB_OUTPUT)
 * @property {string} summary the job summary (GITHUB_STEP_SUMMARY)
 * @property {Record<string, string>} state the saved state (GITHUB_STATE), for runPostStep()
 * @property {number} startedAt ms since the epoch, just before the spawn
 * @property {number} exitedAt ms since the epoch, when the child exited
 * @property {{ signal: NodeJS.Signals, at: number }[]} signalsSent each signal sent, and when
 */

/** @type {Set<string>} */
const distChecked = new Set()

/** @param {'throw' | 'warn'} mode */
function checkDistOnce(mode) {
  if (distChecked.has(mode)) return
  distChecked.add(mode)
  const problem = distProblem()
  if (!problem) return
  if (mode === 'throw') throw new Error(problem)
  console.error(`warning: ${problem}`)
}

/**
 * Reads a runner file command file (GITHUB_OUTPUT, GITHUB_STATE): `name<<DELIMITER` blocks, as
 * @actions/core writes them, and `name=value` lines, as shell steps write them. The last value wins.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseCommandFile(text) {
  /** @type {Record<string, string>} */
  const values = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '')
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value = []
      for (i++; i < lines.length && lines[i].replace(/\r$/, '') !== delimiter; i++) {
        value.push(lines[i])
      }
      if (i === lines.length) throw new Error(`"${name}" has no closing ${delimiter}`)
      values[name] = value.join('\n')
      continue
    }
    const pair = /^([^=]+)=(.*)$/.exec(line)
    if (pair) values[pair[1]] = pair[2]
    else if (line !== '') throw new Error(`not a name=value or name<<DELIMITER line: ${line}`)
  }
  return values
}

/**
 * Runs the action (or options.entry) once as the runner does, and collects what it left behind.
 * @param {Record<string, string>} inputs names as in action.yml
 * @param {RunOptions} [options]
 * @returns {Promise<BundleRun>}
 */
export async function runBundle(inputs, options = {}) {
  const entry = options.entry ?? BUNDLE
  if (entry === BUNDLE || entry === POST_ENTRY) checkDistOnce(options.staleDist ?? 'throw')
  const runtime = options.runtime ?? process.execPath
  if (!existsSync(runtime)) throw new Error(`runBundle: no Node binary at ${runtime}`)
  const dir = mkdtempSync(join(tmpdir(), 'ncp-action-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  /** @type {Record<string, string>} */
  const env = { PATH: process.env.PATH ?? '', HOME: dir, RUNNER_TEMP: dir, ...files }
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value
  Object.assign(env, options.env)
  try {
    const startedAt = Date.now()
    const child = spawn(runtime, [...(options.nodeArgs ?? []), entry], {
      cwd: dir,
      env,
      stdio: options.discardOutput ? 'ignore' : ['ignore', 'pipe', 'pipe']
    })
    /** @type {BundleRun['signalsSent']} */
    const signalsSent = []
    /** @param {NodeJS.Signals} signal */
    const send = signal => {
      if (child.exitCode !== null || child.signalCode !== null) return
      signalsSent.push({ signal, at: Date.now() })
      child.kill(signal)
    }
    const pending = [...(options.signals ?? [])]
    const timers = pending
      .filter(timed => timed.afterMs !== undefined)
      .map(timed => setTimeout(() => send(timed.signal), timed.afterMs))
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', chunk => {
      stdout += chunk
      for (let i = pending.length - 1; i >= 0; i--) {
        const when = pending[i].onOutput
        if (when === undefined) continue
        if (typeof when === 'string' ? stdout.includes(when) : when.test(stdout)) {
          send(pending[i].signal)
          pending.splice(i, 1)
        }
      }
      options.onOutput?.(stdout, child)
    })
    child.stderr?.on('data', chunk => (stderr += chunk))
    timers.push(setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 45_000))
    let exitedAt = 0
    child.on('exit', () => (exitedAt = Date.now()))
    /** @type {[number | null, NodeJS.Signals | null]} */
    const [code, signal] = await new Promise((done, fail) => {
      child.on('error', fail)
      child.on('close', (c, s) => done([c, s]))
    }).finally(() => timers.forEach(clearTimeout))
    const read = (/** @type {string} */ file) => readFileSync(file, 'utf8')
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseCommandFile(read(files.GITHUB_OUTPUT)),
      summary: read(files.GITHUB_STEP_SUMMARY),
      state: parseCommandFile(read(files.GITHUB_STATE)),
      startedAt,
      exitedAt,
      signalsSent
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Runs a post step as the runner does after the main step: the same inputs, and each entry the main
 * step saved (GITHUB_STATE) as a STATE_<name> variable of a second process running options.entry
 * (default dist/post.js, the action's post step).
 * @param {Pick<BundleRun, 'state'>} main the main step's run (its saved state)
 * @param {Record<string, string>} inputs
 * @param {RunOptions} [options]
 * @returns {Promise<BundleRun>}
 */
export function runPostStep(main, inputs, options = {}) {
  return runBundle(inputs, {
    ...options,
    entry: options.entry ?? POST_ENTRY,
    state: { ...main.state, ...options.state }
  })
}

/**
 * The runner's Node 24 binary, from the node-<os>-<arch> package that the devDependency
 * tools/node24 brings into node_modules. Throws, saying what to do, when it is not there.
 * @returns {string}
 */
export function findNode24() {
  const os = process.platform === 'win32' ? 'win' : process.platform
  const name = `node-${os}-${process.arch}`
  const require = createRequire(import.meta.url)
  let manifest
  try {
    // Resolved from tools/node24, which depends on it, so that it is found wherever npm put it.
    manifest = createRequire(require.resolve('node24/package.json')).resolve(`${name}/package.json`)
  } catch {
    const wrapper = JSON.parse(
      readFileSync(fileURLToPath(new URL('../tools/node24/package.json', import.meta.url)), 'utf8')
    )
    if (!(name in wrapper.optionalDependencies)) {
      throw new Error(
        `No Node 24 binary for ${process.platform}-${process.arch}: tools/node24/package.json ` +
          `brings only ${Object.keys(wrapper.optionalDependencies).join(', ')}; add ${name} there.`
      )
    }
    throw new Error(`The Node 24 binary (${name}) is not in node_modules: run "npm ci".`)
  }
  const path = join(dirname(manifest), JSON.parse(readFileSync(manifest, 'utf8')).bin.node)
  if (!existsSync(path)) throw new Error(`The Node 24 binary is missing at ${path}: run "npm ci".`)
  return path
}

/**
 * Prints a run as a person reads it: its log without debug lines, its stderr, exit code, outputs
 * (the long `image` output cut short) and job summary. For the demo and local-action.
 * @param {string} title
 * @param {BundleRun} run
 */
export function printRun(title, run) {
  console.log(`\n=== ${title} ===\n`)
  const log = run.stdout
    .split('\n')
    .filter(line => !line.startsWith('::debug::'))
    .join('\n')
  console.log(log.trimEnd())
  if (run.stderr) console.error(run.stderr.trimEnd())
  console.log(`\n--- exit code ${run.code ?? run.signal}; outputs (GITHUB_OUTPUT) ---`)
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name} = ${name === 'image' ? `${value.slice(0, 100)}…` : value}`)
  }
  console.log('\n--- job summary (GITHUB_STEP_SUMMARY) ---')
  console.log(run.summary.trimEnd())
}
