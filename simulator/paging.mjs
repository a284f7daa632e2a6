// @ts-check
// One page of a list action, as documented, and the quirks that make pages not add up.
import { given, integerParam } from './params.mjs'
import { RETURN_CODES, ServiceError } from './return-codes.mjs'

const PAGING_QUIRKS = /** @type {const} */ (['zero-based', 'repeat-first', 'overcount'])

/**
 * Pages that do not add up, for every list action or only `actions`: 'zero-based' counts pages
 * from 0 (pageNo 1 answers the second page), 'repeat-first' answers every page with the first,
 * 'overcount' says one more row in totalRows than there is.
 * @typedef {object} PagingQuirk
 * @property {typeof PAGING_QUIRKS[number]} kind
 * @property {string[]} [actions]
 */

/**
 * @param {PagingQuirk | undefined} quirk
 * @returns {{ kind: PagingQuirk['kind'], actions: string[] | undefined } | undefined}
 */
export function normalizeQuirk(quirk) {
  if (quirk === undefined) return undefined
  if (!PAGING_QUIRKS.includes(quirk.kind)) throw new Error(`unknown paging quirk: ${quirk.kind}`)
  return { actions: undefined, ...quirk }
}

/**
 * Lists are sorted by number, ascending (NCP's default order is not documented).
 * @param {string} a
 * @param {string} b
 */
export function byNumber(a, b) {
  return Number(a) - Number(b)
}

/**
 * Paging as documented for the list actions (ncloud-api-audit §3.5, §4.4): pageNo is 0-N
 * (default 0) and pages 0 and 1 are both the first page; pageSize is 1-1000, "default: 1" and
 * "required when entering pageNo" (a missing pageSize is taken as 1 here). Without either
 * parameter every row comes back, which Terraform relies on (audit D4; not documented). The
 * simulator caps pageSize at maxPageSize, and totalRows counts every matching row, not the page.
 * A pagingQuirk makes one list's pages not add up.
 * @template T
 * @param {import('./state.mjs').SimState} sim
 * @param {import('./params.mjs').Params} params
 * @param {T[]} rows
 * @param {string} action
 * @returns {{ rows: T[], totalRows: number }}
 */
export function onePage(sim, params, rows, action) {
  if (!given(params, 'pageNo') && !given(params, 'pageSize')) {
    return { rows, totalRows: rows.length }
  }
  const pageNo = integerParam(params, 'pageNo', 0)
  const pageSize = integerParam(params, 'pageSize', 1)
  if (pageSize < 1) {
    throw new ServiceError(RETURN_CODES.invalidParameter, 'pageSize must be at least 1.')
  }
  const size = Math.min(pageSize, sim.maxPageSize)
  const quirk = sim.pagingQuirk
  const kind = quirk && (!quirk.actions || quirk.actions.includes(action)) ? quirk.kind : undefined
  const page =
    kind === 'zero-based' ? pageNo : kind === 'repeat-first' ? 0 : Math.max(pageNo, 1) - 1
  const start = page * size
  const totalRows = rows.length + (kind === 'overcount' ? 1 : 0)
  return { rows: rows.slice(start, start + size), totalRows }
}
