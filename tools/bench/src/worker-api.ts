// Messages between the coordinator (main thread) and the load-generator workers. Plain data only
// (structured clone). Every call is {id, cmd, args} and is answered by {id, ok, res | error}.

import type { HistogramData } from './histogram.js';

export interface Endpoint {
  host: string;
  port: number;
}

/** Operation weights of a throughput workload (need not sum to 1). */
export interface OpMix {
  getData?: number;
  exists?: number;
  setData?: number;
  create?: number;
}

export interface TreeLayout {
  /** Children are spread over this many parents: `${prefix}${k % parents}/n${k}`. */
  parents: number;
  prefix: string;
}

export interface ThroughputSpec {
  mix: OpMix;
  /** Read/update keys `${keyPrefix}${0..keys-1}` (created beforehand). */
  keys: number;
  keyPrefix: string;
  valueSize: number;
  /** Plain creates go to `${createPrefix}w<worker>s<session>-<n>`. */
  createPrefix: string;
  /** Outstanding requests per session. */
  depth: number;
  seed: number;
  /** Count-limited mode: each session issues exactly this many requests, then stops. */
  quotaPerSession?: number;
  /** With quotaPerSession and create-only: build a tree; session g creates k in [g*quota, (g+1)*quota). */
  tree?: TreeLayout;
}

export interface ThroughputTimes {
  /** Measurement window [t0, t1) on the shared monotonic clock (ms). */
  t0: number;
  t1: number;
  /** Stop issuing new requests at this time (Infinity with a quota). */
  tStop: number;
}

export interface ThroughputResult {
  windowOps: number;
  totalOps: number;
  errors: Record<string, number>;
  hist: HistogramData;
  /** Requests still unanswered when the worker gave up draining. */
  undrained: number;
  problems: string[];
  /** Last reply time (mono ms). */
  lastReplyAt: number;
}

export interface LatencySpec {
  op: 'create' | 'getData';
  /** getData reads this path; create writes `${path}-<n>`. */
  path: string;
  valueSize: number;
  warmup: number;
  count: number;
  /** Stop early once this much time has passed (ms). */
  maxMs: number;
}

export interface LatencyResult {
  /** Per-request latency samples, µs, in order. */
  samplesUs: number[];
  errors: number;
}

export interface WatchWaitResult {
  sessions: number;
  notified: number;
  firstAt: number;
  lastAt: number;
}

/**
 * A write load that survives server failures (failover): each session keeps `depth` setData
 * outstanding; when its connection drops it opens a NEW session on the next endpoint (round robin,
 * starting at its own), until `writeLoadStop`. Acknowledged writes are counted per `bucketMs`
 * bucket of the shared monotonic clock from `t0`.
 */
export interface WriteLoadSpec {
  endpoints: Endpoint[];
  sessions: number;
  firstIndex: number;
  depth: number;
  keyPrefix: string;
  keys: number;
  valueSize: number;
  /** Session timeout requested by each new session (ms). */
  timeoutMs: number;
  t0: number;
  bucketMs: number;
}

export interface WriteLoadResult {
  acked: number;
  errors: Record<string, number>;
  /** Sessions opened (the first ones included) and failed connection attempts. */
  connects: number;
  connectFailures: number;
  /** Acknowledged writes per bucket since t0. */
  buckets: number[];
}

export type WorkerCall =
  | { cmd: 'open'; args: { group: string; endpoints: Endpoint[]; sessions: number; timeoutMs: number; firstIndex: number } }
  | { cmd: 'close'; args: { group: string } }
  | { cmd: 'drop'; args: { group: string } }
  | { cmd: 'throughput'; args: { group: string; spec: ThroughputSpec; times: ThroughputTimes } }
  | { cmd: 'latency'; args: { endpoint: Endpoint; spec: LatencySpec } }
  | { cmd: 'watchArm'; args: { group: string; path: string } }
  | { cmd: 'watchWait'; args: { group: string; timeoutMs: number } }
  | { cmd: 'ephemerals'; args: { group: string; prefix: string } }
  | { cmd: 'writeLoad'; args: { group: string; spec: WriteLoadSpec } }
  | { cmd: 'writeLoadStop'; args: { group: string } };

export interface OpenResult {
  opened: number;
  failed: number;
  firstError?: string;
  /** When the last handshake completed (mono ms). */
  doneAt: number;
}

export interface DoneResult {
  doneAt: number;
  count: number;
}

export type WorkerRequest = WorkerCall & { id: number };
export type WorkerResponse = { id: number; ok: true; res: unknown } | { id: number; ok: false; error: string };
