// Configuration in one node, kept as a local always-current value (Curator's NodeCache /
// CuratorCache on one node, kazoo's DataWatch), plus versioned compare-and-set updates. It is a
// TreeCache of depth 0, so it survives reconnections (re-read) and, on a managed client, session
// expiry; for a whole subtree of settings use TreeCache itself.

import type { Data, Stat } from '@zk/client';
import { compareAndSet } from './cas.js';
import { Emitter } from './emitter.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { TreeCache } from './tree-cache.js';

/** How values become node data and back. */
export interface Codec<T> {
  encode(value: T): Data;
  decode(data: Buffer | null): T;
}

/** JSON text (UTF-8); a node without data decodes as null. */
export function jsonCodec<T>(): Codec<T> {
  return {
    encode: (value) => JSON.stringify(value),
    decode: (data) => (data === null || data.length === 0 ? null : JSON.parse(data.toString('utf8'))) as T,
  };
}

/** UTF-8 text; a node without data decodes as ''. */
export const stringCodec: Codec<string> = {
  encode: (value) => value,
  decode: (data) => data?.toString('utf8') ?? '',
};

const rawCodec: Codec<Buffer | null> = { encode: (value) => value, decode: (data) => data };

export interface ConfigCacheOptions<T> {
  /** Default: the raw bytes (Buffer | null). */
  readonly codec?: Codec<T>;
}

export interface ConfigCacheEvents<T> {
  /** The node changed: its new value and Stat (both undefined once it is deleted). */
  change: (value: T | undefined, stat: Stat | undefined) => void;
  /** The node's data could not be decoded (the last good value stays), or the cache failed. */
  error: (err: unknown) => void;
}

export class ConfigCache<T = Buffer | null> {
  private readonly managed: ManagedClient;
  private readonly codec: Codec<T>;
  private readonly cache: TreeCache;
  private readonly events = new Emitter<ConfigCacheEvents<T>>();
  private current: { value: T; stat: Stat } | undefined;

  constructor(
    client: RecipeClient,
    readonly path: string,
    options: ConfigCacheOptions<T> = {},
  ) {
    this.managed = asManaged(client);
    this.codec = options.codec ?? (rawCodec as unknown as Codec<T>);
    this.cache = new TreeCache(this.managed, path, { maxDepth: 0 });
    this.cache.on('error', (err) => this.events.emit('error', err));
    this.cache.on('change', (event) => {
      if (event.type === 'removed') {
        this.current = undefined;
        this.events.emit('change', undefined, undefined);
        return;
      }
      let value: T;
      try {
        value = this.codec.decode(event.node.data);
      } catch (err) {
        this.events.emit('error', new Error(`${path}: cannot decode its data`, { cause: err }));
        return;
      }
      this.current = { value, stat: event.node.stat };
      this.events.emit('change', value, event.node.stat);
    });
  }

  /** Starts watching; resolves once the node has been read. */
  start(): Promise<void> {
    return this.cache.start();
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  /** The current value; undefined while the node does not exist (or before start). */
  get value(): T | undefined {
    return this.current?.value;
  }

  get stat(): Stat | undefined {
    return this.current?.stat;
  }

  on<K extends keyof ConfigCacheEvents<T>>(event: K, listener: ConfigCacheEvents<T>[K]): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Writes `fn(current)` by versioned compare-and-set, reading the node afresh (not the cache)
   * and retrying when someone else wrote first; `fn` may run several times. Creates the node
   * (parents as containers) when it does not exist. Resolves with the written Stat.
   */
  async update(fn: (current: T | undefined) => T, options: { signal?: AbortSignal } = {}): Promise<Stat> {
    const zk = await this.managed.connected(options);
    const { stat } = await compareAndSet(zk, this.path, (data) => this.codec.encode(fn(data === undefined ? undefined : this.codec.decode(data))), options.signal);
    return stat!;
  }

  /**
   * Writes `value` if the node is at `version` (BadVersionError otherwise); without a version,
   * unconditionally (creating the node if needed).
   */
  async set(value: T, options: { version?: number } = {}): Promise<Stat> {
    const zk = await this.managed.connected();
    if (options.version !== undefined) return zk.setData(this.path, this.codec.encode(value), { version: options.version });
    return (await compareAndSet(zk, this.path, () => this.codec.encode(value))).stat!;
  }
}
