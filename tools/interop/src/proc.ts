// Run a child process with a time limit, collecting its output (stdout and stderr merged in the
// order written, through one pipe).

import { spawn } from 'node:child_process';

export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  timedOut: boolean;
}

export function run(command: string, args: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    // One pipe for both streams keeps their interleaving; a shell does the 2>&1.
    const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('/bin/sh', ['-c', `exec ${quoted} 2>&1`], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: true,
    });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, opts.timeoutMs ?? 60_000);
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: Buffer.concat(chunks).toString('utf8'), timedOut });
    });
    child.stdin.end(opts.input ?? '');
  });
}
