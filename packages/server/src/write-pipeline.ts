import { encodeTxnEntry, type TxnEntry } from '@zk/protocol';
import type { TxnLog } from '@zk/storage';
import type { Request } from './request.js';

/** A prepared write waiting for its fsync. */
export interface PendingWrite {
  readonly req: Request;
  readonly entry: TxnEntry;
}

/**
 * Group commit for the standalone pipeline (ZooKeeper's SyncRequestProcessor): every prepared txn
 * is appended at once; one `sync()` covers all txns appended while the previous one ran; txns are
 * handed to `commit` in zxid order only after the sync that covers them resolved. A failed sync
 * stops the pipeline for good: nothing it covered, or anything after it, is ever acknowledged.
 */
export class WritePipeline {
  private batch: PendingWrite[] = [];
  private syncing = false;
  private flushScheduled = false;
  private failure: Error | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly log: TxnLog,
    private readonly commit: (w: PendingWrite) => void,
    private readonly onFailure: (err: Error) => void,
  ) {}

  get failed(): Error | undefined {
    return this.failure;
  }

  /** Txns appended but not yet committed (the `Outstanding` figure of `srvr`). */
  get outstanding(): number {
    return this.batch.length;
  }

  append(w: PendingWrite): void {
    if (this.failure !== undefined) throw this.failure;
    this.log.append(w.entry.header.zxid, encodeTxnEntry(w.entry));
    this.batch.push(w);
    this.scheduleFlush();
  }

  /**
   * Starts the next sync at the end of this event-loop turn rather than at once, so every request
   * read in the same I/O phase shares it; otherwise the first write after a commit would get an
   * fsync of its own while the rest of the pipeline queues behind it.
   */
  private scheduleFlush(): void {
    if (this.syncing || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.syncing && this.batch.length > 0 && this.failure === undefined) this.flush();
    });
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    this.syncing = true;
    this.log.sync().then(
      () => {
        this.syncing = false;
        for (let i = 0; i < batch.length; i++) this.commit(batch[i]!);
        if (this.batch.length > 0 && this.failure === undefined) this.scheduleFlush();
        else this.wakeIdle();
      },
      (err: unknown) => {
        this.syncing = false;
        this.failure = err instanceof Error ? err : new Error(String(err));
        this.onFailure(this.failure);
        this.wakeIdle();
      },
    );
  }

  /** Resolves once everything appended so far is committed (or the pipeline failed). */
  drain(): Promise<void> {
    if (!this.syncing && !this.flushScheduled && this.batch.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
