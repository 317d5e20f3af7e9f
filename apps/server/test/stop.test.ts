import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeRuntime, runCli, type Runtime } from '../src/index.js';
import { fakeRuntime, type FakeRuntime } from './support/fake-runtime.js';

let dir: string;
let cfg: string;
let pidFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zkserver-stop-'));
  await mkdir(join(dir, 'data'));
  cfg = join(dir, 'zoo.cfg');
  pidFile = join(dir, 'data', 'zkserver.pid');
  await writeFile(cfg, `dataDir=${dir}/data\nclientPort=2181\n`);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string) => readFile(p).then(() => true, () => false);
const DAEMON_CMDLINE = '/usr/bin/node /opt/zk/cli.js start /etc/zk/zoo.cfg --daemon-child --pid-file /x';

async function stop(rt: FakeRuntime | Runtime, ...argv: string[]) {
  const code = await runCli(['stop', cfg, ...argv], rt);
  return code;
}

describe('zkserver stop', () => {
  it('without a pid file says there is nothing to stop and exits 0', async () => {
    const rt = fakeRuntime({ cwd: dir });
    expect(await stop(rt)).toBe(0);
    expect(rt.stdoutText()).toBe(`No zkserver to stop (could not find file ${pidFile})\n`);
    expect(rt.stderrText()).toBe(`Using config: ${cfg}\n`);
  });

  it('removes a stale pid file whose process is gone', async () => {
    await writeFile(pidFile, '31337\n');
    const rt = fakeRuntime({ cwd: dir });
    expect(await stop(rt)).toBe(0);
    expect(rt.stdoutText()).toBe(`No zkserver to stop: process 31337 from ${pidFile} is not running; removed the stale pid file\n`);
    expect(await exists(pidFile)).toBe(false);
    expect(rt.signalsSent).toEqual([]);
  });

  it('does not signal a reused pid that is not a zkserver', async () => {
    await writeFile(pidFile, '1234');
    const rt = fakeRuntime({ cwd: dir });
    rt.processes.set(1234, { alive: true, commandLine: '/usr/sbin/sshd -D' });
    expect(await stop(rt)).toBe(0);
    expect(rt.signalsSent).toEqual([]);
    expect(rt.stdoutText()).toMatch(/process 1234 .* is not a zkserver \(the pid was reused\); left it alone/);
    expect(await exists(pidFile)).toBe(false);
  });

  it('removes a pid file that holds no pid', async () => {
    await writeFile(pidFile, 'hello');
    const rt = fakeRuntime({ cwd: dir });
    expect(await stop(rt)).toBe(0);
    expect(rt.stdoutText()).toMatch(/held "hello", not a process id; removed it/);
    expect(await exists(pidFile)).toBe(false);
  });

  it('sends SIGTERM, waits for the exit and removes the pid file', async () => {
    await writeFile(pidFile, '777\n');
    const rt = fakeRuntime({ cwd: dir });
    let checksAfterSignal = 0;
    rt.processes.set(777, {
      alive: true,
      commandLine: DAEMON_CMDLINE,
      // Exits a few polls after the signal, as a server flushing its storage would.
      onSignal: (signal, p) => {
        expect(signal).toBe('SIGTERM');
        const realKill = rt.kill.bind(rt);
        rt.kill = (pid, s) => {
          if (pid === 777 && s === 0 && ++checksAfterSignal >= 3) p.alive = false;
          realKill(pid, s);
        };
      },
    });
    expect(await stop(rt)).toBe(0);
    expect(rt.signalsSent).toEqual([{ pid: 777, signal: 'SIGTERM' }]);
    expect(rt.stdoutText()).toBe('Stopping zkserver ... STOPPED\n');
    expect(await exists(pidFile)).toBe(false);
  });

  it('gives up after --timeout when the process does not exit', async () => {
    await writeFile(pidFile, '778');
    const rt = fakeRuntime({ cwd: dir });
    rt.processes.set(778, { alive: true, commandLine: DAEMON_CMDLINE, onSignal: () => {} });
    expect(await stop(rt, '--timeout', '1000')).toBe(1);
    expect(rt.stdoutText()).toBe('Stopping zkserver ... NOT STOPPED\n');
    expect(rt.stderrText()).toMatch(/process 778 is still running after 1000 ms.*kill -9 778/);
    expect(await exists(pidFile)).toBe(true);
  });

  it('reports a process it may not signal', async () => {
    await writeFile(pidFile, '1');
    const rt = fakeRuntime({ cwd: dir });
    rt.processes.set(1, { alive: true, foreign: true });
    expect(await stop(rt)).toBe(1);
    expect(rt.stderrText()).toMatch(/not allowed to signal process 1/);
  });

  it('uses --pid-file when given', async () => {
    const custom = join(dir, 'custom.pid');
    await writeFile(custom, '779');
    const rt = fakeRuntime({ cwd: dir });
    rt.processes.set(779, { alive: true, commandLine: DAEMON_CMDLINE });
    expect(await stop(rt, '--pid-file', 'custom.pid')).toBe(0);
    expect(rt.signalsSent).toEqual([{ pid: 779, signal: 'SIGTERM' }]);
    expect(await exists(custom)).toBe(false);
  });

  it('stops a real process (real signals, no fakes)', async () => {
    const child = spawn(process.execPath, [
      '-e', "process.on('SIGTERM', () => process.exit(0)); process.send('up'); setInterval(() => {}, 1 << 30);",
      '--', 'zkserver-test', '--daemon-child',
    ], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await new Promise((resolve) => child.once('message', resolve));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await writeFile(pidFile, `${child.pid}\n`);
    const out: string[] = [];
    const rt: Runtime = { ...nodeRuntime(), cwd: dir, stdout: (t) => { out.push(t); }, stderr: () => {} };
    expect(await stop(rt)).toBe(0);
    expect(out.join('')).toBe('Stopping zkserver ... STOPPED\n');
    await exited;
    expect(await exists(pidFile)).toBe(false);
  });
});
