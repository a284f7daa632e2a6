/** A server that could not be read, or a name that names no server or several. */
export class ServerLookupError extends Error {
  constructor(
    message: string,
    /** What the user should check: the number and region, the name, or the name's uniqueness. */
    readonly check: 'number' | 'name' | 'unique-name'
  ) {
    super(message)
    this.name = 'ServerLookupError'
  }
}
