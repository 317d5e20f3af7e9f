import { OpCode, decodeTxnEntry, encodeTxnEntry, type TxnEntry, type TxnHeader } from '@zk/protocol';
import type { PeerStateChange, QuorumPeer, QuorumPeerOptions, ReplicatedStateMachine } from '@zk/quorum';
import { createQuorumPeer } from '@zk/quorum';
import type { Zxid } from '@zk/zxid';
import { formatZxid } from '@zk/zxid';
import { decodeForwarded, decodeTouches, encodeForwardedWrite, encodeOwnerClaim, encodeTouches } from './forward-codec.js';
import type { Request } from './request.js';
import type { ReplicationRoute, ServerCore } from './server-core.js';

export type EnsembleRole = 'leader' | 'follower' | 'observer' | 'looking';

/** A proposal of this leader: the txn (so the commit needs no decode) and, for a local client, its request. */
interface Proposed {
  readonly entry: TxnEntry;
  readonly req: Request | undefined;
}

/**
 * The server side of an ensemble member (ZooKeeper's Leader/Follower/ObserverZooKeeperServer):
 * connects the request pipeline of a ServerCore to a QuorumPeer.
 *
 * - Leader: prepares every write (its clients' and those learners forward) against its tree plus
 *   outstanding changes, stamps the zxid the peer will assign, and proposes it.
 * - Learner: forwards its clients' writes to the leader and answers each when its commit arrives,
 *   matched by session and cxid (CommitProcessor's rule: a session's writes commit in order).
 * - Every replica applies commits to its tree (watches fire wherever they were set). Sessions are
 *   global: learners report the sessions their clients touched on each PING reply; the leader
 *   expires sessions through closeSession txns.
 */
export class EnsembleReplica implements ReplicationRoute {
  readonly peer: QuorumPeer;
  private role: EnsembleRole = 'looking';
  /** state/epoch/serving of the last change acted on. */
  private term = '';
  private readonly proposed = new Map<Zxid, Proposed>();
  /** Learner: this server's forwarded writes, per session, in the order they were sent. */
  private readonly forwarded = new Map<bigint, Request[]>();
  private forwardedCount = 0;
  /** Learner: sessions whose clients sent something since the last PING reply. */
  private touched = new Map<bigint, number>();
  private readonly roleHandlers: Array<(role: EnsembleRole) => void> = [];

  constructor(
    private readonly core: ServerCore,
    options: Omit<QuorumPeerOptions, 'stateMachine'>,
  ) {
    const stateMachine: ReplicatedStateMachine = {
      apply: (zxid, payload) => this.applyCommitted(zxid, payload),
      snapshot: () => core.snapshotNow(),
      restore: (bytes) => core.restoreSnapshot(bytes),
    };
    this.peer = createQuorumPeer({ ...options, stateMachine });
    core.replicateThrough(this);
    this.peer.onStateChange((ch) => this.onStateChange(ch));
    this.peer.onRequest((from, payload) => this.onForwarded(from, payload));
    this.peer.onTouches((from, payload) => this.onTouches(from, payload));
    this.peer.provideTouches(() => this.takeTouches());
    this.peer.onFatal((err) => {
      core.logger.error('quorum peer stopped on a fatal error; restart this server (it recovers from its data directory)', {
        error: err.message,
      });
      this.leaveRole('fatal error');
    });
  }

  get mode(): EnsembleRole {
    return this.role;
  }

  get outstanding(): number {
    return this.proposed.size + this.forwardedCount;
  }

  /** Leader-only `mntr` lines, as ZooKeeper's leader prints them. */
  monitorLines(): Array<[string, number]> {
    if (this.role !== 'leader') return [];
    const learners = this.peer.status().learners;
    const synced = learners.filter((l) => l.state === 'UPTODATE' && l.synced);
    return [
      ['zk_learners', learners.length],
      ['zk_synced_followers', synced.filter((l) => l.type === 'participant').length],
      ['zk_synced_non_voting_followers', 0],
      ['zk_synced_observers', synced.filter((l) => l.type === 'observer').length],
      ['zk_pending_syncs', 0],
    ];
  }

  onRoleChange(handler: (role: EnsembleRole) => void): void {
    this.roleHandlers.push(handler);
  }

  // ---- ReplicationRoute ----

  submit(req: Request): void {
    if (!this.core.serving) {
      req.conn?.close('server is not serving');
      return;
    }
    if (req.type === OpCode.sync) {
      this.peer.sync().then(
        () => this.core.replySync(req),
        () => req.conn?.close('lost the leader during sync'),
      );
      return;
    }
    if (this.role === 'leader') {
      this.propose(req, req.conn, req.conn?.authIds ?? []);
      return;
    }
    if (!this.peer.forward(encodeForwardedWrite(req, req.conn?.authIds ?? []))) {
      req.conn?.close('lost the leader');
      return;
    }
    const q = this.forwarded.get(req.sessionId);
    if (q === undefined) this.forwarded.set(req.sessionId, [req]);
    else q.push(req);
    this.forwardedCount++;
  }

  sessionAttached(sessionId: bigint, timeoutMs: number): void {
    if (this.role === 'leader') return; // attach() makes the connection the owner
    this.peer.forward(encodeOwnerClaim(sessionId, timeoutMs));
  }

  sessionTouched(sessionId: bigint, timeoutMs: number): void {
    if (this.role !== 'leader') this.touched.set(sessionId, timeoutMs);
  }

  catchUp(): Promise<void> {
    return this.peer.sync().then(() => undefined);
  }

  // ---- leader ----

  /** `owner`: the local connection, the learner's sid, or undefined for the server's own requests. */
  private propose(req: Request, owner: Parameters<ServerCore['prepareEntry']>[2], authIds: Parameters<ServerCore['prepareEntry']>[3]): void {
    const zxid = this.peer.nextZxid();
    if (zxid === null) {
      req.conn?.close('not leading any more');
      return;
    }
    const entry = this.core.prepareEntry(req, zxid, owner, authIds);
    const r = this.peer.propose(encodeTxnEntry(entry));
    if (!r.ok) {
      // The peer is leaving the role (counter exhausted, stopped); clients reconnect elsewhere.
      req.conn?.close(`proposal refused: ${r.reason}`);
      return;
    }
    this.proposed.set(zxid, { entry, req: req.conn !== undefined ? req : undefined });
  }

  private onForwarded(from: number, payload: Uint8Array): void {
    if (this.role !== 'leader') return;
    let f;
    try {
      f = decodeForwarded(payload);
    } catch (err) {
      this.core.logger.warn('dropping an undecodable request forwarded by a learner', { from, error: String(err) });
      return;
    }
    if (f.kind === 'owner') {
      // A client moved to `from`: its earlier server's stale requests now get SESSIONMOVED.
      if (this.core.sessions.setOwner(f.sessionId, from) === 0) this.core.sessions.touch(f.sessionId, this.core.clock.now(), f.timeoutMs);
      return;
    }
    const req: Request = {
      conn: undefined, sessionId: f.sessionId, xid: f.xid, type: f.type, body: f.body, receivedAt: this.core.clock.now(),
    };
    // createSession carries no owner check; every other write is checked against the learner's sid.
    this.propose(req, f.type === OpCode.createSession ? undefined : from, f.authIds);
  }

  private onTouches(from: number, payload: Uint8Array): void {
    let touches;
    try {
      touches = decodeTouches(payload);
    } catch (err) {
      this.core.logger.warn('dropping undecodable session touches', { from, error: String(err) });
      return;
    }
    const now = this.core.clock.now();
    for (const [id, timeoutMs] of touches) this.core.sessions.touch(id, now, timeoutMs);
  }

  // ---- learner ----

  private takeTouches(): Uint8Array | null {
    if (this.touched.size === 0) return null;
    const bytes = encodeTouches(this.touched);
    this.touched = new Map();
    return bytes;
  }

  /**
   * The forwarded request a commit answers: normally the head of its session's queue. Writes of one
   * session commit in the order they were forwarded, so requests queued before the match were lost
   * on the way (the leader could not use them): their connections close, as ZooKeeper's learner
   * closes a connection whose requests it cannot complete, and the clients retry elsewhere.
   */
  private matchForwarded(hdr: TxnHeader): Request | undefined {
    const q = this.forwarded.get(hdr.clientId);
    if (q === undefined) return undefined;
    const at = q.findIndex((r) => r.xid === hdr.cxid);
    if (at < 0) return undefined;
    const lost = q.splice(0, at);
    const req = q.shift()!;
    if (q.length === 0) this.forwarded.delete(hdr.clientId);
    this.forwardedCount -= at + 1;
    for (const r of lost) r.conn?.close('a forwarded request was lost');
    return req;
  }

  // ---- every replica ----

  private applyCommitted(zxid: Zxid, payload: Uint8Array): void {
    const mine = this.proposed.get(zxid);
    let entry: TxnEntry;
    let req: Request | undefined;
    if (mine !== undefined) {
      this.proposed.delete(zxid);
      entry = mine.entry;
      req = mine.req;
    } else {
      entry = decodeTxnEntry(payload);
      if (entry.header.zxid !== zxid) {
        throw new Error(`txn header zxid ${formatZxid(entry.header.zxid)} differs from its proposal's ${formatZxid(zxid)}`);
      }
      req = this.forwardedCount > 0 ? this.matchForwarded(entry.header) : undefined;
    }
    this.core.applyCommitted(entry, req);
  }

  private onStateChange(ch: PeerStateChange): void {
    const term = `${ch.state}/${ch.epoch}/${ch.serving}`;
    if (term === this.term) return;
    this.term = term;
    this.leaveRole(`server is ${ch.serving ? 'changing role' : 'not serving'} (${ch.state.toLowerCase()})`);
    const role: EnsembleRole = !ch.serving
      ? 'looking'
      : ch.state === 'LEADING' ? 'leader' : ch.state === 'OBSERVING' ? 'observer' : ch.state === 'FOLLOWING' ? 'follower' : 'looking';
    this.role = role;
    if (role !== 'looking') this.core.startServing(role === 'leader');
    this.core.logger.info('ensemble role', {
      role, state: ch.state, leader: ch.leader, epoch: ch.epoch, lastZxid: formatZxid(this.core.lastZxid()),
      ...(ch.reason !== undefined ? { reason: ch.reason } : {}),
    });
    for (const h of this.roleHandlers) h(role);
  }

  /** Drops everything tied to the old role; the clients' requests in flight get no answer, as in ZooKeeper. */
  private leaveRole(reason: string): void {
    const wasServing = this.core.serving;
    this.role = 'looking';
    this.proposed.clear();
    this.forwarded.clear();
    this.forwardedCount = 0;
    this.touched = new Map();
    if (wasServing) this.core.stopServing(reason);
  }
}
