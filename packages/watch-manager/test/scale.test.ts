import { AddWatchMode, EventType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager } from '../src/index.js';

describe('scale', () => {
  it('1,000 watchers on one node fire at once, in registration order', () => {
    const wm = new WatchManager<{ id: number }>();
    const conns = Array.from({ length: 1000 }, (_, id) => ({ id }));
    for (const c of conns) wm.addDataWatch('/hot', c);
    const t = wm.trigger('/hot', EventType.NodeDataChanged, 1n);
    expect(t.watchers).toHaveLength(1000);
    expect(t.watchers[0]).toBe(conns[0]);
    expect(t.watchers[999]).toBe(conns[999]);
    expect(wm.size).toBe(0);
  });

  it('100k watches: register, fire a share, close all connections', () => {
    const wm = new WatchManager<number>();
    for (let c = 0; c < 1000; c++) {
      for (let p = 0; p < 100; p++) wm.addDataWatch(`/n/${p}/${c % 10}`, c);
    }
    wm.addWatch('/n', 5, AddWatchMode.PERSISTENT_RECURSIVE);
    expect(wm.dataWatchCount).toBe(100_001);
    const t = wm.trigger('/n/3/4', EventType.NodeDeleted, 1n);
    expect(t.watchers).toHaveLength(101); // 100 one-shots (c % 10 == 4) + the recursive watcher 5
    for (let c = 0; c < 1000; c++) wm.removeWatcher(c);
    expect(wm.size).toBe(0);
  });

  it('fan-out cost: 1,000 watchers x 200 triggers stays cheap', () => {
    const wm = new WatchManager<number>();
    const start = performance.now();
    for (let round = 0; round < 200; round++) {
      for (let c = 0; c < 1000; c++) wm.addDataWatch('/hot', c);
      wm.trigger('/hot', EventType.NodeDataChanged, BigInt(round));
    }
    const ms = performance.now() - start;
    expect(ms).toBeLessThan(2000); // ~200k registrations + 200k deliveries; typically well under 100 ms
  });
});
