import { AddWatchMode, EventType, WatcherType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager } from '../src/index.js';

const ALL_TYPES = [
  WatcherType.Children,
  WatcherType.Data,
  WatcherType.Any,
  WatcherType.Persistent,
  WatcherType.PersistentRecursive,
] as const;

/** containsWatcher for every WatcherType, in the order of ALL_TYPES. */
function contains(wm: WatchManager<string>, path: string, w: string): boolean[] {
  return ALL_TYPES.map((t) => wm.containsWatcher(path, w, t));
}

function everything(): WatchManager<string> {
  const wm = new WatchManager<string>();
  wm.addDataWatch('/a', 'A');
  wm.addChildWatch('/a', 'A');
  wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
  wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
  return wm;
}

describe('containsWatcher (DataTree.containsWatcher)', () => {
  it('maps each WatcherType to its watch', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/d', 'A');
    wm.addChildWatch('/c', 'A');
    wm.addWatch('/p', 'A', AddWatchMode.PERSISTENT);
    wm.addWatch('/r', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    //                                    Children Data  Any   Persistent Recursive
    expect(contains(wm, '/d', 'A')).toEqual([false, true, true, false, false]);
    expect(contains(wm, '/c', 'A')).toEqual([true, false, true, false, false]);
    expect(contains(wm, '/p', 'A')).toEqual([false, false, true, true, false]);
    expect(contains(wm, '/r', 'A')).toEqual([false, false, true, false, true]);
    expect(contains(wm, '/r/below', 'A')).toEqual([false, false, false, false, false]);
    expect(contains(wm, '/d', 'B')).toEqual([false, false, false, false, false]);
    expect(contains(wm, '/none', 'A')).toEqual([false, false, false, false, false]);
  });

  it('throws on an unknown WatcherType', () => {
    const wm = everything();
    expect(() => wm.containsWatcher('/a', 'A', 9 as WatcherType)).toThrow(RangeError);
    expect(() => wm.removeWatches('/a', 'A', 0 as WatcherType)).toThrow(RangeError);
  });
});

describe('removeWatches (DataTree.removeWatch)', () => {
  it('Children removes only the one-shot child watch', () => {
    const wm = everything();
    expect(wm.removeWatches('/a', 'A', WatcherType.Children)).toBe(true);
    expect(contains(wm, '/a', 'A')).toEqual([false, true, true, true, true]);
    expect(wm.removeWatches('/a', 'A', WatcherType.Children)).toBe(false);
  });

  it('Data removes only the one-shot data / exist watch', () => {
    const wm = everything();
    expect(wm.removeWatches('/a', 'A', WatcherType.Data)).toBe(true);
    expect(contains(wm, '/a', 'A')).toEqual([true, false, true, true, true]);
    expect(wm.removeWatches('/a', 'A', WatcherType.Data)).toBe(false);
  });

  it('Persistent removes the persistent watch from both tables', () => {
    const wm = everything();
    expect(wm.size).toBe(2); // /a in the data table and in the child table
    expect(wm.removeWatches('/a', 'A', WatcherType.Persistent)).toBe(true);
    expect(contains(wm, '/a', 'A')).toEqual([true, true, true, false, true]);
    expect(wm.removeWatches('/a', 'A', WatcherType.Persistent)).toBe(false);
    // the child one-shot still fires NodeChildrenChanged, and only once now
    expect(wm.trigger('/a', EventType.NodeChildrenChanged, 1n).watchers).toEqual(['A']);
    expect(wm.trigger('/a', EventType.NodeChildrenChanged, 1n).watchers).toEqual([]);
  });

  it('PersistentRecursive removes only the recursive watch', () => {
    const wm = everything();
    expect(wm.removeWatches('/a', 'A', WatcherType.PersistentRecursive)).toBe(true);
    expect(contains(wm, '/a', 'A')).toEqual([true, true, true, true, false]);
    expect(wm.recursiveWatchCount).toBe(0);
    expect(wm.trigger('/a/b', EventType.NodeCreated, 1n).watchers).toEqual([]);
  });

  it('Any removes every watch the watcher has on the path, and no other', () => {
    const wm = everything();
    wm.addDataWatch('/other', 'A');
    wm.addDataWatch('/a', 'B');
    expect(wm.removeWatches('/a', 'A', WatcherType.Any)).toBe(true);
    expect(contains(wm, '/a', 'A')).toEqual([false, false, false, false, false]);
    expect(wm.containsWatcher('/other', 'A', WatcherType.Data)).toBe(true);
    expect(wm.containsWatcher('/a', 'B', WatcherType.Data)).toBe(true);
    expect(wm.removeWatches('/a', 'A', WatcherType.Any)).toBe(false);
  });

  it('is false for an unknown watcher or path', () => {
    const wm = everything();
    expect(wm.removeWatches('/a', 'Z', WatcherType.Any)).toBe(false);
    expect(wm.removeWatches('/zzz', 'A', WatcherType.Any)).toBe(false);
  });

  it('a removed one-shot no longer fires; removal sends no event (the client makes *WatchRemoved)', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addDataWatch('/a', 'B');
    wm.removeWatches('/a', 'A', WatcherType.Data);
    expect(wm.trigger('/a', EventType.NodeDataChanged, 1n).watchers).toEqual(['B']);
  });
});

describe('removeWatcher (connection closed)', () => {
  it('drops every watch of the watcher and nothing else', () => {
    const wm = everything();
    wm.addDataWatch('/b', 'A');
    wm.addChildWatch('/b', 'B');
    wm.addWatch('/', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(wm.removeWatcher('A')).toBe(true);
    expect(wm.removeWatcher('A')).toBe(false);
    expect(wm.hasWatches('A')).toBe(false);
    expect(wm.size).toBe(1);
    expect(wm.recursiveWatchCount).toBe(0);
    expect(wm.trigger('/a', EventType.NodeDeleted, 1n).watchers).toEqual([]);
    expect(wm.trigger('/b', EventType.NodeDeleted, 1n).watchers).toEqual(['B']);
    expect(wm.summary()).toEqual({ numConnections: 0, numPaths: 0, totalWatches: 0 });
  });
});
