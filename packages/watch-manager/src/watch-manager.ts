import { AddWatchMode, EventType, KeeperState, WatcherType, type WatcherEvent } from '@zk/protocol';
import {
  CHILD_MASK,
  CHILD_PERSISTENT,
  CHILD_STANDARD,
  DATA_MASK,
  DATA_PERSISTENT,
  DATA_RECURSIVE,
  DATA_STANDARD,
  STANDARD_MASK,
} from './watch-flags.js';
import { parentPath } from './path-parent.js';

/** What one {@link WatchManager.trigger} produced: one event, shared by every watcher to notify. */
export interface WatchTrigger<W> {
  /** The notification body: the event type, SyncConnected and the changed node's path. */
  readonly event: WatcherEvent;
  /** The zxid of the change (ZooKeeper 3.9+ puts it in the notification's ReplyHeader; 3.8 sends -1). */
  readonly zxid: bigint;
  /** Each watcher at most once, in a deterministic order (see {@link WatchManager.trigger}). */
  readonly watchers: W[];
}

/** ZooKeeper's watch summary (wchs; WatchesSummary). Covers the data-watch table only, as ZooKeeper does. */
export interface WatchesSummary {
  readonly numConnections: number;
  readonly numPaths: number;
  readonly totalWatches: number;
}

/** Event types the server triggers (DataTree.createNode / deleteNode / setData). */
export type TriggerEventType =
  | typeof EventType.NodeCreated
  | typeof EventType.NodeDeleted
  | typeof EventType.NodeDataChanged
  | typeof EventType.NodeChildrenChanged;

class WatcherState<W> {
  /**
   * Every path entry where this watcher holds a watch, plus possibly stale ones where it no longer
   * does (a trigger consuming a one-shot does not touch this set, which keeps fan-out cheap). Readers
   * check the entry's flags; {@link WatchManager} compacts the set when stale entries dominate.
   */
  readonly entries = new Set<PathEntry<W>>();
  /** Number of (this watcher, path) pairs with a watch. */
  live = 0;
  /** Paths where it holds a data-table watch. */
  dataPaths = 0;
  /** Whether ZooKeeper's data table would list it in watch2Paths (drives wchs / wchc). */
  listed = false;
  /** Trigger stamp, to notify a watcher once when ancestors are walked. */
  mark = 0;
  constructor(readonly watcher: W) {}
}

class PathEntry<W> {
  /** watcher -> flags (watch-flags.ts), in registration order */
  readonly watchers = new Map<WatcherState<W>, number>();
  dataWatchers = 0;
  recursiveWatchers = 0;
  constructor(readonly path: string) {}
}

/**
 * The server's watch registry, generic over the watcher identity (the server's connection object;
 * compared by identity as a Map key). It reproduces DataTree's pair of WatchManagers (dataWatches +
 * childWatches, ZooKeeper 3.9 semantics where one watcher may hold several modes on one path) in a
 * single table, so a trigger is one pass over one Map and allocates one array.
 *
 * Pure and synchronous: the caller delivers the returned events.
 */
export class WatchManager<W> {
  private readonly paths = new Map<string, PathEntry<W>>();
  private readonly states = new Map<W, WatcherState<W>>();
  private dataCount = 0;
  private childCount = 0;
  private recursiveCount = 0;
  private dataPathCount = 0;
  private listedCount = 0;
  private stamp = 0;

  /** A one-shot data watch, as getData / exists with watch=true register (dataWatches, STANDARD). */
  addDataWatch(path: string, watcher: W): boolean {
    return this.addFlags(path, watcher, DATA_STANDARD);
  }

  /** A one-shot child watch, as getChildren with watch=true registers (childWatches, STANDARD). */
  addChildWatch(path: string, watcher: W): boolean {
    return this.addFlags(path, watcher, CHILD_STANDARD);
  }

  /**
   * The addWatch request (DataTree.addWatch): PERSISTENT goes into both tables, PERSISTENT_RECURSIVE
   * into the data table only. Throws RangeError for another mode (WatcherMode.fromZooDef throws too).
   */
  addWatch(path: string, watcher: W, mode: AddWatchMode): boolean {
    if (mode === AddWatchMode.PERSISTENT) return this.addFlags(path, watcher, DATA_PERSISTENT | CHILD_PERSISTENT);
    if (mode === AddWatchMode.PERSISTENT_RECURSIVE) return this.addFlags(path, watcher, DATA_RECURSIVE);
    throw new RangeError(`unsupported watch mode: ${mode as number}`);
  }

  /**
   * The watchers to notify of one change, with ZooKeeper's rules (WatchManager.triggerWatch as
   * DataTree calls it):
   * - NodeCreated, NodeDataChanged: watchers with any data-table watch on `path`, plus persistent-
   *   recursive watchers on any ancestor.
   * - NodeDeleted: the same, plus watchers with any child-table watch on `path` (ZooKeeper triggers
   *   both tables and suppresses the second notification of a watcher).
   * - NodeChildrenChanged (pass the parent's path): watchers with a child-table watch on `path`;
   *   never recursive ones.
   * One-shot watches that fire are removed (the child one-shot too on NodeDeleted); persistent and
   * recursive ones stay. Order: watchers on `path` in registration order, then ancestors' recursive
   * watchers from the nearest ancestor up.
   */
  trigger(path: string, type: TriggerEventType, zxid: bigint): WatchTrigger<W> {
    let mask: number;
    let clear: number;
    let walk: boolean;
    switch (type) {
      case EventType.NodeCreated:
      case EventType.NodeDataChanged:
        mask = DATA_MASK;
        clear = DATA_STANDARD;
        walk = this.recursiveCount > 0;
        break;
      case EventType.NodeDeleted:
        mask = DATA_MASK | CHILD_MASK;
        clear = STANDARD_MASK;
        walk = this.recursiveCount > 0;
        break;
      case EventType.NodeChildrenChanged:
        mask = CHILD_MASK;
        clear = CHILD_STANDARD;
        walk = false;
        break;
      default:
        throw new RangeError(`not a triggerable event type: ${type as number}`);
    }
    const watchers: W[] = [];
    const stamp = ++this.stamp;
    const entry = this.paths.get(path);
    if (entry !== undefined) this.fireAt(entry, mask, clear, stamp, watchers);
    if (walk) {
      for (let p = parentPath(path); p !== ''; p = parentPath(p)) {
        const ancestor = this.paths.get(p);
        if (ancestor === undefined || ancestor.recursiveWatchers === 0) continue;
        for (const [state, flags] of ancestor.watchers) {
          if ((flags & DATA_RECURSIVE) === 0 || state.mark === stamp) continue;
          state.mark = stamp;
          watchers.push(state.watcher);
        }
      }
    }
    return { event: { type, state: KeeperState.SyncConnected, path }, zxid, watchers };
  }

  /**
   * Notifies the watchers of `entry` that hold a `mask` watch and clears their `clear` (one-shot)
   * bits. Consumed pairs are zeroed in place and only deleted afterwards if some watcher survives;
   * when none does (the usual one-shot fan-out) the whole entry is dropped at once.
   */
  private fireAt(entry: PathEntry<W>, mask: number, clear: number, stamp: number, watchers: W[]): void {
    const map = entry.watchers;
    let consumed = 0;
    for (const [state, flags] of map) {
      if ((flags & mask) === 0) continue;
      state.mark = stamp;
      watchers.push(state.watcher);
      if ((flags & clear) === 0) continue;
      const next = flags & ~clear;
      map.set(state, next);
      if (next === 0) consumed++; // state.entries keeps a stale reference, see WatcherState
      this.account(state, entry, flags, next);
    }
    if (consumed === 0) return;
    if (consumed === map.size) {
      this.paths.delete(entry.path);
      map.clear();
      return;
    }
    for (const [state, flags] of map) if (flags === 0) map.delete(state);
  }

  /** Drops every watch of a watcher (its connection closed; DataTree.removeCnxn). O(its watches). */
  removeWatcher(watcher: W): boolean {
    const state = this.states.get(watcher);
    if (state === undefined) return false;
    for (const entry of state.entries) {
      const flags = entry.watchers.get(state);
      if (flags === undefined || flags === 0) continue; // stale
      entry.watchers.delete(state);
      if (entry.watchers.size === 0) this.paths.delete(entry.path);
      this.account(state, entry, flags, 0);
    }
    if (state.listed) this.listedCount--;
    this.states.delete(watcher);
    return true;
  }

  /**
   * The removeWatches request (DataTree.removeWatch): Children -> the one-shot child watch, Data ->
   * the one-shot data / exist watch, Persistent -> the persistent watch (both tables),
   * PersistentRecursive -> the recursive watch, Any -> every watch the watcher has on `path`.
   * Returns whether anything was removed (false -> the server answers NOWATCHER). The server sends no
   * event: DataWatchRemoved / ChildWatchRemoved / PersistentWatchRemoved are made by the client.
   */
  removeWatches(path: string, watcher: W, type: WatcherType): boolean {
    const remove = flagsForType(type, true);
    const state = this.states.get(watcher);
    const entry = this.paths.get(path);
    if (state === undefined || entry === undefined) return false;
    const flags = entry.watchers.get(state);
    if (flags === undefined || (flags & remove) === 0) return false;
    const next = flags & ~remove;
    this.setFlags(state, entry, flags, next);
    // WatchManager.unwatch drops the watcher from the data table's watch2Paths once its last data
    // path goes; a fired one-shot watch does not (the connection stays listed until it closes).
    if ((flags & DATA_MASK) !== 0 && (next & DATA_MASK) === 0 && state.dataPaths === 0 && state.listed) {
      state.listed = false;
      this.listedCount--;
    }
    return true;
  }

  /**
   * The checkWatches request (DataTree.containsWatcher): Children / Data -> a one-shot watch of that
   * kind, Persistent / PersistentRecursive -> that mode in the data table, Any -> any watch on `path`.
   */
  containsWatcher(path: string, watcher: W, type: WatcherType): boolean {
    const test = flagsForType(type, false);
    const state = this.states.get(watcher);
    if (state === undefined) return false;
    const flags = this.paths.get(path)?.watchers.get(state);
    return flags !== undefined && (flags & test) !== 0;
  }

  /** Whether the watcher holds any watch. */
  hasWatches(watcher: W): boolean {
    const state = this.states.get(watcher);
    return state !== undefined && state.live > 0;
  }

  /** Watches in both tables (DataTree.getWatchCount; 4lw mntr zk_watch_count). */
  get size(): number {
    return this.dataCount + this.childCount;
  }

  /** (watcher, path) pairs in the data table. */
  get dataWatchCount(): number {
    return this.dataCount;
  }

  /** (watcher, path) pairs in the child table. */
  get childWatchCount(): number {
    return this.childCount;
  }

  /** Recursive watches registered; while 0, triggers never look at ancestors. */
  get recursiveWatchCount(): number {
    return this.recursiveCount;
  }

  /** 4lw wchs (DataTree.getWatchesSummary): data table only, as ZooKeeper reports it. O(1). */
  summary(): WatchesSummary {
    return { numConnections: this.listedCount, numPaths: this.dataPathCount, totalWatches: this.dataCount };
  }

  /** 4lw wchc (DataTree.getWatches): watcher -> paths of its data-table watches. Allocates. */
  watchesByWatcher(): Map<W, string[]> {
    const out = new Map<W, string[]>();
    for (const state of this.states.values()) {
      if (!state.listed) continue;
      const paths: string[] = [];
      for (const entry of state.entries) if (((entry.watchers.get(state) ?? 0) & DATA_MASK) !== 0) paths.push(entry.path);
      out.set(state.watcher, paths);
    }
    return out;
  }

  /** 4lw wchp (DataTree.getWatchesByPath): path -> watchers with a data-table watch on it. Allocates. */
  watchesByPath(): Map<string, W[]> {
    const out = new Map<string, W[]>();
    for (const entry of this.paths.values()) {
      if (entry.dataWatchers === 0) continue;
      const watchers: W[] = [];
      for (const [state, flags] of entry.watchers) if ((flags & DATA_MASK) !== 0) watchers.push(state.watcher);
      out.set(entry.path, watchers);
    }
    return out;
  }

  private addFlags(path: string, watcher: W, add: number): boolean {
    let state = this.states.get(watcher);
    if (state === undefined) {
      state = new WatcherState(watcher);
      this.states.set(watcher, state);
    }
    let entry = this.paths.get(path);
    if (entry === undefined) {
      entry = new PathEntry(path);
      this.paths.set(path, entry);
    }
    const flags = entry.watchers.get(state) ?? 0;
    const next = flags | add;
    if (next === flags) return false;
    entry.watchers.set(state, next);
    if (flags === 0) {
      if (state.entries.size > 2 * state.live + 8) this.compact(state);
      state.entries.add(entry);
    }
    this.account(state, entry, flags, next);
    return true;
  }

  /** Drops the stale entries of a watcher (amortised over the additions that created them). */
  private compact(state: WatcherState<W>): void {
    for (const entry of state.entries) {
      const flags = entry.watchers.get(state);
      if (flags === undefined || flags === 0) state.entries.delete(entry);
    }
  }

  /** Moves a (watcher, path) pair from `flags` to `next` (not for a removed watcher). */
  private setFlags(state: WatcherState<W>, entry: PathEntry<W>, flags: number, next: number): void {
    if (next === 0) {
      entry.watchers.delete(state);
      state.entries.delete(entry);
      if (entry.watchers.size === 0) this.paths.delete(entry.path);
    } else {
      entry.watchers.set(state, next);
    }
    this.account(state, entry, flags, next);
  }

  /** Keeps the counters in step with a flags change. */
  private account(state: WatcherState<W>, entry: PathEntry<W>, flags: number, next: number): void {
    if ((flags === 0) !== (next === 0)) state.live += next === 0 ? -1 : 1;
    const wasData = (flags & DATA_MASK) !== 0;
    const isData = (next & DATA_MASK) !== 0;
    if (wasData !== isData) {
      const d = isData ? 1 : -1;
      this.dataCount += d;
      state.dataPaths += d;
      entry.dataWatchers += d;
      if (entry.dataWatchers === (isData ? 1 : 0)) this.dataPathCount += d;
      if (isData && !state.listed) {
        state.listed = true;
        this.listedCount++;
      }
    }
    const wasChild = (flags & CHILD_MASK) !== 0;
    const isChild = (next & CHILD_MASK) !== 0;
    if (wasChild !== isChild) this.childCount += isChild ? 1 : -1;
    const wasRecursive = (flags & DATA_RECURSIVE) !== 0;
    const isRecursive = (next & DATA_RECURSIVE) !== 0;
    if (wasRecursive !== isRecursive) {
      const d = isRecursive ? 1 : -1;
      this.recursiveCount += d;
      entry.recursiveWatchers += d;
    }
  }
}

/** Flags a WatcherType addresses, for removeWatches (`removing`) or checkWatches. */
function flagsForType(type: WatcherType, removing: boolean): number {
  switch (type) {
    case WatcherType.Children:
      return CHILD_STANDARD;
    case WatcherType.Data:
      return DATA_STANDARD;
    case WatcherType.Persistent:
      // removal clears both tables; DataTree.containsWatcher only looks in the data table
      return removing ? DATA_PERSISTENT | CHILD_PERSISTENT : DATA_PERSISTENT;
    case WatcherType.PersistentRecursive:
      return DATA_RECURSIVE;
    case WatcherType.Any:
      return DATA_MASK | CHILD_MASK;
    default:
      throw new RangeError(`unknown watcher type: ${type as number}`);
  }
}
