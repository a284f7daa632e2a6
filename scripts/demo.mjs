// A local demo: runs the bundled action (dist/index.js) as the runner would, against the in-repo
// NCP simulator, then re-runs it with if-exists: reuse. Prints the log, the outputs and the summary.
import { demoFixture, startSimulator } from '../simulator/ncp-simulator.mjs'
import { printRun, runBundle } from './run-bundle.mjs'

const sim = await startSimulator({ ...demoFixture(), createMs: 3000 })
const { 'sim-access-key': secretKey } = demoFixture().credentials

const inputs = {
  'access-key': 'sim-access-key',
  'secret-key': secretKey,
  'server-instance-no': '1001',
  'image-name': 'demo-golden-1',
  'image-description': 'demo image: 테스트 & more',
  'api-url': sim.url,
  'poll-interval': '500ms'
}
/** Runs the bundle with these inputs, prints what it did, and resolves with its exit code. */
async function step(title, stepInputs) {
  const run = await runBundle(stepInputs, { staleDist: 'warn' })
  printRun(title, run)
  return run.code
}

try {
  const first = await step('1. Create an image of server 1001 (XEN) and wait for it', inputs)
  const second = await step('2. Re-run the same step with if-exists: reuse (no second image)', {
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
