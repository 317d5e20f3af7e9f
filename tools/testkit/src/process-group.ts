// A server child process in its own session and process group: spawn with detached: true calls
// setsid(2) in the child (as zkServer.sh's nohup and the setsid(1) tool do), so the child and
// everything it starts can be signalled as one group. Every such child is SIGKILLed as a group
// when this process exits or is ended by SIGINT/SIGTERM/SIGHUP, so a crashing or interrupted test
// run leaves no server behind. (Own sessions also matter for benchmarks: Linux's autogroup
// scheduler shares CPU between sessions first.)

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GroupProcess {
  /** The child's pid, which is also its process group id; -1 when the spawn failed. */
  readonly pid: number;
  /** Resolves once the process has exited (or failed to spawn). */
  readonly exited: Promise<ChildExit>;
  /** How it exited; null while it runs. */
  exitStatus(): ChildExit | null;
  alive(): boolean;
  /** Send `sig` to the whole process group (no-op once the group is gone). */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM the group, SIGKILL it after `graceMs`, wait for the exit, then SIGKILL what is left of the group. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL the group and wait for the exit: a crash, no clean shutdown. */
  kill(): Promise<void>;
}

export interface SpawnGroupOptions {
  cwd: string;
  /** stdout and stderr are appended to this file (a spawn error is noted there too). */
  logPath: string;
}

/** Send `sig` to process group `pid`, ignoring a group that is already gone. */
export function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    /* group already gone */
  }
}

/** Start `command args` in its own session and process group, tracked for the exit hook. */
export function spawnGroup(command: string, args: readonly string[], opts: SpawnGroupOptions): GroupProcess {
  const logFd = openSync(opts.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { cwd: opts.cwd, detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  installExitHook();
  live.add(child);
  let status: ChildExit | null = null;
  const exited = new Promise<ChildExit>((res) => {
    const finish = (s: ChildExit): void => {
      if (status !== null) return;
      status = s;
      live.delete(child);
      res(s);
    };
    child.once('exit', (code, signal) => finish({ code, signal }));
    child.once('error', (err) => {
      writeFileSync(opts.logPath, `spawn error: ${err.message}\n`, { flag: 'a' });
      finish({ code: -1, signal: null });
    });
  });
  const pid = child.pid ?? -1;
  const signal = (sig: NodeJS.Signals): void => {
    if (pid > 0) signalGroup(pid, sig);
  };
  return {
    pid,
    exited,
    exitStatus: () => status,
    alive: () => status === null,
    signal,
    async stop(graceMs = 5000) {
      if (status === null) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      // Anything the server itself spawned in its group goes too.
      signal('SIGKILL');
    },
    async kill() {
      signal('SIGKILL');
      await exited;
    },
  };
}

// Every child started and not yet exited, so that a crashing test process still takes them down.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
let signalHookWanted = true;
const signalHandlers = new Map<NodeJS.Signals, () => void>();

/**
 * For programs that handle SIGINT / SIGTERM / SIGHUP themselves (e.g. to stop their servers
 * cleanly on Ctrl-C): the exit hook no longer SIGKILLs the children on those signals. Children
 * still left when the process exits are SIGKILLed as before.
 */
export function handleSignalsYourself(): void {
  signalHookWanted = false;
  for (const [sig, h] of signalHandlers) process.removeListener(sig, h);
  signalHandlers.clear();
}

function killAllLive(): void {
  for (const child of live) if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllLive);
  if (!signalHookWanted) return;
  // 'exit' does not run when a signal ends the process: take the servers down, then let the
  // signal do what it would have done.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const h = (): void => {
      killAllLive();
      process.kill(process.pid, sig);
    };
    signalHandlers.set(sig, h);
    process.once(sig, h);
  }
}
