// @ts-check
// Decides the reply to one request, in the API Gateway's order: signature, permission, route,
// fault, then the action itself.
import { findAction } from './api/routes.mjs'
import { faultReply, sendsBody, takeFault } from './faults.mjs'
import { required } from './params.mjs'
import { gatewayError, jsonReply, notJsonReply, serviceError } from './replies.mjs'
import { ServiceError } from './return-codes.mjs'
import { checkAuth, header, isPermissionDenied } from './signature.mjs'
import { withoutEffects } from './state.mjs'

/** @typedef {import('./state.mjs').SimState} SimState */
/** @typedef {import('./types.mjs').RecordedRequest} RecordedRequest */
/** @typedef {import('./replies.mjs').Reply} Reply */

/**
 * @param {SimState} sim
 * @param {{ method?: string, url?: string, headers: import('node:http').IncomingHttpHeaders }} req
 * @param {RecordedRequest} entry the request as recorded; this marks authOk and fault
 * @param {string} requestId
 * @returns {Reply}
 */
export function answer(sim, req, entry, requestId) {
  const authFailure = checkAuth(req, sim.credentials, sim.clock.now() + sim.clockSkewMs)
  if (authFailure) return gatewayError('auth', authFailure)
  entry.authOk = true

  const accessKey = header(req, 'x-ncp-iam-access-key')
  if (isPermissionDenied(sim.permissionDenied, accessKey)) {
    return gatewayError('permission', `access key ${accessKey} may not call ${entry.action}`)
  }
  const action = findAction(entry.api, entry.action)
  if (!action || !['GET', 'POST'].includes(entry.method)) {
    return gatewayError('notFound', `no API for ${entry.method} ${entry.path}`)
  }
  if (sim.deniedActions.includes(entry.action)) {
    return gatewayError('permission', `the sub account's policy does not allow ${entry.action}`)
  }
  const run = () => runAction(sim, entry, action, requestId)
  const fault = takeFault(sim.faults, entry.action)
  if (!fault) return run()

  entry.fault = fault.kind
  let normal
  if (fault.when === 'after') normal = run()
  else if (sendsBody(fault.kind)) normal = withoutEffects(sim, run)
  return faultReply(fault, entry.action, normal, requestId, action.listKey)
}

/**
 * @param {SimState} sim
 * @param {RecordedRequest} entry
 * @param {import('./api/action.mjs').Action} route
 * @param {string} requestId
 * @returns {Reply}
 */
function runAction(sim, entry, route, requestId) {
  const { params, action } = entry
  if (params.responseFormatType !== 'json') return notJsonReply()
  try {
    const region = required(params, 'regionCode')
    // Most actions return their list; list actions return one page and the count of all rows.
    const result = route.run(sim, params, region, sim.clock.now())
    const { rows, totalRows } = Array.isArray(result)
      ? { rows: result, totalRows: result.length }
      : result
    return jsonReply(200, {
      [`${action}Response`]: {
        requestId,
        returnCode: '0',
        returnMessage: 'success',
        totalRows,
        [route.listKey]: rows
      }
    })
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    return serviceError(error.httpStatus, error.returnCode, error.message)
  }
}
