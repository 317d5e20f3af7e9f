import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress, sameAddress } from '../src/index.js';

describe('address helpers', () => {
  it('formats IPv4, names and IPv6', () => {
    expect(formatAddress({ host: '127.0.0.1', port: 2181 })).toBe('127.0.0.1:2181');
    expect(formatAddress({ host: 'server1', port: 2888 })).toBe('server1:2888');
    expect(formatAddress({ host: '::1', port: 3888 })).toBe('[::1]:3888');
  });

  it('parses what it formats', () => {
    for (const address of [
      { host: '127.0.0.1', port: 2181 },
      { host: 'zk-1.example', port: 0 },
      { host: '::', port: 65535 },
    ]) {
      expect(parseAddress(formatAddress(address))).toEqual(address);
    }
  });

  it('rejects malformed addresses', () => {
    for (const text of ['', 'host', ':2181', 'host:', 'host:x', 'host:65536', '::1:2181', '[::1]2181', '[::1']) {
      expect(() => parseAddress(text), text).toThrow(TypeError);
    }
  });

  it('compares host and port', () => {
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'a', port: 1 })).toBe(true);
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'a', port: 2 })).toBe(false);
    expect(sameAddress({ host: 'a', port: 1 }, { host: 'b', port: 1 })).toBe(false);
  });
});
