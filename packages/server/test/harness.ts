import { memoryNetwork } from '@zk/transport-memory';
import { memoryStorage, type Storage } from '@zk/storage';
import { createServer, DEFAULT_CONFIG, ManualClock, type ServerConfig, type ZkServer } from '../src/index.js';
import type { Transport } from '@zk/transport';
import { WireClient } from './wire-client.js';

export interface Harness {
  server: ZkServer;
  clock: ManualClock;
  client: Transport;
  port: number;
  storage: Storage;
  session(opts?: Parameters<typeof WireClient.session>[2]): Promise<WireClient>;
  dial(): Promise<WireClient>;
  stop(): Promise<void>;
}

/** A standalone server on the in-memory network with a manual clock (no real ports, no sleeps). */
export async function startHarness(
  overrides: Partial<ServerConfig> = {}, storage?: Storage, clock = new ManualClock(),
): Promise<Harness> {
  const net = memoryNetwork();
  const store = storage ?? (await memoryStorage());
  const config: ServerConfig = { ...DEFAULT_CONFIG, clientPort: 2181, clientPortAddress: '127.0.0.1', ...overrides };
  const server = await createServer(config, { clock, storage: store, transport: net.transport({ host: '127.0.0.1' }), random: () => 0.5 });
  await server.start();
  const client = net.transport({ host: '127.0.0.1' });
  const port = server.address!.port;
  return {
    server, clock, client, port, storage: store,
    session: (opts) => WireClient.session(client, port, opts),
    dial: () => WireClient.dial(client, port),
    stop: () => server.stop(),
  };
}

/** Lets pending deliveries and storage syncs run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}
