/**
 * State shared by every role of one server: the log tail, the epochs, the
 * durability bookkeeping, commit delivery and the output buffer. Roles
 * (leader.ts, follower.ts, observer.ts) drive it; only this file issues
 * persist ops and commits.
 */
import { formatZxid, type Zxid } from '@zk/zxid';
import type { ResolvedConfig } from './config.js';
import { LogTail } from './log-tail.js';
import type { ZabMessage } from './messages.js';
import { ReadyBuilder, type PersistOp, type ServerState, type ZabPhase } from './ready.js';
import type { DurableState } from './storage.js';

type OpBody =
  | { kind: 'append'; entry: { zxid: Zxid; payload: Uint8Array } }
  | { kind: 'truncate'; zxid: Zxid }
  | { kind: 'snapshot'; zxid: Zxid; data: Uint8Array }
  | { kind: 'acceptedEpoch'; epoch: number }
  | { kind: 'currentEpoch'; epoch: number };

export interface RoleView {
  readonly state: ServerState;
  phase(): ZabPhase;
  epoch(): number;
  leader(): number | null;
  serving(): boolean;
}

export class NodeCore {
  readonly out = new ReadyBuilder();
  readonly tail: LogTail;

  /** Latest value written (the file may not be durable yet); what the protocol acts on, as ZooKeeper's in-memory copy. */
  acceptedEpoch: number;
  currentEpoch: number;
  durableAcceptedEpoch: number;
  durableCurrentEpoch: number;
  private readonly pendingEpochOps: { seq: number; kind: 'acceptedEpoch' | 'currentEpoch'; epoch: number }[] = [];

  private nextSeq = 1;
  /** Every op with seq <= durableSeq is durable. */
  durableSeq = 0;

  /** Highest zxid known to be committed; entries up to it are delivered once durable. */
  knownCommitted: Zxid;
  /** Last zxid handed to the state machine (or restored into it). */
  delivered: Zxid;
  /** Incremented by `installSnapshot`; commits after an install restart the ordering check. */
  installs = 0;

  /** Logical time, in ticks since this node started. */
  now = 0;
  /** Session touches to attach to the next PING reply. */
  touches: Uint8Array | null = null;
  /** Local syncs waiting until `delivered` reaches their zxid. */
  private syncWaiters: { id: number; zxid: Zxid }[] = [];

  private readonly violations: string[] = [];
  private lastAccepted: number;
  private lastCurrent: number;

  private lastState: { state: ServerState; phase: ZabPhase; epoch: number; leader: number | null; serving: boolean } | null = null;

  constructor(readonly cfg: ResolvedConfig, durable: DurableState) {
    this.tail = new LogTail(durable.snapshotZxid, durable.log);
    this.acceptedEpoch = durable.acceptedEpoch;
    this.currentEpoch = durable.currentEpoch;
    this.durableAcceptedEpoch = durable.acceptedEpoch;
    this.durableCurrentEpoch = durable.currentEpoch;
    this.lastAccepted = durable.acceptedEpoch;
    this.lastCurrent = durable.currentEpoch;
    this.knownCommitted = durable.snapshotZxid;
    this.delivered = durable.snapshotZxid;
  }

  get sid(): number {
    return this.cfg.sid;
  }

  get lastZxid(): Zxid {
    return this.tail.lastZxid;
  }

  // ---- outputs -------------------------------------------------------------

  send(to: number, msg: ZabMessage): void {
    this.out.messages.push({ to, msg });
  }

  /**
   * Close the connection to `sid`. Messages for it still waiting in this
   * Ready would go down with the connection: they are dropped here, so that
   * any message to `sid` produced later belongs to a new connection.
   */
  disconnect(sid: number): void {
    this.out.dropMessagesTo(sid);
    this.out.disconnect.push(sid);
  }

  private issue(body: OpBody): number {
    const seq = this.nextSeq++;
    this.out.persist.push({ ...body, seq } as PersistOp);
    return seq;
  }

  /** Appends to the log tail and issues the write. Returns the op's seq. */
  append(zxid: Zxid, payload: Uint8Array): number {
    const seq = this.nextSeq;
    this.tail.append(zxid, payload, seq);
    this.issue({ kind: 'append', entry: { zxid, payload } });
    return seq;
  }

  /** TRUNC: drops the log after `zxid`. The caller has checked `zxid` is in the log. */
  truncate(zxid: Zxid): number {
    if (zxid < this.lastCommittedEntry()) {
      this.violation(`truncating to ${formatZxid(zxid)} below the committed ${formatZxid(this.lastCommittedEntry())}`);
    }
    this.tail.truncate(zxid);
    return this.issue({ kind: 'truncate', zxid });
  }

  /** SNAP: replaces the state machine and the log with a snapshot. */
  installSnapshot(zxid: Zxid, data: Uint8Array): number {
    const seq = this.issue({ kind: 'snapshot', zxid, data });
    this.tail.reset(zxid, seq);
    // The state machine is restored to `zxid` now; the leader's delivered state is committed.
    this.delivered = zxid;
    if (zxid > this.knownCommitted) this.knownCommitted = zxid;
    this.installs++;
    return seq;
  }

  writeAcceptedEpoch(epoch: number): number {
    if (epoch < this.acceptedEpoch) this.violation(`acceptedEpoch going backwards ${this.acceptedEpoch} -> ${epoch}`);
    this.acceptedEpoch = epoch;
    const seq = this.issue({ kind: 'acceptedEpoch', epoch });
    this.pendingEpochOps.push({ seq, kind: 'acceptedEpoch', epoch });
    return seq;
  }

  writeCurrentEpoch(epoch: number): number {
    if (epoch < this.currentEpoch) this.violation(`currentEpoch going backwards ${this.currentEpoch} -> ${epoch}`);
    if (epoch > this.acceptedEpoch) this.violation(`currentEpoch ${epoch} above acceptedEpoch ${this.acceptedEpoch}`);
    this.currentEpoch = epoch;
    const seq = this.issue({ kind: 'currentEpoch', epoch });
    this.pendingEpochOps.push({ seq, kind: 'currentEpoch', epoch });
    return seq;
  }

  /**
   * The last logged transaction known committed. `knownCommitted` itself may
   * be `epoch << 32` (a leader's start point), which names no transaction.
   */
  lastCommittedEntry(): Zxid {
    const i = this.tail.indexAfter(this.knownCommitted) - 1;
    return i < 0 ? this.tail.base : this.tail.at(i)!.zxid;
  }

  isDurable(seq: number): boolean {
    return seq <= this.durableSeq;
  }

  /** Records a storage completion; returns false if nothing new became durable. */
  markDurable(upTo: number): boolean {
    if (upTo >= this.nextSeq) {
      this.violation(`persisted(${upTo}) for an op that was never issued (last ${this.nextSeq - 1})`);
      upTo = this.nextSeq - 1;
    }
    if (upTo <= this.durableSeq) return false;
    this.durableSeq = upTo;
    while (this.pendingEpochOps.length > 0 && this.pendingEpochOps[0]!.seq <= upTo) {
      const op = this.pendingEpochOps.shift()!;
      if (op.kind === 'acceptedEpoch') this.durableAcceptedEpoch = op.epoch;
      else this.durableCurrentEpoch = op.epoch;
    }
    return true;
  }

  // ---- commits -------------------------------------------------------------

  /** Everything up to `zxid` is committed; deliver what is durable. */
  commitUpTo(zxid: Zxid): void {
    if (zxid > this.knownCommitted) this.knownCommitted = zxid;
    this.deliver();
  }

  /** Hands committed, durable entries to the state machine, in zxid order. */
  deliver(): void {
    let i = this.tail.indexAfter(this.delivered);
    for (;;) {
      const e = this.tail.at(i);
      if (e === undefined || e.zxid > this.knownCommitted || e.seq > this.durableSeq) break;
      if (e.zxid <= this.delivered) this.violation(`delivering ${formatZxid(e.zxid)} after ${formatZxid(this.delivered)}`);
      this.out.commits.push({ zxid: e.zxid, payload: e.payload });
      this.delivered = e.zxid;
      i++;
    }
    this.tail.trim(this.delivered, this.cfg.commitLogCount);
    if (this.syncWaiters.length > 0) {
      // A sync target need not name a txn (it may be `epoch << 32`): it is
      // satisfied once no logged entry at or below it is still undelivered.
      // The log holds every entry up to the target: the leader's answer
      // follows their PROPOSALs and COMMITs on the same connection.
      const next = this.tail.at(this.tail.indexAfter(this.delivered));
      const still: { id: number; zxid: Zxid }[] = [];
      for (const w of this.syncWaiters) {
        if (next === undefined || next.zxid > w.zxid) this.out.syncs.push(w);
        else still.push(w);
      }
      this.syncWaiters = still;
    }
  }

  /** Completes local sync `id` once everything up to `zxid` has been delivered. */
  waitForDelivery(id: number, zxid: Zxid): void {
    this.syncWaiters.push({ id, zxid });
    this.deliver();
  }

  /** Abandons local syncs (the node left its role; the server fails those reads). */
  dropSyncWaiters(): void {
    this.syncWaiters = [];
  }

  // ---- state changes ---------------------------------------------------------

  noteState(role: RoleView, reason?: string): void {
    const s = {
      state: role.state, phase: role.phase(), epoch: role.epoch(), leader: role.leader(), serving: role.serving(),
    };
    const l = this.lastState;
    if (l !== null && l.state === s.state && l.phase === s.phase && l.epoch === s.epoch && l.leader === s.leader && l.serving === s.serving) {
      return;
    }
    this.lastState = s;
    this.out.stateChanges.push(reason === undefined ? s : { ...s, reason });
  }

  // ---- invariants ------------------------------------------------------------

  violation(what: string): void {
    this.violations.push(what);
  }

  /** Structural checks shared by every role; appends to `problems`. */
  check(problems: string[]): void {
    problems.push(...this.violations);
    const t = this.tail.check();
    if (t !== null) problems.push(t);
    if (this.acceptedEpoch < this.currentEpoch) problems.push(`acceptedEpoch ${this.acceptedEpoch} < currentEpoch ${this.currentEpoch}`);
    if (this.durableAcceptedEpoch < this.durableCurrentEpoch) {
      problems.push(`durable acceptedEpoch ${this.durableAcceptedEpoch} < durable currentEpoch ${this.durableCurrentEpoch}`);
    }
    if (this.acceptedEpoch < this.lastAccepted) problems.push(`acceptedEpoch decreased ${this.lastAccepted} -> ${this.acceptedEpoch}`);
    if (this.currentEpoch < this.lastCurrent) problems.push(`currentEpoch decreased ${this.lastCurrent} -> ${this.currentEpoch}`);
    this.lastAccepted = this.acceptedEpoch;
    this.lastCurrent = this.currentEpoch;
    if (this.delivered > this.knownCommitted) {
      problems.push(`delivered ${formatZxid(this.delivered)} beyond committed ${formatZxid(this.knownCommitted)}`);
    }
  }
}
