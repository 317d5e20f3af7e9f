import type { Zxid } from '@zk/zxid';
import { CorruptLogError, StorageClosedError, ZxidOrderError } from '../errors.js';
import { type CommitBatch, GroupCommit } from '../group-commit.js';
import { logSegmentName } from '../names.js';
import type { LogEntry, TxnLog, TxnLogStats } from '../txn-log.js';
import { type DiskSegment, frameOffset, type MemoryDisk } from './memory-disk.js';

interface PendingRecord {
  readonly zxid: Zxid;
  readonly record: Uint8Array;
  readonly newSegment: boolean;
}

/** The memory backend's TxnLog: pending records here, durable ones on the shared MemoryDisk. */
export class MemoryTxnLog implements TxnLog {
  private pending: PendingRecord[] = [];
  private last: Zxid;
  private appends = 0;
  private rolloverNext = false;
  private closed = false;
  /** While truncations are queued, durable records above the lowest point are already gone for readers. */
  private hideAbove: Zxid | undefined;
  private truncationsQueued = 0;
  private readonly commit: GroupCommit;

  constructor(
    private readonly disk: MemoryDisk,
    private readonly generation: number,
  ) {
    this.last = disk.lastZxid() ?? disk.baseZxid();
    this.commit = new GroupCommit({ appendedZxid: () => this.last, beginBatch: () => this.beginBatch() }, this.last);
  }

  append(zxid: Zxid, record: Uint8Array): void {
    this.checkOpen('append');
    const failure = this.commit.failed();
    if (failure !== undefined) throw failure;
    if (zxid <= this.last) throw new ZxidOrderError(zxid, this.last);
    this.pending.push({ zxid, record: record.slice(), newSegment: this.rolloverNext });
    this.rolloverNext = false;
    this.last = zxid;
    this.appends++;
  }

  sync(): Promise<Zxid> {
    if (this.closed) return Promise.reject(new StorageClosedError('sync'));
    return this.commit.sync();
  }

  lastZxid(): Zxid {
    return this.last;
  }

  baseZxid(): Zxid {
    return this.disk.baseZxid();
  }

  read(fromZxid: Zxid): AsyncIterable<LogEntry> {
    this.checkOpen('read');
    const picked: Array<{ entry: LogEntry; corruptAt?: [string, number] }> = [];
    const hideAbove = this.hideAbove;
    for (const segment of this.disk.segments) {
      segment.records.forEach((r, i) => {
        if (r.zxid < fromZxid || (hideAbove !== undefined && r.zxid > hideAbove)) return;
        picked.push(r.corrupt ? { entry: r, corruptAt: [segment.name, frameOffset(segment, i)] } : { entry: r });
      });
    }
    for (const r of this.pending) if (r.zxid >= fromZxid) picked.push({ entry: r });
    return {
      async *[Symbol.asyncIterator]() {
        for (const { entry, corruptAt } of picked) {
          if (corruptAt !== undefined) throw new CorruptLogError(corruptAt[0], corruptAt[1], 'checksum mismatch');
          yield { zxid: entry.zxid, record: entry.record.slice() };
        }
      },
    };
  }

  truncateAfter(zxid: Zxid): Promise<void> {
    if (this.closed) return Promise.reject(new StorageClosedError('truncateAfter'));
    const failure = this.commit.failed();
    if (failure !== undefined) return Promise.reject(failure);
    if (zxid < this.disk.baseZxid()) {
      return Promise.reject(new RangeError(`cannot truncate after ${zxid}: the log was purged up to ${this.disk.baseZxid()}`));
    }
    this.pending = this.pending.filter((r) => r.zxid <= zxid);
    if (this.last > zxid) this.last = this.highestAtOrBelow(zxid);
    this.hideAbove = this.hideAbove === undefined || zxid < this.hideAbove ? zxid : this.hideAbove;
    this.truncationsQueued++;
    const done = this.commit.truncation(zxid, async () => {
      await this.disk.persist('log', this.generation, 'log truncate');
      const kept: DiskSegment[] = [];
      for (const segment of this.disk.segments) {
        segment.records = segment.records.filter((r) => r.zxid <= zxid);
        if (segment.records.length > 0 || kept.length === 0) kept.push(segment);
      }
      this.disk.segments = kept;
      if (this.disk.torn !== undefined && this.disk.torn.zxid > zxid) this.disk.torn = undefined;
    });
    const settle = (): void => {
      if (--this.truncationsQueued === 0) this.hideAbove = undefined;
    };
    done.then(settle, settle);
    return done;
  }

  rollover(): void {
    this.checkOpen('rollover');
    this.rolloverNext = true;
  }

  purgeBefore(zxid: Zxid): Promise<string[]> {
    if (this.closed) return Promise.reject(new StorageClosedError('purgeBefore'));
    return this.commit.exclusive(async () => {
      await this.disk.persist('log', this.generation, 'log purge');
      const segments = this.disk.segments;
      let drop = 0;
      while (drop + 1 < segments.length) {
        const nextFirst = segments[drop + 1]!.records[0]?.zxid;
        if (nextFirst === undefined || nextFirst > zxid) break;
        drop++;
      }
      const removed = segments.splice(0, drop).map((s) => s.name);
      return removed;
    });
  }

  stats(): TxnLogStats {
    return {
      appends: this.appends,
      syncs: this.commit.batchCount(),
      durableZxid: this.commit.durableZxid(),
      pendingRecords: this.pending.length,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.sync().catch(() => undefined);
    this.closed = true;
  }

  /** Simulated crash: drops this instance; the caller decides what of `pending` reaches the disk. */
  crashed(): readonly PendingRecord[] {
    this.closed = true;
    this.commit.fail(new StorageClosedError('the instance crashed'), 'crash');
    const pending = this.pending;
    this.pending = [];
    return pending;
  }

  private beginBatch(): CommitBatch | undefined {
    const batch = this.pending.slice();
    if (batch.length === 0) return undefined;
    const covers = batch[batch.length - 1]!.zxid;
    return {
      covers,
      write: async () => {
        await this.disk.persist('log', this.generation, 'log sync');
        writeToDisk(this.disk, batch);
        const written = new Set(batch);
        this.pending = this.pending.filter((r) => !written.has(r));
      },
    };
  }

  private highestAtOrBelow(zxid: Zxid): Zxid {
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.zxid <= zxid) return this.pending[i]!.zxid;
    for (let s = this.disk.segments.length - 1; s >= 0; s--) {
      const records = this.disk.segments[s]!.records;
      for (let i = records.length - 1; i >= 0; i--) {
        const z = records[i]!.zxid;
        if (z <= zxid && (this.hideAbove === undefined || z <= this.hideAbove)) return z;
      }
    }
    const base = this.disk.baseZxid();
    return base < zxid ? base : zxid;
  }

  private checkOpen(operation: string): void {
    if (this.closed) throw new StorageClosedError(operation);
  }
}

/** Appends records to the disk's segments, opening a segment where a rollover asked for one. */
export function writeToDisk(disk: MemoryDisk, records: readonly PendingRecord[]): void {
  for (const r of records) {
    let segment = disk.segments[disk.segments.length - 1];
    if (segment === undefined || (r.newSegment && segment.records.length > 0)) {
      segment = { name: logSegmentName(r.zxid), prevZxid: disk.lastZxid() ?? disk.baseZxid(), records: [] };
      disk.segments.push(segment);
    } else if (segment.records.length === 0) {
      // An empty segment (left by a truncation) takes the name of the first record written to it.
      segment.name = logSegmentName(r.zxid);
    }
    segment.records.push({ zxid: r.zxid, record: r.record, corrupt: false });
  }
}
