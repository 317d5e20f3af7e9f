import type { ChildHandle, Runtime, SpawnDaemonOptions, StopSignal } from '../../src/runtime.js';

/** A process the fake runtime pretends exists. */
export interface FakeProcess {
  alive: boolean;
  commandLine?: string;
  /** Throw EPERM for any signal (someone else's process). */
  foreign?: boolean;
  /** Called for every real signal (not 0); default: die on SIGTERM. */
  onSignal?: (signal: NodeJS.Signals, p: FakeProcess) => void;
}

export interface FakeChild {
  readonly options: SpawnDaemonOptions;
  message(m: unknown): void;
  exit(code: number | null, signal?: string | null): void;
  error(e: Error): void;
  detached: boolean;
}

export interface FakeRuntime extends Runtime {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
  readonly processes: Map<number, FakeProcess>;
  readonly signalsSent: Array<{ pid: number; signal: NodeJS.Signals }>;
  readonly exits: number[];
  readonly parentMessages: unknown[];
  readonly children: FakeChild[];
  /** Deliver a signal to this process's handlers. */
  raise(signal: StopSignal): void;
  /** What `spawnDaemon` should do with the child right after it is created. */
  onSpawn?: (child: FakeChild) => void;
  handlerCount(signal: StopSignal): number;
}

export interface FakeRuntimeOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  pid?: number;
  stderrIsTTY?: boolean;
  /** Present when this runtime plays a `--daemon-child`. */
  withParent?: boolean;
}

/**
 * A Runtime with no real process effects: output is collected, signals are
 * raised by the test, kill() acts on a table of pretend processes, and timers
 * fire on the next turn of the event loop while virtual time jumps ahead, so
 * nothing waits on the wall clock.
 */
export function fakeRuntime(options: FakeRuntimeOptions): FakeRuntime {
  const out: string[] = [];
  const err: string[] = [];
  const handlers: Record<StopSignal, Array<() => void>> = { SIGINT: [], SIGTERM: [] };
  const processes = new Map<number, FakeProcess>();
  const signalsSent: Array<{ pid: number; signal: NodeJS.Signals }> = [];
  const exits: number[] = [];
  const parentMessages: unknown[] = [];
  const children: FakeChild[] = [];
  let virtualNow = 1_700_000_000_000;

  const rt: FakeRuntime = {
    out,
    err,
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
    processes,
    signalsSent,
    exits,
    parentMessages,
    children,
    stdout: (t) => { out.push(t); },
    stderr: (t) => { err.push(t); },
    env: options.env ?? {},
    cwd: options.cwd,
    stderrIsTTY: options.stderrIsTTY ?? false,
    pid: options.pid ?? 4242,
    selfCommand: { execPath: '/usr/bin/node', execArgv: ['--enable-source-maps'], script: '/opt/zk/cli.js' },
    onSignal(signal, handler) {
      handlers[signal].push(handler);
      return () => {
        const i = handlers[signal].indexOf(handler);
        if (i >= 0) handlers[signal].splice(i, 1);
      };
    },
    exit: (code) => { exits.push(code); },
    spawnDaemon(spawnOptions) {
      const messageFns: Array<(m: unknown) => void> = [];
      const exitFns: Array<(c: number | null, s: string | null) => void> = [];
      const errorFns: Array<(e: Error) => void> = [];
      const child: FakeChild = {
        options: spawnOptions,
        message: (m) => { for (const f of messageFns) f(m); },
        exit: (c, s = null) => { for (const f of exitFns) f(c, s); },
        error: (e) => { for (const f of errorFns) f(e); },
        detached: false,
      };
      children.push(child);
      const handle: ChildHandle = {
        pid: 5000 + children.length,
        onMessage: (f) => { messageFns.push(f); },
        onExit: (f) => { exitFns.push(f); },
        onError: (f) => { errorFns.push(f); },
        detach: () => { child.detached = true; },
      };
      // Let the caller attach its handlers before the child "does" anything.
      queueMicrotask(() => rt.onSpawn?.(child));
      return handle;
    },
    ...(options.withParent === true
      ? { parent: { send: (m: unknown) => { parentMessages.push(m); }, disconnect: () => { parentMessages.push('disconnect'); } } }
      : {}),
    kill(pid, signal) {
      const p = processes.get(pid);
      if (p === undefined || !p.alive) throw Object.assign(new Error(`kill ESRCH ${pid}`), { code: 'ESRCH' });
      if (p.foreign === true) throw Object.assign(new Error(`kill EPERM ${pid}`), { code: 'EPERM' });
      if (signal === 0) return;
      signalsSent.push({ pid, signal });
      if (p.onSignal !== undefined) p.onSignal(signal, p);
      else if (signal === 'SIGTERM') p.alive = false;
    },
    commandLineOf: (pid) => processes.get(pid)?.commandLine,
    setTimer(fn, ms) {
      let cancelled = false;
      setImmediate(() => {
        if (cancelled) return;
        virtualNow += ms;
        fn();
      });
      return () => { cancelled = true; };
    },
    now: () => virtualNow,
    raise(signal) {
      for (const h of [...handlers[signal]]) h();
    },
    handlerCount: (signal) => handlers[signal].length,
  };
  return rt;
}
