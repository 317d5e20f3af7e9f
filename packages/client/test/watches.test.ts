// Watches against both servers: one-shot, persistent, recursive, iterators, removal, ordering.

import { describe, expect, it } from 'vitest';
import { NoWatcherError, type WatchedEvent } from '../src/index.js';
import { EventLog, stateIs, useTarget } from './support/helpers.js';
import { TARGETS } from './support/targets.js';

describe.each(TARGETS.filter((t) => t.available))('watches against $name', (factory) => {
  const ctx = useTarget(factory);

  it('fires a one-shot data watch once', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/d`, 'v0');
    const log = new EventLog();
    await zk.getData(`${base}/d`, { watch: log.watcher });
    await zk.setData(`${base}/d`, 'v1');
    await zk.setData(`${base}/d`, 'v2');
    await zk.sync(base);
    expect(await log.next()).toEqual({ type: 'NodeDataChanged', state: 'SyncConnected', path: `${base}/d` });
    expect(log.nodeEvents()).toEqual([`NodeDataChanged ${base}/d`]);
    expect(zk.getWatches().data).toEqual([]);
  });

  it('exists watches creation of a missing node and deletion of an existing one', async () => {
    const zk = await ctx.client();
    const other = await ctx.client();
    const base = await ctx.base();
    const log = new EventLog();
    expect(await zk.exists(`${base}/n`, { watch: log.watcher })).toBeNull();
    expect(zk.getWatches().exist).toEqual([`${base}/n`]);
    await other.create(`${base}/n`);
    await log.next((e) => e.type === 'NodeCreated');
    expect(await zk.exists(`${base}/n`, { watch: log.watcher })).not.toBeNull();
    expect(zk.getWatches().data).toEqual([`${base}/n`]);
    await other.delete(`${base}/n`);
    await log.next((e) => e.type === 'NodeDeleted');
    expect(log.nodeEvents()).toEqual([`NodeCreated ${base}/n`, `NodeDeleted ${base}/n`]);
  });

  it('child watches fire on children changes and on deletion of the parent', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/p`);
    const log = new EventLog();
    await zk.getChildren(`${base}/p`, { watch: log.watcher });
    await zk.create(`${base}/p/c`);
    await log.next();
    await zk.getChildren(`${base}/p`, { watch: log.watcher });
    await zk.delete(`${base}/p/c`);
    await log.next();
    await zk.getChildren(`${base}/p`, { watch: log.watcher });
    await zk.delete(`${base}/p`);
    await log.next();
    expect(log.nodeEvents()).toEqual([
      `NodeChildrenChanged ${base}/p`,
      `NodeChildrenChanged ${base}/p`,
      `NodeDeleted ${base}/p`,
    ]);
  });

  it('calls a watcher registered twice for one event only once; `watch: true` uses the default watcher', async () => {
    const defaults = new EventLog();
    const zk = await ctx.client({ watcher: defaults.watcher });
    await defaults.next(stateIs('SyncConnected'));
    const base = await ctx.base();
    await zk.create(`${base}/x`, 'a');
    const log = new EventLog();
    await zk.getData(`${base}/x`, { watch: log.watcher });
    await zk.exists(`${base}/x`, { watch: log.watcher });
    await zk.getData(`${base}/x`, { watch: true });
    await zk.setData(`${base}/x`, 'b');
    await defaults.next((e) => e.type === 'NodeDataChanged');
    await zk.sync(base);
    expect(log.nodeEvents()).toEqual([`NodeDataChanged ${base}/x`]);
  });

  it('keeps persistent watches: data and child events, repeatedly', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const log = new EventLog();
    await zk.addWatch(base, log.watcher, { mode: 'PERSISTENT' });
    await zk.create(`${base}/a`);
    await zk.setData(base, 'x');
    await zk.setData(base, 'y');
    await zk.create(`${base}/a/deeper`);
    await zk.delete(`${base}/a/deeper`);
    await zk.delete(`${base}/a`);
    await zk.sync(base);
    await log.next((e) => e.type === 'NodeChildrenChanged' && log.events.filter((x) => x.type === 'NodeChildrenChanged').length === 2);
    expect(log.nodeEvents()).toEqual([
      `NodeChildrenChanged ${base}`,
      `NodeDataChanged ${base}`,
      `NodeDataChanged ${base}`,
      `NodeChildrenChanged ${base}`,
    ]);
    expect(zk.getWatches().persistent).toEqual([base]);
  });

  it('persistent recursive watches see the subtree, without child events', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const log = new EventLog();
    await zk.addWatch(base, log.watcher, { mode: 'PERSISTENT_RECURSIVE' });
    await zk.create(`${base}/a`);
    await zk.create(`${base}/a/b`, 'x');
    await zk.setData(`${base}/a/b`, 'y');
    await zk.delete(`${base}/a/b`);
    await log.next((e) => e.type === 'NodeDeleted');
    expect(log.nodeEvents()).toEqual([
      `NodeCreated ${base}/a`,
      `NodeCreated ${base}/a/b`,
      `NodeDataChanged ${base}/a/b`,
      `NodeDeleted ${base}/a/b`,
    ]);
  });

  it('iterates a persistent watch; break removes it', async () => {
    const zk = await ctx.client();
    const writer = await ctx.client();
    const base = await ctx.base();
    const watch = await zk.watch(base, { mode: 'PERSISTENT_RECURSIVE' });
    const seen: string[] = [];
    const writes = (async () => {
      for (let i = 0; i < 5; i++) await writer.create(`${base}/n${i}`);
    })();
    for await (const event of watch) {
      seen.push(`${event.type} ${event.path}`);
      if (seen.length === 5) break;
    }
    await writes;
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `NodeCreated ${base}/n${i}`));
    expect(zk.getWatches().persistentRecursive).toEqual([]);
    expect((await watch.next()).done).toBe(true);
  });

  it('removeWatches tells the watcher locally; NoWatcher when there is none', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const log = new EventLog();
    await zk.getData(base, { watch: log.watcher });
    await zk.getChildren(base, { watch: log.watcher });
    await zk.removeWatches(base, log.watcher, 'Data');
    expect(await log.next()).toEqual({ type: 'DataWatchRemoved', state: 'SyncConnected', path: base });
    await zk.removeWatches(base, log.watcher, 'Children');
    expect(await log.next()).toEqual({ type: 'ChildWatchRemoved', state: 'SyncConnected', path: base });
    await expect(zk.removeWatches(base, log.watcher, 'Any')).rejects.toBeInstanceOf(NoWatcherError);
    await zk.setData(base, 'changed');
    await zk.sync(base);
    expect(log.nodeEvents()).toEqual([`DataWatchRemoved ${base}`, `ChildWatchRemoved ${base}`]);
  });

  it('removeAllWatches removes them on the server too', async () => {
    const zk = await ctx.client();
    const base = await ctx.base();
    const a = new EventLog();
    const b = new EventLog();
    await zk.getData(base, { watch: a.watcher });
    await zk.exists(base, { watch: b.watcher });
    await zk.addWatch(base, b.watcher, { mode: 'PERSISTENT' });
    await zk.removeAllWatches(base, 'Any');
    await a.next((e) => e.type === 'DataWatchRemoved');
    await b.next((e) => e.type === 'PersistentWatchRemoved');
    expect(zk.getWatches()).toEqual({ data: [], exist: [], child: [], persistent: [], persistentRecursive: [] });
    await zk.setData(base, 'changed');
    await zk.sync(base);
    expect(a.nodeEvents()).toEqual([`DataWatchRemoved ${base}`]);
    expect(b.nodeEvents().filter((e) => !e.includes('Removed'))).toEqual([]);
    await expect(zk.removeAllWatches(base, 'Data')).rejects.toBeInstanceOf(NoWatcherError);
  });

  it('isolates a throwing watcher from the others', async () => {
    const errors: unknown[] = [];
    const zk = await ctx.client({ onWatcherError: (err) => errors.push(err) });
    const base = await ctx.base();
    const log = new EventLog();
    await zk.getData(base, { watch: () => { throw new Error('boom'); } });
    await zk.getData(base, { watch: log.watcher });
    await zk.setData(base, 'x');
    await log.next();
    expect(errors).toHaveLength(1);
  });

  it('delivers events and replies in server order under load', async () => {
    const zk = await ctx.client();
    const writer = await ctx.client();
    const base = await ctx.base();
    await writer.create(`${base}/k`, '0');
    const order: string[] = [];
    let events = 0;
    await zk.addWatch(`${base}/k`, (e: WatchedEvent) => {
      if (e.type === 'NodeDataChanged') {
        events++;
        order.push(`event ${events}`);
      }
    });
    const n = 300;
    const writes: Promise<unknown>[] = [];
    const reads: Promise<unknown>[] = [];
    for (let i = 1; i <= n; i++) {
      writes.push(writer.setData(`${base}/k`, String(i)));
      // A read that sees version v must come after the v-th change event (ZooKeeper's guarantee
      // that a client sees the event before the data that follows it).
      reads.push(
        zk.getData(`${base}/k`).then(({ stat }) => {
          order.push(`read ${stat.version}`);
          if (events < stat.version) throw new Error(`read version ${stat.version} before event ${stat.version} (had ${events})`);
        }),
      );
    }
    await Promise.all(writes);
    await Promise.all(reads);
    await zk.sync(base);
    const last = await zk.getData(`${base}/k`);
    expect(last.stat.version).toBe(n);
    expect(events).toBe(n);
    const eventOrder = order.filter((o) => o.startsWith('event')).map((o) => Number(o.split(' ')[1]));
    expect(eventOrder).toEqual(Array.from({ length: n }, (_, i) => i + 1));
  });
});
