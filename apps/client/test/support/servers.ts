// The servers the CLI is tested against, both over TCP: a zk-ts server in this process and
// Apache ZooKeeper 3.8 as a child process.

import { createServer, DEFAULT_CONFIG } from '@zk/server';
import { memoryStorage } from '@zk/storage';
import { startServer, zooKeeperAvailable } from '@zk/testkit';

export interface TcpServer {
  readonly address: string;
  stop(): Promise<void>;
}

export interface ServerFactory {
  readonly name: 'zk-ts' | 'zookeeper-3.8';
  readonly available: boolean;
  start(): Promise<TcpServer>;
}

async function ours(): Promise<TcpServer> {
  const server = await createServer(
    { ...DEFAULT_CONFIG, clientPort: 0, clientPortAddress: '127.0.0.1', extendedTypesEnabled: true },
    { storage: await memoryStorage() },
  );
  await server.start();
  return { address: `127.0.0.1:${server.address!.port}`, stop: () => server.stop() };
}

async function apache(): Promise<TcpServer> {
  const zk = await startServer('zookeeper', { settings: { tickTime: 2000 } });
  return { address: zk.connectString, stop: () => zk.stop() };
}

export const SERVERS: readonly ServerFactory[] = [
  { name: 'zk-ts', available: true, start: ours },
  { name: 'zookeeper-3.8', available: zooKeeperAvailable(), start: apache },
];
