import { join } from 'node:path';
import {
  type CommitBatch,
  CorruptLogError,
  GroupCommit,
  type LogEntry,
  logSegmentName,
  parseLogSegmentName,
  StorageClosedError,
  type TornTail,
  type TxnLog,
  type TxnLogStats,
  ZxidOrderError,
} from '@zk/storage';
import { formatZxid, type Zxid } from '@zk/zxid';
import { type FileHandle, type FileSystem, isNotFound, writeFully } from './fs.js';
import { encodeFrame, encodeSegmentHeader, FRAME_HEADER_SIZE, SEGMENT_HEADER_SIZE } from './log-format.js';
import { FRAME_END, FRAME_RECORD, FrameReader, zxidHalves } from './segment-reader.js';
import { readSegmentPrevZxid, scanSegment } from './segment-scan.js';

export interface FileTxnLogOptions {
  readonly fs: FileSystem;
  /** Directory holding the `log.<hex>` segments. */
  readonly dir: string;
  readonly preAllocSize: number;
  readonly forceSync: boolean;
  readonly warn: (message: string) => void;
}

interface Segment {
  name: string;
  path: string;
  /** Zxid of the record before this segment's first one. */
  readonly prevZxid: Zxid;
  firstZxid: Zxid | undefined;
  lastZxid: Zxid | undefined;
  /** Offset just past the last durable-or-written record. */
  dataEnd: number;
  /** Current file length (preallocated zeros beyond dataEnd). */
  allocated: number;
}

/**
 * Hands out the items of an async stream of batches one by one: an item of the current batch is
 * an already resolved promise, so a reader pays one await per batch, not per record.
 */
class BatchIterator<T> implements AsyncIterator<T> {
  private batch: T[] = [];
  private i = 0;

  constructor(private readonly source: AsyncGenerator<T[]>) {}

  next(): Promise<IteratorResult<T>> {
    if (this.i < this.batch.length) return Promise.resolve({ value: this.batch[this.i++]!, done: false });
    return this.refill();
  }

  private async refill(): Promise<IteratorResult<T>> {
    for (;;) {
      const r = await this.source.next();
      if (r.done === true) {
        this.batch = [];
        this.i = 0;
        return { value: undefined, done: true };
      }
      this.batch = r.value;
      this.i = 0;
      if (this.batch.length > 0) return { value: this.batch[this.i++]!, done: false };
    }
  }

  async return(): Promise<IteratorResult<T>> {
    this.batch = [];
    this.i = 0;
    await this.source.return(undefined as unknown as T[]);
    return { value: undefined, done: true };
  }
}

/** Window of a read(): smaller than a scan's, since each is a new buffer the records keep alive. */
const FRESH_WINDOW = 1 << 20;

interface PendingFrame {
  readonly zxid: Zxid;
  readonly frame: Buffer;
  readonly newSegment: boolean;
}

/**
 * The file TxnLog: preallocated `log.<hex>` segments of CRC32C frames, written by group commit
 * (one write + one fdatasync per batch per segment touched).
 */
export class FileTxnLog implements TxnLog {
  private pending: PendingFrame[] = [];
  private last: Zxid;
  private appends = 0;
  private rolloverNext = false;
  private closed = false;
  private handle: FileHandle | undefined;
  private hideAbove: Zxid | undefined;
  private truncationsQueued = 0;
  private readonly commit: GroupCommit;

  private constructor(
    private readonly options: FileTxnLogOptions,
    private readonly segments: Segment[],
  ) {
    const lastSegment = segments[segments.length - 1];
    this.last = lastSegment === undefined ? 0n : lastSegment.lastZxid ?? lastSegment.prevZxid;
    this.commit = new GroupCommit({ appendedZxid: () => this.last, beginBatch: () => this.beginBatch() }, this.last);
  }

  /**
   * Opens the log in `options.dir`: checks every segment, drops a torn tail of the last one
   * (reported), and throws CorruptLogError for anything else that is bad.
   */
  static async open(options: FileTxnLogOptions): Promise<{ log: FileTxnLog; tornTail: TornTail | undefined }> {
    const { fs, dir, warn } = options;
    await fs.mkdirp(dir);
    const names = (await fs.readdir(dir))
      .map((name) => ({ name, zxid: parseLogSegmentName(name) }))
      .filter((n): n is { name: string; zxid: Zxid } => n.zxid !== undefined)
      .sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
    const segments: Segment[] = [];
    let tornTail: TornTail | undefined;
    let dirChanged = false;
    // Each segment's header names the zxid the one before it ends at: a segment whose records
    // reach exactly that zxid needs no look at its preallocated zeros (see scanSegment).
    const chain: (Zxid | undefined)[] = [];
    for (const { name } of names) chain.push(await readSegmentPrevZxid(fs, join(dir, name)));
    for (let i = 0; i < names.length; i++) {
      const { name, zxid: nameZxid } = names[i]!;
      const path = join(dir, name);
      const isLast = i === names.length - 1;
      const scan = await scanSegment(fs, path, isLast ? undefined : chain[i + 1]);
      if (scan.kind === 'bad-header') {
        // A segment is created (header fsynced) before any record goes in, so a bad header on
        // the last one is an interrupted creation and holds nothing acknowledged.
        if (!isLast) throw new CorruptLogError(path, 0, scan.reason);
        warn(`${path}: removing a log segment with an incomplete header (${scan.reason}), left by an interrupted creation`);
        tornTail = { file: path, offset: 0, droppedBytes: scan.fileSize };
        await fs.unlink(path);
        dirChanged = true;
        continue;
      }
      if (scan.kind === 'corrupt') throw new CorruptLogError(path, scan.dataEnd, `${scan.reason} (valid records follow)`);
      if (scan.firstZxid !== undefined && scan.firstZxid !== nameZxid) {
        throw new CorruptLogError(path, SEGMENT_HEADER_SIZE, `first zxid ${formatZxid(scan.firstZxid)} does not match the file name`);
      }
      const before = segments[segments.length - 1];
      if (before !== undefined) {
        const expected = before.lastZxid ?? before.prevZxid;
        if (scan.prevZxid !== expected) {
          throw new CorruptLogError(path, 0, `segment continues ${formatZxid(scan.prevZxid)} but the previous one ends at ${formatZxid(expected)}`);
        }
      }
      let allocated = scan.fileSize;
      if (scan.kind === 'torn') {
        if (!isLast) throw new CorruptLogError(path, scan.dataEnd, `${scan.reason} (in a segment that is not the last)`);
        const dropped = (scan.garbageEnd ?? scan.dataEnd) - scan.dataEnd;
        warn(`${path}: truncating a torn tail at offset ${scan.dataEnd} (${dropped} bytes, ${scan.reason})`);
        tornTail = { file: path, offset: scan.dataEnd, droppedBytes: dropped };
        const handle = await fs.open(path, 'update');
        try {
          await handle.truncate(scan.dataEnd);
          await handle.datasync();
        } finally {
          await handle.close();
        }
        allocated = scan.dataEnd;
      }
      segments.push({
        name,
        path,
        prevZxid: scan.prevZxid,
        firstZxid: scan.firstZxid,
        lastZxid: scan.lastZxid,
        dataEnd: scan.dataEnd,
        allocated,
      });
    }
    if (dirChanged) await fs.syncDir(dir);
    return { log: new FileTxnLog(options, segments), tornTail };
  }

  append(zxid: Zxid, record: Uint8Array): void {
    if (this.closed) throw new StorageClosedError('append');
    const failure = this.commit.failed();
    if (failure !== undefined) throw failure;
    if (zxid <= this.last) throw new ZxidOrderError(zxid, this.last);
    this.pending.push({ zxid, frame: encodeFrame(zxid, record), newSegment: this.rolloverNext });
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
    return this.segments[0]?.prevZxid ?? 0n;
  }

  /** Paths of the segments, oldest first. */
  segmentPaths(): string[] {
    return this.segments.map((s) => s.path);
  }

  /** Name of the first segment, for error messages. */
  firstSegmentPath(): string | undefined {
    return this.segments[0]?.path;
  }

  read(fromZxid: Zxid): AsyncIterable<LogEntry> {
    if (this.closed) throw new StorageClosedError('read');
    const fs = this.options.fs;
    const segments = this.segments
      .filter((s) => s.lastZxid !== undefined && s.lastZxid >= fromZxid)
      .map((s) => ({ path: s.path, prevZxid: s.prevZxid, dataEnd: s.dataEnd }));
    const pending = this.pending.filter((p) => p.zxid >= fromZxid);
    const hideAbove = this.hideAbove;
    // Records come out of each read window in one batch (no promise per record inside it).
    async function* batches(): AsyncGenerator<LogEntry[]> {
      segments: for (const segment of segments) {
        let handle: FileHandle;
        try {
          handle = await fs.open(segment.path, 'read');
        } catch (err) {
          if (isNotFound(err)) continue; // purged or truncated away meanwhile
          throw err;
        }
        try {
          // Fresh windows: yielded records are views into them, never overwritten.
          const reader = new FrameReader(handle, Math.min(segment.dataEnd, await handle.size()), true, FRESH_WINDOW);
          let at = SEGMENT_HEADER_SIZE;
          let [prevHi, prevLo] = zxidHalves(segment.prevZxid);
          let batch: LogEntry[] = [];
          while (at < reader.size) {
            let r = reader.parse(at, prevHi, prevLo);
            if (r < 0) {
              if (batch.length > 0) {
                yield batch;
                batch = [];
              }
              await reader.load(at, -r);
              r = reader.parse(at, prevHi, prevLo);
            }
            if (r === FRAME_END) break;
            if (r !== FRAME_RECORD) {
              if (batch.length > 0) yield batch;
              throw new CorruptLogError(segment.path, at, reader.reason);
            }
            const zxid = reader.zxid;
            // Records above a queued truncation are already gone; pending ones may follow.
            if (hideAbove !== undefined && zxid > hideAbove) {
              if (batch.length > 0) yield batch;
              break segments;
            }
            if (zxid >= fromZxid) batch.push({ zxid, record: reader.payload() });
            prevHi = reader.zxidHi;
            prevLo = reader.zxidLo;
            at += reader.frameSize;
          }
          reader.release();
          if (batch.length > 0) yield batch;
        } finally {
          await handle.close();
        }
      }
      if (pending.length > 0) yield pending.map((p) => ({ zxid: p.zxid, record: new Uint8Array(p.frame.subarray(FRAME_HEADER_SIZE)) }));
    }
    return { [Symbol.asyncIterator]: () => new BatchIterator(batches()) };
  }

  truncateAfter(zxid: Zxid): Promise<void> {
    if (this.closed) return Promise.reject(new StorageClosedError('truncateAfter'));
    const failure = this.commit.failed();
    if (failure !== undefined) return Promise.reject(failure);
    if (zxid < this.baseZxid()) {
      return Promise.reject(new RangeError(`cannot truncate after ${formatZxid(zxid)}: the log was purged up to ${formatZxid(this.baseZxid())}`));
    }
    this.pending = this.pending.filter((p) => p.zxid <= zxid);
    const appendsAtCall = this.appends;
    if (this.last > zxid) this.last = this.highestAtOrBelow(zxid);
    this.hideAbove = this.hideAbove === undefined || zxid < this.hideAbove ? zxid : this.hideAbove;
    this.truncationsQueued++;
    const done = this.commit.truncation(zxid, async () => {
      await this.truncateSegments(zxid);
      // Until the segments were scanned, `last` may have been the bound `zxid` itself.
      if (this.appends === appendsAtCall && this.pending.length === 0) {
        const segment = this.segments[this.segments.length - 1];
        this.last = segment === undefined ? 0n : segment.lastZxid ?? segment.prevZxid;
      }
    });
    const settle = (): void => {
      if (--this.truncationsQueued === 0) this.hideAbove = undefined;
    };
    done.then(settle, settle);
    return done;
  }

  rollover(): void {
    if (this.closed) throw new StorageClosedError('rollover');
    this.rolloverNext = true;
  }

  purgeBefore(zxid: Zxid): Promise<string[]> {
    if (this.closed) return Promise.reject(new StorageClosedError('purgeBefore'));
    return this.commit.exclusive(async () => {
      let drop = 0;
      while (drop + 1 < this.segments.length) {
        const next = this.segments[drop + 1]!.firstZxid;
        if (next === undefined || next > zxid) break;
        drop++;
      }
      const removed: string[] = [];
      // Oldest first: a crash part way leaves a suffix of segments, which is still a valid log.
      for (const segment of this.segments.slice(0, drop)) {
        await this.options.fs.unlink(segment.path).catch((err: unknown) => {
          if (!isNotFound(err)) throw err;
        });
        this.segments.shift();
        removed.push(segment.name);
      }
      if (removed.length > 0) await this.options.fs.syncDir(this.options.dir);
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
    await this.commit.exclusive(() => this.closeHandle());
  }

  /**
   * Test seam for a simulated crash: stops without syncing. The running batch (if any) is let
   * finish, queued ones are dropped; with `tearBytes`, that many bytes of the first unsynced
   * frame are written (not synced) at the end of the log, as a torn write would leave them.
   */
  async abandon(tearBytes?: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.commit.fail(new StorageClosedError('the instance crashed'), 'crash');
    await this.commit.exclusive(async () => {
      const first = this.pending[0];
      const segment = this.segments[this.segments.length - 1];
      if (tearBytes !== undefined && first !== undefined && segment !== undefined) {
        const n = Math.max(1, Math.min(tearBytes, first.frame.length - 1));
        const handle = await this.currentHandle();
        await writeFully(handle, first.frame.subarray(0, n), segment.dataEnd);
      }
      await this.closeHandle();
    });
  }

  private beginBatch(): CommitBatch | undefined {
    const batch = this.pending.slice();
    if (batch.length === 0) return undefined;
    return { covers: batch[batch.length - 1]!.zxid, write: () => this.writeBatch(batch) };
  }

  private async writeBatch(batch: PendingFrame[]): Promise<void> {
    const { fs, dir, forceSync, preAllocSize } = this.options;
    for (let i = 0; i < batch.length; ) {
      const first = batch[i]!;
      let segment = this.segments[this.segments.length - 1];
      let created = false;
      if (segment === undefined || (first.newSegment && segment.lastZxid !== undefined)) {
        segment = await this.createSegment(first.zxid);
        created = true;
      } else if (segment.lastZxid === undefined && segment.name !== logSegmentName(first.zxid)) {
        await this.renameSegment(segment, first.zxid);
      }
      let j = i + 1;
      while (j < batch.length && !batch[j]!.newSegment) j++;
      const frames = batch.slice(i, j).map((p) => p.frame);
      const data = frames.length === 1 ? frames[0]! : Buffer.concat(frames);
      const handle = await this.currentHandle();
      const end = segment.dataEnd + data.length;
      let grown = false;
      if (end > segment.allocated) {
        const size = Math.ceil(end / preAllocSize) * preAllocSize;
        await handle.truncate(size);
        segment.allocated = size;
        grown = true;
      }
      await writeFully(handle, data, segment.dataEnd);
      if (forceSync) {
        // A write through an O_DSYNC handle is durable when it returns. Otherwise one fdatasync
        // covers the records; it also makes a new or grown segment's length durable (so those
        // get it either way), and the directory fsync makes a new file's name durable.
        if (handle.syncsWrites !== true || created || grown) await handle.datasync();
        if (created) await fs.syncDir(dir);
      }
      segment.dataEnd = end;
      segment.firstZxid ??= first.zxid;
      segment.lastZxid = batch[j - 1]!.zxid;
      i = j;
    }
    const written = new Set(batch);
    this.pending = this.pending.filter((p) => !written.has(p));
  }

  /**
   * Creates and preallocates a segment for `firstZxid`. Not synced here: the batch that fills it
   * syncs data and directory before it resolves; a crash before that leaves a segment with a bad
   * header or no records, which recovery handles (nothing in it was acknowledged).
   */
  private async createSegment(firstZxid: Zxid): Promise<Segment> {
    const { fs, dir, preAllocSize } = this.options;
    await this.closeHandle();
    const before = this.segments[this.segments.length - 1];
    const prevZxid = before === undefined ? 0n : before.lastZxid ?? before.prevZxid;
    const name = logSegmentName(firstZxid);
    const path = join(dir, name);
    const handle = await fs.open(path, 'create', { syncWrites: this.options.forceSync });
    this.handle = handle;
    await writeFully(handle, encodeSegmentHeader(prevZxid), 0);
    await handle.truncate(preAllocSize);
    const segment: Segment = {
      name,
      path,
      prevZxid,
      firstZxid: undefined,
      lastZxid: undefined,
      dataEnd: SEGMENT_HEADER_SIZE,
      allocated: preAllocSize,
    };
    this.segments.push(segment);
    return segment;
  }

  /** An empty segment takes the name of the first record written to it. */
  private async renameSegment(segment: Segment, firstZxid: Zxid): Promise<void> {
    const { fs, dir } = this.options;
    await this.closeHandle();
    const name = logSegmentName(firstZxid);
    const path = join(dir, name);
    await fs.rename(segment.path, path);
    await fs.syncDir(dir);
    segment.name = name;
    segment.path = path;
  }

  private async truncateSegments(zxid: Zxid): Promise<void> {
    const { fs, dir } = this.options;
    await this.closeHandle();
    let unlinked = false;
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const segment = this.segments[k]!;
      if (segment.lastZxid === undefined || segment.lastZxid <= zxid) break;
      if (k > 0 && segment.firstZxid !== undefined && segment.firstZxid > zxid) {
        await fs.unlink(segment.path);
        this.segments.pop();
        unlinked = true;
        continue;
      }
      const cut = await this.cutPoint(segment, zxid);
      const handle = await fs.open(segment.path, 'update');
      try {
        await handle.truncate(cut.offset);
        await handle.datasync();
      } finally {
        await handle.close();
      }
      segment.dataEnd = cut.offset;
      segment.allocated = cut.offset;
      segment.lastZxid = cut.lastZxid;
      if (cut.lastZxid === undefined) segment.firstZxid = undefined;
      break;
    }
    if (unlinked) await fs.syncDir(dir);
  }

  /** Offset of the first record above `zxid` in `segment`, and the last zxid before it. */
  private async cutPoint(segment: Segment, bound: Zxid): Promise<{ offset: number; lastZxid: Zxid | undefined }> {
    const handle = await this.options.fs.open(segment.path, 'read');
    try {
      const reader = new FrameReader(handle, segment.dataEnd);
      let at = SEGMENT_HEADER_SIZE;
      let [prevHi, prevLo] = zxidHalves(segment.prevZxid);
      let lastZxid: Zxid | undefined;
      while (at < segment.dataEnd) {
        const r = await reader.next(at, prevHi, prevLo);
        if (r === FRAME_END) break;
        if (r !== FRAME_RECORD) throw new CorruptLogError(segment.path, at, reader.reason);
        const zxid = reader.zxid;
        if (zxid > bound) break;
        lastZxid = zxid;
        prevHi = reader.zxidHi;
        prevLo = reader.zxidLo;
        at += reader.frameSize;
      }
      reader.release();
      return { offset: at, lastZxid };
    } finally {
      await handle.close();
    }
  }

  private async currentHandle(): Promise<FileHandle> {
    if (this.handle !== undefined) return this.handle;
    const segment = this.segments[this.segments.length - 1];
    if (segment === undefined) throw new Error('no segment to write to');
    this.handle = await this.options.fs.open(segment.path, 'update', { syncWrites: this.options.forceSync });
    return this.handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    if (handle !== undefined) await handle.close();
  }

  private highestAtOrBelow(zxid: Zxid): Zxid {
    for (let i = this.pending.length - 1; i >= 0; i--) if (this.pending[i]!.zxid <= zxid) return this.pending[i]!.zxid;
    // Durable records: the exact zxid is only known per segment bounds; a record at or below
    // `zxid` in a segment whose range straddles it is found lazily, so use the bound.
    for (let k = this.segments.length - 1; k >= 0; k--) {
      const segment = this.segments[k]!;
      if (segment.lastZxid === undefined) continue;
      if (segment.lastZxid <= zxid && (this.hideAbove === undefined || segment.lastZxid <= this.hideAbove)) return segment.lastZxid;
      if (segment.firstZxid !== undefined && segment.firstZxid <= zxid) return zxid;
    }
    const base = this.baseZxid();
    return base < zxid ? base : zxid;
  }
}
