/** Small pure pieces: the log tail, sync planning, quorum math, the Ready buffer, start-up validation. */
import { makeZxid } from '@zk/zxid';
import { describe, expect, it } from 'vitest';
import { createZabNode, majorityQuorum } from '../src/index.js';
import { planSync } from '../src/sync-plan.js';
import { LogTail } from '../src/log-tail.js';
import { ReadyBuilder } from '../src/ready.js';

const p = new Uint8Array(0);
const tailOf = (base: bigint, zxids: bigint[]): LogTail => new LogTail(base, zxids.map((zxid) => ({ zxid, payload: p })));

describe('LogTail', () => {
  it('keeps entries after the base in order and finds them', () => {
    const t = tailOf(makeZxid(1, 1), [makeZxid(1, 1), makeZxid(1, 2), makeZxid(2, 1)]);
    expect(t.length).toBe(2); // the entry at the base is already in the snapshot
    expect(t.lastZxid).toBe(makeZxid(2, 1));
    expect(t.contains(makeZxid(1, 1))).toBe(true);
    expect(t.get(makeZxid(1, 2))?.zxid).toBe(makeZxid(1, 2));
    expect(t.get(makeZxid(1, 3))).toBeUndefined();
    expect(t.slice(makeZxid(1, 1), makeZxid(1, 2)).map((e) => e.zxid)).toEqual([makeZxid(1, 2)]);
    expect(() => t.append(makeZxid(2, 1), p, 1)).toThrow(RangeError);
  });

  it('truncates after a zxid and trims the delivered prefix down to the cap', () => {
    const t = tailOf(0n, [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n].map((c) => makeZxid(1, Number(c))));
    t.truncate(makeZxid(1, 8));
    expect(t.lastZxid).toBe(makeZxid(1, 8));
    t.trim(makeZxid(1, 6), 2);
    expect(t.base).toBe(makeZxid(1, 4));
    expect(t.slice(t.base).map((e) => Number(e.zxid & 0xffn))).toEqual([5, 6, 7, 8]);
    expect(t.truncate(makeZxid(1, 1))).toBe(false); // below the base: not in memory
  });
});

describe('planSync (LearnerHandler.syncFollower)', () => {
  const e1 = (c: number) => makeZxid(1, c);
  const tail = tailOf(e1(2), [e1(3), e1(4), e1(5), makeZxid(2, 1), makeZxid(2, 2)]);

  it('DIFF when the learner is at the sync point, at the base, or inside the committed log', () => {
    expect(planSync(makeZxid(2, 2), makeZxid(2, 2), tail)).toMatchObject({ kind: 'DIFF', from: makeZxid(2, 2) });
    expect(planSync(e1(2), makeZxid(2, 2), tail)).toMatchObject({ kind: 'DIFF', from: e1(2) });
    expect(planSync(e1(4), makeZxid(2, 2), tail)).toMatchObject({ kind: 'DIFF', from: e1(4) });
  });

  it('TRUNC when the learner is ahead of the last committed txn', () => {
    expect(planSync(makeZxid(2, 5), makeZxid(2, 2), tail)).toMatchObject({ kind: 'TRUNC', zxid: makeZxid(2, 2) });
    // Established leader: the sync point is newEpoch << 32, maxCommittedLog is its last txn.
    expect(planSync(makeZxid(2, 3), makeZxid(3, 0), tail)).toMatchObject({ kind: 'TRUNC', zxid: makeZxid(2, 2) });
  });

  it('SNAP when the learner is behind the log or diverged across an epoch boundary', () => {
    expect(planSync(e1(1), makeZxid(2, 2), tail)).toMatchObject({ kind: 'SNAP' });
    expect(planSync(e1(7), makeZxid(2, 2), tail)).toMatchObject({ kind: 'SNAP' }); // has 1.6, 1.7 the leader never had
  });
});

describe('majorityQuorum', () => {
  it('needs more than half of the voters and ignores non-voters', () => {
    const q = majorityQuorum([1, 2, 3, 4]);
    expect(q.isQuorum(new Set([1, 2]))).toBe(false);
    expect(q.isQuorum(new Set([1, 2, 9]))).toBe(false);
    expect(q.isQuorum(new Set([1, 2, 3]))).toBe(true);
    expect(() => majorityQuorum([])).toThrow(RangeError);
  });
});

describe('ReadyBuilder', () => {
  it('advance() drops exactly what ready() handed out', () => {
    const rb = new ReadyBuilder();
    rb.messages.push({ to: 2, msg: { type: 'UPTODATE' } });
    const r = rb.ready();
    rb.messages.push({ to: 3, msg: { type: 'UPTODATE' } });
    rb.advance();
    expect(r.messages.map((m) => m.to)).toEqual([2]);
    expect(rb.messages.map((m) => m.to)).toEqual([3]);
    expect(() => rb.advance()).toThrow();
  });

  it('a disconnect drops not-yet-handed messages to that peer only', () => {
    const rb = new ReadyBuilder();
    rb.messages.push({ to: 2, msg: { type: 'UPTODATE' } }, { to: 3, msg: { type: 'UPTODATE' } });
    rb.dropMessagesTo(2);
    expect(rb.messages.map((m) => m.to)).toEqual([3]);
  });
});

describe('createZabNode', () => {
  const cfg = { sid: 1, quorum: majorityQuorum([1, 2, 3]), initLimit: 5, syncLimit: 2 };

  it('refuses inconsistent durable state, as QuorumPeer.loadDataBase does', () => {
    expect(() => createZabNode(cfg, { acceptedEpoch: 1, currentEpoch: 2, snapshotZxid: 0n, log: [] })).toThrow(/acceptedEpoch/);
    expect(() =>
      createZabNode(cfg, { acceptedEpoch: 1, currentEpoch: 1, snapshotZxid: makeZxid(1, 5), log: [{ zxid: makeZxid(1, 5), payload: p }] }),
    ).toThrow(/not increasing/);
    expect(() => createZabNode({ ...cfg, initLimit: 0 })).toThrow(RangeError);
  });

  it('starts LOOKING and reports its durable state', () => {
    const n = createZabNode(cfg, { acceptedEpoch: 3, currentEpoch: 2, snapshotZxid: makeZxid(2, 4), log: [{ zxid: makeZxid(2, 5), payload: p }] });
    expect(n.status()).toMatchObject({
      state: 'LOOKING', phase: 'ELECTION', acceptedEpoch: 3, currentEpoch: 2, lastZxid: makeZxid(2, 5), lastDelivered: makeZxid(2, 4),
    });
    expect(n.ready().stateChanges).toEqual([{ state: 'LOOKING', phase: 'ELECTION', epoch: 0, leader: null, serving: false }]);
    n.advance();
    expect(n.hasReady()).toBe(false);
    expect(n.propose(p)).toEqual({ ok: false, reason: 'not-leader' });
  });

  it('an observer cannot lead', () => {
    const n = createZabNode({ ...cfg, learnerType: 'observer' });
    expect(() => n.electionComplete(1)).toThrow(/cannot lead/);
  });
});
