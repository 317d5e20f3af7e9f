/**
 * Global safety checks over the whole simulated ensemble, run after every
 * event (TigerBeetle's state_checker idea):
 *
 * - every server's applied history is a prefix of one history (Zab.tla
 *   PrefixConsistency / Agreement / TotalOrder);
 * - a zxid is only ever proposed with one payload, and at most one leader
 *   reaches SYNCHRONIZATION per epoch (ZkV3_7_0.tla Leadership1/2);
 * - a leader only commits a zxid of its own epoch once a quorum holds it
 *   durably (its own durable append + ACKs it received);
 * - every committed write is in each later leader's history.
 */
import { epochOf, formatZxid, type Zxid } from '@zk/zxid';
import type { PersistOp, StateChange, ZabMessage } from '../../src/index.js';
import { diskHas, textOf, type Cluster, type SimApp } from './cluster.js';

export class SafetyViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetyViolation';
  }
}

export class Checker {
  /** The one history every server's applied list must be a prefix of. */
  readonly canonical: { zxid: Zxid; payload: string }[] = [];
  readonly leaders = new Map<number, number>();
  readonly proposals = new Map<Zxid, string>();
  /** Committed by a leader after a verified quorum: must never be lost. */
  readonly committed = new Map<Zxid, string>();
  private readonly committedOrder: Zxid[] = [];
  private committedSorted = true;
  /** sids whose ACK for zxid reached the leader of its epoch, or that leader's own durable append. */
  private readonly ackers = new Map<Zxid, Set<number>>();
  private readonly voters: ReadonlySet<number>;
  /** The epoch each server currently leads in BROADCAST (from its state changes). */
  private readonly leading = new Map<number, number>();
  /** How often each message type was sent (coverage). */
  readonly sent = new Map<string, number>();

  constructor(private readonly cluster: Cluster, voters: readonly number[]) {
    this.voters = new Set(voters);
  }

  private fail(what: string): never {
    throw new SafetyViolation(what);
  }

  private isQuorum(sids: ReadonlySet<number>): boolean {
    let n = 0;
    for (const s of sids) if (this.voters.has(s)) n++;
    return n * 2 > this.voters.size;
  }

  private checkEntry(sid: number, index: number, e: { zxid: Zxid; payload: string }): void {
    const c = this.canonical[index];
    if (c === undefined) {
      if (index !== this.canonical.length) this.fail(`server ${sid}: history gap at ${index}`);
      this.canonical.push(e);
      return;
    }
    if (c.zxid !== e.zxid || c.payload !== e.payload) {
      this.fail(
        `server ${sid} applied ${e.payload}@${formatZxid(e.zxid)} at position ${index}, ` +
          `but another server applied ${c.payload}@${formatZxid(c.zxid)} there`,
      );
    }
  }

  onApply(sid: number, app: SimApp): void {
    const i = app.applied.length - 1;
    this.checkEntry(sid, i, app.applied[i]!);
    const last = app.applied[i]!;
    if (this.leading.get(sid) === epochOf(last.zxid)) this.checkQuorum(sid, last.zxid);
  }

  onRestore(sid: number, app: SimApp): void {
    this.leading.delete(sid);
    app.applied.forEach((e, i) => this.checkEntry(sid, i, e));
  }

  onStateChange(sid: number, sc: StateChange): void {
    if (sc.state === 'LEADING' && sc.phase === 'BROADCAST') this.leading.set(sid, sc.epoch);
    else this.leading.delete(sid);
    if (sc.state === 'LEADING' && sc.phase === 'SYNCHRONIZATION') {
      const other = this.leaders.get(sc.epoch);
      if (other !== undefined && other !== sid) this.fail(`two leaders for epoch ${sc.epoch}: ${other} and ${sid}`);
      this.leaders.set(sc.epoch, sid);
    }
    if (sc.state === 'LEADING' && sc.phase === 'BROADCAST') {
      // The new leader's initial history holds every write committed in an
      // earlier epoch. (A later epoch may already exist: a leader whose quorum
      // of NEWLEADER acks completes late is established, but stale; it cannot
      // commit anything new and steps down within syncLimit ticks.)
      const h = this.cluster.effectiveHistory(sid);
      for (const z of this.committed.keys()) {
        if (epochOf(z) >= sc.epoch || z <= h.base || h.zxids.has(z)) continue;
        this.fail(`leader ${sid} of epoch ${sc.epoch} lacks committed ${formatZxid(z)}`);
      }
    }
  }

  onSend(from: number, _to: number, msg: ZabMessage): void {
    this.sent.set(msg.type, (this.sent.get(msg.type) ?? 0) + 1);
    if (msg.type === 'PROPOSAL' || msg.type === 'INFORM') {
      const p = textOf(msg.payload);
      const prev = this.proposals.get(msg.zxid);
      if (prev !== undefined && prev !== p) this.fail(`zxid ${formatZxid(msg.zxid)} proposed as ${prev} and as ${p}`);
      this.proposals.set(msg.zxid, p);
    }
    if ((msg.type === 'COMMIT' || msg.type === 'INFORM') && this.leading.get(from) === epochOf(msg.zxid)) {
      this.checkQuorum(from, msg.zxid);
    }
  }

  onDeliver(from: number, to: number, msg: ZabMessage): void {
    if (msg.type !== 'ACK' || (msg.zxid & 0xffffffffn) === 0n) return;
    if (this.leaders.get(epochOf(msg.zxid)) !== to) return;
    let set = this.ackers.get(msg.zxid);
    if (set === undefined) this.ackers.set(msg.zxid, (set = new Set()));
    set.add(from);
  }

  /**
   * A durable write that drops log entries (TRUNC, SNAP install) must not
   * leave a committed write durable on fewer than a quorum of servers.
   */
  private checkDurableQuorum(sid: number, after: Zxid, what: string): void {
    if (!this.committedSorted) {
      this.committedOrder.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.committedSorted = true;
    }
    for (let i = this.committedOrder.length - 1; i >= 0; i--) {
      const z = this.committedOrder[i]!;
      if (z <= after) break;
      const holders = new Set<number>();
      for (const other of this.cluster.sids) if (diskHas(this.cluster.server(other).disk, z)) holders.add(other);
      if (!this.isQuorum(holders)) {
        this.fail(`after ${what} on server ${sid}, committed ${formatZxid(z)} is durable only on [${[...holders].sort().join(',')}]`);
      }
    }
  }

  onDurable(sid: number, op: PersistOp): void {
    if (op.kind === 'truncate') this.checkDurableQuorum(sid, op.zxid, `truncate ${formatZxid(op.zxid)}`);
    if (op.kind === 'snapshot') this.checkDurableQuorum(sid, op.zxid, `snapshot install ${formatZxid(op.zxid)}`);
    if (op.kind !== 'append') return;
    const z = op.entry.zxid;
    if (this.leaders.get(epochOf(z)) !== sid) return;
    let set = this.ackers.get(z);
    if (set === undefined) this.ackers.set(z, (set = new Set()));
    set.add(sid);
  }

  private checkQuorum(leader: number, zxid: Zxid): void {
    if (this.committed.has(zxid)) return;
    const set = this.ackers.get(zxid) ?? new Set<number>();
    if (!this.isQuorum(set)) {
      this.fail(`leader ${leader} committed ${formatZxid(zxid)} with acks only from [${[...set].sort().join(',')}]`);
    }
    this.committed.set(zxid, this.proposals.get(zxid) ?? '?');
    const last = this.committedOrder[this.committedOrder.length - 1];
    if (last !== undefined && zxid < last) this.committedSorted = false;
    this.committedOrder.push(zxid);
  }

  onSyncDone(sid: number, id: number, _app: SimApp): void {
    if (this.cluster.server(sid).completedSyncs.has(id)) this.fail(`server ${sid}: sync ${id} completed twice`);
  }

  /** End-of-run check: every committed write is applied on `sid`. */
  checkComplete(sid: number, app: SimApp): void {
    const have = new Map(app.applied.map((a) => [a.zxid, a.payload]));
    for (const [z, p] of this.committed) {
      const got = have.get(z);
      if (got === undefined) this.fail(`committed write ${p}@${formatZxid(z)} lost: not applied on server ${sid}`);
      if (got !== p) this.fail(`committed write ${p}@${formatZxid(z)} applied as ${got} on server ${sid}`);
    }
  }
}
