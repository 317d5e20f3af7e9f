import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, fourLetterWord, freePort, spawnGroup, startServer, tail, zkTsAvailable } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'testkit-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('helpers', () => {
  it('finds the repository root', () => {
    expect(existsSync(join(REPO_ROOT, 'nx.json'))).toBe(true);
  });

  it('tail keeps the last lines', () => {
    expect(tail('a\nb\nc', 2)).toBe('b\nc');
    expect(tail('a', 5)).toBe('a');
  });

  it('finds a port that can be bound, and reads a four-letter answer until the close', async () => {
    const port = await freePort();
    const server: Server = createServer((s) => s.once('data', (d) => s.end(d.toString() === 'ruok' ? 'imok' : '')));
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      expect(await fourLetterWord('127.0.0.1', port, 'ruok')).toBe('imok');
    } finally {
      await new Promise((r) => server.close(r));
    }
    await expect(fourLetterWord('127.0.0.1', port, 'ruok')).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('spawnGroup', () => {
  it('runs the child in its own process group, logs its output, and stops the whole group', async () => {
    const logPath = join(dir, 'group.log');
    // The child starts a grandchild in the same group, then both sleep.
    const script = `
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log('grandchild ' + g.pid);
      setInterval(() => {}, 1000);`;
    const p = spawnGroup(process.execPath, ['-e', script], { cwd: dir, logPath });
    let grandchild = 0;
    for (let i = 0; i < 100 && grandchild === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      grandchild = Number(/grandchild (\d+)/.exec(readFileSync(logPath, 'utf8'))?.[1] ?? 0);
    }
    expect(grandchild).toBeGreaterThan(0);
    expect(p.alive()).toBe(true);
    await p.stop(5000);
    expect(p.alive()).toBe(false);
    expect(p.exitStatus()?.signal).toBe('SIGTERM');
    for (let i = 0; i < 100 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(false);
  });

  it('reports a command that cannot be spawned as an exit, in the log', async () => {
    const logPath = join(dir, 'missing.log');
    const p = spawnGroup(join(dir, 'no-such-binary'), [], { cwd: dir, logPath });
    expect((await p.exited).code).toBe(-1);
    expect(readFileSync(logPath, 'utf8')).toMatch(/spawn error/);
    await p.kill();
  });
});

describe.skipIf(!zkTsAvailable())('startServer (zk-ts)', () => {
  it('starts, survives a crash and restart on the same port and data, and stops', async () => {
    const s = await startServer('zkts');
    try {
      expect(s.alive()).toBe(true);
      expect(await fourLetterWord(s.host, s.port, 'ruok')).toBe('imok');
      const first = s.pid;
      await s.kill();
      expect(s.alive()).toBe(false);
      await expect(fourLetterWord(s.host, s.port, 'ruok')).rejects.toThrow();
      await s.start();
      expect(s.pid).not.toBe(first);
      expect(await fourLetterWord(s.host, s.port, 'ruok')).toBe('imok');
      await s.restart();
      expect(s.alive()).toBe(true);
      await expect(s.start()).rejects.toThrow(/already running/);
    } finally {
      await s.stop();
    }
    expect(existsSync(s.cfgPath)).toBe(false);
    await expect(s.start()).rejects.toThrow(/stopped/);
  });
});
