import type { Zxid } from '@zk/zxid';
import { type StorageError, toStorageError } from './errors.js';

/** One durability batch captured by a backend. */
export interface CommitBatch {
  /** Highest zxid the batch makes durable. */
  readonly covers: Zxid;
  /** Writes the batch and fsyncs it once. */
  write(): Promise<void>;
}

/** What a log backend plugs into {@link GroupCommit}. */
export interface GroupCommitBackend {
  /** Highest zxid appended so far (durable or not). */
  appendedZxid(): Zxid;
  /**
   * Synchronously captures every record appended and not yet durable as one batch, or returns
   * undefined when there is none. Never called while another batch or exclusive operation runs.
   */
  beginBatch(): CommitBatch | undefined;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

type Work =
  | { kind: 'batch'; done: Deferred<Zxid> }
  | { kind: 'op'; run: () => Promise<unknown>; done: Deferred<unknown> };

/**
 * Group commit for log backends: coalesces `sync()` calls into batches, runs one batch or
 * exclusive operation (truncation, purge, close) at a time, and latches the first failure.
 *
 * A `sync()` whose records the running batch covers waits for that batch; otherwise it joins
 * the next queued batch, which captures everything appended by the time it starts.
 */
export class GroupCommit {
  private durable: Zxid;
  private failure: StorageError | undefined;
  private batches = 0;
  /** The running batch; `cap` is lowered by truncations so it never marks removed records durable. */
  private running: { covers: Zxid; cap: Zxid; done: Deferred<Zxid> } | 'op' | undefined;
  private readonly queue: Work[] = [];

  constructor(
    private readonly backend: GroupCommitBackend,
    initialDurable: Zxid,
  ) {
    this.durable = initialDurable;
  }

  /** Highest zxid known durable. */
  durableZxid(): Zxid {
    return this.durable;
  }

  /** Batches started so far (each is one write + at most one fsync). */
  batchCount(): number {
    return this.batches;
  }

  /** The error that failed the log, if any. */
  failed(): StorageError | undefined {
    return this.failure;
  }

  sync(): Promise<Zxid> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const needed = this.backend.appendedZxid();
    if (needed <= this.durable) return Promise.resolve(this.durable);
    const running = this.running;
    if (running !== undefined && running !== 'op' && running.cap >= needed) return running.done.promise;
    const last = this.queue[this.queue.length - 1];
    if (last !== undefined && last.kind === 'batch') return last.done.promise;
    const work: Work = { kind: 'batch', done: deferred<Zxid>() };
    this.queue.push(work);
    this.pump();
    return work.done.promise;
  }

  /** Runs `run` alone, after the running work and everything queued before it. */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const done = deferred<unknown>();
    this.queue.push({ kind: 'op', run, done });
    this.pump();
    return done.promise as Promise<T>;
  }

  /**
   * Schedules a truncation to `zxid`: lowers the durable mark now, and runs `run` after the
   * running work but ahead of a queued batch, so records appended after this call are written
   * after the truncation.
   */
  truncation(zxid: Zxid, run: () => Promise<void>): Promise<void> {
    if (zxid < this.durable) this.durable = zxid;
    if (this.running !== undefined && this.running !== 'op' && zxid < this.running.cap) this.running.cap = zxid;
    const done = deferred<unknown>();
    const last = this.queue[this.queue.length - 1];
    const at = last !== undefined && last.kind === 'batch' ? this.queue.length - 1 : this.queue.length;
    this.queue.splice(at, 0, { kind: 'op', run, done });
    this.pump();
    return done.promise as Promise<void>;
  }

  /** Latches the failure (the first one wins) and rejects every queued batch with it. */
  fail(err: unknown, operation: string): StorageError {
    this.failure ??= toStorageError(operation, err);
    const ops = this.queue.filter((w) => w.kind === 'op');
    for (const work of this.queue) if (work.kind === 'batch') work.done.reject(this.failure);
    this.queue.splice(0, this.queue.length, ...ops);
    return this.failure;
  }

  private pump(): void {
    while (this.running === undefined) {
      const work = this.queue.shift();
      if (work === undefined) return;
      if (work.kind === 'op') {
        this.running = 'op';
        let started: Promise<unknown>;
        try {
          started = work.run();
        } catch (err) {
          started = Promise.reject(err);
        }
        started.then(
          (value) => {
            this.running = undefined;
            work.done.resolve(value);
            this.pump();
          },
          (err: unknown) => {
            this.running = undefined;
            work.done.reject(err);
            this.pump();
          },
        );
        return;
      }
      if (this.failure !== undefined) {
        work.done.reject(this.failure);
        continue;
      }
      const batch = this.backend.beginBatch();
      if (batch === undefined) {
        work.done.resolve(this.durable);
        continue;
      }
      this.batches++;
      const running = { covers: batch.covers, cap: batch.covers, done: work.done };
      this.running = running;
      let writing: Promise<void>;
      try {
        writing = batch.write();
      } catch (err) {
        writing = Promise.reject(err);
      }
      // The slot is freed before callers resume, so a sync they issue next starts a batch at once.
      writing.then(
        () => {
          if (running.cap > this.durable) this.durable = running.cap;
          this.running = undefined;
          work.done.resolve(this.durable);
          this.pump();
        },
        (err: unknown) => {
          this.running = undefined;
          work.done.reject(this.fail(err, 'log sync'));
          this.pump();
        },
      );
      return;
    }
  }
}
