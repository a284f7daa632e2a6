// `npm run local-action [-- FILE]`: starts the in-repo NCP simulator, runs the bundled action
// (dist/index.js) once with the INPUT_* variables in .env.example (or FILE), its api-url set to the
// simulator, and prints the log, the outputs and the job summary. Exits non-zero when the action fails.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoFixture, startSimulator } from '../simulator/ncp-simulator.mjs'
import { printRun, runBundle } from './run-bundle.mjs'

const file = process.argv[2] ?? fileURLToPath(new URL('../.env.example', import.meta.url))

/** The inputs in a dotenv file: each INPUT_<NAME>=value line, as name → value. */
function readInputs(path) {
  const inputs = {}
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*INPUT_([^=\s]+)\s*=(.*)$/.exec(line)
    if (!match) continue
    const value = match[2].trim()
    inputs[match[1].toLowerCase()] = /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value
  }
  return inputs
}

const inputs = readInputs(file)
const sim = await startSimulator({ ...demoFixture(), createMs: 3000 })
try {
  const title = `dist/index.js with the inputs in ${relative(process.cwd(), file)}`
  const run = await runBundle({ ...inputs, 'api-url': sim.url }, { staleDist: 'warn' })
  printRun(title, run)
  console.log(`\nThe simulator saw ${sim.requests.length} signed requests.`)
  process.exitCode = run.code === 0 ? 0 : 1
} finally {
  await sim.close()
}
