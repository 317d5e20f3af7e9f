// Service registration and discovery (Curator's curator-x-discovery ServiceDiscovery and
// ServiceCache). An instance is a protected ephemeral sequential node
// `<base>/<name>/_c_<guid>-<id>-N` holding its description as JSON; it is re-registered when
// deleted and, on a managed client, after a session expiry. Discovery is a one-off query or a
// ServiceCache kept current by a persistent watch.

import { randomUUID } from 'node:crypto';
import { isZooKeeperError } from '@zk/client';
import { Emitter } from './emitter.js';
import { EphemeralNode } from './ephemeral-node.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { joinPath } from './paths.js';
import { retrying } from './retry.js';
import { TreeCache } from './tree-cache.js';

export interface ServiceInstance<P = unknown> {
  readonly name: string;
  readonly id: string;
  readonly address?: string;
  readonly port?: number;
  readonly payload?: P;
  /** ms since the epoch, when `register` was called. */
  readonly registeredAt: number;
}

export interface ServiceSpec<P = unknown> {
  readonly name: string;
  /** Default: a random UUID. */
  readonly id?: string;
  readonly address?: string;
  readonly port?: number;
  readonly payload?: P;
}

export interface ServiceRegistration<P = unknown> {
  readonly instance: ServiceInstance<P>;
  /** The instance's node now (it changes when re-registered). */
  readonly nodePath: string | undefined;
  /** Replaces the payload. */
  update(payload: P): Promise<void>;
  unregister(): Promise<void>;
}

export class ServiceRegistry {
  private readonly managed: ManagedClient;
  private readonly registrations = new Set<ServiceRegistration>();

  constructor(
    client: RecipeClient,
    readonly basePath = '/services',
  ) {
    this.managed = asManaged(client);
  }

  /** Registers an instance; resolves once its node exists. */
  async register<P>(spec: ServiceSpec<P>): Promise<ServiceRegistration<P>> {
    checkName(spec.name, 'service name');
    const id = spec.id ?? randomUUID();
    checkName(id, 'instance id');
    let instance: ServiceInstance<P> = { ...spec, id, registeredAt: Date.now() };
    const node = new EphemeralNode(this.managed, joinPath(joinPath(this.basePath, spec.name), `${id}-`), JSON.stringify(instance), true);
    const registration: ServiceRegistration<P> = {
      get instance() {
        return instance;
      },
      get nodePath() {
        return node.nodePath;
      },
      async update(payload) {
        instance = { ...instance, payload };
        await node.setData(JSON.stringify(instance));
      },
      unregister: async () => {
        this.registrations.delete(registration as ServiceRegistration);
        await node.close();
      },
    };
    await node.start();
    this.registrations.add(registration as ServiceRegistration);
    return registration;
  }

  /** The service names with a node under the base path. */
  async queryNames(): Promise<string[]> {
    const zk = await this.managed.connected();
    try {
      return (await retrying(() => zk.getChildren(this.basePath))).children.sort();
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) return [];
      throw err;
    }
  }

  /** The live instances of `name`, now. */
  async queryInstances<P = unknown>(name: string): Promise<ServiceInstance<P>[]> {
    const zk = await this.managed.connected();
    const dir = joinPath(this.basePath, name);
    let children: string[];
    try {
      children = (await retrying(() => zk.getChildren(dir))).children;
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) return [];
      throw err;
    }
    const found: ServiceInstance<P>[] = [];
    for (const child of children) {
      try {
        const instance = parseInstance<P>((await retrying(() => zk.getData(joinPath(dir, child)))).data);
        if (instance !== undefined) found.push(instance);
      } catch (err) {
        if (!isZooKeeperError(err, 'NONODE')) throw err;
      }
    }
    return sortInstances(found);
  }

  /** A started cache of the live instances of `name`. */
  async watch<P = unknown>(name: string): Promise<ServiceCache<P>> {
    const cache = new ServiceCache<P>(this.managed, joinPath(this.basePath, name));
    await cache.start();
    return cache;
  }

  /** Unregisters every instance registered through this registry. */
  async close(): Promise<void> {
    await Promise.all([...this.registrations].map((r) => r.unregister()));
  }
}

export interface ServiceCacheEvents<P> {
  change: (instances: ServiceInstance<P>[]) => void;
  error: (err: unknown) => void;
}

/** The live instances of one service, kept current. */
export class ServiceCache<P = unknown> {
  private readonly cache: TreeCache;
  private readonly events = new Emitter<ServiceCacheEvents<P>>();

  constructor(
    client: RecipeClient,
    readonly path: string,
  ) {
    this.cache = new TreeCache(client, path, { maxDepth: 1 });
    this.cache.on('error', (err) => this.events.emit('error', err));
    this.cache.on('change', (event) => {
      if (event.node.path !== path) this.events.emit('change', this.instances());
    });
  }

  on<K extends keyof ServiceCacheEvents<P>>(event: K, listener: ServiceCacheEvents<P>[K]): () => void {
    return this.events.on(event, listener);
  }

  start(): Promise<void> {
    return this.cache.start();
  }

  close(): Promise<void> {
    return this.cache.close();
  }

  instances(): ServiceInstance<P>[] {
    const out: ServiceInstance<P>[] = [];
    for (const child of this.cache.children(this.path)) {
      const instance = parseInstance<P>(this.cache.get(joinPath(this.path, child))?.data ?? null);
      if (instance !== undefined) out.push(instance);
    }
    return sortInstances(out);
  }
}

/** A registered instance's description, or undefined for a node that is not one. */
function parseInstance<P>(data: Buffer | null): ServiceInstance<P> | undefined {
  if (data === null) return undefined;
  try {
    const value = JSON.parse(data.toString('utf8')) as ServiceInstance<P>;
    return typeof value === 'object' && value !== null && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function sortInstances<P>(list: ServiceInstance<P>[]): ServiceInstance<P>[] {
  return list.sort((a, b) => a.registeredAt - b.registeredAt || a.id.localeCompare(b.id));
}

function checkName(name: string, what: string): void {
  if (name.length === 0 || name.includes('/')) throw new TypeError(`invalid ${what}: ${JSON.stringify(name)}`);
}
