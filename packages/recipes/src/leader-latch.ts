// Leader election as Curator's LeaderLatch (kazoo's Election is the LeaderSelector shape): every
// candidate holds an ephemeral sequential node under the latch path; the smallest leads, each
// other watches only its predecessor. Leadership is dropped as soon as the connection is
// suspended (the session may be expiring and a successor taking over), and checked again on
// reconnection; after an expiry a managed client's new session joins the line again.

import { isZooKeeperError, type ZooKeeperClient } from '@zk/client';
import { Emitter } from './emitter.js';
import { RecipeTimeoutError } from './errors.js';
import { changeOf } from './line.js';
import { asManaged, type ConnectionState, type ManagedClient, type RecipeClient } from './managed-client.js';
import { joinPath, nameOf, sortBySequence } from './paths.js';
import { createProtected, newGuid, unprotectedName } from './protected.js';
import { deleteQuietly, isSessionGone, retrying } from './retry.js';
import type { WaitOptions } from './wait.js';

export interface LeaderLatchOptions {
  /** This candidate's id, stored in its node (getParticipants reports it). Default ''. */
  readonly id?: string;
}

export interface LeaderLatchEvents {
  isLeader: () => void;
  notLeader: () => void;
  /** A failure the latch cannot recover from by itself (not a connection or session problem). */
  error: (err: unknown) => void;
}

export interface Participant {
  readonly id: string;
  readonly nodePath: string;
  readonly isLeader: boolean;
}

export type LatchState = 'LATENT' | 'STARTED' | 'CLOSED';

const LATCH_NAME = 'latch-';

export class LeaderLatch {
  private readonly managed: ManagedClient;
  private readonly events = new Emitter<LeaderLatchEvents>();
  private readonly id: string;
  private latchState: LatchState = 'LATENT';
  private leader = false;
  /** Our node, and the client (session) it belongs to. */
  private own: { readonly zk: ZooKeeperClient; readonly path: string } | undefined;
  private joining: Promise<void> | undefined;
  /** Aborted whenever the current leadership check is outdated (suspension, reconnection, close). */
  private checks = new AbortController();
  private readonly closed = new AbortController();
  private unsubscribe: (() => void) | undefined;

  constructor(
    client: RecipeClient,
    readonly path: string,
    options: LeaderLatchOptions = {},
  ) {
    this.managed = asManaged(client);
    this.id = options.id ?? '';
  }

  get state(): LatchState {
    return this.latchState;
  }

  get hasLeadership(): boolean {
    return this.leader;
  }

  /** Our node while we stand in line. */
  get nodePath(): string | undefined {
    return this.own?.path;
  }

  on<K extends keyof LeaderLatchEvents>(event: K, listener: LeaderLatchEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Joins the election; resolves once our node exists and leadership was checked once. */
  async start(): Promise<void> {
    if (this.latchState !== 'LATENT') throw new Error(`LeaderLatch ${this.path} was already started`);
    this.latchState = 'STARTED';
    this.unsubscribe = this.managed.onStateChange((state, zk) => this.onConnectionState(state, zk));
    await this.join();
  }

  /** Resolves once we lead; rejects on timeout, abort, or when the latch is closed. */
  awaitLeadership(options: WaitOptions = {}): Promise<void> {
    if (this.leader) return Promise.resolve();
    if (this.latchState === 'CLOSED') return Promise.reject(new Error(`LeaderLatch ${this.path} is closed`));
    return new Promise((resolve, reject) => {
      const finish = (err?: unknown): void => {
        offLeader();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.closed.signal.removeEventListener('abort', onClosed);
        if (err === undefined) resolve();
        else reject(err);
      };
      const offLeader = this.events.on('isLeader', () => finish());
      const onClosed = (): void => finish(new Error(`LeaderLatch ${this.path} is closed`));
      this.closed.signal.addEventListener('abort', onClosed, { once: true });
      const onAbort = (): void => finish(options.signal?.reason);
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(new RecipeTimeoutError(`no leadership of ${this.path} within ${options.timeoutMs} ms`)), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
    });
  }

  /** Leaves the election: leadership (if held) ends, our node is deleted. */
  async close(): Promise<void> {
    if (this.latchState !== 'STARTED') return;
    this.latchState = 'CLOSED';
    this.checks.abort();
    this.unsubscribe?.();
    this.setLeader(false);
    this.closed.abort();
    await this.joining;
    const own = this.own;
    this.own = undefined;
    if (own !== undefined) await deleteQuietly(own.zk, own.path);
  }

  /** Every candidate in line order; the first leads. */
  async getParticipants(): Promise<Participant[]> {
    return participants(await this.managed.connected(), this.path, LATCH_NAME);
  }

  private onConnectionState(state: ConnectionState, zk: ZooKeeperClient): void {
    if (this.latchState !== 'STARTED') return;
    this.checks.abort();
    this.checks = new AbortController();
    switch (state) {
      case 'CONNECTED':
      case 'RECONNECTED':
        if (this.own !== undefined && this.own.zk === zk) void this.check(this.own, this.checks.signal);
        else {
          this.own = undefined;
          void this.join();
        }
        return;
      case 'LOST':
        this.own = undefined;
        this.setLeader(false);
        return;
      default:
        // SUSPENDED, READ_ONLY, CLOSED: we cannot know that our node is still first.
        this.setLeader(false);
    }
  }

  /** Creates our node (once at a time) and runs the first check. */
  private join(): Promise<void> {
    this.joining ??= this.createNode().finally(() => {
      this.joining = undefined;
    });
    return this.joining;
  }

  private async createNode(): Promise<void> {
    let zk: ZooKeeperClient | undefined;
    try {
      zk = await this.managed.connected();
      const path = await createProtected(zk, this.path, LATCH_NAME, this.id, 'EPHEMERAL_SEQUENTIAL', newGuid());
      if (this.latchState !== 'STARTED') {
        await deleteQuietly(zk, path);
        return;
      }
      this.own = { zk, path };
      await this.check(this.own, this.checks.signal);
    } catch (err) {
      if (this.latchState !== 'STARTED') return;
      // Our session ended while joining: the next (re)connection state change joins again.
      if (isSessionGone(err) || (zk !== undefined && zk !== this.managed.client)) return;
      this.events.emit('error', err);
    }
  }

  /** One look at the line: lead if first, else follow the predecessor until it changes. */
  private async check(own: { readonly zk: ZooKeeperClient; readonly path: string }, signal: AbortSignal): Promise<void> {
    try {
      const { children } = await retrying(() => own.zk.getChildren(this.path), signal);
      if (signal.aborted || this.own !== own) return;
      const sorted = sortBySequence(children.filter(isLatchNode));
      const index = sorted.indexOf(nameOf(own.path));
      if (index < 0) {
        // Deleted behind our back, the session alive: stand in line again.
        this.own = undefined;
        this.setLeader(false);
        void this.join();
        return;
      }
      if (index === 0 && this.managed.isConnected && this.managed.state !== 'READ_ONLY') this.setLeader(true);
      else this.setLeader(false);
      // The leader watches its own node (deleted behind its back, it must step down at once);
      // every other candidate its predecessor.
      const watched = index === 0 ? own.path : joinPath(this.path, sorted[index - 1]!);
      changeOf(own.zk, watched, signal).then(
        () => this.check(own, signal),
        (err: unknown) => this.failed(err, signal),
      );
    } catch (err) {
      this.failed(err, signal);
    }
  }

  private failed(err: unknown, signal: AbortSignal): void {
    if (signal.aborted || isSessionGone(err) || this.latchState !== 'STARTED') return;
    this.events.emit('error', err);
  }

  private setLeader(leader: boolean): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.events.emit(leader ? 'isLeader' : 'notLeader');
  }
}

function isLatchNode(name: string): boolean {
  return unprotectedName(name).startsWith(LATCH_NAME);
}

/** The nodes named `name…` under `path`, in line order, with the ids stored in them. */
export async function participants(zk: ZooKeeperClient, path: string, name: string): Promise<Participant[]> {
  let children: string[];
  try {
    children = (await retrying(() => zk.getChildren(path))).children;
  } catch (err) {
    if (isZooKeeperError(err, 'NONODE')) return [];
    throw err;
  }
  const out: Participant[] = [];
  for (const child of sortBySequence(children.filter((c) => unprotectedName(c).startsWith(name)))) {
    const nodePath = joinPath(path, child);
    try {
      const { data } = await retrying(() => zk.getData(nodePath));
      out.push({ id: data?.toString('utf8') ?? '', nodePath, isLeader: out.length === 0 });
    } catch (err) {
      if (!isZooKeeperError(err, 'NONODE')) throw err; // else gone since the listing
    }
  }
  return out;
}
