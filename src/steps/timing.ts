// How long the steps give NCP: a stop, a lost image, a cancelled run's last look.

/** How long a stop may take to reach NSTOP (Packer's NCP builder allows 5 minutes). */
export const STOP_TIMEOUT_MS = 10 * 60_000

/**
 * Pauses between the looks for a name after an uncertain create. A new image may show in the list
 * a moment after the create; how long is not documented, so the looks span several seconds.
 */
export const CONFIRM_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000]
/** A cancelled run gets a few seconds from the runner; the look for a lost image must fit in them. */
export const CANCEL_LOOKUP_TIMEOUT_MS = 3_000
