/**
 * The time source a peer runs on. Same shape as `@zk/server`'s `ManualClock`
 * and `@zk/transport-memory`'s `Scheduler`, defined here so this package does
 * not depend on the server.
 */
export type ClockHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): ClockHandle;
  clearTimeout(handle: ClockHandle): void;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** Lets pending promise continuations run (one real event-loop turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Virtual time for tests and the simulator. Time moves only through
 * `advance` / `runUntil`; callbacks run in (due time, scheduling order), never
 * synchronously from `setTimeout`, and promise continuations (storage, dials)
 * get one event-loop turn after every callback, so a run is deterministic.
 * It is both the peers' `Clock` and the memory network's `Scheduler`.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  /** Callbacks run so far (a cheap progress counter for tests). */
  callbacksRun = 0;

  constructor(startMs = 0) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): ClockHandle {
    const timer: Timer = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback, cancelled: false };
    let lo = 0;
    let hi = this.#timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.#timers[mid] as Timer;
      if (t.at < timer.at || (t.at === timer.at && t.seq < timer.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.#timers.splice(lo, 0, timer);
    return timer;
  }

  clearTimeout(handle: ClockHandle): void {
    if (handle !== null && typeof handle === 'object') (handle as Timer).cancelled = true;
  }

  /** Runs every callback due within the next `ms`, then sets the clock to now + ms. */
  async advance(ms: number): Promise<void> {
    await this.runUntil(() => false, ms);
  }

  /**
   * Runs callbacks in order until `done()` holds (checked after each one) or
   * `ms` of virtual time passed. Returns whether `done()` held.
   */
  async runUntil(done: () => boolean, ms: number): Promise<boolean> {
    const end = this.#now + ms;
    await settle();
    if (done()) return true;
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      if (next.cancelled) continue;
      this.#now = next.at;
      this.callbacksRun++;
      next.callback();
      await settle();
      if (done()) return true;
    }
    this.#now = end;
    return done();
  }
}
