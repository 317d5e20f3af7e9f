/**
 * What followers and observers share (ZooKeeper's `Learner`): discovery
 * (`registerWithLeader`), synchronisation (`syncWithLeader`, with the
 * ZOOKEEPER-3911/4394/4643/4785 ordering: synced txns are durable and
 * currentEpoch is written after them, before NEWLEADER is acked), PING
 * replies, SYNC, REQUEST forwarding and the leader timeout.
 *
 * The broadcast-phase packets differ per role: see follower.ts / observer.ts.
 */
import { epochOf, formatZxid, type Zxid } from '@zk/zxid';
import type { NodeCore } from './core.js';
import { ZabProtocolError } from './errors.js';
import { ZAB_PROTOCOL_VERSION, formatMessage, type ZabMessage } from './messages.js';
import type { ZabPhase } from './ready.js';
import type { ProposeResult, Role, RoleHost } from './role.js';

interface Held {
  readonly seq: number;
  readonly msg: ZabMessage;
}

export abstract class Learner implements Role {
  abstract readonly state: 'FOLLOWING' | 'OBSERVING';
  protected abstract readonly infoType: 'FOLLOWERINFO' | 'OBSERVERINFO';
  /** Followers ACK proposals; observers never do. */
  protected abstract readonly acksProposals: boolean;

  protected zabPhase: ZabPhase = 'DISCOVERY';
  protected closed = false;
  private lastHeard: number;
  /** The epoch from LEADERINFO. */
  protected newEpoch = 0;
  private syncMode: 'DIFF' | 'TRUNC' | 'SNAP' | null = null;
  /** Highest zxid the sync stream says is committed; delivered from UPTODATE on. */
  private syncCommit: Zxid = 0n;
  /** Proposals received during sync, before NEWLEADER (ZooKeeper's packetsNotLogged). */
  private syncProposals: { zxid: Zxid; seq: number }[] = [];
  private newLeaderSeen = false;
  private upToDate = false;
  /** Messages that may only leave once the op with `seq` is durable, in send order. */
  private held: Held[] = [];

  constructor(
    protected readonly core: NodeCore,
    private readonly host: RoleHost,
    readonly leaderSid: number,
  ) {
    this.lastHeard = core.now;
  }

  // ---- RoleView -------------------------------------------------------------------

  phase(): ZabPhase {
    return this.zabPhase;
  }
  epoch(): number {
    return this.newEpoch;
  }
  leader(): number | null {
    return this.leaderSid;
  }
  serving(): boolean {
    return this.upToDate && !this.closed;
  }

  // ---- lifecycle -------------------------------------------------------------------

  start(): void {
    this.core.send(this.leaderSid, {
      type: this.infoType,
      acceptedEpoch: this.core.acceptedEpoch,
      lastZxid: this.core.lastZxid,
      protocolVersion: ZAB_PROTOCOL_VERSION,
    });
  }

  leave(): void {
    this.closed = true;
    this.held = [];
    this.core.disconnect(this.leaderSid);
  }

  protected fail(reason: string): void {
    if (this.closed) return;
    this.host.becomeLooking(reason);
  }

  /** A packet that cannot happen over a FIFO connection to a correct leader. */
  protected protocolError(what: string): never {
    throw new ZabProtocolError(`server ${this.core.sid} (${this.state} ${this.leaderSid}, ${this.zabPhase}): ${what}`);
  }

  // ---- inputs ------------------------------------------------------------------------

  step(from: number, msg: ZabMessage): void {
    if (this.closed) return;
    if (from !== this.leaderSid) {
      this.core.disconnect(from);
      return;
    }
    this.lastHeard = this.core.now;
    if (this.zabPhase === 'DISCOVERY') this.onDiscovery(msg);
    else if (this.zabPhase === 'SYNCHRONIZATION') this.onSync(msg);
    else this.onBroadcastCommon(msg);
  }

  tick(): void {
    if (this.closed) return;
    const limit = this.zabPhase === 'BROADCAST' ? this.core.cfg.syncLimit : this.core.cfg.initLimit;
    if (this.core.now - this.lastHeard > limit) {
      this.fail(`no message from leader ${this.leaderSid} for ${this.core.now - this.lastHeard} ticks (limit ${limit})`);
    }
  }

  peerDisconnected(sid: number): void {
    if (sid === this.leaderSid) this.fail(`connection to leader ${sid} lost`);
  }

  onDurable(): void {
    if (this.closed) return;
    while (this.held.length > 0 && this.core.isDurable(this.held[0]!.seq)) {
      const { msg } = this.held.shift()!;
      if (msg.type === 'ACK' && (msg.zxid & 0xffffffffn) !== 0n) {
        const e = this.core.tail.get(msg.zxid);
        const durable = e === undefined ? msg.zxid <= this.core.tail.base : this.core.isDurable(e.seq);
        if (!durable) this.core.violation(`ACK ${formatZxid(msg.zxid)} before it is durable`);
      }
      this.core.send(this.leaderSid, msg);
    }
    this.core.deliver();
  }

  /** Send `msg` to the leader once op `seq` is durable (and after anything held before it). */
  protected sendAfter(seq: number, msg: ZabMessage): void {
    this.held.push({ seq, msg });
  }

  // ---- discovery (Learner.registerWithLeader) ------------------------------------------

  private onDiscovery(msg: ZabMessage): void {
    if (msg.type !== 'LEADERINFO') {
      this.fail(`expected LEADERINFO, got ${msg.type}`);
      return;
    }
    const epoch = epochOf(msg.zxid);
    this.newEpoch = epoch;
    const lastZxid = this.core.lastZxid;
    if (epoch > this.core.acceptedEpoch) {
      // Persist acceptedEpoch before ACKEPOCH leaves.
      const seq = this.core.writeAcceptedEpoch(epoch);
      this.sendAfter(seq, { type: 'ACKEPOCH', currentEpoch: this.core.currentEpoch, lastZxid });
    } else if (epoch === this.core.acceptedEpoch) {
      // Already acked this epoch once (perhaps to another leader): -1 does not count as an ack.
      this.core.send(this.leaderSid, { type: 'ACKEPOCH', currentEpoch: -1, lastZxid });
    } else {
      this.fail(`leader's epoch ${epoch} is less than accepted epoch ${this.core.acceptedEpoch}`);
      return;
    }
    this.zabPhase = 'SYNCHRONIZATION';
    this.core.noteState(this);
  }

  // ---- synchronisation (Learner.syncWithLeader) -------------------------------------------

  private onSync(msg: ZabMessage): void {
    if (this.syncMode === null) {
      this.onSyncStart(msg);
      return;
    }
    switch (msg.type) {
      case 'PROPOSAL':
      case 'INFORM': {
        this.checkNext(msg.zxid);
        const seq = this.core.append(msg.zxid, msg.payload);
        if (msg.type === 'INFORM') {
          this.syncCommit = msg.zxid;
        } else if (!this.newLeaderSeen) {
          this.syncProposals.push({ zxid: msg.zxid, seq });
        } else if (this.acksProposals) {
          this.sendAfter(seq, { type: 'ACK', zxid: msg.zxid });
        }
        return;
      }
      case 'COMMIT':
        if (msg.zxid > this.core.lastZxid) this.protocolError(`COMMIT ${formatZxid(msg.zxid)} beyond last logged ${formatZxid(this.core.lastZxid)}`);
        if (msg.zxid > this.syncCommit) this.syncCommit = msg.zxid;
        return;
      case 'NEWLEADER':
        this.onNewLeader(msg.zxid);
        return;
      case 'UPTODATE':
        if (!this.newLeaderSeen) this.protocolError('UPTODATE before NEWLEADER');
        this.zabPhase = 'BROADCAST';
        this.upToDate = true;
        // The leader has a quorum of NEWLEADER acks: the synced history is committed.
        this.core.commitUpTo(this.syncCommit);
        this.core.noteState(this, `synced with leader ${this.leaderSid} by ${String(this.syncMode)}`);
        return;
      case 'PING':
        return; // syncWithLeader has no case for PING
      default:
        this.fail(`unexpected ${formatMessage(msg)} during synchronisation`);
    }
  }

  private onSyncStart(msg: ZabMessage): void {
    switch (msg.type) {
      case 'DIFF':
        this.syncMode = 'DIFF';
        // Our whole log is in the leader's history.
        this.syncCommit = this.core.lastZxid;
        return;
      case 'TRUNC': {
        const z = msg.zxid;
        const committed = this.core.lastCommittedEntry();
        if (z < committed) this.protocolError(`TRUNC to ${formatZxid(z)} below committed ${formatZxid(committed)}`);
        if (!this.core.tail.contains(z) && (z & 0xffffffffn) !== 0n && z < this.core.lastZxid) {
          // FileTxnSnapLog.truncateLog fails; ZooKeeper exits.
          this.protocolError(`TRUNC to ${formatZxid(z)}, which is not in the log`);
        }
        this.syncMode = 'TRUNC';
        this.core.truncate(z);
        this.syncCommit = z;
        return;
      }
      case 'SNAP':
        this.syncMode = 'SNAP';
        this.core.installSnapshot(msg.zxid, msg.snapshot);
        this.syncCommit = msg.zxid;
        return;
      default:
        this.fail(`expected DIFF, TRUNC or SNAP, got ${msg.type}`);
    }
  }

  private onNewLeader(zxid: Zxid): void {
    if (epochOf(zxid) !== this.newEpoch || (zxid & 0xffffffffn) !== 0n) {
      this.protocolError(`NEWLEADER ${formatZxid(zxid)} does not match epoch ${this.newEpoch}`);
    }
    if (this.newLeaderSeen) this.protocolError('second NEWLEADER');
    this.newLeaderSeen = true;
    // ZOOKEEPER-4643/4785: currentEpoch only after the synced txns; the
    // write goes after every append already issued, and the ack waits for it.
    const seq = this.core.writeCurrentEpoch(this.newEpoch);
    this.sendAfter(seq, { type: 'ACK', zxid });
    if (this.acksProposals) {
      // Proposals the leader has not committed yet need our ACK (after the NEWLEADER ACK).
      for (const p of this.syncProposals) {
        if (p.zxid > this.syncCommit) this.sendAfter(seq, { type: 'ACK', zxid: p.zxid });
      }
    }
    this.syncProposals = [];
  }

  /** Proposals arrive in order; a gap is only allowed where a new epoch starts. */
  protected checkNext(zxid: Zxid): void {
    const last = this.core.lastZxid;
    if (zxid <= last) this.protocolError(`proposal ${formatZxid(zxid)} not after last logged ${formatZxid(last)}`);
    if (zxid !== last + 1n && epochOf(zxid) === epochOf(last)) {
      this.protocolError(`gap: proposal ${formatZxid(zxid)} after ${formatZxid(last)}`);
    }
  }

  // ---- broadcast ---------------------------------------------------------------------------

  private onBroadcastCommon(msg: ZabMessage): void {
    switch (msg.type) {
      case 'PING': {
        const payload = this.core.touches;
        this.core.touches = null;
        this.core.send(this.leaderSid, { type: 'PING', zxid: msg.zxid, payload });
        return;
      }
      case 'SYNC':
        this.core.waitForDelivery(msg.id, msg.zxid);
        return;
      default:
        this.onBroadcast(msg);
    }
  }

  /** PROPOSAL/COMMIT for followers, INFORM for observers. */
  protected abstract onBroadcast(msg: ZabMessage): void;

  propose(): ProposeResult {
    return { ok: false, reason: 'not-leader' };
  }

  forward(payload: Uint8Array): boolean {
    if (!this.serving()) return false;
    this.core.send(this.leaderSid, { type: 'REQUEST', payload });
    return true;
  }

  sync(id: number): boolean {
    if (!this.serving()) return false;
    this.core.send(this.leaderSid, { type: 'SYNC', id, zxid: this.core.lastZxid });
    return true;
  }

  snapshotReady(): void {}

  check(problems: string[]): void {
    if (this.upToDate && this.zabPhase !== 'BROADCAST') problems.push('serving learner not in BROADCAST');
    if (this.upToDate && this.core.currentEpoch !== this.newEpoch) {
      problems.push(`serving learner currentEpoch ${this.core.currentEpoch} != leader epoch ${this.newEpoch}`);
    }
    if (this.newLeaderSeen && this.core.acceptedEpoch < this.newEpoch) problems.push('synced learner acceptedEpoch below leader epoch');
    let prev = -1;
    for (const h of this.held) {
      if (h.seq < prev) {
        // Held messages are released in order, so a later one may never be durable before an earlier one.
        problems.push('held messages out of seq order');
        break;
      }
      prev = h.seq;
    }
  }
}
