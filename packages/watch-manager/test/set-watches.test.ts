import { EventType, KeeperState, WatcherType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager, setWatches, type WatchedNodeZxids } from '../src/index.js';

const S = KeeperState.SyncConnected;

describe('setWatches (DataTree.setWatches)', () => {
  const tree = new Map<string, WatchedNodeZxids>([
    ['/old', { mzxid: 5n, pzxid: 5n }],
    ['/changed', { mzxid: 20n, pzxid: 5n }],
    ['/kids', { mzxid: 5n, pzxid: 20n }],
  ]);
  const lookup = (path: string): WatchedNodeZxids | undefined => tree.get(path);

  it('returns missed events in list order and re-arms the rest', () => {
    const wm = new WatchManager<string>();
    const events = setWatches(
      wm,
      'A',
      10n,
      {
        dataWatches: ['/old', '/changed', '/gone'],
        existWatches: ['/old', '/absent'],
        childWatches: ['/kids', '/gone', '/old', '/changed'],
        persistentWatches: ['/p'],
        persistentRecursiveWatches: ['/r'],
      },
      lookup,
    );
    expect(events).toEqual([
      { type: EventType.NodeDataChanged, state: S, path: '/changed' },
      { type: EventType.NodeDeleted, state: S, path: '/gone' },
      { type: EventType.NodeCreated, state: S, path: '/old' },
      { type: EventType.NodeChildrenChanged, state: S, path: '/kids' },
      { type: EventType.NodeDeleted, state: S, path: '/gone' },
    ]);
    expect(wm.containsWatcher('/old', 'A', WatcherType.Data)).toBe(true);
    expect(wm.containsWatcher('/absent', 'A', WatcherType.Data)).toBe(true);
    expect(wm.containsWatcher('/changed', 'A', WatcherType.Data)).toBe(false);
    expect(wm.containsWatcher('/old', 'A', WatcherType.Children)).toBe(true);
    expect(wm.containsWatcher('/changed', 'A', WatcherType.Children)).toBe(true); // pzxid 5 <= 10
    expect(wm.containsWatcher('/kids', 'A', WatcherType.Children)).toBe(false);
    expect(wm.containsWatcher('/p', 'A', WatcherType.Persistent)).toBe(true);
    expect(wm.containsWatcher('/r', 'A', WatcherType.PersistentRecursive)).toBe(true);
  });

  it('equal zxids are not a change; SetWatches (v1) has no persistent lists', () => {
    const wm = new WatchManager<string>();
    const events = setWatches(wm, 'A', 20n, { dataWatches: ['/changed'], existWatches: [], childWatches: ['/kids'] }, lookup);
    expect(events).toEqual([]);
    expect(wm.size).toBe(2);
  });
});
