// What each suite needs from a server: clients behind their own proxy (so one client's
// connection can be broken alone), managed clients, fresh base paths, forced session expiry, and
// bounded waiting on conditions (never on wall-clock sleeps).

import { afterEach, beforeAll } from 'vitest';
import { connect, createClient, type ClientOptions, type ZooKeeperClient } from '@zk/client';
import { managedClient, type ManagedClient } from '../../src/index.js';
import { startTcpProxy, type TcpProxy } from '@zk/testkit';

export interface ServerInfo {
  readonly name: 'zk-ts' | 'zk-ts-ensemble' | 'zookeeper-3.8';
  readonly host: string;
  readonly port: number;
}

export interface Harness {
  /** A client of its own, through its own proxy; closed after the test. */
  client(options?: ClientOptions): Promise<ZooKeeperClient>;
  /** A managed client (new session after an expiry) through its own proxy; closed after the test. */
  managed(options?: ClientOptions): Promise<ManagedClient>;
  /** A client straight to the server, for setting up and inspecting. */
  readonly admin: ZooKeeperClient;
  /** A fresh, empty persistent path for this test. */
  base(): Promise<string>;
  /** The proxy a client (or any session of a managed client) talks through. */
  proxy(client: ZooKeeperClient): TcpProxy;
  /**
   * Ends `client`'s session on the server, as ZooKeeper's own tests do: with its connection
   * blocked, a second client attaches to the session and closes it. When this resolves, the
   * session's ephemerals are gone; `client` learns of the expiry when it reconnects (now
   * unblocked).
   */
  expire(client: ZooKeeperClient): Promise<void>;
}

/** Options every test client gets: quick reconnects, and a session timeout no test waits for. */
const BASE_OPTIONS: ClientOptions = { sessionTimeoutMs: 10_000, reconnectDelayMs: 20, hostCycleDelayMs: 20 };

let counter = 0;

export function useServer(server: ServerInfo): Harness {
  const direct = `${server.host}:${server.port}`;
  const proxies = new Map<ZooKeeperClient, TcpProxy>();
  const openProxies = new Set<TcpProxy>();
  const clients: ZooKeeperClient[] = [];
  const manageds: ManagedClient[] = [];
  let admin: ZooKeeperClient | undefined;

  const newProxy = async (): Promise<TcpProxy> => {
    const proxy = await startTcpProxy(server.port, server.host);
    openProxies.add(proxy);
    return proxy;
  };

  beforeAll(async () => {
    admin = await connect(direct, { ...BASE_OPTIONS, timeoutMs: 10_000 });
    return async () => {
      await admin?.close();
    };
  });

  afterEach(async () => {
    await Promise.all(manageds.splice(0).map((m) => m.close()));
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await Promise.all([...openProxies].map((p) => p.close()));
    openProxies.clear();
    proxies.clear();
  });

  const harness: Harness = {
    get admin() {
      if (admin === undefined) throw new Error('admin client not connected yet');
      return admin;
    },
    async client(options = {}) {
      const proxy = await newProxy();
      const client = await connect(`127.0.0.1:${proxy.port}`, { ...BASE_OPTIONS, ...options, timeoutMs: 10_000 });
      proxies.set(client, proxy);
      clients.push(client);
      return client;
    },
    async managed(options = {}) {
      const proxy = await newProxy();
      const m = managedClient(() => {
        const client = createClient(`127.0.0.1:${proxy.port}`, { ...BASE_OPTIONS, ...options });
        proxies.set(client, proxy);
        return client;
      });
      manageds.push(m);
      await m.connected({ timeoutMs: 10_000 });
      return m;
    },
    async base() {
      const path = `/r${process.pid}_${++counter}_${Date.now() % 1_000_000}`;
      await harness.admin.create(path);
      return path;
    },
    proxy(client) {
      const proxy = proxies.get(client);
      if (proxy === undefined) throw new Error('not a client of this harness');
      return proxy;
    },
    async expire(client) {
      const proxy = harness.proxy(client);
      proxy.block();
      proxy.cut();
      const twin = await connect(direct, {
        ...BASE_OPTIONS,
        sessionId: client.sessionId,
        sessionPassword: client.sessionPassword,
        timeoutMs: 10_000,
      });
      await twin.close();
      proxy.unblock();
    },
  };
  return harness;
}

/** Polls `cond` until it holds; fails after `timeoutMs`. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The reason a promise rejected (fails the test if it resolved). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (v) => {
      throw new Error(`expected a rejection, got ${String(v)}`);
    },
    (e: unknown) => e,
  );
}

/** Whether `promise` has settled, looked at after everything already queued has run. */
export async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
}
