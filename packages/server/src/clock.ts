/**
 * Time as the server sees it. Injected so tests and the simulator drive time themselves;
 * only `systemClock` touches the real clock.
 */
export interface Clock {
  /** Milliseconds since the epoch (wall time: znode ctime/mtime, 4lw uptime). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export type TimerHandle = unknown;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
