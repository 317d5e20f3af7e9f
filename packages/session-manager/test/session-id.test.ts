import { CONTAINER_EPHEMERAL_OWNER } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { SessionIdGenerator, formatSessionId, initialSessionId, serverIdOfSession } from '../src/index.js';

describe('initialSessionId', () => {
  it('is serverId in the high byte and the clock shifted left 16 bits (hand computed)', () => {
    // for now < 2^40: ((now << 24) >>> 8) == now * 2^16
    expect(initialSessionId(3, 123456789)).toBe(3n * 2n ** 56n + 123456789n * 2n ** 16n);
    expect(initialSessionId(3, 123456789)).toBe(216180872977907712n);
    // 1_700_000_000_123 >= 2^40: only its low 40 bits survive the << 24
    expect(initialSessionId(1, 1_700_000_000_123)).toBe(2n ** 56n + (1_700_000_000_123n % 2n ** 40n) * 65536n);
  });

  it('matches Java long arithmetic (values printed by a Java 17 program)', () => {
    expect(initialSessionId(1, 1_700_000_000_123)).toBe(111411200008060928n);
    expect(initialSessionId(200, 1_700_000_000_123)).toBe(-3995871660153831424n);
    expect(initialSessionId(0, 0)).toBe(0n);
    expect(initialSessionId(255, 0xff_ffff_ffff)).toBe(-65536n);
    expect(initialSessionId(1, -1)).toBe(144115188075790336n);
  });

  it('keeps only the low 40 bits of the clock', () => {
    expect(initialSessionId(1, 2 ** 40 + 5)).toBe(initialSessionId(1, 5));
    expect(initialSessionId(1n, 5n)).toBe(initialSessionId(1, 5));
  });

  it('steps over the container marker (Long.MIN_VALUE)', () => {
    expect(initialSessionId(128, 0)).toBe(CONTAINER_EPHEMERAL_OWNER + 1n);
    expect(initialSessionId(128, 0)).toBe(-9223372036854775807n);
  });
});

describe('SessionIdGenerator', () => {
  it('starts at the initial id and increments by one', () => {
    const gen = new SessionIdGenerator(3, 123456789);
    expect(gen.peek()).toBe(216180872977907712n);
    expect(gen.next()).toBe(216180872977907712n);
    expect(gen.next()).toBe(216180872977907713n);
    expect(gen.peek()).toBe(216180872977907714n);
  });

  it('increments across the clock bits and wraps like a Java long', () => {
    const gen = new SessionIdGenerator(127, 0xff_ffff_ffff);
    expect(gen.next()).toBe(0x7fff_ffff_ffff_0000n);
    for (let i = 0; i < 0xfffe; i++) gen.next();
    expect(gen.next()).toBe(0x7fff_ffff_ffff_ffffn); // Long.MAX_VALUE
    expect(gen.next()).toBe(-(2n ** 63n)); // getAndIncrement overflows to Long.MIN_VALUE
  });

  it('is deterministic for the same inputs', () => {
    expect(new SessionIdGenerator(7, 42).next()).toBe(new SessionIdGenerator(7, 42).next());
  });
});

describe('helpers', () => {
  it('serverIdOfSession reads the high byte', () => {
    expect(serverIdOfSession(initialSessionId(3, 99))).toBe(3);
    expect(serverIdOfSession(initialSessionId(200, 99))).toBe(200);
  });

  it('formatSessionId prints unsigned lower-case hex', () => {
    expect(formatSessionId(216180872977907712n)).toBe('0x300075bcd150000');
    expect(formatSessionId(-65536n)).toBe('0xffffffffffff0000');
    expect(formatSessionId(0n)).toBe('0x0');
  });
});
