#!/usr/bin/env node
// One client LIBRARY as the load generator, alone in its own process (fork()ed by
// client-bench.ts with the library name as argv[2]): one session, `depth` requests kept
// outstanding through the library's public API, replies timed from the call to the callback (or
// the promise's settlement). The coordinator reads this process's CPU time from /proc over the
// measurement window, so the only work in here is the library's and the closed loop's.
//
// The loop is the same for both libraries: per request one call with a path (and a Buffer value),
// one completion function capturing the send time; @zk/client through its promises (the way it is
// meant to be used), node-zookeeper-client through its callbacks.

import { createRequire } from 'node:module';
import { connect, type ZooKeeperClient } from '@zk/client';
import { makeFastMono } from './clock.js';
import { Histogram } from './histogram.js';
import type { ClientLib, ClientRequest, ClientResponse, ClientRunResult, ClientRunSpec } from './client-api.js';
import type { ThroughputTimes } from './worker-api.js';

type Done = (err: unknown) => void;

interface Driver {
  getData(path: string, done: Done): void;
  setData(path: string, value: Buffer, done: Done): void;
  create(path: string, value: Buffer, done: Done): void;
  close(): Promise<void>;
}

const now = makeFastMono();

// ---- @zk/client ----

async function zkClientDriver(connectString: string, sessionTimeoutMs: number): Promise<Driver> {
  const zk: ZooKeeperClient = await connect(connectString, { sessionTimeoutMs, timeoutMs: 15_000 });
  return {
    getData(path, done) {
      zk.getData(path).then(() => done(null), done);
    },
    setData(path, value, done) {
      zk.setData(path, value).then(() => done(null), done);
    },
    create(path, value, done) {
      zk.create(path, value).then(() => done(null), done);
    },
    close: () => zk.close(),
  };
}

// ---- node-zookeeper-client (CommonJS, no types: the few calls used here) ----

interface NzcClient {
  connect(): void;
  close(): void;
  once(event: 'connected' | 'disconnected', listener: () => void): void;
  getData(path: string, cb: (err: Error | null, data?: Buffer) => void): void;
  setData(path: string, data: Buffer, cb: (err: Error | null) => void): void;
  create(path: string, data: Buffer, cb: (err: Error | null, path?: string) => void): void;
}
interface Nzc {
  createClient(connectString: string, options: { sessionTimeout: number; spinDelay: number; retries: number }): NzcClient;
}

async function nzcDriver(connectString: string, sessionTimeoutMs: number): Promise<Driver> {
  const nzc = createRequire(import.meta.url)('node-zookeeper-client') as Nzc;
  // retries: 0 (its default): like @zk/client, a failed request is reported, not retried.
  const c = nzc.createClient(connectString, { sessionTimeout: sessionTimeoutMs, spinDelay: 1000, retries: 0 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`node-zookeeper-client: no connection to ${connectString} in 15 s`)), 15_000);
    c.once('connected', () => {
      clearTimeout(t);
      resolve();
    });
    c.connect();
  });
  return {
    getData(path, done) {
      c.getData(path, done);
    },
    setData(path, value, done) {
      c.setData(path, value, done);
    },
    create(path, value, done) {
      c.create(path, value, done);
    },
    close: () =>
      new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 3000);
        c.once('disconnected', () => {
          clearTimeout(t);
          resolve();
        });
        c.close();
      }),
  };
}

// ---- the closed loop ----

function xorshift(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function errorName(err: unknown): string {
  const e = err as { codeName?: unknown; name?: unknown; code?: unknown; message?: unknown };
  if (typeof e.codeName === 'string') return e.codeName; // @zk/client
  if (typeof e.name === 'string' && e.name !== 'Error' && e.name !== 'Exception') return e.name; // node-zookeeper-client: NO_NODE...
  return String(e.code ?? e.message ?? err);
}

function run(d: Driver, spec: ClientRunSpec, times: ThroughputTimes): Promise<ClientRunResult> {
  const { t0, t1, tStop } = times;
  const value = Buffer.alloc(spec.valueSize);
  for (let i = 0; i < value.length; i++) value[i] = 97 + (i % 26);
  const paths: string[] = [];
  for (let k = 0; k < spec.keys; k++) paths.push(`${spec.keyPrefix}${k}`);
  const rnd = xorshift(spec.seed);
  const hist = new Histogram();
  const errors: Record<string, number> = {};
  let firstError: string | undefined;
  let windowOps = 0;
  let totalOps = 0;
  let outstanding = 0;
  let created = 0;
  // CPU of this process over the window, sampled by timers at t0 and t1 (they run between two
  // batches of replies, so a sample is late by at most one batch: well under 1% of the window).
  let cpuA: NodeJS.CpuUsage | undefined;
  let cpuB: NodeJS.CpuUsage | undefined;
  let cpuAt = 0;
  let cpuBt = 0;
  setTimeout(() => {
    cpuA = process.cpuUsage();
    cpuAt = now();
  }, Math.max(0, t0 - now()));
  setTimeout(() => {
    cpuB = process.cpuUsage();
    cpuBt = now();
  }, Math.max(0, t1 - now()));

  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(guard);
      const cpuUs = cpuA !== undefined && cpuB !== undefined ? cpuB.user - cpuA.user + (cpuB.system - cpuA.system) : Number.NaN;
      resolve({
        windowOps, totalOps, errors, hist: hist.toData(), undrained: outstanding, cpuUs, cpuWallMs: cpuBt - cpuAt,
        ...(firstError !== undefined ? { firstError } : {}),
      });
    };
    const complete = (err: unknown, sentAt: number): void => {
      const t = now();
      outstanding--;
      totalOps++;
      if (err) {
        const name = errorName(err);
        errors[name] = (errors[name] ?? 0) + 1;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
      if (t >= t0 && t < t1) {
        windowOps++;
        hist.record((t - sentAt) * 1000);
      }
      if (t < tStop) issue();
      else if (outstanding === 0) finish();
    };
    const issue = (): void => {
      const sentAt = now();
      const done: Done = (err) => complete(err, sentAt);
      outstanding++;
      switch (spec.op) {
        case 'getData':
          d.getData(paths[Math.floor(rnd() * spec.keys)]!, done);
          break;
        case 'setData':
          d.setData(paths[Math.floor(rnd() * spec.keys)]!, value, done);
          break;
        case 'create':
          d.create(`${spec.createPrefix}${created++}`, value, done);
          break;
      }
    };
    // A server that stops answering: give up 60 s after the stop time.
    const guard = setTimeout(finish, Math.max(0, tStop - now()) + 60_000);
    for (let k = 0; k < spec.depth; k++) issue();
  });
}

// ---- IPC ----

const lib = process.argv[2] as ClientLib;
let driver: Driver | null = null;

async function dispatch(req: ClientRequest): Promise<unknown> {
  switch (req.cmd) {
    case 'connect': {
      const { connectString, sessionTimeoutMs } = req.args;
      driver = lib === 'nzc' ? await nzcDriver(connectString, sessionTimeoutMs) : await zkClientDriver(connectString, sessionTimeoutMs);
      return { pid: process.pid };
    }
    case 'run':
      if (!driver) throw new Error('run before connect');
      return run(driver, req.args.spec, req.args.times);
    case 'close':
      await driver?.close();
      driver = null;
      return {};
  }
}

if (lib !== 'zk-client' && lib !== 'nzc') {
  process.stderr.write(`client-load: unknown library ${String(lib)}\n`);
  process.exit(2);
}
process.on('message', (req: ClientRequest) => {
  dispatch(req).then(
    (res) => process.send?.({ id: req.id, ok: true, res } satisfies ClientResponse),
    (err: unknown) => process.send?.({ id: req.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies ClientResponse),
  );
});
// The coordinator went away: nothing left to do.
process.on('disconnect', () => process.exit(0));
