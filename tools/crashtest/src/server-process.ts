// Starting, killing and restarting a real `zkserver` process on a temp data directory.
// The server runs in a session of its own (spawn's `detached`, i.e. setsid(2)), so signals aimed
// at the test's process group never reach it; we only ever signal the pid we started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/server/dist/cli.js in this repository (override with ZKSERVER_CLI). */
export function defaultServerCli(): string {
  const env = process.env['ZKSERVER_CLI'];
  if (env !== undefined && env.length > 0) return resolve(env);
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '../../../apps/server/dist/cli.js');
}

/** A loopback port that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export interface ServerOptions {
  dir: string;
  port: number;
  snapCount?: number;
  tickTime?: number;
  /** Extra zoo.cfg lines. */
  extra?: string[];
  cli?: string;
}

export interface LogLine {
  level?: string;
  msg?: string;
  [k: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One run of the server process (from spawn to exit). */
export class ServerProcess {
  readonly lines: LogLine[] = [];
  readonly rawStderr: string[] = [];
  readonly exited: Promise<Exit>;
  private exitInfo: Exit | undefined;
  private ready: Promise<boolean>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    private readonly logStream: WriteStream,
  ) {
    let resolveReady!: (ok: boolean) => void;
    this.ready = new Promise((r) => (resolveReady = r));
    let buf = '';
    const onText = (text: string): void => {
      logStream.write(text);
      buf += text;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.rawStderr.push(line);
        try {
          const j = JSON.parse(line) as LogLine;
          this.lines.push(j);
          if (j.msg === 'zkserver started') resolveReady(true);
        } catch {
          // not JSON: kept in rawStderr
        }
      }
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', onText);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (t: string) => logStream.write(t));
    this.exited = new Promise((res) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolveReady(false);
        res(this.exitInfo);
      });
    });
  }

  /** Writes zoo.cfg and spawns `node cli.js start zoo.cfg` in a new session. */
  static async start(o: ServerOptions, runNo: number): Promise<ServerProcess> {
    const cfg = join(o.dir, 'zoo.cfg');
    const lines = [
      `tickTime=${o.tickTime ?? 500}`,
      `dataDir=${join(o.dir, 'data')}`,
      `clientPort=${o.port}`,
      'clientPortAddress=127.0.0.1',
      'forceSync=yes',
      `snapCount=${o.snapCount ?? 100000}`,
      'maxClientCnxns=0',
      'minSessionTimeout=1000',
      'maxSessionTimeout=60000',
      '4lw.commands.whitelist=*',
      ...(o.extra ?? []),
    ];
    await writeFile(cfg, lines.join('\n') + '\n');
    const cli = o.cli ?? defaultServerCli();
    if (!existsSync(cli)) throw new Error(`${cli} not found: build it first (npm run build at the repository root)`);
    const logStream = createWriteStream(join(o.dir, `server-${runNo}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [cli, 'start', cfg, '--log-format', 'json'], {
      cwd: o.dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    LIVE.add(child);
    child.once('exit', () => LIVE.delete(child));
    return new ServerProcess(child, o.port, logStream);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exit(): Exit | undefined {
    return this.exitInfo;
  }

  /** Resolves true once the server logs that it listens, false if it exits first. */
  waitReady(): Promise<boolean> {
    return this.ready;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exitInfo === undefined && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, signal);
      } catch {
        // already gone
      }
    }
  }

  async killAndWait(): Promise<Exit> {
    this.kill('SIGKILL');
    const e = await this.exited;
    await new Promise<void>((r) => this.logStream.end(r));
    return e;
  }

  async stop(): Promise<Exit> {
    this.kill('SIGTERM');
    const e = await this.exited;
    await new Promise<void>((r) => this.logStream.end(r));
    return e;
  }

  warnings(): LogLine[] {
    return this.lines.filter((l) => l.level === 'warn');
  }
  errors(): LogLine[] {
    return this.lines.filter((l) => l.level === 'error');
  }
}

/** Every server process this module started and that still runs (killed on exit). */
const LIVE = new Set<ChildProcess>();
export function killAllStarted(): void {
  for (const c of LIVE) {
    if (c.pid !== undefined) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}
