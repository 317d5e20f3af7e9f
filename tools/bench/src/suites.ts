// The two suites. `quick` is the development loop (< 3 minutes for both systems); `full` is the
// one to publish (>= 3 repetitions, alternating the systems A B A B, plus the 1M-znode restart).

import type { OpMix } from './worker-api.js';

export interface ThroughputWorkload {
  /** Stable id, used in metric ids and create paths. */
  id: string;
  label: string;
  mix: OpMix;
  sessions: number;
  depth: number;
  /** 'write' or 'read' picks the throughput target. */
  kind: 'write' | 'read';
}

export interface Suite {
  name: 'quick' | 'full';
  repetitions: number;
  /** Unrecorded mixed load right after each server start (JIT warm-up for the JVM, and for V8). */
  serverWarmupMs: number;
  warmupMs: number;
  measureMs: number;
  throughput: ThroughputWorkload[];
  /** One-at-a-time latency: samples after warm-up, and a time cap per op. */
  latency: { getData: number; create: number; warmup: number; maxMs: number };
  fanout: { watchers: number[]; rounds: number };
  storm: { sessions: number; expire: boolean };
  /** Build a tree of this many znodes, stop, restart (restartReps times per system). 0 = skip. */
  tree: { znodes: number; restarts: number };
  /**
   * Client-library benchmark (issue 5): one session of each library, in its own process, keeps
   * `depth` requests outstanding (--client-depth); libraries alternate A B A B for `repetitions`.
   */
  client: { ops: ClientOp[]; repetitions: number; warmupMs: number; measureMs: number };
  /**
   * Failover (3+ servers): `rounds` kills of the leader under a write load of `loadSessions` ×
   * `loadDepth` setData; load runs `preKillMs` before the kill and `afterMs` after recovery.
   */
  failover: { rounds: number; loadSessions: number; loadDepth: number; preKillMs: number; afterMs: number; timeoutMs: number };
}

export type ClientOp = 'getData' | 'setData' | 'create';
export const CLIENT_OPS: readonly ClientOp[] = ['getData', 'setData', 'create'];

const MIX_READ_WRITE: OpMix = { getData: 90, setData: 10 };

function throughputSet(concurrency: ReadonlyArray<readonly [number, number]>, mixOnly: ReadonlyArray<readonly [number, number]>): ThroughputWorkload[] {
  const out: ThroughputWorkload[] = [];
  const single: Array<[string, string, OpMix, 'write' | 'read']> = [
    ['create', 'create', { create: 1 }, 'write'],
    ['setData', 'setData', { setData: 1 }, 'write'],
    ['getData', 'getData', { getData: 1 }, 'read'],
    ['exists', 'exists', { exists: 1 }, 'read'],
  ];
  for (const [s, d] of concurrency) {
    for (const [id, label, mix, kind] of single) out.push({ id: `${id}-${s}x${d}`, label: `${label} ${s}×${d}`, mix, sessions: s, depth: d, kind });
  }
  for (const [s, d] of [...concurrency, ...mixOnly]) {
    out.push({ id: `mix-${s}x${d}`, label: `90/10 get/set ${s}×${d}`, mix: MIX_READ_WRITE, sessions: s, depth: d, kind: 'read' });
  }
  return out;
}

export const SUITES: Record<'quick' | 'full', Suite> = {
  quick: {
    name: 'quick',
    repetitions: 1,
    serverWarmupMs: 3000,
    warmupMs: 1000,
    measureMs: 3000,
    throughput: throughputSet([[4, 64]], [[32, 8]]),
    latency: { getData: 2000, create: 500, warmup: 50, maxMs: 4000 },
    fanout: { watchers: [100, 1000], rounds: 3 },
    storm: { sessions: 1000, expire: false },
    // 150k: with snapCount=100000 both systems have finished at least one snapshot by the end.
    tree: { znodes: 150_000, restarts: 1 },
    client: { ops: [...CLIENT_OPS], repetitions: 1, warmupMs: 1000, measureMs: 3000 },
    failover: { rounds: 3, loadSessions: 4, loadDepth: 8, preKillMs: 1500, afterMs: 1000, timeoutMs: 60_000 },
  },
  full: {
    name: 'full',
    repetitions: 3,
    serverWarmupMs: 8000,
    warmupMs: 2000,
    measureMs: 5000,
    throughput: throughputSet([[4, 64], [32, 8]], []),
    latency: { getData: 20_000, create: 3000, warmup: 200, maxMs: 15_000 },
    fanout: { watchers: [100, 1000], rounds: 10 },
    storm: { sessions: 1000, expire: true },
    tree: { znodes: 1_000_000, restarts: 3 },
    client: { ops: [...CLIENT_OPS], repetitions: 3, warmupMs: 2000, measureMs: 5000 },
    failover: { rounds: 7, loadSessions: 4, loadDepth: 8, preKillMs: 2000, afterMs: 1000, timeoutMs: 60_000 },
  },
};

/** Run order of the systems for `reps` repetitions: alternate, starting with `first` (A B A B ...). */
export function alternate<T>(systems: readonly T[], reps: number): Array<{ system: T; rep: number }> {
  const out: Array<{ system: T; rep: number }> = [];
  for (let rep = 0; rep < reps; rep++) for (const system of systems) out.push({ system, rep });
  return out;
}
