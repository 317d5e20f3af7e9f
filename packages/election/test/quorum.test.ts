import { describe, expect, it } from 'vitest';
import { hierarchicalQuorum, majorityQuorum } from '../src/index.js';

const s = (...ids: number[]) => new Set(ids);

describe('majorityQuorum (QuorumMaj)', () => {
  it.each([
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [7, 4],
  ])('%i voters need %i acks', (n, need) => {
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    const q = majorityQuorum(ids);
    expect(q.isQuorum(new Set(ids.slice(0, need)))).toBe(true);
    expect(q.isQuorum(new Set(ids.slice(0, need - 1)))).toBe(false);
  });

  it('ignores acks from non-voters (observers)', () => {
    const q = majorityQuorum([1, 2, 3]);
    expect(q.isQuorum(s(1, 4, 5, 6, 7))).toBe(false);
    expect(q.isQuorum(s(1, 2, 9))).toBe(true);
  });

  it('weighs voters 1 and everyone else 0', () => {
    const q = majorityQuorum([1, 2, 3]);
    expect(q.weight(2)).toBe(1);
    expect(q.weight(4)).toBe(0);
    expect([...q.voters()].sort()).toEqual([1, 2, 3]);
  });

  it('rejects bad input', () => {
    expect(() => majorityQuorum([])).toThrow(RangeError);
    expect(() => majorityQuorum([1, -2])).toThrow(RangeError);
    expect(() => majorityQuorum([1.5])).toThrow(RangeError);
  });
});

describe('hierarchicalQuorum (QuorumHierarchical)', () => {
  // ZooKeeper's documented example: three groups of three, weight 1 each.
  const q = hierarchicalQuorum({ 1: [1, 2, 3], 2: [4, 5, 6], 3: [7, 8, 9] });

  it('needs a majority of the weight in a majority of the groups', () => {
    expect(q.isQuorum(s(1, 2, 4, 5))).toBe(true);
    expect(q.isQuorum(s(1, 2, 4, 7))).toBe(false);
    expect(q.isQuorum(s(1, 2, 3, 4, 5, 6))).toBe(true);
    // So 4 of 9 servers can be a quorum while 5 of 9 need not be.
    expect(q.isQuorum(s(1, 2, 3, 4, 7))).toBe(false);
  });

  it('honours weights, and weight-0 servers add nothing', () => {
    const w = hierarchicalQuorum(new Map([[1, [1, 2, 3]], [2, [4, 5]]]), new Map([[1, 3], [2, 0], [3, 1], [4, 1], [5, 1]]));
    // group 1 weighs 4: server 1 alone (3) is a majority of it; group 2 weighs 2: needs both.
    expect(w.isQuorum(s(1, 4, 5))).toBe(true);
    expect(w.isQuorum(s(1, 4))).toBe(false);
    expect(w.isQuorum(s(2, 3, 4, 5))).toBe(false);
    expect(w.weight(2)).toBe(0);
    expect(w.voters().has(2)).toBe(true);
  });

  it('does not count groups whose total weight is 0', () => {
    const w = hierarchicalQuorum({ 1: [1, 2], 2: [3, 4], 3: [5] }, { 5: 0 });
    // Two live groups: both need a majority.
    expect(w.isQuorum(s(1, 2, 3, 4, 5))).toBe(true);
    expect(w.isQuorum(s(1, 2, 5))).toBe(false);
    expect(w.isQuorum(s())).toBe(false);
  });

  it('rejects a server in two groups and weights for unknown servers', () => {
    expect(() => hierarchicalQuorum({ 1: [1, 2], 2: [2, 3] })).toThrow(/more than one group/);
    expect(() => hierarchicalQuorum({ 1: [1, 2] }, { 9: 1 })).toThrow(/no group/);
    expect(() => hierarchicalQuorum({ 1: [1, 2] }, { 1: -1 })).toThrow(/non-negative/);
  });
});
