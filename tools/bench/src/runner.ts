// Runs a suite: for each repetition and each system (alternating), start the system, run the
// workloads with the worker pool, record figures into a ResultSet, stop it. The 1M-znode restart
// runs on its own servers afterwards, then the client-library benchmark (client-bench.ts) and, on
// ensembles, the failover rounds (failover.ts). A system that does not start is reported as "not
// measured" with its own reason (shared.ts launchOrExplain), and the run goes on.

import { join } from 'node:path';
import { CreateMode, OpCode } from '@zk/protocol';
import { formatZxid } from '@zk/zxid';
import { clientDefs, runClientBench } from './client-bench.js';
import { monoMs, sleep, sleepUntil } from './clock.js';
import type { SystemKind } from './config.js';
import { failoverDefs, runFailover } from './failover.js';
import { Histogram } from './histogram.js';
import type { MetricDef, ResultSet, Target } from './metrics.js';
import { diffCpu, readProcMemory, sampleCpu } from './proc.js';
import { snapshotFiles, type RunningSystem } from './servers.js';
import { Session } from './session.js';
import {
  NAMES, closeGroup, cpuFigures, def, groupWorkers, idsOfPart, launchOrExplain, newRunNotes, nproc, openGroup, serverReceived,
  setupTree, warmServer, type RunNotes, type RunnerOptions,
} from './shared.js';
import { SYSTEM_ZNODES, znodesInOurSnapshot, znodesInSnapshot } from './snapshot.js';
import { median, percentiles } from './stats.js';
import { alternate, type Suite, type ThroughputWorkload } from './suites.js';
import { OPEN_ACL_UNSAFE, existsNumChildren, valueOf } from './wire.js';
import type { LatencyResult, ThroughputResult, ThroughputSpec, WatchWaitResult } from './worker-api.js';

export type { RunNotes, RunnerOptions } from './shared.js';
export { setNproc } from './shared.js';

const TARGET_WRITE: Target = { op: '>=', ratio: 1.5 };
const TARGET_READ: Target = { op: '>=', ratio: 1.2 };
const TARGET_CPU: Target = { op: '<=', ratio: 0.6 };
const TARGET_P99: Target = { op: '<=', ratio: 0.7 };
const TARGET_HALF: Target = { op: '<=', ratio: 0.5 };

const S_TP = 'Throughput, pipelined (sessions × outstanding per session)';
const S_CPU = 'Server CPU per operation (server utime+stime over the window / ops)';
const S_LAT = 'Latency under load';
const S_ONE = 'One-at-a-time latency (1 session, 1 outstanding)';
const S_WATCH = 'Watch fan-out (setData sent → last watcher notified)';
const S_STORM = 'Session storm';
const S_MEM = 'Memory';
const S_TREE = 'Large tree: build, restart, snapshot';
const S_GEN = 'Load generator and machine (CPU cores used during each throughput window)';

export async function runSuite(opts: RunnerOptions, results: ResultSet): Promise<RunNotes> {
  const notes: RunNotes = newRunNotes();
  defineAll(opts, results);
  const perRep = (['throughput', 'latency', 'fanout', 'storm'] as const).some((p) => opts.parts.has(p));
  if (perRep) {
    for (const { system, rep } of alternate(opts.systems, opts.suite.repetitions)) {
      opts.log(`== ${NAMES[system]}: repetition ${rep + 1}/${opts.suite.repetitions}`);
      await runSystemRep(opts, results, notes, system, rep);
    }
  }
  if (opts.parts.has('tree') && opts.suite.tree.znodes > 0) await runTree(opts, results, notes);
  if (opts.parts.has('client')) await runClientBench(opts, results, notes);
  if (opts.parts.has('failover')) await runFailover(opts, results, notes);
  return notes;
}

/** The figures of the per-repetition parts (throughput, latency, fan-out, storm, RSS). */
const PER_REP_IDS = idsOfPart('tp.', 'cpu.', 'lat.', 'one.', 'fanout.', 'storm.', 'rss.', 'gen.');

/** Defines every metric up front so the tables keep a stable order. */
function defineAll(opts: RunnerOptions, results: ResultSet): void {
  const { suite, parts } = opts;
  const tp = parts.has('throughput');
  if (tp) for (const wl of suite.throughput) results.define(tpDef(wl));
  if (tp) for (const wl of suite.throughput) results.define(cpuDef(wl));
  if (tp) for (const wl of suite.throughput) for (const p of ['p50', 'p99', 'p99.9'] as const) results.define(latDef(wl, p));
  if (parts.has('latency')) for (const op of ['create', 'getData'] as const) for (const p of ['p50', 'p99', 'p99.9'] as const) results.define(oneDef(op, p));
  if (parts.has('fanout')) for (const w of suite.fanout.watchers) results.define(fanoutDef(w));
  if (parts.has('storm')) for (const d of stormDefs(suite)) results.define(d);
  if (tp || parts.has('latency') || parts.has('fanout') || parts.has('storm')) results.define(rssDef());
  if (parts.has('tree') && suite.tree.znodes > 0) for (const d of treeDefs(suite)) results.define(d);
  if (parts.has('client')) for (const d of clientDefs(opts)) results.define(d);
  if (parts.has('failover')) for (const d of failoverDefs(opts)) results.define(d);
  if (tp) for (const wl of suite.throughput) for (const d of genDefs(wl)) results.define(d);
}

function tpDef(wl: ThroughputWorkload): MetricDef {
  return { id: `tp.${wl.id}`, section: S_TP, label: wl.label, unit: 'ops/s', better: 'higher', target: wl.kind === 'write' ? TARGET_WRITE : TARGET_READ, ...(wl.id.startsWith('mix') ? { note: '90% reads: read target' } : {}) };
}
function cpuDef(wl: ThroughputWorkload): MetricDef {
  return { id: `cpu.${wl.id}`, section: S_CPU, label: wl.label, unit: 'µs', better: 'lower', target: TARGET_CPU };
}
function latDef(wl: ThroughputWorkload, p: 'p50' | 'p99' | 'p99.9'): MetricDef {
  return { id: `lat.${wl.id}.${p}`, section: S_LAT, label: `${wl.label} ${p}`, unit: 'ms', better: 'lower', ...(p === 'p99' ? { target: TARGET_P99 } : {}) };
}
function oneDef(op: 'create' | 'getData', p: 'p50' | 'p99' | 'p99.9'): MetricDef {
  return { id: `one.${op}.${p}`, section: S_ONE, label: `${op} ${p}`, unit: 'ms', better: 'lower', ...(op === 'create' && p !== 'p99.9' ? { target: TARGET_P99 } : {}) };
}
function fanoutDef(w: number): MetricDef {
  return { id: `fanout.${w}`, section: S_WATCH, label: `${w.toLocaleString('en-US')} watchers, median of rounds`, unit: 'ms', better: 'lower', ...(w === 1000 ? { target: TARGET_HALF } : {}) };
}
function stormDefs(suite: Suite): MetricDef[] {
  const n = suite.storm.sessions.toLocaleString('en-US');
  const d: MetricDef[] = [
    { id: 'storm.connect', section: S_STORM, label: `${n} sessions connect (all at once)`, unit: 'ms', better: 'lower' },
    { id: 'storm.close', section: S_STORM, label: `${n} sessions closeSession`, unit: 'ms', better: 'lower' },
    { id: 'storm.cpu', section: S_STORM, label: 'server CPU per session (connect + close)', unit: 'µs', better: 'lower' },
  ];
  if (suite.storm.expire) d.push({ id: 'storm.expire', section: S_STORM, label: `${n} sessions expire (socket dropped → all ephemerals gone)`, unit: 'ms', better: 'lower', note: 'includes the session timeout (2 × tickTime)' });
  return d;
}
function rssDef(): MetricDef {
  return { id: 'rss.workloads', section: S_MEM, label: 'peak RSS after the workloads (VmHWM)', unit: 'MiB', better: 'lower', target: TARGET_HALF };
}
function treeDefs(suite: Suite): MetricDef[] {
  const n = suite.tree.znodes.toLocaleString('en-US');
  return [
    { id: 'tree.build', section: S_TREE, label: `build ${n} znodes (create 4×64)`, unit: 'ops/s', better: 'higher' },
    { id: 'tree.buildCpu', section: S_TREE, label: 'build: server CPU per create', unit: 'µs', better: 'lower' },
    { id: 'tree.rssBuild', section: S_TREE, label: `peak RSS after building ${n} znodes`, unit: 'MiB', better: 'lower', target: TARGET_HALF },
    { id: 'tree.restart', section: S_TREE, label: `restart with ${n} znodes (spawn → first getData ok)`, unit: 's', better: 'lower', target: TARGET_HALF },
    { id: 'tree.rssRestart', section: S_TREE, label: 'peak RSS after the restart', unit: 'MiB', better: 'lower', target: TARGET_HALF },
    { id: 'tree.snapPerZnode', section: S_TREE, label: 'snapshot size per znode (newest snapshot; ours: znodes counted in the file)', unit: 'B', better: 'lower', target: { op: '<=', ratio: 1 } },
    { id: 'tree.snapFull', section: S_TREE, label: `snapshot size projected to ${n} znodes`, unit: 'MiB', better: 'lower', target: { op: '<=', ratio: 1 } },
  ];
}
function genDefs(wl: ThroughputWorkload): MetricDef[] {
  return [
    { id: `gen.${wl.id}.client`, section: S_GEN, label: `${wl.label}: load generator`, unit: 'cores', better: 'none' },
    { id: `gen.${wl.id}.server`, section: S_GEN, label: `${wl.label}: server`, unit: 'cores', better: 'none' },
    { id: `gen.${wl.id}.other`, section: S_GEN, label: `${wl.label}: everything else on the machine`, unit: 'cores', better: 'none' },
  ];
}


async function runSystemRep(opts: RunnerOptions, results: ResultSet, notes: RunNotes, kind: SystemKind, rep: number): Promise<void> {
  const sys = await launchOrExplain(opts, results, notes, kind, rep === 0, PER_REP_IDS);
  if (sys === null) return;
  try {
    const ep = sys.endpoints()[0]!;
    const admin = await Session.open(ep);
    await setupTree(admin, opts.valueSize, opts.keys);
    if (opts.suite.serverWarmupMs > 0) await warmServer(opts, sys);
    if (opts.parts.has('throughput')) for (const wl of opts.suite.throughput) await runThroughput(opts, results, notes, sys, kind, rep, wl);
    if (opts.parts.has('latency')) await runLatency(opts, results, notes, sys, kind, rep);
    if (opts.parts.has('fanout')) for (const w of opts.suite.fanout.watchers) await runFanout(opts, results, notes, sys, kind, rep, w, admin);
    if (opts.parts.has('storm')) await runStorm(opts, results, notes, sys, kind, rep, admin);
    const hwm = sys.pids().reduce((s, pid) => s + readProcMemory(pid).vmHwm, 0);
    results.record(def(results, 'rss.workloads'), kind, rep, hwm / 2 ** 20);
    opts.log(`   peak RSS ${(hwm / 2 ** 20).toFixed(0)} MiB`);
    await admin.close();
  } catch (e) {
    notes.problems.push(`${NAMES[kind]} rep ${rep + 1}: ${(e as Error).message}`);
    opts.log(`!! ${NAMES[kind]} rep ${rep + 1} failed: ${(e as Error).message}\n${sys.logTail(20)}`);
  } finally {
    await sys.destroy();
  }
}

async function runThroughput(opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, rep: number, wl: ThroughputWorkload): Promise<void> {
  const group = `tp-${wl.id}`;
  await openGroup(opts, sys, group, wl.sessions, 30_000);
  const spec: ThroughputSpec = {
    mix: wl.mix,
    keys: opts.keys,
    keyPrefix: '/bench/data/k',
    valueSize: opts.valueSize,
    createPrefix: `/bench/c/${wl.id}-`,
    depth: wl.depth,
    seed: 0x5eed + rep,
  };
  const ws = groupWorkers(opts, wl.sessions);
  const received0 = await serverReceived(sys);
  const t0 = monoMs() + 20 + opts.suite.warmupMs;
  const t1 = t0 + opts.suite.measureMs;
  const pending = opts.pool.all<ThroughputResult>((i) => (ws.includes(i) ? { cmd: 'throughput', args: { group, spec, times: { t0, t1, tStop: t1 } } } : null));
  await sleepUntil(t0);
  const a = sampleCpu(sys.pids(), monoMs());
  await sleepUntil(t1);
  const b = sampleCpu(sys.pids(), monoMs());
  const res = await pending;
  const received1 = await serverReceived(sys);
  await closeGroup(opts, group, wl.sessions);
  // Cross-check: the servers' own packet counters must have seen every request we counted.
  const sent = res.reduce((s, r) => s + r.totalOps, 0);
  const seen = received1 - received0;
  if (Number.isFinite(seen) && Math.abs(seen - sent) > 2 + 0.001 * sent) {
    notes.problems.push(`${NAMES[kind]} ${wl.label}: the server counted ${seen} requests, the generator ${sent}`);
  }

  const ops = res.reduce((s, r) => s + r.windowOps, 0);
  const hist = new Histogram();
  for (const r of res) hist.merge(r.hist);
  const errors: Record<string, number> = {};
  for (const r of res) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  const problems = res.flatMap((r) => r.problems);
  const undrained = res.reduce((s, r) => s + r.undrained, 0);
  if (Object.keys(errors).length > 0) notes.problems.push(`${NAMES[kind]} ${wl.label} rep ${rep + 1}: error replies ${JSON.stringify(errors)}`);
  if (problems.length > 0 || undrained > 0) notes.problems.push(`${NAMES[kind]} ${wl.label} rep ${rep + 1}: ${problems.join('; ')} undrained=${undrained}`);

  const windowS = (t1 - t0) / 1000;
  const cpu = cpuFigures(diffCpu(a, b), sys.pids(), nproc());
  const tput = ops / windowS;
  results.record(def(results, `tp.${wl.id}`), kind, rep, tput);
  results.record(def(results, `cpu.${wl.id}`), kind, rep, ops > 0 ? cpu.serverUs / ops : Number.NaN);
  results.record(def(results, `lat.${wl.id}.p50`), kind, rep, hist.percentile(50) / 1000);
  results.record(def(results, `lat.${wl.id}.p99`), kind, rep, hist.percentile(99) / 1000);
  results.record(def(results, `lat.${wl.id}.p99.9`), kind, rep, hist.percentile(99.9) / 1000);
  results.record(def(results, `gen.${wl.id}.client`), kind, rep, cpu.clientUs / 1e6 / cpu.wallS);
  results.record(def(results, `gen.${wl.id}.server`), kind, rep, cpu.serverUs / 1e6 / cpu.wallS);
  results.record(def(results, `gen.${wl.id}.other`), kind, rep, cpu.otherCores);
  opts.log(
    `   ${wl.label.padEnd(22)} ${Math.round(tput).toString().padStart(7)} ops/s  server ${(cpu.serverUs / Math.max(1, ops)).toFixed(1).padStart(6)} µs/op  ` +
      `p50 ${(hist.percentile(50) / 1000).toFixed(2)} p99 ${(hist.percentile(99) / 1000).toFixed(2)} ms  ` +
      `cores: client ${(cpu.clientUs / 1e6 / cpu.wallS).toFixed(2)} server ${(cpu.serverUs / 1e6 / cpu.wallS).toFixed(2)} other ${cpu.otherCores.toFixed(2)}`,
  );
}

async function runLatency(opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, rep: number): Promise<void> {
  const ep = sys.endpoints()[0]!;
  const L = opts.suite.latency;
  for (const op of ['create', 'getData'] as const) {
    const res = await opts.pool.call<LatencyResult>(0, {
      cmd: 'latency',
      args: {
        endpoint: ep,
        spec: { op, path: op === 'getData' ? '/bench/data/k0' : `/bench/lat/r${rep}`, valueSize: opts.valueSize, warmup: L.warmup, count: op === 'create' ? L.create : L.getData, maxMs: L.maxMs },
      },
    });
    if (res.errors > 0) notes.problems.push(`${NAMES[kind]} one-at-a-time ${op}: ${res.errors} error replies`);
    const [p50, p99, p999] = percentiles(res.samplesUs, [50, 99, 99.9]);
    results.record(def(results, `one.${op}.p50`), kind, rep, p50! / 1000);
    results.record(def(results, `one.${op}.p99`), kind, rep, p99! / 1000);
    results.record(def(results, `one.${op}.p99.9`), kind, rep, p999! / 1000);
    opts.log(`   one-at-a-time ${op.padEnd(8)} n=${res.samplesUs.length} p50 ${(p50! / 1000).toFixed(3)} p99 ${(p99! / 1000).toFixed(3)} p99.9 ${(p999! / 1000).toFixed(3)} ms`);
  }
}

async function runFanout(opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, rep: number, watchers: number, admin: Session): Promise<void> {
  const group = `watch-${watchers}`;
  await openGroup(opts, sys, group, watchers, 30_000);
  const ws = groupWorkers(opts, watchers);
  const value = valueOf(opts.valueSize);
  const rounds: number[] = [];
  for (let r = 0; r < opts.suite.fanout.rounds; r++) {
    await opts.pool.all((i) => (ws.includes(i) ? { cmd: 'watchArm', args: { group, path: '/bench/watch/node' } } : null));
    const waits = opts.pool.all<WatchWaitResult>((i) => (ws.includes(i) ? { cmd: 'watchWait', args: { group, timeoutMs: 30_000 } } : null));
    await sleep(20); // let the wait calls reach the workers
    const tSend = monoMs();
    const set = admin.request(OpCode.setData, { path: '/bench/watch/node', data: value, version: -1 });
    admin.flush();
    const [w] = await Promise.all([waits, set]);
    const notified = w.reduce((s, x) => s + x.notified, 0);
    if (notified < watchers) notes.problems.push(`${NAMES[kind]} fan-out ${watchers}: only ${notified} notified`);
    const last = Math.max(...w.map((x) => x.lastAt));
    rounds.push(last - tSend);
    await sleep(50);
  }
  await closeGroup(opts, group, watchers);
  const m = median(rounds);
  results.record(def(results, `fanout.${watchers}`), kind, rep, m);
  opts.log(`   fan-out ${watchers} watchers: median ${m.toFixed(2)} ms (rounds ${rounds.map((x) => x.toFixed(1)).join(' ')})`);
}

async function runStorm(opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, rep: number, admin: Session): Promise<void> {
  const n = opts.suite.storm.sessions;
  const pids = sys.pids();
  const c0 = sampleCpu(pids, monoMs());
  const tOpen = monoMs();
  const opened = await openGroup(opts, sys, 'storm', n, 30_000);
  const connectMs = Math.max(...opened.map((r) => r.doneAt)) - tOpen;
  const tClose = monoMs();
  const closed = await closeGroup(opts, 'storm', n);
  const closeMs = Math.max(...closed.map((r) => r.doneAt)) - tClose;
  const c1 = sampleCpu(pids, monoMs());
  const serverUs = pids.reduce((s, p) => s + (diffCpu(c0, c1).serverUs.get(p) ?? Number.NaN), 0);
  results.record(def(results, 'storm.connect'), kind, rep, connectMs);
  results.record(def(results, 'storm.close'), kind, rep, closeMs);
  results.record(def(results, 'storm.cpu'), kind, rep, serverUs / n);
  let line = `   storm ${n}: connect ${connectMs.toFixed(0)} ms, close ${closeMs.toFixed(0)} ms, server ${(serverUs / n).toFixed(0)} µs/session`;
  if (opts.suite.storm.expire) {
    const timeoutMs = 2 * opts.settings.tickTime;
    await openGroup(opts, sys, 'storm-exp', n, timeoutMs);
    const ws = groupWorkers(opts, n);
    await opts.pool.all((i) => (ws.includes(i) ? { cmd: 'ephemerals', args: { group: 'storm-exp', prefix: '/bench/storm/e' } } : null));
    const tDrop = monoMs();
    await opts.pool.all((i) => (ws.includes(i) ? { cmd: 'drop', args: { group: 'storm-exp' } } : null));
    let left = -1;
    const deadline = tDrop + 20 * timeoutMs + 30_000;
    while (monoMs() < deadline) {
      const r = admin.request(OpCode.exists, { path: '/bench/storm', watch: false });
      admin.flush();
      const reply = await r;
      left = existsNumChildren(reply.frame);
      if (left === 0) break;
      await sleep(20);
    }
    const expireMs = monoMs() - tDrop;
    if (left !== 0) notes.problems.push(`${NAMES[kind]} storm expire: ${left} ephemerals left`);
    else results.record(def(results, 'storm.expire'), kind, rep, expireMs);
    line += `, expire ${expireMs.toFixed(0)} ms (timeout ${timeoutMs} ms)`;
  }
  opts.log(line);
}

// ---- the large tree: build, restart, snapshot ----

interface TreeState {
  sys: RunningSystem;
  totalNodes: number;
}

async function runTree(opts: RunnerOptions, results: ResultSet, notes: RunNotes): Promise<void> {
  const n = opts.suite.tree.znodes;
  const parents = Math.max(1, Math.ceil(n / 1000));
  const sessions = 4;
  const quota = Math.ceil(n / sessions);
  const states = new Map<SystemKind, TreeState>();
  try {
    for (const kind of opts.systems) {
      opts.log(`== ${NAMES[kind]}: building a tree of ${n.toLocaleString('en-US')} znodes`);
      const sys = await launchOrExplain(opts, results, notes, kind, false, idsOfPart('tree.'));
      if (sys === null) continue;
      states.set(kind, { sys, totalNodes: 0 });
      const admin = await Session.open(sys.endpoints()[0]!);
      const mk = (path: string): Promise<unknown> =>
        admin.request(OpCode.create, { path, data: null, acl: OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT });
      await mk('/bench');
      await mk('/bench/tree');
      const ps: Promise<unknown>[] = [];
      for (let p = 0; p < parents; p++) ps.push(mk(`/bench/tree/p${p}`));
      admin.flush();
      await Promise.all(ps);
      await admin.close();
      await openGroup(opts, sys, 'tree', sessions, 30_000);
      const spec: ThroughputSpec = {
        mix: { create: 1 }, keys: 0, keyPrefix: '', valueSize: opts.valueSize, createPrefix: '', depth: 64, seed: 1,
        quotaPerSession: quota, tree: { parents, prefix: '/bench/tree/p' },
      };
      const ws = groupWorkers(opts, sessions);
      const a = sampleCpu(sys.pids(), monoMs());
      const tStart = monoMs();
      const res = await opts.pool.all<ThroughputResult>((i) => (ws.includes(i) ? { cmd: 'throughput', args: { group: 'tree', spec, times: { t0: 0, t1: Number.POSITIVE_INFINITY, tStop: Number.POSITIVE_INFINITY } } } : null));
      const tEnd = Math.max(...res.map((r) => r.lastReplyAt));
      const b = sampleCpu(sys.pids(), monoMs());
      await closeGroup(opts, 'tree', sessions);
      const ops = res.reduce((s, r) => s + r.totalOps, 0);
      const errs = res.reduce((s, r) => s + Object.values(r.errors).reduce((x, y) => x + y, 0), 0);
      if (errs > 0) notes.problems.push(`${NAMES[kind]} tree build: ${errs} error replies`);
      const serverUs = sys.pids().reduce((s, p) => s + (diffCpu(a, b).serverUs.get(p) ?? Number.NaN), 0);
      const state = states.get(kind)!;
      state.totalNodes = 2 + parents + ops - errs;
      results.record(def(results, 'tree.build'), kind, 0, ops / ((tEnd - tStart) / 1000));
      results.record(def(results, 'tree.buildCpu'), kind, 0, serverUs / ops);
      const hwm = sys.pids().reduce((s, pid) => s + readProcMemory(pid).vmHwm, 0) / 2 ** 20;
      results.record(def(results, 'tree.rssBuild'), kind, 0, hwm);
      opts.log(`   built ${ops} znodes in ${((tEnd - tStart) / 1000).toFixed(1)} s (${Math.round(ops / ((tEnd - tStart) / 1000))}/s, ${(serverUs / ops).toFixed(1)} µs/op), peak RSS ${hwm.toFixed(0)} MiB`);
      await sys.stopProcesses();
    }
    for (const { system: kind, rep } of alternate(opts.systems, opts.suite.tree.restarts)) {
      const st = states.get(kind);
      if (st === undefined) continue;
      st.sys.respawn();
      const ready = await st.sys.waitReady('/bench/tree/p0/n0', 600_000);
      const spawned = Math.min(...st.sys.members.map((m) => m.spawnedAt));
      const restartS = (ready - spawned) / 1000;
      await sleep(200);
      const hwm = st.sys.pids().reduce((s, pid) => s + readProcMemory(pid).vmHwm, 0) / 2 ** 20;
      results.record(def(results, 'tree.restart'), kind, rep, restartS);
      results.record(def(results, 'tree.rssRestart'), kind, rep, hwm);
      opts.log(`   ${NAMES[kind]} restart ${rep + 1}: ${restartS.toFixed(2)} s to the first getData, peak RSS ${hwm.toFixed(0)} MiB`);
      await st.sys.stopProcesses();
    }
    for (const [kind, st] of states) {
      const snaps = snapshotFiles(kind, st.sys.members[0]!.spec.dataDir);
      const newest = snaps[snaps.length - 1];
      if (newest === undefined) {
        notes.problems.push(`${NAMES[kind]}: no snapshot on disk after the tree build`);
        continue;
      }
      const nodes = kind === 'ours'
        ? await znodesInOurSnapshot(join(st.sys.members[0]!.spec.dataDir, 'zkts-v1', newest.name))
        : znodesInSnapshot(newest.zxid, st.totalNodes);
      const perNode = newest.bytes / nodes;
      results.record(def(results, 'tree.snapPerZnode'), kind, 0, perNode);
      results.record(def(results, 'tree.snapFull'), kind, 0, (perNode * (st.totalNodes + SYSTEM_ZNODES)) / 2 ** 20);
      opts.log(`   ${NAMES[kind]} newest snapshot ${newest.name} (${formatZxid(newest.zxid)}): ${(newest.bytes / 2 ** 20).toFixed(1)} MiB for ~${nodes} znodes = ${perNode.toFixed(1)} B/znode`);
    }
  } catch (e) {
    notes.problems.push(`tree: ${(e as Error).message}`);
    opts.log(`!! tree workload failed: ${(e as Error).message}`);
    for (const st of states.values()) opts.log(st.sys.logTail(20));
  } finally {
    for (const st of states.values()) await st.sys.destroy();
  }
}
