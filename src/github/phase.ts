// Which step of the action this process is: the post step's entry (dist/post.js, written by
// scripts/post-entry.mjs) sets this global before it loads the bundle. Nothing from outside the
// process (an environment variable, a saved state) can make the main step run as the post step,
// or the post step run main's code and make a second image.

/** The global the post entry sets; scripts/post-entry.mjs writes the same key. */
export const PHASE_KEY = 'ncloud-server-image-action.phase'

export function isPostPhase(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for(PHASE_KEY)] === 'post'
}
