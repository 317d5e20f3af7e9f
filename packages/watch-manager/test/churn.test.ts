import { AddWatchMode, EventType, WatcherType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager } from '../src/index.js';

/** Size of a watcher's internal entry set (implementation detail: bounded despite lazy cleanup). */
function entrySetSize(wm: WatchManager<string>, w: string): number {
  const states = (wm as unknown as { states: Map<string, { entries: Set<unknown> }> }).states;
  return states.get(w)?.entries.size ?? 0;
}

describe('watch churn', () => {
  it('re-arming one-shots forever keeps per-watcher bookkeeping bounded', () => {
    const wm = new WatchManager<string>();
    for (let i = 0; i < 10_000; i++) {
      wm.addDataWatch(`/n${i % 50}`, 'A');
      wm.trigger(`/n${i % 50}`, EventType.NodeDataChanged, BigInt(i));
    }
    expect(wm.hasWatches('A')).toBe(false);
    expect(entrySetSize(wm, 'A')).toBeLessThan(20);
    expect(wm.size).toBe(0);
  });

  it('partial consumption at a path keeps the survivors and exact counts', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addWatch('/a', 'B', AddWatchMode.PERSISTENT);
    wm.addDataWatch('/a', 'C');
    expect(wm.trigger('/a', EventType.NodeDataChanged, 1n).watchers).toEqual(['A', 'B', 'C']);
    expect(wm.trigger('/a', EventType.NodeDataChanged, 2n).watchers).toEqual(['B']);
    expect(wm.hasWatches('A')).toBe(false);
    expect(wm.hasWatches('B')).toBe(true);
    wm.addDataWatch('/a', 'A');
    expect(wm.watchesByPath()).toEqual(new Map([['/a', ['B', 'A']]]));
    expect(wm.watchesByWatcher()).toEqual(
      new Map([
        ['A', ['/a']],
        ['B', ['/a']],
        ['C', []],
      ]),
    );
    expect(wm.removeWatcher('A')).toBe(true);
    expect(wm.removeWatcher('C')).toBe(true);
    expect(wm.size).toBe(2);
    expect(wm.trigger('/a', EventType.NodeDataChanged, 3n).watchers).toEqual(['B']);
  });

  it('a watcher closed after its one-shots fired leaves nothing behind', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/x', 'A');
    wm.addChildWatch('/y', 'A');
    wm.trigger('/x', EventType.NodeDeleted, 1n);
    wm.trigger('/y', EventType.NodeChildrenChanged, 1n);
    wm.addDataWatch('/x', 'B');
    expect(wm.removeWatcher('A')).toBe(true);
    expect(wm.containsWatcher('/x', 'B', WatcherType.Data)).toBe(true);
    expect(wm.summary()).toEqual({ numConnections: 1, numPaths: 1, totalWatches: 1 });
  });
});
