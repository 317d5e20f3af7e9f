// Small test helpers: bounded waiting on conditions and on events (never on wall-clock sleeps).

import { afterAll, afterEach, beforeAll } from 'vitest';
import { connect, type ClientOptions, type WatchedEvent, type Watcher, type ZooKeeperClient } from '../../src/index.js';
import type { Link, Target, TargetFactory } from './targets.js';

/** Polls `cond` until it holds; fails after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records events; `next` waits (bounded) for the next one matching. */
export class EventLog {
  readonly events: WatchedEvent[] = [];
  private read = 0;
  readonly watcher: Watcher = (e) => {
    this.events.push(e);
  };

  async next(match: (e: WatchedEvent) => boolean = () => true, what = 'an event', timeoutMs = 10_000): Promise<WatchedEvent> {
    let found: WatchedEvent | undefined;
    await until(
      () => {
        while (this.read < this.events.length) {
          const e = this.events[this.read++]!;
          if (match(e)) {
            found = e;
            return true;
          }
        }
        return false;
      },
      what,
      timeoutMs,
    );
    return found!;
  }

  /** Node events only (type != None), as "Type path" strings. */
  nodeEvents(): string[] {
    return this.events.filter((e) => e.type !== 'None').map((e) => `${e.type} ${e.path}`);
  }

  states(): string[] {
    return this.events.filter((e) => e.type === 'None').map((e) => e.state);
  }
}

export const stateIs = (state: string) => (e: WatchedEvent): boolean => e.type === 'None' && e.state === state;

export interface TargetContext {
  readonly target: Target;
  /** Connects a client that is closed after the test. */
  client(options?: ClientOptions & { chroot?: string }): Promise<ZooKeeperClient>;
  /** A fresh persistent path for this test ("/t<n>"), created. */
  base(): Promise<string>;
  /** The link of a client made by `client()`: cut or block its connection only. */
  link(client: ZooKeeperClient): Link;
}

let counter = 0;

/** Starts `factory`'s server for the enclosing describe and tracks the clients each test opens. */
export function useTarget(factory: TargetFactory): TargetContext {
  let target: Target | undefined;
  const open: ZooKeeperClient[] = [];
  const links = new Map<ZooKeeperClient, Link>();
  beforeAll(async () => {
    target = await factory.start();
  }, 60_000);
  afterEach(async () => {
    for (const l of links.values()) await l.unblock();
    await Promise.all(open.splice(0).map((c) => c.close()));
    await Promise.all([...links.values()].map((l) => l.dispose()));
    links.clear();
  });
  afterAll(async () => {
    await target?.dispose();
  });
  const ctx: TargetContext = {
    get target() {
      if (target === undefined) throw new Error('target not started');
      return target;
    },
    async client(options = {}) {
      const t = ctx.target;
      const { chroot, ...rest } = options;
      const link = await t.link();
      const c = await connect(link.connectString(chroot), { sessionTimeoutMs: 10_000, ...link.clientOptions, ...rest, timeoutMs: 10_000 });
      open.push(c);
      links.set(c, link);
      return c;
    },
    async base() {
      const c = await ctx.client();
      const path = `/t${process.pid}_${++counter}_${Date.now() % 100000}`;
      await c.create(path);
      return path;
    },
    link(client) {
      const l = links.get(client);
      if (l === undefined) throw new Error('not a client of this target');
      return l;
    },
  };
  return ctx;
}
