// Restart of a real zkserver holding a big tree, and the write stall a client sees while that
// server snapshots it.
//   npm run bench:restart -- [--nodes 1000000] [--value-bytes 100] [--runs 3] [--full-log]
// 1. Builds the tree in-process and writes what a server would have on disk: a snapshot (via the
//    incremental writer) plus a log tail of --tail setData txns after it (--full-log: the log also
//    holds every create, as a server that never purged would have).
// 2. Starts `zkserver start` on it --runs times: time to "zkserver started", time to the first
//    answered getData, peak RSS (VmHWM from /proc), the recovery line.
// 3. On the last run (snapCount small), a client pipelines setData while the server takes a
//    snapshot of the whole tree: longest reply gap / latency inside and outside the snapshot.
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ErrorCode, OpCode, encodeTxnEntry } from '@zk/protocol';
import { fileStorage } from '@zk/storage-file';
import { ServerProcess, freePort, killAllStarted } from './server-process.js';
import { buildTree, createEntry, setDataEntry, value } from './tree-builder.js';
import { ZkConnection } from './zk-client.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '1000000' },
    'value-bytes': { type: 'string', default: '100' },
    runs: { type: 'string', default: '3' },
    tail: { type: 'string', default: '10000' },
    'full-log': { type: 'boolean', default: false },
    'stall-writes': { type: 'string', default: '3000' },
    dir: { type: 'string' },
  },
});
const NODES = Number(values.nodes);
const VALUE = Number(values['value-bytes']);
const RUNS = Number(values.runs);
const TAIL = Number(values.tail);

const ms = (x: number): string => `${x.toFixed(0)} ms`;
const mib = (x: number): string => `${(x / 1048576).toFixed(1)} MiB`;

async function vmHwm(pid: number): Promise<number> {
  const s = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(s);
  return m === null ? 0 : Number(m[1]) * 1024;
}

async function prepare(dir: string): Promise<{ snapshotBytes: number; logBytes: number }> {
  let t = performance.now();
  const b = buildTree(NODES, VALUE);
  process.stdout.write(`built ${NODES} znodes in ${ms(performance.now() - t)}\n`);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { recursive: true });
  const storage = await fileStorage({ dataDir, logger: { warn: () => undefined } });
  if (values['full-log']) {
    // what the log of a server that created the tree and never purged holds
    let z = 0n;
    for (let p = 0; p < b.parents; p++) storage.txnLog.append(++z, encodeTxnEntry(createEntry(z, `/p${String(p).padStart(4, '0')}`, new Uint8Array(0))));
    for (let i = 0; i < NODES; i++) {
      storage.txnLog.append(++z, encodeTxnEntry(createEntry(z, b.nodePath(i), value(i, VALUE))));
      if (i % 50_000 === 0) await storage.txnLog.sync();
    }
    await storage.txnLog.sync();
  }
  t = performance.now();
  const w = b.tree.snapshotWriter(new Map());
  const info = await storage.snapshots.save(w.zxid, w);
  process.stdout.write(`snapshot ${info.name}: ${mib(info.size)} written in ${ms(performance.now() - t)}\n`);
  storage.txnLog.rollover();
  let z = b.zxid;
  for (let i = 0; i < TAIL; i++) {
    const n = (i * 7919) % NODES;
    storage.txnLog.append(++z, encodeTxnEntry(setDataEntry(z, b.nodePath(n), value(n, VALUE, 1), 1 + Math.floor(i / NODES))));
  }
  await storage.txnLog.sync();
  let logBytes = 0;
  for await (const r of storage.txnLog.read(1n)) logBytes += r.record.length + 16;
  await storage.close();
  const st = await stat(join(dataDir, 'zkts-v1', info.name));
  return { snapshotBytes: st.size, logBytes };
}

async function startAndMeasure(dir: string, port: number, run: number, snapCount: number): Promise<{ s: ServerProcess; ready: number; firstRead: number; rss: number; recovered: string }> {
  const t0 = performance.now();
  const s = await ServerProcess.start({ dir, port, snapCount, extra: ['autopurge.snapRetainCount=3'] }, run);
  if (!(await s.waitReady())) throw new Error(`server did not start: ${s.rawStderr.slice(-5).join(' | ')}`);
  const ready = performance.now() - t0;
  const c = await ZkConnection.open('127.0.0.1', port, { timeOut: 30_000 });
  const o = await c.request(OpCode.getData, { path: '/p0000/n0000000', watch: false });
  const firstRead = performance.now() - t0;
  if (o.kind !== 'reply' || o.err !== ErrorCode.OK) throw new Error('first read failed');
  await c.closeSession();
  const rss = await vmHwm(s.pid);
  const rec = s.lines.find((l) => l.msg === 'recovered');
  const recovered = rec === undefined ? '?' : `snapshot ${String(rec['snapshot'])}, replayed ${String(rec['replayed'])} txns`;
  return { s, ready, firstRead, rss, recovered };
}

/** Pipelined setData from one session until the server has written a snapshot; reply gaps. */
async function stallDuringSnapshot(s: ServerProcess, port: number): Promise<string> {
  const c = await ZkConnection.open('127.0.0.1', port, { timeOut: 30_000 });
  const inFlight = 16;
  const maxWrites = Number(values['stall-writes']);
  const events: Array<{ at: number; latency: number }> = [];
  let issued = 0;
  let snapStart: number | undefined;
  let snapEnd: number | undefined;
  await new Promise<void>((resolve) => {
    let outstanding = 0;
    const issue = (): void => {
      const written = s.lines.find((l) => l.msg === 'snapshot written');
      if (written !== undefined && snapEnd === undefined) {
        snapEnd = performance.now();
        snapStart = snapEnd - Number(written['ms'] ?? 0);
      }
      const doneAfter = snapEnd !== undefined && performance.now() - snapEnd > 500;
      if (doneAfter || issued >= maxWrites * 20 || c.closed) {
        if (outstanding === 0) resolve();
        return;
      }
      const n = (issued * 104729) % NODES;
      const path = `/p${String(Math.floor(n / Math.ceil(NODES / 1000))).padStart(4, '0')}/n${String(n).padStart(7, '0')}`;
      issued++;
      outstanding++;
      const t = performance.now();
      void c.request(OpCode.setData, { path, data: value(n, VALUE, issued), version: -1 }).then(() => {
        outstanding--;
        const now = performance.now();
        events.push({ at: now, latency: now - t });
        issue();
      });
    };
    for (let i = 0; i < inFlight; i++) issue();
  });
  await c.closeSession();
  if (snapStart === undefined || snapEnd === undefined) return `no snapshot was written within ${issued} writes`;
  // a gap between two consecutive replies counts as "during the snapshot" when it overlaps it
  const lo = snapStart;
  const hi = snapEnd + 50;
  let gapIn = 0;
  let gapOut = 0;
  let latIn = 0;
  let latOut = 0;
  let nIn = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const inWin = e.at >= lo && e.at - e.latency <= hi;
    if (inWin) {
      nIn++;
      latIn = Math.max(latIn, e.latency);
    } else latOut = Math.max(latOut, e.latency);
    if (i === 0) continue;
    const prev = events[i - 1]!.at;
    const g = e.at - prev;
    if (e.at >= lo && prev <= hi) gapIn = Math.max(gapIn, g);
    else gapOut = Math.max(gapOut, g);
  }
  return (
    `snapshot of the whole tree took ${ms(snapEnd - snapStart)} (server log) while ${nIn} setData were answered: ` +
    `longest gap between replies ${ms(gapIn)}, max latency ${ms(latIn)} ` +
    `(outside the snapshot: longest gap ${ms(gapOut)}, max latency ${ms(latOut)}, ${events.length - nIn} replies)`
  );
}

async function main(): Promise<void> {
  const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'zk-bench-restart-')));
  process.stdout.write(`bench:restart: ${NODES} znodes x ${VALUE} B, ${RUNS} restarts, dir ${dir}${values['full-log'] ? ', full log kept' : ''}\n`);
  process.stdout.write('(shared, noisy machine: other engineers run tests on it; numbers vary run to run)\n');
  try {
    const { snapshotBytes, logBytes } = await prepare(dir);
    process.stdout.write(`on disk: snapshot ${mib(snapshotBytes)}, log records ${mib(logBytes)}\n`);
    const port = await freePort();
    for (let run = 1; run <= RUNS; run++) {
      const last = run === RUNS;
      const m = await startAndMeasure(dir, port, run, last ? 2000 : 100_000);
      process.stdout.write(
        `restart ${run}: "zkserver started" after ${ms(m.ready)}, first getData answered after ${ms(m.firstRead)}; ` +
          `peak RSS ${mib(m.rss)}; recovered from ${m.recovered}\n`,
      );
      if (last) {
        process.stdout.write(`${await stallDuringSnapshot(m.s, port)}\n`);
        process.stdout.write(`peak RSS after the snapshot ${mib(await vmHwm(m.s.pid))}\n`);
      }
      await m.s.stop();
    }
  } finally {
    killAllStarted();
    if (values.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  killAllStarted();
  process.exit(1);
});
