// Messages between the coordinator and a client-library load process (client-load.ts), which is
// fork()ed once per library and repetition so that each library has a process, an event loop and
// a CPU account of its own. Plain data only (IPC structured clone). Every call is {id, cmd, args}
// and is answered by {id, ok, res | error}.

import type { HistogramData } from './histogram.js';
import type { ClientOp } from './suites.js';
import type { ThroughputTimes } from './worker-api.js';

/** The libraries compared: ours and the most used pure-JS client. */
export type ClientLib = 'zk-client' | 'nzc';

export const CLIENT_LIB_NAMES: Record<ClientLib, string> = {
  'zk-client': '@zk/client',
  nzc: 'node-zookeeper-client',
};

export interface ClientRunSpec {
  op: ClientOp;
  /** getData / setData pick a key of `${keyPrefix}${0..keys-1}` at random (seeded). */
  keys: number;
  keyPrefix: string;
  valueSize: number;
  /** create writes `${createPrefix}${n}`. */
  createPrefix: string;
  /** Requests kept outstanding. */
  depth: number;
  seed: number;
}

export interface ClientRunResult {
  /** Replies in [t0, t1) and their latencies (send → callback / promise settled). */
  windowOps: number;
  totalOps: number;
  /** Error replies by the library's error name. */
  errors: Record<string, number>;
  firstError?: string;
  hist: HistogramData;
  /** Requests still unanswered when the process gave up waiting. */
  undrained: number;
  /**
   * The process's own CPU time (getrusage: user + system, all threads, µs resolution) between two
   * timers set for t0 and t1, and the wall time between those samples (ms).
   */
  cpuUs: number;
  cpuWallMs: number;
}

export type ClientCall =
  | { cmd: 'connect'; args: { connectString: string; sessionTimeoutMs: number } }
  | { cmd: 'run'; args: { spec: ClientRunSpec; times: ThroughputTimes } }
  | { cmd: 'close'; args: Record<string, never> };

export type ClientRequest = ClientCall & { id: number };
export type ClientResponse = { id: number; ok: true; res: unknown } | { id: number; ok: false; error: string };
