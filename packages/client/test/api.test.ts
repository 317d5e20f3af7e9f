// The request API against both servers: the same cases, the same expectations.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BadVersionError,
  InvalidACLError,
  InvalidPathError,
  NoNodeError,
  NodeExistsError,
  NotEmptyError,
  NoAuthError,
  NoChildrenForEphemeralsError,
  OPEN_ACL_UNSAFE,
  Perms,
  READ_ACL_UNSAFE,
  isZooKeeperError,
  type ZooKeeperError,
} from '../src/index.js';
import { useTarget } from './support/helpers.js';
import { TARGETS } from './support/targets.js';

async function rejection(p: Promise<unknown>): Promise<ZooKeeperError> {
  try {
    await p;
  } catch (err) {
    return err as ZooKeeperError;
  }
  throw new Error('expected a rejection');
}

describe.each(TARGETS.filter((t) => t.available))('client API against $name', (factory) => {
  const ctx = useTarget(factory);

  it('creates, reads, updates and deletes with Stat', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const created = await zk.create(`${base}/a`, 'hello');
    expect(created.path).toBe(`${base}/a`);
    expect(created.stat.version).toBe(0);
    expect(created.stat.dataLength).toBe(5);
    expect(created.stat.czxid).toBe(created.stat.mzxid);
    const got = await zk.getData(`${base}/a`);
    expect(got.data?.toString()).toBe('hello');
    expect(got.stat).toEqual(created.stat);
    const stat = await zk.setData(`${base}/a`, Buffer.from('world'), { version: 0 });
    expect(stat.version).toBe(1);
    expect(stat.mzxid > created.stat.mzxid).toBe(true);
    expect((await zk.exists(`${base}/a`))?.version).toBe(1);
    await zk.delete(`${base}/a`, { version: 1 });
    expect(await zk.exists(`${base}/a`)).toBeNull();
  });

  it('keeps null data distinct from empty data', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/null`);
    await zk.create(`${base}/empty`, '');
    expect((await zk.getData(`${base}/null`)).data).toBeNull();
    expect((await zk.getData(`${base}/empty`)).data?.length).toBe(0);
  });

  it('reports typed errors with code, path and operation', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const noNode = await rejection(zk.getData(`${base}/missing`));
    expect(noNode).toBeInstanceOf(NoNodeError);
    expect(isZooKeeperError(noNode, 'NONODE')).toBe(true);
    expect(noNode.code).toBe(-101);
    expect(noNode.path).toBe(`${base}/missing`);
    expect(noNode.op).toBe('getData');
    expect(noNode.message).toBe(`KeeperErrorCode = NoNode for ${base}/missing`);

    await zk.create(`${base}/x`, 'v');
    expect(await rejection(zk.create(`${base}/x`))).toBeInstanceOf(NodeExistsError);
    expect(await rejection(zk.setData(`${base}/x`, 'w', { version: 7 }))).toBeInstanceOf(BadVersionError);
    expect(await rejection(zk.delete(`${base}/x`, { version: 3 }))).toBeInstanceOf(BadVersionError);
    await zk.create(`${base}/x/child`);
    expect(await rejection(zk.delete(`${base}/x`))).toBeInstanceOf(NotEmptyError);
    expect(await rejection(zk.create(`${base}/nope/child`))).toBeInstanceOf(NoNodeError);
    await zk.create(`${base}/eph`, null, { mode: 'EPHEMERAL' });
    expect(await rejection(zk.create(`${base}/eph/child`))).toBeInstanceOf(NoChildrenForEphemeralsError);
  });

  it('refuses bad paths and empty ACLs before sending', async () => {
    const zk = await ctx.client();
    const bad = await rejection(zk.getData('no-slash'));
    expect(bad).toBeInstanceOf(InvalidPathError);
    expect(bad.message).toBe('Path must start with / character');
    expect((await rejection(zk.exists('/a/'))).message).toBe('Path must not end with / character');
    expect((await rejection(zk.create('/a//b'))).message).toBe('Invalid path string "/a//b" caused by empty node name specified @3');
    expect(await rejection(zk.create('/acl', null, { acl: [] }))).toBeInstanceOf(InvalidACLError);
    expect((await rejection(zk.create('/ttl', null, { ttl: 5 }))).message).toBe('ttl not valid for mode: PERSISTENT');
  });

  it('creates every mode: ephemeral, sequential, container and TTL', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const eph = await zk.create(`${base}/e`, null, { mode: 'EPHEMERAL' });
    expect(eph.stat.ephemeralOwner).toBe(zk.sessionId);
    const s1 = await zk.create(`${base}/s-`, null, { mode: 'PERSISTENT_SEQUENTIAL' });
    const s2 = await zk.create(`${base}/s-`, null, { mode: 'EPHEMERAL_SEQUENTIAL' });
    expect(s1.path).toMatch(new RegExp(`^${base}/s-\\d{10}$`));
    expect(Number(s2.path.slice(-10))).toBe(Number(s1.path.slice(-10)) + 1);
    expect(s2.stat.ephemeralOwner).toBe(zk.sessionId);
    // Containers and TTL nodes keep their marker in the stored ephemeralOwner, but clients see 0
    // (DataNode.getClientEphemeralOwner).
    const container = await zk.create(`${base}/c`, null, { mode: 'CONTAINER' });
    expect(container.stat.ephemeralOwner).toBe(0n);
    const ttl = await zk.create(`${base}/ttl`, 'x', { mode: 'PERSISTENT_WITH_TTL', ttl: 60_000 });
    expect(ttl.stat.ephemeralOwner).toBe(0n);
    expect((await zk.exists(`${base}/ttl`))?.ephemeralOwner).toBe(0n);
    const ttlSeq = await zk.create(`${base}/ttls-`, 'x', { mode: 'PERSISTENT_SEQUENTIAL_WITH_TTL', ttl: 60_000 });
    expect(ttlSeq.path).toMatch(/ttls-\d{10}$/);
    expect(await zk.getEphemerals(base)).toEqual(expect.arrayContaining([`${base}/e`, s2.path]));
  });

  it('lists children with the parent Stat and counts descendants', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    for (const n of ['a', 'b', 'c']) await zk.create(`${base}/${n}`);
    await zk.create(`${base}/a/deep`);
    const { children, stat } = await zk.getChildren(base);
    expect([...children].sort()).toEqual(['a', 'b', 'c']);
    expect(stat.numChildren).toBe(3);
    expect(stat.cversion).toBe(3);
    expect(await zk.getAllChildrenNumber(base)).toBe(4);
  });

  it('reads and sets ACLs; enforces them after digest auth', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/open`, 'x');
    const { acl, stat } = await zk.getACL(`${base}/open`);
    expect(acl).toEqual([{ perms: Perms.ALL, id: { scheme: 'world', id: 'anyone' } }]);
    expect(stat.aversion).toBe(0);
    const s = await zk.setACL(`${base}/open`, READ_ACL_UNSAFE, { version: 0 });
    expect(s.aversion).toBe(1);
    expect(await rejection(zk.setData(`${base}/open`, 'y'))).toBeInstanceOf(NoAuthError);
    expect(await rejection(zk.setACL(`${base}/open`, OPEN_ACL_UNSAFE, { version: 0 }))).toBeInstanceOf(NoAuthError);

    await zk.addAuth('digest', 'alice:secret');
    const who = await zk.whoAmI();
    expect(who).toEqual(expect.arrayContaining([{ authScheme: 'digest', user: 'alice' }]));
    await zk.create(`${base}/mine`, 'secret', { acl: [{ perms: Perms.ALL, id: { scheme: 'auth', id: '' } }] });
    expect((await zk.getACL(`${base}/mine`)).acl[0]!.id).toEqual({ scheme: 'digest', id: `alice:${createHash('sha1').update('alice:secret').digest('base64')}` });
    const other = await ctx.client();
    expect(await rejection(other.getData(`${base}/mine`))).toBeInstanceOf(NoAuthError);
    await other.addAuth('digest', 'alice:secret');
    expect((await other.getData(`${base}/mine`)).data?.toString()).toBe('secret');
  });

  it('runs multi atomically with per-op results, and the transaction builder', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const results = await zk.multi([
      { type: 'create', path: `${base}/m1`, data: 'a' },
      { type: 'create', path: `${base}/m2-`, mode: 'PERSISTENT_SEQUENTIAL' },
      { type: 'setData', path: `${base}/m1`, data: 'b', version: 0 },
      { type: 'check', path: `${base}/m1`, version: 1 },
    ]);
    expect(results.map((r) => r.type)).toEqual(['create', 'create', 'setData', 'check']);
    expect(results[0]).toMatchObject({ type: 'create', path: `${base}/m1` });
    expect((results[1] as { path: string }).path).toMatch(/m2-\d{10}$/);
    expect((results[2] as { stat: { version: number } }).stat.version).toBe(1);

    const failed = await rejection(
      zk.transaction().create(`${base}/m3`).setData(`${base}/m1`, 'c', 5).delete(`${base}/m1`).commit(),
    );
    expect(failed).toBeInstanceOf(BadVersionError);
    expect(failed.path).toBe(`${base}/m1`);
    expect(failed.results?.map((r) => (r as { code: number }).code)).toEqual([0, -103, -2]);
    expect(await zk.exists(`${base}/m3`)).toBeNull();

    const ok = await zk.transaction().delete(`${base}/m1`).check(base, -1).commit();
    expect(ok.map((r) => r.type)).toEqual(['delete', 'check']);
  });

  it('reads several nodes in one multiRead, each result on its own', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/r`, 'data');
    await zk.create(`${base}/r/kid`);
    const results = await zk.multiRead([
      { type: 'getData', path: `${base}/r` },
      { type: 'getChildren', path: `${base}/r` },
      { type: 'getData', path: `${base}/none` },
    ]);
    expect(results[0]).toMatchObject({ type: 'getData' });
    expect((results[0] as { data: Buffer }).data.toString()).toBe('data');
    expect(results[1]).toEqual({ type: 'getChildren', children: ['kid'] });
    expect(results[2]).toMatchObject({ type: 'error', code: -101 });
  });

  it('works under a chroot: paths in, paths out, events', async () => {
    const root = await ctx.client();
    const base = await ctx.base();
    const zk = await ctx.client({ chroot: base });
    const made = await zk.create('/in', 'x', { mode: 'EPHEMERAL_SEQUENTIAL' });
    expect(made.path).toMatch(/^\/in\d{10}$/);
    expect((await root.getChildren(base)).children).toEqual([made.path.slice(1)]);
    expect((await zk.getChildren('/')).children).toEqual([made.path.slice(1)]);
    expect(await zk.sync('/')).toBe('/');
    expect(await zk.getEphemerals('/')).toEqual([made.path]);
    const seen: string[] = [];
    await zk.exists('/later', { watch: (e) => seen.push(`${e.type} ${e.path}`) });
    await root.create(`${base}/later`);
    await zk.sync('/');
    await expect.poll(() => seen).toEqual(['NodeCreated /later']);
    const failed = await rejection(zk.getData('/missing'));
    expect(failed.path).toBe('/missing');
  });

  it('syncs and pipelines many requests, replies in order', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    expect(await zk.sync(base)).toBe(base);
    const n = 500;
    const creates = Array.from({ length: n }, (_, i) => zk.create(`${base}/p${i}`, String(i)));
    const made = await Promise.all(creates);
    for (let i = 1; i < n; i++) expect(made[i]!.stat.czxid > made[i - 1]!.stat.czxid).toBe(true);
    const reads = await Promise.all(made.map((m) => zk.getData(m.path)));
    expect(reads.map((r) => r.data?.toString())).toEqual(made.map((_, i) => String(i)));
    expect(zk.lastZxid >= made[n - 1]!.stat.czxid).toBe(true);
  });

  it('refuses writes over jute.maxbuffer locally, keeping the connection', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const big = new Uint8Array(1024 * 1024);
    const err = await rejection(zk.create(`${base}/big`, big));
    expect(err.code).toBe(-5);
    expect(await zk.exists(base)).not.toBeNull();
    expect(zk.state).toBe('CONNECTED');
  });

  it('closes the session: ephemerals go, later calls fail with SessionExpired', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const other = await ctx.client();
    await zk.create(`${base}/bye`, null, { mode: 'EPHEMERAL' });
    await zk.close();
    expect(zk.state).toBe('CLOSED');
    expect(await other.exists(`${base}/bye`)).toBeNull();
    const after = await rejection(zk.getData(base));
    expect(isZooKeeperError(after, 'SESSIONEXPIRED')).toBe(true);
  });
});
