import { cancelOnSignals } from './lib/cancel.js'
import { guardExit } from './github/exit-guard.js'
import { post, run } from './github/main.js'
import { isPostPhase } from './github/phase.js'
import { actionsPort } from './github/toolkit.js'

// The signal handlers stay until the process exits: a second signal after the run has reported
// must not kill it before its output is flushed.
const port = actionsPort()
const { signal } = cancelOnSignals()
const guard = guardExit(port)
if (isPostPhase()) await post({ port, signal })
else await run({ port, signal })
guard.dispose()
