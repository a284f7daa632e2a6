// @actions/http-client imports undici only for getAgentDispatcher(), the proxy dispatcher it hands
// to fetch() users. This action never calls it, yet bundling undici tripled the action's start-up
// time (it is 85% of the bundle and is evaluated on load). Requests go through http-client's
// node:http/https agents, which keep HTTPS_PROXY/NO_PROXY support. See README "Benchmark".
export class ProxyAgent {
  constructor() {
    throw new Error(
      'undici is not bundled with this action: HttpClient.getAgentDispatcher() is unavailable'
    )
  }
}
