// Preloaded (NODE_OPTIONS=--expose-gc --require) into a spawned bundle: collects garbage every
// few milliseconds, so anything the runtime holds only weakly (such as a timeout signal inside
// AbortSignal.any on Node 20) is gone long before a deadline of seconds.
if (typeof globalThis.gc !== 'function') {
  throw new Error('force-gc.cjs needs --expose-gc')
}
setInterval(() => globalThis.gc(), 20).unref()
