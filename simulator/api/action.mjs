// @ts-check
// What an action is, and the record fields every API writes the same way.

/**
 * An action of an API: the list key of its answer, and what it does. It returns its rows, or
 * (list actions) one page of them and the count of all; it throws a ServiceError to refuse.
 * @typedef {object} Action
 * @property {string} listKey
 * @property {(sim: import('../state.mjs').SimState, params: import('../params.mjs').Params,
 *   region: string, now: number) => unknown[] | { rows: unknown[], totalRows: number }} run
 */
/** @typedef {Record<string, Action>} Actions */

/**
 * @param {string} code
 * @param {Record<string, string>} names
 */
export function codeName(code, names) {
  return { code, codeName: Object.hasOwn(names, code) ? names[code] : code }
}

/**
 * createDate as NCP writes it: Korea time, no milliseconds, '+0900'.
 * @param {number} ms
 */
export function kstDate(ms) {
  return new Date(ms + 9 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, '+0900')
}
