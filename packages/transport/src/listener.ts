import type { Address } from './address.js';

/** A listening endpoint returned by {@link Transport.listen}. */
export interface Listener {
  /**
   * The address actually bound. When `listen` was given port 0 this holds the
   * port the transport picked, so it can be handed straight to `dial`.
   */
  readonly address: Address;
  /** Accepted connections that are not closed yet. */
  readonly connectionCount: number;
  /**
   * Stops accepting: once the promise resolves, dials to `address` are refused.
   * Connections already accepted are NOT closed; their owner closes them.
   * Idempotent.
   */
  close(): Promise<void>;
}
