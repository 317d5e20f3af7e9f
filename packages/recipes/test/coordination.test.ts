// Barrier, DoubleBarrier, Counter and Queue against both servers.

import { describe, expect, inject, it } from 'vitest';
import { Barrier, Counter, DoubleBarrier, LostError, Queue, RecipeTimeoutError } from '../src/index.js';
import { rejection, settled, until, useServer } from './support/harness.js';

describe.each(inject('servers'))('barriers, counter and queue against $name', (server) => {
  const h = useServer(server);

  it('barrier: waiters go on once it is removed', async () => {
    const path = `${await h.base()}/gate/barrier`;
    const barrier = new Barrier(await h.client(), path);
    await barrier.wait({ timeoutMs: 0 }); // not raised: no wait
    await barrier.set();
    await barrier.set();
    expect(await rejection(barrier.wait({ timeoutMs: 50 }))).toBeInstanceOf(RecipeTimeoutError);
    const waiting = await Promise.all([0, 1].map(async () => new Barrier(await h.client(), path)));
    const all = Promise.all(waiting.map((b) => b.wait()));
    expect(await settled(all)).toBe(false);
    await barrier.remove();
    await all;
  });

  it('double barrier: nobody is through enter before all are in, nor through leave before all left', async () => {
    const path = `${await h.base()}/double`;
    const count = 3;
    const members = await Promise.all(Array.from({ length: count }, async (_, i) => new DoubleBarrier(await h.client(), path, count, { id: `m${i}` })));
    let entering = 0;
    const entered: number[] = [];
    const enters = members.map(async (m) => {
      entering++;
      await m.enter({ timeoutMs: 10_000 });
      entered.push(entering);
    });
    await Promise.all(enters);
    expect(entered).toEqual([count, count, count]);

    let leaving = 0;
    const left: number[] = [];
    const leaves = members.map(async (m, i) => {
      await new Promise((r) => setTimeout(r, i * 20)); // stagger: the first must wait for the rest
      leaving++;
      await m.leave({ timeoutMs: 10_000 });
      left.push(leaving);
    });
    await Promise.all(leaves);
    expect(left).toEqual([count, count, count]);
    expect((await h.admin.getChildren(path).catch(() => ({ children: [] }))).children).toEqual([]);
  });

  it('double barrier: an enter that times out leaves no member behind', async () => {
    const path = `${await h.base()}/double`;
    const lone = new DoubleBarrier(await h.client(), path, 2);
    expect(await rejection(lone.enter({ timeoutMs: 100 }))).toBeInstanceOf(RecipeTimeoutError);
    await until(async () => ((await h.admin.exists(path))?.numChildren ?? 0) === 0, 'the member node to go');
  });

  it('counter: concurrent increments from several clients add up; compareAndSet and set', async () => {
    const path = `${await h.base()}/counters/hits`;
    const counters = await Promise.all([0, 1, 2].map(async () => new Counter(await h.client(), path, 100)));
    expect(await counters[0]!.get()).toBe(100);
    const changes = await Promise.all(counters.flatMap((c) => Array.from({ length: 10 }, () => c.increment())));
    expect(await counters[1]!.get()).toBe(130);
    // Every increment saw a distinct value before it: none was lost or doubled.
    expect(changes.map((c) => c.preValue).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
    expect(await counters[0]!.compareAndSet(129, 0)).toBe(false);
    expect(await counters[0]!.compareAndSet(130, 7)).toBe(true);
    expect(await counters[2]!.add(-10)).toEqual({ preValue: 7, postValue: -3 });
    await counters[2]!.set(42);
    expect((await h.admin.getData(path)).data?.toString()).toBe('42');
  });

  it('queue: FIFO, each item to one consumer, completed items are gone', async () => {
    const path = `${await h.base()}/queue`;
    const producer = new Queue(await h.client(), path);
    for (const n of [1, 2, 3, 4]) await producer.put(`job${n}`);
    expect(await producer.size()).toBe(4);
    const [c1, c2] = await Promise.all([0, 1].map(async () => new Queue(await h.client(), path)));
    const first = await c1!.take();
    const second = await c2!.take();
    expect([first.data?.toString(), second.data?.toString()]).toEqual(['job1', 'job2']);
    await second.release(); // back in the queue, ahead of job3
    const again = await c1!.take();
    expect(again.data?.toString()).toBe('job2');
    await first.complete();
    await again.complete();
    expect(await producer.size()).toBe(2);
    const pending = c2!.take({ timeoutMs: 10_000 });
    const third = await pending;
    expect(third.data?.toString()).toBe('job3');
    await third.complete();
    const fourth = await c2!.take();
    await fourth.complete();
    expect(await rejection(c1!.take({ timeoutMs: 0 }))).toBeInstanceOf(RecipeTimeoutError);
    const waiting = c1!.take();
    expect(await settled(waiting)).toBe(false);
    await producer.put('late');
    expect((await waiting).data?.toString()).toBe('late');
  });

  it('queue: an item held by an expired consumer is handed out again; its complete() reports the loss', async () => {
    const path = `${await h.base()}/queue`;
    const producer = new Queue(await h.client(), path);
    await producer.put('work');
    const zk = await h.client();
    const item = await new Queue(zk, path).take();
    const other = new Queue(await h.client(), path);
    const redelivery = other.take();
    await h.expire(zk);
    const again = await redelivery;
    expect(again.data?.toString()).toBe('work');
    await until(() => item.signal.aborted, 'the consumer to learn');
    expect(await rejection(item.complete())).toBeInstanceOf(LostError);
    await again.complete();
    expect(await producer.size()).toBe(0);
  });

  it('queue: a put whose reply was lost is in the queue exactly once', async () => {
    const path = `${await h.base()}/queue`;
    const zk = await h.client();
    const queue = new Queue(zk, path);
    await queue.put('first'); // makes the directories
    h.proxy(zk).hold('down');
    const putting = queue.put('second');
    await until(async () => (await h.admin.getChildren(`${path}/items`)).children.length === 2, 'the item on the server');
    h.proxy(zk).cut();
    await putting;
    expect(await queue.size()).toBe(2);
  });
});
