// Group membership (Curator's GroupMember, kazoo's Party): each member keeps an ephemeral node
// `<path>/<id>` (re-created after an expiry on a managed client) and sees the live membership
// through a cache of the group's children.

import type { Data } from '@zk/client';
import { Emitter } from './emitter.js';
import { EphemeralNode } from './ephemeral-node.js';
import { asManaged, type RecipeClient } from './managed-client.js';
import { joinPath } from './paths.js';
import { TreeCache } from './tree-cache.js';

export interface GroupMemberEvents {
  /** The membership changed: every member id with its data. */
  change: (members: ReadonlyMap<string, Buffer | null>) => void;
  error: (err: unknown) => void;
}

export class GroupMember {
  private readonly node: EphemeralNode;
  private readonly cache: TreeCache;
  private readonly events = new Emitter<GroupMemberEvents>();

  constructor(
    client: RecipeClient,
    readonly path: string,
    readonly id: string,
    data: Data = null,
  ) {
    if (id.length === 0 || id.includes('/')) throw new TypeError(`invalid member id: ${JSON.stringify(id)}`);
    const managed = asManaged(client);
    this.node = new EphemeralNode(managed, joinPath(path, id), data);
    this.cache = new TreeCache(managed, path, { maxDepth: 1 });
    this.node.on('error', (err) => this.events.emit('error', err));
    this.cache.on('error', (err) => this.events.emit('error', err));
    this.cache.on('change', (event) => {
      if (event.node.path !== this.path) this.events.emit('change', this.members());
    });
  }

  on<K extends keyof GroupMemberEvents>(event: K, listener: GroupMemberEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Joins the group; resolves once our node exists and the membership has been read. */
  async start(): Promise<void> {
    await this.node.start();
    await this.cache.start();
  }

  /** Leaves the group. */
  async close(): Promise<void> {
    await this.cache.close();
    await this.node.close();
  }

  /** Changes our member data. */
  setData(data: Data): Promise<void> {
    return this.node.setData(data);
  }

  /** The live members, by id, as last seen. */
  members(): Map<string, Buffer | null> {
    const out = new Map<string, Buffer | null>();
    for (const id of this.cache.children(this.path).sort()) out.set(id, this.cache.get(joinPath(this.path, id))?.data ?? null);
    return out;
  }
}
