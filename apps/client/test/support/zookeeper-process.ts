// Apache ZooKeeper 3.8 as a child process for tests: a free loopback port, a temporary dataDir,
// its own process group (killed as a whole), ready once `ruok` answers `imok`.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JAR = '/usr/share/java/zookeeper.jar';
const CONF = '/etc/zookeeper/conf';

/** True when a ZooKeeper jar and a JVM are installed. */
export function zookeeperAvailable(): boolean {
  return existsSync(JAR) && (existsSync('/usr/bin/java') || existsSync('/usr/local/bin/java'));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Sends a four-letter word and returns the whole answer ('' when nothing answered). */
export function fourLetterWord(port: number, word: string, host = '127.0.0.1', timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.setTimeout(timeoutMs, () => s.destroy());
    let out = '';
    s.setEncoding('latin1');
    s.on('data', (d: string) => (out += d));
    s.on('connect', () => s.end(word));
    s.on('error', () => resolve(''));
    s.on('close', () => resolve(out));
  });
}

export interface ZooKeeperProcess {
  readonly port: number;
  readonly tickTime: number;
  /** Kills the server (SIGKILL, no clean shutdown) and starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Kills the server; the data stays until `dispose`. */
  kill(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of running) {
    try {
      if (p.pid !== undefined) process.kill(-p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export async function startZooKeeper(options: { tickTime?: number; properties?: Record<string, string> } = {}): Promise<ZooKeeperProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'zk-client-test-'));
  const port = await freePort();
  const tickTime = options.tickTime ?? 200;
  const props: Record<string, string> = {
    tickTime: String(tickTime),
    dataDir: join(dir, 'data'),
    clientPort: String(port),
    clientPortAddress: '127.0.0.1',
    maxClientCnxns: '0',
    '4lw.commands.whitelist': '*',
    'admin.enableServer': 'false',
    extendedTypesEnabled: 'true',
    ...options.properties,
  };
  const cfg = join(dir, 'zoo.cfg');
  await writeFile(cfg, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    child = spawn(
      'java',
      [
        '-Xmx256m',
        '-XX:+UseSerialGC',
        '-XX:TieredStopAtLevel=1',
        `-Dzookeeper.log.dir=${dir}`,
        '-Dzookeeper.extendedTypesEnabled=true',
        '-Dznode.container.checkIntervalMs=100',
        '-cp',
        `${CONF}:${JAR}`,
        'org.apache.zookeeper.server.ZooKeeperServerMain',
        cfg,
      ],
      { detached: true, stdio: 'ignore' },
    );
    running.add(child);
    const deadline = Date.now() + 60_000;
    while ((await fourLetterWord(port, 'ruok')) !== 'imok') {
      if (child.exitCode !== null) throw new Error(`ZooKeeper exited with ${child.exitCode} (see ${dir})`);
      if (Date.now() > deadline) throw new Error('ZooKeeper did not start within 60 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.pid === undefined) return;
    const exited = new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
    try {
      process.kill(-c.pid, 'SIGKILL');
    } catch {
      // gone already
    }
    await exited;
    running.delete(c);
  };

  await start();
  return {
    port,
    tickTime,
    start,
    kill,
    async restart() {
      await kill();
      await start();
    },
    async dispose() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
