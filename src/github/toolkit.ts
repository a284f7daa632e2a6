import * as core from '@actions/core'
import { guardedPort, type Port } from './port.js'

/** The run's port on a real runner: the only place that talks to @actions/core. */
export function actionsPort(): Port {
  return guardedPort({
    env: process.env,
    getInput: name => core.getInput(name, { trimWhitespace: false }),
    info: core.info,
    warning: core.warning,
    debug: core.debug,
    fail: core.setFailed,
    mask: core.setSecret,
    setOutput: core.setOutput,
    // Appends to the GITHUB_STATE file synchronously: a SIGKILL a moment later loses nothing.
    saveState: core.saveState,
    writeSummary: async markdown => {
      try {
        await core.summary.addRaw(markdown).write()
      } catch (error) {
        core.debug(`No job summary written: ${(error as Error).message}`)
      }
    }
  })
}
