// One monotonic millisecond clock for every thread of the load generator. process.hrtime reads
// CLOCK_MONOTONIC, which all threads of a process share, so times taken in different workers
// (a watcher's notification, the writer's setData) can be subtracted.

export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * A cheaper reader of the same clock for hot paths: performance.now() plus this thread's offset
 * to monoMs(), measured once.
 */
export function makeFastMono(): () => number {
  const offset = monoMs() - performance.now();
  return () => performance.now() + offset;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/** Resolves when monoMs() reaches `t` (timer-based; accurate to about a millisecond when idle). */
export async function sleepUntil(t: number): Promise<void> {
  for (;;) {
    const left = t - monoMs();
    if (left <= 0) return;
    await sleep(left > 5 ? left - 2 : 0);
  }
}
