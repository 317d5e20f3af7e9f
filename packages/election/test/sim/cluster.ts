/**
 * A deterministic in-process ensemble for randomized tests: N election state
 * machines, a lossy / duplicating / reordering / delaying network driven by a
 * seeded PRNG, logical time, and a "ZAB-lite" that plays the part of the
 * layer above election (establishing a leader with a quorum of followers,
 * giving up after initLimit / syncLimit, syncing followers, writing
 * transactions). Everything is test code: nothing here is exported by the
 * package.
 */
import { epochOf, formatZxid, makeZxid, type Zxid } from '@zk/zxid';
import { expect } from 'vitest';
import {
  Election,
  formatEnvelope,
  majorityQuorum,
  type Decision,
  type ElectionTimings,
  type Envelope,
  type QuorumVerifier,
} from '../../src/index.js';
import { Prng } from './prng.js';

export interface NetFaults {
  readonly dropRate: number;
  readonly dupRate: number;
  readonly minDelay: number;
  readonly maxDelay: number;
}

export const CALM: NetFaults = { dropRate: 0, dupRate: 0, minDelay: 0, maxDelay: 1 };

export interface ServerData {
  zxid: Zxid;
  epoch: number;
}

export interface SimOptions {
  readonly seed: number;
  readonly voters: readonly number[];
  readonly observers?: readonly number[];
  readonly quorum?: QuorumVerifier;
  readonly timings?: ElectionTimings;
  readonly faults?: NetFaults;
  readonly initLimitTicks?: number;
  readonly syncLimitTicks?: number;
  /** Per-tick probability that an established leader writes a transaction. */
  readonly writeRate?: number;
}

interface Node {
  readonly id: number;
  readonly observer: boolean;
  alive: boolean;
  election: Election | undefined;
  data: ServerData;
  decidedAt: number;
  /** Synced into the ensemble of an established leader. */
  member: boolean;
  /** For a leader: the epoch it established, if any. */
  establishedEpoch: number | undefined;
  lostTicks: number;
  /** Followers that missed a write and must catch up. */
  lagging: boolean;
  /** For a learner: the epoch of the leader it synced with. */
  syncedEpoch: number | undefined;
}

interface InFlight {
  readonly at: number;
  readonly seq: number;
  readonly env: Envelope;
}

export interface Establishment {
  readonly time: number;
  readonly leader: number;
  readonly epoch: number;
  readonly leaderZxid: Zxid;
  readonly committedBefore: Zxid;
}

export class SimFailure extends Error {
  override readonly name = 'SimFailure';
}

export class SimCluster {
  readonly rng: Prng;
  readonly quorum: QuorumVerifier;
  readonly timings: ElectionTimings;
  faults: NetFaults;
  readonly initLimit: number;
  readonly syncLimit: number;
  readonly writeRate: number;

  time = 0;
  readonly nodes = new Map<number, Node>();
  readonly trace: string[] = [];
  readonly establishments: Establishment[] = [];
  readonly decisions: Array<{ readonly time: number; readonly id: number; readonly decision: Decision }> = [];
  /** Highest zxid acknowledged by a quorum. */
  committed: Zxid = 0n;
  messagesSent = 0;

  private inflight: InFlight[] = [];
  private seq = 0;
  private groups: ReadonlyArray<ReadonlySet<number>> | undefined;

  constructor(readonly opts: SimOptions) {
    this.rng = new Prng(opts.seed);
    this.quorum = opts.quorum ?? majorityQuorum(opts.voters);
    this.timings = opts.timings ?? { finalizeWaitTicks: 2, minNotificationTicks: 2, maxNotificationTicks: 16 };
    this.faults = opts.faults ?? CALM;
    this.initLimit = opts.initLimitTicks ?? 20;
    this.syncLimit = opts.syncLimitTicks ?? 10;
    this.writeRate = opts.writeRate ?? 0.3;
    for (const id of opts.voters) this.addNode(id, false);
    for (const id of opts.observers ?? []) this.addNode(id, true);
  }

  private addNode(id: number, observer: boolean): void {
    this.nodes.set(id, {
      id,
      observer,
      alive: false,
      election: undefined,
      data: { zxid: 0n, epoch: 0 },
      decidedAt: 0,
      member: false,
      establishedEpoch: undefined,
      lostTicks: 0,
      lagging: false,
      syncedEpoch: undefined,
    });
  }

  node(id: number): Node {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no server ${id}`);
    return n;
  }

  log(line: string): void {
    this.trace.push(`t=${this.time} ${line}`);
  }

  // ------------------------------------------------------------ lifecycle

  setData(id: number, data: ServerData): void {
    this.node(id).data = { ...data };
  }

  /** Boots a process (fresh election state machine, clock 0) and starts a round. */
  boot(id: number): void {
    const n = this.node(id);
    if (n.alive) throw new Error(`server ${id} already running`);
    n.alive = true;
    n.member = false;
    n.establishedEpoch = undefined;
    n.lostTicks = 0;
    n.lagging = false;
    n.election = new Election({
      myId: id,
      quorum: this.quorum,
      lastZxid: n.data.zxid,
      currentEpoch: n.data.epoch,
      observer: n.observer,
      ...this.timings,
    });
    this.log(`${id} boot zxid=${formatZxid(n.data.zxid)} epoch=${n.data.epoch}`);
    n.election.start();
    this.flush(n);
  }

  crash(id: number): void {
    const n = this.node(id);
    n.alive = false;
    n.election = undefined;
    n.member = false;
    n.establishedEpoch = undefined;
    this.log(`${id} crash`);
  }

  /** Splits the network; servers in different groups cannot talk. `undefined` heals. */
  partition(groups: ReadonlyArray<readonly number[]> | undefined): void {
    this.groups = groups?.map((g) => new Set(g));
    this.log(groups === undefined ? 'heal' : `partition ${groups.map((g) => g.join(',')).join(' | ')}`);
  }

  connected(a: number, b: number): boolean {
    if (this.groups === undefined) return true;
    return this.groups.some((g) => g.has(a) && g.has(b));
  }

  // ------------------------------------------------------------ the loop

  /** One unit of time: deliver what is due, tick everyone, run ZAB-lite, check. */
  step(): void {
    this.time++;
    const due: InFlight[] = [];
    const later: InFlight[] = [];
    for (const m of this.inflight) (m.at <= this.time ? due : later).push(m);
    this.inflight = later;
    due.sort((a, b) => a.seq - b.seq);
    this.rng.shuffle(due);
    for (const m of due) this.deliver(m.env);

    for (const n of this.nodes.values()) {
      if (!n.alive || n.election === undefined) continue;
      n.election.tick();
      this.flush(n);
    }
    this.zabLite();
    this.check();
  }

  run(ticks: number): void {
    for (let i = 0; i < ticks; i++) this.step();
  }

  /** Steps until `pred` holds; returns the ticks taken, or throws after `maxTicks`. */
  runUntil(pred: () => boolean, maxTicks: number, what: string): number {
    for (let i = 0; i < maxTicks; i++) {
      if (pred()) return i;
      this.step();
    }
    if (pred()) return maxTicks;
    throw new SimFailure(`${what}: not reached within ${maxTicks} ticks`);
  }

  private deliver(env: Envelope): void {
    const n = this.nodes.get(env.to);
    if (n === undefined || !n.alive || n.election === undefined) return;
    if (!this.connected(env.from, env.to)) return;
    n.election.step(env.from, env.msg);
    this.flush(n);
  }

  private flush(n: Node): void {
    const e = n.election;
    if (e === undefined) return;
    while (e.hasReady()) {
      const rd = e.ready();
      for (const env of rd.messages) this.send(env);
      if (rd.decided !== undefined) {
        const d = rd.decided;
        this.decisions.push({ time: this.time, id: n.id, decision: d });
        n.decidedAt = this.time;
        n.member = false;
        n.syncedEpoch = undefined;
        n.lostTicks = 0;
        n.establishedEpoch = undefined;
        this.log(
          `${n.id} DECIDED ${d.state} leader=${d.leader} zxid=${formatZxid(d.vote.zxid)} ` +
            `epoch=${d.vote.electionEpoch} peerEpoch=${d.vote.peerEpoch} voteSet={${d.voteSet.join(',')}}`,
        );
      }
      e.advance();
    }
  }

  private send(env: Envelope): void {
    this.messagesSent++;
    if (!this.connected(env.from, env.to)) return;
    const f = this.faults;
    if (this.rng.chance(f.dropRate)) {
      this.log(`drop ${formatEnvelope(env)}`);
      return;
    }
    const copies = this.rng.chance(f.dupRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.inflight.push({ at: this.time + this.rng.int(f.minDelay, f.maxDelay), seq: this.seq++, env });
    }
  }

  // ------------------------------------------------------------ ZAB-lite

  private restart(n: Node, why: string): void {
    const e = n.election;
    if (e === undefined) return;
    this.log(`${n.id} back to LOOKING (${why})`);
    n.member = false;
    n.establishedEpoch = undefined;
    n.syncedEpoch = undefined;
    n.lostTicks = 0;
    n.lagging = false;
    e.start({ lastZxid: n.data.zxid, currentEpoch: n.data.epoch });
    this.flush(n);
  }

  /** Live servers that follow / observe `leader` and can reach it (plus the leader). */
  ensembleOf(leader: Node): Node[] {
    const out: Node[] = [leader];
    for (const n of this.nodes.values()) {
      if (n === leader || !n.alive || n.election === undefined) continue;
      const s = n.election.state;
      if ((s === 'FOLLOWING' || s === 'OBSERVING') && n.election.currentVote().leader === leader.id &&
          this.connected(n.id, leader.id) && (!n.member || n.syncedEpoch === leader.establishedEpoch)) {
        out.push(n);
      }
    }
    return out;
  }

  private hasQuorum(members: readonly Node[]): boolean {
    return this.quorum.isQuorum(new Set(members.filter((m) => !m.observer).map((m) => m.id)));
  }

  private zabLite(): void {
    // Leaders first: establish, keep, or give up.
    for (const l of this.nodes.values()) {
      if (!l.alive || l.election?.state !== 'LEADING') continue;
      const ens = this.ensembleOf(l);
      if (l.establishedEpoch === undefined) {
        if (this.hasQuorum(ens)) this.establish(l, ens);
        else if (this.time - l.decidedAt > this.initLimit) this.restart(l, 'no quorum of followers within initLimit');
        continue;
      }
      if (this.hasQuorum(ens)) {
        l.lostTicks = 0;
        if (this.rng.chance(this.writeRate)) this.write(l, ens);
      } else if (++l.lostTicks > this.syncLimit) {
        this.restart(l, 'lost its quorum');
      }
    }
    // Then learners.
    for (const f of this.nodes.values()) {
      const e = f.election;
      if (!f.alive || e === undefined || (e.state !== 'FOLLOWING' && e.state !== 'OBSERVING')) continue;
      const l = this.nodes.get(e.currentVote().leader);
      const ok = l !== undefined && l.alive && l.election?.state === 'LEADING' &&
        l.establishedEpoch !== undefined && this.connected(f.id, l.id) &&
        (!f.member || f.syncedEpoch === l.establishedEpoch);
      if (ok) {
        f.lostTicks = 0;
        // A lagging follower catches up only now and then, so a crash can
        // leave the survivors with different logs.
        if (!f.member || (f.lagging && this.rng.chance(0.2))) this.sync(f, l);
      } else if (f.member) {
        if (++f.lostTicks > this.syncLimit) this.restart(f, 'lost the leader');
      } else if (this.time - f.decidedAt > this.initLimit) {
        this.restart(f, 'leader not established within initLimit');
      }
    }
  }

  private establish(l: Node, ens: readonly Node[]): void {
    let epoch = l.data.epoch;
    for (const m of ens) if (!m.observer) epoch = Math.max(epoch, m.data.epoch);
    epoch += 1;
    const rec: Establishment = {
      time: this.time,
      leader: l.id,
      epoch,
      leaderZxid: l.data.zxid,
      committedBefore: this.committed,
    };
    const prev = this.establishments.at(-1);
    if (prev !== undefined && prev.epoch >= epoch) {
      throw new SimFailure(`epoch ${epoch} established by ${l.id} after epoch ${prev.epoch}`);
    }
    // The safety property election exists for: a new leader has every committed txn.
    if (l.data.zxid < this.committed) {
      throw new SimFailure(
        `leader ${l.id} established with zxid ${formatZxid(l.data.zxid)} < committed ${formatZxid(this.committed)}`,
      );
    }
    this.establishments.push(rec);
    l.establishedEpoch = epoch;
    l.data = { zxid: l.data.zxid, epoch };
    l.member = true;
    l.election?.updatePeerEpoch(epoch);
    this.log(`${l.id} ESTABLISHED epoch=${epoch} zxid=${formatZxid(l.data.zxid)} with {${ens.map((m) => m.id).join(',')}}`);
    for (const m of ens) if (m !== l) this.sync(m, l);
  }

  private sync(f: Node, l: Node): void {
    f.data = { ...l.data };
    f.member = true;
    f.lagging = false;
    f.syncedEpoch = l.establishedEpoch;
    f.election?.updatePeerEpoch(l.data.epoch);
  }

  private write(l: Node, ens: readonly Node[]): void {
    const prev = l.data.zxid;
    const z = epochOf(prev) === l.data.epoch ? prev + 1n : makeZxid(l.data.epoch, 1);
    l.data.zxid = z;
    const acks = new Set<number>([l.id]);
    for (const m of ens) {
      if (m === l) continue;
      if (!m.lagging && m.data.zxid === prev && this.rng.chance(0.7)) {
        m.data.zxid = z;
        if (!m.observer) acks.add(m.id);
      } else {
        m.lagging = true;
      }
    }
    if (this.quorum.isQuorum(acks)) this.committed = z;
  }

  // ------------------------------------------------------------ checks

  private check(): void {
    for (const n of this.nodes.values()) if (n.alive) n.election?.invariants();
    const withQuorum = [...this.nodes.values()].filter(
      (n) => n.alive && n.establishedEpoch !== undefined && this.hasQuorum(this.ensembleOf(n)),
    );
    if (withQuorum.length > 1) {
      throw new SimFailure(`two established leaders with a quorum: ${withQuorum.map((n) => n.id).join(',')}`);
    }
  }

  /**
   * The leader every live server that can reach it is synced with, if the
   * ensemble has converged on one; `undefined` otherwise.
   */
  convergedLeader(scope: readonly number[] = [...this.nodes.keys()]): number | undefined {
    const live = scope.map((id) => this.node(id)).filter((n) => n.alive);
    const leaders = live.filter((n) => n.election?.state === 'LEADING' && n.establishedEpoch !== undefined);
    if (leaders.length !== 1) return undefined;
    const l = leaders[0] as Node;
    for (const n of live) {
      if (n === l) continue;
      const e = n.election;
      if (e === undefined || !n.member) return undefined;
      if (e.currentVote().leader !== l.id) return undefined;
      if (e.state !== (n.observer ? 'OBSERVING' : 'FOLLOWING')) return undefined;
    }
    return l.id;
  }

  /**
   * True when `leader`'s data ranks at or above the data of a quorum of
   * voters (by peerEpoch, zxid, sid), `data` being each voter's data at the
   * time of the election.
   */
  leaderTopsAQuorum(leader: number, data: ReadonlyMap<number, ServerData>): boolean {
    const ld = data.get(leader);
    if (ld === undefined) return false;
    const below = new Set<number>();
    for (const sid of this.quorum.voters()) {
      const d = data.get(sid);
      if (d !== undefined && rankOf(sid, d) <= rankOf(leader, ld)) below.add(sid);
    }
    return this.quorum.isQuorum(below);
  }

  snapshotData(): Map<number, ServerData> {
    return new Map([...this.nodes.values()].map((n) => [n.id, { ...n.data }]));
  }

  describe(): string {
    const rows = [...this.nodes.values()].map((n) => {
      const e = n.election;
      if (!n.alive || e === undefined) return `  ${n.id}: down`;
      const v = e.currentVote();
      return `  ${n.id}: ${e.state} clock=${e.logicalClock} leader=${v.leader} member=${n.member} ` +
        `zxid=${formatZxid(n.data.zxid)} epoch=${n.data.epoch}`;
    });
    return rows.join('\n');
  }

  /** A failure report: the seed, the cluster, and the end of the trace. */
  report(err: unknown, lines = 60): string {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return [
      `seed=${this.opts.seed} time=${this.time}: ${msg}`,
      this.describe(),
      '  trace (last lines):',
      ...this.trace.slice(-lines).map((l) => `    ${l}`),
    ].join('\n');
  }
}

/**
 * A server's rank for the checks, computed independently of the code under
 * test: epoch, then zxid, then sid, packed into one bigint.
 */
export function rankOf(sid: number, d: ServerData): bigint {
  return (BigInt(d.epoch) << 128n) | (d.zxid << 32n) | BigInt(sid);
}

/**
 * Random server data: currentEpoch 0..3 and a last zxid from that epoch or an
 * earlier one (a server that accepted a new epoch but logged nothing in it
 * yet), so peerEpoch and zxid order can disagree.
 */
export function randomData(rng: Prng): ServerData {
  const epoch = rng.int(0, 3);
  return { epoch, zxid: makeZxid(rng.int(Math.max(0, epoch - 1), epoch), rng.int(0, 5)) };
}

/** Random network faults for the chaotic phase of a run. */
export function randomFaults(rng: Prng): NetFaults {
  return {
    dropRate: rng.pick([0, 0.05, 0.2, 0.4]),
    dupRate: rng.pick([0, 0.05, 0.2]),
    minDelay: 0,
    maxDelay: rng.pick([0, 1, 3, 6]),
  };
}

let lastCluster: SimCluster | undefined;

/** Creates a cluster and remembers it so `forSeeds` can report its trace on failure. */
export function newCluster(opts: SimOptions): SimCluster {
  lastCluster = new SimCluster(opts);
  return lastCluster;
}

/**
 * Runs `body` for seeds [from, from + count), or only for $SEED when set. The
 * first failure is rethrown with the seed, the cluster state and the end of
 * the trace of the cluster the body created last (see `newCluster`).
 * Returns the number of seeds run.
 */
export function forSeeds(count: number, body: (seed: number) => void, from = 1): number {
  const only = process.env['SEED'];
  const seeds = only !== undefined && only !== '' ? [Number(only)] : Array.from({ length: count }, (_, i) => from + i);
  for (const seed of seeds) {
    lastCluster = undefined;
    try {
      body(seed);
    } catch (err) {
      const c = lastCluster as SimCluster | undefined;
      const report = c !== undefined && c.opts.seed === seed ? c.report(err) : `seed=${seed}: ${String(err)}`;
      const name = expect.getState().currentTestName ?? '<test name>';
      throw new SimFailure(`${report}\n  reproduce: SEED=${seed} npx vitest run -t ${JSON.stringify(name.split(' > ').at(-1))}`);
    }
  }
  return seeds.length;
}
