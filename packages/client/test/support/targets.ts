// The two servers every client test runs against: zk-ts in-process on the memory transport (time
// driven by a ManualClock) and Apache ZooKeeper 3.8 as a child process behind a TCP proxy.

import { createServer, DEFAULT_CONFIG, ManualClock, type ServerConfig, type ZkServer } from '@zk/server';
import { memoryStorage, type MemoryStorage } from '@zk/storage';
import { memoryNetwork } from '@zk/transport-memory';
import type { Transport } from '@zk/transport';
import { fourLetterWord, startServer, startTcpProxy, zooKeeperAvailable, type RunningServer, type TcpProxy } from '@zk/testkit';
import type { ClientOptions } from '../../src/index.js';

/** One client's path to the server, which a test can cut or block without touching the others. */
export interface Link {
  /** `host:port` (plus `chroot`) of the server as this client sees it. */
  connectString(chroot?: string): string;
  /** Options the client needs (transport, quick reconnects). */
  readonly clientOptions: ClientOptions;
  /** Resets the client's connections. */
  cut(): Promise<void>;
  /** Resets them and refuses new ones until `unblock`. */
  block(): Promise<void>;
  unblock(): Promise<void>;
  dispose(): Promise<void>;
}

export interface Target {
  readonly name: 'zk-ts' | 'zookeeper-3.8';
  /** A new, separately breakable path to the server. */
  link(): Promise<Link>;
  /** A session timeout both servers grant as asked. */
  readonly sessionTimeoutMs: number;
  /** Makes the server's time pass beyond `ms` so sessions it has not heard from expire. */
  passTime(ms: number): Promise<void>;
  /** Stops the server and starts it again on the same data. */
  restart(): Promise<void>;
  fourLetter(word: string): Promise<string>;
  dispose(): Promise<void>;
}

export interface TargetFactory {
  readonly name: Target['name'];
  readonly available: boolean;
  start(): Promise<Target>;
}

const FAST_RECONNECT: ClientOptions = { reconnectDelayMs: 20, hostCycleDelayMs: 20 };

async function startOurs(): Promise<Target> {
  const net = memoryNetwork();
  const clock = new ManualClock();
  let storage: MemoryStorage = await memoryStorage();
  const config: ServerConfig = {
    ...DEFAULT_CONFIG,
    clientPort: 2181,
    clientPortAddress: 'server1',
    tickTime: 200,
    minSessionTimeout: 400,
    maxSessionTimeout: 4000,
    extendedTypesEnabled: true,
    fourLetterWordWhitelist: ['ruok', 'srvr', 'stat', 'mntr', 'cons', 'dump', 'wchs', 'wchc', 'wchp', 'isro', 'envi', 'conf', 'dirs'],
  };
  const serverTransport = net.transport({ host: 'server1' });
  const probeTransport: Transport = net.transport({ host: 'probe' });
  const boot = async (): Promise<ZkServer> => {
    const s = await createServer(config, { clock, storage, transport: serverTransport, random: () => 0.5 });
    await s.start();
    return s;
  };
  let server = await boot();
  let links = 0;
  return {
    name: 'zk-ts',
    async link() {
      const host = `client${++links}`;
      const transport = net.transport({ host });
      return {
        connectString: (chroot = '') => `server1:2181${chroot}`,
        clientOptions: { ...FAST_RECONNECT, transport },
        async cut() {
          net.partition(host, 'server1', { mode: 'reset' });
          net.heal(host, 'server1');
        },
        async block() {
          net.partition(host, 'server1', { mode: 'reset' });
        },
        async unblock() {
          net.heal(host, 'server1');
        },
        async dispose() {
          net.heal(host, 'server1');
        },
      };
    },
    sessionTimeoutMs: 1500,
    async passTime(ms) {
      // Step by ticks so the expiry buckets see time move as they would in real time.
      for (let t = 0; t < ms; t += config.tickTime) {
        clock.advance(config.tickTime);
        await new Promise((r) => setImmediate(r));
      }
    },
    async restart() {
      const next = await storage.crash();
      await server.stop();
      storage = next;
      server = await boot();
    },
    async fourLetter(word) {
      const conn = await probeTransport.dial({ host: 'server1', port: 2181 });
      return new Promise((resolve) => {
        let out = '';
        conn.onData((c) => (out += Buffer.from(c).toString('latin1')));
        conn.onClose(() => resolve(out));
        conn.write(Buffer.from(word, 'latin1'));
      });
    },
    async dispose() {
      await server.stop();
    },
  };
}

async function startApache(): Promise<Target> {
  const tickTime = 200;
  const zk: RunningServer = await startServer('zookeeper', { settings: { tickTime } });
  const proxies = new Set<TcpProxy>();
  return {
    name: 'zookeeper-3.8',
    async link() {
      const proxy = await startTcpProxy(zk.port);
      proxies.add(proxy);
      return {
        connectString: (chroot = '') => `127.0.0.1:${proxy.port}${chroot}`,
        clientOptions: { ...FAST_RECONNECT },
        async cut() {
          proxy.cut();
        },
        async block() {
          proxy.block();
          proxy.cut();
        },
        async unblock() {
          proxy.unblock();
        },
        async dispose() {
          proxies.delete(proxy);
          await proxy.close();
        },
      };
    },
    sessionTimeoutMs: 1500,
    async passTime(ms) {
      // Real time: the server expires sessions on its tick after their timeout.
      await new Promise((r) => setTimeout(r, ms + 3 * tickTime));
    },
    async restart() {
      for (const p of proxies) p.cut();
      await zk.restart();
    },
    fourLetter: (word) => fourLetterWord(zk.host, zk.port, word),
    async dispose() {
      for (const p of proxies) await p.close();
      await zk.stop();
    },
  };
}

export const TARGETS: readonly TargetFactory[] = [
  { name: 'zk-ts', available: true, start: startOurs },
  { name: 'zookeeper-3.8', available: zooKeeperAvailable(), start: startApache },
];
