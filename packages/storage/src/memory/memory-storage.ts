import type { Zxid } from '@zk/zxid';
import { CorruptLogError } from '../errors.js';
import { planRecovery, purgeStorage } from '../recovery.js';
import type { PurgeResult, RecoveryPlan, RecoveryReport, Storage, StorageLogger, TornTail } from '../storage.js';
import { FRAME_OVERHEAD, frameOffset, MemoryDisk, type SyncDelay } from './memory-disk.js';
import { MemoryEpochStore } from './memory-epoch-store.js';
import { MemorySnapshotStore } from './memory-snapshot-store.js';
import { MemoryTxnLog, writeToDisk } from './memory-txn-log.js';

export interface MemoryStorageOptions {
  /** Receives warnings (torn tail dropped, corrupt snapshot skipped). Default: console.warn. */
  logger?: StorageLogger;
  /** Awaited before every durable operation completes; see {@link SyncDelay}. */
  syncDelay?: SyncDelay;
}

export interface CrashOptions {
  /**
   * How many of the oldest unsynced records reach the disk anyway (a real disk may have
   * written some of them). Default 0.
   */
  keepUnsynced?: number;
  /** Leave a torn fragment of the next unsynced record, which the reopened log must discard. */
  tearLastUnsynced?: boolean;
  /** Uniform [0, 1) source deciding how much of the torn record survives. Default: half of it. */
  rng?: () => number;
}

/**
 * In-memory Storage with a simulated disk: what completed durable operations wrote survives
 * `crash()`; everything else is lost. For tests and the deterministic simulator.
 */
export interface MemoryStorage extends Storage {
  /**
   * Simulates a power loss: this instance dies (its pending and later operations reject with
   * StorageClosedError) and a new instance opens on what was durable, running recovery.
   */
  crash(options?: CrashOptions): MemoryStorage;
  /** Closes this instance (syncing what is pending) and opens a new one on the same disk. */
  reopen(): Promise<MemoryStorage>;
  /** The next durable operation (log batch, snapshot save/remove, epoch write) fails with `err` (default EIO). */
  failNextSync(err?: unknown): void;
  /** While full, durable operations fail with StorageFullError. Survives crash/reopen. */
  setFull(full: boolean): void;
  setSyncDelay(delay: SyncDelay | undefined): void;
  /** Flips a durable record's bytes: the next open (or a read reaching it) raises CorruptLogError. */
  corruptRecord(zxid: Zxid): void;
  /** Corrupts a stored snapshot: `latest()` skips it, `open()` raises CorruptSnapshotError. */
  corruptSnapshot(zxid: Zxid): void;
}

const consoleLogger: StorageLogger = { warn: (message) => console.warn(`[@zk/storage] ${message}`) };

/** Opens an empty in-memory storage. */
export async function memoryStorage(options: MemoryStorageOptions = {}): Promise<MemoryStorage> {
  const disk = new MemoryDisk();
  disk.delay = options.syncDelay;
  return openMemoryStorage(disk, options.logger ?? consoleLogger);
}

const LOCATION = 'memory';

function openMemoryStorage(disk: MemoryDisk, logger: StorageLogger): MemoryStorageImpl {
  const warnings: string[] = [];
  const warn = (message: string): void => {
    warnings.push(message);
    logger.warn(message);
  };
  let tornTail: TornTail | undefined;
  if (disk.torn !== undefined) {
    const segment = disk.segments.find((s) => s.name === disk.torn!.segment);
    const offset = segment === undefined ? 0 : frameOffset(segment, segment.records.length);
    tornTail = { file: disk.torn.segment, offset, droppedBytes: disk.torn.keptBytes };
    warn(`${disk.torn.segment}: dropping a torn record of ${disk.torn.keptBytes} bytes at offset ${offset}`);
    disk.torn = undefined;
  }
  for (const segment of disk.segments) {
    const i = segment.records.findIndex((r) => r.corrupt);
    if (i >= 0) throw new CorruptLogError(segment.name, frameOffset(segment, i), 'checksum mismatch');
  }
  disk.generation++;
  return new MemoryStorageImpl(disk, disk.generation, logger, { tornTail, warnings });
}

class MemoryStorageImpl implements MemoryStorage {
  readonly txnLog: MemoryTxnLog;
  readonly snapshots: MemorySnapshotStore;
  readonly epochs: MemoryEpochStore;
  private closed = false;

  constructor(
    private readonly disk: MemoryDisk,
    generation: number,
    private readonly logger: StorageLogger,
    readonly recovery: RecoveryReport,
  ) {
    this.txnLog = new MemoryTxnLog(disk, generation);
    this.snapshots = new MemorySnapshotStore(disk, generation, logger);
    this.epochs = new MemoryEpochStore(disk, generation);
  }

  recoveryPlan(): Promise<RecoveryPlan> {
    return planRecovery(this.txnLog, this.snapshots, LOCATION, this.disk.segments[0]?.name);
  }

  purge(retainSnapshots: number): Promise<PurgeResult> {
    return purgeStorage(this.txnLog, this.snapshots, retainSnapshots);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.txnLog.close();
    this.snapshots.closed = true;
    this.epochs.closed = true;
  }

  crash(options: CrashOptions = {}): MemoryStorage {
    this.disk.generation++;
    this.closed = true;
    this.snapshots.closed = true;
    this.epochs.closed = true;
    const pending = this.txnLog.crashed();
    const keep = Math.max(0, Math.min(options.keepUnsynced ?? 0, pending.length));
    writeToDisk(this.disk, pending.slice(0, keep));
    const torn = pending[keep];
    if (options.tearLastUnsynced === true && torn !== undefined) {
      const full = FRAME_OVERHEAD + torn.record.length;
      const fraction = options.rng === undefined ? 0.5 : options.rng();
      const keptBytes = Math.min(full - 1, 1 + Math.floor(fraction * (full - 1)));
      const segment = this.disk.segments[this.disk.segments.length - 1];
      this.disk.torn = { segment: segment?.name ?? `log.${torn.zxid.toString(16)}`, zxid: torn.zxid, keptBytes };
    }
    return openMemoryStorage(this.disk, this.logger);
  }

  async reopen(): Promise<MemoryStorage> {
    await this.close();
    return openMemoryStorage(this.disk, this.logger);
  }

  failNextSync(err: unknown = Object.assign(new Error('EIO: i/o error (injected)'), { code: 'EIO' })): void {
    this.disk.failNext = err;
  }

  setFull(full: boolean): void {
    this.disk.full = full;
  }

  setSyncDelay(delay: SyncDelay | undefined): void {
    this.disk.delay = delay;
  }

  corruptRecord(zxid: Zxid): void {
    for (const segment of this.disk.segments) {
      const record = segment.records.find((r) => r.zxid === zxid);
      if (record !== undefined) {
        record.corrupt = true;
        return;
      }
    }
    throw new RangeError(`no durable record with zxid ${zxid}`);
  }

  corruptSnapshot(zxid: Zxid): void {
    const snap = this.disk.snapshots.get(zxid);
    if (snap === undefined) throw new RangeError(`no snapshot at zxid ${zxid}`);
    snap.corrupt = true;
  }
}

