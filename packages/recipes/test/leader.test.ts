// LeaderLatch and LeaderSelector against both servers.

import { describe, expect, inject, it } from 'vitest';
import { LeaderLatch, LeaderSelector, LostError } from '../src/index.js';
import { until, useServer } from './support/harness.js';

describe.each(inject('servers'))('leader election against $name', (server) => {
  const h = useServer(server);

  it('latch: the first candidate leads, each other watches only its predecessor, leadership passes on close', async () => {
    const path = `${await h.base()}/latch`;
    const clients = await Promise.all([0, 1, 2].map(() => h.client()));
    const latches = clients.map((c, i) => new LeaderLatch(c, path, { id: `c${i}` }));
    const events: string[] = [];
    latches.forEach((l, i) => {
      l.on('isLeader', () => events.push(`${i} isLeader`));
      l.on('notLeader', () => events.push(`${i} notLeader`));
    });
    for (const l of latches) await l.start();
    expect(latches.map((l) => l.hasLeadership)).toEqual([true, false, false]);
    const participants = await latches[2]!.getParticipants();
    expect(participants.map((p) => [p.id, p.isLeader])).toEqual([['c0', true], ['c1', false], ['c2', false]]);
    await until(() => clients.every((c) => c.getWatches().data.length === 1), 'the watches');
    expect(clients[0]!.getWatches().data).toEqual([participants[0]!.nodePath]); // the leader: its own node
    expect(clients[1]!.getWatches().data).toEqual([participants[0]!.nodePath]);
    expect(clients[2]!.getWatches().data).toEqual([participants[1]!.nodePath]);

    await latches[0]!.close();
    await latches[1]!.awaitLeadership({ timeoutMs: 10_000 });
    expect(latches.map((l) => l.hasLeadership)).toEqual([false, true, false]);
    await latches[1]!.close();
    await latches[2]!.awaitLeadership({ timeoutMs: 10_000 });
    await latches[2]!.close();
    expect(events).toEqual(['0 isLeader', '0 notLeader', '1 isLeader', '1 notLeader', '2 isLeader', '2 notLeader']);
    expect(await h.admin.exists(path).then((s) => s?.numChildren ?? 0)).toBe(0);
  });

  it('latch: a leader whose node is deleted steps down and joins again at the back', async () => {
    const path = `${await h.base()}/latch`;
    const first = new LeaderLatch(await h.client(), path, { id: 'first' });
    const second = new LeaderLatch(await h.client(), path, { id: 'second' });
    await first.start();
    await second.start();
    const stepped = new Promise<void>((r) => first.on('notLeader', r));
    await h.admin.delete(first.nodePath!);
    await stepped;
    await second.awaitLeadership({ timeoutMs: 10_000 });
    await until(async () => (await second.getParticipants()).map((p) => p.id).join() === 'second,first', 'the rejoin');
    await second.close();
    await first.awaitLeadership({ timeoutMs: 10_000 });
    await first.close();
  });

  it('latch: leadership is dropped while the connection is suspended and regained on reconnection', async () => {
    const path = `${await h.base()}/latch`;
    const zk = await h.client();
    const leader = new LeaderLatch(zk, path);
    const follower = new LeaderLatch(await h.client(), path);
    await leader.start();
    await follower.start();
    const lost = new Promise<void>((r) => leader.on('notLeader', r));
    h.proxy(zk).block();
    h.proxy(zk).cut();
    await lost;
    expect(leader.hasLeadership).toBe(false);
    expect(follower.hasLeadership).toBe(false); // the session (and its node) lives on
    h.proxy(zk).unblock();
    await leader.awaitLeadership({ timeoutMs: 10_000 });
    expect(follower.hasLeadership).toBe(false);
    await leader.close();
    await follower.close();
  });

  it('latch on a managed client: after an expiry the successor leads and the old leader joins again at the back', async () => {
    const path = `${await h.base()}/latch`;
    const managed = await h.managed();
    const first = new LeaderLatch(managed, path, { id: 'first' });
    const second = new LeaderLatch(await h.client(), path, { id: 'second' });
    await first.start();
    await second.start();
    const oldNode = first.nodePath;
    const expiredSession = managed.client;
    await h.expire(expiredSession);
    await second.awaitLeadership({ timeoutMs: 10_000 });
    await until(() => first.nodePath !== undefined && first.nodePath !== oldNode, 'the rejoin');
    expect(managed.client).not.toBe(expiredSession);
    expect(first.hasLeadership).toBe(false);
    expect((await second.getParticipants()).map((p) => p.id)).toEqual(['second', 'first']);
    await second.close();
    await first.awaitLeadership({ timeoutMs: 10_000 });
    await first.close();
  });

  it('selector: each candidate leads once in turn, while its task runs', async () => {
    const path = `${await h.base()}/selector`;
    const log: string[] = [];
    let leaders = 0;
    const selectors = await Promise.all(
      ['a', 'b', 'c'].map(async (name) => {
        return new LeaderSelector(await h.client(), path, async () => {
          leaders++;
          log.push(`${name} leads (${leaders})`);
          await new Promise((r) => setTimeout(r, 10));
          leaders--;
        });
      }),
    );
    for (const s of selectors) s.start();
    await until(() => log.length === 3, 'three leaderships');
    expect(log.map((l) => l.slice(-3))).toEqual(['(1)', '(1)', '(1)']);
    expect(new Set(log.map((l) => l[0])).size).toBe(3);
    await Promise.all(selectors.map((s) => s.close()));
  });

  it('selector: the task is interrupted when the connection is suspended; with autoRequeue it leads again', async () => {
    const path = `${await h.base()}/selector`;
    const zk = await h.client();
    const reasons: unknown[] = [];
    let runs = 0;
    const selector = new LeaderSelector(
      zk,
      path,
      (signal) =>
        new Promise<void>((resolve) => {
          runs++;
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            resolve();
          });
        }),
      { autoRequeue: true, id: 'me' },
    );
    selector.start();
    await until(() => runs === 1 && selector.hasLeadership, 'the first leadership');
    expect((await selector.getParticipants()).map((p) => [p.id, p.isLeader])).toEqual([['me', true]]);
    h.proxy(zk).cut();
    await until(() => runs === 2, 'leadership again after the reconnection');
    expect(reasons[0]).toBeInstanceOf(LostError);
    expect((reasons[0] as Error).message).toMatch(/SUSPENDED/);
    await selector.close();
    expect(selector.hasLeadership).toBe(false);
    expect((await h.admin.getChildren(path).catch(() => ({ children: [] }))).children).toEqual([]);
  });
});
