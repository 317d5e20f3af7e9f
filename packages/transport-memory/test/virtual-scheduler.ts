import type { Scheduler, SchedulerHandle } from '../src/index.js';

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
 * A virtual-time scheduler for tests: time moves only through `advance` /
 * `runUntilIdle`, callbacks run in (time, scheduling order), and promise
 * continuations get to run after every callback.
 */
export class VirtualScheduler implements Scheduler {
  #now = 0;
  #seq = 0;
  #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): SchedulerHandle {
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

  clearTimeout(handle: SchedulerHandle): void {
    (handle as Timer).cancelled = true;
  }

  /** Number of callbacks waiting (cancelled ones excluded). */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Runs every callback due within the next `ms`, then sets the clock to now + ms. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > end) break;
      this.#timers.shift();
      if (next.cancelled) continue;
      this.#now = next.at;
      next.callback();
      await settle();
    }
    this.#now = end;
  }

  /** Runs callbacks until none is left (bounded, to catch livelock). */
  async runUntilIdle(maxCallbacks = 1_000_000): Promise<void> {
    await settle();
    for (let i = 0; i < maxCallbacks; i++) {
      const next = this.#timers.shift();
      if (next === undefined) return;
      if (next.cancelled) continue;
      this.#now = next.at;
      next.callback();
      await settle();
    }
    throw new Error('scheduler did not become idle');
  }
}
