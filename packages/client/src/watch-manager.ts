// Client-side watch bookkeeping, as ZooKeeper's ZKWatchManager: which watcher functions wait on
// which (client) path, which of them an event triggers, and removal with its local events.

import { ErrorCode } from '@zk/protocol';
import { NoWatcherError, zooKeeperError } from './errors.js';
import type { EventTypeName, KeeperStateName, Watcher, WatcherTypeName } from './types.js';

export type WatchKind = 'data' | 'exist' | 'child' | 'persistent' | 'persistentRecursive';

type Table = Map<string, Set<Watcher>>;

function addTo(from: Set<Watcher> | undefined, to: Set<Watcher>): void {
  if (from !== undefined) for (const w of from) to.add(w);
}

/** The watchers a removal took away, by the event type they are told with. */
export interface RemovedWatchers {
  readonly child: Set<Watcher>;
  readonly data: Set<Watcher>;
  readonly persistent: Set<Watcher>;
}

export class WatchManager {
  readonly data: Table = new Map();
  readonly exist: Table = new Map();
  readonly child: Table = new Map();
  readonly persistent: Table = new Map();
  readonly persistentRecursive: Table = new Map();

  constructor(public defaultWatcher: Watcher | undefined) {}

  private table(kind: WatchKind): Table {
    switch (kind) {
      case 'data':
        return this.data;
      case 'exist':
        return this.exist;
      case 'child':
        return this.child;
      case 'persistent':
        return this.persistent;
      case 'persistentRecursive':
        return this.persistentRecursive;
    }
  }

  add(kind: WatchKind, path: string, watcher: Watcher): void {
    const table = this.table(kind);
    let set = table.get(path);
    if (set === undefined) {
      set = new Set();
      table.set(path, set);
    }
    set.add(watcher);
  }

  /** True when any watch is registered (setWatches is needed on reconnect). */
  get isEmpty(): boolean {
    return (
      this.data.size === 0 && this.exist.size === 0 && this.child.size === 0 && this.persistent.size === 0 && this.persistentRecursive.size === 0
    );
  }

  /**
   * The watchers an event from the server triggers; one-shot watches are removed
   * (ZKWatchManager.materialize). Session events (`None`) go to every watcher and the default one.
   */
  materialize(state: KeeperStateName, type: EventTypeName, path: string | null): Set<Watcher> {
    const result = new Set<Watcher>();
    if (type === 'None') {
      if (this.defaultWatcher !== undefined) result.add(this.defaultWatcher);
      for (const t of [this.data, this.exist, this.child, this.persistent, this.persistentRecursive]) {
        for (const ws of t.values()) addTo(ws, result);
      }
      void state;
      return result;
    }
    if (path === null) return result;
    switch (type) {
      case 'NodeDataChanged':
      case 'NodeCreated':
        addTo(this.take(this.data, path), result);
        addTo(this.take(this.exist, path), result);
        break;
      case 'NodeChildrenChanged':
        addTo(this.take(this.child, path), result);
        break;
      case 'NodeDeleted':
        addTo(this.take(this.data, path), result);
        addTo(this.take(this.exist, path), result);
        addTo(this.take(this.child, path), result);
        break;
      default:
        return result;
    }
    addTo(this.persistent.get(path), result);
    // A persistent recursive watch on any ancestor (or the node itself) sees the event, except
    // child events, which recursive watches never report (the server may still send them when the
    // same connection also holds a one-shot child watch).
    if (type !== 'NodeChildrenChanged' && this.persistentRecursive.size > 0) {
      for (let p = path; ; ) {
        addTo(this.persistentRecursive.get(p), result);
        if (p === '/') break;
        const i = p.lastIndexOf('/');
        p = i <= 0 ? '/' : p.slice(0, i);
      }
    }
    return result;
  }

  private take(table: Table, path: string): Set<Watcher> | undefined {
    const set = table.get(path);
    if (set !== undefined) table.delete(path);
    return set;
  }

  private static contains(table: Table, path: string, watcher: Watcher | undefined): boolean {
    const set = table.get(path);
    if (set === undefined || set.size === 0) return false;
    return watcher === undefined ? true : set.has(watcher);
  }

  /** Throws NoWatcherError unless a matching watcher is registered (ZKWatchManager.containsWatcher). */
  assertContains(path: string, watcher: Watcher | undefined, type: WatcherTypeName): void {
    const c = WatchManager.contains;
    let found = c(this.persistent, path, watcher) || c(this.persistentRecursive, path, watcher);
    if (type === 'Children' || type === 'Any') found ||= c(this.child, path, watcher);
    if (type === 'Data' || type === 'Any') found ||= c(this.data, path, watcher) || c(this.exist, path, watcher);
    if (!found) throw new NoWatcherError({ path, op: 'removeWatches' });
  }

  /**
   * Removes watchers after the server answered a removal with `rc` (ZKWatchManager.removeWatcher).
   * A non-local removal the server refused throws that error; a local one removes regardless.
   */
  remove(path: string, watcher: Watcher | undefined, type: WatcherTypeName, local: boolean, rc: number): RemovedWatchers {
    this.assertContains(path, watcher, type);
    if (!local && rc !== ErrorCode.OK) throw zooKeeperError(rc, path, 'removeWatches');
    const removed: RemovedWatchers = { child: new Set(), data: new Set(), persistent: new Set() };
    let any = false;
    const take = (table: Table, into: Set<Watcher>): void => {
      if (watcher === undefined) {
        const set = table.get(path);
        if (set !== undefined) {
          table.delete(path);
          addTo(set, into);
          any = true;
        }
        return;
      }
      const set = table.get(path);
      if (set !== undefined && set.delete(watcher)) {
        into.add(watcher);
        if (set.size === 0) table.delete(path);
        any = true;
      }
    };
    if (type === 'Children' || type === 'Any') take(this.child, removed.child);
    if (type === 'Data' || type === 'Any') {
      take(this.data, removed.data);
      take(this.exist, removed.data);
    }
    if (type === 'Any') {
      take(this.persistent, removed.persistent);
      take(this.persistentRecursive, removed.persistent);
    }
    if (!any) throw new NoWatcherError({ path, op: 'removeWatches' });
    return removed;
  }

  /** Drops every watch (after the session ended). */
  clear(): void {
    this.data.clear();
    this.exist.clear();
    this.child.clear();
    this.persistent.clear();
    this.persistentRecursive.clear();
  }
}
