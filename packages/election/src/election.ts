import type { Zxid } from '@zk/zxid';
import { NotificationTimer, validateTimings, type ElectionTimings } from './backoff.js';
import { ElectionError, ElectionInvariantError } from './errors.js';
import type { Envelope, Notification } from './notification.js';
import type { QuorumVerifier } from './quorum.js';
import {
  NULL_VOTE,
  compareVotes,
  isBetterVote,
  sameVote,
  voteOf,
  type DecidedState,
  type RecordedVote,
  type RoundVote,
  type ServerState,
  type Vote,
} from './vote.js';

export interface ElectionConfig extends ElectionTimings {
  /** This server's id (`myid`). */
  readonly myId: number;
  /** Who votes and what counts as a quorum. */
  readonly quorum: QuorumVerifier;
  /** Last zxid in this server's log (`QuorumPeer.getLastLoggedZxid`). Can be refreshed by `start`. */
  readonly lastZxid: Zxid;
  /**
   * Epoch of the last NEWLEADER this server accepted (`QuorumPeer.getCurrentEpoch`;
   * not `acceptedEpoch`). Can be refreshed by `start`.
   */
  readonly currentEpoch: number;
  /**
   * True for an observer. Defaults to "myId is not a voter". A participant must
   * be a voter and an observer must not be (non-voting participants, which
   * only exist during reconfig, are not modelled).
   */
  readonly observer?: boolean;
}

/** What a finished election decided. */
export interface Decision {
  /** LEADING when this server won, FOLLOWING for a participant, OBSERVING for an observer. */
  readonly state: DecidedState;
  readonly leader: number;
  /** The final vote; `electionEpoch` is the round the decision belongs to. */
  readonly vote: RoundVote;
  /**
   * The servers whose votes made the quorum (ZooKeeper's `leadingVoteSet`,
   * which the leader later uses in `Leader.reportLookingSid`). Ascending.
   */
  readonly voteSet: readonly number[];
}

/** The output batch: send the messages, act on the decision, then `advance()`. */
export interface Ready {
  /** Notifications to send, each to one peer. FIFO per peer is expected, not required. */
  readonly messages: readonly Envelope[];
  /** Set when this server left LOOKING since the last `advance()`. */
  readonly decided?: Decision;
  /**
   * While LEADING: voters that contacted us while LOOKING, in arrival order
   * (ZooKeeper calls `Leader.reportLookingSid` for each, so a leader still
   * waiting for its epoch can give up if one of its own voters went back to
   * LOOKING).
   */
  readonly lookingVoters: readonly number[];
}

/** A snapshot of the state machine, for logs, 4lw-style status and tests. */
export interface ElectionStatus {
  readonly myId: number;
  readonly observer: boolean;
  readonly started: boolean;
  readonly state: ServerState;
  readonly logicalClock: number;
  /** The current proposal while LOOKING, the final vote otherwise. */
  readonly vote: RoundVote;
  /** Votes of the current round, by sender (ZooKeeper's `recvset`). Ascending sid. */
  readonly received: ReadonlyArray<{ readonly sid: number; readonly vote: RecordedVote }>;
  /** FOLLOWING / LEADING votes from any round (ZooKeeper's `outofelection`). Ascending sid. */
  readonly outOfElection: ReadonlyArray<{ readonly sid: number; readonly vote: RecordedVote }>;
  /** Ticks left in the finalize wait, or undefined when not finalizing. */
  readonly finalizeTicksLeft: number | undefined;
  readonly notificationIntervalTicks: number;
  readonly idleTicks: number;
  /** Ticks since construction. */
  readonly ticks: number;
}

/** Fresh data for a new round, read by the caller from its log. */
export interface RoundData {
  readonly lastZxid?: Zxid;
  readonly currentEpoch?: number;
}

/**
 * Fast Leader Election (ZooKeeper's `FastLeaderElection`) as a deterministic
 * state machine. One instance lives as long as the server process: it runs a
 * round while LOOKING (`lookForLeader`) and, once decided, keeps answering
 * LOOKING peers with the final vote (the non-LOOKING branch of
 * `WorkerReceiver`). Call `start()` again to run a new round when the ZAB
 * layer gives up on the leader.
 *
 * No I/O, timers, clocks or randomness: input is `step` (a received
 * notification) and `tick` (a unit of time); output is `ready()`.
 */
export class Election {
  readonly myId: number;
  readonly observer: boolean;

  private readonly quorum: QuorumVerifier;
  private readonly timings: ElectionTimings;
  private readonly timer: NotificationTimer;

  private lastZxid: Zxid;
  private currentEpoch: number;

  private started = false;
  private stateValue: ServerState = 'LOOKING';
  private clock = 0;
  private proposal: Vote = NULL_VOTE;
  private finalVote: RoundVote | undefined;
  private readonly recvset = new Map<number, RecordedVote>();
  private readonly outOfElection = new Map<number, RecordedVote>();
  private finalizeLeft: number | undefined;
  private tickCount = 0;
  /** Other voters the driver is connected to; undefined until it says (then the wait always runs). */
  private reachable: ReadonlySet<number> | undefined;

  private outbox: Envelope[] = [];
  private decision: Decision | undefined;
  private looking: number[] = [];
  private handedOut: { messages: number; decision: Decision | undefined; looking: number } | undefined;

  constructor(config: ElectionConfig) {
    const { myId, quorum } = config;
    if (!Number.isSafeInteger(myId) || myId < 0) throw new RangeError(`myId must be a non-negative safe integer, got ${myId}`);
    validateTimings(config);
    const isVoter = quorum.voters().has(myId);
    const observer = config.observer ?? !isVoter;
    if (observer && isVoter) throw new ElectionError(`server ${myId} is a voter and cannot be an observer`);
    if (!observer && !isVoter) throw new ElectionError(`server ${myId} is not a voter; non-voting participants are not supported`);
    checkRoundData(config.lastZxid, config.currentEpoch);
    this.myId = myId;
    this.observer = observer;
    this.quorum = quorum;
    this.timings = {
      finalizeWaitTicks: config.finalizeWaitTicks,
      minNotificationTicks: config.minNotificationTicks,
      maxNotificationTicks: config.maxNotificationTicks,
    };
    this.timer = new NotificationTimer(config.minNotificationTicks, config.maxNotificationTicks);
    this.lastZxid = config.lastZxid;
    this.currentEpoch = config.currentEpoch;
  }

  // ---------------------------------------------------------------- queries

  get state(): ServerState {
    return this.stateValue;
  }

  /** The election round (`logicalclock`). 0 before the first `start()`. */
  get logicalClock(): number {
    return this.clock;
  }

  /** The current proposal while LOOKING, the final vote once decided. */
  currentVote(): RoundVote {
    if (this.stateValue !== 'LOOKING' && this.finalVote !== undefined) return this.finalVote;
    return { ...this.proposal, electionEpoch: this.clock };
  }

  status(): ElectionStatus {
    const sorted = (m: Map<number, RecordedVote>) =>
      [...m.entries()].sort((a, b) => a[0] - b[0]).map(([sid, vote]) => ({ sid, vote }));
    return {
      myId: this.myId,
      observer: this.observer,
      started: this.started,
      state: this.stateValue,
      logicalClock: this.clock,
      vote: this.currentVote(),
      received: sorted(this.recvset),
      outOfElection: sorted(this.outOfElection),
      finalizeTicksLeft: this.finalizeLeft,
      notificationIntervalTicks: this.timer.intervalTicks,
      idleTicks: this.timer.idleTicks,
      ticks: this.tickCount,
    };
  }

  // ---------------------------------------------------------------- inputs

  /**
   * Begins a round (`lookForLeader`): bumps the logical clock, votes for
   * itself (an observer votes for nobody), and broadcasts the vote to every
   * voter. Allowed before the first round and after a decision (the caller's
   * ZAB role ended); not while already LOOKING. Pass fresh `lastZxid` /
   * `currentEpoch` when they changed since the last round.
   */
  start(data: RoundData = {}): void {
    if (this.started && this.stateValue === 'LOOKING') throw new ElectionError('start(): already LOOKING');
    const lastZxid = data.lastZxid ?? this.lastZxid;
    const currentEpoch = data.currentEpoch ?? this.currentEpoch;
    checkRoundData(lastZxid, currentEpoch);
    this.lastZxid = lastZxid;
    this.currentEpoch = currentEpoch;
    this.started = true;
    this.stateValue = 'LOOKING';
    this.clock += 1;
    this.proposal = this.initialVote();
    this.finalVote = undefined;
    this.recvset.clear();
    this.outOfElection.clear();
    this.finalizeLeft = undefined;
    this.timer.reset();
    // A decision not yet handed to the driver is superseded by the new round.
    this.decision = undefined;
    this.broadcast();
    this.checkLookingQuorum();
  }

  /**
   * The driver's view of which other voters it is connected to now (call it
   * on every link change). Deliberate difference: once a quorum backs our
   * proposal and every reachable voter has sent that same vote in this round,
   * the finalize wait is skipped, since no better vote can come before a link
   * comes up. ZooKeeper always waits 200 ms. The wait only ever served to
   * pick a better leader; safety does not depend on it, because a voter
   * never backs a vote worse than its own history.
   */
  setReachable(sids: Iterable<number>): void {
    this.reachable = new Set([...sids].filter((s) => s !== this.myId && this.isVoter(s)));
    if (this.started && this.stateValue === 'LOOKING' && this.finalizeLeft !== undefined && this.allReachableAgree()) {
      this.decideOnProposal();
    }
  }

  /**
   * A notification `msg` arrived from server `from` (the transport's notion
   * of the sender). Valid in every state once started.
   */
  step(from: number, msg: Notification): void {
    this.assertStarted('step');
    if (!Number.isSafeInteger(from) || from < 0) throw new ElectionError(`step(): bad sender id ${from}`);
    if (from === this.myId) throw new ElectionError('step(): a server never sends notifications to itself');

    // WorkerReceiver: a non-voter (observer) gets our vote straight back and
    // its notification is otherwise ignored.
    if (!this.isVoter(from)) {
      if (!this.observer) this.send(from, this.replyToNonVoter());
      return;
    }

    if (this.stateValue === 'LOOKING') {
      // A LOOKING peer in an older round gets our current proposal. Observers
      // skip this: voters ignore what observers say (see README, deviations).
      if (!this.observer && msg.state === 'LOOKING' && msg.electionEpoch < this.clock) {
        this.send(from, this.lookingNotification());
      } else if (
        !this.observer &&
        msg.state === 'LOOKING' &&
        msg.electionEpoch === this.clock &&
        isBetterVote(this.proposal, msg, this.quorum)
      ) {
        // Deliberate difference: a peer of this round backing a worse vote
        // gets ours at once. It may have missed our broadcast while it was
        // still following a leader that just died; ZooKeeper leaves it to
        // the 200 ms re-send timer, which nearly doubles such a failover.
        this.send(from, this.lookingNotification());
      }
      this.lookForLeader(from, msg);
      return;
    }

    // Out of the election: answer LOOKING voters with the final vote.
    if (msg.state === 'LOOKING' && !this.observer) {
      if (this.stateValue === 'LEADING') this.looking.push(from);
      this.send(from, this.finalNotification());
    }
  }

  /** One unit of logical time passed. */
  tick(): void {
    this.assertStarted('tick');
    this.tickCount++;
    if (this.stateValue !== 'LOOKING') return;
    if (this.finalizeLeft !== undefined) {
      this.finalizeLeft--;
      if (this.finalizeLeft <= 0) this.decideOnProposal();
      return;
    }
    if (this.timer.onTick()) this.broadcast();
  }

  /**
   * ZooKeeper's `QuorumPeer.updateElectionVote`: once ZAB established the new
   * epoch, the leader and each synced learner report it as the peerEpoch of
   * their final vote, so servers joining later see consistent votes
   * (ZOOKEEPER-1732). Only valid after a decision.
   */
  updatePeerEpoch(peerEpoch: number): void {
    this.assertStarted('updatePeerEpoch');
    if (this.stateValue === 'LOOKING' || this.finalVote === undefined) {
      throw new ElectionError('updatePeerEpoch(): only valid once decided');
    }
    if (!Number.isSafeInteger(peerEpoch) || peerEpoch < 0) throw new RangeError(`bad peerEpoch ${peerEpoch}`);
    this.finalVote = { ...this.finalVote, peerEpoch };
  }

  // ---------------------------------------------------------------- outputs

  hasReady(): boolean {
    return this.outbox.length > 0 || this.decision !== undefined || this.looking.length > 0;
  }

  /**
   * Everything produced since the last `advance()`. Calling it again without
   * `advance()` returns the same batch plus anything produced meanwhile.
   */
  ready(): Ready {
    const messages = this.outbox.slice();
    const lookingVoters = this.looking.slice();
    const decided = this.decision;
    this.handedOut = { messages: messages.length, decision: decided, looking: lookingVoters.length };
    return decided === undefined ? { messages, lookingVoters } : { messages, decided, lookingVoters };
  }

  /** Acknowledges the batch returned by the last `ready()`. */
  advance(): void {
    const h = this.handedOut;
    if (h === undefined) throw new ElectionError('advance() without a preceding ready()');
    this.outbox.splice(0, h.messages);
    this.looking.splice(0, h.looking);
    if (this.decision === h.decision) this.decision = undefined;
    this.handedOut = undefined;
  }

  // ---------------------------------------------------------------- invariants

  /** Throws {@link ElectionInvariantError} if the internal state is inconsistent. */
  invariants(): void {
    const fail = (what: string): never => {
      throw new ElectionInvariantError(`server ${this.myId}: ${what}`);
    };
    const { minNotificationTicks: lo, maxNotificationTicks: hi } = this.timings;
    if (this.timer.intervalTicks < lo || this.timer.intervalTicks > hi) fail('notification interval out of bounds');
    if (!this.started) {
      if (this.clock !== 0 || this.outbox.length > 0 || this.decision !== undefined) fail('activity before start()');
      return;
    }
    if (this.clock < 1) fail('logical clock below 1 after start()');
    if (this.observer && (this.stateValue === 'LEADING' || this.stateValue === 'FOLLOWING')) {
      fail(`observer in state ${this.stateValue}`);
    }
    if (!this.observer && this.stateValue === 'OBSERVING') fail('participant in state OBSERVING');

    for (const [sid, v] of [...this.recvset, ...this.outOfElection]) {
      if (!this.isVoter(sid)) fail(`vote recorded from non-voter ${sid}`);
      if (!this.isVoter(v.leader)) fail(`recorded vote from ${sid} backs non-voter ${v.leader}`);
    }
    for (const [sid, v] of this.outOfElection) {
      if (v.state !== 'FOLLOWING' && v.state !== 'LEADING') fail(`outOfElection holds a ${v.state} vote from ${sid}`);
      if (sid === this.myId) fail('outOfElection holds our own vote');
    }

    if (this.stateValue === 'LOOKING') {
      if (this.finalVote !== undefined) fail('final vote set while LOOKING');
      // Our proposal never falls below the vote we started the round with.
      if (compareVotes(this.proposal, this.initialVote()) < 0) fail('proposal worse than the initial vote');
      const backed = this.proposal.leader;
      if (backed === NULL_VOTE.leader) {
        if (!this.observer) fail('participant backs nobody');
      } else {
        if (!this.isVoter(backed)) fail(`proposal backs non-voter ${backed}`);
        if (backed !== this.myId && this.quorum.weight(backed) === 0) fail(`proposal adopted weight-0 server ${backed}`);
      }
      for (const [sid, v] of this.recvset) {
        if (v.electionEpoch !== this.clock) fail(`recvset vote from ${sid} is from round ${v.electionEpoch}, not ${this.clock}`);
      }
      if (!this.observer) {
        const self = this.recvset.get(this.myId);
        const want: RecordedVote = { ...this.proposal, electionEpoch: this.clock, state: 'LOOKING' };
        if (self === undefined || !sameVote(self, want)) fail('own vote missing from recvset or stale');
      } else if (this.recvset.has(this.myId)) {
        fail('observer counted its own vote');
      }
      if (this.finalizeLeft !== undefined) {
        if (this.finalizeLeft < 1 || this.finalizeLeft > this.timings.finalizeWaitTicks) fail('finalize countdown out of bounds');
        if (!this.quorum.isQuorum(this.ackers(this.recvset, this.proposalRecord()))) fail('finalizing without a quorum');
      }
    } else {
      const v = this.finalVote;
      if (v === undefined) return fail(`state ${this.stateValue} without a final vote`);
      if (this.finalizeLeft !== undefined) fail('finalize countdown running after the decision');
      if (this.recvset.size > 0 || this.outOfElection.size > 0) fail('round state kept after the decision');
      if ((this.stateValue === 'LEADING') !== (v.leader === this.myId)) fail(`state ${this.stateValue} but leader ${v.leader}`);
      if (!this.isVoter(v.leader) || this.quorum.weight(v.leader) === 0) fail(`decided on ineligible leader ${v.leader}`);
    }
  }

  // ---------------------------------------------------------------- the round

  /** lookForLeader's loop body for one notification from a voter. */
  private lookForLeader(from: number, n: Notification): void {
    this.timer.onNotification();

    if (this.finalizeLeft !== undefined) {
      // The finalize wait: anything not better than our proposal is dropped
      // and restarts the wait; a better vote cancels the decision and is
      // processed as usual.
      if (!isBetterVote(n, this.proposal, this.quorum)) {
        this.finalizeLeft = this.timings.finalizeWaitTicks;
        // A vote that backs ours is tallied (ZooKeeper drops it), so that the last reachable
        // voter's agreement can end the wait; any other is dropped as ZooKeeper does.
        const rec: RecordedVote = { ...voteOf(n), electionEpoch: n.electionEpoch, state: n.state };
        if (n.state === 'LOOKING' && sameVote(rec, this.proposalRecord())) {
          this.recvset.set(from, rec);
          if (this.allReachableAgree()) this.decideOnProposal();
        }
        return;
      }
      this.finalizeLeft = undefined;
    }

    if (!this.isVoter(n.leader)) return;
    switch (n.state) {
      case 'LOOKING':
        this.onLookingNotification(from, n);
        return;
      case 'OBSERVING':
        return;
      case 'FOLLOWING':
      case 'LEADING':
        this.onDecidedNotification(from, n);
        return;
    }
  }

  private onLookingNotification(from: number, n: Notification): void {
    if (n.electionEpoch > this.clock) {
      // A newer round: join it, forget the old round's votes, and back the
      // better of the sender's vote and our own initial vote.
      this.clock = n.electionEpoch;
      this.recvset.clear();
      const init = this.initialVote();
      this.proposal = isBetterVote(n, init, this.quorum) ? voteOf(n) : init;
      this.broadcast();
    } else if (n.electionEpoch < this.clock) {
      return;
    } else if (isBetterVote(n, this.proposal, this.quorum)) {
      this.proposal = voteOf(n);
      this.broadcast();
    }
    this.recvset.set(from, { ...voteOf(n), electionEpoch: n.electionEpoch, state: 'LOOKING' });
    this.checkLookingQuorum();
  }

  /** receivedFollowingNotification / receivedLeadingNotification (without the 2-node Oracle). */
  private onDecidedNotification(from: number, n: Notification): void {
    const v: RecordedVote = { ...voteOf(n), electionEpoch: n.electionEpoch, state: n.state };
    if (n.electionEpoch === this.clock) {
      this.recvset.set(from, v);
      const acks = this.ackers(this.recvset, v);
      if (this.quorum.isQuorum(acks) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        this.decide(v, acks);
        return;
      }
    }
    // Joining an established ensemble: a quorum reports the same leader and
    // the leader itself says it is LEADING.
    this.outOfElection.set(from, v);
    const acks = this.ackers(this.outOfElection, v);
    if (this.quorum.isQuorum(acks) && this.checkLeader(this.outOfElection, n.leader, n.electionEpoch)) {
      this.clock = n.electionEpoch;
      this.decide(v, acks);
    }
  }

  /** A quorum backs our proposal in this round: start (or skip) the finalize wait. */
  private checkLookingQuorum(): void {
    if (this.stateValue !== 'LOOKING' || this.finalizeLeft !== undefined) return;
    if (!this.quorum.isQuorum(this.ackers(this.recvset, this.proposalRecord()))) return;
    if (this.timings.finalizeWaitTicks === 0 || this.allReachableAgree()) this.decideOnProposal();
    else this.finalizeLeft = this.timings.finalizeWaitTicks;
  }

  /** Every voter we can reach backs our proposal in this round (see setReachable). */
  private allReachableAgree(): boolean {
    const reachable = this.reachable;
    if (reachable === undefined || this.observer) return false;
    const mine = this.proposalRecord();
    for (const sid of reachable) {
      const v = this.recvset.get(sid);
      if (v === undefined || !sameVote(v, mine)) return false;
    }
    return true;
  }

  /**
   * ZooKeeper's `checkLeader`: someone else can only be followed once it
   * said it is LEADING; we can only lead on votes from our current round.
   */
  private checkLeader(votes: ReadonlyMap<number, RecordedVote>, leader: number, electionEpoch: number): boolean {
    if (leader !== this.myId) return votes.get(leader)?.state === 'LEADING';
    return this.clock === electionEpoch;
  }

  private decideOnProposal(): void {
    const v = this.proposalRecord();
    this.decide(v, this.ackers(this.recvset, v));
  }

  private decide(v: RoundVote, acks: ReadonlySet<number>): void {
    const state: DecidedState = v.leader === this.myId ? 'LEADING' : this.observer ? 'OBSERVING' : 'FOLLOWING';
    const vote: RoundVote = { leader: v.leader, zxid: v.zxid, electionEpoch: v.electionEpoch, peerEpoch: v.peerEpoch };
    this.stateValue = state;
    this.finalVote = vote;
    this.finalizeLeft = undefined;
    this.recvset.clear();
    this.outOfElection.clear();
    this.decision = { state, leader: vote.leader, vote, voteSet: [...acks].sort((a, b) => a - b) };
  }

  // ---------------------------------------------------------------- helpers

  private initialVote(): Vote {
    if (this.observer) return NULL_VOTE;
    return { leader: this.myId, zxid: this.lastZxid, peerEpoch: this.currentEpoch };
  }

  private proposalRecord(): RecordedVote {
    return { ...this.proposal, electionEpoch: this.clock, state: 'LOOKING' };
  }

  /** Senders whose recorded vote equals `target` (ZooKeeper's `getVoteTracker`). */
  private ackers(votes: ReadonlyMap<number, RecordedVote>, target: RecordedVote): Set<number> {
    const acks = new Set<number>();
    for (const [sid, v] of votes) if (sameVote(v, target)) acks.add(sid);
    return acks;
  }

  private isVoter(sid: number): boolean {
    return this.quorum.voters().has(sid);
  }

  /**
   * `sendNotifications`: our proposal to every voter. Our own vote is
   * recorded directly instead of through a loop-back message.
   */
  private broadcast(): void {
    const msg = this.lookingNotification();
    const peers = [...this.quorum.voters()].filter((sid) => sid !== this.myId).sort((a, b) => a - b);
    for (const to of peers) this.send(to, msg);
    if (!this.observer) this.recvset.set(this.myId, this.proposalRecord());
  }

  private lookingNotification(): Notification {
    return { state: 'LOOKING', ...voteOf(this.proposal), electionEpoch: this.clock };
  }

  private finalNotification(): Notification {
    const v = this.finalVote;
    if (v === undefined) throw new ElectionInvariantError('no final vote');
    return { state: this.stateValue, ...voteOf(v), electionEpoch: v.electionEpoch };
  }

  private replyToNonVoter(): Notification {
    return this.stateValue === 'LOOKING' ? this.lookingNotification() : this.finalNotification();
  }

  private send(to: number, msg: Notification): void {
    this.outbox.push({ from: this.myId, to, msg });
  }

  private assertStarted(what: string): void {
    if (!this.started) throw new ElectionError(`${what}() before start()`);
  }
}

function checkRoundData(lastZxid: Zxid, currentEpoch: number): void {
  if (typeof lastZxid !== 'bigint' || lastZxid < 0n || lastZxid > (1n << 64n) - 1n) {
    throw new RangeError(`lastZxid must be an unsigned 64-bit bigint, got ${String(lastZxid)}`);
  }
  if (!Number.isSafeInteger(currentEpoch) || currentEpoch < 0 || currentEpoch > 0xffff_ffff) {
    throw new RangeError(`currentEpoch must be a 32-bit unsigned integer, got ${currentEpoch}`);
  }
}
