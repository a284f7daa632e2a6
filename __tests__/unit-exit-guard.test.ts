import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { guardExit } from '../src/github/exit-guard.js'
import type { Port } from '../src/github/port.js'

type Guarded = 'beforeExit' | 'uncaughtException' | 'unhandledRejection'
const EVENTS: Guarded[] = ['beforeExit', 'uncaughtException', 'unhandledRejection']
type Listener = (...args: unknown[]) => void

/** A port that records what the guard does to the step. */
function recordingPort() {
  const fail = jest.fn<(message: string) => void>()
  const writeSummary = jest.fn(async (_markdown: string) => undefined)
  const port: Port = {
    env: {},
    getInput: () => '',
    info: () => undefined,
    warning: () => undefined,
    debug: () => undefined,
    mask: () => undefined,
    setOutput: () => undefined,
    saveState: () => undefined,
    fail,
    writeSummary
  }
  return { port, fail, writeSummary }
}

/** The listeners registered for an event now. */
function listenersOf(event: Guarded): Listener[] {
  return process.listeners(event as 'beforeExit') as unknown as Listener[]
}

/** The listeners the guard added for an event: those that were not there before it. */
function added(event: Guarded, before: readonly Listener[]): Listener[] {
  return listenersOf(event).filter(listener => !before.includes(listener))
}

let before: Record<Guarded, Listener[]>
let guard: { dispose(): void } | undefined
let exitCode: typeof process.exitCode

beforeEach(() => {
  before = Object.fromEntries(EVENTS.map(event => [event, [...listenersOf(event)]])) as Record<
    Guarded,
    Listener[]
  >
  exitCode = process.exitCode
})

afterEach(() => {
  guard?.dispose()
  guard = undefined
  // The guard sets it for an unexpected error; the test process must not exit failed for it.
  process.exitCode = exitCode
})

/** Calls the listener the guard registered for the event, as the process would. */
function fire(event: Guarded, ...args: unknown[]): void {
  const listeners = added(event, before[event])
  expect(listeners).toHaveLength(1)
  listeners[0](...args)
}

describe('guardExit', () => {
  it('registers one listener for each way a process ends unexplained', () => {
    guard = guardExit(recordingPort().port)
    for (const event of EVENTS) {
      expect(process.listenerCount(event)).toBe(before[event].length + 1)
    }
  })

  it('on beforeExit (nothing left running) fails the step with a reason and writes a summary', () => {
    const { port, fail, writeSummary } = recordingPort()
    guard = guardExit(port)
    process.emit('beforeExit', 0)

    expect(fail).toHaveBeenCalledTimes(1)
    const [message] = fail.mock.calls[0]
    expect(message).toContain('The action stopped before it finished:')
    expect(message).toContain('nothing was left running')
    expect(message).toContain('Any image it knew of is in the outputs')
    expect(writeSummary).toHaveBeenCalledTimes(1)
    const [summary] = writeSummary.mock.calls[0]
    expect(summary).toMatch(/^### ❌ The action stopped before it finished\n/)
    expect(summary).toContain('nothing was left running')
  })

  it('on an uncaught exception fails the step naming the error, writes a summary, and sets exit code 1', () => {
    const { port, fail, writeSummary } = recordingPort()
    guard = guardExit(port)
    fire('uncaughtException', new Error('socket exploded'), 'uncaughtException')

    expect(fail).toHaveBeenCalledTimes(1)
    expect(fail.mock.calls[0][0]).toContain(
      'The action stopped before it finished: unexpected error: socket exploded.'
    )
    expect(writeSummary).toHaveBeenCalledTimes(1)
    expect(writeSummary.mock.calls[0][0]).toContain('unexpected error: socket exploded.')
    expect(process.exitCode).toBe(1)
  })

  it('on an unhandled rejection with a reason that is not an Error, names the reason', () => {
    const { port, fail } = recordingPort()
    guard = guardExit(port)
    fire('unhandledRejection', 'no answer', Promise.resolve())

    expect(fail).toHaveBeenCalledTimes(1)
    expect(fail.mock.calls[0][0]).toContain('unexpected error: no answer.')
    expect(process.exitCode).toBe(1)
  })

  it('reports only once, whatever comes after the first report', () => {
    const { port, fail, writeSummary } = recordingPort()
    guard = guardExit(port)
    fire('uncaughtException', new Error('first'), 'uncaughtException')
    fire('unhandledRejection', new Error('second'), Promise.resolve())
    process.emit('beforeExit', 0)

    expect(fail).toHaveBeenCalledTimes(1)
    expect(fail.mock.calls[0][0]).toContain('first')
    expect(writeSummary).toHaveBeenCalledTimes(1)
  })

  it('dispose() removes every listener it added, and a later exit reports nothing', () => {
    const { port, fail, writeSummary } = recordingPort()
    const counts = EVENTS.map(event => process.listenerCount(event))
    const disposable = guardExit(port)
    disposable.dispose()

    expect(EVENTS.map(event => process.listenerCount(event))).toEqual(counts)
    for (const event of EVENTS) expect(added(event, before[event])).toEqual([])
    process.emit('beforeExit', 0)
    expect(fail).not.toHaveBeenCalled()
    expect(writeSummary).not.toHaveBeenCalled()
  })

  it('two guards are independent: disposing one leaves the other in place', () => {
    const first = recordingPort()
    const second = recordingPort()
    const one = guardExit(first.port)
    guard = guardExit(second.port)
    one.dispose()

    for (const event of EVENTS) {
      expect(process.listenerCount(event)).toBe(before[event].length + 1)
    }
    process.emit('beforeExit', 0)
    expect(first.fail).not.toHaveBeenCalled()
    expect(second.fail).toHaveBeenCalledTimes(1)
  })
})
