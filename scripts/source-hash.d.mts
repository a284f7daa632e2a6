// Types for source-hash.mjs (hand-written; keep in step with the implementation).

/** The bundle's inputs, relative to the repository root: folders are taken whole. */
export const SOURCES: readonly string[]
/** Where `npm run bundle` records the hash of the sources it built from. */
export const HASH_FILE: string
/** The sha256 (hex) of the bundle's inputs under root (default: this repository). */
export function sourceHash(root?: string): string
/** Why dist/ under root is not the bundle of its sources, or undefined when it is. */
export function distProblem(root?: string): string | undefined
/** Throws when dist/ under root was not built from its current sources. */
export function checkDist(root?: string): void
