/**
 * Errors raised by the election core. They are named classes so callers can
 * test `err.name` (or `instanceof` within one copy of the package).
 */

/** The driver broke the contract (step before start, advance without ready, ...). */
export class ElectionError extends Error {
  static override readonly name = 'ElectionError';
  override readonly name = 'ElectionError';
}

/** A check in `Election.invariants()` failed: a bug in the core, never in the caller. */
export class ElectionInvariantError extends Error {
  static override readonly name = 'ElectionInvariantError';
  override readonly name = 'ElectionInvariantError';
}

/** A notification read from the wire does not have the expected shape. Drop it. */
export class MalformedNotificationError extends Error {
  static override readonly name = 'MalformedNotificationError';
  override readonly name = 'MalformedNotificationError';
}
