// Launch Apache ZooKeeper 3.8 or zk-ts as a child process (own session, own process group) on a free
// loopback port with a temporary dataDir, from one generated zoo.cfg (config.ts); stop it, or
// crash it and start it again on the same port and data.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zooCfgLines, zooKeeperJvmProps, type ServerSettings } from './config.js';
import { zkTsAvailable, zkTsCliPath, zooKeeperAvailable, zooKeeperClasspath } from './env.js';
import { freePort, probeReady, retryOnNewPorts, sleep, tail } from './net.js';
import { spawnGroup, type GroupProcess } from './process-group.js';

export type ServerKind = 'zookeeper' | 'zkts';

export interface RunningServer {
  readonly kind: ServerKind;
  readonly host: string;
  readonly port: number;
  /** "127.0.0.1:PORT" */
  readonly connectString: string;
  readonly dataDir: string;
  readonly cfgPath: string;
  /** Of the current process (changes with start()/restart()); -1 when none runs. */
  readonly pid: number;
  /** Combined stdout/stderr of the server so far (all its runs). */
  logs(): string;
  /** False once the process has exited (or was killed). */
  alive(): boolean;
  /**
   * SIGKILL the process group: a crash, no clean shutdown. Port, zoo.cfg and dataDir stay, so
   * start() brings the server back on its data. Idempotent.
   */
  kill(): Promise<void>;
  /** Start the server again (after kill() or an exit) on the same port, zoo.cfg and dataDir; resolves once it is ready. */
  start(): Promise<void>;
  /** kill(), then start(). */
  restart(): Promise<void>;
  /** SIGTERM the process group, SIGKILL after a grace period, remove the temp dir. Idempotent; final. */
  stop(): Promise<void>;
}

export class ServerUnavailableError extends Error {
  override readonly name = 'ServerUnavailableError';
}

export interface StartOptions {
  settings?: ServerSettings;
  host?: string;
  /** ms to wait for readiness (each start). Default 60000. */
  startTimeoutMs?: number;
  /** Keep the temp dir after stop (debugging). Default: env ZK_DIFF_KEEP=1. */
  keep?: boolean;
}

/** Throws ServerUnavailableError when the server of `kind` is not installed / not built. */
export function assertAvailable(kind: ServerKind): void {
  if (kind === 'zookeeper' && !zooKeeperAvailable()) {
    throw new ServerUnavailableError('Apache ZooKeeper not found: /usr/share/java/zookeeper.jar is missing (apt-get install zookeeper) and ZK_CLASSPATH is unset');
  }
  if (kind === 'zkts' && !zkTsAvailable()) {
    throw new ServerUnavailableError(`zk-ts server CLI not found at ${zkTsCliPath()} — build it first (npx nx run @zk/zkserver:build) or set ZK_TS_CLI`);
  }
}

/**
 * The command line that runs one server of `kind` on `cfgPath` (ZooKeeper logs into `logDir`):
 * standalone (ZooKeeperServerMain), or one ensemble member (QuorumPeerMain; zk-ts logs JSON lines).
 */
export function serverCommand(
  kind: ServerKind,
  settings: ServerSettings,
  cfgPath: string,
  logDir: string,
  mode: 'standalone' | 'ensemble' = 'standalone',
  /** ZooKeeper's slf4j-simple level; default env ZK_DIFF_ZK_LOGLEVEL, else warn. */
  zkLogLevel?: string,
): { command: string; args: string[] } {
  if (kind === 'zkts') {
    const args = [zkTsCliPath(), 'start', cfgPath];
    if (mode === 'ensemble') args.push('--log-format', 'json');
    return { command: process.execPath, args };
  }
  return {
    command: process.env['ZK_JAVA'] ?? 'java',
    args: [
      '-Xms64m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.net.preferIPv4Stack=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=' + (zkLogLevel ?? process.env['ZK_DIFF_ZK_LOGLEVEL'] ?? 'warn'),
      `-Dzookeeper.log.dir=${logDir}`,
      ...zooKeeperJvmProps(settings),
      '-cp',
      zooKeeperClasspath(),
      mode === 'ensemble' ? 'org.apache.zookeeper.server.quorum.QuorumPeerMain' : 'org.apache.zookeeper.server.ZooKeeperServerMain',
      cfgPath,
    ],
  };
}

/** Start one server of the given kind; resolves once it answers `ruok` and a real handshake. */
export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<RunningServer> {
  assertAvailable(kind);
  return retryOnNewPorts(() => startOnce(kind, opts));
}

async function startOnce(kind: ServerKind, opts: StartOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const settings = opts.settings ?? {};
  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  const port = await freePort(host);
  const dir = mkdtempSync(join(tmpdir(), `zktest-${kind}-`));
  const dataDir = join(dir, 'data');
  const cfgPath = join(dir, 'zoo.cfg');
  const logPath = join(dir, 'server.log');
  writeFileSync(cfgPath, zooCfgLines(settings, dataDir, port, host).join('\n') + '\n');
  // ZooKeeper creates dataDir itself; zk-ts might not.
  mkdirSync(dataDir, { recursive: true });
  const { command, args } = serverCommand(kind, settings, cfgPath, dir);

  const logs = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  let proc: GroupProcess | null = null;
  let stopped = false;

  /** Spawn and wait until ready; on failure the process is killed and the error thrown. */
  const boot = async (): Promise<void> => {
    const p = spawnGroup(command, args, { cwd: dir, logPath });
    proc = p;
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      const exit = p.exitStatus();
      if (exit !== null) {
        throw new Error(`${kind} exited during startup (code ${exit.code}, signal ${exit.signal}); log tail:\n${tail(logs(), 40)}`);
      }
      if (await probeReady(host, port)) return;
      if (Date.now() > deadline) {
        const text = logs();
        await p.kill();
        throw new Error(`${kind} did not become ready on ${host}:${port} in time; log tail:\n${tail(text, 40)}`);
      }
      await sleep(100);
    }
  };
  const kill = async (): Promise<void> => {
    const p = proc;
    proc = null;
    await p?.kill();
  };
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    const p = proc;
    proc = null;
    await p?.stop(5000);
    if (!(opts.keep ?? process.env['ZK_DIFF_KEEP'] === '1')) rmSync(dir, { recursive: true, force: true });
  };
  const start = async (): Promise<void> => {
    if (stopped) throw new Error(`${kind} on ${host}:${port} was stopped; start a new server instead`);
    if (proc?.alive()) throw new Error(`${kind} on ${host}:${port} is already running`);
    await boot();
  };

  try {
    await boot();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    kind,
    host,
    port,
    connectString: `${host}:${port}`,
    dataDir,
    cfgPath,
    get pid() {
      return proc?.pid ?? -1;
    },
    logs,
    alive: () => proc?.alive() ?? false,
    kill,
    start,
    async restart() {
      await kill();
      await start();
    },
    stop,
  };
}
