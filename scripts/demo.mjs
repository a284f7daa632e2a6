// A local demo: runs the bundled action (dist/index.js) as the runner would, against the in-repo
// NCP simulator, then re-runs it with if-exists: reuse, then kills a stop-server run mid-image.
// After each main step the post step runs (dist/post.js, with the saved state as STATE_*
// variables), as the runner runs it. Prints the log, the outputs and the summary of each.
import { demoFixture, startSimulator } from '../simulator/ncp-simulator.mjs'
import { printRun, runBundle, runPostStep } from './run-bundle.mjs'

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
/**
 * Runs the bundle with these inputs, then its post step, prints what each did, and resolves with
 * the exit codes (main's, then the post step's).
 * @param {string} title
 * @param {Record<string, string>} stepInputs
 * @param {import('./run-bundle.mjs').RunOptions} [options]
 */
async function step(title, stepInputs, options = {}) {
  const run = await runBundle(stepInputs, { staleDist: 'warn', ...options })
  printRun(title, run)
  const post = await runPostStep(run, stepInputs, { staleDist: 'warn' })
  const quiet = post.stdout.split('\n').every(line => !line || line.startsWith('::add-mask::'))
  if (quiet && post.code === 0 && !post.summary) {
    console.log(
      `\n(post step: nothing left open; it ended in ${post.exitedAt - post.startedAt} ms)`
    )
  } else {
    printRun(`${title}: the post step`, post)
  }
  return [run.code, post.code]
}

try {
  const first = await step('1. Create an image of server 1001 (XEN) and wait for it', inputs)
  const second = await step('2. Re-run the same step with if-exists: reuse (no second image)', {
    ...inputs,
    'if-exists': 'reuse'
  })
  const third = await step(
    '3. stop-server: true on server 2001 (KVM), the main step killed (SIGKILL) while the image is made',
    { ...inputs, 'server-instance-no': '2001', 'image-name': 'demo-kvm-1', 'stop-server': 'true' },
    { signals: [{ signal: 'SIGKILL', onOutput: /^Waiting up to/m }] }
  )
  const server = sim.servers().find(s => s.serverInstanceNo === '2001')
  console.log(
    `\nServer 2001 is ${server?.status}. The simulator holds ${sim.images().length} image(s); it saw ${sim.requests.length} signed requests.`
  )
  const ok = [...first, ...second].every(code => code === 0) && third[1] === 0
  process.exitCode = ok && server?.status === 'RUN' ? 0 : 1
} finally {
  await sim.close()
}
