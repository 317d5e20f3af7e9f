import { join } from 'node:path';
import {
  isStorageError,
  planRecovery,
  type PurgeResult,
  purgeStorage,
  type RecoveryPlan,
  type RecoveryReport,
  type Storage,
  type StorageLogger,
  toStorageError,
} from '@zk/storage';
import { TEMP_SUFFIX } from './atomic-write.js';
import { FileEpochStore } from './file-epoch-store.js';
import { FileSnapshotStore } from './file-snapshot-store.js';
import { FileTxnLog } from './file-txn-log.js';
import { type FileSystem, nodeFileSystem } from './fs.js';

/** Subdirectory of dataDir / dataLogDir holding this format's files (ZooKeeper uses `version-2`). */
export const FORMAT_DIR = 'zkts-v1';
export const DEFAULT_PREALLOC_SIZE = 64 * 1024 * 1024;

export interface FileStorageOptions {
  /** Snapshots and epoch files go to `<dataDir>/zkts-v1/`. */
  dataDir: string;
  /** Txn log segments go to `<dataLogDir>/zkts-v1/` (default: dataDir). Put it on its own device for fsync latency. */
  dataLogDir?: string;
  /**
   * fsync the log on every sync batch (default true). `false` is UNSAFE: a power loss can lose
   * acknowledged writes; as ZooKeeper's `forceSync=no`, only for tests and benchmarks.
   */
  forceSync?: boolean;
  /** Log segments grow in steps of this many bytes (default 64 MiB, like ZooKeeper's preAllocSize). */
  preAllocSize?: number;
  /** Warnings (torn tail truncated, invalid snapshot skipped). Default: console.warn. */
  logger?: StorageLogger;
}

/** The file backend's Storage, with where it keeps its files. */
export interface FileStorage extends Storage {
  /** `<dataDir>/zkts-v1`: snapshots and epoch files. */
  readonly snapDir: string;
  /** `<dataLogDir>/zkts-v1`: txn log segments. */
  readonly logDir: string;
}

const consoleLogger: StorageLogger = { warn: (message) => console.warn(`[@zk/storage-file] ${message}`) };

/** Opens (creating if needed) the file storage, running recovery on the log. */
export function fileStorage(options: FileStorageOptions): Promise<FileStorage> {
  return openFileStorage(options, nodeFileSystem);
}

/** {@link fileStorage} over an injected file system (the test seam for I/O failures). */
export async function openFileStorage(options: FileStorageOptions, fs: FileSystem): Promise<FileStorageImpl> {
  const preAllocSize = options.preAllocSize ?? DEFAULT_PREALLOC_SIZE;
  if (!Number.isInteger(preAllocSize) || preAllocSize < 4096) throw new RangeError(`preAllocSize must be an integer >= 4096, got ${preAllocSize}`);
  const forceSync = options.forceSync ?? true;
  const logger = options.logger ?? consoleLogger;
  const snapDir = join(options.dataDir, FORMAT_DIR);
  const logDir = join(options.dataLogDir ?? options.dataDir, FORMAT_DIR);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    logger.warn(message);
  };
  try {
    await fs.mkdirp(snapDir);
    await fs.mkdirp(logDir);
    if (forceSync) {
      // Make the format directories' own entries durable (a no-op cost after the first open).
      await fs.syncDir(options.dataDir);
      if (logDir !== join(options.dataDir, FORMAT_DIR)) await fs.syncDir(options.dataLogDir!);
    }
    for (const name of await fs.readdir(snapDir)) {
      if (!name.endsWith(TEMP_SUFFIX)) continue;
      logger.info?.(`removing leftover temporary file ${join(snapDir, name)}`);
      await fs.unlink(join(snapDir, name));
    }
    const epochs = await FileEpochStore.open(fs, snapDir, forceSync);
    const snapshots = new FileSnapshotStore(fs, snapDir, forceSync, warn);
    const { log, tornTail } = await FileTxnLog.open({ fs, dir: logDir, preAllocSize, forceSync, warn });
    return new FileStorageImpl(snapDir, logDir, log, snapshots, epochs, { tornTail, warnings });
  } catch (err) {
    if (isStorageError(err) || err instanceof RangeError) throw err;
    throw toStorageError(`open storage in ${snapDir}`, err);
  }
}

export class FileStorageImpl implements FileStorage {
  private closed = false;

  constructor(
    readonly snapDir: string,
    readonly logDir: string,
    readonly txnLog: FileTxnLog,
    readonly snapshots: FileSnapshotStore,
    readonly epochs: FileEpochStore,
    readonly recovery: RecoveryReport,
  ) {}

  recoveryPlan(): Promise<RecoveryPlan> {
    return planRecovery(this.txnLog, this.snapshots, this.snapDir, this.txnLog.firstSegmentPath());
  }

  purge(retainSnapshots: number): Promise<PurgeResult> {
    return purgeStorage(this.txnLog, this.snapshots, retainSnapshots);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.snapshots.closed = true;
    this.epochs.closed = true;
    await this.txnLog.close();
  }

  /** Test seam: a simulated crash (see FileTxnLog.abandon). */
  async abandon(tearBytes?: number): Promise<void> {
    this.closed = true;
    this.snapshots.closed = true;
    this.epochs.closed = true;
    await this.txnLog.abandon(tearBytes);
  }
}
