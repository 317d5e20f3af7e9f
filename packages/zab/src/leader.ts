/**
 * The LEADING role: discovery (`Leader.getEpochToPropose`, `waitForEpochAck`),
 * synchronisation (`LearnerHandler.syncFollower`, `waitForNewLeaderAck`) and
 * broadcast (`Leader.propose`, `processAck`, `tryToCommit`, `processSync`),
 * plus the liveness loop of `Leader.lead()` (PING every tick, step down without
 * a synced quorum).
 */
import { formatZxid, isCounterExhausted, makeZxid, type Zxid } from '@zk/zxid';
import type { NodeCore } from './core.js';
import { LearnerHandler } from './learner-handler.js';
import { ZAB_PROTOCOL_VERSION, type AckEpochMessage, type FollowerInfoMessage, type ZabMessage } from './messages.js';
import { AckSet } from './quorum.js';
import type { ZabPhase } from './ready.js';
import type { ProposeResult, Role, RoleHost } from './role.js';
import { planSync } from './sync-plan.js';

interface Outstanding {
  readonly zxid: Zxid;
  /** Seq of the leader's own append; its own ACK counts once this is durable. */
  readonly seq: number;
  readonly acks: AckSet;
  selfAcked: boolean;
}

interface PendingSync {
  /** null: a local sync on the leader itself. */
  readonly handler: LearnerHandler | null;
  readonly id: number;
}

export interface LearnerStatus {
  readonly sid: number;
  readonly type: 'participant' | 'observer';
  readonly state: string;
  readonly syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null;
  readonly synced: boolean;
}

export class Leader implements Role {
  readonly state = 'LEADING' as const;
  private zabPhase: ZabPhase = 'DISCOVERY';
  private phaseStart: number;
  private closed = false;

  private readonly handlers = new Map<number, LearnerHandler>();

  // Discovery: getEpochToPropose / waitForEpochAck.
  private readonly connecting = new Set<number>();
  private newEpoch: number;
  private epochFixed = false;
  private acceptedEpochSeq = -1;
  private leaderInfoReady = false;
  private readonly epochAcks: AckSet;
  private electionFinished = false;
  /** (currentEpoch, lastZxid) when leading started (`leaderStateSummary`). */
  private readonly summary: { currentEpoch: number; lastZxid: Zxid };

  // Synchronisation: waitForNewLeaderAck.
  private currentEpochSeq = -1;
  private readonly newLeaderAcks: AckSet;
  private established = false;
  private snapshotPending = false;

  // Broadcast.
  private lastProposed: Zxid = 0n;
  private lastCommitted: Zxid = 0n;
  private readonly outstanding: Outstanding[] = [];
  private readonly pendingSyncs = new Map<Zxid, PendingSync[]>();

  constructor(
    private readonly core: NodeCore,
    private readonly host: RoleHost,
  ) {
    this.phaseStart = core.now;
    this.newEpoch = core.acceptedEpoch + 1;
    this.epochAcks = new AckSet(core.cfg.quorum);
    this.newLeaderAcks = new AckSet(core.cfg.quorum);
    this.summary = { currentEpoch: core.currentEpoch, lastZxid: core.lastZxid };
  }

  // ---- RoleView --------------------------------------------------------------

  phase(): ZabPhase {
    return this.zabPhase;
  }
  epoch(): number {
    return this.epochFixed ? this.newEpoch : 0;
  }
  leader(): number | null {
    return this.core.sid;
  }
  serving(): boolean {
    return this.established && !this.closed;
  }

  // ---- lifecycle -------------------------------------------------------------

  start(): void {
    this.connecting.add(this.core.sid);
    this.maybeFixEpoch();
  }

  leave(): void {
    this.closed = true;
    for (const sid of this.handlers.keys()) this.core.disconnect(sid);
    this.handlers.clear();
  }

  private stepDown(reason: string): void {
    if (this.closed) return;
    this.host.becomeLooking(reason);
  }

  // ---- inputs ----------------------------------------------------------------

  step(from: number, msg: ZabMessage): void {
    if (this.closed) return;
    if (msg.type === 'FOLLOWERINFO' || msg.type === 'OBSERVERINFO') {
      this.onLearnerInfo(from, msg);
      return;
    }
    const h = this.handlers.get(from);
    if (h === undefined) {
      // Not a learner of ours (its connection was dropped): make it reconnect.
      this.core.disconnect(from);
      return;
    }
    // LearnerHandler's main loop: every packet after UPTODATE moves the deadline
    // to syncLimit ticks from now (before that, tick + initLimit + syncLimit holds).
    if (h.state === 'UPTODATE') h.deadline = this.core.now + this.core.cfg.syncLimit;
    switch (msg.type) {
      case 'ACKEPOCH':
        this.onAckEpoch(h, msg);
        return;
      case 'ACK':
        this.onAck(h, msg.zxid);
        return;
      case 'PING':
        if (msg.payload !== null && msg.payload.length > 0) this.core.out.touches.push({ from, payload: msg.payload });
        return;
      case 'REQUEST':
        this.core.out.requests.push({ from, payload: msg.payload });
        return;
      case 'SYNC':
        this.onSync({ handler: h, id: msg.id });
        return;
      default:
        // LearnerHandler logs "unexpected quorum packet" and carries on.
        return;
    }
  }

  tick(): void {
    if (this.closed) return;
    const now = this.core.now;
    if (!this.established) {
      if (now - this.phaseStart > this.core.cfg.initLimit) {
        this.stepDown(
          this.zabPhase === 'DISCOVERY'
            ? 'timeout while waiting for epoch from quorum'
            : `timeout while waiting for NEWLEADER to be acked by quorum, acked: [${this.newLeaderAcks.list().join(',')}]`,
        );
        return;
      }
    } else {
      const synced = new Set<number>([this.core.sid]);
      for (const h of this.handlers.values()) if (h.participant && now <= h.deadline) synced.add(h.sid);
      if (!this.core.cfg.quorum.isQuorum(synced)) {
        const list = [...synced].sort((a, b) => a - b).join(',');
        this.stepDown(`not sufficient followers synced, only synced with sids: [${list}]`);
        return;
      }
    }
    for (const h of [...this.handlers.values()]) {
      if (now > h.deadline) {
        // The learner's socket read timed out (LearnerHandler: syncLimit, or initLimit+syncLimit while syncing).
        this.dropHandler(h);
      }
    }
    if (this.established) {
      for (const h of this.handlers.values()) {
        if (h.forwarding) this.core.send(h.sid, { type: 'PING', zxid: this.lastProposed, payload: null });
      }
    }
  }

  peerDisconnected(sid: number): void {
    if (this.handlers.delete(sid)) this.forgetAcks(sid);
  }

  /**
   * A learner's ACKs are only good for the connection they came on. When it
   * reconnects it is synced again, and a TRUNC to the last committed txn may
   * drop proposals it had acked (and it re-acks them once logged again);
   * counting its old ACKs would let those commit on a quorum that no longer
   * holds them. ZooKeeper keeps the old ACKs in `outstandingProposals`.
   */
  private forgetAcks(sid: number): void {
    for (const p of this.outstanding) p.acks.delete(sid);
  }

  onDurable(): void {
    if (this.closed) return;
    if (this.epochFixed && !this.leaderInfoReady && this.core.isDurable(this.acceptedEpochSeq)) {
      this.leaderInfoReady = true;
      // lead(): waitForEpochAck(self) right after getEpochToPropose returns.
      this.epochAcks.add(this.core.sid);
      for (const h of this.handlers.values()) if (h.state === 'FOLLOWERINFO') this.sendLeaderInfo(h);
      this.maybeFinishElection();
    }
    if (this.currentEpochSeq >= 0 && !this.newLeaderAcks.has(this.core.sid) && this.core.isDurable(this.currentEpochSeq)) {
      // lead(): setCurrentEpoch(epoch), then waitForNewLeaderAck(self).
      this.newLeaderAcks.add(this.core.sid);
      this.maybeEstablish();
    }
    if (this.established) {
      for (const p of this.outstanding) {
        if (!p.selfAcked && this.core.isDurable(p.seq)) {
          p.selfAcked = true;
          p.acks.add(this.core.sid);
        }
      }
      this.tryToCommit();
    }
    this.core.deliver();
  }

  // ---- discovery ---------------------------------------------------------------

  private onLearnerInfo(from: number, msg: FollowerInfoMessage): void {
    if (this.handlers.delete(from)) this.forgetAcks(from);
    const type = msg.type === 'OBSERVERINFO' ? 'observer' : 'participant';
    const h = new LearnerHandler(from, type, msg.acceptedEpoch, this.core.now + this.core.cfg.initLimit + this.core.cfg.syncLimit);
    this.handlers.set(from, h);
    if (!this.epochFixed) {
      // getEpochToPropose: the new epoch is one more than the highest acceptedEpoch seen.
      if (msg.acceptedEpoch >= this.newEpoch) this.newEpoch = msg.acceptedEpoch + 1;
      if (h.participant) this.connecting.add(from);
      this.maybeFixEpoch();
    } else if (msg.acceptedEpoch > this.newEpoch) {
      // The learner promised a later epoch (a leader that never established) and will refuse ours,
      // go LOOKING, be elected straight back to us and refuse again: a livelock (found by the
      // simulator; ZooKeeper 3.8 has it too). A new election's epoch is above every accepted one.
      this.stepDown(`learner ${from} has accepted epoch ${msg.acceptedEpoch}, above ours (${this.newEpoch}): re-electing for a higher epoch`);
    } else if (this.leaderInfoReady) {
      this.sendLeaderInfo(h);
    }
  }

  private maybeFixEpoch(): void {
    if (this.epochFixed || !this.connecting.has(this.core.sid) || !this.core.cfg.quorum.isQuorum(this.connecting)) return;
    this.epochFixed = true;
    // The acceptedEpoch file is written before any LEADERINFO goes out.
    this.acceptedEpochSeq = this.core.writeAcceptedEpoch(this.newEpoch);
    this.core.noteState(this);
  }

  private sendLeaderInfo(h: LearnerHandler): void {
    h.state = 'LEADERINFO';
    this.core.send(h.sid, { type: 'LEADERINFO', zxid: makeZxid(this.newEpoch, 0), protocolVersion: ZAB_PROTOCOL_VERSION });
  }

  private onAckEpoch(h: LearnerHandler, msg: AckEpochMessage): void {
    if (h.state !== 'LEADERINFO') return;
    h.summary = { currentEpoch: msg.currentEpoch, lastZxid: msg.lastZxid };
    // waitForEpochAck returns at once when the election is finished: late
    // joiners are neither checked nor counted, just synced (TRUNC if ahead).
    if (msg.currentEpoch !== -1 && !this.electionFinished) {
      const s = this.summary;
      const ahead = msg.currentEpoch > s.currentEpoch || (msg.currentEpoch === s.currentEpoch && msg.lastZxid > s.lastZxid);
      if (ahead) {
        // waitForEpochAck: "Follower is ahead of the leader" -> that LearnerHandler dies.
        this.dropHandler(h);
        return;
      }
      if (h.participant) this.epochAcks.add(h.sid);
    }
    h.state = 'ACKEPOCH';
    if (this.electionFinished) this.syncLearner(h);
    else this.maybeFinishElection();
  }

  private maybeFinishElection(): void {
    if (this.electionFinished || !this.epochAcks.has(this.core.sid) || !this.epochAcks.isQuorum()) return;
    this.electionFinished = true;
    this.currentEpochSeq = this.core.writeCurrentEpoch(this.newEpoch);
    this.zabPhase = 'SYNCHRONIZATION';
    this.phaseStart = this.core.now;
    this.core.noteState(this);
    for (const h of this.handlers.values()) if (h.state === 'ACKEPOCH') this.syncLearner(h);
  }

  // ---- synchronisation ---------------------------------------------------------------

  /** Everything up to here is (or is about to be) committed and goes out with COMMITs. */
  private syncPoint(): Zxid {
    return this.established ? this.lastCommitted : this.core.lastZxid;
  }

  private syncLearner(h: LearnerHandler): void {
    const plan = planSync(h.summary!.lastZxid, this.syncPoint(), this.core.tail);
    h.syncMode = plan.kind;
    if (plan.kind === 'SNAP') {
      h.state = 'SNAP_WAIT';
      if (!this.snapshotPending) {
        this.snapshotPending = true;
        this.core.out.snapshotRequests++;
      }
      return;
    }
    this.core.send(h.sid, { type: plan.kind, zxid: plan.zxid });
    this.streamAfter(h, plan.from);
  }

  snapshotReady(zxid: Zxid, data: Uint8Array): void {
    if (this.closed || !this.snapshotPending) return;
    if (zxid > this.core.delivered) {
      // The state machine cannot be ahead of what this node handed it.
      this.core.violation(`snapshotReady at ${formatZxid(zxid)} beyond delivered ${formatZxid(this.core.delivered)}`);
      return;
    }
    if (zxid < this.core.tail.base) {
      // Too old to continue from with the in-memory log (it was trimmed meanwhile): ask again.
      this.core.out.snapshotRequests++;
      return;
    }
    this.snapshotPending = false;
    for (const h of this.handlers.values()) {
      if (h.state !== 'SNAP_WAIT') continue;
      this.core.send(h.sid, { type: 'SNAP', zxid, snapshot: data });
      this.streamAfter(h, zxid);
    }
  }

  /**
   * Queues the tail after `from`: committed entries as PROPOSAL+COMMIT, then
   * (participants only) the outstanding proposals, then NEWLEADER; from here
   * on the learner gets the broadcast stream (`startForwarding`).
   */
  private streamAfter(h: LearnerHandler, from: Zxid): void {
    const sync = this.syncPoint();
    for (const e of this.core.tail.slice(from, sync)) {
      this.core.send(h.sid, { type: 'PROPOSAL', zxid: e.zxid, payload: e.payload });
      this.core.send(h.sid, { type: 'COMMIT', zxid: e.zxid });
    }
    if (h.participant && this.established) {
      for (const e of this.core.tail.slice(sync)) {
        this.core.send(h.sid, { type: 'PROPOSAL', zxid: e.zxid, payload: e.payload });
      }
    }
    h.forwarding = true;
    h.state = 'NEWLEADER';
    this.core.send(h.sid, { type: 'NEWLEADER', zxid: makeZxid(this.newEpoch, 0) });
  }

  private onAck(h: LearnerHandler, zxid: Zxid): void {
    if (h.state === 'NEWLEADER') {
      if (zxid !== makeZxid(this.newEpoch, 0)) {
        // "NEWLEADER ACK is from a different epoch" / "Next packet was supposed to be an ACK".
        this.dropHandler(h);
        return;
      }
      h.state = 'ACKED';
      if (this.established) this.sendUpToDate(h);
      else {
        if (h.participant) this.newLeaderAcks.add(h.sid);
        this.maybeEstablish();
      }
      return;
    }
    if ((zxid & 0xffffffffn) === 0n) return; // processAck ignores NEWLEADER-style acks
    if (!this.established || !h.participant) return;
    this.processAck(h.sid, zxid);
  }

  private maybeEstablish(): void {
    if (this.established || !this.newLeaderAcks.has(this.core.sid) || !this.newLeaderAcks.isQuorum()) return;
    // startZkServer: the initial history is committed; zxids continue from newEpoch << 32.
    this.established = true;
    this.zabPhase = 'BROADCAST';
    this.phaseStart = this.core.now;
    const start = makeZxid(this.newEpoch, this.core.cfg.testingInitialCounter);
    this.lastProposed = start;
    this.lastCommitted = start;
    this.core.commitUpTo(start);
    for (const h of this.handlers.values()) if (h.state === 'ACKED') this.sendUpToDate(h);
    this.core.noteState(this);
  }

  private sendUpToDate(h: LearnerHandler): void {
    h.state = 'UPTODATE';
    this.core.send(h.sid, { type: 'UPTODATE' });
  }

  private dropHandler(h: LearnerHandler): void {
    if (this.handlers.get(h.sid) === h) {
      this.handlers.delete(h.sid);
      this.forgetAcks(h.sid);
    }
    this.core.disconnect(h.sid);
  }

  // ---- broadcast ----------------------------------------------------------------------

  nextZxid(): Zxid | null {
    if (this.closed || !this.established) return null;
    const zxid = this.lastProposed + 1n;
    return isCounterExhausted(zxid) ? null : zxid;
  }

  propose(payload: Uint8Array): ProposeResult {
    if (this.closed) return { ok: false, reason: 'not-leader' };
    if (!this.established) return { ok: false, reason: 'not-established' };
    const zxid = this.lastProposed + 1n;
    if (isCounterExhausted(zxid)) {
      // Leader.propose: "zxid lower 32 bits have rolled over, forcing re-election".
      this.stepDown(`zxid lower 32 bits have rolled over at ${formatZxid(zxid)}, forcing re-election and a new epoch`);
      return { ok: false, reason: 'xid-rollover' };
    }
    const seq = this.core.append(zxid, payload);
    this.lastProposed = zxid;
    this.outstanding.push({ zxid, seq, acks: new AckSet(this.core.cfg.quorum), selfAcked: false });
    for (const h of this.handlers.values()) {
      if (h.forwarding && h.participant) this.core.send(h.sid, { type: 'PROPOSAL', zxid, payload });
    }
    return { ok: true, zxid };
  }

  private processAck(sid: number, zxid: Zxid): void {
    if (zxid <= this.lastCommitted) return; // already committed
    const first = this.outstanding[0];
    if (first === undefined) return;
    const p = this.outstanding[Number(zxid - first.zxid)];
    if (p === undefined || p.zxid !== zxid) return; // "Trying to commit future proposal"
    p.acks.add(sid);
    this.tryToCommit();
  }

  /** Commits, strictly in zxid order, every leading outstanding proposal a quorum has acked. */
  private tryToCommit(): void {
    for (;;) {
      const p = this.outstanding[0];
      if (p === undefined || !p.acks.isQuorum()) return;
      this.outstanding.shift();
      if (p.zxid <= this.lastCommitted) this.core.violation(`commit out of order ${formatZxid(p.zxid)} after ${formatZxid(this.lastCommitted)}`);
      this.lastCommitted = p.zxid;
      const entry = this.core.tail.get(p.zxid);
      for (const h of this.handlers.values()) {
        if (!h.forwarding) continue;
        if (h.participant) this.core.send(h.sid, { type: 'COMMIT', zxid: p.zxid });
        else if (entry !== undefined) this.core.send(h.sid, { type: 'INFORM', zxid: p.zxid, payload: entry.payload });
      }
      this.core.commitUpTo(p.zxid);
      const syncs = this.pendingSyncs.get(p.zxid);
      if (syncs !== undefined) {
        this.pendingSyncs.delete(p.zxid);
        for (const s of syncs) this.answerSync(s);
      }
    }
  }

  private onSync(s: PendingSync): void {
    if (!this.established) return;
    const last = this.outstanding[this.outstanding.length - 1];
    if (last === undefined) {
      this.answerSync(s);
      return;
    }
    // processSync: answer once the last proposal issued so far is committed.
    const list = this.pendingSyncs.get(last.zxid);
    if (list === undefined) this.pendingSyncs.set(last.zxid, [s]);
    else list.push(s);
  }

  private answerSync(s: PendingSync): void {
    if (s.handler === null) {
      this.core.waitForDelivery(s.id, this.lastCommitted);
    } else if (this.handlers.get(s.handler.sid) === s.handler) {
      this.core.send(s.handler.sid, { type: 'SYNC', id: s.id, zxid: this.lastCommitted });
    }
  }

  forward(): boolean {
    return false;
  }

  sync(id: number): boolean {
    if (!this.serving()) return false;
    this.onSync({ handler: null, id });
    return true;
  }

  // ---- status & invariants ----------------------------------------------------

  get lastProposedZxid(): Zxid {
    return this.lastProposed;
  }
  get lastCommittedZxid(): Zxid {
    return this.lastCommitted;
  }
  get outstandingCount(): number {
    return this.outstanding.length;
  }
  get isEstablished(): boolean {
    return this.established;
  }

  learners(): LearnerStatus[] {
    return [...this.handlers.values()]
      .sort((a, b) => a.sid - b.sid)
      .map((h) => ({
        sid: h.sid, type: h.type, state: h.state, syncMode: h.syncMode, synced: this.core.now <= h.deadline,
      }));
  }

  check(problems: string[]): void {
    if (this.established) {
      if (this.lastCommitted > this.lastProposed) {
        problems.push(`leader lastCommitted ${formatZxid(this.lastCommitted)} > lastProposed ${formatZxid(this.lastProposed)}`);
      }
      let prev = this.lastCommitted;
      for (const p of this.outstanding) {
        if (p.zxid !== prev + 1n) problems.push(`outstanding proposals not contiguous at ${formatZxid(p.zxid)}`);
        prev = p.zxid;
      }
      if (this.outstanding.length > 0 && prev !== this.lastProposed) problems.push('outstanding proposals do not end at lastProposed');
      if (this.core.knownCommitted !== this.lastCommitted) {
        problems.push(`leader knownCommitted ${formatZxid(this.core.knownCommitted)} != lastCommitted ${formatZxid(this.lastCommitted)}`);
      }
      if (this.zabPhase !== 'BROADCAST') problems.push('established leader not in BROADCAST');
    } else if (this.outstanding.length > 0) {
      problems.push('leader proposed before being established');
    }
    if (this.epochFixed && this.core.acceptedEpoch !== this.newEpoch) {
      problems.push(`leader acceptedEpoch ${this.core.acceptedEpoch} != its epoch ${this.newEpoch}`);
    }
  }
}
