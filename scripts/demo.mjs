// A local demo: runs the bundled action (dist/index.js) as the runner would, against the in-repo
// NCP simulator, then re-runs it with if-exists: reuse. Prints the log, the outputs and the summary.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoFixture, startSimulator } from '../simulator/ncp-simulator.mjs'

const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url))
const sim = await startSimulator({ ...demoFixture(), createMs: 3000 })
const { 'sim-access-key': secretKey } = demoFixture().credentials

async function runStep(title, inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'ncp-demo-'))
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
  console.log(`\n=== ${title} ===\n`)
  const child = spawn(process.execPath, [bundle], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let stdout = ''
  child.stdout.on('data', chunk => (stdout += chunk))
  const status = await new Promise(resolve => child.on('close', resolve))
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
  rmSync(dir, { recursive: true, force: true })
  return status
}

const inputs = {
  'access-key': 'sim-access-key',
  'secret-key': secretKey,
  'server-instance-no': '1001',
  'image-name': 'demo-golden-1',
  'image-description': 'demo image: 테스트 & more',
  'api-url': sim.url,
  'poll-interval': '500ms'
}
try {
  const first = await runStep('1. Create an image of server 1001 (XEN) and wait for it', inputs)
  const second = await runStep('2. Re-run the same step with if-exists: reuse (no second image)', {
    ...inputs,
    'if-exists': 'reuse'
  })
  console.log(
    `\nThe simulator holds ${sim.images().length} image(s); it saw ${sim.requests.length} signed requests.`
  )
  process.exitCode = first === 0 && second === 0 ? 0 : 1
} finally {
  await sim.close()
}
