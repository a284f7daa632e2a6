// Preloaded into the action by the benchmark: writes the process's peak RSS (KiB) when it exits.
import { writeFileSync } from 'node:fs'

process.on('exit', () =>
  writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
)
