// Locks: Mutex (Curator's InterProcessSemaphoreMutex, kazoo's Lock), ReentrantMutex (Curator's
// InterProcessMutex) and ReadWriteLock (InterProcessReadWriteLock, kazoo's ReadLock/WriteLock).
// Node names follow Curator (`_c_<guid>-lock-N`, `__READ__`, `__WRIT__`) so the layouts match.

import { isZooKeeperError, type Data, type Op, type ZooKeeperClient } from '@zk/client';
import { LostError } from './errors.js';
import { exclusivePolicy, waitInLine, watchHold, type LinePolicy } from './line.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { joinPath, sortBySequence } from './paths.js';
import { unprotectedName } from './protected.js';
import { deleteQuietly, retrying } from './retry.js';
import { Deadline, type WaitOptions } from './wait.js';

export interface LockOptions {
  /** Stored in our lock node (who holds it, for operators); default none. */
  readonly data?: Data;
}

/** An inter-process lock. One instance per owner: share the path, not the object. */
export interface Lock {
  /** The lock's directory. */
  readonly path: string;
  readonly isAcquired: boolean;
  /** Our lock node while held. */
  readonly nodePath: string | undefined;
  /**
   * Aborts when the current hold ends: released, or lost (reason LostError) because the session
   * expired, the client was closed or the node was deleted. A disconnection alone is not a loss
   * (the session may live on); see fenceOp for writes that must not happen after one.
   */
  readonly signal: AbortSignal;
  /** Waits for the lock. On timeout or abort our node is removed and nothing is held. */
  acquire(options?: WaitOptions): Promise<void>;
  /** Gives the lock up (deletes our node, retrying through connection loss). */
  release(): Promise<void>;
  /** acquire, run `fn` with the hold's signal, release. */
  use<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: WaitOptions): Promise<T>;
  /**
   * A `check` op on our lock node: put it first in a `multi` and the multi applies only while we
   * still hold the lock (a fenced write, safe even after an unnoticed session expiry).
   */
  fenceOp(): Op;
  /** The contenders' node paths, holder first. */
  participantNodes(): Promise<string[]>;
}

interface Hold {
  readonly zk: ZooKeeperClient;
  readonly path: string;
  readonly controller: AbortController;
  readonly stopWatching: () => void;
  count: number;
}

export const LOCK_NAME = 'lock-';
const READ_NAME = '__READ__';
const WRITE_NAME = '__WRIT__';

const NOT_HELD = AbortSignal.abort(new Error('not held'));

class LineLock implements Lock {
  private readonly managed: ManagedClient;
  private hold: Hold | undefined;
  private acquiring = false;
  private lastSignal = NOT_HELD;

  constructor(
    client: RecipeClient,
    readonly path: string,
    private readonly policy: LinePolicy,
    private readonly reentrant: boolean,
    private readonly data: Data,
  ) {
    this.managed = asManaged(client);
  }

  get isAcquired(): boolean {
    return this.hold !== undefined && !this.hold.controller.signal.aborted;
  }

  get nodePath(): string | undefined {
    return this.hold?.path;
  }

  get signal(): AbortSignal {
    return this.lastSignal;
  }

  async acquire(options: WaitOptions = {}): Promise<void> {
    const hold = this.hold;
    if (hold !== undefined) {
      if (hold.controller.signal.aborted) throw hold.controller.signal.reason;
      if (!this.reentrant) throw new Error(`${this.path}: already held by this instance (ReentrantMutex allows re-entry)`);
      hold.count++;
      return;
    }
    if (this.acquiring) throw new Error(`${this.path}: this instance is already acquiring; use one instance per owner`);
    this.acquiring = true;
    const deadline = new Deadline(options, `acquiring ${this.path}`);
    try {
      const zk = await this.managed.connected({ signal: deadline.signal });
      const path = await waitInLine(zk, this.path, this.policy, this.data, deadline);
      const controller = new AbortController();
      const stopWatching = watchHold(zk, path, (reason) => controller.abort(reason));
      this.hold = { zk, path, controller, stopWatching, count: 1 };
      this.lastSignal = controller.signal;
    } finally {
      this.acquiring = false;
      deadline.dispose();
    }
  }

  async release(): Promise<void> {
    const hold = this.hold;
    if (hold === undefined) throw new Error(`${this.path}: not held by this instance`);
    if (--hold.count > 0) return;
    this.hold = undefined;
    hold.stopWatching();
    hold.controller.abort(new Error('released'));
    await deleteQuietly(hold.zk, hold.path);
  }

  async use<T>(fn: (signal: AbortSignal) => T | Promise<T>, options?: WaitOptions): Promise<T> {
    await this.acquire(options);
    try {
      return await fn(this.signal);
    } finally {
      await this.release();
    }
  }

  fenceOp(): Op {
    const hold = this.hold;
    if (hold === undefined) throw new LostError(`${this.path}: not held`, this.path);
    return { type: 'check', path: hold.path, version: -1 };
  }

  async participantNodes(): Promise<string[]> {
    const zk = await this.managed.connected();
    try {
      const { children } = await retrying(() => zk.getChildren(this.path));
      return sortBySequence(children.filter((c) => this.policy.member(c))).map((c) => joinPath(this.path, c));
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) return [];
      throw err;
    }
  }
}

/**
 * An exclusive lock; not re-entrant (a second acquire on a held instance throws). Contenders are
 * served in arrival order, each watching only its predecessor.
 */
export class Mutex extends LineLock {
  constructor(client: RecipeClient, path: string, options: LockOptions = {}) {
    super(client, path, exclusivePolicy(LOCK_NAME), false, options.data ?? null);
  }
}

/**
 * An exclusive lock that the holding instance may acquire again; it is released when release()
 * has been called as often as acquire(). (JavaScript has no threads: re-entry is per instance.)
 */
export class ReentrantMutex extends LineLock {
  constructor(client: RecipeClient, path: string, options: LockOptions = {}) {
    super(client, path, exclusivePolicy(LOCK_NAME), true, options.data ?? null);
  }
}

/** Readers go ahead unless a writer is before them; they wait for the nearest such writer. */
const readPolicy: LinePolicy = {
  name: READ_NAME,
  member: exclusivePolicy(READ_NAME, [READ_NAME, WRITE_NAME]).member,
  blocker(sorted, index) {
    for (let i = index - 1; i >= 0; i--) {
      const node = sorted[i]!;
      if (unprotectedName(node).startsWith(WRITE_NAME)) return node;
    }
    return undefined;
  },
};

/**
 * Many readers or one writer, in arrival order (a waiting writer holds back later readers, so
 * writers do not starve). Both sides are re-entrant per instance when `reentrant` is set.
 */
export class ReadWriteLock {
  readonly readLock: Lock;
  readonly writeLock: Lock;

  constructor(client: RecipeClient, readonly path: string, options: LockOptions & { readonly reentrant?: boolean } = {}) {
    const data = options.data ?? null;
    const reentrant = options.reentrant ?? false;
    this.readLock = new LineLock(client, path, readPolicy, reentrant, data);
    this.writeLock = new LineLock(client, path, exclusivePolicy(WRITE_NAME, [READ_NAME, WRITE_NAME]), reentrant, data);
  }
}
