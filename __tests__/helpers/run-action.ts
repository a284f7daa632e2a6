import { expect } from '@jest/globals'
import {
  BUNDLE,
  findNode24,
  runBundle,
  type BundleRun,
  type RunOptions
} from '../../scripts/run-bundle.mjs'

export { BUNDLE }

/**
 * The Node 24 binary (the runner's `node24`), from the devDependency tools/node24. Pass it as
 * `runtime` to run the bundle on it.
 */
export const NODE24 = findNode24()

export type ActionRun = BundleRun

/**
 * Runs the bundled action as the runner does (scripts/run-bundle.mjs): INPUT_* variables, the
 * runner's files, another cwd. Throws, before its first run, when dist/ is not the bundle of the
 * current src/ (scripts/source-hash.mjs).
 */
export function runAction(
  inputs: Record<string, string>,
  options: Omit<RunOptions, 'entry' | 'staleDist'> = {}
): Promise<ActionRun> {
  return runBundle(inputs, { ...options, staleDist: 'throw' })
}

/** Every exit of the bundle explains itself: an error annotation and a job summary. */
export function expectExplainedFailure(run: ActionRun): void {
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/^::error::/m)
  expect(run.summary).toMatch(/^### /)
}

/** The quick settings a bundle test against a hostile gateway runs with. */
export const QUICK = { 'request-timeout': '300ms', 'poll-interval': '100ms' } as const
