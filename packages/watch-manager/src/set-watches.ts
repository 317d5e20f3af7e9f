import { AddWatchMode, EventType, KeeperState, type WatcherEvent } from '@zk/protocol';
import type { WatchManager } from './watch-manager.js';

/** The two zxids of a node that setWatches compares with the client's relativeZxid. */
export interface WatchedNodeZxids {
  readonly mzxid: bigint;
  readonly pzxid: bigint;
}

/** The watch lists of a SetWatches (opcode 101) or SetWatches2 (opcode 105) request. */
export interface SetWatchesLists {
  readonly dataWatches: readonly string[];
  readonly existWatches: readonly string[];
  readonly childWatches: readonly string[];
  readonly persistentWatches?: readonly string[];
  readonly persistentRecursiveWatches?: readonly string[];
}

/**
 * Re-registers a reconnecting client's watches (DataTree.setWatches). A watch whose node changed
 * after `relativeZxid` (the last zxid the client saw) is not re-registered: the event it missed is
 * returned instead, to be sent right away, in ZooKeeper's order (data, exist, child lists):
 * - data watch: node gone -> NodeDeleted; mzxid > relativeZxid -> NodeDataChanged; else re-armed;
 * - exist watch: node present -> NodeCreated; else re-armed;
 * - child watch: node gone -> NodeDeleted; pzxid > relativeZxid -> NodeChildrenChanged; else re-armed;
 * - persistent and persistent-recursive watches are re-armed without any event.
 * `nodeZxids` reads the server's tree (undefined / null for a missing node).
 */
export function setWatches<W>(
  manager: WatchManager<W>,
  watcher: W,
  relativeZxid: bigint,
  lists: SetWatchesLists,
  nodeZxids: (path: string) => WatchedNodeZxids | undefined | null,
): WatcherEvent[] {
  const events: WatcherEvent[] = [];
  for (const path of lists.dataWatches) {
    const node = nodeZxids(path);
    if (node == null) events.push(missed(EventType.NodeDeleted, path));
    else if (node.mzxid > relativeZxid) events.push(missed(EventType.NodeDataChanged, path));
    else manager.addDataWatch(path, watcher);
  }
  for (const path of lists.existWatches) {
    if (nodeZxids(path) != null) events.push(missed(EventType.NodeCreated, path));
    else manager.addDataWatch(path, watcher);
  }
  for (const path of lists.childWatches) {
    const node = nodeZxids(path);
    if (node == null) events.push(missed(EventType.NodeDeleted, path));
    else if (node.pzxid > relativeZxid) events.push(missed(EventType.NodeChildrenChanged, path));
    else manager.addChildWatch(path, watcher);
  }
  if (lists.persistentWatches) {
    for (const path of lists.persistentWatches) manager.addWatch(path, watcher, AddWatchMode.PERSISTENT);
  }
  if (lists.persistentRecursiveWatches) {
    for (const path of lists.persistentRecursiveWatches) {
      manager.addWatch(path, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    }
  }
  return events;
}

function missed(type: number, path: string): WatcherEvent {
  return { type, state: KeeperState.SyncConnected, path };
}
