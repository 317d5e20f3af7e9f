import { describe, expect, it } from 'vitest';
import { JavaRandom, SessionPasswords, ZOOKEEPER_SUPER_SECRET, checkPassword, passwordFor } from '../src/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// Printed by Java 17: new Random(id ^ 0xB3415C00L).nextBytes(new byte[16]) etc.
const JAVA_PASSWORDS: Array<[bigint, string]> = [
  [1n, '054cc74a37327db215e702e20c73f005'],
  [72057594037927936n, 'f22acd4a97e69d6d20a49bb638eadb38'],
  [72493393350623232n, '94ce06d6911e84d392156456c2a338c8'],
  [-1n, '20f62cb5648dc2d771471c8a2486a9ee'],
  [9223372036854775807n, '20f62cb5648dc2d771471c8a2486a9ee'],
  [-4034789466811269119n, 'a7ef00d6316a63188758cb81962c4d95'],
];

describe('JavaRandom', () => {
  it('nextInt matches java.util.Random', () => {
    const r = new JavaRandom(-5n);
    expect([r.nextInt(), r.nextInt(), r.nextInt()]).toEqual([1156638822, 1560933443, 1434915906]);
  });

  it('nextBytes fills a partial last int low byte first', () => {
    expect(hex(new JavaRandom(42n).nextBytes(new Uint8Array(7)))).toBe('359d41baf78afe');
  });
});

describe('session passwords', () => {
  it('equal ZooKeeper generatePasswd byte for byte', () => {
    for (const [id, expected] of JAVA_PASSWORDS) expect(hex(passwordFor(id))).toBe(expected);
  });

  it('are 16 bytes and deterministic', () => {
    const p = new SessionPasswords();
    expect(p.passwordFor(5n)).toHaveLength(16);
    expect(p.passwordFor(5n)).toEqual(new SessionPasswords(ZOOKEEPER_SUPER_SECRET).passwordFor(5n));
  });

  it('depend on the secret', () => {
    expect(hex(new SessionPasswords(1234n).passwordFor(1n))).not.toBe(hex(passwordFor(1n)));
  });

  it('checkPassword accepts the derived password only', () => {
    const id = 72493393350623232n;
    const good = passwordFor(id);
    expect(checkPassword(id, good)).toBe(true);
    const bad = good.slice();
    bad[15] = bad[15]! ^ 1;
    expect(checkPassword(id, bad)).toBe(false);
    expect(checkPassword(id, good.subarray(0, 15))).toBe(false);
    expect(checkPassword(id, new Uint8Array(0))).toBe(false);
    expect(checkPassword(id, null)).toBe(false);
    expect(checkPassword(id + 1n, good)).toBe(false);
  });

  it('never validates session id 0', () => {
    expect(checkPassword(0n, passwordFor(0n))).toBe(false);
  });

  it('a different secret rejects another server secret password', () => {
    const a = new SessionPasswords(1n);
    const b = new SessionPasswords(2n);
    expect(b.checkPassword(9n, a.passwordFor(9n))).toBe(false);
    expect(a.checkPassword(9n, a.passwordFor(9n))).toBe(true);
  });
});
