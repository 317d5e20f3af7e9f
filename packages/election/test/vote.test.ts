import { makeZxid } from '@zk/zxid';
import { describe, expect, it } from 'vitest';
import {
  NULL_VOTE,
  compareVotes,
  formatVote,
  hierarchicalQuorum,
  isBetterVote,
  majorityQuorum,
  sameVote,
  type RecordedVote,
} from '../src/index.js';

const v = (leader: number, epoch: number, counter: number, peerEpoch = epoch) => ({
  leader,
  zxid: makeZxid(epoch, counter),
  peerEpoch,
});

describe('totalOrderPredicate (compareVotes / isBetterVote)', () => {
  const q = majorityQuorum([1, 2, 3]);

  it('a higher peerEpoch wins even with a lower zxid and sid', () => {
    expect(isBetterVote(v(1, 1, 0, 3), v(3, 2, 9, 2), q)).toBe(true);
    expect(isBetterVote(v(3, 2, 9, 2), v(1, 1, 0, 3), q)).toBe(false);
  });

  it('same peerEpoch: the higher zxid wins', () => {
    expect(isBetterVote(v(1, 1, 5), v(3, 1, 4), q)).toBe(true);
    expect(compareVotes(v(1, 1, 5), v(3, 1, 4))).toBe(1);
  });

  it('same peerEpoch and zxid: the higher sid wins', () => {
    expect(isBetterVote(v(3, 1, 4), v(2, 1, 4), q)).toBe(true);
    expect(isBetterVote(v(2, 1, 4), v(3, 1, 4), q)).toBe(false);
  });

  it('is strict: an equal vote is not better', () => {
    expect(compareVotes(v(2, 1, 4), v(2, 1, 4))).toBe(0);
    expect(isBetterVote(v(2, 1, 4), v(2, 1, 4), q)).toBe(false);
  });

  it('a leader with weight 0 never wins', () => {
    const h = hierarchicalQuorum({ 1: [1, 2, 3] }, { 3: 0 });
    expect(isBetterVote(v(3, 9, 9), v(1, 0, 0), h)).toBe(false);
    expect(isBetterVote(v(2, 0, 1), v(1, 0, 0), h)).toBe(true);
    // A non-voter (weight 0 in our verifiers) never wins either.
    expect(isBetterVote(v(7, 9, 9), v(1, 0, 0), q)).toBe(false);
  });

  it('the observer null vote is below every real vote', () => {
    expect(compareVotes(v(0, 0, 0), NULL_VOTE)).toBe(1);
    expect(isBetterVote(v(1, 0, 0), NULL_VOTE, q)).toBe(true);
  });

  it('formats votes for logs', () => {
    expect(formatVote(v(3, 1, 2))).toBe('(leader=3 zxid=0x100000002 peerEpoch=1)');
    expect(formatVote({ ...v(3, 1, 2), electionEpoch: 4 })).toBe('(leader=3 zxid=0x100000002 epoch=4 peerEpoch=1)');
  });
});

describe('Vote.equals (sameVote)', () => {
  const rv = (over: Partial<RecordedVote>): RecordedVote => ({
    leader: 3, zxid: makeZxid(1, 2), electionEpoch: 4, peerEpoch: 1, state: 'LOOKING', ...over,
  });

  it('compares every field when either side is LOOKING', () => {
    expect(sameVote(rv({}), rv({}))).toBe(true);
    expect(sameVote(rv({}), rv({ electionEpoch: 5 }))).toBe(false);
    expect(sameVote(rv({}), rv({ zxid: 1n }))).toBe(false);
    expect(sameVote(rv({ state: 'FOLLOWING' }), rv({ zxid: 1n }))).toBe(false);
    expect(sameVote(rv({ state: 'FOLLOWING' }), rv({ state: 'FOLLOWING' }))).toBe(true);
  });

  it('between FOLLOWING/LEADING votes compares only leader and peerEpoch (ZOOKEEPER-1805)', () => {
    const a = rv({ state: 'FOLLOWING' });
    expect(sameVote(a, rv({ state: 'LEADING', zxid: 99n, electionEpoch: 9 }))).toBe(true);
    expect(sameVote(a, rv({ state: 'LEADING', peerEpoch: 2 }))).toBe(false);
    expect(sameVote(a, rv({ state: 'LEADING', leader: 2 }))).toBe(false);
  });
});
