/**
 * A seeded randomized run of a whole ensemble (TigerBeetle VOPR in miniature):
 * random delivery order (delays), connection resets (a lost message on a TCP
 * link breaks the link; the driver never retransmits), partitions, crashes
 * that lose unpersisted writes, restarts, clock skew (servers tick
 * independently), forwarded requests, syncs and snapshots. Leader changes are
 * decided here, as FLE would: the server with the highest (currentEpoch,
 * lastZxid, sid) among a live quorum of LOOKING participants.
 *
 * A safety phase with faults is followed by a liveness phase without them,
 * which must converge to one leader with every server holding every
 * committed write.
 */
import type { ZabNode } from '../../src/index.js';
import { bytesOf, Cluster, textOf } from './cluster.js';
import { Prng } from './prng.js';

export interface SimConfig {
  readonly voters: number;
  readonly observers: number;
  readonly steps: number;
}

export interface SimResult {
  readonly seed: number;
  readonly commits: number;
  readonly elections: number;
  readonly crashes: number;
  readonly sent: ReadonlyMap<string, number>;
}

function better(a: ZabNode, b: ZabNode): boolean {
  const x = a.status();
  const y = b.status();
  if (x.currentEpoch !== y.currentEpoch) return x.currentEpoch > y.currentEpoch;
  if (x.lastZxid !== y.lastZxid) return x.lastZxid > y.lastZxid;
  return x.sid > y.sid;
}

export class Simulation {
  readonly rng: Prng;
  readonly cluster: Cluster;
  private readonly voters: number[];
  private readonly observers: number[];
  private writeNo = 0;
  private syncNo = 0;
  private readonly requests: { leader: number; payload: string }[] = [];
  elections = 0;
  crashes = 0;

  constructor(readonly seed: number, readonly cfg: SimConfig, trace = false) {
    this.rng = new Prng(seed);
    this.voters = Array.from({ length: cfg.voters }, (_, i) => i + 1);
    this.observers = Array.from({ length: cfg.observers }, (_, i) => cfg.voters + i + 1);
    this.cluster = new Cluster({
      voters: this.voters,
      observers: this.observers,
      initLimit: 10,
      syncLimit: 5,
      commitLogCount: this.rng.pick([2, 5, 500]),
      autoSnapshot: this.rng.chance(0.5),
      traceLimit: 400,
      trace,
    });
    this.cluster.onRequest = (leader, payload) => this.requests.push({ leader, payload: textOf(payload) });
  }

  private live(): number[] {
    return this.cluster.sids.filter((s) => this.cluster.server(s).alive);
  }

  private st(sid: number) {
    return this.cluster.node(sid).status();
  }

  private servingLeaders(): number[] {
    return this.live().filter((s) => this.cluster.node(s).isServing() && this.st(s).state === 'LEADING');
  }

  run(): SimResult {
    for (let i = 0; i < this.cfg.steps; i++) {
      this.chaosStep();
      if (this.rng.chance(0.3)) this.elect(false);
    }
    this.converge();
    return {
      seed: this.seed,
      commits: this.cluster.checker.committed.size,
      elections: this.elections,
      crashes: this.crashes,
      sent: this.cluster.checker.sent,
    };
  }

  private chaosStep(): void {
    const c = this.cluster;
    const r = this.rng.next() * 100;
    if (r < 40) {
      const busy = c.busyLinks();
      if (busy.length > 0) {
        const [a, b] = this.rng.pick(busy);
        c.deliver(a, b, 1 + this.rng.int(3));
      }
    } else if (r < 55) {
      const withPending = this.live().filter((s) => c.server(s).pending.length > 0);
      if (withPending.length > 0) {
        const sid = this.rng.pick(withPending);
        c.persist(sid, 1 + this.rng.int(c.server(sid).pending.length));
      }
    } else if (r < 63) {
      // Servers tick independently: clocks drift.
      for (const sid of this.live()) if (this.rng.chance(0.7)) c.tick([sid]);
    } else if (r < 73) {
      const leaders = this.servingLeaders();
      if (leaders.length > 0) {
        const sid = this.rng.pick(leaders);
        const n = 1 + this.rng.int(3);
        for (let i = 0; i < n; i++) c.propose(sid, `w${++this.writeNo}`);
      }
      this.drainRequests(1 + this.rng.int(3));
    } else if (r < 76) {
      const learners = this.live().filter((s) => this.cluster.node(s).isServing() && this.st(s).state !== 'LEADING');
      if (learners.length > 0) {
        const sid = this.rng.pick(learners);
        const p = `f${++this.writeNo}`;
        c.with(sid, (n) => n.forward(bytesOf(p)));
      }
    } else if (r < 78) {
      const serving = this.live().filter((s) => this.cluster.node(s).isServing());
      if (serving.length > 0) {
        const sid = this.rng.pick(serving);
        const id = ++this.syncNo;
        c.with(sid, (n) => n.sync(id));
      }
    } else if (r < 79) {
      const sid = this.rng.pick(this.live().length > 0 ? this.live() : c.sids);
      c.with(sid, (n) => n.setSessionTouches(bytesOf(`s${sid}`)));
    } else if (r < 82) {
      const all = c.sids;
      const a = this.rng.pick(all);
      const b = this.rng.pick(all);
      if (a !== b && c.server(a).alive && c.server(b).alive) c.drop(a, b);
    } else if (r < 83.5) {
      const live = this.live();
      if (live.length > 0) {
        const sid = this.rng.pick(live);
        this.crashes++;
        c.crash(sid, this.rng.int(c.server(sid).pending.length + 1));
      }
    } else if (r < 87) {
      const down = c.sids.filter((s) => !c.server(s).alive);
      if (down.length > 0) c.restart(this.rng.pick(down));
    } else if (r < 87.7) {
      if (c.cut.size === 0) {
        const all = c.sids;
        const side = this.rng.subset(all, 0.4);
        const rest = all.filter((s) => !side.includes(s));
        if (side.length > 0 && rest.length > 0) c.partition([side, rest]);
      }
    } else if (r < 89.5) {
      if (c.cut.size > 0) c.heal();
    } else if (r < 91) {
      c.answerSnapshots();
    } else if (r < 92) {
      const live = this.live();
      if (live.length > 0) c.localSnapshot(this.rng.pick(live));
    } else {
      const busy = c.busyLinks();
      if (busy.length > 0) {
        const [a, b] = this.rng.pick(busy);
        c.deliver(a, b);
      }
    }
  }

  private drainRequests(max: number): void {
    for (let i = 0; i < max && this.requests.length > 0; i++) {
      const { leader, payload } = this.requests.shift()!;
      const s = this.cluster.server(leader);
      if (s.alive && this.st(leader).state === 'LEADING') this.cluster.propose(leader, payload);
    }
  }

  /**
   * FLE's outcome, decided by the test: LOOKING servers join a reachable
   * established leader; otherwise a quorum of mutually reachable LOOKING
   * participants elects its best member.
   */
  private elect(deterministic: boolean): void {
    const c = this.cluster;
    const looking = this.live().filter((s) => !c.node(s).isServing() && this.st(s).state === 'LOOKING');
    if (looking.length === 0) return;
    const established = this.servingLeaders();
    const stillLooking: number[] = [];
    for (const s of looking) {
      const leaders = established.filter((l) => c.reachable(s, l));
      if (leaders.length > 0 && (deterministic || this.rng.chance(0.7))) {
        const l = leaders.reduce((a, b) => (this.st(b).epoch > this.st(a).epoch ? b : a));
        c.with(s, (n) => n.electionComplete(l));
      } else {
        stillLooking.push(s);
      }
    }
    const participants = stillLooking.filter((s) => !c.server(s).observer && this.st(s).state === 'LOOKING');
    if (participants.length === 0) return;
    const anchor = deterministic ? participants[0]! : this.rng.pick(participants);
    let group = participants.filter((s) => c.reachable(anchor, s));
    if (!deterministic) {
      // Any quorum of them may be the one that decides.
      const shuffled = group.map((s) => ({ s, k: this.rng.next() })).sort((a, b) => a.k - b.k).map((x) => x.s);
      const need = Math.floor(this.voters.length / 2) + 1;
      const size = need + this.rng.int(Math.max(1, shuffled.length - need + 1));
      group = shuffled.slice(0, Math.min(size, shuffled.length));
    }
    if (group.length * 2 <= this.voters.length) return;
    let best = group[0]!;
    for (const s of group) if (better(c.node(s), c.node(best))) best = s;
    this.elections++;
    if (c.tracing) c.line(`-- election: ${best} leads [${group.join(',')}]`);
    c.elect(best, group.filter((s) => s !== best));
    // Observers that were looking may observe the new leader once it is established.
  }

  /** Liveness: no more faults; everything must converge. */
  private converge(): void {
    const c = this.cluster;
    c.heal();
    for (const sid of c.sids) c.restart(sid);
    let finalProposed = false;
    for (let round = 0; round < 400; round++) {
      c.stabilize();
      this.drainRequests(Infinity);
      this.elect(true);
      c.stabilize();
      const leaders = this.servingLeaders();
      if (leaders.length === 1) {
        const l = leaders[0]!;
        const allServing = c.sids.every((s) => {
          const st = this.st(s);
          return st.serving && (s === l || st.leader === l);
        });
        if (allServing && c.busyLinks().length === 0 && c.sids.every((s) => c.server(s).pending.length === 0)) {
          if (!finalProposed) {
            c.propose(l, 'final');
            finalProposed = true;
            continue;
          }
          const target = c.server(l).app.applied.length;
          if (target > 0 && c.sids.every((s) => c.server(s).app.applied.length === target)) {
            for (const s of c.sids) c.checker.checkComplete(s, c.server(s).app);
            return;
          }
        }
      }
      if (round % 50 === 49) {
        // A learner whose acceptedEpoch is above the established leader's epoch
        // (it accepted a newer epoch that never got established) cannot join
        // until the next epoch, in ZooKeeper as here. Force a re-election, as
        // an operator restarting the leader would.
        for (const l of this.servingLeaders()) c.with(l, (n) => n.stepDown('liveness phase: forcing a new epoch'));
      }
      c.tick();
    }
    throw new Error('liveness: the ensemble did not converge in 400 rounds');
  }
}

export function simulate(seed: number, cfg: SimConfig): SimResult {
  return new Simulation(seed, cfg).run();
}
