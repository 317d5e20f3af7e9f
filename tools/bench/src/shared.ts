// Pieces every workload module shares: the runner's options and notes, the system names, how a
// system is launched (and what happens when it does not start), session groups on the worker pool,
// the standard /bench tree, the unrecorded server warm-up and the CPU arithmetic of a window.

import { CreateMode, OpCode } from '@zk/protocol';
import { fourLetterWord } from '@zk/testkit';
import { monoMs } from './clock.js';
import type { BenchSettings, SystemKind } from './config.js';
import { receivedFromSrvr } from './four-letter.js';
import type { MetricDef, ResultSet } from './metrics.js';
import { splitSessions, type WorkerPool } from './pool.js';
import type { CpuDelta } from './proc.js';
import { LaunchError, launchSystem, type LaunchOptions, type RunningSystem } from './servers.js';
import type { Session } from './session.js';
import type { Part } from './args.js';
import type { Suite } from './suites.js';
import { OPEN_ACL_UNSAFE, valueOf } from './wire.js';
import type { DoneResult, OpenResult, ThroughputResult, ThroughputSpec } from './worker-api.js';

export interface RunnerOptions {
  suite: Suite;
  /** Systems in run order (A B). */
  systems: SystemKind[];
  pool: WorkerPool;
  settings: BenchSettings;
  servers: number;
  host: string;
  baseDir: string;
  zkHeapMb: number;
  logLevel: string;
  cpuProfDir?: string;
  keep: boolean;
  valueSize: number;
  keys: number;
  /** Parts to run. */
  parts: ReadonlySet<Part>;
  /** Client benchmark: outstanding requests of the client session. */
  clientDepth: number;
  log: (line: string) => void;
}

export interface RunNotes {
  /** Anything that went wrong but did not stop the run (errors replies, undrained requests...). */
  problems: string[];
  /** Each server process led its own session (setsid). */
  ownSession: Record<SystemKind, boolean[]>;
  /**
   * Systems that could not be started in this configuration (the server exited at start, e.g.
   * zk-ts refusing an ensemble zoo.cfg), with the server's reason: not launched again this run.
   */
  notStarted: Partial<Record<SystemKind, string>>;
  /** Each client-library load process led its own session (setsid). */
  clientOwnSession: boolean[];
}

export function newRunNotes(): RunNotes {
  return { problems: [], ownSession: { zookeeper: [], ours: [] }, notStarted: {}, clientOwnSession: [] };
}

export const NAMES: Record<SystemKind, string> = { zookeeper: 'ZooKeeper', ours: 'zk-ts' };

export function def(results: ResultSet, id: string): MetricDef {
  const d = results.defs.find((x) => x.id === id);
  if (!d) throw new Error(`metric ${id} not defined`);
  return d;
}

export function launchOptions(opts: RunnerOptions, kind: SystemKind, profile: boolean): LaunchOptions {
  return {
    kind,
    settings: opts.settings,
    servers: opts.servers,
    host: opts.host,
    baseDir: opts.baseDir,
    zkHeapMb: opts.zkHeapMb,
    logLevel: opts.logLevel,
    ...(profile && kind === 'ours' && opts.cpuProfDir !== undefined ? { cpuProfDir: opts.cpuProfDir } : {}),
    startTimeoutMs: 120_000,
    keep: opts.keep,
  };
}

/**
 * Launches `kind` for a workload. If it does not start, the figures `select` picks are marked
 * "not measured: <the server's reason>" for that system, the run goes on, and null is returned; a
 * system whose server exited at start (a configuration it refuses) is not launched again.
 */
export async function launchOrExplain(
  opts: RunnerOptions, results: ResultSet, notes: RunNotes, kind: SystemKind, profile: boolean, select: (d: MetricDef) => boolean,
): Promise<RunningSystem | null> {
  const known = notes.notStarted[kind];
  if (known !== undefined) {
    results.markNotMeasured(kind, known, select);
    return null;
  }
  try {
    const sys = await launchSystem(launchOptions(opts, kind, profile));
    notes.ownSession[kind].push(...sys.members.map((m) => m.ownSession));
    return sys;
  } catch (e) {
    const reason = e instanceof LaunchError ? e.reason : `${NAMES[kind]} did not start: ${(e as Error).message.split('\n')[0]}`;
    results.markNotMeasured(kind, reason, select);
    if (e instanceof LaunchError && e.exited && !/EADDRINUSE|address already in use|BindException/i.test(e.reason)) {
      notes.notStarted[kind] = reason;
      notes.problems.push(`${NAMES[kind]} (${opts.servers === 1 ? 'standalone' : `${opts.servers} servers`}) not measured: ${reason}`);
    } else {
      notes.problems.push(`${NAMES[kind]} failed to start: ${reason}`);
    }
    opts.log(`!! ${NAMES[kind]} not measured: ${reason}`);
    return null;
  }
}

/** Metric-id prefixes of each part (to mark a part's figures not measured). */
export function idsOfPart(...prefixes: string[]): (d: MetricDef) => boolean {
  return (d) => prefixes.some((p) => d.id.startsWith(p));
}

// ---- session groups on the workers ----

export async function openGroup(opts: RunnerOptions, sys: RunningSystem, group: string, sessions: number, timeoutMs: number): Promise<OpenResult[]> {
  const eps = sys.endpoints();
  const res = await opts.pool.all<OpenResult>((i) => {
    const { count, first } = splitSessions(sessions, opts.pool.size, i);
    return count === 0 ? null : { cmd: 'open', args: { group, endpoints: eps, sessions: count, timeoutMs, firstIndex: first } };
  });
  const failed = res.reduce((s, r) => s + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} of ${sessions} sessions failed to open: ${res.find((r) => r.firstError)?.firstError}`);
  return res;
}

export function groupWorkers(opts: RunnerOptions, sessions: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < opts.pool.size; i++) if (splitSessions(sessions, opts.pool.size, i).count > 0) out.push(i);
  return out;
}

export async function closeGroup(opts: RunnerOptions, group: string, sessions: number): Promise<DoneResult[]> {
  const ws = groupWorkers(opts, sessions);
  return opts.pool.all<DoneResult>((i) => (ws.includes(i) ? { cmd: 'close', args: { group } } : null));
}

/** Unrecorded mixed load (reads, updates, creates) so that both runtimes have compiled their hot paths. */
export async function warmServer(opts: RunnerOptions, sys: RunningSystem): Promise<void> {
  const sessions = 8;
  await openGroup(opts, sys, 'warm', sessions, 30_000);
  const spec: ThroughputSpec = {
    mix: { getData: 45, exists: 30, setData: 15, create: 10 }, keys: opts.keys, keyPrefix: '/bench/data/k', valueSize: opts.valueSize,
    createPrefix: '/bench/c/warm-', depth: 32, seed: 7,
  };
  const ws = groupWorkers(opts, sessions);
  const tStop = monoMs() + opts.suite.serverWarmupMs;
  await opts.pool.all<ThroughputResult>((i) => (ws.includes(i) ? { cmd: 'throughput', args: { group: 'warm', spec, times: { t0: tStop, t1: tStop, tStop } } } : null));
  await closeGroup(opts, 'warm', sessions);
}

/** Sum of the members' `srvr` "Received" packet counters (NaN if one does not answer). */
export async function serverReceived(sys: RunningSystem): Promise<number> {
  let total = 0;
  for (const ep of sys.endpoints()) {
    try {
      total += receivedFromSrvr(await fourLetterWord(ep.host, ep.port, 'srvr'));
    } catch {
      return Number.NaN;
    }
  }
  return total;
}


export async function setupTree(s: Session, valueSize: number, keys: number): Promise<void> {
  const value = valueOf(valueSize);
  const mk = (path: string, data: Uint8Array | null = null): Promise<unknown> =>
    s.request(OpCode.create, { path, data, acl: OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT }).then((r) => {
      if (r.err !== 0 && r.err !== -110) throw new Error(`create ${path}: error ${r.err}`);
    });
  await mk('/bench');
  const level2 = ['/bench/data', '/bench/c', '/bench/lat', '/bench/watch', '/bench/storm'].map((p) => mk(p));
  s.flush();
  await Promise.all(level2);
  const leaves: Promise<unknown>[] = [mk('/bench/watch/node', value)];
  for (let k = 0; k < keys; k++) leaves.push(mk(`/bench/data/k${k}`, value));
  s.flush();
  await Promise.all(leaves);
}

export function cpuFigures(delta: CpuDelta, pids: number[], nproc: number): { serverUs: number; clientUs: number; otherCores: number; wallS: number } {
  const serverUs = pids.reduce((s, p) => s + (delta.serverUs.get(p) ?? Number.NaN), 0);
  const wallS = delta.wallMs / 1000;
  const busyCores = delta.machineBusy * nproc;
  const otherCores = busyCores - serverUs / 1e6 / wallS - delta.clientUs / 1e6 / wallS;
  return { serverUs, clientUs: delta.clientUs, otherCores, wallS };
}

let nprocCache = 0;
export function nproc(): number {
  if (nprocCache === 0) nprocCache = Math.max(1, (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
  return nprocCache;
}
export function setNproc(n: number): void {
  nprocCache = n;
}

