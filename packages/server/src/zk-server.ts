import { randomInt } from 'node:crypto';
import type { Storage } from '@zk/storage';
import { fileStorage, type FileStorage } from '@zk/storage-file';
import type { Address, Listener, Transport } from '@zk/transport';
import { tcpTransport } from '@zk/transport-tcp';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { dirSize } from './dir-size.js';
import { ClientConnection } from './client-connection.js';
import type { ServerConfig } from './config/index.js';
import { ContainerManager } from './container-manager.js';
import { EnsembleReplica } from './ensemble.js';
import { fourLetterContext } from './four-letter-context.js';
import type { FourLetterWord } from '@zk/protocol';
import { runFourLetterWord } from './four-letter-words.js';
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
  /** Where txns, snapshots and epochs live; default: `@zk/storage-file` in dataDir / dataLogDir. */
  storage?: Storage;
  /** Uniform random in [0, 1): picks the snapshot point; injected for determinism. */
  random?: () => number;
  /** Ensemble: the transport of the quorum and election ports (TCP by default). */
  peerTransport?: Transport;
}

export interface ZkServer {
  /** Recovers from storage, then listens on clientPortAddress:clientPort. */
  start(): Promise<void>;
  /** Stops accepting, closes every connection, waits for pending writes, closes storage. */
  stop(): Promise<void>;
  /** standalone, or this ensemble member's current role ('looking' while it elects or syncs). */
  readonly mode: ServerMode;
  /** The bound client address (the real port when clientPort was 0); undefined before start. */
  readonly address: Address | undefined;
  /** Ensemble: called whenever the role changes (after clients of the old role were disconnected). */
  onModeChange(handler: (mode: ServerMode) => void): void;
}

/** Builds a standalone server from a parsed zoo.cfg; opens its storage. Nothing is bound until `start()`. */
export async function createServer(config: ServerConfig, deps: ServerDependencies = {}): Promise<ZkServer> {
  const logger = deps.logger ?? silentLogger;
  const storage = deps.storage ?? (await fileStorage({
    dataDir: config.dataDir,
    dataLogDir: config.dataLogDir,
    forceSync: config.forceSync,
    preAllocSize: config.preAllocSizeKb * 1024,
    logger: { warn: (m) => logger.warn(m), info: (m) => logger.info(m) },
  }));
  return new Server(config, deps, storage);
}

/** A standalone server, or one member of an ensemble when zoo.cfg lists several servers. */
class Server implements ZkServer {
  private readonly core: ServerCore;
  private readonly ensemble: EnsembleReplica | undefined;
  private readonly transport: Transport;
  private readonly containers: ContainerManager;
  private listener: Listener | undefined;
  private purgeTimer: TimerHandle | undefined;
  private readonly clock: Clock;

  constructor(config: ServerConfig, deps: ServerDependencies, private readonly storage: Storage) {
    const clock = deps.clock ?? systemClock;
    this.clock = clock;
    const logger = deps.logger ?? silentLogger;
    const random = deps.random ?? (() => randomInt(0, 2 ** 30) / 2 ** 30);
    this.core = new ServerCore(config, clock, logger, storage, config.serverId ?? 0, random);
    this.transport = deps.transport ?? tcpTransport();
    this.containers = new ContainerManager(this.core, clock, config.containers);
    if (config.distributed) {
      const sid = config.serverId!; // the parser insists on myid for an ensemble
      this.ensemble = new EnsembleReplica(this.core, {
        sid,
        servers: config.servers.map((s) => ({
          sid: s.id,
          // quorumListenOnAllIPs: bind our own ports on every interface; peers still dial the listed host.
          host: s.id === sid && config.quorumListenOnAllIPs ? '0.0.0.0' : s.host,
          quorumPort: s.quorumPort,
          electionPort: s.electionPort,
          type: s.type,
        })),
        transport: deps.peerTransport ?? tcpTransport(),
        storage,
        clock,
        tickMs: config.tickTime,
        initLimit: config.initLimit,
        syncLimit: config.syncLimit,
        electionPortBindRetry: config.electionPortBindRetry,
        logger: {
          // Election notifications are logged at debug: pass it only when it is on.
          ...(logger.isEnabled('debug') ? { debug: (m: string) => logger.debug(m) } : {}),
          info: (m) => logger.info(m),
          warn: (m) => logger.warn(m),
        },
      });
      // ZooKeeper runs the container manager on the leader only: one proposer of deleteContainer.
      this.ensemble.onRoleChange((role) => {
        if (role === 'leader') this.containers.start();
        else this.containers.stop();
      });
    }
  }

  get mode(): ServerMode {
    return this.ensemble?.mode ?? 'standalone';
  }

  onModeChange(handler: (mode: ServerMode) => void): void {
    this.ensemble?.onRoleChange(handler);
  }

  get address(): Address | undefined {
    return this.listener?.address;
  }

  async start(): Promise<void> {
    const { config, logger } = this.core;
    if (this.ensemble === undefined) await this.core.recover();
    const bind = { host: config.clientPortAddress, port: config.clientPort };
    this.listener = await this.transport.listen(bind, (conn) => {
      if (!this.core.admit(conn.remoteAddress.host)) {
        conn.destroy();
        return;
      }
      const c = new ClientConnection(this.core, conn, (w) => this.fourLetterWord(w));
      this.core.connectionOpened(c);
    });
    if (this.ensemble === undefined) this.containers.start();
    // The peer restores the newest snapshot; the log after it is applied once a leader confirms it.
    else await this.ensemble.peer.start();
    this.schedulePurge();
    logger.info('serving clients', {
      address: `${this.listener.address.host}:${this.listener.address.port}`, mode: this.mode,
      tickTime: config.tickTime, dataDir: config.dataDir,
      ...(this.ensemble !== undefined ? { myid: config.serverId, servers: config.servers.length } : {}),
    });
  }

  private fourLetterWord(word: FourLetterWord): string {
    const dirs = this.storage as Partial<FileStorage>;
    return runFourLetterWord(word, fourLetterContext(this.core, this.mode, () => ({
      dataDir: dirSize(dirs.snapDir), dataLogDir: dirSize(dirs.logDir),
    }), () => this.ensemble?.monitorLines() ?? []));
  }

  /** autopurge.purgeInterval (hours) keeping autopurge.snapRetainCount snapshots, as ZooKeeper's DatadirCleanupManager. */
  private schedulePurge(): void {
    const { purgeIntervalHours, snapRetainCount } = this.core.config.autopurge;
    if (purgeIntervalHours <= 0) return;
    this.purgeTimer = this.clock.setTimeout(() => {
      this.storage.purge(snapRetainCount).then(
        (r) => this.core.logger.info('autopurge', { snapshots: r.removedSnapshots.length, logSegments: r.removedLogSegments.length }),
        (err: unknown) => this.core.logger.warn('autopurge failed', { error: String(err) }),
      );
      this.schedulePurge();
    }, purgeIntervalHours * 3_600_000);
  }

  async stop(): Promise<void> {
    if (this.purgeTimer !== undefined) this.clock.clearTimeout(this.purgeTimer);
    this.containers.stop();
    // Clients first: a member whose peer has stopped must not go on taking requests it can no
    // longer forward or commit.
    await this.listener?.close();
    await this.core.shutdown();
    await this.ensemble?.peer.stop();
    await this.storage.close();
    this.core.logger.info('stopped', {});
  }
}
