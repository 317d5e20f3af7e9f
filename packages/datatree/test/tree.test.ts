import { describe, expect, it } from 'vitest';
import { ErrorCode, EventType, OpCode } from '@zk/protocol';
import type { TxnEntry } from '@zk/protocol';
import { DataTree } from '../src/tree.js';
import { OPEN_ACL_UNSAFE, READ_ACL_UNSAFE } from '../src/acl.js';
import { Harness, OPEN, enc } from './helpers.js';

const hdr = (zxid: bigint, type: number, clientId = 1n, time = 5000) => ({ clientId, cxid: 1, zxid, time, type });

describe('fresh tree (observed on a fresh ZooKeeper 3.8.0)', () => {
  const t = new DataTree();
  it('root, /zookeeper, /zookeeper/config, /zookeeper/quota stats', () => {
    const zero = { czxid: 0n, mzxid: 0n, ctime: 0, mtime: 0, version: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, pzxid: 0n };
    expect(t.stat('/')).toEqual({ ...zero, cversion: -1, numChildren: 1 });
    expect(t.stat('/zookeeper')).toEqual({ ...zero, cversion: -2, numChildren: 2 });
    expect(t.stat('/zookeeper/config')).toEqual({ ...zero, cversion: 0, aversion: -1, numChildren: 0 });
    expect(t.stat('/zookeeper/quota')).toEqual({ ...zero, cversion: 0, numChildren: 0 });
  });
  it('ACLs, children order, data', () => {
    expect(t.getAcl('/')!.acl).toEqual(OPEN_ACL_UNSAFE);
    expect(t.getAcl('/zookeeper/config')!.acl).toEqual(READ_ACL_UNSAFE);
    expect(t.getAcl('/zookeeper/quota')!.acl).toEqual(OPEN_ACL_UNSAFE);
    expect(t.getChildren('/')).toEqual(['zookeeper']);
    expect(t.getChildren('/zookeeper')).toEqual(['config', 'quota']);
    expect(t.getData('/zookeeper/config')!.data).toEqual(new Uint8Array(0));
  });
  it('counters as DataTree reports them', () => {
    expect(t.nodeCount).toBe(5); // includes the "" alias of the root
    expect(t.approximateDataSize).toBe(44);
    expect(t.countAllChildren('/')).toBe(3);
    expect(t.countAllChildren('/zookeeper')).toBe(2);
    expect(t.lastProcessedZxid).toBe(0n);
    expect(t.has('')).toBe(true);
    expect(t.digest()).toBe(t.recomputeDigest());
  });
});

describe('create / delete stat rules', () => {
  it('new node stat, parent cversion/pzxid, triggers', () => {
    const h = new Harness();
    const r = h.run(OpCode.create2, { path: '/a', data: enc('xyz'), acl: OPEN, flags: 0 });
    expect(r.err).toBe(0);
    expect(r.path).toBe('/a');
    expect(r.stat).toEqual({
      czxid: 1n, mzxid: 1n, ctime: h.time, mtime: h.time, version: 0, cversion: 0, aversion: 0,
      ephemeralOwner: 0n, dataLength: 3, numChildren: 0, pzxid: 1n,
    });
    expect(r.triggers).toEqual([
      { path: '/a', type: EventType.NodeCreated, zxid: 1n },
      { path: '/', type: EventType.NodeChildrenChanged, zxid: 1n },
    ]);
    const root = h.tree.stat('/')!;
    expect(root.pzxid).toBe(1n);
    expect(root.cversion).toBe(0); // stored 1, shown 2*1 - 2 children
    expect(root.numChildren).toBe(2);
    const c = h.run(OpCode.create, { path: '/a/b', data: null, acl: OPEN, flags: 0 });
    expect(c.stat).toBeUndefined();
    expect(c.triggers[1]).toEqual({ path: '/a', type: EventType.NodeChildrenChanged, zxid: 2n });
    expect(h.tree.getData('/a/b')).toEqual({ data: null, stat: expect.objectContaining({ dataLength: 0 }) });
  });

  it('sequence of the real-server probe: sequential names, cversion after delete', () => {
    const h = new Harness();
    expect(h.create('/p').err).toBe(0);
    expect(h.create('/p/', '', 2).path).toBe('/p/0000000000');
    expect(h.create('/p/s', '', 2).path).toBe('/p/s0000000001');
    const d = h.run(OpCode.delete, { path: '/p/0000000000', version: -1 });
    expect(d.triggers).toEqual([
      { path: '/p/0000000000', type: EventType.NodeDeleted, zxid: d.zxid },
      { path: '/p', type: EventType.NodeChildrenChanged, zxid: d.zxid },
    ]);
    let p = h.tree.stat('/p')!;
    expect(p.cversion).toBe(3);
    expect(p.numChildren).toBe(1);
    expect(p.pzxid).toBe(d.zxid);
    expect(h.create('/p/s', '', 2).path).toBe('/p/s0000000002');
    p = h.tree.stat('/p')!;
    expect(p.cversion).toBe(4);
    expect(p.numChildren).toBe(2);
  });

  it('setData: version, mzxid, mtime, dataLength, trigger; ctime/czxid unchanged', () => {
    const h = new Harness();
    h.create('/a', 'one');
    const r = h.run(OpCode.setData, { path: '/a', data: enc('three'), version: 0 });
    expect(r.stat).toMatchObject({ version: 1, mzxid: 2n, czxid: 1n, mtime: h.time, dataLength: 5 });
    expect(r.stat!.ctime).toBe(h.time - 10);
    expect(r.triggers).toEqual([{ path: '/a', type: EventType.NodeDataChanged, zxid: 2n }]);
    const n = h.run(OpCode.setData, { path: '/a', data: null, version: -1 });
    expect(n.stat!.dataLength).toBe(0);
    expect(h.tree.getData('/a')!.data).toBeNull();
    expect(h.tree.approximateDataSize).toBe(44 + 2);
  });

  it('setACL: aversion, no triggers, shared ACL arrays', () => {
    const h = new Harness();
    h.create('/a');
    h.create('/b');
    expect(h.tree.getAcl('/a')!.acl).toBe(h.tree.getAcl('/b')!.acl);
    const acl = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
    const r = h.run(OpCode.setACL, { path: '/a', acl, version: 0 });
    expect(r.err).toBe(0);
    expect(r.stat!.aversion).toBe(1);
    expect(r.triggers).toEqual([]);
    expect(h.tree.getAcl('/a')!.acl).toEqual(acl);
    expect(h.tree.aclCacheSize).toBe(2); // world:anyone READ is the same list as /zookeeper/config's; plus OPEN for /b
  });

  it('error txn result carries the error; lastProcessedZxid moves', () => {
    const t = new DataTree();
    const r = t.apply({ header: hdr(7n, OpCode.error), txn: { type: OpCode.error, txn: { err: ErrorCode.NODEEXISTS } } });
    expect(r.err).toBe(ErrorCode.NODEEXISTS);
    expect(r.triggers).toEqual([]);
    expect(t.lastProcessedZxid).toBe(7n);
  });

  it('countAllChildren and numChildren', () => {
    const h = new Harness();
    h.create('/a');
    h.create('/a/b');
    h.create('/a/b/c');
    h.create('/a/d');
    expect(h.tree.countAllChildren('/a')).toBe(3);
    expect(h.tree.countAllChildren('/')).toBe(7);
    expect(h.tree.countAllChildren('/a/b/c')).toBe(0);
    expect(h.tree.nodeCount).toBe(9);
  });
});

describe('replay rules (fuzzy snapshot tolerance)', () => {
  it('create of an existing node (OpCode.create) still moves the parent cversion/pzxid', () => {
    const t = new DataTree();
    const mk = (zxid: bigint, cv: number, type: 1 | 15 = 1): TxnEntry => ({
      header: hdr(zxid, type),
      txn: { type, txn: { path: '/x', data: new Uint8Array(0), acl: OPEN, ephemeral: false, parentCVersion: cv } },
    });
    expect(t.apply(mk(1n, 1)).err).toBe(0);
    const r = t.apply(mk(5n, 7));
    expect(r.err).toBe(ErrorCode.NODEEXISTS);
    expect(t.stat('/')!.pzxid).toBe(5n);
    expect(t.stat('/')!.cversion).toBe(7 * 2 - 2);
    // create2 does not adjust
    const r2 = t.apply(mk(6n, 9, 15));
    expect(r2.err).toBe(ErrorCode.NODEEXISTS);
    expect(t.stat('/')!.pzxid).toBe(5n);
  });

  it('delete of a missing child still moves the parent pzxid, reports NONODE', () => {
    const t = new DataTree();
    const r = t.apply({ header: hdr(9n, OpCode.delete), txn: { type: OpCode.delete, txn: { path: '/ghost' } } });
    expect(r.err).toBe(ErrorCode.NONODE);
    expect(r.triggers).toEqual([]);
    expect(t.stat('/')!.pzxid).toBe(9n);
  });

  it('lower parentCVersion does not move cversion back', () => {
    const t = new DataTree();
    const c = (zxid: bigint, path: string, cv: number): TxnEntry => ({
      header: hdr(zxid, 1),
      txn: { type: 1, txn: { path, data: new Uint8Array(0), acl: OPEN, ephemeral: false, parentCVersion: cv } },
    });
    t.apply(c(1n, '/a', 5));
    t.apply(c(2n, '/b', 3));
    expect(t.stat('/')!.cversion).toBe(5 * 2 - 3);
    expect(t.stat('/')!.pzxid).toBe(1n);
  });
});

describe('ephemerals and closeSession', () => {
  it('owner, ephemeralsOf, getEphemerals prefix, closeSession deletes with triggers', () => {
    const h = new Harness();
    h.create('/app');
    h.create('/app/e1', '', 1, 0x1234n);
    h.create('/app/e2', '', 1, 0x1234n);
    h.create('/other', '', 1, 0x1234n);
    h.create('/mine', '', 1, 0x99n);
    expect(h.tree.stat('/app/e1')!.ephemeralOwner).toBe(0x1234n);
    expect(h.tree.ephemeralsOf(0x1234n).sort()).toEqual(['/app/e1', '/app/e2', '/other']);
    expect(h.tree.getEphemerals(0x1234n, '/app').sort()).toEqual(['/app/e1', '/app/e2']);
    expect(h.tree.getEphemerals(0x1234n, ' / ').length).toBe(3);
    expect(h.tree.getEphemerals(0x1234n, '').length).toBe(3);
    expect(h.tree.ephemeralCount).toBe(4);
    const e = h.prepare(OpCode.closeSession, undefined, 0x1234n);
    expect(e.txn.type).toBe(OpCode.closeSession);
    const paths = (e.txn.txn as { paths2Delete: string[] }).paths2Delete;
    expect([...paths].sort()).toEqual(['/app/e1', '/app/e2', '/other']);
    const r = h.commit(e);
    expect(r.deleted).toEqual(paths);
    expect(r.triggers.length).toBe(6);
    expect(r.triggers[0]).toEqual({ path: paths[0], type: EventType.NodeDeleted, zxid: e.header.zxid });
    expect(h.tree.has('/app/e1')).toBe(false);
    expect(h.tree.has('/mine')).toBe(true);
    expect(h.tree.stat('/app')!.pzxid).toBe(e.header.zxid);
    expect(h.tree.sessionsWithEphemerals()).toEqual([0x99n]);
  });

  it('closeSession order follows the cloned HashSet (java order of the paths)', () => {
    const h = new Harness();
    for (const p of ['/locks/lock-0000000007', '/e', '/services/web/node-1']) {
      const parent = p.substring(0, p.lastIndexOf('/'));
      if (parent && !h.tree.has(parent)) {
        const segs = parent.split('/').filter(Boolean);
        let acc = '';
        for (const s of segs) {
          acc += '/' + s;
          if (!h.tree.has(acc)) h.create(acc);
        }
      }
      h.create(p, '', 1, 7n);
    }
    // JVM output for new HashSet<>() + these adds, then clone (test/fixtures/java-hashset.json)
    expect(h.tree.ephemeralsOf(7n)).toEqual(['/services/web/node-1', '/locks/lock-0000000007', '/e']);
    const e = h.prepare(OpCode.closeSession, undefined, 7n);
    expect((e.txn.txn as { paths2Delete: string[] }).paths2Delete).toEqual(['/services/web/node-1', '/locks/lock-0000000007', '/e']);
  });
});

describe('containers and TTL nodes (ContainerManager candidates)', () => {
  it('container: hidden owner, candidate only after it had a child', () => {
    const h = new Harness();
    const r = h.run(OpCode.createContainer, { path: '/c', data: null, acl: OPEN, flags: 4 });
    expect(r.stat!.ephemeralOwner).toBe(0n);
    expect(h.tree.containers()).toEqual(['/c']);
    expect(h.tree.containerCandidates(h.time + 1e9)).toEqual([]);
    expect(h.tree.containerCandidates(h.time + 1000, 500)).toEqual(['/c']);
    expect(h.tree.containerCandidates(h.time + 500, 500)).toEqual([]);
    h.create('/c/k');
    expect(h.tree.containerCandidates(h.time)).toEqual([]);
    h.run(OpCode.delete, { path: '/c/k', version: -1 });
    expect(h.tree.containerCandidates(h.time)).toEqual(['/c']);
    const d = h.run(OpCode.deleteContainer, { path: '/c' }, 0n);
    expect(d.err).toBe(0);
    expect(h.tree.containers()).toEqual([]);
  });

  it('create opcode with the container flag makes a persistent node (observed on 3.8.0)', () => {
    const h = new Harness();
    h.run(OpCode.create, { path: '/cf', data: null, acl: OPEN, flags: 4 });
    expect(h.tree.containers()).toEqual([]);
  });

  it('TTL: candidate when empty and now - mtime > ttl; setData refreshes', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    const r = h.run(OpCode.createTTL, { path: '/t', data: null, acl: OPEN, flags: 5, ttl: 500 });
    expect(r.err).toBe(0);
    expect(r.stat!.ephemeralOwner).toBe(0n);
    const created = h.time;
    expect(h.tree.ttls()).toEqual(['/t']);
    expect(h.tree.containerCandidates(created + 500)).toEqual([]);
    expect(h.tree.containerCandidates(created + 501)).toEqual(['/t']);
    h.run(OpCode.setData, { path: '/t', data: null, version: -1 });
    expect(h.tree.containerCandidates(created + 501)).toEqual([]);
    h.create('/t/child');
    expect(h.tree.containerCandidates(created + 1e9)).toEqual([]);
  });
});

describe('quota accounting', () => {
  it('stat node recomputed on creation, updated on create/delete/setData under the quota root', () => {
    const h = new Harness();
    h.create('/q', 'ab');
    h.create('/q/x', 'cde');
    h.create('/zookeeper/quota/q');
    h.create('/zookeeper/quota/q/zookeeper_limits', 'count=10,bytes=-1');
    h.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
    const stats = () => new TextDecoder().decode(h.tree.getData('/zookeeper/quota/q/zookeeper_stats')!.data!);
    expect(stats()).toBe('count=2,bytes=5');
    h.create('/q/y', '1234');
    expect(stats()).toBe('count=3,bytes=9');
    h.run(OpCode.setData, { path: '/q/x', data: enc('c'), version: -1 });
    expect(stats()).toBe('count=3,bytes=7');
    h.run(OpCode.delete, { path: '/q/y', version: -1 });
    expect(stats()).toBe('count=2,bytes=3');
    // the stat node's own stat does not move (written in place)
    expect(h.tree.stat('/zookeeper/quota/q/zookeeper_stats')!.version).toBe(0);
    expect(h.tree.maxPrefixWithQuota('/q/x/deep')).toBe('/q');
    h.run(OpCode.delete, { path: '/zookeeper/quota/q/zookeeper_limits', version: -1 });
    expect(h.tree.maxPrefixWithQuota('/q/x')).toBeNull();
  });
});

describe('multi apply', () => {
  it('a failed multi applies nothing; ops before the failure report 0, after it RUNTIMEINCONSISTENCY', () => {
    const t = new DataTree();
    const r = t.apply({
      header: hdr(3n, OpCode.multi),
      txn: {
        type: OpCode.multi,
        txn: {
          txns: [
            { type: 1, txn: { path: '/m1', data: new Uint8Array(0), acl: OPEN, ephemeral: false, parentCVersion: 1 } },
            { type: -1, txn: { err: ErrorCode.NODEEXISTS } },
            { type: -1, txn: { err: ErrorCode.RUNTIMEINCONSISTENCY } },
          ],
        },
      },
    });
    expect(r.err).toBe(ErrorCode.NODEEXISTS);
    expect(r.multi).toEqual([
      { type: -1, err: 0 },
      { type: -1, err: ErrorCode.NODEEXISTS },
      { type: -1, err: ErrorCode.RUNTIMEINCONSISTENCY },
    ]);
    expect(t.has('/m1')).toBe(false);
    expect(r.triggers).toEqual([]);
    expect(t.lastProcessedZxid).toBe(3n);
  });
});

describe('digest', () => {
  it('incremental digest equals a full recomputation after many changes', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    for (let i = 0; i < 50; i++) h.create(`/n${i}`, `v${i}`, i % 3 === 0 ? 1 : 0, BigInt(1 + (i % 4)));
    for (let i = 0; i < 50; i += 2) h.run(OpCode.setData, { path: `/n${i}`, data: enc('x'.repeat(i)), version: -1 });
    for (let i = 0; i < 50; i += 5) h.run(OpCode.delete, { path: `/n${i}`, version: -1 });
    h.run(OpCode.closeSession, undefined, 2n);
    h.create('/zookeeper/quota/n1');
    expect(h.tree.digest()).toBe(h.tree.recomputeDigest());
    expect(h.tree.digest()).not.toBe(0n);
  });

  it('disabled digest stays 0', () => {
    const t = new DataTree({ digestEnabled: false });
    expect(t.digest()).toBe(0n);
  });
});

describe('getChildren order is java.util.HashSet order (fixtures printed by a JVM)', () => {
  it('20 lock names, and a removal / re-add sequence', async () => {
    const { readFileSync } = await import('node:fs');
    const fx = JSON.parse(readFileSync(new URL('./fixtures/java-hashset.json', import.meta.url), 'utf8')) as Array<{
      in: string[];
      out: string[];
      removed?: string[];
      readded?: string[];
    }>;
    const h = new Harness();
    h.create('/locks');
    for (const n of fx[0]!.in) h.create(`/locks/${n}`);
    expect(h.tree.getChildren('/locks')).toEqual(fx[0]!.out);
    expect(h.tree.getNode('/locks')!.children).toEqual(fx[0]!.out);
    const c = fx[1]!;
    h.create('/w');
    for (const n of c.in) h.create(`/w/${n}`);
    for (const n of c.removed!) h.run(OpCode.delete, { path: `/w/${n}`, version: -1 });
    for (const n of c.readded!) h.create(`/w/${n}`);
    expect(h.tree.getChildren2('/w')!.children).toEqual(c.out);
    // the order survives a snapshot round trip (children are re-added in iteration order)
    const t2 = DataTree.fromSnapshot(h.tree.serializeSnapshot()).tree;
    expect(t2.getChildren('/locks')).toEqual(fx[0]!.out);
  });

  it('counters match ZooKeeper mntr after 1000 parents x 10 children of 100 bytes', () => {
    // (the same shape with 999 children each gave zk_znode_count 1000005 and
    // zk_approximate_data_size 109675044 on ZooKeeper 3.8.0; checked with this code too)
    const h = new Harness();
    const val = new Uint8Array(100);
    for (let i = 0; i < 1000; i++) h.run(OpCode.create, { path: `/d${i}`, data: new Uint8Array(0), acl: OPEN, flags: 0 });
    for (let i = 0; i < 1000; i++) for (let j = 0; j < 10; j++) h.run(OpCode.create, { path: `/d${i}/n${j}`, data: val, acl: OPEN, flags: 0 });
    expect(h.tree.nodeCount).toBe(11005);
    let expected = 44;
    for (let i = 0; i < 1000; i++) {
      expected += `/d${i}`.length;
      for (let j = 0; j < 10; j++) expected += `/d${i}/n${j}`.length + 100;
    }
    expect(h.tree.approximateDataSize).toBe(expected);
  });
});
