// Time as the client sees it. Injected so tests can drive pings, timeouts and reconnect delays;
// its shape matches @zk/server's Clock / ManualClock and @zk/transport-memory's Scheduler.

export interface ClientClock {
  /** Milliseconds; only differences are used, so any monotonic origin will do. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: ClientClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
