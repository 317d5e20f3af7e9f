// A local copy of a subtree kept current by one persistent recursive watch (Curator's
// CuratorCache, kazoo's TreeCache). NodeCreated / NodeDataChanged re-read the node, NodeDeleted
// drops it and what is below. Results are applied in the order they arrive, which is the server's
// order, so a read never overwrites a later change. Persistent watches are not replayed after a
// reconnection (ZooKeeper re-arms them without the events missed meanwhile), so every
// reconnection re-reads the whole subtree and drops what was not seen again.

import { isZooKeeperError, type Stat, type Watcher, type WatchedEvent, type ZooKeeperClient } from '@zk/client';
import { Emitter } from './emitter.js';
import { asManaged, type ConnectionState, type ManagedClient, type RecipeClient } from './managed-client.js';
import { joinPath, parentOf } from './paths.js';
import { isSessionGone, retrying } from './retry.js';

export interface TreeNode {
  readonly path: string;
  readonly data: Buffer | null;
  /** The Stat from the last read of this node (its child counts may lag: children are not re-read for it). */
  readonly stat: Stat;
}

export type TreeCacheEvent =
  | { readonly type: 'added'; readonly node: TreeNode }
  | { readonly type: 'updated'; readonly node: TreeNode; readonly previous: TreeNode }
  | { readonly type: 'removed'; readonly node: TreeNode };

export interface TreeCacheEvents {
  change: (event: TreeCacheEvent) => void;
  /** The first full read is done (start() resolves at the same time). */
  initialized: () => void;
  error: (err: unknown) => void;
}

export interface TreeCacheOptions {
  /** Levels below the root to cache: 0 is the root alone, 1 its children... Default: all. */
  readonly maxDepth?: number;
}

interface Entry {
  node: TreeNode;
  /** The generation of the last full read (or event) that saw this node. */
  seen: number;
}

export class TreeCache {
  private readonly managed: ManagedClient;
  private readonly events = new Emitter<TreeCacheEvents>();
  private readonly nodes = new Map<string, Entry>();
  private readonly kids = new Map<string, Set<string>>();
  private readonly maxDepth: number;
  private readonly rootDepth: number;
  private generation = 0;
  private cacheState: 'LATENT' | 'STARTED' | 'CLOSED' = 'LATENT';
  /** The client our persistent watch is on. */
  private watched: ZooKeeperClient | undefined;
  private unsubscribe: (() => void) | undefined;
  private ready = false;
  private readonly readyWaiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private readonly watcher: Watcher = (event) => this.onEvent(event);

  constructor(
    client: RecipeClient,
    readonly root: string,
    options: TreeCacheOptions = {},
  ) {
    this.managed = asManaged(client);
    this.maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
    this.rootDepth = depthOf(root);
  }

  on<K extends keyof TreeCacheEvents>(event: K, listener: TreeCacheEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Starts watching; resolves once the subtree has been read in full. */
  start(): Promise<void> {
    if (this.cacheState !== 'LATENT') return Promise.reject(new Error(`TreeCache ${this.root} was already started`));
    this.cacheState = 'STARTED';
    this.unsubscribe = this.managed.onStateChange((state, zk) => this.onConnectionState(state, zk));
    const done = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    this.managed.connected().then(
      (zk) => this.attach(zk),
      (err: unknown) => this.settleReady(err),
    );
    return done;
  }

  /** Stops watching. The cached nodes stay readable. */
  async close(): Promise<void> {
    if (this.cacheState !== 'STARTED') return;
    this.cacheState = 'CLOSED';
    this.unsubscribe?.();
    this.settleReady(new Error(`TreeCache ${this.root} closed`));
    const zk = this.watched;
    this.watched = undefined;
    if (zk === undefined) return;
    await zk.removeWatches(this.root, this.watcher, 'Any', { local: true }).catch(() => undefined);
    // Removing one watcher only checks the server's watch (as in ZooKeeper), and a persistent
    // watch never fires its way out: once this client has no watch left on the root, remove the
    // server's too. (The client then reports NoWatcher, having none locally: ignored.)
    const left = zk.getWatches();
    if (![left.data, left.exist, left.child, left.persistent, left.persistentRecursive].some((paths) => paths.includes(this.root))) {
      await zk.removeAllWatches(this.root, 'Any', { local: true }).catch(() => undefined);
    }
  }

  get(path: string): TreeNode | undefined {
    return this.nodes.get(path)?.node;
  }

  /** Names of the cached children of `path` (unsorted). */
  children(path: string): string[] {
    return [...(this.kids.get(path) ?? [])];
  }

  /** Every cached node. */
  *entries(): IterableIterator<TreeNode> {
    for (const e of this.nodes.values()) yield e.node;
  }

  get size(): number {
    return this.nodes.size;
  }

  private onConnectionState(state: ConnectionState, zk: ZooKeeperClient): void {
    if (this.cacheState !== 'STARTED') return;
    if (state === 'CONNECTED' || state === 'RECONNECTED' || state === 'READ_ONLY') {
      if (zk !== this.watched) void this.attach(zk);
      else void this.resync(zk);
    } else if (state === 'CLOSED') {
      void this.close();
    }
  }

  /** Sets our watch on `zk` (a new session) and reads everything. */
  private async attach(zk: ZooKeeperClient): Promise<void> {
    if (this.cacheState !== 'STARTED' || this.watched === zk) return;
    this.watched = zk;
    try {
      await retrying(() => zk.addWatch(this.root, this.watcher, { mode: this.maxDepth === 0 ? 'PERSISTENT' : 'PERSISTENT_RECURSIVE' }));
    } catch (err) {
      if (!isSessionGone(err)) this.events.emit('error', err);
      return; // the next session attaches again
    }
    await this.resync(zk);
  }

  /** Reads the whole subtree, then drops what was not seen (deleted while we were away). */
  private async resync(zk: ZooKeeperClient): Promise<void> {
    const generation = ++this.generation;
    try {
      await this.walk(zk, this.root, generation);
    } catch (err) {
      // Connection or session trouble: the reconnection (or new session) reads again.
      if (!isZooKeeperError(err)) this.events.emit('error', err);
      return;
    }
    if (generation !== this.generation || zk !== this.watched || this.cacheState !== 'STARTED') return;
    for (const [path, entry] of [...this.nodes]) if (entry.seen < generation && this.nodes.has(path)) this.remove(path);
    if (!this.ready) {
      this.ready = true;
      this.events.emit('initialized');
      this.settleReady();
    }
  }

  private async walk(zk: ZooKeeperClient, path: string, generation: number): Promise<void> {
    let children: string[] = [];
    try {
      // Each result is applied in the continuation right after its reply, before the events that
      // follow it in the stream (see the client's README on ordering).
      const { data, stat } = await zk.getData(path);
      this.put(path, data, stat, generation);
      if (depthOf(path) - this.rootDepth >= this.maxDepth) return;
      children = (await zk.getChildren(path)).children;
    } catch (err) {
      if (!isZooKeeperError(err, 'NONODE')) throw err;
      this.remove(path);
      return;
    }
    await Promise.all(children.map((c) => this.walk(zk, joinPath(path, c), generation)));
  }

  private onEvent(event: WatchedEvent): void {
    const zk = this.watched;
    const path = event.path;
    if (this.cacheState !== 'STARTED' || zk === undefined || path === null || !this.inScope(path)) return;
    if (event.type === 'NodeDeleted') {
      this.remove(path);
    } else if (event.type === 'NodeCreated' || event.type === 'NodeDataChanged') {
      const generation = this.generation;
      zk.getData(path).then(
        ({ data, stat }) => {
          if (zk === this.watched) this.put(path, data, stat, generation);
        },
        (err: unknown) => {
          if (isZooKeeperError(err, 'NONODE')) {
            if (zk === this.watched) this.remove(path);
          } else if (!isZooKeeperError(err)) this.events.emit('error', err);
          // ConnectionLoss, expiry: the reconnection reads everything again.
        },
      );
    }
  }

  private inScope(path: string): boolean {
    if (path !== this.root && !path.startsWith(this.root === '/' ? '/' : `${this.root}/`)) return false;
    return depthOf(path) - this.rootDepth <= this.maxDepth;
  }

  private put(path: string, data: Buffer | null, stat: Stat, generation: number): void {
    if (this.cacheState === 'CLOSED') return;
    const previous = this.nodes.get(path);
    const node: TreeNode = { path, data, stat };
    if (previous === undefined) {
      this.nodes.set(path, { node, seen: generation });
      if (path !== this.root) {
        const parent = parentOf(path);
        let set = this.kids.get(parent);
        if (set === undefined) this.kids.set(parent, (set = new Set()));
        set.add(path.slice(path.lastIndexOf('/') + 1));
      }
      this.events.emit('change', { type: 'added', node });
      return;
    }
    previous.seen = Math.max(previous.seen, generation);
    if (previous.node.stat.mzxid === stat.mzxid && previous.node.stat.czxid === stat.czxid) return;
    const before = previous.node;
    previous.node = node;
    this.events.emit('change', { type: 'updated', node, previous: before });
  }

  /** Drops `path` and everything cached below it (deepest first). */
  private remove(path: string): void {
    const entry = this.nodes.get(path);
    if (entry === undefined) return;
    for (const child of this.children(path)) this.remove(joinPath(path, child));
    this.nodes.delete(path);
    this.kids.delete(path);
    this.kids.get(parentOf(path))?.delete(path.slice(path.lastIndexOf('/') + 1));
    this.events.emit('change', { type: 'removed', node: entry.node });
  }

  private settleReady(err?: unknown): void {
    for (const w of this.readyWaiters.splice(0)) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  }
}

function depthOf(path: string): number {
  return path === '/' ? 0 : path.split('/').length - 1;
}
