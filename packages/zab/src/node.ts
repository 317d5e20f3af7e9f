/**
 * `createZabNode`: one server's ZAB state machine (ZooKeeper's `QuorumPeer`
 * minus election, threads, sockets and disks). Inputs are method calls; outputs
 * accumulate in a `Ready` (see ready.ts and README.md).
 */
import type { Zxid } from '@zk/zxid';
import { resolveConfig, type LearnerType, type ZabConfig } from './config.js';
import { NodeCore } from './core.js';
import { ZabInvariantError, ZabUsageError } from './errors.js';
import { Follower } from './follower.js';
import { Leader, type LearnerStatus } from './leader.js';
import type { ZabMessage } from './messages.js';
import { Observer } from './observer.js';
import type { Ready, ServerState, ZabPhase } from './ready.js';
import { Looking, type ProposeResult, type Role } from './role.js';
import { EMPTY_DURABLE_STATE, validateDurableState, type DurableState } from './storage.js';

export interface ZabStatus {
  readonly sid: number;
  readonly learnerType: LearnerType;
  readonly state: ServerState;
  readonly phase: ZabPhase;
  /** The epoch being established or led; 0 while LOOKING. */
  readonly epoch: number;
  readonly leader: number | null;
  readonly serving: boolean;
  /** Latest written values (what an election should use, as ZooKeeper's in-memory copies). */
  readonly acceptedEpoch: number;
  readonly currentEpoch: number;
  /** Values known durable. */
  readonly durableAcceptedEpoch: number;
  readonly durableCurrentEpoch: number;
  /** Last logged zxid (the election's `lastZxid`). */
  readonly lastZxid: Zxid;
  /** Highest zxid known committed. */
  readonly lastCommitted: Zxid;
  /** Last zxid handed to the state machine. */
  readonly lastDelivered: Zxid;
  /** The oldest zxid the in-memory log can DIFF from. */
  readonly logBase: Zxid;
  readonly durableSeq: number;
  readonly ticks: number;
  /** Leader only. */
  readonly lastProposed?: Zxid;
  readonly outstanding?: number;
  readonly learners?: readonly LearnerStatus[];
}

export interface ZabNode {
  readonly sid: number;

  /** The election decided: `leaderSid` leads (this server, or the one to follow/observe). Leaves any current role first. */
  electionComplete(leaderSid: number): void;
  /** Leave the current role and go LOOKING (for example on shutdown or a forced re-election). */
  stepDown(reason?: string): void;

  /** A message from peer `from`, in the order the connection delivered it. */
  step(from: number, msg: ZabMessage): void;
  /** One logical tick (ZooKeeper `tickTime`). */
  tick(): void;
  /** The connection to `sid` closed (TCP error, timeout, or a `disconnect` this node asked for). */
  peerDisconnected(sid: number): void;
  /** Every persist op with `seq` up to this is durable. */
  persisted(seq: number): void;
  /** The snapshot asked for with `snapshotRequested`, taken after applying commits up to `zxid`. */
  snapshotReady(zxid: Zxid, data: Uint8Array): void;

  /** Leader: propose an opaque transaction. */
  propose(payload: Uint8Array): ProposeResult;
  /**
   * Leader: the zxid the next successful `propose` will assign, or null when this node is not an
   * established leader or the counter is exhausted. Lets an application put the zxid inside the
   * payload it is about to propose (ZooKeeper's prep stage stamps it on the txn header).
   */
  nextZxid(): Zxid | null;
  /** Learner: forward a client write to the leader as REQUEST. False when not serving. */
  forward(payload: Uint8Array): boolean;
  /** Ask for ZooKeeper sync semantics; completion comes back in `Ready.syncs` with this id. False when not serving. */
  sync(id: number): boolean;
  /** Learner: opaque session touches for the next PING reply (replaces any pending). */
  setSessionTouches(payload: Uint8Array): void;

  hasReady(): boolean;
  ready(): Ready;
  advance(): void;

  /** True once this server may serve clients: the leader after a quorum acked NEWLEADER, a learner after UPTODATE. */
  isServing(): boolean;
  status(): ZabStatus;
  /** Throws `ZabInvariantError` if an internal invariant does not hold. Cheap enough to run after every step in tests. */
  invariants(): void;
}

class Node implements ZabNode {
  private readonly core: NodeCore;
  private role: Role;

  constructor(config: ZabConfig, durable: DurableState) {
    validateDurableState(durable);
    this.core = new NodeCore(resolveConfig(config), durable);
    this.role = this.looking();
    this.core.noteState(this.role);
  }

  get sid(): number {
    return this.core.sid;
  }

  private looking(): Role {
    return new Looking((from) => this.core.disconnect(from));
  }

  private becomeLooking(reason: string): void {
    this.role.leave();
    this.core.dropSyncWaiters();
    this.role = this.looking();
    this.core.noteState(this.role, reason);
  }

  electionComplete(leaderSid: number): void {
    if (this.role.state !== 'LOOKING') this.becomeLooking('new election result');
    const host = { becomeLooking: (reason: string) => this.becomeLooking(reason) };
    if (leaderSid === this.core.sid) {
      if (this.core.cfg.learnerType === 'observer') throw new ZabUsageError(`observer ${this.core.sid} cannot lead`);
      this.role = new Leader(this.core, host);
    } else if (this.core.cfg.learnerType === 'observer') {
      this.role = new Observer(this.core, host, leaderSid);
    } else {
      this.role = new Follower(this.core, host, leaderSid);
    }
    this.core.noteState(this.role);
    this.role.start();
    // A one-server ensemble may already be able to move on.
    this.role.onDurable();
  }

  stepDown(reason = 'stepped down'): void {
    if (this.role.state !== 'LOOKING') this.becomeLooking(reason);
  }

  step(from: number, msg: ZabMessage): void {
    this.role.step(from, msg);
  }

  tick(): void {
    this.core.now++;
    this.role.tick();
  }

  peerDisconnected(sid: number): void {
    this.role.peerDisconnected(sid);
  }

  persisted(seq: number): void {
    if (this.core.markDurable(seq)) {
      this.role.onDurable();
      this.core.deliver();
    }
  }

  snapshotReady(zxid: Zxid, data: Uint8Array): void {
    this.role.snapshotReady(zxid, data);
  }

  propose(payload: Uint8Array): ProposeResult {
    return this.role.propose(payload);
  }

  nextZxid(): Zxid | null {
    return this.role instanceof Leader ? this.role.nextZxid() : null;
  }

  forward(payload: Uint8Array): boolean {
    return this.role.forward(payload);
  }

  sync(id: number): boolean {
    return this.role.sync(id);
  }

  setSessionTouches(payload: Uint8Array): void {
    this.core.touches = payload;
  }

  hasReady(): boolean {
    return this.core.out.hasReady();
  }

  ready(): Ready {
    return this.core.out.ready();
  }

  advance(): void {
    this.core.out.advance();
  }

  isServing(): boolean {
    return this.role.serving();
  }

  status(): ZabStatus {
    const c = this.core;
    const base = {
      sid: c.sid,
      learnerType: c.cfg.learnerType,
      state: this.role.state,
      phase: this.role.phase(),
      epoch: this.role.epoch(),
      leader: this.role.leader(),
      serving: this.role.serving(),
      acceptedEpoch: c.acceptedEpoch,
      currentEpoch: c.currentEpoch,
      durableAcceptedEpoch: c.durableAcceptedEpoch,
      durableCurrentEpoch: c.durableCurrentEpoch,
      lastZxid: c.lastZxid,
      lastCommitted: c.knownCommitted,
      lastDelivered: c.delivered,
      logBase: c.tail.base,
      durableSeq: c.durableSeq,
      ticks: c.now,
    };
    if (this.role instanceof Leader) {
      return {
        ...base,
        lastProposed: this.role.lastProposedZxid,
        outstanding: this.role.outstandingCount,
        learners: this.role.learners(),
      };
    }
    return base;
  }

  invariants(): void {
    const problems: string[] = [];
    this.core.check(problems);
    this.role.check(problems);
    if (this.role.serving() && this.role.phase() !== 'BROADCAST') problems.push('serving outside BROADCAST');
    if (problems.length > 0) throw new ZabInvariantError(problems.map((p) => `[sid ${this.core.sid}] ${p}`));
  }
}

/**
 * Creates a node in LOOKING state from what the driver read back from disk
 * (nothing for a fresh server).
 */
export function createZabNode(config: ZabConfig, durable: DurableState = EMPTY_DURABLE_STATE): ZabNode {
  return new Node(config, durable);
}

