import { describe, expect, it } from 'vitest';
import {
  compareZxid, counterOf, epochOf, formatZxid, isCounterExhausted, makeZxid, nextZxid, parseZxid,
  zxidFromSigned, zxidToSigned, COUNTER_MAX,
} from '../src/index.js';

describe('zxid', () => {
  it('packs epoch in the high 32 bits and counter in the low 32', () => {
    const z = makeZxid(5, 7);
    expect(z).toBe(0x0000000500000007n);
    expect(epochOf(z)).toBe(5);
    expect(counterOf(z)).toBe(7);
  });
  it('orders by epoch first, then counter', () => {
    expect(compareZxid(makeZxid(2, 0), makeZxid(1, 0xffffffff))).toBe(1);
    expect(compareZxid(makeZxid(1, 3), makeZxid(1, 4))).toBe(-1);
    expect(compareZxid(makeZxid(1, 3), makeZxid(1, 3))).toBe(0);
  });
  it('refuses to roll the counter over into the next epoch', () => {
    const last = makeZxid(3, COUNTER_MAX);
    expect(isCounterExhausted(last)).toBe(true);
    expect(() => nextZxid(last)).toThrow(/new epoch/);
    expect(nextZxid(makeZxid(3, 1))).toBe(makeZxid(3, 2));
  });
  it('formats and parses like ZooKeeper (0x hex)', () => {
    expect(formatZxid(makeZxid(1, 0x1f))).toBe('0x10000001f');
    expect(parseZxid('0x10000001f')).toBe(makeZxid(1, 0x1f));
    expect(parseZxid('42')).toBe(42n);
    expect(() => parseZxid('0xzz')).toThrow(SyntaxError);
    expect(() => makeZxid(-1, 0)).toThrow(RangeError);
  });
  it('converts to and from the signed wire form without loss', () => {
    const z = makeZxid(0xfffffffe, 9);
    expect(zxidToSigned(z) < 0n).toBe(true);
    expect(zxidFromSigned(zxidToSigned(z))).toBe(z);
  });
});
