import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerConfig } from '@zk/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CreateServer, type ServerHandle } from '../src/index.js';
import { fakeRuntime, type FakeRuntime } from './support/fake-runtime.js';

let dir: string;
let cfg: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zkserver-start-'));
  cfg = join(dir, 'zoo.cfg');
  await writeFile(cfg, `tickTime=2000\ndataDir=${dir}/data\nclientPort=2181\nclientPortAddress=127.0.0.1\n`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Test double for @zk/server's createServer: records calls, start/stop resolve when the test says. */
interface FakeServer extends ServerHandle {
  readonly events: string[];
  config?: ServerConfig;
}
function fakeServerFactory(behaviour: { startError?: Error; stopError?: Error; mode?: string } = {}) {
  const servers: FakeServer[] = [];
  const create: CreateServer = async (config, { logger }) => {
    const events: string[] = [];
    const server: FakeServer = {
      events,
      config,
      mode: (behaviour.mode ?? 'standalone') as ServerHandle['mode'],
      async start() {
        events.push('start');
        logger.info('fake server listening');
        if (behaviour.startError !== undefined) throw behaviour.startError;
      },
      async stop() {
        events.push('stop');
        if (behaviour.stopError !== undefined) throw behaviour.stopError;
      },
    };
    servers.push(server);
    return server;
  };
  return { servers, deps: { loadCreateServer: async () => create } };
}

/** Runs `zkserver start …` and, once the server has started, calls `whenStarted`. */
async function runStart(rt: FakeRuntime, argv: string[], factory = fakeServerFactory(), whenStarted?: () => void) {
  const done = runCli(['start', ...argv], rt, factory.deps);
  if (whenStarted !== undefined) {
    await until(() => rt.stderrText().includes('zkserver started'));
    whenStarted();
  }
  return { code: await done, factory };
}

/**
 * Yields to the event loop until `cond` holds. The deadline only turns a hang
 * into a failure; nothing depends on how long anything takes.
 */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((r) => setImmediate(r));
  }
}

const jsonLines = (rt: FakeRuntime) =>
  rt.stderrText().trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const exists = (p: string) => readFile(p).then(() => true, () => false);

describe('zkserver start (foreground)', () => {
  it('starts the server with the parsed config and stops it on SIGTERM, exit 0', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const { code, factory } = await runStart(rt, [cfg], undefined, () => rt.raise('SIGTERM'));
    expect(code).toBe(0);
    const server = factory.servers[0]!;
    expect(server.events).toEqual(['start', 'stop']);
    expect(server.config).toMatchObject({ clientPort: 2181, clientPortAddress: '127.0.0.1', tickTime: 2000, dataDir: `${dir}/data` });
    const msgs = jsonLines(rt).map((l) => l['msg']);
    expect(msgs).toEqual(['using config', 'fake server listening', 'zkserver started', 'stopping', 'zkserver stopped']);
    expect(jsonLines(rt)[2]).toMatchObject({ level: 'info', clientPort: 2181, mode: 'standalone', pid: 4242 });
    expect(jsonLines(rt)[3]).toMatchObject({ signal: 'SIGTERM' });
    expect(rt.handlerCount('SIGTERM')).toBe(0);
    expect(rt.handlerCount('SIGINT')).toBe(0);
  });

  it('creates the data directory', async () => {
    const rt = fakeRuntime({ cwd: dir });
    await runStart(rt, [cfg], undefined, () => rt.raise('SIGINT'));
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(dir, 'data'))).isDirectory()).toBe(true);
  });

  it('SIGINT stops gracefully too', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const { code, factory } = await runStart(rt, [cfg], undefined, () => rt.raise('SIGINT'));
    expect(code).toBe(0);
    expect(factory.servers[0]!.events).toEqual(['start', 'stop']);
  });

  it('a second signal exits at once with 128 + signal number', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const factory = fakeServerFactory();
    let releaseStop: (() => void) | undefined;
    const done = runCli(['start', cfg], rt, {
      loadCreateServer: async () => async (config, deps) => {
        const server = await (await factory.deps.loadCreateServer())(config, deps);
        // A stop that hangs (say, storage that will not flush) until the test lets it finish.
        return { mode: server.mode, start: server.start, stop: () => new Promise<void>((r) => { releaseStop = r; }) };
      },
    });
    await until(() => rt.stderrText().includes('zkserver started'));
    rt.raise('SIGTERM');
    await until(() => releaseStop !== undefined);
    expect(rt.exits).toEqual([]);
    rt.raise('SIGTERM');
    expect(rt.exits).toEqual([143]);
    rt.raise('SIGINT');
    expect(rt.exits).toEqual([143, 130]);
    releaseStop!();
    expect(await done).toBe(0);
  });

  it('without a config file uses the defaults (127.0.0.1:2181, ./data)', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const { code, factory } = await runStart(rt, [], undefined, () => rt.raise('SIGTERM'));
    expect(code).toBe(0);
    expect(factory.servers[0]!.config).toMatchObject({
      clientPortAddress: '127.0.0.1', clientPort: 2181, dataDir: join(dir, 'data'), tickTime: 2000,
    });
    expect(jsonLines(rt)[0]).toMatchObject({ msg: 'using config', config: '(built-in defaults)' });
  });

  it('logs config warnings', async () => {
    await writeFile(cfg, `dataDir=${dir}/data\nclientPort=2181\ntikcTime=1\n`);
    const rt = fakeRuntime({ cwd: dir });
    await runStart(rt, [cfg], undefined, () => rt.raise('SIGTERM'));
    expect(jsonLines(rt).find((l) => l['level'] === 'warn')?.['msg']).toMatch(/unknown key tikcTime/);
  });

  it('a bad config exits 2 with the ConfigError message and starts nothing', async () => {
    await writeFile(cfg, `dataDir=${dir}/data\nclientPort=2181\ntickTime=fast\n`);
    const rt = fakeRuntime({ cwd: dir });
    const { code, factory } = await runStart(rt, [cfg]);
    expect(code).toBe(2);
    expect(factory.servers).toEqual([]);
    expect(rt.stderrText()).toBe(
      `zkserver: bad configuration: tickTime: invalid value (got "fast") at ${cfg} line 3; expected a positive integer (milliseconds)\n`,
    );
  });

  it('a start failure (EADDRINUSE) exits 1 with the error logged', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:2181'), { code: 'EADDRINUSE' });
    const { code, factory } = await runStart(rt, [cfg], fakeServerFactory({ startError: error }));
    expect(code).toBe(1);
    expect(factory.servers[0]!.events).toEqual(['start', 'stop']);
    const failure = jsonLines(rt).find((l) => l['level'] === 'error')!;
    expect(failure).toMatchObject({ msg: 'failed to start', err: { code: 'EADDRINUSE', message: expect.stringContaining('127.0.0.1:2181') } });
    expect(rt.handlerCount('SIGTERM')).toBe(0);
  });

  it('an error while stopping exits 1', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const { code } = await runStart(rt, [cfg], fakeServerFactory({ stopError: new Error('flush failed') }), () => rt.raise('SIGTERM'));
    expect(code).toBe(1);
    expect(jsonLines(rt).at(-1)).toMatchObject({ level: 'error', msg: 'error while stopping' });
  });

  it('a signal during startup stops right after the start completes', async () => {
    const rt = fakeRuntime({ cwd: dir });
    const factory = fakeServerFactory();
    let releaseStart: () => void = () => {};
    const done = runCli(['start', cfg], rt, {
      loadCreateServer: async () => async (config, deps) => {
        const server = await (await factory.deps.loadCreateServer())(config, deps);
        return {
          mode: server.mode,
          stop: server.stop,
          start: async () => { await new Promise<void>((r) => { releaseStart = r; }); await server.start(); },
        };
      },
    });
    await until(() => factory.servers.length === 1);
    rt.raise('SIGINT');
    releaseStart();
    expect(await done).toBe(0);
    expect(factory.servers[0]!.events).toEqual(['start', 'stop']);
  });

  it('--log-format text and --log-level', async () => {
    await writeFile(cfg, `dataDir=${dir}/data\nclientPort=2181\ntikcTime=1\n`);
    const rt = fakeRuntime({ cwd: dir });
    const factory = fakeServerFactory();
    const done = runCli(['start', cfg, '--log-format', 'text', '--log-level', 'warn'], rt, factory.deps);
    await until(() => factory.servers[0]?.events.includes('start') === true);
    rt.raise('SIGTERM');
    expect(await done).toBe(0);
    // Only the warning: nothing at info level is written.
    expect(rt.stderrText()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  unknown key tikcTime ignored .* pid=4242\n$/);
  });

  it('defaults to text logs on a terminal', async () => {
    const rt = fakeRuntime({ cwd: dir, stderrIsTTY: true });
    await runStart(rt, [cfg], undefined, () => rt.raise('SIGTERM'));
    expect(rt.stderrText()).toMatch(/Z INFO  zkserver started pid=4242 clientPortAddress=127\.0\.0\.1 clientPort=2181 mode=standalone/);
  });
});

describe('zkserver start --daemon-child (the background process)', () => {
  it('writes its pid file, reports ready to the parent, and removes the pid file on stop', async () => {
    const rt = fakeRuntime({ cwd: dir, withParent: true, pid: 9001 });
    const pidFile = join(dir, 'run', 'zk.pid');
    await mkdir(join(dir, 'run'));
    const done = runCli(['start', cfg, '--daemon-child', '--pid-file', pidFile], rt, fakeServerFactory().deps);
    await until(() => rt.parentMessages.length >= 2);
    expect(await readFile(pidFile, 'utf8')).toBe('9001\n');
    expect(rt.parentMessages).toEqual([
      { type: 'ready', pid: 9001, host: '127.0.0.1', port: 2181, mode: 'standalone' },
      'disconnect',
    ]);
    rt.raise('SIGTERM');
    expect(await done).toBe(0);
    expect(await exists(pidFile)).toBe(false);
  });

  it('reports a start failure to the parent', async () => {
    const rt = fakeRuntime({ cwd: dir, withParent: true });
    const code = await runCli(['start', cfg, '--daemon-child'], rt, fakeServerFactory({ startError: new Error('listen EADDRINUSE 127.0.0.1:2181') }).deps);
    expect(code).toBe(1);
    expect(rt.parentMessages).toEqual([{ type: 'failed', message: 'listen EADDRINUSE 127.0.0.1:2181', exitCode: 1 }, 'disconnect']);
    expect(await exists(join(dir, 'data', 'zkserver.pid'))).toBe(false);
  });

  it('reports a config error to the parent', async () => {
    await writeFile(cfg, 'clientPort=2181\n');
    const rt = fakeRuntime({ cwd: dir, withParent: true });
    expect(await runCli(['start', cfg, '--daemon-child'], rt, fakeServerFactory().deps)).toBe(2);
    expect(rt.parentMessages[0]).toMatchObject({ type: 'failed', exitCode: 2, message: expect.stringMatching(/dataDir is not set/) });
  });
});

describe('zkserver start --daemon (the parent)', () => {
  const ready = { type: 'ready', pid: 5001, host: '127.0.0.1', port: 2181, mode: 'standalone' };

  it('spawns a detached start --daemon-child and prints STARTED when it reports ready', async () => {
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.message(ready);
    const code = await runCli(['start', 'zoo.cfg', '--daemon', '--log-format', 'json'], rt);
    expect(code).toBe(0);
    expect(rt.stdoutText()).toBe(
      `Starting zkserver ... STARTED\nzkserver (pid 5001, standalone) serves clients on 127.0.0.1:2181; output in ${dir}/data/zkserver.out\n`,
    );
    expect(rt.stderrText()).toBe(`Using config: ${cfg}\n`);
    const child = rt.children[0]!;
    expect(child.options).toEqual({
      command: '/usr/bin/node',
      args: ['--enable-source-maps', '/opt/zk/cli.js', 'start', cfg, '--daemon-child', '--pid-file', `${dir}/data/zkserver.pid`, '--log-format', 'json'],
      cwd: dir,
      env: {},
      logFile: `${dir}/data/zkserver.out`,
    });
    expect(child.detached).toBe(true);
  });

  it('honours --log-file and --pid-file', async () => {
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.message(ready);
    expect(await runCli(['start', cfg, '-d', '--log-file', 'logs/zk.out', '--pid-file', 'run/zk.pid'], rt)).toBe(0);
    const options = rt.children[0]!.options;
    expect(options.logFile).toBe(`${dir}/logs/zk.out`);
    expect(options.args).toContain(`${dir}/run/zk.pid`);
  });

  it('without a config file the child gets none either', async () => {
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.message(ready);
    expect(await runCli(['start', '--daemon'], rt)).toBe(0);
    expect(rt.children[0]!.options.args).toEqual(['--enable-source-maps', '/opt/zk/cli.js', 'start', '--daemon-child', '--pid-file', `${dir}/data/zkserver.pid`]);
  });

  it('prints FAILED TO START and the error the child reports', async () => {
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.message({ type: 'failed', message: 'listen EADDRINUSE 127.0.0.1:2181', exitCode: 1 });
    expect(await runCli(['start', cfg, '--daemon'], rt)).toBe(1);
    expect(rt.stdoutText()).toBe('Starting zkserver ... FAILED TO START\n');
    expect(rt.stderrText()).toContain(`zkserver: listen EADDRINUSE 127.0.0.1:2181\nSee ${dir}/data/zkserver.out\n`);
  });

  it('reports a child that exits before it is ready', async () => {
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.exit(3);
    expect(await runCli(['start', cfg, '--daemon'], rt)).toBe(1);
    expect(rt.stderrText()).toMatch(/exited \(code 3\) before it was ready/);
  });

  it('gives up after --start-timeout', async () => {
    const rt = fakeRuntime({ cwd: dir });
    expect(await runCli(['start', cfg, '--daemon', '--start-timeout', '1000'], rt)).toBe(1);
    expect(rt.stdoutText()).toBe('Starting zkserver ... NOT READY\n');
    expect(rt.stderrText()).toMatch(/process 5001 did not report ready within 1000 ms/);
  });

  it('refuses to start a second one while the pid file names a live zkserver', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'zkserver.pid'), '4000');
    const rt = fakeRuntime({ cwd: dir });
    rt.processes.set(4000, { alive: true, commandLine: 'node cli.js start --daemon-child' });
    expect(await runCli(['start', cfg, '--daemon'], rt)).toBe(1);
    expect(rt.stderrText()).toMatch(/zkserver already running as process 4000/);
    expect(rt.children).toEqual([]);
  });

  it('ignores a stale pid file', async () => {
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'zkserver.pid'), '4000');
    const rt = fakeRuntime({ cwd: dir });
    rt.onSpawn = (child) => child.message(ready);
    expect(await runCli(['start', cfg, '--daemon'], rt)).toBe(0);
  });

  it('a bad config exits 2 before spawning anything', async () => {
    await writeFile(cfg, 'dataDir=/d\nclientPort=0\n');
    const rt = fakeRuntime({ cwd: dir });
    expect(await runCli(['start', cfg, '--daemon'], rt)).toBe(2);
    expect(rt.children).toEqual([]);
    expect(rt.stderrText()).toMatch(/^zkserver: bad configuration: clientPort: invalid value \(got "0"\)/);
  });
});
