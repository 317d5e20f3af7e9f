/**
 * What a node reads back from disk when it (re)starts. The core never reads
 * storage itself: the driver loads this once and passes it to `createZabNode`.
 */
import { formatZxid, type Zxid } from '@zk/zxid';
import type { LogEntry } from './ready.js';

export interface DurableState {
  /** Contents of the acceptedEpoch file (0 when absent). */
  readonly acceptedEpoch: number;
  /** Contents of the currentEpoch file (0 when absent). */
  readonly currentEpoch: number;
  /**
   * The zxid of the snapshot the driver restored the state machine from (0 if
   * it started empty). The state machine must hold exactly the transactions up
   * to this zxid.
   */
  readonly snapshotZxid: Zxid;
  /** The txn log entries after `snapshotZxid`, in zxid order (committed or not). */
  readonly log: readonly LogEntry[];
}

export const EMPTY_DURABLE_STATE: DurableState = Object.freeze({
  acceptedEpoch: 0,
  currentEpoch: 0,
  snapshotZxid: 0n,
  log: Object.freeze([]) as readonly LogEntry[],
});

export function validateDurableState(d: DurableState): void {
  if (!Number.isSafeInteger(d.acceptedEpoch) || d.acceptedEpoch < 0) throw new RangeError(`bad acceptedEpoch ${d.acceptedEpoch}`);
  if (!Number.isSafeInteger(d.currentEpoch) || d.currentEpoch < 0) throw new RangeError(`bad currentEpoch ${d.currentEpoch}`);
  if (d.acceptedEpoch < d.currentEpoch) {
    // QuorumPeer.loadDataBase refuses to start in this case too.
    throw new RangeError(`acceptedEpoch ${d.acceptedEpoch} is less than currentEpoch ${d.currentEpoch}`);
  }
  let prev = d.snapshotZxid;
  for (const e of d.log) {
    if (e.zxid <= prev) throw new RangeError(`durable log not increasing after the snapshot: ${formatZxid(e.zxid)} after ${formatZxid(prev)}`);
    prev = e.zxid;
  }
}
