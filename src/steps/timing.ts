// How long the steps give NCP: a stop, a lost image, a cancelled run's last look.

/** How long a stop may take to reach NSTOP (Packer's NCP builder allows 5 minutes). */
export const STOP_TIMEOUT_MS = 10 * 60_000
/**
 * A stop NCP was sent may take effect a moment later: a main step whose stop reply was lost, or a
 * post step whose main step never saw the server shutting down, reads it this many times over
 * STOP_SETTLE_MS before it trusts that RUN.
 */
export const STOP_SETTLE_MS = 25_000
export const STOP_SETTLE_READS = 5

/**
 * Pauses between the looks for a name after an uncertain create. A new image may show in the list
 * a moment after the create; how long is not documented, so the looks span several seconds.
 */
export const CONFIRM_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000]
/**
 * A server not yet seen in this wait that no complete list shows may be too new to be listed: it
 * counts as gone only once it has stayed unlisted this long (the span of the looks above).
 */
export const UNLISTED_CONFIRM_MS = CONFIRM_DELAYS_MS.reduce((sum, delay) => sum + delay, 0)
/** A cancelled run gets a few seconds from the runner; the look for a lost image must fit in them. */
export const CANCEL_LOOKUP_TIMEOUT_MS = 3_000

/** How long removing a test server may take: a stop, then a terminate, each in minutes. */
export const REMOVE_TIMEOUT_MS = 20 * 60_000
/**
 * After a cancel the runner sends SIGTERM 7.5 s after SIGINT and kills 2.5 s later
 * (ncloud-api-next §7): the test server's removal gets the first six seconds.
 */
export const CANCEL_REMOVE_MS = 6_000
