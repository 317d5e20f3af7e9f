/**
 * @packageDocumentation
 * Storage for zk-ts: the TxnLog / SnapshotStore / EpochStore interfaces and their I/O contract,
 * typed errors, shared helpers for backends, and the in-memory backend with fault injection.
 * The compliance suite lives at `@zk/storage/compliance`.
 */
export type { LogEntry, TxnLog, TxnLogStats } from './txn-log.js';
export type { SnapshotData, SnapshotInfo, SnapshotStore } from './snapshot-store.js';
export type { EpochStore } from './epoch-store.js';
export type {
  PurgeResult,
  RecoveryPlan,
  RecoveryReport,
  Storage,
  StorageFactory,
  StorageLogger,
  TornTail,
} from './storage.js';
export {
  CorruptLogError,
  CorruptSnapshotError,
  MissingSnapshotError,
  StorageClosedError,
  StorageError,
  type StorageErrorCode,
  StorageFailedError,
  StorageFullError,
  ZxidOrderError,
  isStorageError,
  storageErrorSymbol,
  toStorageError,
} from './errors.js';
export { MIN_SNAP_RETAIN_COUNT, planRecovery, purgeStorage } from './recovery.js';
export { type CommitBatch, GroupCommit, type GroupCommitBackend } from './group-commit.js';
export {
  LOG_PREFIX,
  SNAPSHOT_PREFIX,
  logSegmentName,
  parseLogSegmentName,
  parseSnapshotName,
  snapshotName,
} from './names.js';
export {
  type CrashOptions,
  type MemoryStorage,
  type MemoryStorageOptions,
  memoryStorage,
} from './memory/memory-storage.js';
export type { DurableOperationKind, SyncDelay } from './memory/memory-disk.js';
