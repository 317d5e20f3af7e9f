/**
 * A peer sent something that cannot happen in a correct ensemble over FIFO
 * connections (for example a COMMIT for a proposal this server never logged).
 * ZooKeeper exits the process in these cases; the driver should treat it as
 * fatal for this server: drop the node, restart it from durable state.
 */
export class ZabProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZabProtocolError';
  }
}

/** `invariants()` found a broken internal invariant: a bug in this package or a driver that broke the I/O contract. */
export class ZabInvariantError extends Error {
  constructor(readonly violations: readonly string[]) {
    super(`ZAB invariant violated: ${violations.join('; ')}`);
    this.name = 'ZabInvariantError';
  }
}

/** The caller used the API in a way the current role or state does not allow. */
export class ZabUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZabUsageError';
  }
}
