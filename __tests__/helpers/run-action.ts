import { expect } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { checkDist } from '../../scripts/source-hash.mjs'

export const BUNDLE = resolve(import.meta.dirname, '../../dist/index.js')

/**
 * The Node 24 binary (the runner's `node24`), from the node-<os>-<arch> package that the
 * devDependency tools/node24 brings into node_modules. Pass it as `runtime` to run the bundle on it.
 */
export const NODE24 = findNode24()

function findNode24(): string {
  const os = process.platform === 'win32' ? 'win' : process.platform
  const name = `node-${os}-${process.arch}`
  const require = createRequire(import.meta.url)
  let manifest: string
  try {
    // Resolved from tools/node24, which depends on it, so that it is found wherever npm put it.
    manifest = createRequire(require.resolve('node24/package.json')).resolve(`${name}/package.json`)
  } catch {
    const wrapper = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../../tools/node24/package.json'), 'utf8')
    ) as { optionalDependencies: Record<string, string> }
    if (!(name in wrapper.optionalDependencies)) {
      throw new Error(
        `No Node 24 binary for ${process.platform}-${process.arch}: tools/node24/package.json ` +
          `brings only ${Object.keys(wrapper.optionalDependencies).join(', ')}; add ${name} there.`
      )
    }
    throw new Error(`The Node 24 binary (${name}) is not in node_modules: run "npm ci".`)
  }
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: { node: string } }).bin.node
  const path = join(dirname(manifest), bin)
  if (!existsSync(path)) {
    throw new Error(`The Node 24 binary is missing at ${path}: run "npm ci".`)
  }
  return path
}

let distChecked = false

export interface ActionRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** The last value written for each output, as the runner reads GITHUB_OUTPUT. */
  outputs: Record<string, string>
  summary: string
}

export interface RunOptions {
  env?: Record<string, string>
  /** Called with the child and its output so far each time it prints; lets a test send a signal. */
  onOutput?(text: string, child: ReturnType<typeof spawn>): void
  /** Kills the child if it is still running after this long. */
  limitMs?: number
  /** The Node binary that runs the bundle: default process.execPath (the one running the tests); NODE24 for the runner's. */
  runtime?: string
}

/**
 * Runs the bundled action as the runner does: INPUT_* variables, output and summary files, another
 * cwd. Throws, before its first run in a test file, when dist/ is not the bundle of the current src/
 * (scripts/source-hash.mjs).
 */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
  if (!distChecked) {
    checkDist()
    distChecked = true
  }
  const runtime = options.runtime ?? process.execPath
  if (!existsSync(runtime)) throw new Error(`runAction: no Node binary at ${runtime}`)
  const dir = mkdtempSync(join(tmpdir(), 'ncp-action-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...options.env
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    const child = spawn(runtime, [BUNDLE], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => {
      stdout += chunk
      options.onOutput?.(stdout, child)
    })
    child.stderr.on('data', chunk => (stderr += chunk))
    const limit = setTimeout(() => child.kill('SIGKILL'), options.limitMs ?? 45_000)
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (done, fail) => {
        child.on('error', fail)
        child.on('close', (c, s) => done([c, s]))
      }
    ).finally(() => clearTimeout(limit))
    return {
      code,
      signal,
      stdout,
      stderr,
      outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Reads the `name<<delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
    outputs[name] = value.join('\n')
  }
  return outputs
}

/** Every exit of the bundle explains itself: an error annotation and a job summary. */
export function expectExplainedFailure(run: ActionRun): void {
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/^::error::/m)
  expect(run.summary).toMatch(/^### /)
}

/** The quick settings a bundle test against a hostile gateway runs with. */
export const QUICK = { 'request-timeout': '300ms', 'poll-interval': '100ms' } as const
