// Public value types of the client API.

import type { ACL, Stat } from '@zk/protocol';

export type { ACL, Id, Stat, ClientInfo } from '@zk/protocol';

/** Watch event types (Watcher.Event.EventType). */
export type EventTypeName =
  | 'None'
  | 'NodeCreated'
  | 'NodeDeleted'
  | 'NodeDataChanged'
  | 'NodeChildrenChanged'
  | 'DataWatchRemoved'
  | 'ChildWatchRemoved'
  | 'PersistentWatchRemoved';

/** Session states carried by events (Watcher.Event.KeeperState). */
export type KeeperStateName =
  | 'Unknown'
  | 'Disconnected'
  | 'SyncConnected'
  | 'AuthFailed'
  | 'ConnectedReadOnly'
  | 'SaslAuthenticated'
  | 'Expired'
  | 'Closed';

/**
 * What a watcher receives (Java's WatchedEvent). `path` is the client path (chroot removed), or
 * null for session-state events (`type: 'None'`).
 */
export interface WatchedEvent {
  readonly type: EventTypeName;
  readonly state: KeeperStateName;
  readonly path: string | null;
}

/** A watch callback. Called on the client's single event queue, in the order the server sent events. */
export type Watcher = (event: WatchedEvent) => void;

/** The client's connection state (ZooKeeper.States). */
export type ClientState = 'CONNECTING' | 'CONNECTED' | 'CONNECTEDREADONLY' | 'CLOSED' | 'AUTH_FAILED';

/** Node kinds for `create` (CreateMode). */
export type CreateModeName =
  | 'PERSISTENT'
  | 'EPHEMERAL'
  | 'PERSISTENT_SEQUENTIAL'
  | 'EPHEMERAL_SEQUENTIAL'
  | 'CONTAINER'
  | 'PERSISTENT_WITH_TTL'
  | 'PERSISTENT_SEQUENTIAL_WITH_TTL';

/** Persistent watch modes for `addWatch` (AddWatchMode). */
export type AddWatchModeName = 'PERSISTENT' | 'PERSISTENT_RECURSIVE';

/** Which watches `removeWatches` / `removeAllWatches` address (Watcher.WatcherType in 3.8). */
export type WatcherTypeName = 'Children' | 'Data' | 'Any';

/** Znode data accepted by create / setData: bytes, a string (UTF-8), or null (no data). */
export type Data = Uint8Array | string | null;

/** Options every call takes. */
export interface CallOptions {
  /** Aborting rejects the call with `signal.reason`; if it was already sent the server may still apply it. */
  readonly signal?: AbortSignal;
  /** Rejects with RequestTimeoutError when no reply came within this many ms (overrides `requestTimeoutMs`). */
  readonly timeoutMs?: number;
}

/** Options of calls that can leave a watch. */
export interface WatchOptions extends CallOptions {
  /** A watcher to register, or `true` for the client's default watcher (option `watcher`). */
  readonly watch?: Watcher | boolean;
}

export interface CreateOptions extends CallOptions {
  /** Default 'PERSISTENT'. Numeric CreateMode flags are accepted too. */
  readonly mode?: CreateModeName | number;
  /** Default OPEN_ACL_UNSAFE (world:anyone:cdrwa). */
  readonly acl?: readonly ACL[];
  /** Milliseconds, for the *_WITH_TTL modes (the server needs extendedTypesEnabled). */
  readonly ttl?: number;
}

export interface VersionOptions extends CallOptions {
  /** Expected version; -1 (the default) matches any. */
  readonly version?: number;
}

export interface CreateResult {
  /** The created path (with the sequence suffix for sequential modes). */
  readonly path: string;
  readonly stat: Stat;
}

export interface DataResult {
  /** The node's data; null when it was created or set with null data. */
  readonly data: Buffer | null;
  readonly stat: Stat;
}

export interface ChildrenResult {
  readonly children: string[];
  readonly stat: Stat;
}

export interface ACLResult {
  readonly acl: ACL[];
  readonly stat: Stat;
}
