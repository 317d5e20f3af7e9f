/**
 * The in-memory view of the end of the txn log: every entry after `base`,
 * each tagged with the sequence number of the persist op that wrote it (0 for
 * entries that were already durable when the node started).
 *
 * Entries up to the last delivered one may be dropped from the front once more
 * than `commitLogCount` of them are held (ZooKeeper's `ZKDatabase.committedLog`
 * cap); `base` then moves up. Entries that are not delivered yet are never
 * dropped. A learner further behind than `base` gets SNAP.
 */
import { formatZxid, type Zxid } from '@zk/zxid';

export interface TailEntry {
  readonly zxid: Zxid;
  readonly payload: Uint8Array;
  /** Sequence number of the append op; durable once `seq <= durableSeq`. */
  readonly seq: number;
}

export class LogTail {
  private items: TailEntry[] = [];
  private baseZxid: Zxid;
  private baseSeqNo: number;

  constructor(base: Zxid, entries: readonly { zxid: Zxid; payload: Uint8Array }[] = []) {
    this.baseZxid = base;
    this.baseSeqNo = 0;
    for (const e of entries) {
      if (e.zxid <= base) continue; // already covered by the snapshot
      this.append(e.zxid, e.payload, 0);
    }
  }

  /** The zxid just before the first held entry (a snapshot or a trimmed entry), 0 for an empty history. */
  get base(): Zxid {
    return this.baseZxid;
  }

  /** Sequence number of the op that made `base` durable (a snapshot install), 0 if loaded. */
  get baseSeq(): number {
    return this.baseSeqNo;
  }

  get length(): number {
    return this.items.length;
  }

  get lastZxid(): Zxid {
    const last = this.items[this.items.length - 1];
    return last === undefined ? this.baseZxid : last.zxid;
  }

  /** Sequence number of the op that wrote the last entry (or the base). */
  get lastSeq(): number {
    const last = this.items[this.items.length - 1];
    return last === undefined ? this.baseSeqNo : last.seq;
  }

  at(i: number): TailEntry | undefined {
    return this.items[i];
  }

  /** Index of the first entry with zxid > `zxid`. */
  indexAfter(zxid: Zxid): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.zxid <= zxid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The entry with exactly this zxid, if held. */
  get(zxid: Zxid): TailEntry | undefined {
    const i = this.indexAfter(zxid) - 1;
    const e = this.items[i];
    return e !== undefined && e.zxid === zxid ? e : undefined;
  }

  /** True when `zxid` is the base or a held entry. */
  contains(zxid: Zxid): boolean {
    return zxid === this.baseZxid || this.get(zxid) !== undefined;
  }

  append(zxid: Zxid, payload: Uint8Array, seq: number): void {
    const last = this.lastZxid;
    if (zxid <= last) {
      throw new RangeError(`log append out of order: ${formatZxid(zxid)} after ${formatZxid(last)}`);
    }
    this.items.push({ zxid, payload, seq });
  }

  /** Drops every entry after `zxid`. Returns false if `zxid` is below the base (cannot be done in memory). */
  truncate(zxid: Zxid): boolean {
    if (zxid < this.baseZxid) return false;
    this.items.length = this.indexAfter(zxid);
    return true;
  }

  /** Replaces everything with a snapshot at `zxid` written by op `seq`. */
  reset(zxid: Zxid, seq: number): void {
    this.items = [];
    this.baseZxid = zxid;
    this.baseSeqNo = seq;
  }

  /** Entries with from < zxid <= to (to defaults to the end). */
  slice(from: Zxid, to?: Zxid): TailEntry[] {
    const a = this.indexAfter(from);
    const b = to === undefined ? this.items.length : this.indexAfter(to);
    return this.items.slice(a, b);
  }

  /**
   * Keeps at most `maxCount` entries with zxid <= `upTo` (the delivered
   * prefix), dropping the oldest. Trims in chunks so that steady-state appends
   * do not shift the array every time.
   */
  trim(upTo: Zxid, maxCount: number): void {
    const n = this.indexAfter(upTo);
    const slack = maxCount >>> 3;
    if (n <= maxCount + slack) return;
    const drop = n - maxCount;
    const last = this.items[drop - 1]!;
    // Only durable entries can become the base: the base is never re-read.
    this.baseZxid = last.zxid;
    this.baseSeqNo = last.seq;
    this.items.splice(0, drop);
  }

  /** Checks ordering; returns a problem description or null. */
  check(): string | null {
    let prev = this.baseZxid;
    for (const e of this.items) {
      if (e.zxid <= prev) return `log tail not increasing: ${formatZxid(e.zxid)} after ${formatZxid(prev)}`;
      prev = e.zxid;
    }
    return null;
  }
}
