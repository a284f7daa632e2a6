// Types for check-bundle.mjs (hand-written; keep in step with the implementation).

/** This project's own limit for dist/index.js, in bytes. */
export const MAX_BYTES: number
/** What is wrong with a bundle's code: an empty list when nothing is. */
export function bundleProblems(code: string): string[]
