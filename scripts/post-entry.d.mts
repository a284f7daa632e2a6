// Types for post-entry.mjs (hand-written; keep in step with the implementation).

/** The global key dist/post.js sets; src/github/phase.ts reads the same. */
export const PHASE_KEY: string
/** The absolute path of dist/post.js. */
export const POST_ENTRY: string
/** The text of dist/post.js. */
export const POST_ENTRY_TEXT: string
/** Why the file at path (default dist/post.js) is not the post step's entry, or undefined. */
export function postEntryProblem(path?: string): string | undefined
