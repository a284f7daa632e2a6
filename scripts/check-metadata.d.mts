// Types for check-metadata.mjs (hand-written; keep in step with the implementation).

export const MAX_DESCRIPTION: number
export const MAX_NAME: number
export const COLORS: string[]
export const ICONS: string[]
/** What keeps a parsed action.yml from a Marketplace listing: an empty list when nothing. */
export function marketplaceProblems(action: unknown): string[]
/** Every `uses:` in a workflow's text that is not pinned by a release tag, as "file:line: why". */
export function pinProblems(text: string, file: string): string[]
/** Every problem of the repository at root. */
export function metadataProblems(root: string): string[]
