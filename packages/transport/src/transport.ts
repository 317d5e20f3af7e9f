import type { Address } from './address.js';
import type { Connection } from './connection.js';
import type { Listener } from './listener.js';

/**
 * The brand every transport carries, so code can recognise one with
 * {@link isTransport} even across duplicate copies of this package.
 */
export const transportSymbol = Symbol.for('@zk/transport');

/** Called once per accepted connection, asynchronously; install handlers on it. */
export type ConnectionHandler = (connection: Connection) => void;

/** Options for {@link Transport.dial}. */
export interface DialOptions {
  /** Aborting rejects a pending dial with `AbortError` and discards its connection. */
  readonly signal?: AbortSignal;
  /** Rejects with `DialTimeoutError` when not connected within this many ms (positive); no limit by default. */
  readonly timeoutMs?: number;
}

/**
 * Creates connections: listens for incoming ones and dials outgoing ones.
 *
 * `listen` rejects with `AddressInUseError` when the address is taken.
 * `dial` rejects with `ConnectionRefusedError` when nothing listens there, with
 * `DialTimeoutError` or `AbortError` as described in {@link DialOptions}, and
 * passes other failures through as the transport reports them.
 *
 * Implementations set `[transportSymbol]: true`, export a factory function
 * (`tcpTransport(options)`) rather than their class, and run the compliance
 * suite from `@zk/transport/compliance`.
 */
export interface Transport {
  readonly [transportSymbol]: true;
  readonly [Symbol.toStringTag]?: string;
  listen(address: Address, onConnection: ConnectionHandler): Promise<Listener>;
  dial(address: Address, options?: DialOptions): Promise<Connection>;
}

/** True when `value` carries the transport brand. */
export function isTransport(value: unknown): value is Transport {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [transportSymbol]?: unknown })[transportSymbol] === true
  );
}
