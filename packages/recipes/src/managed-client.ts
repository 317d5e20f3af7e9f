// A client that outlives its sessions. @zk/client ends for good when its session expires (as
// ZooKeeper's Java client does), so long-lived recipes (latches, caches, registrations) need
// something that carries on with a new session: Curator's CuratorFramework and kazoo's
// KazooClient play that part. The connection states are Curator's.

import { createClient, type ClientOptions, type WatchedEvent, type ZooKeeperClient } from '@zk/client';
import { RecipeTimeoutError } from './errors.js';
import { sleep } from './wait.js';

/**
 * Curator's ConnectionState, plus the states before the first connection and after `close()`.
 * SUSPENDED: the connection broke, the session may still be alive. LOST: the session expired (a
 * managed client with a factory goes on with a new session: RECONNECTED follows).
 */
export type ConnectionState = 'CONNECTING' | 'CONNECTED' | 'SUSPENDED' | 'RECONNECTED' | 'LOST' | 'READ_ONLY' | 'CLOSED';

/** Told about every state change, with the client current at that moment. */
export type ConnectionStateListener = (state: ConnectionState, client: ZooKeeperClient) => void;

/** Makes a new client (and with it a new session); `createClient` or `connect` from @zk/client both fit. */
export type ClientFactory = () => ZooKeeperClient | Promise<ZooKeeperClient>;

const brand = Symbol.for('@zk/recipes/ManagedClient');

export interface ManagedClient {
  readonly [brand]: true;
  /** The current client. After a session expiry it is replaced (when there is a factory). */
  readonly client: ZooKeeperClient;
  readonly state: ConnectionState;
  /** CONNECTED, RECONNECTED or READ_ONLY. */
  readonly isConnected: boolean;
  /** Resolves with the current client once it is connected; rejects once closed or finally lost. */
  connected(options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<ZooKeeperClient>;
  onStateChange(listener: ConnectionStateListener): () => void;
  /** Closes the current client (its ephemeral nodes go) and stops replacing it. */
  close(): Promise<void>;
}

/** What every recipe accepts: a plain client (its expiry ends the recipe) or a managed one. */
export type RecipeClient = ZooKeeperClient | ManagedClient;

export function isManagedClient(value: unknown): value is ManagedClient {
  return typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true;
}

/**
 * A client that replaces itself after a session expiry: from a connect string and options (each
 * session made with `createClient`), or from a factory of your own.
 */
export function managedClient(connectString: string, options?: ClientOptions): ManagedClient;
export function managedClient(factory: ClientFactory): ManagedClient;
export function managedClient(source: string | ClientFactory, options: ClientOptions = {}): ManagedClient {
  const factory: ClientFactory = typeof source === 'string' ? () => createClient(source, options) : source;
  return new Managed(factory);
}

// One view per plain client, so that many recipes on one client share one state listener.
const views = new WeakMap<ZooKeeperClient, ManagedClient>();

/** The recipes' view of `client`: a managed client as it is, a plain one wrapped (never replaced). */
export function asManaged(client: RecipeClient): ManagedClient {
  if (isManagedClient(client)) return client;
  let view = views.get(client);
  if (view === undefined) {
    view = new Managed(undefined, client);
    views.set(client, view);
  }
  return view;
}

class Managed implements ManagedClient {
  readonly [brand] = true as const;
  state: ConnectionState = 'CONNECTING';
  private current: ZooKeeperClient | undefined;
  private pending: Promise<ZooKeeperClient> | undefined;
  private unsubscribe: (() => void) | undefined;
  private everConnected = false;
  private closing = false;
  private readonly listeners = new Set<ConnectionStateListener>();

  constructor(private readonly factory: ClientFactory | undefined, initial?: ZooKeeperClient) {
    if (initial !== undefined) {
      this.adopt(initial);
      return;
    }
    // A factory that returns a client at once (createClient) gives one at once.
    let first: ZooKeeperClient | Promise<ZooKeeperClient> | undefined;
    try {
      first = factory!();
    } catch {
      first = undefined;
    }
    if (first !== undefined && !(first instanceof Promise)) this.adopt(first);
    else this.pending = this.replace(first);
  }

  get client(): ZooKeeperClient {
    if (this.current === undefined) throw new Error('the managed client is still making its first client (await connected())');
    return this.current;
  }

  get isConnected(): boolean {
    return this.state === 'CONNECTED' || this.state === 'RECONNECTED' || this.state === 'READ_ONLY';
  }

  onStateChange(listener: ConnectionStateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connected(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ZooKeeperClient> {
    if (this.isConnected && this.current !== undefined) return Promise.resolve(this.current);
    if (this.finished()) return Promise.reject(new Error(`the managed client is ${this.state}`));
    return new Promise((resolve, reject) => {
      const finish = (err: unknown, client?: ZooKeeperClient): void => {
        off();
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (client !== undefined) resolve(client);
        else reject(err);
      };
      const off = this.onStateChange((state, client) => {
        if (this.isConnected) finish(undefined, client);
        else if (this.finished()) finish(new Error(`the managed client is ${state}`));
      });
      const onAbort = (): void => finish(options.signal?.reason);
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => finish(new RecipeTimeoutError(`not connected within ${options.timeoutMs} ms`)), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const client = this.current ?? (await this.pending?.catch(() => undefined));
    this.unsubscribe?.();
    await client?.close();
    this.set('CLOSED');
  }

  /** CLOSED, or LOST with nothing to replace the client. */
  private finished(): boolean {
    return this.state === 'CLOSED' || (this.state === 'LOST' && this.factory === undefined);
  }

  private adopt(client: ZooKeeperClient): void {
    this.current = client;
    this.unsubscribe = client.onStateChange((e) => this.onEvent(client, e));
    // A client from `connect()` is connected already: its SyncConnected went before we listened.
    if (client.state === 'CONNECTED') this.onEvent(client, { type: 'None', state: 'SyncConnected', path: null });
    else if (client.state === 'CONNECTEDREADONLY') this.onEvent(client, { type: 'None', state: 'ConnectedReadOnly', path: null });
    else if (client.expired) this.onEvent(client, { type: 'None', state: 'Expired', path: null });
  }

  private onEvent(client: ZooKeeperClient, event: WatchedEvent): void {
    if (client !== this.current || this.closing) return;
    switch (event.state) {
      case 'SyncConnected':
        if (this.state === 'CONNECTED' || this.state === 'RECONNECTED') return;
        this.set(this.everConnected ? 'RECONNECTED' : 'CONNECTED');
        this.everConnected = true;
        return;
      case 'ConnectedReadOnly':
        this.everConnected = true;
        this.set('READ_ONLY');
        return;
      case 'Disconnected':
        this.set('SUSPENDED');
        return;
      case 'Expired':
        this.unsubscribe?.();
        this.set('LOST');
        if (this.factory !== undefined) this.pending = this.replace();
        return;
      case 'Closed':
      case 'AuthFailed':
        // Closed by its owner behind our back, or refused for good: nothing more will happen.
        this.unsubscribe?.();
        this.closing = true;
        this.set('CLOSED');
        return;
      default:
        return;
    }
  }

  /** Makes a new client with the factory, retrying (with backoff) until it succeeds or we close. */
  private async replace(first?: Promise<ZooKeeperClient>): Promise<ZooKeeperClient> {
    const factory = this.factory!;
    for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
      try {
        const made = first ?? factory();
        first = undefined;
        const client = await made;
        if (this.closing) {
          await client.close();
          throw new Error('closed');
        }
        this.adopt(client);
        return client;
      } catch (err) {
        if (this.closing) throw err;
        await sleep(delay);
      }
    }
  }

  private set(state: ConnectionState): void {
    this.state = state;
    const client = this.current;
    if (client === undefined) return;
    for (const l of [...this.listeners]) {
      try {
        l(state, client);
      } catch (err) {
        console.error('@zk/recipes: a connection state listener threw', err);
      }
    }
  }
}
