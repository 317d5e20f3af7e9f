// An ephemeral node kept in place while we run (Curator's PersistentNode in its ephemeral
// modes): created again when it is deleted behind our back and, on a managed client, for each
// new session after an expiry. GroupMember and ServiceRegistry registrations stand on it.

import { isZooKeeperError, type Data, type ZooKeeperClient } from '@zk/client';
import { Emitter } from './emitter.js';
import { changeOf, watchHold } from './line.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { ensurePath, nameOf, parentOf } from './paths.js';
import { createProtected, newGuid } from './protected.js';
import { deleteQuietly, isRetryable, isSessionGone, retrying } from './retry.js';

export interface EphemeralNodeEvents {
  /** (Re)created, at `path` (a sequential node gets a new name each time). */
  created: (path: string) => void;
  error: (err: unknown) => void;
}

export class EphemeralNode {
  private readonly managed: ManagedClient;
  private readonly events = new Emitter<EphemeralNodeEvents>();
  private readonly closing = new AbortController();
  private own: { readonly zk: ZooKeeperClient; readonly path: string; readonly stop: () => void } | undefined;
  private creating: Promise<unknown> | undefined;
  private unsubscribe: (() => void) | undefined;

  /**
   * `path` is the node's path; when `sequential`, the name part is a prefix: the node is created
   * protected and ephemeral sequential under its parent.
   */
  constructor(
    client: RecipeClient,
    readonly path: string,
    private data: Data,
    private readonly sequential = false,
  ) {
    this.managed = asManaged(client);
  }

  /** The node's actual path while it exists. */
  get nodePath(): string | undefined {
    return this.own?.path;
  }

  on<K extends keyof EphemeralNodeEvents>(event: K, listener: EphemeralNodeEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Creates the node; resolves once it exists (rejects if it cannot be made). */
  async start(): Promise<void> {
    if (this.unsubscribe !== undefined) throw new Error(`${this.path} was already started`);
    this.unsubscribe = this.managed.onStateChange((state, zk) => {
      if (state === 'CLOSED') void this.close();
      else if ((state === 'CONNECTED' || state === 'RECONNECTED') && this.own !== undefined && this.own.zk !== zk) {
        this.own = undefined; // the old session's node went with it
        this.recreate();
      }
    });
    const failure = await this.ensure();
    if (failure !== undefined) {
      await this.close();
      throw failure;
    }
  }

  /** Changes the node's data (kept for re-creations too). */
  async setData(data: Data): Promise<void> {
    this.data = data;
    const own = this.own;
    if (own !== undefined) await retrying(() => own.zk.setData(own.path, data));
  }

  /** Deletes the node and stops re-creating it. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort(new Error(`${this.path} closed`));
    this.unsubscribe?.();
    await this.creating;
    const own = this.own;
    this.own = undefined;
    if (own !== undefined) {
      own.stop();
      await deleteQuietly(own.zk, own.path);
    }
  }

  /** Creates the node unless it exists or is being created; resolves with the failure, if any. */
  private ensure(): Promise<unknown> {
    this.creating ??= this.create().finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  /** ensure() in the background: a failure goes to the 'error' listeners. */
  private recreate(): void {
    void this.ensure().then((failure) => {
      if (failure !== undefined) this.events.emit('error', failure);
    });
  }

  private async create(): Promise<unknown> {
    while (!this.closing.signal.aborted && this.own === undefined) {
      let zk: ZooKeeperClient;
      try {
        zk = await this.managed.connected({ signal: this.closing.signal });
      } catch (err) {
        return this.closing.signal.aborted ? undefined : err; // closed, or lost for good
      }
      try {
        const path = this.sequential
          ? await createProtected(zk, parentOf(this.path), nameOf(this.path), this.data, 'EPHEMERAL_SEQUENTIAL', newGuid())
          : await this.createAt(zk);
        if (this.closing.signal.aborted) {
          await deleteQuietly(zk, path);
          return undefined;
        }
        const stop = watchHold(zk, path, () => this.onLost(zk));
        this.own = { zk, path, stop };
        this.events.emit('created', path);
      } catch (err) {
        if (this.closing.signal.aborted || isSessionGone(err)) continue; // a new session tries again
        return err;
      }
    }
    return undefined;
  }

  /** Deleted, or its session ended: make it again (on the next session if need be). */
  private onLost(zk: ZooKeeperClient): void {
    if (this.closing.signal.aborted || this.own?.zk !== zk) return;
    this.own = undefined;
    this.recreate();
  }

  /**
   * Creates the fixed-name node. If it exists and is ours (a create cut off by a connection
   * loss) that is it; if another session holds it (maybe our own previous one, not yet expired),
   * we wait for it to go.
   */
  private async createAt(zk: ZooKeeperClient): Promise<string> {
    for (;;) {
      try {
        return (await zk.create(this.path, this.data, { mode: 'EPHEMERAL' })).path;
      } catch (err) {
        if (isZooKeeperError(err, 'NONODE')) {
          await ensurePath(zk, parentOf(this.path));
          continue;
        }
        if (isZooKeeperError(err, 'NODEEXISTS')) {
          const stat = await retrying(() => zk.exists(this.path));
          if (stat?.ephemeralOwner === zk.sessionId) return this.path;
          if (stat !== null) await changeOf(zk, this.path, this.closing.signal);
          continue;
        }
        if (!isRetryable(err)) throw err;
      }
    }
  }
}
