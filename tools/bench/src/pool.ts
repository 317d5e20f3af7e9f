// The coordinator's side of the load-generator workers: start N worker threads, call them, spread
// session groups over them.

import { Worker } from 'node:worker_threads';
import type { WorkerCall, WorkerResponse } from './worker-api.js';

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(readonly size: number, workerUrl: URL) {
    for (let i = 0; i < size; i++) {
      const w = new Worker(workerUrl, { workerData: { index: i } });
      w.on('message', (m: WorkerResponse) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.res);
        else p.reject(new Error(`worker ${i}: ${m.error}`));
      });
      w.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
      });
      this.workers.push(w);
    }
  }

  call<R>(worker: number, call: WorkerCall): Promise<R> {
    const w = this.workers[worker];
    if (!w) throw new Error(`no worker ${worker}`);
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      w.postMessage({ id, ...call });
    });
  }

  /** Calls every worker with the call `make(i)` builds (null skips that worker). */
  all<R>(make: (i: number) => WorkerCall | null): Promise<R[]> {
    const calls: Promise<R>[] = [];
    for (let i = 0; i < this.size; i++) {
      const c = make(i);
      if (c !== null) calls.push(this.call<R>(i, c));
    }
    return Promise.all(calls);
  }

  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** How many of `total` sessions worker `i` of `workers` gets, and the global index of its first. */
export function splitSessions(total: number, workers: number, i: number): { count: number; first: number } {
  const base = Math.floor(total / workers);
  const extra = total % workers;
  const count = base + (i < extra ? 1 : 0);
  const first = i * base + Math.min(i, extra);
  return { count, first };
}
