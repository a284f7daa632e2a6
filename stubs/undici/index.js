// @actions/http-client imports undici only for getAgentDispatcher(), the proxy dispatcher it hands
// to fetch() users. This action never calls it, yet bundling undici tripled the action's start-up
// time (it is 85% of the bundle and is evaluated on load). Requests go through http-client's
// node:http/https agents, which keep HTTPS_PROXY/NO_PROXY support. See README "Benchmark".
// The override in package.json names http-client's exact version (npm refuses a range there for a
// direct dependency): when http-client is updated, update that key too. If it is forgotten, the
// real undici comes back and scripts/check-bundle.mjs (npm run check:bundle) fails in CI.
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled with this action: HttpClient.getAgentDispatcher() is unavailable'
    )
  }
}
