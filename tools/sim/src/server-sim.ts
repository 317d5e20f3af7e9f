/**
 * Full-server mode: each seed runs 3 or 5 real `@zk/server` ensemble members (sometimes one
 * observer) plus simulated clients speaking the wire protocol, in one process, on the virtual
 * clock, the in-memory network and in-memory storage. The seed picks the configuration, the fault
 * mix and every fault and client operation; any failing seed replays exactly.
 *
 * Checks, as they happen: one leader per epoch (from the servers' role log records), observers
 * never lead, no server logs an error, every client reply arrives in xid order with a zxid that
 * never goes back, reads agree with the acknowledged writes (see client.ts), watch events fire at
 * most once per watch, for a real change, and before any reply that shows the change; the `hash`
 * four-letter word of every serving member, sampled every second, gives one digest per zxid.
 * At the end (liveness phase): the ensemble converges, every client finishes a write, abandoned
 * sessions expire, then every member's whole tree (read over the wire after a sync) is identical,
 * agrees with every client's acknowledged writes, and holds no ephemeral of a dead session.
 */
import { createLogger, createServer, parseZooCfg, type LogRecord, type ServerConfig, type ZkServer } from '@zk/server';
import { ConnectResponse, OpCode, type Stat } from '@zk/protocol';
import { VirtualClock } from '@zk/quorum';
import { memoryStorage, type MemoryStorage } from '@zk/storage';
import type { Connection } from '@zk/transport';
import { memoryNetwork, type MemoryNetwork } from '@zk/transport-memory';
import { SimClient, parentOf, type World } from './client.js';
import { describeStates, fold, matches, type Entry } from './model.js';
import { Prng } from './prng.js';
import { WireConn, type WireReply } from './wire.js';

export type ServerFault =
  | 'latency' | 'partition' | 'oneWay' | 'reset' | 'crash' | 'slowDisk' | 'targetLeader' | 'powerLoss'
  | 'clientPartition' | 'clientDrop';

export interface ServerSimOptions {
  readonly seed: number;
  /** Participants (3 or 5); default: chosen by the seed. */
  readonly servers?: number;
  /** Observers; default: chosen by the seed (0 or 1). */
  readonly observers?: number;
  /** Simulated clients; default: chosen by the seed (3..6). */
  readonly clients?: number;
  /** Virtual ms of the fault phase (default 15 000). */
  readonly faultMs?: number;
  /** Virtual ms the liveness phase may take (default 120 000). */
  readonly livenessMs?: number;
  /** Force a durability run (power losses and crashes on slow disks, write-heavy clients) or rule it out. */
  readonly durability?: boolean;
  readonly mix?: Partial<Record<ServerFault, boolean>>;
  readonly intensity?: number;
  /** Keep a trace of events (default true; printed on failure). */
  readonly trace?: boolean;
  /** Also trace the servers' info-level log records (debugging). */
  readonly serverLog?: boolean;
}

export interface ServerSimResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly failure?: string;
  readonly servers: number;
  readonly observers: number;
  readonly clients: number;
  readonly snapCount: number;
  readonly faults: Record<string, number>;
  readonly stats: Record<string, number>;
  readonly elections: number;
  readonly virtualMs: number;
  /** A hash of the trace, every client write's outcome and the counters: equal runs replay equally. */
  readonly fingerprint: string;
  readonly trace: string[];
}

interface Member {
  readonly sid: number;
  readonly host: string;
  readonly observer: boolean;
  readonly rng: Prng;
  storage: MemoryStorage;
  server: ZkServer | null;
  /** Bumped at every crash: log records of a dead incarnation are ignored. */
  incarnation: number;
  stopping: Promise<void> | null;
  slowDiskMs: number;
  mode: string;
}

interface Block {
  readonly a: string;
  readonly b: string;
  readonly oneWay: boolean;
  readonly until: number;
  readonly tag: string;
}

interface AuditNode {
  readonly data: string;
  readonly stat: Stat;
}

const CLIENT_PORT = 2181;
/** Callbacks at one virtual instant after which the run is declared livelocked. */
const LIVELOCK_CALLBACKS = 100_000;
const TICK_MS = 50;
const MAX_SESSION_TIMEOUT = 10_000;
const hex = (z: bigint): string => `0x${z.toString(16)}`;
const big = (_: string, v: unknown): unknown => (typeof v === 'bigint' ? hex(v) : v);

class Failed extends Error {}

export async function runServerSimulation(options: ServerSimOptions): Promise<ServerSimResult> {
  const rng = new Prng(options.seed);
  const faultRng = rng.fork();
  const workRng = rng.fork();
  const crashRng = rng.fork();
  const participants = options.servers ?? (rng.chance(0.5) ? 3 : 5);
  const observers = options.observers ?? (rng.chance(0.3) ? 1 : 0);
  const nClients = options.clients ?? rng.int(3, 6);
  const snapCount = rng.chance(0.4) ? rng.int(20, 200) : 100_000;
  const faultMs = options.faultMs ?? 15_000;
  const livenessMs = options.livenessMs ?? 120_000;
  const seededDurability = rng.chance(0.2);
  const durability = options.durability ?? seededDurability;
  const swarm: Record<ServerFault, boolean> = {
    latency: rng.chance(0.6),
    partition: rng.chance(0.6),
    oneWay: rng.chance(0.4),
    reset: rng.chance(0.5),
    crash: rng.chance(0.6),
    slowDisk: rng.chance(0.5),
    targetLeader: rng.chance(0.5),
    powerLoss: rng.chance(0.4),
    clientPartition: rng.chance(0.5),
    clientDrop: rng.chance(0.5),
  };
  const mix: Record<ServerFault, boolean> = {
    ...swarm,
    ...(durability ? { powerLoss: true, slowDisk: true, crash: true, partition: false, oneWay: false, reset: false } : {}),
    ...options.mix,
  };
  const intensity = options.intensity ?? (durability ? 4 : rng.pick([0.5, 1, 2, 4]));
  const often = (p: number): boolean => faultRng.chance(Math.min(1, p * intensity));

  const clock = new VirtualClock();
  const network: MemoryNetwork = memoryNetwork({ scheduler: clock });
  const trace: string[] = [];
  const faults: Record<string, number> = {};
  let failure: string | null = null;
  let elections = 0;
  let seq = 0;
  let spurious = 0;
  let snapshots = 0;
  // The trace folds a burst of lines repeating one of the two lines before them at the same instant
  // (a member flapping between two states) into one "... repeated" line.
  let recent: [string, string] = ['', ''];
  let repeats = 0;
  const note = (s: string): void => {
    if (options.trace === false) return;
    const at = clock.now();
    const key = `${at} ${s}`;
    if (key === recent[0] || key === recent[1]) {
      repeats++;
      return;
    }
    if (repeats > 0) trace.push(`${String(at).padStart(7)} ... the 2 lines before repeated ${repeats} more times`);
    repeats = 0;
    recent = [recent[1], key];
    trace.push(`${String(at).padStart(7)} ${s}`);
    if (trace.length > 8000) trace.splice(0, 2000);
  };
  const count = (k: string): void => {
    faults[k] = (faults[k] ?? 0) + 1;
  };
  const fail = (msg: string): void => {
    if (failure === null) {
      failure = `${msg} (at ${clock.now()} ms)`;
      note(`FAILURE ${msg}`);
    }
  };

  // ---- virtual time, with a livelock guard ----
  // A loop that keeps scheduling callbacks without letting virtual time move would hang the run;
  // it is a bug in itself (in real time: a busy loop). Counted in callbacks, so it is deterministic.
  let stallAt = -1;
  let stallFrom = 0;
  const livelocked = (): boolean => {
    if (clock.now() !== stallAt) {
      stallAt = clock.now();
      stallFrom = clock.callbacksRun;
      return false;
    }
    return clock.callbacksRun - stallFrom > LIVELOCK_CALLBACKS;
  };
  /** clock.runUntil, stopping at a failure and failing on a livelock. */
  const run = async (done: () => boolean, ms: number): Promise<boolean> => {
    const r = await clock.runUntil(() => done() || failure !== null || livelocked(), ms);
    if (livelocked()) {
      fail(`livelock: ${LIVELOCK_CALLBACKS} callbacks at ${clock.now()} ms without virtual time moving on; last events: ${trace.slice(-4).map((l) => l.trim()).join(' | ')}`);
      throw new Failed(failure!);
    }
    return r && done();
  };
  const advance = async (ms: number): Promise<void> => {
    await run(() => false, ms);
  };

  // ---- the ensemble ----
  const hosts: string[] = [];
  for (let i = 1; i <= participants + observers; i++) hosts.push(`s${i}`);
  const voters = participants;
  const majority = Math.floor(voters / 2) + 1;
  const configText = (sid: number): string => {
    const lines = [
      `tickTime=${TICK_MS}`, 'initLimit=10', 'syncLimit=5', `maxSessionTimeout=${MAX_SESSION_TIMEOUT}`,
      'dataDir=/unused', `clientPort=${CLIENT_PORT}`, '4lw.commands.whitelist=*', `snapCount=${snapCount}`,
    ];
    for (let i = 1; i <= participants + observers; i++) lines.push(`server.${i}=s${i}:2888:3888${i > participants ? ':observer' : ''}`);
    void sid;
    return lines.join('\n');
  };
  const configs = new Map<number, ServerConfig>();
  for (let sid = 1; sid <= participants + observers; sid++) configs.set(sid, parseZooCfg(configText(sid), { myid: String(sid) }).config);

  const leaderOfEpoch = new Map<number, number>();
  const syncs: Record<string, number> = {};
  const members: Member[] = [];
  const onLog = (m: Member, incarnation: number, rec: LogRecord): void => {
    if (incarnation !== m.incarnation) return;
    const f = rec.fields;
    if (rec.msg === 'ensemble role') {
      m.mode = String(f['role']);
      note(`s${m.sid} role ${String(f['role'])} (state ${String(f['state'])}, leader ${String(f['leader'])}, epoch ${String(f['epoch'])}, lastZxid ${String(f['lastZxid'])}${f['reason'] !== undefined ? `, ${String(f['reason'])}` : ''})`);
      const how = /by (DIFF|TRUNC|SNAP)/.exec(String(f['reason'] ?? ''));
      if (how !== null) syncs[how[1]!] = (syncs[how[1]!] ?? 0) + 1;
      if (f['role'] === 'leader') {
        elections++;
        const epoch = Number(f['epoch']);
        const prev = leaderOfEpoch.get(epoch);
        if (prev !== undefined && prev !== m.sid) fail(`two leaders in epoch ${epoch}: s${prev} and s${m.sid}`);
        leaderOfEpoch.set(epoch, m.sid);
        if (m.observer) fail(`observer s${m.sid} leads`);
      }
      return;
    }
    if (rec.msg === 'snapshot written') snapshots++;
    if (rec.level === 'error') fail(`server s${m.sid} logged an error: ${rec.msg} ${JSON.stringify(f, big)}`);
    else if (rec.level === 'warn' || options.serverLog === true) note(`s${m.sid} ${rec.level}: ${rec.msg} ${JSON.stringify(f, big)}`);
  };
  const slowDelay = (m: Member) => (): Promise<void> =>
    m.slowDiskMs === 0 ? Promise.resolve() : new Promise<void>((resolve) => clock.setTimeout(resolve, m.slowDiskMs));

  const launch = async (m: Member): Promise<void> => {
    const inc = m.incarnation;
    const logger = createLogger({ level: 'info', sink: (rec) => onLog(m, inc, rec) });
    const server = await createServer(configs.get(m.sid)!, {
      clock,
      storage: m.storage,
      transport: network.transport({ host: m.host }),
      peerTransport: network.transport({ host: m.host }),
      random: () => m.rng.next(),
      logger,
    });
    m.server = server;
    m.mode = 'looking';
    await server.start();
  };

  for (let sid = 1; sid <= participants + observers; sid++) {
    const host = `s${sid}`;
    const m: Member = {
      sid, host, observer: sid > participants, rng: rng.fork(),
      storage: await memoryStorage({ logger: { warn: (msg) => note(`storage s${sid}: ${msg}`) } }),
      server: null, incarnation: 0, stopping: null, slowDiskMs: 0, mode: 'looking',
    };
    m.storage.setSyncDelay(slowDelay(m));
    if (mix.slowDisk && (durability || rng.chance(0.5))) m.slowDiskMs = rng.int(1, 100);
    members.push(m);
  }
  note(`config: ${participants} participants + ${observers} observers, ${nClients} clients, snapCount ${snapCount}, intensity ${intensity}${durability ? ', durability run' : ''}, faults ${Object.entries(mix).filter(([, on]) => on).map(([k]) => k).join(',')}; disks ${members.map((m) => `s${m.sid}=${m.slowDiskMs}ms`).join(' ')}`);
  for (const m of members) await launch(m);

  const running = (): Member[] => members.filter((m) => m.server !== null);
  const leader = (): Member | undefined => running().find((m) => m.server!.mode === 'leader');

  // ---- the clients ----
  const world: World = {
    clock,
    serverHosts: hosts,
    clientPort: CLIENT_PORT,
    paths: new Map(),
    childOps: new Map(),
    ackedWrites: new Map(),
    clients: [],
    nextSeq: () => ++seq,
    fail,
    spuriousExpiry: (msg) => {
      spurious++;
      fail(msg);
    },
    note,
  };
  const clientHosts: string[] = [];
  for (let k = 1; k <= nClients; k++) {
    const host = `c${k}`;
    clientHosts.push(host);
    const timeout = workRng.pick([2_000, 3_000, 4_000, 6_000, 8_000]);
    world.clients.push(new SimClient(k, host, network.transport({ host }), workRng.fork(), world, timeout, durability ? 4 : workRng.int(1, 4), durability));
  }
  const clients = world.clients;

  // ---- network blocks (partitions) that compose ----
  const blocks: Block[] = [];
  const samePair = (x: Block, a: string, b: string): boolean => (x.a === a && x.b === b) || (x.a === b && x.b === a);
  const reapply = (a: string, b: string): void => {
    network.heal(a, b);
    for (const x of blocks) if (samePair(x, a, b)) network.partition(x.a, x.b, { oneWay: x.oneWay });
  };
  const block = (x: Block): void => {
    blocks.push(x);
    network.partition(x.a, x.b, { oneWay: x.oneWay });
  };
  const unblock = (pred: (x: Block) => boolean): void => {
    const gone = blocks.filter(pred);
    for (const x of gone) blocks.splice(blocks.indexOf(x), 1);
    for (const x of gone) reapply(x.a, x.b);
  };
  const dropConnections = (a: string, b: string): void => {
    network.partition(a, b, { mode: 'reset' });
    reapply(a, b);
  };

  // ---- digest probes: the `hash` four-letter word over the wire ----
  const checker = network.transport({ host: 'checker' });
  const digestAt = new Map<bigint, { digest: string; sid: number }>();
  let probes = 0;
  const fourLetterWord = (m: Member, word: string, done: (text: string | null) => void): void => {
    checker.dial({ host: m.host, port: CLIENT_PORT }, { timeoutMs: 2_000 }).then(
      (conn: Connection) => {
        let text = '';
        conn.onData((chunk) => {
          text += Buffer.from(chunk).toString('latin1');
        });
        conn.onClose(() => done(text));
        conn.write(Buffer.from(word, 'latin1'));
      },
      () => done(null),
    );
  };
  const recordHash = (m: Member, text: string | null): { zxid: bigint; digest: string } | null => {
    if (text === null) return null;
    const match = /^0x([0-9a-f]+): (\d+)\n$/.exec(text);
    if (match === null) return null; // not serving
    probes++;
    const zxid = BigInt(`0x${match[1]}`);
    const digest = match[2]!;
    const prev = digestAt.get(zxid);
    if (prev === undefined) digestAt.set(zxid, { digest, sid: m.sid });
    else if (prev.digest !== digest) fail(`s${m.sid} has digest ${digest} at ${hex(zxid)}, s${prev.sid} had ${prev.digest}`);
    return { zxid, digest };
  };
  const probeAll = (): void => {
    for (const m of running()) {
      const inc = m.incarnation;
      fourLetterWord(m, 'hash', (text) => {
        if (inc === m.incarnation) recordHash(m, text);
      });
    }
  };

  // ---- faults ----
  const down = new Map<number, { at: number; power: boolean }>();
  const crash = (m: Member, restartAt: number, power: boolean): void => {
    const server = m.server!;
    m.server = null;
    m.incarnation++;
    m.mode = 'down';
    if (power) {
      // No FIN, no RST: everyone else just stops hearing from it.
      for (const h of [...hosts, ...clientHosts]) if (h !== m.host) block({ a: m.host, b: h, oneWay: false, until: Number.POSITIVE_INFINITY, tag: `power:${m.host}` });
    }
    // stop() runs its synchronous part (the peer stops at once); the storage then loses what was not synced.
    m.stopping = server.stop().catch(() => undefined);
    const keep = crashRng.int(0, 3);
    m.storage = m.storage.crash({ keepUnsynced: keep, tearLastUnsynced: crashRng.chance(0.3), rng: () => crashRng.next() });
    m.storage.setSyncDelay(slowDelay(m));
    down.set(m.sid, { at: restartAt, power });
    count(power ? 'power-crash' : 'crash');
    note(`crash s${m.sid}${power ? ' (power)' : ''} (keep ${keep} unsynced), restart at ${restartAt}`);
  };
  const restart = async (m: Member): Promise<void> => {
    const info = down.get(m.sid);
    down.delete(m.sid);
    if (m.stopping !== null) {
      let stopped = false;
      void m.stopping.then(() => {
        stopped = true;
      });
      if (!(await run(() => stopped, 5_000))) fail(`s${m.sid}: stop() did not finish within 5 s of virtual time`);
      m.stopping = null;
    }
    if (info?.power === true) unblock((x) => x.tag === `power:${m.host}`);
    note(`restart s${m.sid}`);
    await launch(m);
  };

  const fault = async (): Promise<void> => {
    const now = clock.now();
    for (const [sid, d] of [...down]) if (d.at <= now) await restart(members[sid - 1]!);
    unblock((x) => x.until <= now);
    if (mix.latency && often(0.05)) {
      const ms = faultRng.int(0, 30);
      network.setLatency(ms);
      count('latency');
      note(`latency ${ms}`);
    }
    if (mix.partition && often(0.03)) {
      const a = faultRng.pick(hosts);
      const b = faultRng.pick(hosts.filter((h) => h !== a));
      const oneWay = mix.oneWay && faultRng.chance(0.5);
      block({ a, b, oneWay, until: now + faultRng.int(200, 5_000), tag: 'partition' });
      count(oneWay ? 'partition-one-way' : 'partition');
      note(`partition ${a}${oneWay ? '->' : '<->'}${b}`);
    }
    if (mix.partition && often(0.01)) {
      const l = leader();
      const a = mix.targetLeader && l !== undefined && faultRng.chance(0.5) ? l.host : faultRng.pick(hosts);
      const until = now + faultRng.int(500, 6_000);
      const withClients = faultRng.chance(0.5);
      for (const b of [...hosts, ...(withClients ? clientHosts : [])]) if (b !== a) block({ a, b, oneWay: false, until, tag: 'isolate' });
      count('isolate');
      note(`isolate ${a}${withClients ? ' (clients too)' : ''}`);
    }
    if (mix.reset && often(0.03)) {
      const a = faultRng.pick(hosts);
      const b = faultRng.pick(hosts.filter((h) => h !== a));
      dropConnections(a, b);
      count('connection-drop');
      note(`drop connections ${a}-${b}`);
    }
    if (mix.clientPartition && often(0.02)) {
      const c = faultRng.pick(clientHosts);
      const until = now + faultRng.int(200, 8_000);
      if (faultRng.chance(0.3)) {
        for (const h of hosts) block({ a: c, b: h, oneWay: false, until, tag: 'client-isolate' });
        count('client-isolate');
        note(`isolate client ${c} until ${until}`);
      } else {
        const h = faultRng.pick(hosts);
        const oneWay = mix.oneWay && faultRng.chance(0.3);
        block({ a: faultRng.chance(0.5) ? c : h, b: faultRng.chance(0.5) ? h : c, oneWay, until, tag: 'client-partition' });
        count('client-partition');
        note(`partition client ${c} from ${h}${oneWay ? ' (one way)' : ''} until ${until}`);
      }
    }
    if (mix.clientDrop && often(0.03)) {
      const c = faultRng.pick(clients);
      const h = c.currentServer;
      if (h !== null) {
        dropConnections(c.host0, h);
        count('client-drop');
        note(`drop connections c${c.id}-${h}`);
      }
    }
    if (mix.slowDisk && often(0.02)) {
      const m = faultRng.pick(members);
      m.slowDiskMs = faultRng.chance(0.5) ? 0 : faultRng.int(1, 200);
      count('slow-disk');
      note(`disk of s${m.sid} takes ${m.slowDiskMs} ms`);
    }
    if (mix.powerLoss && often(0.01)) {
      const up = running();
      if (up.length >= 2) {
        const k = faultRng.int(2, up.length);
        const pool = [...up];
        const at = now + faultRng.int(100, 3_000);
        const victims: Member[] = [];
        for (let i = 0; i < k; i++) victims.push(pool.splice(faultRng.int(0, pool.length - 1), 1)[0]!);
        count('power-loss');
        note(`power loss on ${victims.map((v) => `s${v.sid}`).join(',')}`);
        for (const v of victims) crash(v, at, true);
      }
    }
    if (mix.crash && often(0.02)) {
      const upVoters = running().filter((m) => !m.observer).length;
      const candidates = running().filter((m) => m.observer || upVoters - 1 >= majority || faultRng.chance(0.2));
      if (candidates.length > 0) {
        const l = leader();
        const m = mix.targetLeader && l !== undefined && candidates.includes(l) && faultRng.chance(0.5) ? l : faultRng.pick(candidates);
        crash(m, now + faultRng.int(100, 8_000), faultRng.chance(0.3));
      }
    }
  };

  // ---- helpers for the end ----
  const runFor = async <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
    let done = false;
    const tracked = p.finally(() => {
      done = true;
    });
    if (!(await run(() => done, ms))) {
      if (failure !== null) throw new Failed(failure);
      throw new Failed(`timed out (${ms} ms virtual) waiting for ${what}`);
    }
    return tracked;
  };
  const stepClients = (): void => {
    for (const c of clients) c.step();
  };
  /** Runs the clients (stepping every 20 ms) until `cond` holds; false on timeout. */
  const runClientsUntil = async (cond: () => boolean, ms: number): Promise<boolean> => {
    const deadline = clock.now() + ms;
    while (clock.now() < deadline) {
      if (failure !== null) return false;
      stepClients();
      if (cond()) return true;
      await advance(20);
    }
    return cond();
  };

  /** Reads a member's whole tree over the wire (new session, sync, then every node). */
  const auditor = network.transport({ host: 'auditor' });
  const audit = async (m: Member): Promise<Map<string, AuditNode>> => {
    const conn = await runFor(auditor.dial({ host: m.host, port: CLIENT_PORT }, { timeoutMs: 5_000 }), 10_000, `a connection to s${m.sid}`);
    const wc = new WireConn(conn, {
      event: () => undefined, special: () => undefined, received: () => undefined, closed: () => undefined,
      violation: (msg) => fail(`auditor on s${m.sid}: ${msg}`),
    });
    const res = await runFor(new Promise<ConnectResponse | null>((resolve) => wc.handshake({
      protocolVersion: 0, lastZxidSeen: 0n, timeOut: MAX_SESSION_TIMEOUT, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false,
    }, resolve)), 10_000, `an auditor session on s${m.sid}`);
    if (res === null || res.timeOut <= 0) throw new Failed(`s${m.sid} refused the auditor's session`);
    let xid = 1;
    const call = (type: number, req: unknown): Promise<WireReply | null> =>
      new Promise((resolve) => wc.send(type as never, req as never, xid++, resolve));
    const sync = await runFor(call(OpCode.sync, { path: '/' }), 10_000, `sync on s${m.sid}`);
    if (sync === null || sync.err !== 0) throw new Failed(`auditor sync on s${m.sid} failed: ${sync?.err ?? 'connection lost'}`);
    const tree = new Map<string, AuditNode>();
    let level = ['/'];
    while (level.length > 0) {
      const replies = await runFor(Promise.all(level.flatMap((p) => [call(OpCode.getData, { path: p, watch: false }), call(OpCode.getChildren, { path: p, watch: false })])), 30_000, `the tree of s${m.sid}`);
      const next: string[] = [];
      for (let i = 0; i < level.length; i++) {
        const p = level[i]!;
        const d = replies[2 * i]!;
        const c = replies[2 * i + 1]!;
        if (d === null || c === null) throw new Failed(`auditor lost its connection to s${m.sid}`);
        if (d.err !== 0 || c.err !== 0) throw new Failed(`auditor read of ${p} on s${m.sid} failed: ${d.err}/${c.err}`);
        const body = d.body as { data: Uint8Array | null; stat: Stat };
        tree.set(p, { data: body.data === null ? '' : new TextDecoder().decode(body.data), stat: body.stat });
        for (const child of [...(c.body as { children: string[] }).children].sort()) next.push(p === '/' ? `/${child}` : `${p}/${child}`);
      }
      level = next;
    }
    wc.close();
    return tree;
  };

  const describeNode = (n: AuditNode | undefined): string =>
    n === undefined ? 'absent' : JSON.stringify({ data: n.data, ...n.stat }, big);

  /** The end-of-run checks over the audited trees. */
  const checkAudit = (trees: Array<{ m: Member; tree: Map<string, AuditNode> }>): void => {
    const [first, ...rest] = trees;
    if (first === undefined) return;
    // /zookeeper/config is written locally by each member at start (ZooKeeper's
    // initConfigInZKDatabase, with the local time): only its data must agree.
    const local = (p: string): boolean => p === '/zookeeper' || p.startsWith('/zookeeper/');
    const same = (p: string, a: AuditNode | undefined, b: AuditNode | undefined): boolean =>
      local(p) && a !== undefined && b !== undefined ? a.data === b.data : describeNode(a) === describeNode(b);
    for (const { m, tree } of rest) {
      const paths = new Set([...first.tree.keys(), ...tree.keys()]);
      for (const p of [...paths].sort()) {
        const a = first.tree.get(p);
        const b = tree.get(p);
        if (!same(p, a, b)) {
          fail(`replicas differ at ${p}: s${first.m.sid} has ${describeNode(a)}, s${m.sid} has ${describeNode(b)}`);
          return;
        }
      }
    }
    const tree = first.tree;
    const alive = new Set<bigint>();
    for (const c of clients) if (c.session !== null) alive.add(c.session.id);
    const dead = new Set<bigint>();
    for (const c of clients) for (const s of c.sessions) if (!alive.has(s)) dead.add(s);
    // every path a client wrote: its final state is one its writes allow (acknowledged writes kept)
    for (const pm of world.paths.values()) {
      const owner = clients[pm.client - 1]!;
      const f = fold(pm, owner.deathsView(), { dead });
      if (f.violation !== undefined) {
        fail(f.violation);
        return;
      }
      const n = tree.get(pm.path);
      const obs = n === undefined
        ? { exists: false }
        : { exists: true, data: n.data, version: n.stat.version, owner: n.stat.ephemeralOwner, mzxid: n.stat.mzxid };
      if (!f.states.some((s) => matches(s, obs))) {
        const acked = pm.entries.filter((e) => e.status === 'acked').slice(-3).map((e) => `${e.kind}@${hex(e.zxid!)}`).join(', ');
        fail(`after the liveness phase ${pm.path} is ${describeNode(n)} on every member, but c${pm.client}'s writes allow only ${describeStates(f.states)} (last acknowledged: ${acked})`);
        return;
      }
    }
    // every node is explained; no ephemeral of a dead session survives
    const seqUsed = new Set<Entry>();
    for (const [p, n] of tree) {
      const owner = n.stat.ephemeralOwner;
      if (owner !== 0n && !alive.has(owner)) {
        fail(`ephemeral ${p} of session ${hex(owner)} survives, but that session ${dead.has(owner) ? 'expired or was closed' : 'is unknown'}`);
        return;
      }
      if (p === '/' || p === '/zookeeper' || p.startsWith('/zookeeper/') || world.paths.has(p)) continue;
      const parent = parentOf(p);
      const cand = (world.childOps.get(parent) ?? []).find((e) => e.sequential && e.status !== 'acked' && e.status !== 'failed' && e.data === n.data && !seqUsed.has(e));
      if (cand === undefined) {
        fail(`node ${p} (${describeNode(n)}) was never created by a client`);
        return;
      }
      seqUsed.add(cand);
    }
  };

  // ---- the run ----
  const stats: Record<string, number> = {};
  let livenessAt = -1;
  try {
    // Let the ensemble form before the faults start (clients may connect meanwhile).
    await run(() => leader() !== undefined, 30_000);
    const end = clock.now() + faultMs;
    let nextProbe = clock.now() + 1_000;
    while (clock.now() < end && failure === null) {
      await fault();
      stepClients();
      if (clock.now() >= nextProbe) {
        probeAll();
        nextProbe += 1_000;
      }
      await advance(faultRng.int(5, 100));
    }

    // ---- liveness phase ----
    if (failure === null) {
      livenessAt = clock.now();
      note('liveness phase');
      blocks.length = 0;
      network.heal();
      network.setLatency(0);
      for (const m of members) m.slowDiskMs = 0;
      for (const sid of [...down.keys()]) await restart(members[sid - 1]!);
      const deadline = clock.now() + livenessMs;
      const converged = (): boolean => {
        const rs = running();
        return rs.length === members.length && rs.filter((m) => m.server!.mode === 'leader').length === 1 &&
          rs.every((m) => m.server!.mode !== 'looking');
      };
      if (!(await runClientsUntil(converged, deadline - clock.now()))) {
        if (failure === null) fail(`the ensemble did not converge within ${livenessMs} ms: ${running().map((m) => `s${m.sid}=${m.server!.mode}`).join(' ')}`);
      }
      // every client finishes a write
      if (failure === null && !(await runClientsUntil(() => clients.every((c) => c.lastAckedWriteAt >= livenessAt), Math.max(10_000, deadline - clock.now())))) {
        if (failure === null) {
          const stuck = clients.filter((c) => c.lastAckedWriteAt < livenessAt).map((c) => `c${c.id}${c.connected ? ` on ${c.currentServer}` : ' (not connected)'}`);
          fail(`clients could not finish a write in the liveness phase: ${stuck.join(', ')}; modes ${running().map((m) => `s${m.sid}=${m.server!.mode}`).join(' ')}`);
        }
      }
      // quiesce, then let every abandoned session expire
      if (failure === null) {
        for (const c of clients) c.workload = false;
        if (!(await runClientsUntil(() => clients.every((c) => c.inFlight === 0), 30_000)) && failure === null) {
          fail('client requests still unanswered 30 s after the workload stopped');
        }
      }
      if (failure === null) {
        await runClientsUntil(() => false, 2 * MAX_SESSION_TIMEOUT + 2_000);
        if (failure === null && !converged()) fail('the ensemble lost its leader in the quiet phase');
      }
      if (failure === null) {
        if (!clients.every((c) => c.connected && c.session !== null)) {
          fail(`clients not connected at the end: ${clients.filter((c) => !c.connected).map((c) => `c${c.id}`).join(', ')}`);
        }
      }
      // The leader-per-epoch check reads the members' 'ensemble role' log records: make sure it saw them.
      if (failure === null && elections === 0) fail("no 'ensemble role' record with role leader was logged: the one-leader-per-epoch check is blind");
      // audit every member's tree, then the digests
      if (failure === null) {
        const trees: Array<{ m: Member; tree: Map<string, AuditNode> }> = [];
        for (const m of members) trees.push({ m, tree: await audit(m) });
        stats['auditNodes'] = trees[0]?.tree.size ?? 0;
        if (failure === null) checkAudit(trees);
      }
      if (failure === null) {
        const hashes: string[] = [];
        for (const m of members) {
          const text = await runFor(new Promise<string | null>((resolve) => fourLetterWord(m, 'hash', resolve)), 10_000, `hash from s${m.sid}`);
          const h = recordHash(m, text);
          if (h === null) fail(`s${m.sid} answered hash with ${JSON.stringify(text)}`);
          else hashes.push(`${hex(h.zxid)}: ${h.digest}`);
        }
        if (failure === null && new Set(hashes).size !== 1) fail(`hash differs between members at the end: ${hashes.join(' / ')}`);
      }
    }
  } catch (err) {
    if (err instanceof Failed) fail(err.message);
    else fail(`exception: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    for (const c of clients) c.workload = false;
    for (const m of members) {
      const s = m.server;
      m.server = null;
      m.incarnation++;
      if (s !== null) void s.stop().catch(() => undefined);
    }
    await clock.runUntil(() => livelocked(), 1_000).catch(() => undefined);
  }

  for (const c of clients) for (const [k, v] of Object.entries(c.stats)) stats[k] = (stats[k] ?? 0) + v;
  stats['probes'] = probes;
  stats['spuriousExpiries'] = spurious;
  stats['snapshots'] = snapshots;
  for (const [k, v] of Object.entries(syncs)) stats[`sync${k}`] = v;
  let fp = 0x811c9dc5;
  const mixIn = (str: string): void => {
    for (let i = 0; i < str.length; i++) fp = Math.imul(fp ^ str.charCodeAt(i), 0x01000193) >>> 0;
  };
  for (const line of trace) mixIn(line);
  for (const pm of world.paths.values()) for (const e of pm.entries) mixIn(`${e.seq}|${e.kind}|${e.path}|${e.status}|${e.zxid ?? ''}|${e.err ?? ''}`);
  mixIn(JSON.stringify(stats));
  stats['paths'] = world.paths.size;
  return {
    seed: options.seed,
    ok: failure === null,
    ...(failure !== null ? { failure } : {}),
    servers: participants,
    observers,
    clients: nClients,
    snapCount,
    faults,
    stats,
    elections,
    virtualMs: clock.now(),
    fingerprint: fp.toString(16).padStart(8, '0'),
    trace,
  };
}

