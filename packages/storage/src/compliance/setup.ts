import type { Zxid } from '@zk/zxid';
import type { SnapshotInfo } from '../snapshot-store.js';
import type { Storage } from '../storage.js';

/** How a backend plugs into the compliance suite. Optional hooks enable the fault tests. */
export interface StorageComplianceSetup {
  /** Shown in the describe block. */
  name: string;
  /** Opens a fresh, empty storage (in `dir` when given, else in a new place the setup picks). */
  open(dir?: string): Promise<Storage>;
  /** Clean restart: closes `previous` and opens the same data again. */
  reopen(previous: Storage): Promise<Storage>;
  /** Power loss: `previous` dies without syncing; opens what was durable. */
  crash?(previous: Storage): Promise<Storage>;
  /** Power loss that leaves a torn fragment of the first unsynced record at the end of the log. */
  crashTearing?(previous: Storage): Promise<Storage>;
  /**
   * Stops `previous`, damages the durable record `zxid` on the medium, and reopens. The suite
   * expects CorruptLogError from this call or from a read reaching the record.
   */
  corruptRecord?(previous: Storage, zxid: Zxid): Promise<Storage>;
  /** Stops `previous`, damages snapshot `info`, and reopens. */
  corruptSnapshot?(previous: Storage, info: SnapshotInfo): Promise<Storage>;
  /** Makes the next log write or fsync of `storage` fail with this errno code. */
  failNextLogSync?(storage: Storage, code: 'ENOSPC' | 'EIO'): void;
  /** Called after each test, e.g. to remove temporary directories. */
  cleanup?(): Promise<void>;
}
