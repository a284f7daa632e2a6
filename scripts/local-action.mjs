// `npm run local-action [-- FILE]`: starts the in-repo NCP simulator, runs the bundled action
// (dist/index.js) once with the INPUT_* variables in .env.example (or FILE), its api-url set to the
// simulator, then its post step (dist/post.js) as the runner runs it, with the saved state as
// STATE_* variables, and prints the log, the outputs and the job summary of each. Exits non-zero
// when either fails.
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { demoFixture, startSimulator } from '../simulator/ncp-simulator.mjs'
import { printRun, runBundle, runPostStep } from './run-bundle.mjs'

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
  const stepInputs = { ...inputs, 'api-url': sim.url }
  const run = await runBundle(stepInputs, { staleDist: 'warn' })
  printRun(title, run)
  const before = sim.requests.length
  const post = await runPostStep(run, stepInputs, { staleDist: 'warn' })
  printRun('the post step (dist/post.js), as the runner runs it after the main step', post)
  console.log(
    `\nThe simulator saw ${before} signed requests from the main step and ${sim.requests.length - before} from the post step (${post.exitedAt - post.startedAt} ms).`
  )
  process.exitCode = run.code === 0 && post.code === 0 ? 0 : 1
} finally {
  await sim.close()
}
