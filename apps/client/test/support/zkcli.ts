// Runs the built zkcli (dist/cli.js): one-shot as a child process, interactive inside tmux.

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const APP_DIR = join(import.meta.dirname, '..', '..');
export const CLI = join(APP_DIR, 'dist', 'cli.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/cli.js when it is missing or older than the sources. */
export function ensureBuilt(): void {
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= newest(join(APP_DIR, 'src'))) return;
  execFileSync('npx', ['tsup'], { cwd: APP_DIR, stdio: 'ignore' });
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `zkcli <args>`; resolves with its exit code and output. */
export function zkcli(args: readonly string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile('node', [CLI, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** An interactive zkcli in a detached tmux session, read through capture-pane. */
export class TmuxShell {
  private constructor(readonly session: string) {}

  static start(server: string): TmuxShell {
    const session = `zkcli-test-${process.pid}-${Math.floor(Math.random() * 1e9)}`;
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '80', `node ${CLI} -server ${server}`]);
    return new TmuxShell(session);
  }

  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.session, ...keys]);
  }

  /** Types a line and presses Enter. */
  type(line: string): void {
    this.keys('-l', line);
    this.keys('Enter');
  }

  screen(): string {
    try {
      return execFileSync('tmux', ['capture-pane', '-p', '-N', '-S', '-200', '-t', this.session]).toString();
    } catch {
      return '';
    }
  }

  /** Waits (bounded) until the screen matches. */
  async waitFor(match: string | RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen();
      if (typeof match === 'string' ? s.includes(match) : match.test(s)) return s;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(match)} on screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  alive(): boolean {
    try {
      execFileSync('tmux', ['has-session', '-t', this.session], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.session], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Runs zkcli's main() in this process (fast; same code as the binary minus process startup). */
export async function zkcliInProcess(args: readonly string[]): Promise<Run> {
  const { main } = await import('../../src/main.js');
  const { PassThrough } = await import('node:stream');
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const input = new PassThrough();
  input.end();
  const code = await main(args, { input, stdout: out, stderr: err });
  await new Promise((r) => setImmediate(r));
  return { code, stdout, stderr };
}
