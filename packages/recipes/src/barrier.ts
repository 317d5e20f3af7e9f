// Barriers. Barrier (Curator's DistributedBarrier, kazoo's Barrier): while the node exists,
// waiters wait. DoubleBarrier (DistributedDoubleBarrier, kazoo's DoubleBarrier, the ZooKeeper
// recipe): `memberQty` members enter together and leave together.

import { randomUUID } from 'node:crypto';
import { isZooKeeperError, type Data, type Watcher, type ZooKeeperClient } from '@zk/client';
import { LostError } from './errors.js';
import { changeOf, sessionEndError } from './line.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { ensurePath, joinPath, parentOf } from './paths.js';
import { deleteQuietly, isRetryable, retrying } from './retry.js';
import { Deadline, Wakeup, type WaitOptions } from './wait.js';

export class Barrier {
  private readonly managed: ManagedClient;

  constructor(
    client: RecipeClient,
    readonly path: string,
  ) {
    this.managed = asManaged(client);
  }

  /** Raises the barrier (creates its node, parents as containers). No-op if raised. */
  async set(): Promise<void> {
    const zk = await this.managed.connected();
    await ensurePath(zk, parentOf(this.path));
    try {
      await retrying(() => zk.create(this.path, null, { mode: 'PERSISTENT' }));
    } catch (err) {
      if (!isZooKeeperError(err, 'NODEEXISTS')) throw err;
    }
  }

  /** Lowers the barrier: every waiter goes on. No-op if not raised. */
  async remove(): Promise<void> {
    const zk = await this.managed.connected();
    try {
      await retrying(() => zk.delete(this.path));
    } catch (err) {
      if (!isZooKeeperError(err, 'NONODE')) throw err;
    }
  }

  /** Resolves once the barrier is not raised (at once if it is not). */
  async wait(options: WaitOptions = {}): Promise<void> {
    const deadline = new Deadline(options, `waiting on barrier ${this.path}`);
    try {
      const zk = await this.managed.connected({ signal: deadline.signal });
      const wakeup = new Wakeup();
      const watcher = wakeOnChange(wakeup, this.path);
      while ((await retrying(() => zk.exists(this.path, { watch: watcher }), deadline.signal)) !== null) {
        deadline.beforeWaiting();
        await wakeup.wait(deadline.signal);
      }
    } finally {
      deadline.dispose();
    }
  }
}

export interface DoubleBarrierOptions {
  /** This member's node name (unique among members). Default: a random UUID. */
  readonly id?: string;
  /** Stored in this member's node. */
  readonly data?: Data;
}

const READY = 'ready';

/**
 * `enter()` returns once `memberQty` members have entered; `leave()` once all of them have left.
 * Members are ephemeral nodes `<path>/<id>`; the last to arrive creates `<path>/ready`, which the
 * last to leave deletes, so the path can be used for another round.
 */
export class DoubleBarrier {
  private readonly managed: ManagedClient;
  readonly id: string;
  private readonly ready: string;
  private readonly own: string;
  private zk: ZooKeeperClient | undefined;

  constructor(
    client: RecipeClient,
    readonly path: string,
    readonly memberQty: number,
    private readonly options: DoubleBarrierOptions = {},
  ) {
    if (!Number.isInteger(memberQty) || memberQty < 1) throw new RangeError(`memberQty must be a positive integer, got ${memberQty}`);
    this.managed = asManaged(client);
    this.id = options.id ?? randomUUID();
    this.ready = joinPath(path, READY);
    this.own = joinPath(path, this.id);
  }

  /** Joins; resolves once `memberQty` members are in. On timeout or abort we leave again. */
  async enter(options: WaitOptions = {}): Promise<void> {
    if (this.zk !== undefined) throw new Error(`${this.own}: already entered`);
    const deadline = new Deadline(options, `entering double barrier ${this.path}`);
    const zk = await this.managed.connected({ signal: deadline.signal });
    const wakeup = new Wakeup();
    const watcher = wakeOnChange(wakeup, this.ready);
    try {
      // Watch `ready` before joining, so that its creation is seen however fast it comes.
      let ready = (await retrying(() => zk.exists(this.ready, { watch: watcher }), deadline.signal)) !== null;
      await this.join(zk);
      this.zk = zk;
      while (!ready) {
        const members = await this.members(zk, deadline.signal);
        if (!members.includes(this.id)) throw new LostError(`${this.own} disappeared while entering`, this.own);
        if (members.length >= this.memberQty) {
          await retrying(() => zk.create(this.ready, null, { mode: 'PERSISTENT' })).catch((err: unknown) => {
            if (!isZooKeeperError(err, 'NODEEXISTS')) throw err;
          });
          break;
        }
        deadline.beforeWaiting();
        await wakeup.wait(deadline.signal);
        ready = (await retrying(() => zk.exists(this.ready, { watch: watcher }), deadline.signal)) !== null;
      }
    } catch (err) {
      this.zk = undefined;
      void deleteQuietly(zk, this.own);
      throw err;
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Leaves; resolves once every member has left. The ZooKeeper recipe: the lowest member waits
   * for the highest to go; every other member deletes its node and waits for the lowest to go.
   */
  async leave(options: WaitOptions = {}): Promise<void> {
    const zk = this.zk;
    if (zk === undefined) throw new Error(`${this.own}: not entered`);
    const deadline = new Deadline(options, `leaving double barrier ${this.path}`);
    let ownExists = true;
    try {
      for (;;) {
        const members = (await this.members(zk, deadline.signal)).sort();
        if (members.length === 0) break;
        const index = members.indexOf(this.id);
        if (index < 0 && ownExists) throw new LostError(`${this.own} disappeared before leaving`, this.own);
        if (members.length === 1 && index === 0) {
          await deleteQuietly(zk, this.own);
          break;
        }
        let watched: string;
        if (index === 0) {
          watched = members[members.length - 1]!;
        } else {
          if (ownExists) await deleteQuietly(zk, this.own);
          ownExists = false;
          watched = members[0]!;
        }
        deadline.beforeWaiting();
        await changeOf(zk, joinPath(this.path, watched), deadline.signal);
      }
      this.zk = undefined;
      await retrying(() => zk.delete(this.ready)).catch(() => undefined); // whoever is last
    } finally {
      deadline.dispose();
    }
  }

  /** Creates our member node; after a connection loss an existing one is ours if this session owns it. */
  private async join(zk: ZooKeeperClient): Promise<void> {
    for (;;) {
      try {
        await zk.create(this.own, this.options.data ?? null, { mode: 'EPHEMERAL' });
        return;
      } catch (err) {
        if (isZooKeeperError(err, 'NONODE')) {
          await ensurePath(zk, this.path);
          continue;
        }
        if (isZooKeeperError(err, 'NODEEXISTS')) {
          const stat = await retrying(() => zk.exists(this.own));
          if (stat?.ephemeralOwner === zk.sessionId) return;
          if (stat !== null) throw new Error(`${this.own}: another member uses the id ${this.id}`);
          continue;
        }
        if (!isRetryable(err)) throw err;
      }
    }
  }

  private async members(zk: ZooKeeperClient, signal: AbortSignal | undefined): Promise<string[]> {
    try {
      return (await retrying(() => zk.getChildren(this.path), signal)).children.filter((c) => c !== READY);
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) return [];
      throw err;
    }
  }
}

/** A watcher that wakes `wakeup` on any change of the node and fails it when the session ends. */
function wakeOnChange(wakeup: Wakeup, path: string): Watcher {
  return (event) => {
    if (event.type !== 'None') return wakeup.wake();
    const ended = sessionEndError(event, path);
    if (ended !== undefined) wakeup.fail(ended);
  };
}
