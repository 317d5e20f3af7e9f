// A FIFO work queue with locking consume (kazoo's LockingQueue; Curator's DistributedQueue with a
// lock path). Items are persistent sequential nodes `<path>/items/_c_<guid>-item-N` (protected,
// so a put cut off by a connection loss is neither lost nor doubled). A consumer takes an item by
// creating the ephemeral `<path>/taken/<item>`: the item stays until `complete()` deletes both
// atomically; if the consumer's session ends first, the lock goes and the item is handed out
// again (at-least-once delivery).

import { isZooKeeperError, type Data, type Watcher, type ZooKeeperClient } from '@zk/client';
import { LostError } from './errors.js';
import { sessionEndError, watchHold } from './line.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { ensurePath, joinPath, sortBySequence } from './paths.js';
import { createProtected, newGuid } from './protected.js';
import { deleteQuietly, isRetryable, retrying } from './retry.js';
import { Deadline, Wakeup, type WaitOptions } from './wait.js';

/** An item taken from a Queue: complete it, or release it for someone else. */
export interface QueueItem {
  readonly data: Buffer | null;
  /** The item's node name (its place in the queue). */
  readonly id: string;
  /** Aborts if we lose the item (session ended, lock deleted) before completing or releasing it. */
  readonly signal: AbortSignal;
  /** Removes the item from the queue for good. Rejects with LostError if the item was lost. */
  complete(): Promise<void>;
  /** Puts the item back (unlocks it). */
  release(): Promise<void>;
}

export class Queue {
  private readonly managed: ManagedClient;
  private readonly items: string;
  private readonly taken: string;

  constructor(
    client: RecipeClient,
    readonly path: string,
  ) {
    this.managed = asManaged(client);
    this.items = joinPath(path, 'items');
    this.taken = joinPath(path, 'taken');
  }

  /** Appends an item; resolves with its id once it is in the queue exactly once. */
  async put(data: Data, options: { signal?: AbortSignal } = {}): Promise<string> {
    const zk = await this.managed.connected(options);
    const path = await createProtected(zk, this.items, 'item-', data, 'PERSISTENT_SEQUENTIAL', newGuid(), 'PERSISTENT');
    return path.slice(this.items.length + 1);
  }

  /** Items not yet completed (taken ones included). */
  async size(): Promise<number> {
    const zk = await this.managed.connected();
    return (await this.children(zk, this.items)).length;
  }

  /** Takes the oldest item nobody holds, waiting for one if there is none. */
  async take(options: WaitOptions = {}): Promise<QueueItem> {
    const deadline = new Deadline(options, `taking from queue ${this.path}`);
    try {
      const zk = await this.managed.connected({ signal: deadline.signal });
      await ensurePath(zk, this.taken, 'PERSISTENT', deadline.signal);
      const wakeup = new Wakeup();
      // One watcher for both directories: a new item, or a lock released, may free an item.
      const watcher: Watcher = (event) => {
        if (event.type !== 'None') return wakeup.wake();
        const ended = sessionEndError(event, this.path);
        if (ended !== undefined) wakeup.fail(ended);
      };
      for (;;) {
        const items = await this.children(zk, this.items, watcher, deadline.signal);
        const taken = new Set(await this.children(zk, this.taken, watcher, deadline.signal));
        for (const id of sortBySequence(items)) {
          if (taken.has(id)) continue;
          const item = await this.tryTake(zk, id);
          if (item !== undefined) return item;
        }
        deadline.beforeWaiting();
        await wakeup.wait(deadline.signal);
      }
    } finally {
      deadline.dispose();
    }
  }

  /** Locks item `id` and reads it; undefined if someone else has it or it is gone. */
  private async tryTake(zk: ZooKeeperClient, id: string): Promise<QueueItem | undefined> {
    const lock = joinPath(this.taken, id);
    if (!(await this.lock(zk, lock))) return undefined;
    try {
      const { data } = await retrying(() => zk.getData(joinPath(this.items, id)));
      return this.item(zk, id, lock, data);
    } catch (err) {
      await deleteQuietly(zk, lock);
      if (isZooKeeperError(err, 'NONODE')) return undefined; // completed between our listing and our lock
      throw err;
    }
  }

  /** Creates the ephemeral lock node; after a connection loss, an existing one is ours if this session owns it. */
  private async lock(zk: ZooKeeperClient, lock: string): Promise<boolean> {
    for (;;) {
      try {
        await zk.create(lock, null, { mode: 'EPHEMERAL' });
        return true;
      } catch (err) {
        if (isZooKeeperError(err, 'NODEEXISTS')) {
          const stat = await retrying(() => zk.exists(lock));
          if (stat === null) continue;
          return stat.ephemeralOwner === zk.sessionId;
        }
        if (!isRetryable(err)) throw err;
      }
    }
  }

  private item(zk: ZooKeeperClient, id: string, lock: string, data: Buffer | null): QueueItem {
    const controller = new AbortController();
    const stopWatching = watchHold(zk, lock, (reason) => controller.abort(reason));
    let settled: Promise<void> | undefined;
    const finish = (work: () => Promise<void>, whenLost: () => Promise<void>): Promise<void> => {
      if (settled !== undefined) return settled;
      stopWatching();
      if (controller.signal.aborted) return (settled = whenLost());
      controller.abort(new Error('item settled'));
      return (settled = work());
    };
    return {
      data,
      id,
      signal: controller.signal,
      complete: () => finish(() => this.complete(zk, id, lock), () => Promise.reject(controller.signal.reason)),
      release: () => finish(() => deleteQuietly(zk, lock), () => Promise.resolve()),
    };
  }

  /** Deletes the item and our lock in one transaction; sure of the outcome through connection loss. */
  private async complete(zk: ZooKeeperClient, id: string, lock: string): Promise<void> {
    const item = joinPath(this.items, id);
    for (;;) {
      try {
        await zk.multi([
          { type: 'delete', path: lock },
          { type: 'delete', path: item },
        ]);
        return;
      } catch (err) {
        if (isRetryable(err)) {
          // Applied, unless our lock is still there (only we delete it while our session lives).
          const held = await retrying(() => zk.exists(lock));
          if (held === null || held.ephemeralOwner !== zk.sessionId) {
            if ((await retrying(() => zk.exists(item))) === null) return;
            throw new LostError(`${item}: lost before completion`, item, { cause: err });
          }
          continue;
        }
        if (isZooKeeperError(err, 'NONODE')) throw new LostError(`${item}: lost before completion (our lock is gone)`, item, { cause: err });
        throw err;
      }
    }
  }

  private async children(zk: ZooKeeperClient, dir: string, watch?: Watcher, signal?: AbortSignal): Promise<string[]> {
    try {
      return (await retrying(() => zk.getChildren(dir, { watch }), signal)).children;
    } catch (err) {
      if (!isZooKeeperError(err, 'NONODE')) throw err;
      // Nothing put yet: watch for the directory to appear instead.
      if (watch !== undefined && (await retrying(() => zk.exists(dir, { watch }), signal)) !== null) return this.children(zk, dir, watch, signal);
      return [];
    }
  }
}
