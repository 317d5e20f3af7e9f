/**
 * Each case checks one rule of the protocol as the Zab paper (Junqueira, Reed,
 * Serafini, "Zab: High-performance broadcast for primary-backup systems",
 * DSN 2011, Algorithms 1-3), the ZAB 1.0 wiki ("Zab1.0" on the ZooKeeper
 * wiki) or the TLA+ specs in apache/zookeeper `zookeeper-specifications`
 * (protocol-spec/Zab.tla, system-spec/zk-3.7/ZkV3_7_0.tla) state it, in the
 * style of etcd-io/raft's raft_paper_test.go: set a node up, step it, check
 * its outputs. Wording of the rules is ours.
 */
import { makeZxid, type Zxid } from '@zk/zxid';
import { describe, expect, it } from 'vitest';
import {
  createZabNode,
  majorityQuorum,
  ZabProtocolError,
  type DurableState,
  type Ready,
  type ZabMessage,
  type ZabNode,
} from '../src/index.js';
import { LogTail } from '../src/log-tail.js';
import { planSync } from '../src/sync-plan.js';

const enc = new TextEncoder();
const b = (s: string): Uint8Array => enc.encode(s);

function node(sid: number, opts: { voters?: number[]; observer?: boolean; durable?: DurableState; initLimit?: number; syncLimit?: number } = {}): ZabNode {
  return createZabNode(
    {
      sid,
      quorum: majorityQuorum(opts.voters ?? [1, 2, 3]),
      learnerType: opts.observer === true ? 'observer' : 'participant',
      initLimit: opts.initLimit ?? 10,
      syncLimit: opts.syncLimit ?? 5,
    },
    opts.durable,
  );
}

/** Takes the node's Ready and advances. */
function take(n: ZabNode): Ready {
  const r = n.ready();
  n.advance();
  n.invariants();
  return r;
}

const sent = (r: Ready, type?: ZabMessage['type'], to?: number): ZabMessage[] =>
  r.messages.filter((m) => (type === undefined || m.msg.type === type) && (to === undefined || m.to === to)).map((m) => m.msg);

/** Reports every persist op in `r` durable. */
function persistAll(n: ZabNode, r: Ready): void {
  const last = r.persist[r.persist.length - 1];
  if (last !== undefined) n.persisted(last.seq);
}

const info = (acceptedEpoch: number, lastZxid: Zxid = 0n): ZabMessage => ({
  type: 'FOLLOWERINFO', acceptedEpoch, lastZxid, protocolVersion: 0x10000,
});

/** A leader of {1,2,3} that has finished discovery and sync with follower 2 and is established. */
function establishedLeader(): ZabNode {
  const l = node(1);
  l.electionComplete(1);
  take(l);
  l.step(2, info(0));
  persistAll(l, take(l));
  take(l);
  l.step(2, { type: 'ACKEPOCH', currentEpoch: 0, lastZxid: 0n });
  persistAll(l, take(l));
  l.step(2, { type: 'ACK', zxid: makeZxid(1, 0) });
  take(l);
  expect(l.isServing()).toBe(true);
  return l;
}

/** A follower of 1 in epoch 1, UPTODATE, with an empty log. */
function syncedFollower(sid = 2): ZabNode {
  const f = node(sid);
  f.electionComplete(1);
  take(f);
  f.step(1, { type: 'LEADERINFO', zxid: makeZxid(1, 0), protocolVersion: 0x10000 });
  persistAll(f, take(f));
  take(f);
  f.step(1, { type: 'DIFF', zxid: 0n });
  f.step(1, { type: 'NEWLEADER', zxid: makeZxid(1, 0) });
  persistAll(f, take(f));
  take(f);
  f.step(1, { type: 'UPTODATE' });
  take(f);
  expect(f.isServing()).toBe(true);
  return f;
}

describe('Phase 1: discovery', () => {
  it('an established leader steps down when a learner has accepted a later epoch (it would refuse ours forever: a livelock the simulator found)', () => {
    const l = establishedLeader(); // epoch 1
    l.step(3, info(4));
    const r = take(l);
    expect(sent(r, 'LEADERINFO')).toEqual([]);
    expect(r.stateChanges.at(-1)).toMatchObject({ state: 'LOOKING', reason: 'learner 3 has accepted epoch 4, above ours (1): re-electing for a higher epoch' });
    // a learner at our epoch or below is simply synced
    const k = establishedLeader();
    k.step(3, info(1));
    expect(sent(take(k), 'LEADERINFO', 3)).toHaveLength(1);
  });

  it('the new epoch is one more than the largest acceptedEpoch of a quorum that includes the leader (paper Alg. 1 step l.1.1; Leader.getEpochToPropose; ZkV3_7_0 LeaderProcessFOLLOWERINFO)', () => {
    const l = node(1, { durable: { acceptedEpoch: 3, currentEpoch: 3, snapshotZxid: 0n, log: [] } });
    l.electionComplete(1);
    take(l);
    l.step(2, info(5));
    const r = take(l);
    expect(r.persist).toEqual([{ kind: 'acceptedEpoch', seq: 1, epoch: 6 }]);
    // LEADERINFO waits for the acceptedEpoch write.
    expect(sent(r, 'LEADERINFO')).toEqual([]);
    l.persisted(1);
    expect(sent(take(l), 'LEADERINFO', 2)).toEqual([{ type: 'LEADERINFO', zxid: makeZxid(6, 0), protocolVersion: 0x10000 }]);
  });

  it('a follower accepts a new epoch only if it is not below its acceptedEpoch, and persists it before ACKEPOCH (paper step f.1.1; Learner.registerWithLeader; ZkV3_7_0 FollowerProcessLEADERINFO)', () => {
    const f = node(2, { durable: { acceptedEpoch: 4, currentEpoch: 3, snapshotZxid: 0n, log: [{ zxid: makeZxid(3, 7), payload: b('x') }] } });
    f.electionComplete(1);
    expect(sent(take(f), 'FOLLOWERINFO', 1)).toEqual([info(4, makeZxid(3, 7))]);
    f.step(1, { type: 'LEADERINFO', zxid: makeZxid(5, 0), protocolVersion: 0x10000 });
    const r = take(f);
    expect(r.persist).toEqual([{ kind: 'acceptedEpoch', seq: 1, epoch: 5 }]);
    expect(r.messages).toEqual([]);
    f.persisted(1);
    // ACK-E carries the follower's currentEpoch and last zxid (the paper's f.a and h_f).
    expect(sent(take(f))).toEqual([{ type: 'ACKEPOCH', currentEpoch: 3, lastZxid: makeZxid(3, 7) }]);
  });

  it('an epoch equal to acceptedEpoch is answered with currentEpoch -1, which does not count; a lower one sends the follower back to election', () => {
    const f = node(2, { durable: { acceptedEpoch: 4, currentEpoch: 3, snapshotZxid: 0n, log: [] } });
    f.electionComplete(1);
    take(f);
    f.step(1, { type: 'LEADERINFO', zxid: makeZxid(4, 0), protocolVersion: 0x10000 });
    expect(sent(take(f))).toEqual([{ type: 'ACKEPOCH', currentEpoch: -1, lastZxid: 0n }]);

    const g = node(3, { durable: { acceptedEpoch: 4, currentEpoch: 3, snapshotZxid: 0n, log: [] } });
    g.electionComplete(1);
    take(g);
    g.step(1, { type: 'LEADERINFO', zxid: makeZxid(2, 0), protocolVersion: 0x10000 });
    const r = take(g);
    expect(r.stateChanges.at(-1)?.state).toBe('LOOKING');
    expect(r.disconnect).toEqual([1]);
  });

  it('the leader moves to synchronisation only on a quorum of ACKEPOCH, counting itself and never -1 acks (Leader.waitForEpochAck; ZkV3_7_0 LeaderProcessACKEPOCH)', () => {
    const l = node(1, { voters: [1, 2, 3, 4, 5] });
    l.electionComplete(1);
    take(l);
    l.step(2, info(0));
    l.step(3, info(0));
    persistAll(l, take(l));
    take(l);
    l.step(2, { type: 'ACKEPOCH', currentEpoch: -1, lastZxid: 0n });
    expect(take(l).stateChanges).toEqual([]);
    l.step(3, { type: 'ACKEPOCH', currentEpoch: 0, lastZxid: 0n });
    expect(l.status().phase).toBe('DISCOVERY'); // {1,3} of 5 is no quorum
    l.step(4, info(0));
    take(l);
    l.step(4, { type: 'ACKEPOCH', currentEpoch: 0, lastZxid: 0n });
    const r = take(l);
    expect(l.status().phase).toBe('SYNCHRONIZATION');
    expect(r.persist).toEqual([{ kind: 'currentEpoch', seq: 2, epoch: 1 }]);
  });

  it('a follower whose (currentEpoch, lastZxid) is more recent than the leader\'s is refused during discovery (Leader.waitForEpochAck "Follower is ahead of the leader")', () => {
    const l = node(1);
    l.electionComplete(1);
    take(l);
    l.step(2, info(0));
    persistAll(l, take(l));
    take(l);
    l.step(2, { type: 'ACKEPOCH', currentEpoch: 0, lastZxid: makeZxid(0, 3) });
    const r = take(l);
    expect(r.disconnect).toEqual([2]);
    expect(l.status().phase).toBe('DISCOVERY');
  });

  it('discovery and synchronisation must finish within initLimit ticks (Leader.getEpochToPropose / waitForNewLeaderAck timeouts)', () => {
    const l = node(1, { initLimit: 3 });
    l.electionComplete(1);
    take(l);
    for (let i = 0; i < 3; i++) l.tick();
    expect(l.status().state).toBe('LEADING');
    l.tick();
    expect(take(l).stateChanges.at(-1)).toMatchObject({ state: 'LOOKING', reason: 'timeout while waiting for epoch from quorum' });
  });
});

describe('Phase 2: synchronisation', () => {
  it('a follower acks NEWLEADER only once the synced history and then currentEpoch are durable (paper step f.2.1; ZOOKEEPER-3911, -4643, -4785; ZkV3_7_0 FollowerProcessNEWLEADER)', () => {
    const f = node(2);
    f.electionComplete(1);
    take(f);
    f.step(1, { type: 'LEADERINFO', zxid: makeZxid(2, 0), protocolVersion: 0x10000 });
    persistAll(f, take(f));
    take(f);
    f.step(1, { type: 'DIFF', zxid: makeZxid(1, 2) });
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(1, 1), payload: b('a') });
    f.step(1, { type: 'COMMIT', zxid: makeZxid(1, 1) });
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(1, 2), payload: b('b') });
    f.step(1, { type: 'COMMIT', zxid: makeZxid(1, 2) });
    f.step(1, { type: 'NEWLEADER', zxid: makeZxid(2, 0) });
    const r = take(f);
    expect(r.persist.map((p) => p.kind)).toEqual(['append', 'append', 'currentEpoch']);
    expect(r.persist.at(-1)).toMatchObject({ kind: 'currentEpoch', epoch: 2 });
    expect(r.messages).toEqual([]);
    expect(r.commits).toEqual([]);
    f.persisted(r.persist[1]!.seq); // txns durable, currentEpoch not yet
    expect(take(f).messages).toEqual([]);
    f.persisted(r.persist[2]!.seq);
    expect(sent(take(f))).toEqual([{ type: 'ACK', zxid: makeZxid(2, 0) }]);
    expect(f.status().durableCurrentEpoch).toBe(2);
  });

  it('the synced history is delivered only at UPTODATE, i.e. after the leader has a quorum of NEWLEADER acks (paper step f.2.2; Learner.syncWithLeader)', () => {
    const f = node(2);
    f.electionComplete(1);
    take(f);
    f.step(1, { type: 'LEADERINFO', zxid: makeZxid(1, 0), protocolVersion: 0x10000 });
    persistAll(f, take(f));
    take(f);
    f.step(1, { type: 'DIFF', zxid: 0n });
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(0, 1), payload: b('a') });
    f.step(1, { type: 'COMMIT', zxid: makeZxid(0, 1) });
    f.step(1, { type: 'NEWLEADER', zxid: makeZxid(1, 0) });
    persistAll(f, take(f));
    expect(take(f).commits).toEqual([]);
    expect(f.isServing()).toBe(false);
    f.step(1, { type: 'UPTODATE' });
    const r = take(f);
    expect(r.commits).toEqual([{ zxid: makeZxid(0, 1), payload: b('a') }]);
    expect(f.isServing()).toBe(true);
  });

  it('the leader establishes (and commits its initial history) only with a quorum of NEWLEADER acks including its own, which needs its currentEpoch durable (paper step l.2.2; Leader.waitForNewLeaderAck; ZkV3_7_0 LeaderProcessACKLD)', () => {
    const l = node(1, { durable: { acceptedEpoch: 1, currentEpoch: 1, snapshotZxid: 0n, log: [{ zxid: makeZxid(1, 1), payload: b('old') }] } });
    l.electionComplete(1);
    take(l);
    l.step(2, info(1, makeZxid(1, 1)));
    persistAll(l, take(l));
    take(l);
    l.step(2, { type: 'ACKEPOCH', currentEpoch: 1, lastZxid: makeZxid(1, 1) });
    const r = take(l);
    expect(sent(r, undefined, 2)).toEqual([
      { type: 'DIFF', zxid: makeZxid(1, 1) },
      { type: 'NEWLEADER', zxid: makeZxid(2, 0) },
    ]);
    l.step(2, { type: 'ACK', zxid: makeZxid(2, 0) });
    expect(l.isServing()).toBe(false); // own currentEpoch not durable yet
    expect(take(l).commits).toEqual([]);
    persistAll(l, r);
    const r2 = take(l);
    expect(l.isServing()).toBe(true);
    expect(r2.commits).toEqual([{ zxid: makeZxid(1, 1), payload: b('old') }]);
    expect(sent(r2, 'UPTODATE', 2)).toHaveLength(1);
  });

  it('a learner ahead of the leader is told to TRUNC to the leader\'s last committed txn, and drops what follows it (LearnerHandler.syncFollower; Learner.syncWithLeader TRUNC; ZkV3_7_0 SyncFollower)', () => {
    const tail = new LogTail(0n, [{ zxid: makeZxid(1, 1), payload: b('a') }]);
    expect(planSync(makeZxid(1, 2), makeZxid(1, 1), tail)).toMatchObject({ kind: 'TRUNC', zxid: makeZxid(1, 1) });
    expect(planSync(makeZxid(1, 1), makeZxid(2, 0), tail)).toMatchObject({ kind: 'DIFF', from: makeZxid(1, 1) });
    expect(planSync(0n, makeZxid(1, 1), tail)).toMatchObject({ kind: 'DIFF', from: 0n });

    const f = node(3, { durable: { acceptedEpoch: 1, currentEpoch: 1, snapshotZxid: 0n, log: [
      { zxid: makeZxid(1, 1), payload: b('a') }, { zxid: makeZxid(1, 2), payload: b('b') },
    ] } });
    f.electionComplete(1);
    take(f);
    f.step(1, { type: 'LEADERINFO', zxid: makeZxid(2, 0), protocolVersion: 0x10000 });
    persistAll(f, take(f));
    take(f);
    f.step(1, { type: 'TRUNC', zxid: makeZxid(1, 1) });
    const r = take(f);
    expect(r.persist).toMatchObject([{ kind: 'truncate', zxid: makeZxid(1, 1) }]);
    expect(f.status().lastZxid).toBe(makeZxid(1, 1));
  });
});

describe('Phase 3: broadcast', () => {
  it('proposals are pipelined with zxid <epoch, counter>, counter from 1 in the new epoch (paper step l.3.3; Leader.propose)', () => {
    const l = establishedLeader();
    expect(l.propose(b('a'))).toEqual({ ok: true, zxid: makeZxid(1, 1) });
    expect(l.propose(b('b'))).toEqual({ ok: true, zxid: makeZxid(1, 2) });
    const r = take(l);
    expect(sent(r, 'PROPOSAL', 2).map((m) => (m as { zxid: Zxid }).zxid)).toEqual([makeZxid(1, 1), makeZxid(1, 2)]);
    expect(r.persist.map((p) => p.kind)).toEqual(['append', 'append']);
  });

  it('a follower ACKs a proposal only after it is durable (paper step f.3.1; ZkV3_7_0 FollowerProcessPROPOSAL; SendAckRequestProcessor after SyncRequestProcessor)', () => {
    const f = syncedFollower();
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(1, 1), payload: b('a') });
    const r = take(f);
    expect(r.messages).toEqual([]);
    f.persisted(r.persist[0]!.seq);
    expect(sent(take(f))).toEqual([{ type: 'ACK', zxid: makeZxid(1, 1) }]);
  });

  it('the leader commits only on a quorum of ACKs, and strictly in zxid order even when ACKs arrive out of order (paper step l.3.4; Leader.processAck/tryToCommit; ZkV3_7_0 LeaderProcessACK)', () => {
    const l = node(1, { voters: [1, 2, 3, 4, 5] });
    l.electionComplete(1);
    take(l);
    for (const s of [2, 3]) l.step(s, info(0));
    persistAll(l, take(l));
    take(l);
    for (const s of [2, 3]) l.step(s, { type: 'ACKEPOCH', currentEpoch: 0, lastZxid: 0n });
    persistAll(l, take(l));
    for (const s of [2, 3]) l.step(s, { type: 'ACK', zxid: makeZxid(1, 0) });
    take(l);
    l.propose(b('a'));
    l.propose(b('b'));
    persistAll(l, take(l)); // the leader's own ACKs
    l.step(2, { type: 'ACK', zxid: makeZxid(1, 2) });
    l.step(3, { type: 'ACK', zxid: makeZxid(1, 2) });
    expect(sent(take(l), 'COMMIT')).toEqual([]); // b has a quorum, a does not
    l.step(2, { type: 'ACK', zxid: makeZxid(1, 1) });
    expect(sent(take(l), 'COMMIT')).toEqual([]); // a: {1,2} of 5
    l.step(3, { type: 'ACK', zxid: makeZxid(1, 1) });
    const r = take(l);
    expect(sent(r, 'COMMIT', 2)).toEqual([
      { type: 'COMMIT', zxid: makeZxid(1, 1) },
      { type: 'COMMIT', zxid: makeZxid(1, 2) },
    ]);
    expect(r.commits.map((c) => c.zxid)).toEqual([makeZxid(1, 1), makeZxid(1, 2)]);
  });

  it('a follower delivers on COMMIT in zxid order, and only what it has durably logged (ZkV3_7_0 FollowerProcessCOMMIT; Zab.tla TotalOrder)', () => {
    const f = syncedFollower();
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(1, 1), payload: b('a') });
    f.step(1, { type: 'PROPOSAL', zxid: makeZxid(1, 2), payload: b('b') });
    const r = take(f);
    f.step(1, { type: 'COMMIT', zxid: makeZxid(1, 2) });
    expect(take(f).commits).toEqual([]);
    f.persisted(r.persist[0]!.seq);
    expect(take(f).commits.map((c) => c.zxid)).toEqual([makeZxid(1, 1)]);
    f.persisted(r.persist[1]!.seq);
    expect(take(f).commits.map((c) => c.zxid)).toEqual([makeZxid(1, 2)]);
  });

  it('a COMMIT for a proposal the follower never logged cannot happen over FIFO links (protocol-spec/issues.md issue 1)', () => {
    const f = syncedFollower();
    expect(() => f.step(1, { type: 'COMMIT', zxid: makeZxid(1, 1) })).toThrow(ZabProtocolError);
  });

  it('observers get INFORM after commit and never count towards a quorum (Leader.inform; Observer.processPacket)', () => {
    const l = node(1);
    l.electionComplete(1);
    take(l);
    l.step(4, { type: 'OBSERVERINFO', acceptedEpoch: 0, lastZxid: 0n, protocolVersion: 0x10000 });
    const r = take(l);
    // {1} plus an observer is not a quorum of {1,2,3}: the epoch is not even fixed.
    expect(r.persist).toEqual([]);
    expect(l.status().epoch).toBe(0);
  });

  it('counter exhaustion: the leader refuses to use counter 0xffffffff and steps down to force a new epoch (Leader.propose XidRolloverException; ZOOKEEPER-1277)', () => {
    const l = createZabNode({ sid: 1, quorum: majorityQuorum([1]), initLimit: 5, syncLimit: 5, testingInitialCounter: 0xfffffffd });
    l.electionComplete(1);
    persistAll(l, take(l));
    persistAll(l, take(l));
    take(l);
    expect(l.isServing()).toBe(true);
    expect(l.propose(b('a'))).toEqual({ ok: true, zxid: makeZxid(1, 0xfffffffe) });
    expect(l.propose(b('b'))).toEqual({ ok: false, reason: 'xid-rollover' });
    expect(l.status().state).toBe('LOOKING');
  });
});

describe('liveness', () => {
  it('a leader that hears from no quorum for syncLimit ticks goes LOOKING (Leader.lead: "Not sufficient followers synced")', () => {
    const l = establishedLeader();
    // The first packet after UPTODATE sets the deadline to syncLimit ticks ahead
    // (before that the handler has initLimit + syncLimit).
    l.step(2, { type: 'PING', zxid: 0n, payload: null });
    for (let i = 0; i < 5; i++) l.tick();
    expect(l.status().state).toBe('LEADING');
    l.tick();
    expect(l.status().state).toBe('LOOKING');
  });

  it('a follower that hears nothing from its leader for syncLimit ticks goes LOOKING; PING resets the count (Learner socket timeout)', () => {
    const f = syncedFollower();
    for (let i = 0; i < 5; i++) f.tick();
    f.step(1, { type: 'PING', zxid: 0n, payload: null });
    for (let i = 0; i < 5; i++) f.tick();
    expect(f.status().state).toBe('FOLLOWING');
    f.tick();
    expect(f.status().state).toBe('LOOKING');
  });

  it('a follower answers PING with its pending session touches (Learner.ping)', () => {
    const f = syncedFollower();
    f.setSessionTouches(b('t'));
    f.step(1, { type: 'PING', zxid: 7n, payload: null });
    expect(sent(take(f))).toEqual([{ type: 'PING', zxid: 7n, payload: b('t') }]);
  });
});
