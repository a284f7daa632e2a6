import { NcloudError } from './errors.js'

/**
 * A list read whose pages do not add up: rows seen twice, fewer rows than totalRows, or no count.
 * Whatever depends on the whole list (pruning, the name lookups) must not take it as complete;
 * `rows` are the distinct rows that did come.
 */
export class IncompleteListError extends NcloudError {
  constructor(
    action: string,
    problem: string,
    gatewaySetting: string,
    readonly rows: readonly unknown[]
  ) {
    super({
      action,
      gatewaySetting,
      source: 'response',
      httpStatus: 200,
      details: `the list is incomplete: ${problem}`,
      incomplete: true,
      pagesDisagree: true,
      transient: false,
      reached: 'maybe'
    })
    this.name = 'IncompleteListError'
  }
}
