/**
 * The application side, for drivers: what ZAB's commits and snapshots are
 * applied to. The core never calls it (it stays pure); the driver does, in the
 * order the I/O contract gives (README.md).
 */
import type { Zxid } from '@zk/zxid';

export interface StateMachine {
  /** Apply one committed transaction; zxids arrive strictly increasing (restarting after `restore`). */
  apply(zxid: Zxid, payload: Uint8Array): void;
  /** Serialise the state; the driver pairs it with the zxid of the last applied transaction. */
  snapshot(): Uint8Array;
  /** Replace the whole state with a snapshot (SNAP sync, or start-up). */
  restore(data: Uint8Array): void;
}
