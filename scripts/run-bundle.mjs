// Runs the bundled action (dist/index.js) once as the runner would (INPUT_* variables, output and
// summary files that exist, another cwd) and prints its log, its outputs and its job summary.
// Shared by scripts/demo.mjs and scripts/local-action.mjs.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { distProblem } from './source-hash.mjs'

export const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url))

let distChecked = false

/** Runs dist/index.js with inputs (names as in action.yml); prints what it did; resolves with its exit code. */
export async function runStep(title, inputs) {
  if (!distChecked) {
    distChecked = true
    const problem = distProblem()
    if (problem) console.error(`warning: ${problem}`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'ncp-run-'))
  const output = join(dir, 'output')
  const summary = join(dir, 'summary')
  writeFileSync(output, '')
  writeFileSync(summary, '')
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir
  }
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  try {
    console.log(`\n=== ${title} ===\n`)
    const child = spawn(process.execPath, [BUNDLE], {
      env,
      cwd: dir,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let stdout = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    const status = await new Promise((resolve, reject) => {
      child.on('error', reject)
      child.on('close', resolve)
    })
    const log = stdout
      .split('\n')
      .filter(line => !line.startsWith('::debug::'))
      .join('\n')
    console.log(log.trimEnd())
    console.log(`\n--- exit code ${status}; outputs (GITHUB_OUTPUT) ---`)
    const outputs = new Map()
    for (const [, name, , value] of readFileSync(output, 'utf8').matchAll(
      /^([^<\n]+)<<(.+)\n([\s\S]*?)\n\2$/gm
    )) {
      outputs.set(name, value)
    }
    for (const [name, value] of outputs) {
      console.log(`${name} = ${name === 'image' ? `${value.slice(0, 100)}…` : value}`)
    }
    console.log('\n--- job summary (GITHUB_STEP_SUMMARY) ---')
    console.log(readFileSync(summary, 'utf8').trimEnd())
    return status
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
