// Session semantics through failures, against both servers: connections cut, refused, the server
// restarted, the session expired.

import { describe, expect, it } from 'vitest';
import { ConnectionLossError, SessionExpiredError, ThrottledError, isZooKeeperError } from '../src/index.js';
import { EventLog, stateIs, until, useTarget } from './support/helpers.js';
import { TARGETS } from './support/targets.js';

describe.each(TARGETS.filter((t) => t.available))('failures against $name', (factory) => {
  const ctx = useTarget(factory);
  const opts = () => ({ sessionTimeoutMs: ctx.target.sessionTimeoutMs });

  it('reconnects with the same session, keeping ephemerals and re-arming every watch', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const other = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/eph`, null, { mode: 'EPHEMERAL' });
    await zk.create(`${base}/w`, 'a');
    const watches = new EventLog();
    await zk.getData(`${base}/w`, { watch: watches.watcher });
    await zk.getChildren(base, { watch: watches.watcher });
    await zk.exists(`${base}/later`, { watch: watches.watcher });
    await zk.addWatch(`${base}/r`, watches.watcher, { mode: 'PERSISTENT_RECURSIVE' });
    const session = zk.sessionId;

    await ctx.link(zk).cut();
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    expect(zk.sessionId).toBe(session);
    expect(zk.state).toBe('CONNECTED');
    // Every watcher was told about the disconnection too (ZooKeeper delivers session events to all).
    expect(watches.states()).toEqual(['Disconnected', 'SyncConnected']);

    await other.setData(`${base}/w`, 'b');
    await other.create(`${base}/later`);
    await other.create(`${base}/r`);
    await other.create(`${base}/r/deep`);
    await watches.next((e) => e.path === `${base}/r/deep`);
    expect(watches.nodeEvents()).toEqual([
      `NodeDataChanged ${base}/w`,
      `NodeCreated ${base}/later`,
      `NodeChildrenChanged ${base}`,
      `NodeCreated ${base}/r`,
      `NodeCreated ${base}/r/deep`,
    ]);
    expect((await other.exists(`${base}/eph`))?.ephemeralOwner).toBe(session);
  });

  it('delivers the events missed while disconnected (setWatches with lastZxid)', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const other = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/w`, 'a');
    await zk.create(`${base}/gone`);
    const watches = new EventLog();
    await zk.getData(`${base}/w`, { watch: watches.watcher });
    await zk.exists(`${base}/gone`, { watch: watches.watcher });
    await zk.getChildren(base, { watch: watches.watcher });
    await zk.exists(`${base}/new`, { watch: watches.watcher });

    await ctx.link(zk).block();
    await log.next(stateIs('Disconnected'));
    await other.setData(`${base}/w`, 'b');
    await other.delete(`${base}/gone`);
    await other.create(`${base}/new`);
    await ctx.link(zk).unblock();
    await log.next(stateIs('SyncConnected'));
    await until(() => watches.nodeEvents().length === 4, 'the missed events');
    expect([...watches.nodeEvents()].sort()).toEqual(
      [`NodeDataChanged ${base}/w`, `NodeDeleted ${base}/gone`, `NodeChildrenChanged ${base}`, `NodeCreated ${base}/new`].sort(),
    );
  });

  it('fails requests in flight with ConnectionLoss; sends requests made while disconnected after reconnecting', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const base = await ctx.base();
    const inFlight = zk.create(`${base}/maybe`);
    await ctx.link(zk).block();
    const lost = await inFlight.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(lost).toBeInstanceOf(ConnectionLossError);
    await log.next(stateIs('Disconnected'));
    expect(zk.state).toBe('CONNECTING');
    const queued = zk.create(`${base}/queued`, 'q');
    await ctx.link(zk).unblock();
    expect((await queued).path).toBe(`${base}/queued`);
    expect((await zk.getData(`${base}/queued`)).data?.toString()).toBe('q');
  });

  it('removes watches locally while disconnected', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const base = await ctx.base();
    const w = new EventLog();
    await zk.getData(base, { watch: w.watcher });
    await ctx.link(zk).block();
    await log.next(stateIs('Disconnected'));
    await zk.removeWatches(base, w.watcher, 'Data', { local: true });
    expect(await w.next((e) => e.type !== 'None')).toEqual({ type: 'DataWatchRemoved', state: 'Disconnected', path: base });
    await ctx.link(zk).unblock();
    await log.next(stateIs('SyncConnected'));
  });

  it('re-sends credentials after reconnecting', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const base = await ctx.base();
    await zk.addAuth('digest', 'bob:pw');
    await zk.create(`${base}/private`, 'p', { acl: [{ perms: 31, id: { scheme: 'auth', id: '' } }] });
    await ctx.link(zk).cut();
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    expect((await zk.getData(`${base}/private`)).data?.toString()).toBe('p');
    expect(await zk.whoAmI()).toEqual(expect.arrayContaining([{ authScheme: 'digest', user: 'bob' }]));
  });

  it('survives a server restart within the session timeout', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ sessionTimeoutMs: 4000, watcher: log.watcher });
    const base = await ctx.base();
    await zk.create(`${base}/eph`, null, { mode: 'EPHEMERAL' });
    const w = new EventLog();
    await zk.getData(`${base}/eph`, { watch: w.watcher });
    const session = zk.sessionId;
    await ctx.target.restart();
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    expect(zk.sessionId).toBe(session);
    expect((await zk.exists(`${base}/eph`))?.ephemeralOwner).toBe(session);
    await zk.setData(`${base}/eph`, 'changed');
    expect((await w.next((e) => e.type !== 'None')).type).toBe('NodeDataChanged');
  });

  it('reports EXPIRED after the session timeout; expiry is final', async () => {
    const log = new EventLog();
    const zk = await ctx.client({ ...opts(), watcher: log.watcher });
    const other = await ctx.client();
    const base = await ctx.base();
    await zk.create(`${base}/eph`, null, { mode: 'EPHEMERAL' });
    const w = new EventLog();
    await zk.getData(base, { watch: w.watcher });
    await ctx.link(zk).block();
    await log.next(stateIs('Disconnected'));
    await ctx.target.passTime(zk.negotiatedTimeoutMs * 2);
    await until(async () => (await other.exists(`${base}/eph`)) === null, 'the server to expire the session');
    await ctx.link(zk).unblock();
    await log.next(stateIs('Expired'));
    expect(zk.state).toBe('CLOSED');
    expect(zk.expired).toBe(true);
    const after = await zk.getData(base).catch((e: unknown) => e);
    expect(isZooKeeperError(after, 'SESSIONEXPIRED')).toBe(true);
    expect(w.states()).toContain('Expired');
    await expect(zk.waitForConnected({ timeoutMs: 50 })).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('bounds the request queue: reject mode throws Throttled, wait mode waits for room', async () => {
    const rejecting = await ctx.client({ maxQueuedRequests: 4, queueFull: 'reject' });
    const base = await ctx.base();
    const burst = Array.from({ length: 6 }, (_, i) => rejecting.exists(`${base}/${i}`).then(() => 'ok', (e: unknown) => e));
    const outcomes = await Promise.all(burst);
    expect(outcomes.slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(outcomes[4]).toBeInstanceOf(ThrottledError);
    expect(outcomes[5]).toBeInstanceOf(ThrottledError);
    const waiting = await ctx.client({ maxQueuedRequests: 4 });
    const all = await Promise.all(Array.from({ length: 50 }, (_, i) => waiting.create(`${base}/q${i}`)));
    expect(all.map((r) => r.path)).toEqual(Array.from({ length: 50 }, (_, i) => `${base}/q${i}`));
  });
});
