import { describe, expect, it } from 'vitest';
import { Oracle, dataFor, parseData, type Observed } from '../src/oracle.js';
import { schedule } from '../src/crashtest.js';

const seen = (o: Oracle, path: string, index: number, version = index, mzxid?: bigint): Observed => {
  const n = o.nodes.get(path)!;
  return { exists: true, data: n.writes[index]!.data, version, mzxid: mzxid ?? n.writes[index]!.zxid ?? 0n };
};

/** A line with writes 0..k-1 attempted, the first `acked` acknowledged at zxids 10, 11, ... */
function line(o: Oracle, path: string, attempted: number, acked: number): void {
  const n = o.line(path);
  for (let i = 0; i < attempted; i++) o.attempt(n, dataFor(path, i, 'x'.repeat(i)));
  for (let i = 0; i < acked; i++) o.ack(n, i, 10n + BigInt(i));
}

describe('crash oracle', () => {
  it('data names its node and write', () => {
    expect(parseData(dataFor('/crash/a', 7, 'xyz'))).toEqual({ path: '/crash/a', index: 7 });
    expect(parseData('garbage')).toBeUndefined();
  });

  it('after a kill: the acknowledged write or a later attempted one, with version = index', () => {
    const o = new Oracle();
    line(o, '/crash/a', 4, 2);
    const n = o.nodes.get('/crash/a')!;
    expect(o.check(n, seen(o, '/crash/a', 1))).toEqual([]);
    expect(o.check(n, seen(o, '/crash/a', 3, 3, 99n))).toEqual([]); // logged, reply lost
    expect(o.check(n, seen(o, '/crash/a', 0)).map((v) => v.kind)).toEqual(['lost-ack']);
    expect(o.check(n, { exists: false }).map((v) => v.kind)).toEqual(['lost-ack']);
    expect(o.check(n, seen(o, '/crash/a', 1, 0)).map((v) => v.kind)).toEqual(['bad-version']);
    expect(o.check(n, seen(o, '/crash/a', 1, 1, 5n)).map((v) => v.kind)).toEqual(['bad-zxid']);
    expect(o.check(n, { exists: true, data: dataFor('/crash/a', 2, 'other'), version: 2, mzxid: 0n }).map((v) => v.kind)).toEqual(['unknown-data']);
    expect(o.check(n, { exists: true, data: dataFor('/crash/b', 1, 'x'), version: 1, mzxid: 0n }).map((v) => v.kind)).toEqual(['wrong-node']);
  });

  it('a never acknowledged create may be absent or present', () => {
    const o = new Oracle();
    line(o, '/crash/u', 1, 0);
    const n = o.nodes.get('/crash/u')!;
    expect(o.check(n, { exists: false })).toEqual([]);
    expect(o.check(n, seen(o, '/crash/u', 0, 0, 40n))).toEqual([]);
  });

  it('after a truncation: a prefix by zxid (acknowledged writes above the last zxid must be gone)', () => {
    const o = new Oracle();
    line(o, '/crash/t', 5, 5); // zxids 10..14
    const n = o.nodes.get('/crash/t')!;
    expect(o.check(n, seen(o, '/crash/t', 2), 12n)).toEqual([]);
    expect(o.check(n, seen(o, '/crash/t', 3), 12n).map((v) => v.kind)).toEqual(['beyond-prefix']);
    expect(o.check(n, seen(o, '/crash/t', 1), 12n).map((v) => v.kind)).toEqual(['lost-ack']);
    expect(o.check(n, { exists: false }, 9n)).toEqual([]);
  });

  it('settling keeps what was seen and forgets attempts that never applied', () => {
    const o = new Oracle();
    line(o, '/crash/s', 5, 2);
    const n = o.nodes.get('/crash/s')!;
    o.settle(n, seen(o, '/crash/s', 3, 3, 77n));
    expect(n.settled).toBe(3);
    expect(n.writes).toHaveLength(4);
    expect(n.writes[3]!.zxid).toBe(77n);
    // a later verification must not see less than what was settled
    expect(o.check(n, seen(o, '/crash/s', 2)).map((v) => v.kind)).toEqual(['regressed']);
    expect(o.attempt(n, dataFor('/crash/s', 4, ''))).toBe(4);
  });

  it('phantoms: children no client attempted', () => {
    const o = new Oracle();
    line(o, '/crash/a', 1, 1);
    expect(o.phantoms('/crash', ['a', 'zz']).map((v) => v.path)).toEqual(['/crash/zz']);
  });

  it('schedule: every 5th round truncates, one flip in the middle', () => {
    const s = schedule(20);
    expect(s.filter((k) => k === 'truncate')).toHaveLength(4);
    expect(s.filter((k) => k === 'flip')).toHaveLength(1);
    expect(s[10]).toBe('flip');
    expect(schedule(6, 1).filter((k) => k === 'truncate')).toHaveLength(5);
  });
});
