import type { Zxid } from '@zk/zxid';

/** One transaction as stored in the log: its zxid and its opaque bytes. */
export interface LogEntry {
  readonly zxid: Zxid;
  readonly record: Uint8Array;
}

/** Counters a log keeps so tests and metrics can observe batching without timing. */
export interface TxnLogStats {
  /** Records accepted by `append` since open. */
  readonly appends: number;
  /** Durability batches started since open: each is one write plus at most one fsync. */
  readonly syncs: number;
  /** Highest zxid known durable (0n when nothing is). */
  readonly durableZxid: Zxid;
  /** Records appended but not yet covered by a finished batch. */
  readonly pendingRecords: number;
}

/**
 * The transaction log: opaque records keyed by strictly increasing zxids.
 *
 * ## Contract
 *
 * - **Ordering.** `append` accepts zxids strictly greater than `lastZxid()` and throws
 *   {@link ZxidOrderError} otherwise. Zxids need not be contiguous (a new epoch skips counters).
 *   Records become durable in append order: a crash keeps a prefix of what was appended.
 * - **Durability.** `append` only buffers. A record is durable once a `sync()` that was called
 *   after its `append` has resolved. Nothing else promises durability; in particular a record
 *   must not be acknowledged to anyone before that.
 * - **Group commit.** `sync()` resolves when everything appended before the call is durable,
 *   with the highest durable zxid. At most one durability batch (one write + one fsync) is in
 *   flight; callers that need records the running batch does not cover share the next batch.
 *   A `sync()` with nothing new to cover resolves without a batch. `stats().syncs` counts batches.
 * - **Failure.** A failed write or fsync puts the log into a failed state: that batch, every
 *   queued sync and every later `sync`/`append` rejects/throws with the same
 *   {@link StorageFullError} (ENOSPC) or {@link StorageFailedError}. A sync never resolves
 *   unless its records are durable. The only way out is to close and reopen (restart).
 * - **Buffers.** `append` copies `record` before returning: the caller may reuse it at once.
 *   Entries yielded by `read` belong to the caller: the log never reuses or mutates them
 *   and changing them does not change the log.
 * - **Reads.** `read(from)` yields, in zxid order, the records with zxid >= `from` that the log
 *   held when `read` was called, durable or not. Records purged or truncated while a read
 *   runs may or may not be yielded; records appended after the call are not.
 * - **Base.** `baseZxid()` is the zxid after which the log is complete: every record ever
 *   appended with a larger zxid (and not truncated away) is present. It is 0n until a purge
 *   removes the first segment. Recovery needs a snapshot at or after it.
 * - **Open.** Opening a log validates it: a torn tail (the last, partially written record of
 *   the last segment) is dropped with a warning; any other bad record raises
 *   {@link CorruptLogError} naming the file and offset (at open, or at the latest when a read
 *   reaches it).
 * - Calls after `close()` (or after a simulated crash of this instance) throw/reject
 *   {@link StorageClosedError}.
 */
export interface TxnLog {
  /** Buffers one record. Throws ZxidOrderError, StorageClosedError, or the failure of a failed log. */
  append(zxid: Zxid, record: Uint8Array): void;
  /** Makes every record appended before this call durable; resolves with the highest durable zxid. */
  sync(): Promise<Zxid>;
  /** Highest zxid appended (durable or not), else `baseZxid()` for an empty log. */
  lastZxid(): Zxid;
  /** The log holds every record with a zxid above this one (0n unless purged). */
  baseZxid(): Zxid;
  /** Records with zxid >= `fromZxid`, in order (see the contract for what a read covers). */
  read(fromZxid: Zxid): AsyncIterable<LogEntry>;
  /**
   * Removes every record with zxid > `zxid`, pending or durable (ZAB TRUNC). Waits for the
   * running batch; durable before it resolves. Afterwards `lastZxid() <= zxid`.
   */
  truncateAfter(zxid: Zxid): Promise<void>;
  /**
   * Starts a new segment at the next append (called when a snapshot is taken, so purging
   * can later drop whole segments). Backends without segments may treat it as a no-op.
   */
  rollover(): void;
  /**
   * Drops whole segments that only hold records with zxid < `zxid` and are followed by another
   * segment. Records >= `zxid` always stay. Resolves with the names of removed segments.
   */
  purgeBefore(zxid: Zxid): Promise<string[]>;
  stats(): TxnLogStats;
  /** Syncs what is pending (best effort when the log has failed), then releases resources. */
  close(): Promise<void>;
}
