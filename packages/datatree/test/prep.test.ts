import { describe, expect, it } from 'vitest';
import { CreateMode, ErrorCode, OpCode } from '@zk/protocol';
import type { ACL, MultiOp, TxnEntry } from '@zk/protocol';
import { generateDigest } from '../src/auth.js';
import { Harness, OPEN, enc } from './helpers.js';

const E = ErrorCode;
const errOf = (e: TxnEntry): number => (e.header.type === OpCode.error ? (e.txn.txn as { err: number }).err : 0);
const create = (path: string, flags = 0, acl: ACL[] = OPEN, data: Uint8Array | null = null) => ({ path, data, acl, flags });

describe('create validation, in ZooKeeper 3.8.0 order (checked against a real server)', () => {
  const h = new Harness();
  h.create('/p');
  const c = (path: string, flags = 0, acl: ACL[] = OPEN) => errOf(h.commitAndReturn(h.prepare(OpCode.create, create(path, flags, acl))));

  it.each([
    ['/', E.NODEEXISTS],
    ['/nope/', E.NONODE],
    ['/p/', E.BADARGUMENTS],
    ['//a', E.BADARGUMENTS],
    ['/p//b', E.NONODE],
    ['noslash', E.BADARGUMENTS],
    ['', E.BADARGUMENTS],
    ['/p/a\u0000b', E.BADARGUMENTS],
    ['/p/.', E.BADARGUMENTS],
    ['/p/..', E.BADARGUMENTS],
    ['/p/..x', 0],
    ['/p/\u0007', E.BADARGUMENTS],
    ['/p/\ud83d\ude00', E.BADARGUMENTS],
    ['/zookeeper/config/x', E.NOAUTH],
  ])('create %j -> %i', (path, code) => {
    expect(c(path)).toBe(code);
  });

  it('bad flags and ACLs', () => {
    expect(c('/f7', 7)).toBe(E.BADARGUMENTS);
    expect(c('/ea', 0, [])).toBe(E.INVALIDACL);
    expect(c('/aa', 0, [{ perms: 31, id: { scheme: 'auth', id: '' } }])).toBe(E.INVALIDACL);
    expect(c('/i6', 0, [{ perms: 31, id: { scheme: 'ip', id: '::1' } }])).toBe(E.INVALIDACL);
    expect(c('/ib', 0, [{ perms: 31, id: { scheme: 'ip', id: '1.2.3.4/33' } }])).toBe(E.INVALIDACL);
    expect(c('/db', 0, [{ perms: 31, id: { scheme: 'digest', id: 'a:b:c' } }])).toBe(E.INVALIDACL);
    expect(c('/dt', 0, [{ perms: 31, id: { scheme: 'digest', id: 'a:b:' } }])).toBe(0);
    expect(c('/wo', 0, [{ perms: 31, id: { scheme: 'world', id: 'x' } }])).toBe(E.INVALIDACL);
    expect(c('/sa', 0, [{ perms: 31, id: { scheme: 'sasl', id: 'x' } }])).toBe(E.INVALIDACL);
    expect(c('/ip', 0, [{ perms: 31, id: { scheme: 'ip', id: '10.0.0.0/8' } }])).toBe(0);
  });

  it('NOCHILDRENFOREPHEMERALS, also for sequential children', () => {
    h.create('/eph', '', CreateMode.EPHEMERAL, 42n);
    expect(c('/eph/x')).toBe(E.NOCHILDRENFOREPHEMERALS);
    expect(c('/eph/x', CreateMode.EPHEMERAL_SEQUENTIAL)).toBe(E.NOCHILDRENFOREPHEMERALS);
  });

  it('an error txn takes the zxid and carries the code', () => {
    const e = h.prepare(OpCode.create, create('/p'));
    expect(e.header.type).toBe(OpCode.error);
    expect(e.header.zxid).toBe(h.zxid);
    expect(e.txn).toEqual({ type: OpCode.error, txn: { err: E.NODEEXISTS } });
    const r = h.commit(e);
    expect(r.err).toBe(E.NODEEXISTS);
    expect(h.tree.lastProcessedZxid).toBe(h.zxid);
  });
});

describe('other ops validation', () => {
  it('delete: special paths, NONODE, NOAUTH before NONODE, BADVERSION, NOTEMPTY', () => {
    const h = new Harness();
    const d = (path: string, version = -1, ids = [] as { scheme: string; id: string }[]) =>
      errOf(h.commitAndReturn(h.prepare(OpCode.delete, { path, version }, 1n, ids)));
    expect(d('/zookeeper')).toBe(E.BADARGUMENTS);
    expect(d('/zookeeper/config')).toBe(E.BADARGUMENTS);
    expect(d('/zookeeper/quota')).toBe(E.BADARGUMENTS);
    expect(d('/')).toBe(E.BADARGUMENTS);
    expect(d('x')).toBe(E.BADARGUMENTS);
    expect(d('/nope')).toBe(E.NONODE);
    expect(d('/nope/x')).toBe(E.NONODE);
    h.create('/locked', '', 0, 1n, [{ perms: 31 & ~8, id: { scheme: 'world', id: 'anyone' } }]);
    expect(d('/locked/missing')).toBe(E.NOAUTH);
    h.create('/a');
    h.create('/a/b');
    expect(d('/a')).toBe(E.NOTEMPTY);
    expect(d('/a/b', 3)).toBe(E.BADVERSION);
    expect(d('/a/b', 0)).toBe(0);
    expect(d('/a/')).toBe(E.NONODE);
  });

  it('setData / setACL / check', () => {
    const h = new Harness();
    h.create('/a', 'x');
    const run = (type: number, body: unknown) => errOf(h.commitAndReturn(h.prepare(type, body)));
    expect(run(OpCode.setData, { path: '/zookeeper/config', data: enc('x'), version: -1 })).toBe(E.NOAUTH);
    expect(run(OpCode.setData, { path: '/a/', data: null, version: -1 })).toBe(E.BADARGUMENTS);
    expect(run(OpCode.setData, { path: '/b', data: null, version: -1 })).toBe(E.NONODE);
    expect(run(OpCode.setData, { path: '/a', data: null, version: 5 })).toBe(E.BADVERSION);
    expect(run(OpCode.setACL, { path: '/a', acl: [], version: -1 })).toBe(E.INVALIDACL);
    expect(run(OpCode.setACL, { path: '/b', acl: [], version: -1 })).toBe(E.INVALIDACL); // ACL checked before the node
    expect(run(OpCode.setACL, { path: '/a', acl: OPEN, version: 1 })).toBe(E.BADVERSION);
    expect(run(OpCode.setACL, { path: '/a', acl: OPEN, version: 0 })).toBe(0);
    expect(h.tree.stat('/a')!.aversion).toBe(1);
    expect(run(OpCode.check, { path: '/a', version: 5 })).toBe(E.BADVERSION);
    const ok = h.prepare(OpCode.check, { path: '/a', version: 0 });
    expect(ok.txn).toEqual({ type: OpCode.check, txn: { path: '/a', version: 1 } });
    expect(h.commit(ok).path).toBe('/a');
  });

  it('version wraps as a Java int', () => {
    const h = new Harness();
    h.create('/a');
    h.tree.apply({ header: { clientId: 1n, cxid: 0, zxid: 50n, time: 0, type: 5 }, txn: { type: 5, txn: { path: '/a', data: new Uint8Array(0), version: 2147483647 } } });
    h.zxid = 50n;
    const e = h.prepare(OpCode.setData, { path: '/a', data: null, version: 2147483647 });
    expect((e.txn.txn as { version: number }).version).toBe(-2147483648);
  });

  it('reconfig is RECONFIGDISABLED by default', () => {
    const h = new Harness();
    expect(errOf(h.prepare(OpCode.reconfig, {}))).toBe(E.RECONFIGDISABLED);
  });

  it('session errors surface where ZooKeeper checks the session', () => {
    const h = new Harness();
    h.create('/a');
    const ctx = { sessionError: E.SESSIONEXPIRED };
    expect(errOf(h.prepare(OpCode.setData, { path: '/a', data: null, version: -1 }, 1n, [], ctx))).toBe(E.SESSIONEXPIRED);
    expect(errOf(h.prepare(OpCode.create, create('/b', 9), 1n, [], ctx))).toBe(E.BADARGUMENTS); // flags first
    expect(errOf(h.prepare(OpCode.create, create('/b'), 1n, [], ctx))).toBe(E.SESSIONEXPIRED);
    expect(errOf(h.prepare(OpCode.deleteContainer, { path: '/a' }, 0n, [], ctx))).toBe(0);
  });
});

describe('sequential nodes', () => {
  it('suffix is the parent stored cversion as %010d; trailing slash allowed', () => {
    const h = new Harness();
    h.create('/q');
    expect(h.create('/q/', '', CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/q/0000000000');
    expect(h.create('/q/n-', '', CreateMode.EPHEMERAL_SEQUENTIAL).path).toBe('/q/n-0000000001');
    h.create('/q/plain');
    expect(h.create('/q/n-', '', CreateMode.PERSISTENT_SEQUENTIAL).path).toBe('/q/n-0000000003');
  });

  it('sequence numbers come from pending parent records while txns are in flight', () => {
    const h = new Harness();
    h.create('/q');
    const a = h.prepare(OpCode.create, create('/q/x-', 2));
    const b = h.prepare(OpCode.create, create('/q/x-', 2));
    expect((a.txn.txn as { path: string }).path).toBe('/q/x-0000000000');
    expect((b.txn.txn as { path: string }).path).toBe('/q/x-0000000001');
    expect((b.txn.txn as { parentCVersion: number }).parentCVersion).toBe(2);
    h.commit(a);
    h.commit(b);
    expect(h.tree.getChildren('/q')!.sort()).toEqual(['x-0000000000', 'x-0000000001']);
  });

  it('wraps to negative after int32 overflow', () => {
    const h = new Harness();
    h.create('/q');
    // replay a create that moved the parent cversion to Integer.MAX_VALUE
    h.tree.apply({
      header: { clientId: 1n, cxid: 0, zxid: 100n, time: 0, type: 1 },
      txn: { type: 1, txn: { path: '/q/big', data: new Uint8Array(0), acl: OPEN, ephemeral: false, parentCVersion: 2147483647 } },
    });
    h.zxid = 100n;
    expect(h.create('/q/s', '', 2).path).toBe('/q/s2147483647');
    // the txn carries parentCVersion Integer.MIN_VALUE, which is not > MAX_VALUE, so the apply
    // leaves the parent cversion at MAX_VALUE and the next sequential name collides
    expect(h.tree.stat('/q')!.cversion).toBe((2147483647 * 2 - 2) | 0);
    expect(h.create('/q/s', '', 2).err).toBe(ErrorCode.NODEEXISTS);
  });
});

describe('outstanding changes (pipelined proposals)', () => {
  it('second in-flight create of the same path is NODEEXISTS', () => {
    const h = new Harness();
    const a = h.prepare(OpCode.create, create('/x'));
    const b = h.prepare(OpCode.create, create('/x'));
    expect(errOf(a)).toBe(0);
    expect(errOf(b)).toBe(E.NODEEXISTS);
    expect(h.prep.pendingCount).toBe(2);
    h.commit(a);
    h.commit(b);
    expect(h.prep.pendingCount).toBe(0);
  });

  it('a write prepared behind a pending setACL is checked against the new ACL (3.8 kept the old one)', () => {
    const h = new Harness();
    h.create('/acl');
    h.create('/acl/child');
    const readOnly: ACL[] = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
    const set = h.prepare(OpCode.setACL, { path: '/acl', acl: readOnly, version: -1 });
    expect(errOf(set)).toBe(0);
    expect(errOf(h.prepare(OpCode.delete, { path: '/acl/child', version: -1 }))).toBe(E.NOAUTH);
    expect(errOf(h.prepare(OpCode.create, create('/acl/other')))).toBe(E.NOAUTH);
  });

  it('versions are checked against pending setData', () => {
    const h = new Harness();
    h.create('/v');
    const s1 = h.prepare(OpCode.setData, { path: '/v', data: enc('1'), version: 0 });
    const s2 = h.prepare(OpCode.setData, { path: '/v', data: enc('2'), version: 0 });
    const s3 = h.prepare(OpCode.setData, { path: '/v', data: enc('3'), version: 1 });
    expect([errOf(s1), errOf(s2), errOf(s3)]).toEqual([0, E.BADVERSION, 0]);
    expect((s3.txn.txn as { version: number }).version).toBe(2);
    for (const e of [s1, s2, s3]) h.commit(e);
    expect(h.tree.stat('/v')!.version).toBe(2);
  });

  it('pending delete hides the node; pending create fills the parent', () => {
    const h = new Harness();
    h.create('/a');
    const del = h.prepare(OpCode.delete, { path: '/a', version: -1 });
    expect(errOf(h.prepare(OpCode.setData, { path: '/a', data: null, version: -1 }))).toBe(E.NONODE);
    expect(errOf(h.prepare(OpCode.create, create('/a')))).toBe(0);
    h.commit(del);
    const child = h.prepare(OpCode.create, create('/a/c'));
    expect(errOf(h.prepare(OpCode.delete, { path: '/a', version: -1 }))).toBe(E.NOTEMPTY);
    void child;
  });

  it('onApplied drops records up to the zxid; reset drops all', () => {
    const h = new Harness();
    const a = h.prepare(OpCode.create, create('/a'));
    h.prepare(OpCode.create, create('/b'));
    expect(h.prep.pendingFor('/a')?.zxid).toBe(a.header.zxid);
    h.tree.apply(a);
    h.prep.onApplied(a.header.zxid);
    expect(h.prep.pendingFor('/a')).toBeUndefined();
    expect(h.prep.pendingFor('/b')).toBeDefined();
    h.prep.reset();
    expect(h.prep.pendingCount).toBe(0);
    expect(errOf(h.prepare(OpCode.create, create('/b')))).toBe(0);
  });

  it('closeSession includes ephemerals still in flight and drops pending-deleted ones', () => {
    const h = new Harness();
    h.create('/e1', '', 1, 9n);
    h.create('/e2', '', 1, 9n);
    h.prepare(OpCode.delete, { path: '/e1', version: -1 }, 9n);
    h.prepare(OpCode.create, create('/e3', CreateMode.EPHEMERAL), 9n);
    const close = h.prepare(OpCode.closeSession, undefined, 9n);
    expect((close.txn.txn as { paths2Delete: string[] }).paths2Delete.sort()).toEqual(['/e2', '/e3']);
    expect(errOf(h.prepare(OpCode.setData, { path: '/e2', data: null, version: -1 }))).toBe(E.NONODE);
  });
});

describe('multi', () => {
  const op = (type: number, req: unknown) => ({ type, req }) as MultiOp;

  it('failure: earlier ops 0, failing op its code, later RUNTIMEINCONSISTENCY; nothing applied (observed)', () => {
    const h = new Harness();
    h.create('/p');
    const e = h.prepare(OpCode.multi, [
      op(1, create('/m1')),
      op(1, create('/m2')),
      op(1, create('/p')),
      op(1, create('/m3')),
    ]);
    expect(e.header.type).toBe(OpCode.multi);
    const txns = (e.txn.txn as { txns: { type: number }[] }).txns;
    expect(txns.map((t) => t.type)).toEqual([1, 1, -1, -1]);
    const r = h.commit(e);
    expect(r.err).toBe(E.NODEEXISTS);
    expect(r.multi).toEqual([
      { type: -1, err: 0 },
      { type: -1, err: 0 },
      { type: -1, err: E.NODEEXISTS },
      { type: -1, err: E.RUNTIMEINCONSISTENCY },
    ]);
    expect(h.tree.has('/m1')).toBe(false);
    // rolled back: the paths are free for the next request
    expect(errOf(h.prepare(OpCode.create, create('/m1')))).toBe(0);
  });

  it('rollback restores earlier in-flight records (ZOOKEEPER-1624 sequence numbers)', () => {
    const h = new Harness();
    h.create('/q');
    const first = h.prepare(OpCode.create, create('/q/s-', 2));
    const failed = h.prepare(OpCode.multi, [op(1, create('/q/s-', 2)), op(5, { path: '/missing', data: null, version: -1 })]);
    expect((failed.txn.txn as { txns: { type: number }[] }).txns.map((t) => t.type)).toEqual([1, -1]);
    const next = h.prepare(OpCode.create, create('/q/s-', 2));
    expect((first.txn.txn as { path: string }).path).toBe('/q/s-0000000000');
    expect((next.txn.txn as { path: string }).path).toBe('/q/s-0000000001');
  });

  it('success: check, ephemeral create, setData, delete of the created node (observed results)', () => {
    const h = new Harness();
    h.create('/p');
    const r = h.run(OpCode.multi, [
      op(13, { path: '/p', version: 0 }),
      op(1, create('/m1', CreateMode.EPHEMERAL)),
      op(5, { path: '/p', data: enc('zz'), version: -1 }),
      op(2, { path: '/m1', version: -1 }),
    ]);
    expect(r.err).toBe(0);
    expect(r.multi!.map((m) => m.type)).toEqual([13, 1, 5, 2]);
    expect(r.multi![1]).toEqual({ type: 1, path: '/m1' });
    expect(r.multi![2]).toMatchObject({ type: 5, stat: { version: 1, dataLength: 2 } });
    expect(h.tree.has('/m1')).toBe(false);
    expect(r.triggers.map((t) => [t.path, t.type])).toEqual([
      ['/m1', 1],
      ['/', 4],
      ['/p', 3],
      ['/m1', 2],
      ['/', 4],
    ]);
  });

  it('create2 inside multi answers like create (3.8.0); container flag becomes createContainer', () => {
    const h = new Harness();
    const r = h.run(OpCode.multi, [op(15, create('/a')), op(1, create('/c', CreateMode.CONTAINER))]);
    expect(r.multi![0]).toEqual({ type: 1, path: '/a' });
    expect(r.multi![1]).toMatchObject({ type: 19, path: '/c' });
    expect(h.tree.containers()).toEqual(['/c']);
  });

  it('read ops or TTL flags on a plain create op fail the whole request with MARSHALLINGERROR', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    expect(errOf(h.prepare(OpCode.multi, [op(1, create('/a')), op(4, { path: '/', watch: false })]))).toBe(E.MARSHALLINGERROR);
    expect(errOf(h.prepare(OpCode.multi, [op(1, create('/t', 5))]))).toBe(E.MARSHALLINGERROR);
    expect(h.prep.pendingCount).toBe(0);
    expect(errOf(h.prepare(OpCode.create, create('/a')))).toBe(0);
  });

  it('empty multi', () => {
    const h = new Harness();
    const r = h.run(OpCode.multi, []);
    expect(r).toMatchObject({ err: 0, multi: [] });
  });
});

describe('TTL creation', () => {
  const ttlReq = (path: string, flags: number, ttl: number) => ({ path, data: null, acl: OPEN, flags, ttl });
  it('disabled extended types: UNIMPLEMENTED', () => {
    const h = new Harness();
    expect(errOf(h.prepare(OpCode.createTTL, ttlReq('/t', 5, 100)))).toBe(E.UNIMPLEMENTED);
  });
  it('range and mode checks (observed)', () => {
    const h = new Harness({ extendedTypesEnabled: true });
    expect(errOf(h.prepare(OpCode.createTTL, ttlReq('/t1', 5, 0)))).toBe(E.BADARGUMENTS);
    expect(errOf(h.prepare(OpCode.createTTL, ttlReq('/t2', 5, 2 ** 41)))).toBe(E.BADARGUMENTS);
    expect(errOf(h.prepare(OpCode.createTTL, ttlReq('/t4', 0, 100)))).toBe(E.BADARGUMENTS);
    expect(errOf(h.prepare(OpCode.create, create('/t6', 5)))).toBe(E.BADARGUMENTS);
    expect(errOf(h.prepare(OpCode.createTTL, ttlReq('/t2', 5, 2 ** 40 - 1)))).toBe(0);
    const seq = h.prepare(OpCode.createTTL, ttlReq('/t7-', 6, 100));
    expect((seq.txn.txn as { path: string }).path).toBe('/t7-0000000001');
    expect(seq.txn).toMatchObject({ type: OpCode.createTTL, txn: { ttl: 100, parentCVersion: 2 } });
  });
});

describe('ACL permission matrix', () => {
  const user = generateDigest('user:pass');
  const userId = { scheme: 'digest', id: user };
  const other = { scheme: 'digest', id: generateDigest('other:pw') };
  const ip = { scheme: 'ip', id: '10.1.2.3' };
  const h = new Harness();
  h.create('/n', 'x', 0, 1n, [
    { perms: 1 | 2, id: userId },
    { perms: 4, id: { scheme: 'ip', id: '10.0.0.0/8' } },
    { perms: 16, id: { scheme: 'digest', id: other.id } },
  ]);
  const tryOp = (type: number, body: unknown, ids: { scheme: string; id: string }[]) => {
    const e = h.prepare(type, body, 1n, ids);
    h.commit(e);
    return errOf(e);
  };
  it('create needs CREATE on the parent', () => {
    expect(tryOp(OpCode.create, create('/n/a'), [userId])).toBe(E.NOAUTH);
    expect(tryOp(OpCode.create, create('/n/a'), [ip])).toBe(0);
  });
  it('delete needs DELETE on the parent (not on the node)', () => {
    expect(tryOp(OpCode.delete, { path: '/n/a', version: -1 }, [userId, ip])).toBe(E.NOAUTH);
    expect(tryOp(OpCode.delete, { path: '/n/a', version: -1 }, [{ scheme: 'super', id: '' }])).toBe(0);
  });
  it('setData needs WRITE, check needs READ, setACL needs ADMIN', () => {
    expect(tryOp(OpCode.setData, { path: '/n', data: null, version: -1 }, [other])).toBe(E.NOAUTH);
    expect(tryOp(OpCode.setData, { path: '/n', data: null, version: -1 }, [userId])).toBe(0);
    expect(tryOp(OpCode.check, { path: '/n', version: -1 }, [ip])).toBe(E.NOAUTH);
    expect(tryOp(OpCode.check, { path: '/n', version: -1 }, [userId])).toBe(0);
    expect(tryOp(OpCode.setACL, { path: '/n', acl: OPEN, version: -1 }, [userId])).toBe(E.NOAUTH);
    expect(tryOp(OpCode.setACL, { path: '/n', acl: OPEN, version: -1 }, [other])).toBe(0);
  });
  it('auth scheme expands to the caller digest ids (not ip ids)', () => {
    const e = h.prepare(OpCode.create, create('/authacl', 0, [{ perms: 31, id: { scheme: 'auth', id: '' } }]), 1n, [ip, userId]);
    expect((e.txn.txn as { acl: ACL[] }).acl).toEqual([{ perms: 31, id: userId }]);
    expect(errOf(h.prepare(OpCode.create, create('/authacl2', 0, [{ perms: 31, id: { scheme: 'auth', id: '' } }]), 1n, [ip]))).toBe(E.INVALIDACL);
  });
  it('duplicates are removed', () => {
    const e = h.prepare(OpCode.create, create('/dup', 0, [...OPEN, ...OPEN]));
    expect((e.txn.txn as { acl: ACL[] }).acl).toEqual(OPEN);
  });
});

describe('quota enforcement', () => {
  it('hard limits fail with QUOTAEXCEEDED, soft limits do not', () => {
    const h = new Harness({}, { enforceQuota: true });
    h.create('/q');
    h.create('/zookeeper/quota/q');
    h.create('/zookeeper/quota/q/zookeeper_limits', 'count=-1,bytes=-1=;byteHardLimit=10;countHardLimit=3');
    h.create('/zookeeper/quota/q/zookeeper_stats', 'count=0,bytes=0');
    expect(errOf(h.prepare(OpCode.create, create('/q/a', 0, OPEN, enc('12345'))))).toBe(0);
    h.commit(h.log[h.log.length - 1]!);
    expect(errOf(h.prepare(OpCode.create, create('/q/b', 0, OPEN, enc('123456'))))).toBe(E.QUOTAEXCEEDED);
    h.commit(h.log[h.log.length - 1]!);
    expect(errOf(h.prepare(OpCode.create, create('/q/b')))).toBe(0);
    h.commit(h.log[h.log.length - 1]!);
    expect(errOf(h.prepare(OpCode.create, create('/q/c')))).toBe(E.QUOTAEXCEEDED);
    expect(errOf(h.prepare(OpCode.setData, { path: '/q/a', data: enc('12345678901'), version: -1 }))).toBe(E.QUOTAEXCEEDED);
    expect(errOf(h.prepare(OpCode.setData, { path: '/q/a', data: enc('1234567890'), version: -1 }))).toBe(0);
    expect(errOf(h.prepare(OpCode.setData, { path: '/q/a', data: enc('123456789'), version: -1 }))).toBe(0);
    const soft = new Harness({}, { enforceQuota: true });
    soft.create('/s');
    soft.create('/zookeeper/quota/s');
    soft.create('/zookeeper/quota/s/zookeeper_limits', 'count=1,bytes=-1');
    soft.create('/zookeeper/quota/s/zookeeper_stats', '');
    expect(errOf(soft.prepare(OpCode.create, create('/s/a')))).toBe(0);
  });
});

describe('create2 in multi (ZOOKEEPER-4026, 3.8.2+ when enabled)', () => {
  it('keeps create2 and returns the stat', () => {
    const h = new Harness({}, { create2InMulti: true });
    const r = h.run(OpCode.multi, [{ type: 15, req: create('/a') } as MultiOp, { type: 1, req: create('/b') } as MultiOp]);
    expect(r.multi![0]).toMatchObject({ type: 15, path: '/a', stat: { czxid: r.zxid, numChildren: 0 } });
    expect(r.multi![1]).toEqual({ type: 1, path: '/b' });
    expect(errOf(h.prepare(OpCode.multi, [{ type: 15, req: create('/x', 9) } as MultiOp]))).toBe(E.MARSHALLINGERROR);
  });
});
