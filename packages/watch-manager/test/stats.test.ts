import { AddWatchMode, EventType, WatcherType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager, formatWatchesByPath, formatWatchesByWatcher, formatWatchesSummary } from '../src/index.js';

interface Cnxn {
  sessionId: bigint;
}

describe('watch statistics (4lw wchs / wchc / wchp, mntr zk_watch_count)', () => {
  it('summary counts the data table only, like DataTree.getWatchesSummary', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addDataWatch('/b', 'A');
    wm.addDataWatch('/a', 'B');
    wm.addChildWatch('/c', 'C'); // child table: not in wchs
    wm.addWatch('/p', 'B', AddWatchMode.PERSISTENT); // both tables
    wm.addWatch('/r', 'D', AddWatchMode.PERSISTENT_RECURSIVE); // data table
    expect(wm.summary()).toEqual({ numConnections: 3, numPaths: 4, totalWatches: 5 });
    expect(wm.size).toBe(7); // data 5 + child 2
    expect(formatWatchesSummary(wm.summary())).toBe('3 connections watching 4 paths\nTotal watches:5');
  });

  it('several modes of one watcher on one path are one watch', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(wm.summary()).toEqual({ numConnections: 1, numPaths: 1, totalWatches: 1 });
    expect(wm.size).toBe(2);
  });

  it('a connection whose one-shot watches fired is still listed until it closes (WatchManager keeps watch2Paths)', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.trigger('/a', EventType.NodeDataChanged, 1n);
    expect(wm.summary()).toEqual({ numConnections: 1, numPaths: 0, totalWatches: 0 });
    expect(wm.watchesByWatcher()).toEqual(new Map([['A', []]]));
    expect(wm.watchesByPath()).toEqual(new Map());
    wm.removeWatcher('A');
    expect(wm.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });

  it('removeWatches of its last data watch unlists the connection (WatchManager.unwatch)', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addDataWatch('/b', 'A');
    wm.removeWatches('/a', 'A', WatcherType.Data);
    expect(wm.summary().numConnections).toBe(1);
    wm.removeWatches('/b', 'A', WatcherType.Any);
    expect(wm.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });

  it('by watcher and by path, with ZooKeeper text layout', () => {
    const a: Cnxn = { sessionId: 0x1000000000000abn };
    const b: Cnxn = { sessionId: -2n };
    const wm = new WatchManager<Cnxn>();
    wm.addDataWatch('/x', a);
    wm.addDataWatch('/y', a);
    wm.addDataWatch('/x', b);
    wm.addChildWatch('/z', b); // child-only: not reported
    expect(wm.watchesByWatcher()).toEqual(
      new Map([
        [a, ['/x', '/y']],
        [b, ['/x']],
      ]),
    );
    expect(wm.watchesByPath()).toEqual(
      new Map([
        ['/x', [a, b]],
        ['/y', [a]],
      ]),
    );
    const idOf = (c: Cnxn): bigint => c.sessionId;
    expect(formatWatchesByWatcher(wm.watchesByWatcher(), idOf)).toBe(
      '0x1000000000000ab\n\t/x\n\t/y\n0xfffffffffffffffe\n\t/x\n',
    );
    expect(formatWatchesByPath(wm.watchesByPath(), idOf)).toBe(
      '/x\n\t0x1000000000000ab\n\t0xfffffffffffffffe\n/y\n\t0x1000000000000ab\n',
    );
  });

  it('counters stay exact through a mixed workload', () => {
    const wm = new WatchManager<string>();
    const ws = ['A', 'B', 'C'];
    for (const w of ws) {
      for (let i = 0; i < 10; i++) {
        wm.addDataWatch(`/n${i}`, w);
        if (i % 2 === 0) wm.addChildWatch(`/n${i}`, w);
        if (i % 3 === 0) wm.addWatch(`/n${i}`, w, AddWatchMode.PERSISTENT);
      }
    }
    for (let i = 0; i < 10; i += 4) wm.trigger(`/n${i}`, EventType.NodeDeleted, 1n);
    wm.removeWatches('/n1', 'B', WatcherType.Any);
    wm.removeWatches('/n3', 'C', WatcherType.Persistent);
    let data = 0;
    for (const paths of wm.watchesByWatcher().values()) data += paths.length;
    let byPath = 0;
    for (const watchers of wm.watchesByPath().values()) byPath += watchers.length;
    expect(wm.summary().totalWatches).toBe(data);
    expect(byPath).toBe(data);
    expect(wm.summary().numPaths).toBe(wm.watchesByPath().size);
    wm.removeWatcher('A');
    wm.removeWatcher('B');
    wm.removeWatcher('C');
    expect(wm.size).toBe(0);
    expect(wm.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });
});
