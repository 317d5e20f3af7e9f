import type { Zxid } from '@zk/zxid';
import { StorageClosedError, StorageFullError, toStorageError } from '../errors.js';

/** Which kind of durable operation a sync delay applies to. */
export type DurableOperationKind = 'log' | 'snapshot' | 'epoch';

/**
 * Called before each durable operation of the memory backend completes; the operation waits
 * for the returned promise. A simulator uses it to model slow disks (resolve it on its own clock).
 */
export type SyncDelay = (kind: DurableOperationKind) => Promise<void> | void;

export interface DiskRecord {
  readonly zxid: Zxid;
  readonly record: Uint8Array;
  corrupt: boolean;
}

export interface DiskSegment {
  name: string;
  /** Zxid of the record before this segment's first one (0n for the first segment ever). */
  prevZxid: Zxid;
  records: DiskRecord[];
}

export interface TornRecord {
  readonly segment: string;
  readonly zxid: Zxid;
  readonly keptBytes: number;
}

/**
 * What survives a crash of the memory backend: only what durable operations completed.
 * Shared by every instance opened on it; `generation` identifies the live one.
 */
export class MemoryDisk {
  segments: DiskSegment[] = [];
  torn: TornRecord | undefined;
  readonly snapshots = new Map<Zxid, { data: Uint8Array; corrupt: boolean }>();
  acceptedEpoch: number | undefined;
  currentEpoch: number | undefined;
  generation = 0;
  full = false;
  failNext: unknown = undefined;
  delay: SyncDelay | undefined;

  /**
   * Waits for the sync delay, then checks that `generation` is still live and no fault is armed.
   * The caller applies its mutation synchronously right after this resolves.
   */
  async persist(kind: DurableOperationKind, generation: number, operation: string): Promise<void> {
    if (this.delay !== undefined) await this.delay(kind);
    if (generation !== this.generation) throw new StorageClosedError(`${operation}: the instance crashed`);
    if (this.failNext !== undefined) {
      const err = this.failNext;
      this.failNext = undefined;
      throw toStorageError(operation, err);
    }
    if (this.full) throw new StorageFullError(operation);
  }

  lastZxid(): Zxid | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const records = this.segments[i]!.records;
      if (records.length > 0) return records[records.length - 1]!.zxid;
    }
    return undefined;
  }

  baseZxid(): Zxid {
    return this.segments[0]?.prevZxid ?? 0n;
  }
}

/** Bytes a record takes in the file format; the memory backend reports offsets as if it used it. */
export const FRAME_OVERHEAD = 16;
/** Size of a segment header in the file format. */
export const SEGMENT_HEADER_SIZE = 24;

export function frameOffset(segment: DiskSegment, index: number): number {
  let offset = SEGMENT_HEADER_SIZE;
  for (let i = 0; i < index; i++) offset += FRAME_OVERHEAD + segment.records[i]!.record.length;
  return offset;
}
