// Small test helpers: bounded waiting on conditions and on events (never on wall-clock sleeps).

import { afterAll, afterEach, beforeAll } from 'vitest';
import { connect, type ClientOptions, type WatchedEvent, type Watcher, type ZooKeeperClient } from '../../src/index.js';
import type { Target, TargetFactory } from './targets.js';

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
}

let counter = 0;

/** Starts `factory`'s server for the enclosing describe and tracks the clients each test opens. */
export function useTarget(factory: TargetFactory): TargetContext {
  let target: Target | undefined;
  const open: ZooKeeperClient[] = [];
  beforeAll(async () => {
    target = await factory.start();
  }, 60_000);
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
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
      const c = await connect(t.connectString(chroot), { sessionTimeoutMs: 10_000, ...t.clientOptions, ...rest, timeoutMs: 10_000 });
      open.push(c);
      return c;
    },
    async base() {
      const c = await ctx.client();
      const path = `/t${process.pid}_${++counter}_${Date.now() % 100000}`;
      await c.create(path);
      return path;
    },
  };
  return ctx;
}
