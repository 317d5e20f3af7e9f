import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TICK_TIME_MS,
  defaultSessionTimeouts,
  negotiateSessionTimeout,
  resolveSessionTimeouts,
} from '../src/index.js';

describe('session timeout bounds', () => {
  it('defaults to 2 and 20 ticks (ZooKeeperServer.setMin/MaxSessionTimeout)', () => {
    expect(defaultSessionTimeouts(2000)).toEqual({ minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000 });
    expect(defaultSessionTimeouts(DEFAULT_TICK_TIME_MS)).toEqual({ minSessionTimeoutMs: 6000, maxSessionTimeoutMs: 60000 });
  });

  it('rejects a non-positive or fractional tickTime', () => {
    expect(() => defaultSessionTimeouts(0)).toThrow(RangeError);
    expect(() => defaultSessionTimeouts(1.5)).toThrow(RangeError);
  });

  it('resolves -1 / absent to the defaults and keeps configured values', () => {
    expect(resolveSessionTimeouts(2000, { minSessionTimeoutMs: -1, maxSessionTimeoutMs: 10000 })).toEqual({
      minSessionTimeoutMs: 4000,
      maxSessionTimeoutMs: 10000,
    });
    expect(resolveSessionTimeouts(2000, { minSessionTimeoutMs: 1000 })).toEqual({
      minSessionTimeoutMs: 1000,
      maxSessionTimeoutMs: 40000,
    });
    expect(resolveSessionTimeouts(2000)).toEqual(defaultSessionTimeouts(2000));
  });

  it('refuses min > max (QuorumPeerConfig)', () => {
    expect(() => resolveSessionTimeouts(2000, { minSessionTimeoutMs: 50000 })).toThrow(/must not be larger/);
  });
});

describe('negotiateSessionTimeout', () => {
  const bounds = { minSessionTimeoutMs: 4000, maxSessionTimeoutMs: 40000 };

  it('raises a short request to the minimum', () => {
    expect(negotiateSessionTimeout(1, bounds)).toBe(4000);
    expect(negotiateSessionTimeout(0, bounds)).toBe(4000);
    expect(negotiateSessionTimeout(-30000, bounds)).toBe(4000);
    expect(negotiateSessionTimeout(3999, bounds)).toBe(4000);
  });

  it('keeps a request inside the range, bounds included', () => {
    expect(negotiateSessionTimeout(4000, bounds)).toBe(4000);
    expect(negotiateSessionTimeout(30000, bounds)).toBe(30000);
    expect(negotiateSessionTimeout(40000, bounds)).toBe(40000);
  });

  it('lowers a long request to the maximum', () => {
    expect(negotiateSessionTimeout(40001, bounds)).toBe(40000);
    expect(negotiateSessionTimeout(2 ** 31 - 1, bounds)).toBe(40000);
  });

  it('applies min then max, so inverted bounds yield max', () => {
    expect(negotiateSessionTimeout(100, { minSessionTimeoutMs: 5000, maxSessionTimeoutMs: 3000 })).toBe(3000);
  });
});
