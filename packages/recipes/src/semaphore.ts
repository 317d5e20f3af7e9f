// A counting semaphore with leases (Curator's InterProcessSemaphoreV2, kazoo's Semaphore): at
// most `maxLeases` leases exist at once. Layout as Curator's: `<path>/locks` is a lock taken
// while acquiring, so only its holder watches `<path>/leases` (no herd); `<path>/leases` holds
// one ephemeral sequential node per lease.

import type { Data, Op, Watcher, ZooKeeperClient } from '@zk/client';
import { LostError } from './errors.js';
import { LOCK_NAME } from './lock.js';
import { exclusivePolicy, sessionEndError, waitInLine, watchHold } from './line.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { joinPath, nameOf } from './paths.js';
import { createProtected, newGuid, undoCreate } from './protected.js';
import { deleteQuietly, retrying } from './retry.js';
import { Deadline, Wakeup, raceAbort, type WaitOptions } from './wait.js';

/** One lease of a Semaphore. */
export interface Lease {
  /** The lease's node. */
  readonly nodePath: string;
  /** Aborts when the lease ends: released, or lost (LostError) with its session or node. */
  readonly signal: AbortSignal;
  /** Returns the lease (deletes its node, retrying through connection loss). Idempotent. */
  release(): Promise<void>;
  /** A `check` op on the lease node, to fence writes in a `multi` (see Lock.fenceOp). */
  fenceOp(): Op;
}

export interface SemaphoreOptions {
  /** Stored in each lease node; default none. */
  readonly data?: Data;
}

export class Semaphore {
  private readonly managed: ManagedClient;
  private readonly locks: string;
  private readonly leases: string;

  constructor(
    client: RecipeClient,
    readonly path: string,
    readonly maxLeases: number,
    private readonly options: SemaphoreOptions = {},
  ) {
    if (!Number.isInteger(maxLeases) || maxLeases < 1) throw new RangeError(`maxLeases must be a positive integer, got ${maxLeases}`);
    this.managed = asManaged(client);
    this.locks = joinPath(path, 'locks');
    this.leases = joinPath(path, 'leases');
  }

  /** Waits for one lease. */
  async acquire(options: WaitOptions = {}): Promise<Lease> {
    const [lease] = await this.acquireMany(1, options);
    return lease!;
  }

  /** Waits for `count` leases (all or none: on failure those already taken are returned). */
  async acquireMany(count: number, options: WaitOptions = {}): Promise<Lease[]> {
    if (!Number.isInteger(count) || count < 1 || count > this.maxLeases) throw new RangeError(`cannot acquire ${count} of ${this.maxLeases} leases`);
    const deadline = new Deadline(options, `acquiring ${count} lease(s) of ${this.path}`);
    const got: Lease[] = [];
    try {
      const zk = await this.managed.connected({ signal: deadline.signal });
      for (let i = 0; i < count; i++) got.push(await this.acquireOne(zk, deadline));
      return got;
    } catch (err) {
      await Promise.all(got.map((l) => l.release()));
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /** The lease nodes that exist now. */
  async leaseNodes(): Promise<string[]> {
    const zk = await this.managed.connected();
    try {
      return (await retrying(() => zk.getChildren(this.leases))).children.map((c) => joinPath(this.leases, c));
    } catch {
      return [];
    }
  }

  private async acquireOne(zk: ZooKeeperClient, deadline: Deadline): Promise<Lease> {
    const lock = await waitInLine(zk, this.locks, exclusivePolicy(LOCK_NAME), null, deadline);
    try {
      const creating = createProtected(zk, this.leases, 'lease-', this.options.data ?? null, 'EPHEMERAL_SEQUENTIAL', newGuid());
      let own: string;
      try {
        own = await raceAbort(creating, deadline.signal);
      } catch (err) {
        undoCreate(zk, creating);
        throw err;
      }
      try {
        await this.waitForRoom(zk, own, deadline);
      } catch (err) {
        void deleteQuietly(zk, own);
        throw err;
      }
      return lease(zk, own);
    } finally {
      await deleteQuietly(zk, lock);
    }
  }

  /** With the lock held, waits until our lease node is among at most maxLeases. */
  private async waitForRoom(zk: ZooKeeperClient, own: string, deadline: Deadline): Promise<void> {
    const wakeup = new Wakeup();
    const watcher: Watcher = (event) => {
      if (event.type !== 'None') return wakeup.wake();
      const ended = sessionEndError(event, this.leases);
      if (ended !== undefined) wakeup.fail(ended);
    };
    for (;;) {
      const { children } = await retrying(() => zk.getChildren(this.leases, { watch: watcher }), deadline.signal);
      if (!children.includes(nameOf(own))) throw new LostError(`${own} disappeared while waiting (deleted, or its session ended)`, own);
      if (children.length <= this.maxLeases) return;
      deadline.beforeWaiting();
      await wakeup.wait(deadline.signal);
    }
  }
}

function lease(zk: ZooKeeperClient, nodePath: string): Lease {
  const controller = new AbortController();
  const stopWatching = watchHold(zk, nodePath, (reason) => controller.abort(reason));
  let released: Promise<void> | undefined;
  return {
    nodePath,
    signal: controller.signal,
    release() {
      if (released === undefined) {
        stopWatching();
        controller.abort(new Error('released'));
        released = deleteQuietly(zk, nodePath);
      }
      return released;
    },
    fenceOp: () => ({ type: 'check', path: nodePath, version: -1 }),
  };
}
