// Launch Apache ZooKeeper 3.8 or zk-ts as a child process (own session, own process group) on a free
// loopback port with a temporary dataDir, from one generated zoo.cfg, and stop it again.
//
// Both servers get the SAME effective settings. ZooKeeper turns unknown zoo.cfg keys into
// `zookeeper.<key>` system properties, which is enough for some settings (extendedTypesEnabled,
// DigestAuthenticationProvider.superDigest) but not for those read under another name
// (`jute.maxbuffer`, `znode.container.checkIntervalMs`), so every setting is also passed to the JVM
// as the exact -D property ZooKeeper reads. zk-ts reads the same keys from zoo.cfg.

import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ServerKind = 'zookeeper' | 'zkts';

export interface ServerSettings {
  /** ms; default 500 so that session-expiry cases are quick (min/max session timeout 2x/20x). */
  tickTime?: number;
  minSessionTimeout?: number;
  maxSessionTimeout?: number;
  /** Extended types (TTL nodes). Default true. */
  extendedTypesEnabled?: boolean;
  /** `super:<base64(sha1("super:" + password))>`; see superDigestFor(). Default: super/super-secret. */
  superDigest?: string | null;
  /** ContainerManager period (ZooKeeper default 60000). Default 100 so container/TTL cases are quick. */
  containerCheckIntervalMs?: number;
  /** Frame / data size limit. Default: server default (0xfffff) -> not written. */
  juteMaxBuffer?: number;
  /** Default 0 (unlimited) — the harness opens many connections. */
  maxClientCnxns?: number;
  /** Extra zoo.cfg lines (also passed to ZooKeeper as -Dzookeeper.<key>). */
  extraCfg?: Record<string, string>;
}

export interface RunningServer {
  readonly kind: ServerKind;
  readonly host: string;
  readonly port: number;
  /** "127.0.0.1:PORT" */
  readonly connectString: string;
  readonly dataDir: string;
  readonly cfgPath: string;
  readonly pid: number;
  /** Combined stdout/stderr of the server so far. */
  logs(): string;
  /** False once the process has exited. */
  alive(): boolean;
  /** SIGTERM the process group, SIGKILL after a grace period, remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export const SUPER_USER = 'super';
export const SUPER_PASSWORD = 'super-secret';

/** The digest form ZooKeeper's DigestAuthenticationProvider compares against: user:base64(sha1(user:pass)). */
export function digestFor(user: string, password: string): string {
  const hash = createHash('sha1').update(`${user}:${password}`, 'utf8').digest('base64');
  return `${user}:${hash}`;
}

export const DEFAULT_SETTINGS: Required<Omit<ServerSettings, 'juteMaxBuffer' | 'extraCfg'>> = {
  tickTime: 500,
  minSessionTimeout: -1,
  maxSessionTimeout: -1,
  extendedTypesEnabled: true,
  superDigest: digestFor(SUPER_USER, SUPER_PASSWORD),
  containerCheckIntervalMs: 100,
  maxClientCnxns: 0,
};

const here = dirname(fileURLToPath(import.meta.url));
/** Repository root (tools/difftest/src -> ../../..). */
export const REPO_ROOT = resolve(here, '..', '..', '..');

export function zkTsCliPath(): string {
  return process.env['ZK_TS_CLI'] ?? join(REPO_ROOT, 'apps', 'server', 'dist', 'cli.js');
}

export class ServerUnavailableError extends Error {
  override readonly name = 'ServerUnavailableError';
}

/** A port that was free a moment ago on 127.0.0.1 (bind 0, read, close). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      if (addr === null || typeof addr === 'string') {
        srv.close();
        reject(new Error('no port'));
        return;
      }
      const { port } = addr;
      srv.close(() => resolvePort(port));
    });
  });
}

/** The zoo.cfg lines both servers get (order stable). */
export function zooCfgLines(settings: ServerSettings, dataDir: string, port: number, host: string): string[] {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const lines = [
    `tickTime=${s.tickTime}`,
    `dataDir=${dataDir}`,
    `clientPort=${port}`,
    `clientPortAddress=${host}`,
    `maxClientCnxns=${s.maxClientCnxns}`,
    '4lw.commands.whitelist=*',
    'admin.enableServer=false',
    `extendedTypesEnabled=${s.extendedTypesEnabled}`,
    `znode.container.checkIntervalMs=${s.containerCheckIntervalMs}`,
  ];
  if (s.minSessionTimeout > 0) lines.push(`minSessionTimeout=${s.minSessionTimeout}`);
  if (s.maxSessionTimeout > 0) lines.push(`maxSessionTimeout=${s.maxSessionTimeout}`);
  if (s.superDigest) lines.push(`DigestAuthenticationProvider.superDigest=${s.superDigest}`);
  if (settings.juteMaxBuffer !== undefined) lines.push(`jute.maxbuffer=${settings.juteMaxBuffer}`);
  for (const [k, v] of Object.entries(settings.extraCfg ?? {})) lines.push(`${k}=${v}`);
  return lines;
}

/** JVM system properties ZooKeeper needs for the same effective settings as the zoo.cfg. */
export function zooKeeperJvmProps(settings: ServerSettings): string[] {
  const s = { ...DEFAULT_SETTINGS, ...settings };
  const props = [
    `-Dzookeeper.extendedTypesEnabled=${s.extendedTypesEnabled}`,
    `-Dznode.container.checkIntervalMs=${s.containerCheckIntervalMs}`,
    '-Dzookeeper.admin.enableServer=false',
    '-Dzookeeper.4lw.commands.whitelist=*',
  ];
  if (s.superDigest) props.push(`-Dzookeeper.DigestAuthenticationProvider.superDigest=${s.superDigest}`);
  if (settings.juteMaxBuffer !== undefined) props.push(`-Djute.maxbuffer=${settings.juteMaxBuffer}`);
  for (const [k, v] of Object.entries(settings.extraCfg ?? {})) props.push(`-Dzookeeper.${k}=${v}`);
  return props;
}

/** The classpath zkEnv.sh uses (zookeeper.jar's manifest pulls in the rest), plus a log binding if present. */
export function zooKeeperClasspath(): string {
  const override = process.env['ZK_CLASSPATH'];
  if (override) return override;
  const parts = ['/etc/zookeeper/conf', '/usr/share/java/zookeeper.jar'];
  if (existsSync('/usr/share/java/slf4j-simple.jar')) parts.push('/usr/share/java/slf4j-simple.jar');
  return parts.join(':');
}

export function zooKeeperAvailable(): boolean {
  return existsSync('/usr/share/java/zookeeper.jar') || !!process.env['ZK_CLASSPATH'];
}

export function zkTsAvailable(): boolean {
  return existsSync(zkTsCliPath());
}

// Every child we start, so that a crashing test process still takes them down.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
}

export interface StartOptions {
  settings?: ServerSettings;
  host?: string;
  /** ms to wait for readiness. Default 60000. */
  startTimeoutMs?: number;
  /** Keep the temp dir after stop (debugging). Default: env ZK_DIFF_KEEP=1. */
  keep?: boolean;
}

/** Start one server of the given kind; resolves once it answers `ruok` with `imok` (or a handshake). */
export async function startServer(kind: ServerKind, opts: StartOptions = {}): Promise<RunningServer> {
  let lastErr: unknown;
  // A port found free may be taken before the server binds it: retry a few times.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(kind, opts);
    } catch (e) {
      if (e instanceof ServerUnavailableError) throw e;
      lastErr = e;
    }
  }
  throw lastErr;
}

async function startOnce(kind: ServerKind, opts: StartOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const settings = opts.settings ?? {};
  if (kind === 'zookeeper' && !zooKeeperAvailable()) {
    throw new ServerUnavailableError('Apache ZooKeeper not found: /usr/share/java/zookeeper.jar is missing (apt-get install zookeeper) and ZK_CLASSPATH is unset');
  }
  if (kind === 'zkts' && !zkTsAvailable()) {
    throw new ServerUnavailableError(`zk-ts server CLI not found at ${zkTsCliPath()} — build it first (npx nx run @zk/zkserver:build) or set ZK_TS_CLI`);
  }
  const port = await freePort(host);
  const dir = mkdtempSync(join(tmpdir(), `zkdiff-${kind}-`));
  const dataDir = join(dir, 'data');
  const cfgPath = join(dir, 'zoo.cfg');
  const logPath = join(dir, 'server.log');
  writeFileSync(cfgPath, zooCfgLines(settings, dataDir, port, host).join('\n') + '\n');
  // ZooKeeper creates dataDir itself; zk-ts might not.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });

  let command: string;
  let args: string[];
  if (kind === 'zookeeper') {
    command = process.env['ZK_JAVA'] ?? 'java';
    args = [
      '-Xms64m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.net.preferIPv4Stack=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=' + (process.env['ZK_DIFF_ZK_LOGLEVEL'] ?? 'warn'),
      `-Dzookeeper.log.dir=${dir}`,
      ...zooKeeperJvmProps(settings),
      '-cp',
      zooKeeperClasspath(),
      'org.apache.zookeeper.server.ZooKeeperServerMain',
      cfgPath,
    ];
  } else {
    command = process.execPath;
    args = [zkTsCliPath(), 'start', cfgPath];
  }

  const logFd = openSync(logPath, 'a');
  // detached: the child calls setsid(), so it leads its own session and process group,
  // as zkServer.sh does with nohup; we stop the whole group.
  const child = spawn(command, args, { cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  installExitHook();
  live.add(child);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exitPromise = new Promise<void>((res) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      live.delete(child);
      res();
    });
    child.once('error', (err) => {
      exited = { code: -1, signal: null };
      writeFileSync(logPath, `spawn error: ${err.message}\n`, { flag: 'a' });
      live.delete(child);
      res();
    });
  });
  const logs = (): string => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (exited === null && child.pid !== undefined) {
      signalGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => {
        if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      }, 5000);
      await exitPromise;
      clearTimeout(timer);
      // Anything the server itself spawned in its group goes too.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
    }
    if (!(opts.keep ?? process.env['ZK_DIFF_KEEP'] === '1')) rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== null) {
      const e = exited as { code: number | null; signal: NodeJS.Signals | null };
      const text = logs();
      await stop();
      throw new Error(`${kind} exited during startup (code ${e.code}, signal ${e.signal}); log tail:\n${tail(text, 40)}`);
    }
    if (await probeReady(host, port)) break;
    if (Date.now() > deadline) {
      const text = logs();
      await stop();
      throw new Error(`${kind} did not become ready on ${host}:${port} in time; log tail:\n${tail(text, 40)}`);
    }
    await sleep(100);
  }
  return {
    kind,
    host,
    port,
    connectString: `${host}:${port}`,
    dataDir,
    cfgPath,
    pid: child.pid ?? -1,
    logs,
    alive: () => exited === null,
    stop,
  };
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    /* group already gone */
  }
}


export function tail(text: string, lines: number): string {
  const all = text.split('\n');
  return all.slice(Math.max(0, all.length - lines)).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Readiness: the port accepts a `ruok`, and then a full handshake succeeds; the probe session is
 * closed with closeSession, so that no session is left to expire later and disturb the zxid
 * sequence.
 */
export async function probeReady(host: string, port: number): Promise<boolean> {
  const r = await fourLetterWord(host, port, 'ruok', 2000).catch(() => null);
  if (r === null) return false; // refused: not listening yet
  // ZooKeeper answers imok as soon as its socket listens, before the database is loaded and
  // requests are served, so a real handshake confirms readiness either way.
  return handshakeProbe(host, port);
}

/** Send a four-letter word and collect everything until the server closes. */
export function fourLetterWord(host: string, port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((res, rej) => {
    const sock = netConnect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      res(Buffer.concat(chunks).toString('utf8'));
    }, timeoutMs);
    sock.on('connect', () => sock.write(word));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (e) => {
      clearTimeout(timer);
      sock.destroy();
      rej(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      res(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

/** Minimal hand-encoded ConnectRequest / closeSession, independent of @zk/protocol. */
function handshakeProbe(host: string, port: number): Promise<boolean> {
  return new Promise((res) => {
    const sock = netConnect({ host, port });
    let buf = Buffer.alloc(0);
    let stage = 0;
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      res(ok);
    };
    const timer = setTimeout(() => done(false), 3000);
    sock.on('connect', () => {
      const body = Buffer.alloc(4 + 8 + 4 + 8 + 4 + 16 + 1);
      let o = 0;
      body.writeInt32BE(0, o); o += 4; // protocolVersion
      body.writeBigInt64BE(0n, o); o += 8; // lastZxidSeen
      body.writeInt32BE(30000, o); o += 4; // timeOut
      body.writeBigInt64BE(0n, o); o += 8; // sessionId
      body.writeInt32BE(16, o); o += 4; // passwd length
      o += 16;
      body.writeUInt8(0, o); // readOnly
      const len = Buffer.alloc(4);
      len.writeInt32BE(body.length);
      sock.write(Buffer.concat([len, body]));
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4) return;
      const n = buf.readInt32BE(0);
      if (buf.length < 4 + n) return;
      if (stage === 0) {
        stage = 1;
        buf = buf.subarray(4 + n);
        const close = Buffer.alloc(12);
        close.writeInt32BE(8, 0);
        close.writeInt32BE(1, 4); // xid
        close.writeInt32BE(-11, 8); // closeSession
        sock.write(close);
      } else {
        done(true);
      }
    });
    sock.on('error', () => done(false));
    sock.on('close', () => done(stage === 1));
  });
}
