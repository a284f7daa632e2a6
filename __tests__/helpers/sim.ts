import {
  demoFixture,
  startSimulator,
  type Simulator,
  type SimulatorOptions
} from '../../simulator/ncp-simulator.mjs'

export const ACCESS_KEY = 'sim-access-key'
export const SECRET_KEY = 'sim-secret-key'

/** A simulator with the demo servers: 1001 XEN running, 2001 KVM running, 3001 RHV stopped, 4001 XEN booting. */
export function startSim(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ ...demoFixture(), createMs: 600, ...options })
}

/** The inputs every end-to-end run needs, pointed at the simulator. */
export function baseInputs(
  sim: Simulator,
  extra: Record<string, string> = {}
): Record<string, string> {
  return {
    'access-key': ACCESS_KEY,
    'secret-key': SECRET_KEY,
    'server-instance-no': '1001',
    'api-url': sim.url,
    'poll-interval': '150ms',
    ...extra
  }
}

export function actionsCalled(sim: Simulator): string[] {
  return sim.requests.map(request => request.action)
}

export function count(sim: Simulator, action: string): number {
  return sim.requests.filter(request => request.action === action).length
}

/**
 * Simulators for cases that run side by side (`it.concurrent`): each case starts its own with
 * `start`, and `closeAll` (in afterAll) closes every one.
 */
export function simulatorPool(): {
  start(options?: SimulatorOptions): Promise<Simulator>
  closeAll(): Promise<void>
} {
  const started: Simulator[] = []
  return {
    start: async options => {
      const sim = await startSim(options)
      started.push(sim)
      return sim
    },
    closeAll: async () => void (await Promise.all(started.splice(0).map(sim => sim.close())))
  }
}
