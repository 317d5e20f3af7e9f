import type { Zxid } from '@zk/zxid';
import type { EpochStore } from './epoch-store.js';
import type { SnapshotInfo, SnapshotStore } from './snapshot-store.js';
import type { TxnLog } from './txn-log.js';

/** Where a server resumes: load `snapshot` (if any), then replay the log from `replayFrom`. */
export interface RecoveryPlan {
  readonly snapshot: SnapshotInfo | undefined;
  /** First zxid to replay: `snapshot.zxid + 1n`, or `1n` with no snapshot (log complete from genesis). */
  readonly replayFrom: Zxid;
}

/** A torn tail dropped while opening the log. */
export interface TornTail {
  readonly file: string;
  readonly offset: number;
  readonly droppedBytes: number;
}

/** What opening the storage found and repaired. */
export interface RecoveryReport {
  readonly tornTail: TornTail | undefined;
  /** Every warning also sent to the logger while opening. */
  readonly warnings: readonly string[];
}

export interface PurgeResult {
  readonly removedSnapshots: SnapshotInfo[];
  readonly removedLogSegments: string[];
}

/** Minimal logger the backends report warnings (torn tails, skipped snapshots) to. */
export interface StorageLogger {
  warn(message: string): void;
  info?(message: string): void;
}

/** A consistent set of log, snapshots and epochs for one server. */
export interface Storage {
  readonly txnLog: TxnLog;
  readonly snapshots: SnapshotStore;
  readonly epochs: EpochStore;
  /** What opening found (torn tail dropped, warnings). */
  readonly recovery: RecoveryReport;
  /**
   * The newest valid snapshot and where to replay from. Throws {@link MissingSnapshotError}
   * when no valid snapshot is at or after `txnLog.baseZxid()` and that base is not 0n.
   */
  recoveryPlan(): Promise<RecoveryPlan>;
  /**
   * Autopurge: keeps the `retainSnapshots` newest snapshots (at least 3, as ZooKeeper's
   * `autopurge.snapRetainCount`; throws RangeError below that), deletes older ones, and drops
   * log segments not needed to replay from the oldest kept snapshot.
   */
  purge(retainSnapshots: number): Promise<PurgeResult>;
  /** Closes the log (syncing what is pending) and everything else. */
  close(): Promise<void>;
}

/** How a server obtains its storage; each backend exports one (e.g. `memoryStorage`, `fileStorage`). */
export type StorageFactory<Options> = (options: Options) => Promise<Storage>;
