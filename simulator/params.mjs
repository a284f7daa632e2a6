// @ts-check
// Reading an action's parameters: required ones, name.N lists and name.N.field objects.
import { RETURN_CODES, ServiceError } from './return-codes.mjs'

/** Query and form body merged. @typedef {Record<string, string>} Params */

/**
 * @param {Params} params
 * @param {string} name
 */
export function required(params, name) {
  const value = params[name]
  if (value === undefined || value === '') {
    throw new ServiceError(RETURN_CODES.parameterRequired, `${name} is a required parameter.`)
  }
  return value
}

/**
 * @param {Params} params
 * @param {string} name
 */
export function given(params, name) {
  return params[name] !== undefined && params[name] !== ''
}

/**
 * Collects name.1, name.2, ... in index order.
 * @param {Params} params
 * @param {string} name
 */
export function listParam(params, name) {
  const pattern = new RegExp(`^${name}\\.(\\d+)$`)
  return Object.entries(params)
    .map(([key, value]) => /** @type {const} */ ([Number(pattern.exec(key)?.[1]), value]))
    .filter(([index]) => !Number.isNaN(index))
    .sort(([a], [b]) => a - b)
    .map(([, value]) => value)
}

/**
 * @param {Params} params
 * @param {string} name
 */
export function requiredList(params, name) {
  const values = listParam(params, name)
  if (values.length === 0) {
    throw new ServiceError(RETURN_CODES.parameterRequired, `${name}.N is a required parameter.`)
  }
  return [...new Set(values)]
}

/**
 * Collects name.N.field=value into [{ field: value }, ...] in index order.
 * @param {Params} params
 * @param {string} name
 * @returns {Record<string, string>[]}
 */
export function objectListParam(params, name) {
  const pattern = new RegExp(`^${name}\\.(\\d+)\\.(\\w+)$`)
  /** @type {Map<number, Record<string, string>>} */
  const byIndex = new Map()
  for (const [key, value] of Object.entries(params)) {
    const match = pattern.exec(key)
    if (!match) continue
    const index = Number(match[1])
    byIndex.set(index, { ...byIndex.get(index), [match[2]]: value })
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry)
}

/**
 * @param {Params} params
 * @param {string} name
 * @param {number} fallback
 */
export function integerParam(params, name, fallback) {
  if (!given(params, name)) return fallback
  if (!/^\d+$/.test(params[name])) {
    throw new ServiceError(RETURN_CODES.invalidParameter, `${name} must be a whole number.`)
  }
  return Number(params[name])
}
