// A load-generator worker thread: holds groups of raw sessions and runs workload slices on them
// when the coordinator asks (see worker-api.ts). Several of these run in parallel, each on its own
// event loop, so the generator is not limited to one core.

import { parentPort, workerData } from 'node:worker_threads';
import { CreateMode, ErrorCode, OpCode } from '@zk/protocol';
import { monoMs } from './clock.js';
import { BenchConnection, fastMono, type ConnectionHandler } from './conn.js';
import { Histogram } from './histogram.js';
import { OPEN_ACL_UNSAFE, requestTemplate, valueOf } from './wire.js';
import type {
  DoneResult, Endpoint, LatencyResult, LatencySpec, OpenResult, ThroughputResult, ThroughputSpec,
  ThroughputTimes, WatchWaitResult, WorkerRequest, WorkerResponse, WriteLoadResult, WriteLoadSpec,
} from './worker-api.js';
import { sleep } from './clock.js';

const workerIndex: number = (workerData as { index?: number } | undefined)?.index ?? 0;
const groups = new Map<string, BenchConnection[]>();
const MAX_OPENING = 128;

// Keep idle sessions (watchers waiting between rounds) alive.
setInterval(() => {
  for (const g of groups.values()) for (const c of g) c.keepAlive(3000);
}, 1000).unref();

function group(name: string): BenchConnection[] {
  const g = groups.get(name);
  if (!g) throw new Error(`no session group ${name} in worker ${workerIndex}`);
  return g;
}

async function open(args: { group: string; endpoints: Endpoint[]; sessions: number; timeoutMs: number; firstIndex: number }): Promise<OpenResult> {
  const conns: BenchConnection[] = groups.get(args.group) ?? [];
  groups.set(args.group, conns);
  let failed = 0;
  let firstError: string | undefined;
  let doneAt = 0;
  // At most MAX_OPENING handshakes in flight per worker, so that a storm measures the server, not
  // SYNs dropped by a full listen backlog (ZooKeeper's default backlog is 50).
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < args.sessions) {
      const i = next++;
      const ep = args.endpoints[(args.firstIndex + i) % args.endpoints.length]!;
      try {
        const c = await BenchConnection.open(ep.host, ep.port, { timeoutMs: args.timeoutMs });
        c.tag = args.firstIndex + i;
        conns.push(c);
        doneAt = Math.max(doneAt, monoMs());
      } catch (e) {
        failed++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_OPENING, args.sessions) }, one));
  return { opened: args.sessions - failed, failed, doneAt, ...(firstError !== undefined ? { firstError } : {}) };
}

async function close(args: { group: string }): Promise<DoneResult> {
  const conns = groups.get(args.group) ?? [];
  groups.delete(args.group);
  for (const c of conns) c.handler = null;
  await Promise.all(conns.map((c) => c.closeSession()));
  return { doneAt: monoMs(), count: conns.length };
}

async function drop(args: { group: string }): Promise<DoneResult> {
  const conns = groups.get(args.group) ?? [];
  groups.delete(args.group);
  for (const c of conns) {
    c.handler = null;
    c.destroy();
  }
  await Promise.all(conns.map((c) => c.whenClosed(5000)));
  return { doneAt: monoMs(), count: conns.length };
}

/** xorshift32: a tiny seeded PRNG (uniform enough for key choice). */
function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function throughput(args: { group: string; spec: ThroughputSpec; times: ThroughputTimes }): Promise<ThroughputResult> {
  const { spec, times } = args;
  const conns = group(args.group);
  const value = valueOf(spec.valueSize);
  const hist = new Histogram();
  const errors: Record<string, number> = {};
  const problems: string[] = [];
  let windowOps = 0;
  let totalOps = 0;
  let lastReplyAt = 0;

  // Cumulative thresholds of the op mix.
  const w = { getData: spec.mix.getData ?? 0, exists: spec.mix.exists ?? 0, setData: spec.mix.setData ?? 0, create: spec.mix.create ?? 0 };
  const sum = w.getData + w.exists + w.setData + w.create;
  if (!(sum > 0)) throw new Error('empty op mix');
  const cGet = w.getData / sum;
  const cExists = cGet + w.exists / sum;
  const cSet = cExists + w.setData / sum;
  const needKeys = w.getData + w.exists + w.setData > 0;
  // One template per key and op: sending is a copy plus an xid patch.
  const getT: Uint8Array[] = [];
  const existsT: Uint8Array[] = [];
  const setT: Uint8Array[] = [];
  if (needKeys) {
    for (let k = 0; k < spec.keys; k++) {
      const path = `${spec.keyPrefix}${k}`;
      if (w.getData > 0) getT.push(requestTemplate(OpCode.getData, { path, watch: false }));
      if (w.exists > 0) existsT.push(requestTemplate(OpCode.exists, { path, watch: false }));
      if (w.setData > 0) setT.push(requestTemplate(OpCode.setData, { path, data: value, version: -1 }));
    }
  }

  const quota = spec.quotaPerSession ?? Number.POSITIVE_INFINITY;
  const issued = new Float64Array(conns.length);
  const rngs = conns.map((c) => xorshift((spec.seed ^ Math.imul(c.tag + 1, 0x85ebca6b)) >>> 0));
  const idx = new Map<BenchConnection, number>();
  conns.forEach((c, i) => idx.set(c, i));
  const { t0, t1, tStop } = times;

  const issue = (c: BenchConnection, i: number): void => {
    const n = issued[i]!;
    issued[i] = n + 1;
    if (spec.tree !== undefined) {
      const k = c.tag * quota + n;
      c.send(OpCode.create, { path: `${spec.tree.prefix}${k % spec.tree.parents}/n${k}`, data: value, acl: OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT });
      return;
    }
    const r = rngs[i]!();
    if (r < cSet) {
      const key = Math.floor(rngs[i]!() * spec.keys);
      if (r < cGet) c.sendTemplate(getT[key]!, OpCode.getData);
      else if (r < cExists) c.sendTemplate(existsT[key]!, OpCode.exists);
      else c.sendTemplate(setT[key]!, OpCode.setData);
    } else {
      c.send(OpCode.create, { path: `${spec.createPrefix}w${workerIndex}s${c.tag}-${n}`, data: value, acl: OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT });
    }
  };

  return new Promise((resolve) => {
    let active = conns.length;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(guard);
      for (const c of conns) {
        c.handler = null;
        if (c.mismatch !== null) problems.push(c.mismatch);
      }
      const undrained = conns.reduce((s, c) => s + c.outstanding, 0);
      resolve({ windowOps, totalOps, errors, hist: hist.toData(), undrained, problems, lastReplyAt });
    };
    const sessionDone = (): void => {
      if (--active === 0) finish();
    };
    const handler: ConnectionHandler = {
      onReply(c, op, err, _frame, sentAt, t) {
        if (op === OpCode.closeSession) return;
        totalOps++;
        lastReplyAt = t;
        if (err !== ErrorCode.OK) errors[String(err)] = (errors[String(err)] ?? 0) + 1;
        if (t >= t0 && t < t1) {
          windowOps++;
          hist.record((t - sentAt) * 1000);
        }
        const i = idx.get(c)!;
        if (t < tStop && issued[i]! < quota) issue(c, i);
        else if (c.outstanding === 0) sessionDone();
      },
      onClose(c) {
        problems.push(`session ${c.tag} closed during the workload`);
        sessionDone();
      },
    };
    // If the server stops answering, give up 60 s after the stop time (or after 30 min with a quota).
    const guardMs = Number.isFinite(tStop) ? Math.max(0, tStop - monoMs()) + 60_000 : 30 * 60_000;
    const guard = setTimeout(() => {
      problems.push('gave up waiting for replies');
      finish();
    }, guardMs);
    conns.forEach((c, i) => {
      c.handler = handler;
      const first = Math.min(spec.depth, quota);
      for (let k = 0; k < first; k++) issue(c, i);
      if (first === 0) sessionDone();
      c.flush();
    });
    if (conns.length === 0) finish();
  });
}

async function latency(args: { endpoint: Endpoint; spec: LatencySpec }): Promise<LatencyResult> {
  const { spec } = args;
  const conn = await BenchConnection.open(args.endpoint.host, args.endpoint.port, { timeoutMs: 30_000 });
  const value = valueOf(spec.valueSize);
  const getTpl = requestTemplate(OpCode.getData, { path: spec.path, watch: false });
  const samplesUs: number[] = [];
  let errors = 0;
  let n = 0;
  const total = spec.warmup + spec.count;
  const deadline = fastMono() + spec.maxMs;
  await new Promise<void>((resolve) => {
    const next = (c: BenchConnection): void => {
      if (spec.op === 'getData') c.sendTemplate(getTpl, OpCode.getData);
      else c.send(OpCode.create, { path: `${spec.path}-${n}`, data: value, acl: OPEN_ACL_UNSAFE, flags: CreateMode.PERSISTENT });
    };
    conn.handler = {
      onReply(c, _op, err, _f, sentAt, t) {
        if (err !== 0) errors++;
        if (n >= spec.warmup) samplesUs.push((t - sentAt) * 1000);
        n++;
        if (n < total && (n < spec.warmup || t < deadline)) next(c);
        else resolve();
      },
      onClose() {
        resolve();
      },
    };
    next(conn);
    conn.flush();
  });
  conn.handler = null;
  await conn.closeSession();
  return { samplesUs, errors };
}

// ---- watches ----

interface WatchRound {
  notifiedAt: Map<BenchConnection, number>;
  waiters: Array<() => void>;
}
const watchRounds = new Map<string, WatchRound>();

async function watchArm(args: { group: string; path: string }): Promise<DoneResult> {
  const conns = group(args.group);
  const round: WatchRound = { notifiedAt: new Map(), waiters: [] };
  watchRounds.set(args.group, round);
  const tpl = requestTemplate(OpCode.getData, { path: args.path, watch: true });
  let pending = conns.length;
  await new Promise<void>((resolve) => {
    if (pending === 0) resolve();
    for (const c of conns) {
      c.handler = {
        onReply() {
          if (--pending === 0) resolve();
        },
        onNotification(conn, _frame, t) {
          if (!round.notifiedAt.has(conn)) round.notifiedAt.set(conn, t);
          if (round.notifiedAt.size === conns.length) for (const w of round.waiters.splice(0)) w();
        },
        onClose() {
          if (--pending === 0) resolve();
        },
      };
      c.sendTemplate(tpl, OpCode.getData);
      c.flush();
    }
  });
  return { doneAt: monoMs(), count: conns.length };
}

async function watchWait(args: { group: string; timeoutMs: number }): Promise<WatchWaitResult> {
  const conns = group(args.group);
  const round = watchRounds.get(args.group);
  if (!round) throw new Error('watchWait before watchArm');
  if (round.notifiedAt.size < conns.length) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, args.timeoutMs);
      round.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  for (const t of round.notifiedAt.values()) {
    if (t < firstAt) firstAt = t;
    if (t > lastAt) lastAt = t;
  }
  return { sessions: conns.length, notified: round.notifiedAt.size, firstAt, lastAt };
}

async function ephemerals(args: { group: string; prefix: string }): Promise<DoneResult> {
  const conns = group(args.group);
  let pending = conns.length;
  await new Promise<void>((resolve) => {
    if (pending === 0) resolve();
    for (const c of conns) {
      c.handler = {
        onReply() {
          if (--pending === 0) resolve();
        },
        onClose() {
          if (--pending === 0) resolve();
        },
      };
      c.send(OpCode.create, { path: `${args.prefix}${c.tag}`, data: null, acl: OPEN_ACL_UNSAFE, flags: CreateMode.EPHEMERAL });
      c.flush();
    }
  });
  return { doneAt: monoMs(), count: conns.length };
}

// ---- a write load that reconnects (failover) ----

interface WriteLoadState {
  stopped: boolean;
  /** Called on stop: ends the sessions' current connections. */
  onStop: Set<() => void>;
}
const writeLoads = new Map<string, WriteLoadState>();

async function writeLoad(args: { group: string; spec: WriteLoadSpec }): Promise<WriteLoadResult> {
  const { spec } = args;
  const state: WriteLoadState = { stopped: false, onStop: new Set() };
  writeLoads.set(args.group, state);
  const value = valueOf(spec.valueSize);
  const templates: Uint8Array[] = [];
  for (let k = 0; k < spec.keys; k++) templates.push(requestTemplate(OpCode.setData, { path: `${spec.keyPrefix}${k}`, data: value, version: -1 }));
  const buckets: number[] = [];
  const errors: Record<string, number> = {};
  let acked = 0;
  let connects = 0;
  let connectFailures = 0;
  let key = workerIndex * 7919;

  const session = async (i: number): Promise<void> => {
    let attempt = 0;
    while (!state.stopped) {
      const ep = spec.endpoints[(spec.firstIndex + i + attempt) % spec.endpoints.length]!;
      let c: BenchConnection;
      try {
        c = await BenchConnection.open(ep.host, ep.port, { timeoutMs: spec.timeoutMs, handshakeTimeoutMs: 2000 });
      } catch {
        connectFailures++;
        attempt++;
        await sleep(10);
        continue;
      }
      connects++;
      if (state.stopped) {
        await c.closeSession(1000);
        return;
      }
      let stop: () => void = () => undefined;
      await new Promise<void>((resolve) => {
        let ended = false;
        const end = (): void => {
          if (ended) return;
          ended = true;
          void c.closeSession(1000).then(resolve);
        };
        // On stop: let the outstanding writes come back (2 s at most), then end the session.
        stop = () => {
          if (c.outstanding === 0) end();
          else setTimeout(end, 2000).unref();
        };
        state.onStop.add(stop);
        const issue = (): void => {
          key = (key + 1) % spec.keys;
          c.sendTemplate(templates[key]!, OpCode.setData);
        };
        c.handler = {
          onReply(conn, op, err, _frame, _sentAt, t) {
            if (op === OpCode.closeSession) return;
            if (err === ErrorCode.OK) {
              acked++;
              const b = Math.floor((t - spec.t0) / spec.bucketMs);
              if (b >= 0) {
                while (buckets.length <= b) buckets.push(0);
                buckets[b]!++;
              }
            } else {
              errors[String(err)] = (errors[String(err)] ?? 0) + 1;
            }
            if (!state.stopped) issue();
            else if (conn.outstanding === 0) end();
          },
          onClose() {
            resolve();
          },
        };
        for (let k = 0; k < spec.depth; k++) issue();
        c.flush();
      });
      state.onStop.delete(stop);
      c.handler = null;
      if (!c.closed) c.destroy();
      attempt++;
    }
  };
  await Promise.all(Array.from({ length: spec.sessions }, (_, i) => session(i)));
  writeLoads.delete(args.group);
  return { acked, errors, connects, connectFailures, buckets };
}

function writeLoadStop(args: { group: string }): DoneResult {
  const st = writeLoads.get(args.group);
  if (st) {
    st.stopped = true;
    for (const f of st.onStop) f();
    st.onStop.clear();
  }
  return { doneAt: monoMs(), count: 0 };
}

async function dispatch(req: WorkerRequest): Promise<unknown> {
  switch (req.cmd) {
    case 'open':
      return open(req.args);
    case 'close':
      return close(req.args);
    case 'drop':
      return drop(req.args);
    case 'throughput':
      return throughput(req.args);
    case 'latency':
      return latency(req.args);
    case 'watchArm':
      return watchArm(req.args);
    case 'watchWait':
      return watchWait(req.args);
    case 'ephemerals':
      return ephemerals(req.args);
    case 'writeLoad':
      return writeLoad(req.args);
    case 'writeLoadStop':
      return writeLoadStop(req.args);
  }
}

parentPort?.on('message', (req: WorkerRequest) => {
  dispatch(req).then(
    (res) => parentPort?.postMessage({ id: req.id, ok: true, res } satisfies WorkerResponse),
    (err: unknown) => parentPort?.postMessage({ id: req.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies WorkerResponse),
  );
});
