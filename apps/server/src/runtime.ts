import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

/** Signals the daemon handles. */
export type StopSignal = 'SIGINT' | 'SIGTERM';

/** What a detached child looks like to the parent that started it. */
export interface ChildHandle {
  readonly pid: number | undefined;
  onMessage(fn: (message: unknown) => void): void;
  onExit(fn: (code: number | null, signal: string | null) => void): void;
  onError(fn: (error: Error) => void): void;
  /** Drops the IPC channel and lets this process exit while the child runs on. */
  detach(): void;
}

export interface SpawnDaemonOptions {
  /** The executable (node) and its arguments (node flags, script, CLI arguments). */
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The child's stdout and stderr are appended here. */
  readonly logFile: string;
}

/**
 * Everything the CLI needs from the process it runs in. `nodeRuntime()` is the
 * real one; tests pass their own, so no test sends real signals or forks.
 */
export interface Runtime {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stderr is a terminal (picks the default log format). */
  readonly stderrIsTTY: boolean;
  readonly pid: number;
  /** The node executable and the arguments that re-run this CLI (`[script]`). */
  readonly selfCommand: { readonly execPath: string; readonly execArgv: readonly string[]; readonly script: string };
  /** Subscribes to a signal; returns the unsubscribe function. */
  onSignal(signal: StopSignal, handler: () => void): () => void;
  /** Ends the process now (the second Ctrl-C). */
  exit(code: number): void;
  spawnDaemon(options: SpawnDaemonOptions): ChildHandle;
  /** The IPC channel to the parent when started by `start --daemon`. */
  readonly parent?: { send(message: unknown): void; disconnect(): void };
  /** process.kill(pid, signal); throws like it. */
  kill(pid: number, signal: NodeJS.Signals | 0): void;
  /** The command line of a process, when the platform tells (Linux /proc). */
  commandLineOf(pid: number): string | undefined;
  /** Calls `fn` after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
  now(): number;
}

export function nodeRuntime(): Runtime {
  const parent = typeof process.send === 'function'
    ? {
        send: (message: unknown) => { process.send?.(message); },
        disconnect: () => { if (process.connected) process.disconnect(); },
      }
    : undefined;
  return {
    stdout: (text) => { process.stdout.write(text); },
    stderr: (text) => { process.stderr.write(text); },
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    pid: process.pid,
    selfCommand: { execPath: process.execPath, execArgv: process.execArgv, script: process.argv[1] ?? '' },
    onSignal: (signal, handler) => {
      process.on(signal, handler);
      return () => { process.off(signal, handler); };
    },
    exit: (code) => process.exit(code),
    spawnDaemon: spawnDetached,
    ...(parent !== undefined ? { parent } : {}),
    kill: (pid, signal) => { process.kill(pid, signal); },
    commandLineOf: (pid) => {
      if (process.platform !== 'linux') return undefined;
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        return undefined;
      }
    },
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => { clearTimeout(t); };
    },
    now: () => Date.now(),
  };
}

function spawnDetached(options: SpawnDaemonOptions): ChildHandle {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    return {
      pid: child.pid,
      onMessage: (fn) => { child.on('message', fn); },
      onExit: (fn) => { child.on('exit', fn); },
      onError: (fn) => { child.on('error', fn); },
      detach: () => {
        if (child.connected) child.disconnect();
        child.unref();
      },
    };
  } finally {
    closeSync(fd);
  }
}

/** Resolves after `ms` of the runtime's time. */
export function sleep(rt: Runtime, ms: number): Promise<void> {
  return new Promise((resolve) => { rt.setTimer(resolve, ms); });
}
