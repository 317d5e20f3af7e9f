import { makeZxid, type Zxid } from '@zk/zxid';
import { describe, expect, it } from 'vitest';
import {
  Election,
  ElectionError,
  ElectionInvariantError,
  hierarchicalQuorum,
  majorityQuorum,
  type Notification,
  type QuorumVerifier,
  type Ready,
  type ServerState,
} from '../src/index.js';

const TIMINGS = { finalizeWaitTicks: 2, minNotificationTicks: 2, maxNotificationTicks: 8 };

function mk(
  myId: number,
  o: { quorum?: QuorumVerifier; zxid?: Zxid; epoch?: number; observer?: boolean; finalizeWaitTicks?: number } = {},
): Election {
  const e = new Election({
    myId,
    quorum: o.quorum ?? majorityQuorum([1, 2, 3]),
    lastZxid: o.zxid ?? 0n,
    currentEpoch: o.epoch ?? 0,
    ...TIMINGS,
    ...(o.finalizeWaitTicks === undefined ? {} : { finalizeWaitTicks: o.finalizeWaitTicks }),
    ...(o.observer === undefined ? {} : { observer: o.observer }),
  });
  return e;
}

/** ready() + advance(), with an invariants check. */
function drain(e: Election): Ready {
  e.invariants();
  const rd = e.ready();
  e.advance();
  e.invariants();
  return rd;
}

function note(
  leader: number,
  zxid: Zxid,
  electionEpoch: number,
  peerEpoch: number,
  state: ServerState = 'LOOKING',
): Notification {
  return { state, leader, zxid, electionEpoch, peerEpoch };
}

const z = (epoch: number, counter: number) => makeZxid(epoch, counter);

describe('construction and the driver contract', () => {
  it('derives observer from membership and rejects contradictions', () => {
    expect(mk(4).observer).toBe(true);
    expect(mk(1).observer).toBe(false);
    expect(() => mk(1, { observer: true })).toThrow(ElectionError);
    expect(() => mk(4, { observer: false })).toThrow(/non-voting participants/);
  });

  it('validates timings and data', () => {
    expect(() => new Election({ myId: 1, quorum: majorityQuorum([1]), lastZxid: 0n, currentEpoch: 0, finalizeWaitTicks: 1, minNotificationTicks: 0, maxNotificationTicks: 4 })).toThrow(RangeError);
    expect(() => new Election({ myId: 1, quorum: majorityQuorum([1]), lastZxid: 0n, currentEpoch: 0, finalizeWaitTicks: 1, minNotificationTicks: 4, maxNotificationTicks: 2 })).toThrow(RangeError);
    expect(() => mk(1, { zxid: -1n })).toThrow(RangeError);
    expect(() => mk(1, { epoch: 2 ** 32 })).toThrow(RangeError);
  });

  it('refuses input before start(), self-addressed messages, and advance() without ready()', () => {
    const e = mk(1);
    expect(() => e.tick()).toThrow(/before start/);
    expect(() => e.step(2, note(2, 0n, 1, 0))).toThrow(/before start/);
    e.start();
    expect(() => e.step(1, note(1, 0n, 1, 0))).toThrow(/itself/);
    expect(() => e.advance()).toThrow(/without a preceding ready/);
    expect(() => e.start()).toThrow(/already LOOKING/);
  });

  it('start() bumps the clock and sends its own vote to every other voter, never to observers', () => {
    const e = mk(2, { quorum: majorityQuorum([1, 2, 3]), zxid: z(1, 5), epoch: 1 });
    e.start();
    expect(e.logicalClock).toBe(1);
    const rd = drain(e);
    expect(rd.messages.map((m) => m.to)).toEqual([1, 3]);
    for (const m of rd.messages) {
      expect(m.from).toBe(2);
      expect(m.msg).toEqual(note(2, z(1, 5), 1, 1));
    }
    expect(rd.decided).toBeUndefined();
  });

  it('advance() only acknowledges what ready() handed out', () => {
    const e = mk(1);
    e.start();
    const first = e.ready();
    expect(first.messages).toHaveLength(2);
    e.step(2, note(2, 0n, 5, 0)); // a newer round: re-broadcast
    e.advance();
    expect(e.hasReady()).toBe(true);
    const second = drain(e);
    expect(second.messages.map((m) => m.msg.electionEpoch)).toEqual([5, 5]);
    expect(e.hasReady()).toBe(false);
  });
});

describe('LOOKING: lookForLeader', () => {
  it('adopts a better vote and re-broadcasts it; answers a worse one of its round with its own', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.start();
    drain(e);
    e.step(2, note(2, z(1, 0), 1, 1)); // worse zxid
    expect(drain(e).messages).toEqual([{ from: 1, to: 2, msg: note(1, z(1, 1), 1, 1) }]);
    expect(e.currentVote().leader).toBe(1);
    e.step(2, note(1, z(1, 1), 1, 1)); // 2 now backs us: no answer
    expect(drain(e).messages).toEqual([]);
    e.step(3, note(3, z(1, 3), 1, 1)); // better
    const rd = drain(e);
    expect(rd.messages.map((m) => [m.to, m.msg.leader])).toEqual([[2, 3], [3, 3]]);
    expect(e.currentVote().leader).toBe(3);
  });

  it('answers a LOOKING peer from an older round with its current vote, and otherwise ignores it', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.start();
    e.step(2, note(2, 0n, 3, 0)); // round 3
    drain(e);
    e.step(3, note(3, z(9, 9), 2, 9)); // better vote, but round 2 < 3
    const rd = drain(e);
    expect(rd.messages).toEqual([{ from: 1, to: 3, msg: note(1, z(1, 1), 3, 1) }]);
    expect(e.currentVote().leader).toBe(1);
  });

  it('joins a newer round: clears its tally and backs max(sender vote, own initial vote)', () => {
    const e = mk(1, { zxid: z(1, 4), epoch: 1, quorum: majorityQuorum([1, 2, 3, 4, 5]) });
    e.start();
    e.step(3, note(3, z(1, 9), 1, 1)); // adopt 3 in round 1
    expect(e.currentVote().leader).toBe(3);
    drain(e);
    e.step(2, note(2, z(1, 2), 7, 1)); // round 7, worse than our own initial vote
    expect(e.logicalClock).toBe(7);
    expect(e.currentVote()).toEqual({ leader: 1, zxid: z(1, 4), peerEpoch: 1, electionEpoch: 7 });
    expect(e.status().received.map((r) => r.sid)).toEqual([1, 2]);
    expect(drain(e).messages.every((m) => m.msg.electionEpoch === 7 && m.msg.leader === 1)).toBe(true);
  });

  it('finalize: a quorum starts the wait, ticks decide, the vote set is reported', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.start();
    drain(e);
    e.step(2, note(2, z(1, 0), 1, 1)); // 2 backs itself (worse): no quorum for 1 yet
    expect(e.status().finalizeTicksLeft).toBeUndefined();
    e.step(2, note(1, z(1, 1), 1, 1)); // 2 now backs 1
    expect(e.status().finalizeTicksLeft).toBe(2);
    e.tick();
    expect(e.state).toBe('LOOKING');
    e.tick();
    expect(e.state).toBe('LEADING');
    const rd = drain(e);
    expect(rd.decided).toEqual({
      state: 'LEADING',
      leader: 1,
      vote: { leader: 1, zxid: z(1, 1), electionEpoch: 1, peerEpoch: 1 },
      voteSet: [1, 2],
    });
  });

  it('finalize: a not-better notification restarts the wait; a better one cancels it', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.start();
    e.step(2, note(1, z(1, 1), 1, 1));
    expect(e.status().finalizeTicksLeft).toBe(2);
    e.tick();
    e.step(2, note(1, z(1, 1), 1, 1)); // same vote again: dropped, wait restarts
    expect(e.status().finalizeTicksLeft).toBe(2);
    e.tick();
    e.step(3, note(3, z(1, 2), 1, 1)); // better: cancel and adopt
    expect(e.currentVote().leader).toBe(3);
    // Now {1, 3} back 3: a fresh wait, then the decision to follow 3.
    expect(e.status().finalizeTicksLeft).toBe(2);
    e.tick();
    e.tick();
    expect(drain(e).decided).toMatchObject({ state: 'FOLLOWING', leader: 3, voteSet: [1, 3] });
  });

  it('setReachable: a quorum backed by every reachable voter decides at once, skipping the wait', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.setReachable([2]); // 3 is down
    e.start();
    drain(e);
    e.step(2, note(1, z(1, 1), 1, 1));
    expect(e.state).toBe('LEADING');
    expect(drain(e).decided).toMatchObject({ state: 'LEADING', leader: 1, voteSet: [1, 2] });
  });

  it('setReachable: a reachable voter that has not voted keeps the wait; losing it, or its agreeing vote, ends it', () => {
    const lost = mk(1, { zxid: z(1, 1), epoch: 1 });
    lost.setReachable([2, 3]);
    lost.start();
    lost.step(2, note(1, z(1, 1), 1, 1));
    expect(lost.status().finalizeTicksLeft).toBe(2); // 3 might still send a better vote
    lost.setReachable([2]);
    expect(lost.state).toBe('LEADING');

    const agrees = mk(1, { zxid: z(1, 1), epoch: 1 });
    agrees.setReachable([2, 3]);
    agrees.start();
    agrees.step(2, note(1, z(1, 1), 1, 1));
    expect(agrees.status().finalizeTicksLeft).toBe(2);
    agrees.step(3, note(1, z(1, 1), 1, 1)); // during the wait: tallied, and nobody reachable is left
    expect(drain(agrees).decided).toMatchObject({ state: 'LEADING', voteSet: [1, 2, 3] });

    const unknown = mk(1, { zxid: z(1, 1), epoch: 1 }); // no setReachable: ZooKeeper's wait
    unknown.start();
    unknown.step(2, note(1, z(1, 1), 1, 1));
    unknown.step(3, note(1, z(1, 1), 1, 1));
    expect(unknown.state).toBe('LOOKING');
  });

  it('finalizeWaitTicks = 0 decides at once; a lone voter elects itself', () => {
    const e = mk(1, { finalizeWaitTicks: 0 });
    e.start();
    e.step(2, note(1, 0n, 1, 0));
    expect(e.state).toBe('LEADING');
    const solo = mk(7, { quorum: majorityQuorum([7]) });
    solo.start();
    expect(drain(solo).messages).toEqual([]);
    solo.tick();
    solo.tick();
    expect(drain(solo).decided?.state).toBe('LEADING');
  });

  it('never adopts a weight-0 leader, however good its data', () => {
    const q = hierarchicalQuorum({ 1: [1, 2, 3] }, { 3: 0 });
    const e = mk(1, { quorum: q });
    e.start();
    e.step(3, note(3, z(9, 9), 1, 9));
    expect(e.currentVote().leader).toBe(1);
    // And 3's ack weighs nothing: 1 and 3 agreeing is not a quorum here.
    e.step(3, note(1, 0n, 1, 0));
    expect(e.status().finalizeTicksLeft).toBeUndefined();
    e.step(2, note(1, 0n, 1, 0));
    expect(e.status().finalizeTicksLeft).toBe(2);
  });
});

describe('LOOKING: FOLLOWING / LEADING notifications (checkLeader, outofelection)', () => {
  it('a joiner follows once a quorum reports the leader and the leader says LEADING', () => {
    const e = mk(3, { quorum: majorityQuorum([1, 2, 3, 4, 5]) });
    e.start();
    drain(e);
    // Established ensemble: round 6, leader 1 with peerEpoch 2.
    e.step(2, note(1, z(2, 7), 6, 2, 'FOLLOWING'));
    e.step(4, note(1, z(2, 9), 5, 2, 'FOLLOWING')); // different zxid / round: still the same vote
    expect(e.state).toBe('LOOKING'); // no word from the leader yet (checkLeader)
    e.step(1, note(1, z(2, 3), 6, 2, 'LEADING'));
    const rd = drain(e);
    expect(rd.decided).toMatchObject({ state: 'FOLLOWING', leader: 1, voteSet: [1, 2, 4] });
    expect(rd.decided?.vote).toEqual({ leader: 1, zxid: z(2, 3), electionEpoch: 6, peerEpoch: 2 });
    expect(e.logicalClock).toBe(6); // adopted the ensemble's round
  });

  it('reports that disagree on peerEpoch are not counted together (ZOOKEEPER-1732)', () => {
    const e = mk(3);
    e.start();
    e.step(1, note(1, z(2, 3), 6, 3, 'LEADING'));
    e.step(2, note(1, z(2, 3), 6, 2, 'FOLLOWING'));
    expect(e.state).toBe('LOOKING');
    e.step(2, note(1, z(2, 3), 6, 3, 'FOLLOWING'));
    expect(e.state).toBe('FOLLOWING');
  });

  it('a quorum of FOLLOWING reports for a leader that never says LEADING is not enough', () => {
    const e = mk(5, { quorum: majorityQuorum([1, 2, 3, 4, 5]) });
    e.start();
    for (const sid of [2, 3, 4]) e.step(sid, note(1, z(1, 1), 2, 1, 'FOLLOWING'));
    expect(e.state).toBe('LOOKING');
    expect(e.status().outOfElection.map((r) => r.sid)).toEqual([2, 3, 4]);
  });

  it('same round: a LEADING vote joins the LOOKING votes of the round tally', () => {
    const e = mk(3, { zxid: z(1, 1), epoch: 1, quorum: majorityQuorum([1, 2, 3, 4, 5]) });
    e.start();
    e.step(1, note(2, z(1, 5), 1, 1)); // 1 (LOOKING) backs 2: adopt; {1, 3} is no quorum of 5
    expect(e.status().finalizeTicksLeft).toBeUndefined();
    e.step(2, note(2, z(1, 5), 1, 1, 'LEADING')); // the winner already leads, in our round
    expect(drain(e).decided).toMatchObject({ state: 'FOLLOWING', leader: 2, voteSet: [1, 2, 3] });
  });

  it('during the finalize wait even a newer round is dropped unless its vote is better', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1 });
    e.start();
    e.step(2, note(1, z(1, 1), 1, 1));
    expect(e.status().finalizeTicksLeft).toBe(2);
    e.step(3, note(3, z(1, 0), 8, 1)); // round 8, worse vote: dropped
    expect(e.logicalClock).toBe(1);
    e.tick();
    e.tick();
    expect(drain(e).decided).toMatchObject({ state: 'LEADING', vote: { electionEpoch: 1 } });
  });

  it('leads only on reports from its own current round', () => {
    const e = mk(1);
    e.start(); // round 1
    e.step(2, note(1, 0n, 4, 0, 'FOLLOWING'));
    e.step(3, note(1, 0n, 4, 0, 'FOLLOWING'));
    expect(e.state).toBe('LOOKING'); // round 4 is not ours
  });

  it('ignores notifications backing a non-voter, and OBSERVING notifications', () => {
    const e = mk(1);
    e.start();
    e.step(2, note(9, z(9, 9), 1, 9));
    e.step(2, note(2, z(9, 9), 1, 9, 'OBSERVING'));
    expect(e.currentVote().leader).toBe(1);
  });
});

describe('after the decision: answering LOOKING peers', () => {
  function leaderOf3(): Election {
    const e = mk(3, { zxid: z(1, 2), epoch: 1 });
    e.start();
    e.step(1, note(3, z(1, 2), 1, 1));
    e.tick();
    e.tick();
    expect(e.state).toBe('LEADING');
    drain(e);
    return e;
  }

  it('answers LOOKING voters with the final vote and its state; reports them while LEADING', () => {
    const e = leaderOf3();
    e.step(2, note(2, 0n, 9, 0));
    const rd = drain(e);
    expect(rd.messages).toEqual([{ from: 3, to: 2, msg: note(3, z(1, 2), 1, 1, 'LEADING') }]);
    expect(rd.lookingVoters).toEqual([2]);
    e.step(1, note(3, z(1, 2), 1, 1, 'FOLLOWING')); // not LOOKING: no answer
    expect(drain(e).messages).toEqual([]);
  });

  it('updatePeerEpoch changes what it reports (QuorumPeer.updateElectionVote)', () => {
    const e = leaderOf3();
    e.updatePeerEpoch(2);
    e.step(1, note(1, 0n, 1, 0));
    expect(drain(e).messages[0]?.msg).toEqual(note(3, z(1, 2), 1, 2, 'LEADING'));
    e.start();
    expect(() => e.updatePeerEpoch(3)).toThrow(/once decided/);
  });

  it('start() after a decision runs a new round with fresh data', () => {
    const e = leaderOf3();
    e.start({ lastZxid: z(2, 4), currentEpoch: 2 });
    expect(e.state).toBe('LOOKING');
    expect(e.logicalClock).toBe(2);
    const rd = drain(e);
    expect(rd.messages.map((m) => m.msg)).toEqual([note(3, z(2, 4), 2, 2), note(3, z(2, 4), 2, 2)]);
  });
});

describe('observers', () => {
  const q = majorityQuorum([1, 2, 3]);

  it('a voter answers an observer at once, in any state, and never counts it', () => {
    const v = mk(1, { quorum: q, zxid: z(1, 1), epoch: 1 });
    v.start();
    drain(v);
    v.step(4, note(-1, 0n, 1, -1));
    v.step(5, note(-1, 0n, 1, -1));
    const rd = drain(v);
    expect(rd.messages).toEqual([
      { from: 1, to: 4, msg: note(1, z(1, 1), 1, 1) },
      { from: 1, to: 5, msg: note(1, z(1, 1), 1, 1) },
    ]);
    expect(v.status().received.map((r) => r.sid)).toEqual([1]);
    // Even an observer backing us does not help us toward a quorum.
    v.step(4, note(1, z(1, 1), 1, 1));
    expect(v.status().finalizeTicksLeft).toBeUndefined();
  });

  it('an observer votes for nobody, broadcasts only to voters, and decides OBSERVING', () => {
    const o = mk(4, { quorum: q });
    o.start();
    const rd = drain(o);
    expect(rd.messages.map((m) => [m.to, m.msg.leader, m.msg.peerEpoch])).toEqual([[1, -1, -1], [2, -1, -1], [3, -1, -1]]);
    o.step(1, note(3, z(1, 1), 1, 1)); // adopt 3, re-broadcast
    expect(drain(o).messages).toHaveLength(3);
    o.step(3, note(3, z(1, 1), 1, 1));
    expect(o.status().finalizeTicksLeft).toBe(2); // 1 and 3 agree: a quorum of voters
    o.tick();
    o.tick();
    expect(drain(o).decided).toMatchObject({ state: 'OBSERVING', leader: 3, voteSet: [1, 3] });
  });

  it('an observer never answers (voters ignore observers anyway)', () => {
    const o = mk(4, { quorum: q });
    o.start();
    o.step(1, note(1, 0n, 5, 0)); // newer round: broadcast, but no direct answer
    drain(o);
    o.step(2, note(2, 0n, 1, 0)); // lagging LOOKING voter: no answer from an observer
    expect(drain(o).messages).toEqual([]);
    o.step(2, note(3, 0n, 9, 0, 'FOLLOWING'));
    o.step(3, note(3, 0n, 9, 0, 'LEADING'));
    expect(o.state).toBe('OBSERVING');
    o.step(2, note(2, 0n, 10, 0)); // LOOKING voter: an observer stays silent
    expect(drain(o).messages).toEqual([]);
  });
});

describe('notification back-off', () => {
  it('re-sends its vote after minNotificationTicks of silence, doubling up to the max', () => {
    const e = mk(1);
    e.start();
    drain(e);
    const sentAt: number[] = [];
    for (let t = 1; t <= 30; t++) {
      e.tick();
      if (drain(e).messages.length > 0) sentAt.push(t);
    }
    expect(sentAt).toEqual([2, 6, 14, 22, 30]);
  });

  it('any notification restarts the silence count', () => {
    const e = mk(1, { zxid: z(1, 1), epoch: 1, quorum: majorityQuorum([1, 2, 3, 4, 5]) });
    e.start();
    drain(e);
    e.tick();
    e.step(2, note(1, z(1, 1), 1, 1)); // backs our vote: nothing to answer
    e.tick();
    expect(drain(e).messages).toEqual([]);
    e.tick();
    expect(drain(e).messages).toHaveLength(4);
  });

  it('no re-sends once decided', () => {
    const e = mk(1, { finalizeWaitTicks: 0 });
    e.start();
    e.step(2, note(1, 0n, 1, 0));
    drain(e);
    for (let t = 0; t < 20; t++) e.tick();
    expect(drain(e).messages).toEqual([]);
  });
});

describe('invariants()', () => {
  it('detects a proposal worse than the initial vote', () => {
    const e = mk(1, { zxid: z(2, 2), epoch: 2 });
    e.start();
    e.invariants();
    (e as unknown as { proposal: unknown }).proposal = { leader: 3, zxid: 0n, peerEpoch: 0 };
    expect(() => e.invariants()).toThrow(ElectionInvariantError);
  });

  it('detects a recorded vote from another round', () => {
    const e = mk(1);
    e.start();
    (e as unknown as { recvset: Map<number, unknown> }).recvset.set(2, {
      leader: 2, zxid: 0n, peerEpoch: 0, electionEpoch: 9, state: 'LOOKING',
    });
    expect(() => e.invariants()).toThrow(/round 9/);
  });
});
