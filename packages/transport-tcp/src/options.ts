/** Options of {@link tcpTransport}. */
export interface TcpTransportOptions {
  /** Disable Nagle's algorithm on every socket (dialled and accepted). Default `true`. */
  readonly noDelay?: boolean;
  /** Enable TCP keep-alive probes on every socket. Default `false`. */
  readonly keepAlive?: boolean;
  /** Idle time before the first keep-alive probe, in ms; 0 keeps the OS default. Default 0. */
  readonly keepAliveInitialDelayMs?: number;
  /** Length of the pending-accept queue passed to `listen`. Default 511. */
  readonly backlog?: number;
  /** `Connection.needsDrain` turns true at this many queued bytes. Default 64 KiB. */
  readonly highWaterMark?: number;
}

/** The options with their defaults filled in. */
export interface ResolvedTcpOptions {
  readonly noDelay: boolean;
  readonly keepAlive: boolean;
  readonly keepAliveInitialDelayMs: number;
  readonly backlog: number;
  readonly highWaterMark: number;
}

export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;

export function resolveOptions(options: TcpTransportOptions = {}): ResolvedTcpOptions {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  if (!Number.isInteger(highWaterMark) || highWaterMark <= 0) {
    throw new RangeError(`highWaterMark must be a positive integer, got ${highWaterMark}`);
  }
  return {
    noDelay: options.noDelay ?? true,
    keepAlive: options.keepAlive ?? false,
    keepAliveInitialDelayMs: options.keepAliveInitialDelayMs ?? 0,
    backlog: options.backlog ?? 511,
    highWaterMark,
  };
}
