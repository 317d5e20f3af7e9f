import { ZXID_ZERO } from '@zk/zxid';
import { MissingSnapshotError } from './errors.js';
import type { SnapshotStore } from './snapshot-store.js';
import type { PurgeResult, RecoveryPlan } from './storage.js';
import type { TxnLog } from './txn-log.js';

/** ZooKeeper's lower bound for `autopurge.snapRetainCount`. */
export const MIN_SNAP_RETAIN_COUNT = 3;

/**
 * Shared implementation of {@link Storage.recoveryPlan} for backends: newest valid snapshot,
 * checked against the log's base.
 */
export async function planRecovery(
  txnLog: TxnLog,
  snapshots: SnapshotStore,
  location: string,
  firstLogFile?: string,
): Promise<RecoveryPlan> {
  const snapshot = await snapshots.latest();
  const base = txnLog.baseZxid();
  if (snapshot === undefined) {
    if (base !== ZXID_ZERO) throw new MissingSnapshotError(location, base, undefined, firstLogFile);
    return { snapshot: undefined, replayFrom: 1n };
  }
  if (snapshot.zxid < base) throw new MissingSnapshotError(location, base, snapshot.zxid, firstLogFile);
  return { snapshot, replayFrom: snapshot.zxid + 1n };
}

/** Shared implementation of {@link Storage.purge}. */
export async function purgeStorage(txnLog: TxnLog, snapshots: SnapshotStore, retainSnapshots: number): Promise<PurgeResult> {
  if (!Number.isInteger(retainSnapshots) || retainSnapshots < MIN_SNAP_RETAIN_COUNT) {
    throw new RangeError(`retainSnapshots must be an integer >= ${MIN_SNAP_RETAIN_COUNT}, got ${retainSnapshots}`);
  }
  const all = await snapshots.list();
  if (all.length === 0) return { removedSnapshots: [], removedLogSegments: [] };
  const kept = all.slice(-retainSnapshots);
  const oldestKept = kept[0]!;
  const removedSnapshots = all.slice(0, all.length - kept.length);
  // Logs first: if we stop half way, the older snapshots still cover what remains.
  const removedLogSegments = await txnLog.purgeBefore(oldestKept.zxid + 1n);
  for (const info of removedSnapshots) await snapshots.remove(info);
  return { removedSnapshots, removedLogSegments };
}
