import type { Simulator, SimulatorOptions } from '../../simulator/ncp-simulator.mjs'
import { CancelledError } from '../../src/lib/cancel.js'
import { run } from '../../src/github/main.js'
import { guardedPort, type Port } from '../../src/github/port.js'
import { post } from '../../src/github/post.js'
import type { Finished } from '../../src/steps/finishers.js'
import type { RunResult } from '../../src/model/result.js'
import { FakeClock } from './fake-clock.js'
import { startSim } from './sim.js'

/** A simulator whose time is a fake clock that the action under test shares. */
export type ScenarioSim = Simulator & { clock: FakeClock }

/** Each request takes a millisecond of the fake time, as real ones take some: timestamps differ. */
export function startScenarioSim(options: SimulatorOptions = {}): Promise<ScenarioSim> {
  const clock = new FakeClock()
  return startSim({
    clock,
    ...options,
    onRequest: request => {
      clock.advance(1)
      options.onRequest?.(request)
    }
  }).then(sim => Object.assign(sim, { clock }))
}

export interface ScenarioRun {
  /** 0 on success, 1 when the step failed: what the runner would see. */
  code: number
  /** Nothing: the in-process run writes only through its port. Kept so assertions read as for a spawned run. */
  stderr: string
  /** The step's output as the runner reads it: plain lines and `::command::` lines. */
  stdout: string
  outputs: Record<string, string>
  summary: string
  /** What the step saved for its post step (GITHUB_STATE), the last value of each name. */
  state: Record<string, string>
  result: RunResult
}

export interface ScenarioOptions {
  env?: Record<string, string>
  /** Called with each line the action writes; `cancel` aborts the run as a signal would. */
  onLine?(line: string, cancel: (signal: 'SIGINT' | 'SIGTERM') => void): void
  /** Aborting it cancels the run, as the runner's signals do (reason: a CancelledError). */
  controller?: AbortController
}

/** Escapes a command's data as @actions/core does, so the recorded log reads like the real one. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/**
 * Runs the action in-process against a simulator, on the simulator's fake clock, through the same
 * port the real toolkit gets: a ten-minute wait costs milliseconds.
 */
export async function runScenario(
  sim: ScenarioSim,
  inputs: Record<string, string>,
  options: ScenarioOptions = {}
): Promise<ScenarioRun> {
  const controller = options.controller ?? new AbortController()
  const cancel = (signal: 'SIGINT' | 'SIGTERM'): void =>
    controller.abort(new CancelledError(signal))
  const step = recordingStep(inputs, options.env ?? {}, line => options.onLine?.(line, cancel))
  const result = await run({
    port: step.port,
    signal: controller.signal,
    clock: sim.clock,
    random: () => 0.5
  })
  return { ...step.recorded(), result }
}

export type PostScenarioRun = Omit<ScenarioRun, 'result'> & { finished: Finished[] }

/**
 * Runs the post step in-process as the runner does after the main step: the same inputs, and the
 * state the main step saved as STATE_<name> variables.
 */
export async function runPostScenario(
  sim: ScenarioSim,
  inputs: Record<string, string>,
  state: Record<string, string>,
  options: Pick<ScenarioOptions, 'env'> = {}
): Promise<PostScenarioRun> {
  const env = { ...options.env }
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value
  const step = recordingStep(inputs, env, () => undefined)
  const finished = await post({
    port: step.port,
    signal: new AbortController().signal,
    clock: sim.clock,
    random: () => 0.5
  })
  return { ...step.recorded(), finished }
}

/** A port that records what a step writes, as the runner would read it. */
function recordingStep(
  inputs: Record<string, string>,
  env: Record<string, string>,
  onLine: (line: string) => void
): { port: Port; recorded(): Omit<ScenarioRun, 'result'> } {
  let stdout = ''
  const write = (line: string): void => {
    stdout += `${line}\n`
    onLine(line)
  }
  const outputs: Record<string, string> = {}
  const state: Record<string, string> = {}
  let summary = ''
  let failed = false
  const port = guardedPort({
    env,
    getInput: name => inputs[name] ?? '',
    info: write,
    warning: line => write(`::warning::${escapeData(line)}`),
    debug: line => write(`::debug::${escapeData(line)}`),
    fail: message => {
      failed = true
      write(`::error::${escapeData(message)}`)
    },
    mask: secret => write(`::add-mask::${escapeData(secret)}`),
    setOutput: (name, value) => (outputs[name] = value),
    saveState: (name, value) => (state[name] = value),
    writeSummary: async markdown => void (summary += markdown)
  })
  return {
    port,
    recorded: () => ({ code: failed ? 1 : 0, stderr: '', stdout, outputs, summary, state })
  }
}

/**
 * The step's `::error::` line, naming each of these facts (numbers, names, statuses, inputs) in
 * order, each as a whole word: what a scenario asserts of the message, whose wording the unit
 * tests own.
 */
export function errorNaming(...facts: string[]): RegExp {
  return commandNaming('error', facts)
}

/** A `::warning::` line naming each of these facts in order, as errorNaming() does for errors. */
export function warningNaming(...facts: string[]): RegExp {
  return commandNaming('warning', facts)
}

function commandNaming(command: string, facts: string[]): RegExp {
  const words = facts.map(fact => `(?<!\\w)${fact.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`)
  return new RegExp(`^::${command}::.*${words.join('.*')}`, 'm')
}

/** What pruning did (or, in a dry run, would do), by image number: what a scenario asserts of it. */
export function pruningOf(run: ScenarioRun) {
  const plan = run.result.pruning
  if (!plan) throw new Error('the run did not prune')
  const done = 'deleted' in plan
  return {
    keep: plan.keep.map(image => image.no),
    remove: plan.remove.map(image => image.no),
    /** Each image to delete with the snapshots behind it. */
    removeWithSnapshots: plan.remove.map(image => [image.no, image.snapshots ?? []]),
    leave: plan.leave.map(left => left.image.no),
    blocked: plan.blocked,
    deleted: done ? plan.deleted.map(image => image.no) : [],
    failed: done ? plan.failed.map(failure => failure.image.no) : [],
    snapshotsDeleted: done ? plan.snapshotsDeleted : {},
    snapshotsLeft: done ? plan.snapshotsLeft.map(left => [left.imageNo, left.no]) : []
  }
}
