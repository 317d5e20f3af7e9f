/**
 * One seeded simulation: N quorum peers plus a client workload in one
 * process, on virtual time, the in-memory transport and the in-memory storage.
 * The seed picks the configuration, the fault mix and every fault. A safety
 * phase (faults + workload, checkers after every step) is followed by a
 * liveness phase (faults stop; the ensemble must converge in bounded virtual time).
 */
import { OPEN_ACL_UNSAFE } from '@zk/datatree';
import { encodeTxnEntry, type TxnEntry } from '@zk/protocol';
import { createQuorumPeer, VirtualClock, type QuorumPeer, type ServerSpec } from '@zk/quorum';
import { memoryStorage, type MemoryStorage } from '@zk/storage';
import { memoryNetwork, type MemoryNetwork } from '@zk/transport-memory';
import { TreeMachine, type MachineObserver } from './machine.js';
import { Prng } from './prng.js';

export interface SimOptions {
  readonly seed: number;
  /** Participants (3 or 5); default: chosen by the seed. */
  readonly servers?: number;
  /** Observers; default: chosen by the seed (0 or 1). */
  readonly observers?: number;
  /** Virtual ms of the fault phase (default 20 000). */
  readonly faultMs?: number;
  /** Virtual ms the liveness phase may take (default 120 000). */
  readonly livenessMs?: number;
  /** Force fault kinds on/off and the intensity instead of letting the seed choose (experiments). */
  readonly mix?: Partial<Record<'latency' | 'partition' | 'oneWay' | 'reset' | 'crash' | 'slowDisk' | 'forward' | 'targetLeader' | 'powerLoss', boolean>>;
  readonly intensity?: number;
  /** Keep a trace of events (printed on failure). */
  readonly trace?: boolean;
}

export interface SimResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly failure?: string;
  readonly servers: number;
  readonly observers: number;
  readonly faults: Record<string, number>;
  readonly proposed: number;
  readonly acked: number;
  readonly committed: number;
  readonly elections: number;
  readonly virtualMs: number;
  readonly trace: string[];
}

class SimFailure extends Error {
  override readonly name = 'SimFailure';
}

interface Server {
  spec: ServerSpec;
  storage: MemoryStorage;
  machine: TreeMachine;
  peer: QuorumPeer | null;
  /** Index into history of the last txn this server's state machine holds (-1: empty). */
  pos: number;
  slowDiskMs: number;
}

const TICK_MS = 50;
const hex = (z: bigint): string => `0x${z.toString(16)}`;
const keyOf = (b: Uint8Array): string => Buffer.from(b).toString('base64');

export async function runSimulation(options: SimOptions): Promise<SimResult> {
  const rng = new Prng(options.seed);
  const faultRng = rng.fork();
  const workRng = rng.fork();
  const crashRng = rng.fork();
  const participants = options.servers ?? (rng.chance(0.5) ? 3 : 5);
  const observers = options.observers ?? (rng.chance(0.3) ? 1 : 0);
  const faultMs = options.faultMs ?? 20_000;
  const livenessMs = options.livenessMs ?? 120_000;
  // The seed's fault mix ("swarm testing"): each kind on or off, with its own rate.
  // One seed in four is a durability run: power losses on slow disks, hard.
  const durability = rng.chance(0.25);
  const swarm = {
    latency: rng.chance(0.6),
    partition: rng.chance(0.6),
    oneWay: rng.chance(0.4),
    reset: rng.chance(0.5),
    crash: rng.chance(0.6),
    slowDisk: rng.chance(0.5),
    forward: rng.chance(0.5),
    targetLeader: rng.chance(0.5),
    powerLoss: rng.chance(0.4),
  };
  const mix = {
    ...swarm,
    ...(durability ? { powerLoss: true, slowDisk: true, partition: false, oneWay: false, reset: false } : {}),
    ...options.mix,
  };
  /** How hard this seed hits: scales every fault rate. */
  const seededIntensity = durability ? 4 : rng.pick([0.5, 1, 2, 4]);
  const intensity = options.intensity ?? seededIntensity;
  const often = (p: number): boolean => faultRng.chance(Math.min(1, p * intensity));

  const clock = new VirtualClock();
  const network: MemoryNetwork = memoryNetwork({ scheduler: clock });
  const trace: string[] = [];
  const faults: Record<string, number> = {};
  const note = (s: string): void => {
    if (options.trace !== false) trace.push(`${String(clock.now()).padStart(7)} ${s}`);
    if (trace.length > 4000) trace.splice(0, 1000);
  };
  const count = (k: string): void => {
    faults[k] = (faults[k] ?? 0) + 1;
  };

  // ---- global history and checkers ----
  const history: { zxid: bigint; key: string }[] = [];
  const indexOf = new Map<bigint, number>();
  const digestAt = new Map<bigint, bigint>();
  const leaderOfEpoch = new Map<number, number>();
  const acked = new Map<bigint, string>();
  const proposedBy = new Map<string, number>(); // payload key -> proposing sid
  let failure: string | null = null;
  let elections = 0;
  let proposed = 0;
  let nextId = 1;
  const fail = (msg: string): void => {
    if (failure === null) {
      failure = `${msg} (at ${clock.now()} ms)`;
      note(`FAILURE ${msg}`);
    }
  };

  const servers = new Map<number, Server>();
  const observer: MachineObserver = {
    applied(sid, zxid, payload, err) {
      const s = servers.get(sid);
      if (s === undefined) return;
      const key = keyOf(payload);
      if (err !== 0) fail(`server ${sid} applied ${hex(zxid)} with error ${err} (the workload only generates valid txns)`);
      const next = s.pos + 1;
      if (next < history.length) {
        const h = history[next]!;
        if (h.zxid !== zxid || h.key !== key) {
          fail(`server ${sid} applied ${hex(zxid)} where the committed history has ${hex(h.zxid)}${h.zxid === zxid ? ' with a different payload' : ''}`);
        }
      } else {
        const last = history[history.length - 1];
        if (last !== undefined && zxid <= last.zxid) fail(`server ${sid} applied ${hex(zxid)} not after ${hex(last.zxid)}`);
        if (indexOf.has(zxid)) fail(`zxid ${hex(zxid)} committed twice`);
        history.push({ zxid, key });
        indexOf.set(zxid, history.length - 1);
      }
      s.pos = next;
      const d = s.machine.tree.digest();
      const want = digestAt.get(zxid);
      if (want === undefined) digestAt.set(zxid, d);
      else if (want !== d) fail(`server ${sid} has digest ${hex(d)} at ${hex(zxid)}, another server had ${hex(want)}`);
      const proposer = proposedBy.get(key);
      if (proposer === sid) {
        acked.set(zxid, key);
        proposedBy.delete(key);
      }
    },
    restored(sid, zxid) {
      const s = servers.get(sid);
      if (s === undefined) return;
      if (zxid === 0n) s.pos = -1;
      else {
        const i = indexOf.get(zxid);
        if (i === undefined) fail(`server ${sid} restored a snapshot at ${hex(zxid)}, which is not a committed zxid`);
        else s.pos = i;
      }
      note(`${sid} restored snapshot at ${hex(zxid)}`);
    },
  };

  const specs: ServerSpec[] = [];
  for (let i = 1; i <= participants + observers; i++) {
    specs.push({ sid: i, host: `s${i}`, quorumPort: 2888, electionPort: 3888, type: i > participants ? 'observer' : 'participant' });
  }
  const voters = specs.filter((s) => s.type === 'participant').map((s) => s.sid);
  const majority = Math.floor(voters.length / 2) + 1;

  const slowDelay = (s: Server) => (): Promise<void> =>
    s.slowDiskMs === 0 ? Promise.resolve() : new Promise<void>((resolve) => clock.setTimeout(resolve, s.slowDiskMs));

  const launch = async (s: Server): Promise<void> => {
    s.machine = new TreeMachine(s.spec.sid, observer);
    s.pos = -1;
    const peer = createQuorumPeer({
      sid: s.spec.sid,
      servers: specs,
      transport: network.transport({ host: s.spec.host }),
      storage: s.storage,
      clock,
      stateMachine: s.machine,
      tickMs: TICK_MS,
      initLimit: 10,
      syncLimit: 5,
      commitLogCount: 50,
      electionTimingsMs: { maxNotificationMs: 2_000 },
      checkInvariants: true,
    });
    s.peer = peer;
    peer.onFatal((err) => fail(`server ${s.spec.sid} fatal: ${err.stack ?? err.message}`));
    peer.onStateChange((ch) => {
      note(`${s.spec.sid} ${ch.state} leader=${ch.leader} epoch=${ch.epoch} serving=${ch.serving}${ch.reason ? ` (${ch.reason})` : ''}`);
      if (ch.state === 'LEADING' && ch.serving) {
        elections++;
        const prev = leaderOfEpoch.get(ch.epoch);
        if (prev !== undefined && prev !== s.spec.sid) fail(`two leaders in epoch ${ch.epoch}: ${prev} and ${s.spec.sid}`);
        leaderOfEpoch.set(ch.epoch, s.spec.sid);
      }
    });
    peer.onRequest((from, payload) => {
      // A forwarded write: the leader proposes it as it is (the workload made it valid).
      const r = peer.propose(payload);
      if (r.ok) note(`${s.spec.sid} proposes forwarded ${hex(r.zxid)} from ${from}`);
    });
    await peer.start();
  };

  for (const spec of specs) {
    const s: Server = { spec, storage: await memoryStorage({ logger: { warn: (m) => note(`storage ${spec.sid}: ${m}`) } }), machine: new TreeMachine(spec.sid, observer), peer: null, pos: -1, slowDiskMs: 0 };
    s.storage.setSyncDelay(slowDelay(s));
    if (mix.slowDisk && (durability || rng.chance(0.5))) s.slowDiskMs = rng.int(1, 100);
    servers.set(spec.sid, s);
  }
  for (const s of servers.values()) await launch(s);

  // ---- workload: txns valid in any commit order it can observe ----
  // create /n<id> (unique, under the root); setData / delete only on nodes whose create was acked,
  // and nothing after a delete was proposed. So every committed txn applies without error.
  const createdAcked: string[] = [];
  const deleting = new Set<string>();
  const pathOf = new Map<string, string>(); // payload key of a create -> path
  const ackedSeen = new Set<bigint>();
  const txn = (e: Omit<TxnEntry, 'header'> & { type: number }, path: string): Uint8Array => {
    const entry = { header: { clientId: 1n, cxid: nextId, zxid: 0n, time: 1_700_000_000_000 + nextId, type: e.type }, txn: e.txn } as TxnEntry;
    nextId++;
    void path;
    return encodeTxnEntry(entry);
  };
  const makeWrite = (createOnly = false): Uint8Array => {
    const live = createdAcked.filter((p) => !deleting.has(p));
    const r = createOnly ? 1 : workRng.next();
    if (live.length > 0 && r < 0.25) {
      const p = workRng.pick(live);
      return txn({ type: 5, txn: { type: 5, txn: { path: p, data: new TextEncoder().encode(`v${nextId}`), version: -1 } } } as never, p);
    }
    if (live.length > 3 && r < 0.35) {
      const p = workRng.pick(live);
      deleting.add(p);
      return txn({ type: 2, txn: { type: 2, txn: { path: p } } } as never, p);
    }
    const p = `/n${nextId}`;
    const bytes = txn({ type: 1, txn: { type: 1, txn: { path: p, data: new TextEncoder().encode(`d${nextId}`), acl: [...OPEN_ACL_UNSAFE], ephemeral: false, parentCVersion: 0 } } } as never, p);
    pathOf.set(keyOf(bytes), p);
    return bytes;
  };
  const refreshAcked = (): void => {
    for (const [z, key] of acked) {
      if (ackedSeen.has(z)) continue;
      ackedSeen.add(z);
      const p = pathOf.get(key);
      if (p !== undefined) createdAcked.push(p);
    }
  };

  const running = (): Server[] => [...servers.values()].filter((s) => s.peer?.running === true);
  const servingLeader = (): Server | undefined => running().find((s) => s.peer!.state === 'LEADING' && s.peer!.serving);

  const workload = (): void => {
    refreshAcked();
    const l = servingLeader();
    if (l === undefined) return;
    const n = workRng.int(0, 3);
    for (let i = 0; i < n; i++) {
      // Forwarded writes may overtake or trail direct ones, so they are only creates of fresh paths.
      const viaForward = mix.forward && workRng.chance(0.3);
      const bytes = makeWrite(viaForward);
      if (viaForward) {
        const learners = running().filter((s) => s.peer!.serving && s !== l);
        if (learners.length === 0) continue;
        const f = workRng.pick(learners);
        if (f.peer!.forward(bytes)) {
          proposedBy.set(keyOf(bytes), l.spec.sid);
          proposed++;
        }
        continue;
      }
      const r = l.peer!.propose(bytes);
      if (r.ok) {
        proposedBy.set(keyOf(bytes), l.spec.sid);
        proposed++;
      }
    }
  };

  // ---- checkers run after every step ----
  const check = (): void => {
    for (const s of running()) {
      if (s.spec.type === 'observer' && s.peer!.state === 'LEADING') fail(`observer ${s.spec.sid} leads`);
    }
    // Every acked write is in the one history.
    for (const [z, key] of acked) {
      const i = indexOf.get(z);
      if (i === undefined || history[i]!.key !== key) fail(`acked write ${hex(z)} missing from the history`);
    }
  };

  // ---- faults ----
  const down = new Map<number, number>(); // sid -> restart time
  const partitions: { a: string; b: string; until: number }[] = [];
  const fault = async (): Promise<void> => {
    const now = clock.now();
    // restarts due
    for (const [sid, at] of [...down]) {
      if (at <= now) {
        down.delete(sid);
        const s = servers.get(sid)!;
        note(`restart ${sid}`);
        await launch(s);
      }
    }
    // heals due
    for (let i = partitions.length - 1; i >= 0; i--) {
      const p = partitions[i]!;
      if (p.until <= now) {
        partitions.splice(i, 1);
        network.heal(p.a, p.b);
        network.heal(p.b, p.a);
        note(`heal ${p.a}-${p.b}`);
      }
    }
    const hosts = specs.map((s) => s.host);
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
      network.partition(a, b, { mode: 'blackhole', oneWay });
      partitions.push({ a, b, until: now + faultRng.int(200, 5_000) });
      count(oneWay ? 'partition-one-way' : 'partition');
      note(`partition ${a}${oneWay ? '->' : '<->'}${b}`);
    }
    if (mix.partition && often(0.01)) {
      // isolate one server from everyone (often the leader)
      const l = servingLeader();
      const a = mix.targetLeader && l !== undefined && faultRng.chance(0.5) ? l.spec.host : faultRng.pick(hosts);
      const until = now + faultRng.int(500, 6_000);
      for (const b of hosts) if (b !== a) {
        network.partition(a, b);
        partitions.push({ a, b, until });
      }
      count('isolate');
      note(`isolate ${a}`);
    }
    if (mix.reset && often(0.03)) {
      const a = faultRng.pick(hosts);
      const b = faultRng.pick(hosts.filter((h) => h !== a));
      // reset mode drops the connections between the two; heal right away so only the drop remains
      network.partition(a, b, { mode: 'reset' });
      network.heal(a, b);
      for (const p of partitions) if ((p.a === a && p.b === b) || (p.a === b && p.b === a)) network.partition(p.a, p.b);
      count('connection-drop');
      note(`drop connections ${a}-${b}`);
    }
    if (mix.slowDisk && often(0.02)) {
      const s = faultRng.pick([...servers.values()]);
      s.slowDiskMs = faultRng.chance(0.5) ? 0 : faultRng.int(1, 200);
      count('slow-disk');
      note(`disk of ${s.spec.sid} takes ${s.slowDiskMs} ms`);
    }
    if (mix.powerLoss && often(0.01)) await powerLoss();
    if (mix.crash && often(0.02)) {
      // Keep a quorum of voters up most of the time; any crash only loses unsynced writes, so it is recoverable.
      const upVoters = running().filter((s) => s.spec.type === 'participant').length;
      const candidates = running().filter((s) => s.spec.type === 'observer' || upVoters - 1 >= majority || faultRng.chance(0.2));
      if (candidates.length > 0) {
        const l = servingLeader();
        const s = mix.targetLeader && l !== undefined && candidates.includes(l) && faultRng.chance(0.5) ? l : faultRng.pick(candidates);
        await crash(s, now + faultRng.int(100, 8_000));
      }
    }
  };

  const powerLoss = async (): Promise<void> => {
    // Several servers lose power at the same instant (unsynced writes gone on all of them).
    const up = running();
    if (up.length < 2) return;
    const k = faultRng.int(2, up.length);
    const victims: Server[] = [];
    const pool = [...up];
    for (let i = 0; i < k; i++) victims.push(pool.splice(faultRng.int(0, pool.length - 1), 1)[0]!);
    const at = clock.now() + faultRng.int(100, 3_000);
    count('power-loss');
    note(`power loss on ${victims.map((v) => v.spec.sid).join(',')}`);
    for (const v of victims) await crash(v, at);
  };

  const crash = async (s: Server, restartAt: number): Promise<void> => {
    const peer = s.peer!;
    s.peer = null;
    await peer.stop();
    const keep = crashRng.int(0, 3);
    s.storage = s.storage.crash({ keepUnsynced: keep, tearLastUnsynced: crashRng.chance(0.3), rng: () => crashRng.next() });
    s.storage.setSyncDelay(slowDelay(s));
    down.set(s.spec.sid, restartAt);
    count('crash');
    note(`crash ${s.spec.sid} (keep ${keep} unsynced), restart at ${restartAt}`);
  };

  // ---- livelock guard: callbacks at one virtual instant (deterministic; in real time a busy loop) ----
  let stallAt = -1;
  let stallFrom = 0;
  const livelocked = (): boolean => {
    if (clock.now() !== stallAt) {
      stallAt = clock.now();
      stallFrom = clock.callbacksRun;
      return false;
    }
    return clock.callbacksRun - stallFrom > 100_000;
  };
  const guarded = async (done: () => boolean, ms: number): Promise<void> => {
    await clock.runUntil(() => done() || livelocked(), ms);
    if (livelocked()) {
      fail(`livelock: 100000 callbacks at ${clock.now()} ms without virtual time moving on`);
      throw new Error(failure!);
    }
  };

  // ---- safety phase ----
  const end = clock.now() + faultMs;
  try {
    while (clock.now() < end && failure === null) {
      await fault();
      workload();
      await guarded(() => false, faultRng.int(5, 100));
      check();
    }

    // ---- liveness phase: faults stop, everything heals and restarts ----
    if (failure === null) {
      note('liveness phase');
      network.heal();
      network.setLatency(0);
      partitions.length = 0;
      for (const s of servers.values()) s.slowDiskMs = 0;
      for (const sid of [...down.keys()]) {
        down.delete(sid);
        await launch(servers.get(sid)!);
      }
      const deadline = clock.now() + livenessMs;
      let barrier: bigint | null = null;
      const converged = (): boolean => {
        if (failure !== null) return true;
        const l = servingLeader();
        if (l === undefined) return false;
        if (!running().every((s) => s === l || (s.peer!.serving && s.peer!.leaderId === l.spec.sid))) return false;
        if (barrier === null) {
          const r = l.peer!.propose(makeWrite());
          if (r.ok) barrier = r.zxid;
          return false;
        }
        return running().every((s) => s.machine.lastZxid >= barrier!) && running().every((s) => s.machine.lastZxid === l.machine.lastZxid);
      };
      while (!converged() && clock.now() < deadline) {
        await guarded(converged, Math.min(1_000, deadline - clock.now()));
        // A leader that changed before the barrier committed: propose a fresh one.
        if (barrier !== null && servingLeader() === undefined) barrier = null;
      }
      check();
      if (failure === null && !converged()) {
        fail(`no convergence within ${livenessMs} ms of the liveness phase: ${JSON.stringify(running().map((s) => s.peer!.status()), (_, v) => (typeof v === 'bigint' ? hex(v) : v))}`);
      }
      if (failure === null) {
        const digests = new Set(running().map((s) => s.machine.tree.digest()));
        if (digests.size !== 1) fail(`digests differ after convergence: ${[...digests].map(hex).join(' ')}`);
        if (running().length !== specs.length) fail('not every server is running after the liveness phase');
        const maxAcked = [...acked.keys()].reduce((a, b) => (a > b ? a : b), 0n);
        for (const s of running()) {
          if (s.machine.lastZxid < maxAcked) fail(`server ${s.spec.sid} ends at ${hex(s.machine.lastZxid)} below acked ${hex(maxAcked)}`);
        }
      }
    }
  } catch (err) {
    fail(`exception: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    for (const s of servers.values()) await s.peer?.stop();
  }

  return {
    seed: options.seed,
    ok: failure === null,
    ...(failure !== null ? { failure } : {}),
    servers: participants,
    observers,
    faults,
    proposed,
    acked: acked.size,
    committed: history.length,
    elections,
    virtualMs: clock.now(),
    trace,
  };
}
