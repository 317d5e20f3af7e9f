// The client-library benchmark (issue 5): @zk/client against node-zookeeper-client, driving the
// SAME server with the same closed loop (one session, --client-depth outstanding, 100-byte values),
// each library in a process of its own (client-load.ts) so they share no event loop and each has
// its own CPU account. Per server of --target: start it, build the /bench tree, warm it with the raw
// generator, then for each repetition run the libraries alternately (A B A B), a fresh process per
// library and repetition, every op with an unrecorded warm-up and then a fixed window.
//
// Figures per server and op: ops/s, p50/p99 (call → completion), client CPU µs/op (the client
// process's user+system CPU over the window / ops, from its own getrusage: what limits a client
// library), and the CPU cores used by the client process, the server and everything else during
// the window (servers and the machine from /proc, as in the other workloads).

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { monoMs, sleepUntil } from './clock.js';
import type { SystemKind } from './config.js';
import { Histogram } from './histogram.js';
import type { Columns, MetricDef, ResultSet, Target } from './metrics.js';
import { diffCpu, readProcStat, sampleCpu } from './proc.js';
import type { RunningSystem } from './servers.js';
import { Session } from './session.js';
import {
  NAMES, def, idsOfPart, launchOrExplain, nproc, setupTree, warmServer, type RunNotes, type RunnerOptions,
} from './shared.js';
import { alternate, type ClientOp } from './suites.js';
import { CLIENT_LIB_NAMES, type ClientCall, type ClientLib, type ClientResponse, type ClientRunResult } from './client-api.js';

/** Baseline first: the table's left column, and the first of each A B pair. */
export const CLIENT_LIBS: readonly ClientLib[] = ['nzc', 'zk-client'];

export const CLIENT_COLUMNS: Columns = { baseline: 'node-zookeeper-client 1.1.3', ours: '@zk/client (ours)', ratio: 'ours/nzc' };
const TARGET_TP: Target = { op: '>=', ratio: 3 };
const TARGET_P99: Target = { op: '<=', ratio: 1 };

/** Results of a library are stored on the ResultSet side of the same name: baseline = 'zookeeper'. */
export function sideOf(lib: ClientLib): SystemKind {
  return lib === 'zk-client' ? 'ours' : 'zookeeper';
}

const SERVER_NAMES: Record<SystemKind, string> = { zookeeper: 'ZooKeeper 3.8', ours: 'zk-ts' };

/** The title of the client benchmark's main table. */
export function clientSection(depth: number, valueSize: number): string {
  return `Client library: @zk/client vs node-zookeeper-client (same server, 1 session × ${depth} outstanding, ${valueSize}-byte values, each library in its own process)`;
}

function sections(opts: RunnerOptions): { main: string; cores: string } {
  return { main: clientSection(opts.clientDepth, opts.valueSize), cores: 'Client library: CPU cores used during each window' };
}

export function clientDefs(opts: RunnerOptions): MetricDef[] {
  const s = sections(opts);
  const out: MetricDef[] = [];
  const where = opts.servers === 1 ? '' : ` (member 1 of ${opts.servers})`;
  for (const sys of opts.systems) {
    for (const op of opts.suite.client.ops) {
      const base = `${op} on ${SERVER_NAMES[sys]}${where}`;
      const id = `client.${sys}.${op}`;
      out.push(
        { id: `${id}.tp`, section: s.main, label: base, unit: 'ops/s', better: 'higher', target: TARGET_TP, columns: CLIENT_COLUMNS },
        { id: `${id}.p50`, section: s.main, label: `${base} p50`, unit: 'ms', better: 'lower', columns: CLIENT_COLUMNS },
        { id: `${id}.p99`, section: s.main, label: `${base} p99`, unit: 'ms', better: 'lower', target: TARGET_P99, note: 'lower p99', columns: CLIENT_COLUMNS },
        { id: `${id}.cpu`, section: s.main, label: `${base}: client CPU per op`, unit: 'µs', better: 'lower', columns: CLIENT_COLUMNS },
      );
    }
  }
  for (const sys of opts.systems) {
    for (const op of opts.suite.client.ops) {
      const base = `${op} on ${SERVER_NAMES[sys]}`;
      const id = `clientgen.${sys}.${op}`;
      out.push(
        { id: `${id}.client`, section: s.cores, label: `${base}: client process`, unit: 'cores', better: 'none', columns: CLIENT_COLUMNS },
        { id: `${id}.server`, section: s.cores, label: `${base}: server`, unit: 'cores', better: 'none', columns: CLIENT_COLUMNS },
        { id: `${id}.other`, section: s.cores, label: `${base}: everything else on the machine`, unit: 'cores', better: 'none', columns: CLIENT_COLUMNS },
      );
    }
  }
  return out;
}

// ---- the client process ----

/** One client library in its own process and session (setsid, as the servers), driven over IPC. */
export class ClientProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderr = '';
  readonly ownSession: boolean;

  private constructor(readonly lib: ClientLib, private readonly child: ChildProcess) {
    child.on('message', (m: ClientResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.res);
      else p.reject(new Error(`${CLIENT_LIB_NAMES[lib]} process: ${m.error}`));
    });
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString('utf8')).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      const e = new Error(`${CLIENT_LIB_NAMES[lib]} process exited (code ${code}, signal ${signal})${this.stderr ? `: ${this.stderr.trim()}` : ''}`);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
    let own = false;
    try {
      own = child.pid !== undefined && readProcStat(child.pid).session === child.pid;
    } catch {
      /* gone already */
    }
    this.ownSession = own;
  }

  static start(lib: ClientLib): ClientProcess {
    const script = fileURLToPath(new URL('./client-load.js', import.meta.url));
    // detached: setsid(2), so the scheduler's autogroups treat each client like each server.
    const child = fork(script, [lib], { detached: true, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    return new ClientProcess(lib, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  call<R>(call: ClientCall): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, ...call }, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(err);
        }
      });
    });
  }

  /** Ends the process (after `close` or on failure). */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.disconnect();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  }
}

// ---- the workload ----

export async function runClientBench(opts: RunnerOptions, results: ResultSet, notes: RunNotes): Promise<void> {
  const C = opts.suite.client;
  for (const kind of opts.systems) {
    opts.log(`== client libraries on ${SERVER_NAMES[kind]}: ${C.repetitions} repetition(s), ${CLIENT_LIBS.map((l) => CLIENT_LIB_NAMES[l]).join(' / ')} alternating`);
    const select = idsOfPart(`client.${kind}.`, `clientgen.${kind}.`);
    const sys = await launchOrExplain(opts, results, notes, kind, false, select);
    if (sys === null) {
      // Neither library can be measured on a server that did not start: mark the baseline too.
      const reason = notes.notStarted[kind] ?? `${NAMES[kind]} did not start`;
      results.markNotMeasured('zookeeper', reason, select);
      results.markNotMeasured('ours', reason, select);
      continue;
    }
    try {
      const ep = sys.endpoints()[0]!;
      const admin = await Session.open(ep);
      await setupTree(admin, opts.valueSize, opts.keys);
      await admin.close();
      if (opts.suite.serverWarmupMs > 0) await warmServer(opts, sys);
      for (const { system: lib, rep } of alternate(CLIENT_LIBS, C.repetitions)) {
        await runLib(opts, results, notes, sys, kind, lib, rep);
      }
    } catch (e) {
      notes.problems.push(`client benchmark on ${NAMES[kind]}: ${(e as Error).message}`);
      opts.log(`!! client benchmark on ${NAMES[kind]} failed: ${(e as Error).message}\n${sys.logTail(20)}`);
    } finally {
      await sys.destroy();
    }
  }
}

async function runLib(
  opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, lib: ClientLib, rep: number,
): Promise<void> {
  const C = opts.suite.client;
  const name = CLIENT_LIB_NAMES[lib];
  const ep = sys.endpoints()[0]!;
  const proc = ClientProcess.start(lib);
  notes.clientOwnSession.push(proc.ownSession);
  try {
    await proc.call({ cmd: 'connect', args: { connectString: `${ep.host}:${ep.port}`, sessionTimeoutMs: 30_000 } });
    for (const op of C.ops) await runOp(opts, results, notes, sys, kind, proc, op, rep);
    await proc.call({ cmd: 'close', args: {} });
  } catch (e) {
    notes.problems.push(`${name} on ${NAMES[kind]} rep ${rep + 1}: ${(e as Error).message}`);
    opts.log(`!! ${name} on ${NAMES[kind]} rep ${rep + 1}: ${(e as Error).message}`);
  } finally {
    await proc.stop();
  }
}

async function runOp(
  opts: RunnerOptions, results: ResultSet, notes: RunNotes, sys: RunningSystem, kind: SystemKind, proc: ClientProcess, op: ClientOp, rep: number,
): Promise<void> {
  const C = opts.suite.client;
  const lib = proc.lib;
  const side = sideOf(lib);
  const t0 = monoMs() + 50 + C.warmupMs;
  const t1 = t0 + C.measureMs;
  const pending = proc.call<ClientRunResult>({
    cmd: 'run',
    args: {
      spec: {
        op, keys: opts.keys, keyPrefix: '/bench/data/k', valueSize: opts.valueSize, createPrefix: `/bench/c/cl-${lib}-r${rep}-`, depth: opts.clientDepth,
        seed: 0x5eed + rep,
      },
      times: { t0, t1, tStop: t1 },
    },
  });
  // Both the client process and the server(s) are sampled; the harness itself idles meanwhile.
  const pids = [proc.pid, ...sys.pids()];
  await sleepUntil(t0);
  const a = sampleCpu(pids, monoMs());
  await sleepUntil(t1);
  const b = sampleCpu(pids, monoMs());
  const res = await pending;
  const d = diffCpu(a, b);
  const wallS = d.wallMs / 1000;
  // The client's CPU: its own getrusage over the window (µs resolution); /proc's 10 ms ticks if missing.
  const procClientUs = d.serverUs.get(proc.pid) ?? Number.NaN;
  const clientUs = Number.isFinite(res.cpuUs) && res.cpuWallMs > 0 ? (res.cpuUs * d.wallMs) / res.cpuWallMs : procClientUs;
  const serverUs = sys.pids().reduce((s, p) => s + (d.serverUs.get(p) ?? Number.NaN), 0);
  const otherCores = d.machineBusy * nproc() - (clientUs + serverUs + d.clientUs) / 1e6 / wallS;
  const ops = res.windowOps;
  const hist = Histogram.fromData(res.hist);
  const tput = ops / ((t1 - t0) / 1000);
  const id = `client.${kind}.${op}`;
  const errCount = Object.values(res.errors).reduce((s, x) => s + x, 0);
  if (errCount > 0) notes.problems.push(`${CLIENT_LIB_NAMES[lib]} ${op} on ${NAMES[kind]} rep ${rep + 1}: ${errCount} errors ${JSON.stringify(res.errors)} (first: ${res.firstError})`);
  if (res.undrained > 0) notes.problems.push(`${CLIENT_LIB_NAMES[lib]} ${op} on ${NAMES[kind]} rep ${rep + 1}: ${res.undrained} requests unanswered`);
  results.record(def(results, `${id}.tp`), side, rep, tput);
  results.record(def(results, `${id}.p50`), side, rep, hist.percentile(50) / 1000);
  results.record(def(results, `${id}.p99`), side, rep, hist.percentile(99) / 1000);
  results.record(def(results, `${id}.cpu`), side, rep, ops > 0 ? clientUs / ops : Number.NaN);
  results.record(def(results, `clientgen.${kind}.${op}.client`), side, rep, clientUs / 1e6 / wallS);
  results.record(def(results, `clientgen.${kind}.${op}.server`), side, rep, serverUs / 1e6 / wallS);
  results.record(def(results, `clientgen.${kind}.${op}.other`), side, rep, otherCores);
  opts.log(
    `   ${CLIENT_LIB_NAMES[lib].padEnd(22)} ${op.padEnd(8)} ${Math.round(tput).toString().padStart(7)} ops/s  client ${(clientUs / Math.max(1, ops)).toFixed(1).padStart(6)} µs/op  ` +
      `p50 ${(hist.percentile(50) / 1000).toFixed(2)} p99 ${(hist.percentile(99) / 1000).toFixed(2)} ms  ` +
      `cores: client ${(clientUs / 1e6 / wallS).toFixed(2)} server ${(serverUs / 1e6 / wallS).toFixed(2)} other ${otherCores.toFixed(2)}`,
  );
}
