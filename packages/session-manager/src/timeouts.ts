/** ZooKeeper's default tickTime (ZooKeeperServer.DEFAULT_TICK_TIME). */
export const DEFAULT_TICK_TIME_MS = 3000;

/** The range a server accepts for a client's requested session timeout, in milliseconds. */
export interface SessionTimeoutBounds {
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
}

/** ZooKeeper's defaults when zoo.cfg sets neither bound: 2 ticks and 20 ticks. */
export function defaultSessionTimeouts(tickTimeMs: number): SessionTimeoutBounds {
  assertPositiveInt('tickTimeMs', tickTimeMs);
  return { minSessionTimeoutMs: 2 * tickTimeMs, maxSessionTimeoutMs: 20 * tickTimeMs };
}

/**
 * Resolves configured bounds the way QuorumPeerConfig does: an absent bound (or -1, zoo.cfg's
 * "unset") takes its tick-based default, and min must not exceed max.
 */
export function resolveSessionTimeouts(
  tickTimeMs: number,
  configured: { minSessionTimeoutMs?: number; maxSessionTimeoutMs?: number } = {},
): SessionTimeoutBounds {
  const defaults = defaultSessionTimeouts(tickTimeMs);
  const min = unset(configured.minSessionTimeoutMs) ? defaults.minSessionTimeoutMs : configured.minSessionTimeoutMs!;
  const max = unset(configured.maxSessionTimeoutMs) ? defaults.maxSessionTimeoutMs : configured.maxSessionTimeoutMs!;
  if (min > max) {
    throw new RangeError(`minSessionTimeout (${min} ms) must not be larger than maxSessionTimeout (${max} ms)`);
  }
  return { minSessionTimeoutMs: min, maxSessionTimeoutMs: max };
}

/**
 * The timeout the server grants for a requested one: raised to the minimum first, then lowered to
 * the maximum (ZooKeeperServer.processConnectRequest applies the two clamps in that order).
 */
export function negotiateSessionTimeout(requestedMs: number, bounds: SessionTimeoutBounds): number {
  let timeout = requestedMs;
  if (timeout < bounds.minSessionTimeoutMs) timeout = bounds.minSessionTimeoutMs;
  if (timeout > bounds.maxSessionTimeoutMs) timeout = bounds.maxSessionTimeoutMs;
  return timeout;
}

function unset(value: number | undefined): boolean {
  return value === undefined || value === -1;
}

function assertPositiveInt(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
