import { randomInt } from 'node:crypto';
import { memoryStorage, type Storage } from '@zk/storage';
import type { Address, Listener, Transport } from '@zk/transport';
import { tcpTransport } from '@zk/transport-tcp';
import { systemClock, type Clock } from './clock.js';
import { ClientConnection } from './client-connection.js';
import type { ServerConfig } from './config/index.js';
import { ContainerManager, DEFAULT_CONTAINER_OPTIONS, type ContainerManagerOptions } from './container-manager.js';
import { fourLetterContext } from './four-letter-context.js';
import { runFourLetterWord, type FourLetterWord } from './four-letter-words.js';
import { silentLogger, type Logger } from './logger.js';
import { ServerCore } from './server-core.js';

/** What a server reports as its state: `zkserver status`, `srvr`, `stat` and `mntr` show it. */
export type ServerMode = 'standalone' | 'leader' | 'follower' | 'observer' | 'looking';

/** Everything a server takes from its environment; defaults are the production ones. */
export interface ServerDependencies {
  logger?: Logger;
  clock?: Clock;
  /** Client-port transport (TCP by default; the memory transport in tests). */
  transport?: Transport;
  /** Where txns, snapshots and epochs live (the in-memory backend by default until a file backend is configured). */
  storage?: Storage;
  /** Uniform random in [0, 1): picks the snapshot point; injected for determinism. */
  random?: () => number;
  /** Container and TTL cleanup (ZooKeeper's znode.container.* properties). */
  containers?: Partial<ContainerManagerOptions>;
}

export interface ZkServer {
  /** Recovers from storage, then listens on clientPortAddress:clientPort. */
  start(): Promise<void>;
  /** Stops accepting, closes every connection, waits for pending writes, closes storage. */
  stop(): Promise<void>;
  readonly mode: ServerMode;
  /** The bound client address (the real port when clientPort was 0); undefined before start. */
  readonly address: Address | undefined;
}

/** Builds a standalone server from a parsed zoo.cfg. Nothing is bound until `start()`. */
export async function createServer(config: ServerConfig, deps: ServerDependencies = {}): Promise<ZkServer> {
  const storage = deps.storage ?? (await memoryStorage());
  return new StandaloneServer(config, deps, storage);
}

class StandaloneServer implements ZkServer {
  readonly mode: ServerMode = 'standalone';
  private readonly core: ServerCore;
  private readonly transport: Transport;
  private readonly containers: ContainerManager;
  private listener: Listener | undefined;

  constructor(config: ServerConfig, deps: ServerDependencies, private readonly storage: Storage) {
    const clock = deps.clock ?? systemClock;
    const logger = deps.logger ?? silentLogger;
    const random = deps.random ?? (() => randomInt(0, 2 ** 30) / 2 ** 30);
    this.core = new ServerCore(config, clock, logger, storage, config.serverId ?? 0, random);
    this.transport = deps.transport ?? tcpTransport();
    this.containers = new ContainerManager(this.core, clock, { ...DEFAULT_CONTAINER_OPTIONS, ...deps.containers });
  }

  get address(): Address | undefined {
    return this.listener?.address;
  }

  async start(): Promise<void> {
    const { config, logger } = this.core;
    await this.core.recover();
    const bind = { host: config.clientPortAddress, port: config.clientPort };
    this.listener = await this.transport.listen(bind, (conn) => {
      if (!this.core.admit(conn.remoteAddress.host)) {
        conn.destroy();
        return;
      }
      const c = new ClientConnection(this.core, conn, (w) => this.fourLetterWord(w));
      this.core.connectionOpened(c);
    });
    this.containers.start();
    logger.info('serving clients', {
      address: `${this.listener.address.host}:${this.listener.address.port}`, mode: this.mode,
      tickTime: config.tickTime, dataDir: config.dataDir,
    });
  }

  private fourLetterWord(word: FourLetterWord): string {
    return runFourLetterWord(word, fourLetterContext(this.core, this.mode, () => ({ dataDir: 0, dataLogDir: 0 })));
  }

  async stop(): Promise<void> {
    this.containers.stop();
    await this.listener?.close();
    await this.core.shutdown();
    await this.storage.close();
    this.core.logger.info('stopped', {});
  }
}
