import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AdHash, nodeDigest } from '../src/digest.js';

// Captured from a real ZooKeeper 3.8.0: the `hash` 4lw output at zxid 0x80 and every node's data
// and stat read right after (stored cversion = (cversion + numChildren) / 2).
const fx = JSON.parse(readFileSync(new URL('./fixtures/zk-digest-0x80.json', import.meta.url), 'utf8')) as {
  hash: string;
  nodes: Array<{ path: string; data: string | null; czxid: number; mzxid: number; pzxid: number; ctime: number; mtime: number; version: number; cversion: number; aversion: number; owner: number }>;
};

describe('tree digest matches ZooKeeper', () => {
  it('sum of node digests equals the digest ZooKeeper logged', () => {
    const h = new AdHash();
    for (const n of fx.nodes) {
      h.add(
        nodeDigest(
          n.path,
          n.data === null ? null : new Uint8Array(Buffer.from(n.data, 'hex')),
          BigInt(n.czxid), BigInt(n.mzxid), BigInt(n.pzxid), n.ctime, n.mtime, n.version, n.cversion, n.aversion, BigInt(n.owner),
        ),
      );
    }
    const expected = BigInt(fx.hash.trim().split(': ')[1]!);
    expect(h.value()).toBe(expected);
  });

  it('AdHash wraps at 64 bits like a Java long', () => {
    const h = new AdHash();
    for (let i = 0; i < 5000; i++) h.add(0xffffffff);
    expect(h.value()).toBe(BigInt.asIntN(64, 5000n * 0xffffffffn));
    for (let i = 0; i < 5001; i++) h.remove(0xffffffff);
    expect(h.value()).toBe(-0xffffffffn);
  });
});
