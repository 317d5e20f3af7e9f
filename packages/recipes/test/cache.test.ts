// TreeCache and ConfigCache against both servers.

import { describe, expect, inject, it } from 'vitest';
import { isZooKeeperError } from '@zk/client';
import { ConfigCache, TreeCache, jsonCodec, type TreeCacheEvent } from '../src/index.js';
import { fourLetterWord } from '@zk/testkit';
import { rejection, until, useServer } from './support/harness.js';

describe.each(inject('servers'))('caches against $name', (server) => {
  const h = useServer(server);

  /** The cache's content as "path=data" lines, sorted. */
  const snapshot = (cache: TreeCache): string[] => [...cache.entries()].map((n) => `${n.path}=${n.data?.toString() ?? ''}`).sort();
  const serverSnapshot = async (root: string, maxDepth = Infinity, depth = 0): Promise<string[]> => {
    const stat = await h.admin.exists(root);
    if (stat === null) return [];
    const { data } = await h.admin.getData(root);
    const out = [`${root}=${data?.toString() ?? ''}`];
    if (depth < maxDepth) for (const c of (await h.admin.getChildren(root)).children) out.push(...(await serverSnapshot(`${root}/${c}`, maxDepth, depth + 1)));
    return out.sort();
  };

  it('tree cache: loads a subtree, then follows creations, changes and deletions', async () => {
    const root = `${await h.base()}/tree`;
    await h.admin.create(root, 'r');
    await h.admin.create(`${root}/a`, 'a');
    await h.admin.create(`${root}/a/deep`, 'd');
    const cache = new TreeCache(await h.client(), root);
    const events: string[] = [];
    cache.on('change', (e: TreeCacheEvent) => events.push(`${e.type} ${e.node.path.slice(root.length) || '/'}`));
    await cache.start();
    expect(snapshot(cache)).toEqual(await serverSnapshot(root));
    expect(cache.children(`${root}/a`)).toEqual(['deep']);
    events.length = 0;

    await h.admin.create(`${root}/b`, 'b');
    await h.admin.setData(`${root}/a`, 'a2');
    await h.admin.delete(`${root}/a/deep`);
    await until(() => events.length === 3, 'three changes');
    // Deletions apply at once, creations and changes after their read: compare as sets.
    expect(events.sort()).toEqual(['added /b', 'removed /a/deep', 'updated /a']);
    expect(snapshot(cache)).toEqual(await serverSnapshot(root));
    expect(await fourLetterWord(server.host, server.port, 'wchp')).toContain(root);
    await cache.close();
    // No persistent watch left behind on the server either.
    expect(await fourLetterWord(server.host, server.port, 'wchp')).not.toContain(root);
  });

  it('tree cache: maxDepth leaves deeper nodes out', async () => {
    const root = `${await h.base()}/tree`;
    await h.admin.create(root);
    await h.admin.create(`${root}/a`, 'a');
    await h.admin.create(`${root}/a/deep`, 'd');
    const cache = new TreeCache(await h.client(), root, { maxDepth: 1 });
    await cache.start();
    await h.admin.create(`${root}/a/deeper`);
    await h.admin.create(`${root}/b`, 'b');
    await until(() => cache.get(`${root}/b`) !== undefined, 'b');
    expect(snapshot(cache)).toEqual(await serverSnapshot(root, 1));
    await cache.close();
  });

  it('tree cache: catches up with what changed while disconnected', async () => {
    const root = `${await h.base()}/tree`;
    await h.admin.create(root);
    for (const n of ['keep', 'change', 'drop']) await h.admin.create(`${root}/${n}`, n);
    const zk = await h.client();
    const cache = new TreeCache(zk, root);
    await cache.start();
    h.proxy(zk).block();
    h.proxy(zk).cut();
    await h.admin.setData(`${root}/change`, 'changed');
    await h.admin.delete(`${root}/drop`);
    await h.admin.create(`${root}/new`, 'new');
    await h.admin.create(`${root}/new/child`, 'child');
    h.proxy(zk).unblock();
    const expected = await serverSnapshot(root);
    await until(() => JSON.stringify(snapshot(cache)) === JSON.stringify(expected), 'the cache to catch up');
    await cache.close();
  });

  it('tree cache on a managed client: carries on with the new session after an expiry', async () => {
    const root = `${await h.base()}/tree`;
    await h.admin.create(root);
    const managed = await h.managed();
    const cache = new TreeCache(managed, root);
    await cache.start();
    await h.expire(managed.client);
    await h.admin.create(`${root}/after`, 'x');
    await until(() => cache.get(`${root}/after`)?.data?.toString() === 'x', 'the change after the expiry');
    await h.admin.delete(`${root}/after`);
    await until(() => cache.get(`${root}/after`) === undefined, 'the deletion after the expiry');
    await cache.close();
  });

  it('config cache: a decoded, always-current value with change events', async () => {
    const path = `${await h.base()}/config`;
    const config = new ConfigCache(await h.client(), path, { codec: jsonCodec<{ limit: number }>() });
    const seen: Array<number | undefined> = [];
    config.on('change', (value) => seen.push(value?.limit));
    await config.start();
    expect(config.value).toBeUndefined();
    await h.admin.create(path, JSON.stringify({ limit: 1 }));
    await until(() => config.value?.limit === 1, 'the created value');
    await h.admin.setData(path, JSON.stringify({ limit: 2 }));
    await until(() => config.value?.limit === 2, 'the changed value');
    await h.admin.delete(path);
    await until(() => config.value === undefined, 'the deletion');
    expect(seen).toEqual([1, 2, undefined]);
    await config.close();
  });

  it('config cache: compare-and-set updates from many writers add up; a stale version is refused', async () => {
    const path = `${await h.base()}/config`;
    const codec = jsonCodec<{ n: number }>();
    const writers = await Promise.all([0, 1, 2].map(async () => new ConfigCache(await h.client(), path, { codec })));
    await Promise.all(writers.map((w) => w.start()));
    await Promise.all(writers.flatMap((w) => Array.from({ length: 10 }, () => w.update((c) => ({ n: (c?.n ?? 0) + 1 })))));
    expect(JSON.parse((await h.admin.getData(path)).data!.toString())).toEqual({ n: 30 });
    await until(() => writers.every((w) => w.value?.n === 30), 'every cache to see 30');
    const stale = writers[0]!.stat!.version - 1;
    expect(isZooKeeperError(await rejection(writers[0]!.set({ n: 0 }, { version: stale })), 'BADVERSION')).toBe(true);
    await writers[0]!.set({ n: 100 }, { version: writers[0]!.stat!.version });
    await until(() => writers.every((w) => w.value?.n === 100), 'the versioned set');
    await Promise.all(writers.map((w) => w.close()));
  });

  it('config cache: re-reads after a reconnection', async () => {
    const path = `${await h.base()}/config`;
    await h.admin.create(path, 'v1');
    const zk = await h.client();
    const config = new ConfigCache(zk, path);
    await config.start();
    expect(config.value?.toString()).toBe('v1');
    h.proxy(zk).block();
    h.proxy(zk).cut();
    await h.admin.setData(path, 'v2');
    h.proxy(zk).unblock();
    await until(() => config.value?.toString() === 'v2', 'the value changed while away');
    await config.close();
  });
});
