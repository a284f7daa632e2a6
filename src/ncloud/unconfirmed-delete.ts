// A delete NCP answered with success and no image: cb-spider found that such a deleteServerImage
// deleted nothing (ncloud-api-next §1), so it is neither a success nor a refusal.

/** The answer says how many rows it holds, and that is none. */
export function answeredNoRows(result: Record<string, unknown>): boolean {
  return result.totalRows !== undefined && Number(result.totalRows) === 0
}

/** NCP answered the delete of this image with success but no image: it may still be there. */
export class UnconfirmedDeleteError extends Error {
  constructor(
    readonly action: string,
    readonly imageNo: string
  ) {
    super(`${action} answered with no image (totalRows 0)`)
    this.name = 'UnconfirmedDeleteError'
  }
}
