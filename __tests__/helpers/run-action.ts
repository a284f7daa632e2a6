import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const BUNDLE = resolve(import.meta.dirname, '../../dist/index.js')

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
}

/** Runs the bundled action as the runner does: INPUT_* variables, output and summary files, another cwd. */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {}
): Promise<ActionRun> {
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
    const child = spawn(process.execPath, [BUNDLE], {
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
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(done =>
      child.on('close', (c, s) => done([c, s]))
    )
    clearTimeout(limit)
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
