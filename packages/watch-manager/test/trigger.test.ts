import { AddWatchMode, EventType, KeeperState, WatcherType } from '@zk/protocol';
import { describe, expect, it } from 'vitest';
import { WatchManager, type TriggerEventType } from '../src/index.js';

const { NodeCreated, NodeDeleted, NodeDataChanged, NodeChildrenChanged } = EventType;

function fire(wm: WatchManager<string>, path: string, type: TriggerEventType): string[] {
  return wm.trigger(path, type, 7n).watchers;
}

describe('trigger result shape', () => {
  it('one shared event {type, SyncConnected, path} plus the zxid', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    expect(wm.trigger('/a', NodeDataChanged, 0x100000002n)).toEqual({
      event: { type: NodeDataChanged, state: KeeperState.SyncConnected, path: '/a' },
      zxid: 0x100000002n,
      watchers: ['A'],
    });
  });

  it('no watchers -> an empty list', () => {
    const wm = new WatchManager<string>();
    expect(fire(wm, '/nothing', NodeCreated)).toEqual([]);
  });

  it('rejects event types the server never triggers', () => {
    const wm = new WatchManager<string>();
    expect(() => wm.trigger('/a', EventType.None as TriggerEventType, 1n)).toThrow(RangeError);
    expect(() => wm.trigger('/a', EventType.DataWatchRemoved as TriggerEventType, 1n)).toThrow(RangeError);
  });
});

describe('standard (one-shot) watches', () => {
  it('a data watch fires once on NodeDataChanged, then is gone', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual([]);
    expect(wm.size).toBe(0);
  });

  it('an exists watch (data table) fires on NodeCreated', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/new', 'A');
    expect(fire(wm, '/new', NodeCreated)).toEqual(['A']);
    expect(wm.containsWatcher('/new', 'A', WatcherType.Data)).toBe(false);
  });

  it('a data watch fires on NodeDeleted', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A']);
  });

  it('a data watch ignores NodeChildrenChanged on its path and stays', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    expect(fire(wm, '/a', NodeChildrenChanged)).toEqual([]);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Data)).toBe(true);
  });

  it('a child watch fires on NodeChildrenChanged of its path, once', () => {
    const wm = new WatchManager<string>();
    wm.addChildWatch('/p', 'A');
    expect(fire(wm, '/p', NodeChildrenChanged)).toEqual(['A']);
    expect(fire(wm, '/p', NodeChildrenChanged)).toEqual([]);
  });

  it('a child watch ignores NodeCreated / NodeDataChanged of its path and stays', () => {
    const wm = new WatchManager<string>();
    wm.addChildWatch('/p', 'A');
    expect(fire(wm, '/p', NodeCreated)).toEqual([]);
    expect(fire(wm, '/p', NodeDataChanged)).toEqual([]);
    expect(wm.containsWatcher('/p', 'A', WatcherType.Children)).toBe(true);
  });

  it('a child watch fires on NodeDeleted of its path', () => {
    const wm = new WatchManager<string>();
    wm.addChildWatch('/p', 'A');
    expect(fire(wm, '/p', NodeDeleted)).toEqual(['A']);
    expect(wm.size).toBe(0);
  });

  it('NodeDeleted: data + child watch of one watcher -> one event, both one-shots consumed', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addChildWatch('/a', 'A');
    wm.addChildWatch('/a', 'B');
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A', 'B']);
    expect(wm.size).toBe(0);
  });

  it('NodeDataChanged consumes the data one-shot but leaves the child one-shot', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addChildWatch('/a', 'A');
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Data)).toBe(false);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Children)).toBe(true);
    expect(fire(wm, '/a', NodeChildrenChanged)).toEqual(['A']);
  });

  it('a one-shot watch does not fire for changes to children or parents', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addChildWatch('/a', 'B');
    expect(fire(wm, '/a/b', NodeCreated)).toEqual([]);
    expect(fire(wm, '/a/b', NodeDeleted)).toEqual([]);
    expect(fire(wm, '/', NodeChildrenChanged)).toEqual([]);
    expect(wm.size).toBe(2);
  });

  it('registering the same one-shot twice is one watch', () => {
    const wm = new WatchManager<string>();
    expect(wm.addDataWatch('/a', 'A')).toBe(true);
    expect(wm.addDataWatch('/a', 'A')).toBe(false);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
  });
});

describe('persistent watches', () => {
  it('fire for every event on the path itself and stay', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    expect(fire(wm, '/a', NodeCreated)).toEqual(['A']);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
    expect(fire(wm, '/a', NodeChildrenChanged)).toEqual(['A']);
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A']);
    expect(fire(wm, '/a', NodeCreated)).toEqual(['A']);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Persistent)).toBe(true);
  });

  it('do not fire for descendants', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    expect(fire(wm, '/a/b', NodeCreated)).toEqual([]);
    expect(fire(wm, '/a/b', NodeDataChanged)).toEqual([]);
    expect(fire(wm, '/a/b', NodeDeleted)).toEqual([]);
  });

  it('count in both tables (DataTree.addWatch)', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    expect(wm.dataWatchCount).toBe(1);
    expect(wm.childWatchCount).toBe(1);
    expect(wm.size).toBe(2);
  });

  it('stack with a one-shot on the same path (ZOOKEEPER-4466): the one-shot goes, the persistent stays', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    expect(wm.addDataWatch('/a', 'A')).toBe(true);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']); // one event, not two
    expect(wm.containsWatcher('/a', 'A', WatcherType.Data)).toBe(false);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Persistent)).toBe(true);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
  });

  it('addWatch rejects an unknown mode', () => {
    const wm = new WatchManager<string>();
    expect(() => wm.addWatch('/a', 'A', 2 as AddWatchMode)).toThrow(RangeError);
  });
});

describe('persistent-recursive watches', () => {
  it('fire for the path and every descendant on NodeCreated / NodeDeleted / NodeDataChanged', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/a', NodeCreated)).toEqual(['A']);
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['A']);
    expect(fire(wm, '/a/b', NodeCreated)).toEqual(['A']);
    expect(fire(wm, '/a/b/c/d', NodeDataChanged)).toEqual(['A']);
    expect(fire(wm, '/a/b', NodeDeleted)).toEqual(['A']);
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A']);
    expect(wm.containsWatcher('/a', 'A', WatcherType.PersistentRecursive)).toBe(true);
  });

  it('never fire for NodeChildrenChanged, on the path or below', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/a', NodeChildrenChanged)).toEqual([]);
    expect(fire(wm, '/a/b', NodeChildrenChanged)).toEqual([]);
  });

  it('do not fire for siblings sharing a name prefix, or for ancestors', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/ab', NodeCreated)).toEqual([]);
    expect(fire(wm, '/ab/c', NodeCreated)).toEqual([]);
    expect(fire(wm, '/', NodeDataChanged)).toEqual([]);
  });

  it('on "/" they see the whole tree', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/', NodeDataChanged)).toEqual(['A']);
    expect(fire(wm, '/x', NodeCreated)).toEqual(['A']);
    expect(fire(wm, '/x/y/z', NodeDeleted)).toEqual(['A']);
    expect(fire(wm, '/x', NodeChildrenChanged)).toEqual([]);
  });

  it('live in the data table only', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(wm.dataWatchCount).toBe(1);
    expect(wm.childWatchCount).toBe(0);
    expect(wm.recursiveWatchCount).toBe(1);
  });
});

describe('one event per watcher per trigger', () => {
  it('recursive on two ancestors plus a one-shot on the path -> one event; the one-shot is consumed', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addDataWatch('/a/b', 'A');
    expect(fire(wm, '/a/b', NodeDataChanged)).toEqual(['A']);
    expect(wm.containsWatcher('/a/b', 'A', WatcherType.Data)).toBe(false);
    expect(fire(wm, '/a/b', NodeDataChanged)).toEqual(['A']);
  });

  it('NodeDeleted with an ancestor recursive watch and a child one-shot on the path -> one event', () => {
    // DataTree.deleteNode: the child-table trigger is suppressed for watchers the data table notified,
    // but the child one-shot is still consumed.
    const wm = new WatchManager<string>();
    wm.addWatch('/', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addChildWatch('/a', 'A');
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A']);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Children)).toBe(false);
  });

  it('all watch kinds of one watcher on one path -> one NodeDeleted event', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addChildWatch('/a', 'A');
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT);
    wm.addWatch('/a', 'A', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/a', NodeDeleted)).toEqual(['A']);
    // one-shots consumed, both persistent modes stay
    expect(wm.containsWatcher('/a', 'A', WatcherType.Data)).toBe(false);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Children)).toBe(false);
    expect(wm.containsWatcher('/a', 'A', WatcherType.Persistent)).toBe(true);
    expect(wm.containsWatcher('/a', 'A', WatcherType.PersistentRecursive)).toBe(true);
  });
});

describe('deterministic order', () => {
  it('watchers on the path in registration order, then ancestors from the nearest up', () => {
    const wm = new WatchManager<string>();
    wm.addWatch('/', 'R0', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addWatch('/a', 'R1', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addDataWatch('/a/b', 'C');
    wm.addWatch('/a/b', 'B', AddWatchMode.PERSISTENT);
    wm.addWatch('/a/b', 'R2', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addChildWatch('/a/b', 'K');
    wm.addWatch('/a', 'R1b', AddWatchMode.PERSISTENT_RECURSIVE);
    expect(fire(wm, '/a/b', NodeDataChanged)).toEqual(['C', 'B', 'R2', 'R1', 'R1b', 'R0']); // C consumed
    wm.addDataWatch('/a/b', 'C');
    expect(fire(wm, '/a/b', NodeDeleted)).toEqual(['B', 'R2', 'K', 'C', 'R1', 'R1b', 'R0']);
  });

  it('re-registering a consumed one-shot puts the watcher at the end', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/a', 'A');
    wm.addDataWatch('/a', 'B');
    fire(wm, '/a', NodeDataChanged);
    wm.addDataWatch('/a', 'B');
    wm.addDataWatch('/a', 'A');
    expect(fire(wm, '/a', NodeDataChanged)).toEqual(['B', 'A']);
  });
});

describe('a create / delete / setData as DataTree triggers them', () => {
  // create /p/c: NodeCreated(/p/c) then NodeChildrenChanged(/p)
  // delete /p/c: NodeDeleted(/p/c) then NodeChildrenChanged(/p)
  // setData /p/c: NodeDataChanged(/p/c)
  it('delivers exactly these events', () => {
    const wm = new WatchManager<string>();
    wm.addDataWatch('/p/c', 'exists');
    wm.addChildWatch('/p', 'children');
    wm.addWatch('/p', 'rec', AddWatchMode.PERSISTENT_RECURSIVE);
    wm.addWatch('/p', 'pers', AddWatchMode.PERSISTENT);
    const log: string[] = [];
    const run = (path: string, type: TriggerEventType): void => {
      const t = wm.trigger(path, type, 1n);
      for (const w of t.watchers) log.push(`${w} ${t.event.type} ${t.event.path}`);
    };
    run('/p/c', NodeCreated);
    run('/p', NodeChildrenChanged);
    run('/p/c', NodeDataChanged);
    run('/p/c', NodeDeleted);
    run('/p', NodeChildrenChanged);
    expect(log).toEqual([
      'exists 1 /p/c',
      'rec 1 /p/c',
      'children 4 /p',
      'pers 4 /p',
      'rec 3 /p/c',
      'rec 2 /p/c',
      'pers 4 /p',
    ]);
  });
});
