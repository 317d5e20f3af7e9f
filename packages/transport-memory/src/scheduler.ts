/** Whatever a {@link Scheduler} returns from `setTimeout`; only passed back to its `clearTimeout`. */
export type SchedulerHandle = unknown;

/**
 * The only source of time and asynchrony the in-memory network uses. Inject a
 * simulated one to drive the network from a deterministic simulator.
 *
 * Requirements: `setTimeout` never calls `callback` synchronously; callbacks
 * due at the same time run in the order they were scheduled; `now()` never
 * goes backwards. A delay of 0 means "on a later turn, as soon as possible".
 */
export interface Scheduler {
  /** Current time in ms (any origin). */
  now(): number;
  /** Runs `callback` once, `delayMs` (>= 0) ms from now. */
  setTimeout(callback: () => void, delayMs: number): SchedulerHandle;
  /** Cancels a callback that has not run yet; cancelling twice or after it ran is a no-op. */
  clearTimeout(handle: SchedulerHandle): void;
}

type RealHandle = { readonly immediate: NodeJS.Immediate } | { readonly timeout: NodeJS.Timeout };

/**
 * The default scheduler: real time. A delay of 0 uses `setImmediate` (the next
 * turn of the event loop) rather than a 1 ms timer, so zero-latency traffic is
 * as fast as the event loop allows.
 */
export const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout(callback: () => void, delayMs: number): SchedulerHandle {
    const handle: RealHandle =
      delayMs <= 0 ? { immediate: setImmediate(callback) } : { timeout: setTimeout(callback, delayMs) };
    return handle;
  },
  clearTimeout(handle: SchedulerHandle): void {
    const h = handle as RealHandle;
    if ('immediate' in h) clearImmediate(h.immediate);
    else clearTimeout(h.timeout);
  },
};
