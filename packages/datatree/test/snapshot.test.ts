import { describe, expect, it } from 'vitest';
import { CreateMode, OpCode } from '@zk/protocol';
import { DataTree } from '../src/tree.js';
import { TxnPreparer } from '../src/prep.js';
import { Harness, OPEN, enc } from './helpers.js';

function populate(h: Harness): void {
  h.create('/a', 'alpha');
  h.create('/a/b', null);
  for (let i = 0; i < 30; i++) h.create('/a/s-', 'x'.repeat(i), CreateMode.PERSISTENT_SEQUENTIAL);
  h.create('/e1', 'eph', CreateMode.EPHEMERAL, 0x55n);
  h.create('/a/e2', '', CreateMode.EPHEMERAL_SEQUENTIAL, 0x55n);
  h.run(OpCode.createContainer, { path: '/c', data: null, acl: OPEN, flags: 4 });
  h.run(OpCode.createTTL, { path: '/t', data: enc('ttl'), acl: OPEN, flags: 5, ttl: 1234 });
  h.create('/big', 'y'.repeat(100_000));
  h.run(OpCode.setACL, { path: '/a/b', acl: [{ perms: 3, id: { scheme: 'digest', id: 'u:abc' } }], version: -1 });
  h.run(OpCode.setData, { path: '/a', data: enc('beta'), version: 0 });
  h.run(OpCode.delete, { path: '/a/s-0000000005', version: -1 });
  h.create('/zookeeper/quota/a');
  h.create('/zookeeper/quota/a/zookeeper_limits', 'count=100,bytes=-1');
  h.create('/zookeeper/quota/a/zookeeper_stats', '');
}

function dump(t: DataTree): unknown[] {
  const out: unknown[] = [];
  const visit = (p: string) => {
    const n = t.getNode(p)!;
    out.push(n);
    for (const c of n.children) visit((p === '/' ? '' : p) + '/' + c);
  };
  visit('/');
  return out;
}

describe('snapshots', () => {
  it('round trip preserves nodes, stats, ACLs, children order, ephemerals, containers, TTLs, quotas, digest', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    populate(h);
    const sessions = new Map([[0x55n, 30000], [0x66n, 4000]]);
    const chunks = h.tree.serializeSnapshot(sessions);
    const loaded = DataTree.fromSnapshot(chunks);
    const t2 = loaded.tree;
    expect(loaded.sessions).toEqual(sessions);
    expect(loaded.zxid).toBe(h.tree.lastProcessedZxid);
    expect(t2.lastProcessedZxid).toBe(h.tree.lastProcessedZxid);
    expect(loaded.digest).toBe(h.tree.digest());
    expect(t2.digest()).toBe(h.tree.digest());
    expect(dump(t2)).toEqual(dump(h.tree));
    expect(t2.ephemeralsOf(0x55n)).toEqual(h.tree.ephemeralsOf(0x55n));
    expect(t2.containers()).toEqual(['/c']);
    expect(t2.ttls()).toEqual(['/t']);
    expect(t2.extendedTypesEnabled).toBe(true);
    expect(t2.nodeCount).toBe(h.tree.nodeCount);
    // as in ZooKeeper, quota stat data rewritten in place is not in the cached size until a reload
    expect(t2.approximateDataSize).toBe(h.tree.approximateDataSize + 'count=32,bytes=435'.length);
    expect(t2.aclCacheSize).toBe(h.tree.aclCacheSize);
    expect(t2.maxPrefixWithQuota('/a/b')).toBe('/a');
    expect(new TextDecoder().decode(t2.getData('/zookeeper/quota/a/zookeeper_stats')!.data!)).toBe('count=32,bytes=435');
    // and the loaded tree keeps working identically
    const p1 = new TxnPreparer(h.tree);
    const p2 = new TxnPreparer(t2);
    const req = { sessionId: 0x55n, cxid: 1, zxid: 1000n, time: 77, type: OpCode.create, body: { path: '/a/s-', data: null, acl: OPEN, flags: 2 } };
    const e1 = p1.prepare(req, { authIds: [] });
    const e2 = p2.prepare(req, { authIds: [] });
    expect(e2).toEqual(e1);
    expect(t2.apply(e2)).toEqual(h.tree.apply(e1));
    expect(t2.digest()).toBe(h.tree.digest());
  });

  it('reuseChunks recycles buffers yet yields the same bytes to a consumer that copies each chunk', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    populate(h); // /big (100 kB) needs a buffer of its own
    for (let i = 0; i < 2000; i++) h.create('/n-', 'z'.repeat(50), CreateMode.PERSISTENT_SEQUENTIAL);
    const sessions = new Map([[0x55n, 30000]]);
    const plain = Buffer.concat([...h.tree.snapshotWriter(sessions, { chunkSize: 1024 })]);
    const w = h.tree.snapshotWriter(sessions, { chunkSize: 1024, reuseChunks: true });
    const copies: Buffer[] = [];
    const seen = new Set<ArrayBufferLike>();
    for (let c = w.next(); c !== undefined; c = w.next()) {
      copies.push(Buffer.from(c));
      seen.add(c.buffer);
    }
    expect(Buffer.concat(copies).equals(plain)).toBe(true);
    // a handful of 1 kB buffers (plus the big node's own and the CRC tail) for ~200 chunks
    expect(copies.length).toBeGreaterThan(150);
    expect(seen.size).toBeLessThan(10);
  });

  it('a single-buffer snapshot loads too; corruption is detected', () => {
    const h = new Harness();
    populate(h);
    const chunks = h.tree.serializeSnapshot();
    const one = Buffer.concat(chunks);
    expect(DataTree.fromSnapshot(new Uint8Array(one)).tree.digest()).toBe(h.tree.digest());
    one[40] = one[40]! ^ 0xff;
    expect(() => DataTree.fromSnapshot(new Uint8Array(one))).toThrow(/checksum/);
  });

  it('replaying the same txns into two trees gives identical digests and state', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    populate(h);
    h.run(OpCode.closeSession, undefined, 0x55n);
    h.run(OpCode.multi, [
      { type: 1, req: { path: '/m', data: null, acl: OPEN, flags: 0 } },
      { type: 1, req: { path: '/a', data: null, acl: OPEN, flags: 0 } },
    ]);
    const replica = new DataTree({ extendedTypesEnabled: true });
    for (const e of h.log) replica.apply(e);
    expect(replica.digest()).toBe(h.tree.digest());
    expect(dump(replica)).toEqual(dump(h.tree));
    expect(replica.digest()).toBe(replica.recomputeDigest());
  });
});
