import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { fakeRuntime } from './support/fake-runtime.js';
import { listenOnFreePort, unusedPort } from './support/net.js';

// End to end against the real @zk/server (its built dist, as `npm run build` leaves it).

const appDir = fileURLToPath(new URL('..', import.meta.url));
/** A private build of the CLI; under node_modules so Node finds @zk/server from it and git ignores it. */
const buildDir = join(appDir, 'node_modules', '.cache', 'zkserver-e2e');
const cli = join(buildDir, 'cli.js');

let dir: string;
let cfg: string;
let port: number;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zkserver-e2e-'));
  cfg = join(dir, 'zoo.cfg');
  port = await unusedPort();
  await writeFile(cfg, `tickTime=2000\ndataDir=${dir}/data\nclientPort=${port}\nclientPortAddress=127.0.0.1\n`);
});
afterEach(async () => {
  // If a test failed half-way, do not leave a daemon behind.
  const pid = Number((await readFile(join(dir, 'data', 'zkserver.pid'), 'utf8').catch(() => '')).trim());
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await rm(dir, { recursive: true, force: true });
});

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

describe('zkserver in-process with the real server', () => {
  it('start, status, SIGTERM, status again', async () => {
    const rt = fakeRuntime({ cwd: dir });
    let finished = false;
    const running = runCli(['start', cfg], rt).finally(() => { finished = true; });
    await until(() => rt.stderrText().includes('zkserver started') || finished);

    const statusRt = fakeRuntime({ cwd: dir });
    expect(await runCli(['status', cfg], statusRt)).toBe(0);
    expect(statusRt.stdoutText()).toBe(`Client port found: ${port}. Client address: 127.0.0.1.\nMode: standalone\n`);

    rt.raise('SIGTERM');
    expect(await running).toBe(0);
    expect(rt.stderrText()).toContain('"msg":"zkserver stopped"');

    const after = fakeRuntime({ cwd: dir });
    expect(await runCli(['status', cfg], after)).toBe(1);
    expect(after.stdoutText()).toContain('Error contacting service. It is probably not running.');
  });

  it('a port in use: exit 1 with the address in the error', async () => {
    const squatter = await listenOnFreePort(() => {});
    try {
      await writeFile(cfg, `dataDir=${dir}/data\nclientPort=${squatter.port}\nclientPortAddress=127.0.0.1\n`);
      const rt = fakeRuntime({ cwd: dir });
      expect(await runCli(['start', cfg], rt)).toBe(1);
      const failure = rt.stderrText().split('\n').find((l) => l.includes('"failed to start"'));
      expect(failure).toContain(String(squatter.port));
      expect(rt.handlerCount('SIGTERM')).toBe(0);
    } finally {
      await squatter.close();
    }
  });
});

describe('the zkserver executable', () => {
  beforeAll(async () => {
    await build({
      config: false,
      entry: { cli: join(appDir, 'src', 'cli.ts') },
      outDir: buildDir,
      format: ['esm'],
      platform: 'node',
      target: 'node20',
      banner: { js: '#!/usr/bin/env node' },
      external: [/^@zk\//],
      clean: true,
      silent: true,
    });
  });
  afterAll(async () => {
    await rm(buildDir, { recursive: true, force: true });
    // Leave no empty node_modules/.cache behind (rmdir refuses non-empty directories).
    await rmdir(join(appDir, 'node_modules', '.cache')).catch(() => {});
    await rmdir(join(appDir, 'node_modules')).catch(() => {});
  });

  const zkserver = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, SERVER_JVMFLAGS: '', JVMFLAGS: '' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });

  it('start --daemon, status, stop: like zkServer.sh', async () => {
    const started = await zkserver('start', cfg, '--daemon');
    expect(started.stdout).toMatch(/^Starting zkserver \.\.\. STARTED\n/);
    expect(started.code).toBe(0);
    const pid = Number((await readFile(join(dir, 'data', 'zkserver.pid'), 'utf8')).trim());
    expect(pid).toBeGreaterThan(0);
    expect(started.stdout).toContain(`pid ${pid}, standalone`);

    const again = await zkserver('start', cfg, '--daemon');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`already running as process ${pid}`);

    const status = await zkserver('status', cfg);
    expect(status.code).toBe(0);
    expect(status.stdout).toBe(`Client port found: ${port}. Client address: 127.0.0.1.\nMode: standalone\n`);

    const stopped = await zkserver('stop', cfg);
    expect(stopped.stdout).toBe('Stopping zkserver ... STOPPED\n');
    expect(stopped.code).toBe(0);
    await expect(readFile(join(dir, 'data', 'zkserver.pid'))).rejects.toThrow(/ENOENT/);

    const out = await readFile(join(dir, 'data', 'zkserver.out'), 'utf8');
    expect(out).toContain('"msg":"zkserver started"');
    expect(out).toContain('"msg":"zkserver stopped"');

    const down = await zkserver('status', cfg);
    expect(down.code).toBe(1);
    expect(down.stdout).toContain('Error contacting service. It is probably not running.');
    const nothing = await zkserver('stop', cfg);
    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toMatch(/^No zkserver to stop/);
  });

  it('start --daemon on a port in use prints FAILED TO START and exits 1', async () => {
    const squatter = await listenOnFreePort(() => {});
    try {
      await writeFile(cfg, `dataDir=${dir}/data\nclientPort=${squatter.port}\nclientPortAddress=127.0.0.1\n`);
      const r = await zkserver('start', cfg, '--daemon');
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('Starting zkserver ... FAILED TO START\n');
      expect(r.stderr).toContain(String(squatter.port));
      await expect(readFile(join(dir, 'data', 'zkserver.pid'))).rejects.toThrow(/ENOENT/);
    } finally {
      await squatter.close();
    }
  });

  it('a bad config exits 2 with the message', async () => {
    await writeFile(cfg, `dataDir=${dir}/data\nclientPort=${port}\nmaxClientCnxns=lots\n`);
    const r = await zkserver('start', cfg);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`zkserver: bad configuration: maxClientCnxns: invalid value (got "lots") at ${cfg} line 3; expected an integer >= 0 (0 = no limit)\n`);
  });

  it('version and --help', async () => {
    expect((await zkserver('version')).stdout).toMatch(/^zkserver 0\.1\.0 /);
    const help = await zkserver('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: zkserver <command>');
  });

  it('SIGTERM stops a foreground server with exit 0', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli, 'start', cfg, '--log-format', 'json'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until(() => stderr.includes('"zkserver started"') || child.exitCode !== null);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('"msg":"zkserver stopped"');
  });
});
