// Mutex, ReentrantMutex, ReadWriteLock and Semaphore against both servers.

import { describe, expect, inject, it } from 'vitest';
import { isZooKeeperError, SessionExpiredError } from '@zk/client';
import { LostError, Mutex, ReadWriteLock, RecipeTimeoutError, ReentrantMutex, Semaphore } from '../src/index.js';
import { rejection, settled, until, useServer } from './support/harness.js';

describe.each(inject('servers'))('locks against $name', (server) => {
  const h = useServer(server);

  it('serves contenders one at a time, in arrival order, each watching only its predecessor', async () => {
    const path = `${await h.base()}/lock`;
    const clients = await Promise.all([1, 2, 3, 4].map(() => h.client()));
    const locks = clients.map((c) => new Mutex(c, path));
    await locks[0]!.acquire();
    const order: number[] = [];
    const waiting: Promise<void>[] = [];
    for (let i = 1; i < locks.length; i++) {
      waiting.push(locks[i]!.acquire().then(() => void order.push(i)));
      await until(async () => (await locks[0]!.participantNodes()).length === i + 1, `contender ${i} in line`);
    }
    const line = await locks[0]!.participantNodes();
    expect(line[0]).toBe(locks[0]!.nodePath);
    // Contender i watches the node of contender i-1 and nothing else.
    await until(() => clients.slice(1).every((c, i) => c.getWatches().data.includes(line[i]!)), 'the predecessor watches');
    for (let i = 1; i < clients.length; i++) expect(clients[i]!.getWatches().data).toEqual([line[i - 1]]);

    for (let i = 0; i < locks.length; i++) {
      expect(locks.filter((l) => l.isAcquired)).toEqual([locks[i]]);
      await locks[i]!.release();
      if (i + 1 < locks.length) await waiting[i];
    }
    expect(order).toEqual([1, 2, 3]);
    expect(await locks[0]!.participantNodes()).toEqual([]);
  });

  it('times out and aborts without leaving its node; timeoutMs 0 tries once', async () => {
    const path = `${await h.base()}/lock`;
    const holder = new Mutex(await h.client(), path);
    const other = new Mutex(await h.client(), path);
    await holder.acquire();
    expect(await rejection(other.acquire({ timeoutMs: 0 }))).toBeInstanceOf(RecipeTimeoutError);
    expect(await rejection(other.acquire({ timeoutMs: 150 }))).toBeInstanceOf(RecipeTimeoutError);
    const controller = new AbortController();
    const aborted = other.acquire({ signal: controller.signal });
    await until(async () => (await holder.participantNodes()).length === 2, 'the waiter in line');
    controller.abort(new Error('changed my mind'));
    expect(((await rejection(aborted)) as Error).message).toBe('changed my mind');
    await until(async () => (await holder.participantNodes()).length === 1, 'the abandoned node to go');
    expect(other.isAcquired).toBe(false);
    await holder.release();
    await other.acquire({ timeoutMs: 0 });
    expect(other.isAcquired).toBe(true);
    await other.release();
  });

  it('survives a lost reply to its create: finds its node and takes its place in line once', async () => {
    const path = `${await h.base()}/lock`;
    const holder = new Mutex(await h.client(), path);
    await holder.acquire();
    const zk = await h.client();
    const waiter = new Mutex(zk, path);
    h.proxy(zk).hold('down');
    const acquiring = waiter.acquire();
    await until(async () => (await holder.participantNodes()).length === 2, 'the create to reach the server');
    h.proxy(zk).cut();
    await until(() => zk.getWatches().data.length === 1, 'the waiter watching its predecessor');
    expect(await holder.participantNodes()).toHaveLength(2);
    await holder.release();
    await acquiring;
    expect(await waiter.participantNodes()).toEqual([waiter.nodePath]);
    await waiter.release();
  });

  it('re-enters a ReentrantMutex; a Mutex refuses re-entry', async () => {
    const path = `${await h.base()}/lock`;
    const zk = await h.client();
    const reentrant = new ReentrantMutex(zk, path);
    const other = new Mutex(await h.client(), path);
    await reentrant.acquire();
    await reentrant.acquire();
    await reentrant.release();
    expect(reentrant.isAcquired).toBe(true);
    expect(await rejection(other.acquire({ timeoutMs: 0 }))).toBeInstanceOf(RecipeTimeoutError);
    await reentrant.release();
    expect(reentrant.isAcquired).toBe(false);
    await other.acquire({ timeoutMs: 0 });
    await expect(other.acquire()).rejects.toThrow(/already held/);
    await other.release();
    await expect(other.release()).rejects.toThrow(/not held/);
  });

  it('tells the holder it lost the lock when its session expires, and lets the next one in', async () => {
    const path = `${await h.base()}/lock`;
    const zk = await h.client();
    const holder = new Mutex(zk, path);
    const next = new Mutex(await h.client(), path);
    await holder.acquire();
    const signal = holder.signal;
    const waiting = next.acquire();
    await h.expire(zk);
    await waiting;
    await until(() => signal.aborted, 'the holder to learn');
    expect(signal.reason).toBeInstanceOf(LostError);
    expect((signal.reason as LostError).cause).toBeInstanceOf(SessionExpiredError);
    expect(holder.isAcquired).toBe(false);
    await holder.release(); // releasing a lost lock just forgets it
    await next.release();
  });

  it('fences writes: a multi led by fenceOp fails once the lock node is gone', async () => {
    const path = `${await h.base()}/lock`;
    const zk = await h.client();
    const mutex = new Mutex(zk, path);
    await h.admin.create(`${path}-resource`, '0');
    await mutex.acquire();
    await zk.multi([mutex.fenceOp(), { type: 'setData', path: `${path}-resource`, data: '1' }]);
    const signal = mutex.signal;
    await h.admin.delete(mutex.nodePath!); // an operator removes it
    await until(() => signal.aborted, 'the loss');
    expect(signal.reason).toBeInstanceOf(LostError);
    const err = await rejection(zk.multi([mutex.fenceOp(), { type: 'setData', path: `${path}-resource`, data: '2' }]));
    expect(isZooKeeperError(err, 'NONODE')).toBe(true);
    expect((await h.admin.getData(`${path}-resource`)).data?.toString()).toBe('1');
    await mutex.release();
  });

  it('read/write lock: readers share, a writer excludes, later readers queue behind a waiting writer', async () => {
    const path = `${await h.base()}/rw`;
    const clients = await Promise.all([1, 2, 3, 4].map(() => h.client()));
    const [r1, r2, w, r3] = clients.map((c) => new ReadWriteLock(c, path));
    await r1!.readLock.acquire();
    await r2!.readLock.acquire({ timeoutMs: 0 });
    const writer = w!.writeLock.acquire();
    await until(async () => (await r1!.readLock.participantNodes()).length === 3, 'the writer in line');
    const lateReader = r3!.readLock.acquire();
    await until(async () => (await r1!.readLock.participantNodes()).length === 4, 'the late reader in line');
    // The writer waits for the reader just before it, the late reader for the writer.
    await until(() => clients[2]!.getWatches().data.length === 1 && clients[3]!.getWatches().data.length === 1, 'the watches');
    const line = await r1!.readLock.participantNodes();
    expect(clients[2]!.getWatches().data).toEqual([line[1]]);
    expect(clients[3]!.getWatches().data).toEqual([line[2]]);
    expect(await settled(writer)).toBe(false);
    await r1!.readLock.release();
    expect(await settled(writer)).toBe(false);
    await r2!.readLock.release();
    await writer;
    expect(r3!.readLock.isAcquired).toBe(false);
    await w!.writeLock.release();
    await lateReader;
    await r3!.readLock.release();
  });

  it('semaphore: at most maxLeases at once; leases come back on release and on expiry', async () => {
    const path = `${await h.base()}/sem`;
    const zk1 = await h.client();
    const s1 = new Semaphore(zk1, path, 2);
    const s2 = new Semaphore(await h.client(), path, 2);
    const a = await s1.acquire();
    const b = await s2.acquire();
    expect(await rejection(s2.acquire({ timeoutMs: 0 }))).toBeInstanceOf(RecipeTimeoutError);
    expect((await s2.leaseNodes()).length).toBe(2);
    const third = s2.acquire();
    await until(async () => (await s2.leaseNodes()).length === 3, 'the third lease node waiting');
    await b.release();
    const c = await third;
    expect((await s2.leaseNodes()).sort()).toEqual([a.nodePath, c.nodePath].sort());
    const fourth = s2.acquire();
    await h.expire(zk1);
    const d = await fourth;
    await until(() => a.signal.aborted, 'the expired lease to be lost');
    expect(a.signal.reason).toBeInstanceOf(LostError);
    const many = await rejection(s2.acquireMany(2, { timeoutMs: 100 }));
    expect(many).toBeInstanceOf(RecipeTimeoutError);
    await Promise.all([c.release(), d.release()]);
    const two = await s2.acquireMany(2);
    expect(two).toHaveLength(2);
    await Promise.all(two.map((l) => l.release()));
    expect(await s2.leaseNodes()).toEqual([]);
  });
});
