// "A client never goes back in time": with two independent servers, the one that has not seen the
// client's last zxid refuses the session (it just closes), and the client keeps trying until the
// server that has its session is back. Run against two zk-ts servers and two ZooKeeper 3.8 servers.

import { createServer, DEFAULT_CONFIG, ManualClock, type ServerConfig, type ZkServer } from '@zk/server';
import { memoryStorage, type MemoryStorage } from '@zk/storage';
import { memoryNetwork } from '@zk/transport-memory';
import { describe, expect, it } from 'vitest';
import { connect, type ClientOptions } from '../src/index.js';
import { EventLog, stateIs, until } from './support/helpers.js';
import { startServer, zooKeeperAvailable } from '@zk/testkit';

interface Pair {
  readonly connectString: string;
  readonly options: ClientOptions;
  /** Stops the server at `address` ("host:port"); `start` brings it back with its data. */
  stop(address: string): Promise<void>;
  start(address: string): Promise<void>;
  dispose(): Promise<void>;
}

async function ourPair(): Promise<Pair> {
  const net = memoryNetwork();
  const clock = new ManualClock();
  const nodes = new Map<string, { storage: MemoryStorage; server: ZkServer | undefined }>();
  const boot = async (host: string): Promise<void> => {
    const node = nodes.get(host)!;
    const config: ServerConfig = { ...DEFAULT_CONFIG, clientPort: 2181, clientPortAddress: host };
    const server = await createServer(config, { clock, storage: node.storage, transport: net.transport({ host }), random: () => 0.5 });
    await server.start();
    node.server = server;
  };
  for (const host of ['alpha', 'beta']) {
    nodes.set(host, { storage: await memoryStorage(), server: undefined });
    await boot(host);
  }
  return {
    connectString: 'alpha:2181,beta:2181',
    options: { transport: net.transport({ host: 'client' }) },
    async stop(address) {
      const node = nodes.get(address.split(':')[0]!)!;
      node.storage = await node.storage.crash();
      await node.server?.stop();
      node.server = undefined;
    },
    start: (address) => boot(address.split(':')[0]!),
    async dispose() {
      for (const n of nodes.values()) await n.server?.stop();
    },
  };
}

async function zookeeperPair(): Promise<Pair> {
  const a = await startServer('zookeeper', { settings: { tickTime: 200 } });
  const b = await startServer('zookeeper', { settings: { tickTime: 200 } });
  const byAddress = new Map([
    [a.connectString, a],
    [b.connectString, b],
  ]);
  return {
    connectString: `${a.connectString},${b.connectString}`,
    options: {},
    stop: (address) => byAddress.get(address)!.kill(),
    start: (address) => byAddress.get(address)!.start(),
    async dispose() {
      await a.stop();
      await b.stop();
    },
  };
}

const PAIRS = [
  { name: 'zk-ts', available: true, start: ourPair },
  { name: 'zookeeper-3.8', available: zooKeeperAvailable(), start: zookeeperPair },
];

describe.each(PAIRS.filter((p) => p.available))('a server behind the client ($name)', (factory) => {
  it('is refused; the client waits for a server that has its history', async () => {
    const pair = await factory.start();
    const log = new EventLog();
    const zk = await connect(pair.connectString, {
      ...pair.options,
      sessionTimeoutMs: 10_000,
      reconnectDelayMs: 10,
      hostCycleDelayMs: 10,
      watcher: log.watcher,
    });
    try {
      const home = `${zk.server!.host}:${zk.server!.port}`;
      for (let i = 0; i < 5; i++) await zk.create(`/n${i}`);
      await zk.create('/mine', null, { mode: 'EPHEMERAL' });
      const session = zk.sessionId;
      await pair.stop(home);
      await log.next(stateIs('Disconnected'));
      // Several rounds over both hosts: the other server, behind the client, must refuse each time.
      await new Promise((r) => setTimeout(r, 200));
      expect(zk.state).toBe('CONNECTING');
      await pair.start(home);
      await log.next(stateIs('SyncConnected'));
      expect(`${zk.server!.host}:${zk.server!.port}`).toBe(home);
      expect(zk.sessionId).toBe(session);
      await until(async () => (await zk.exists('/mine')) !== null, 'the ephemeral');
      expect(log.states().filter((s) => s === 'SyncConnected')).toHaveLength(2);
    } finally {
      await zk.close();
      await pair.dispose();
    }
  });
});
