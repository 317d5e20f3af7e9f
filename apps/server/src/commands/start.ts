import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ServerConfig } from '@zk/server';
import { intOption, type ParsedArgs } from '../args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type Command, type CommandContext } from '../command.js';
import { CONFIG_POSITIONAL, loadCliConfig, usingConfigLine, type LoadedConfig } from '../config.js';
import { contactAddress } from '../four-letter-word.js';
import { cliLogger, LOG_OPTIONS } from '../logging.js';
import { OUT_FILE_NAME, pidFilePath, readPidFile, removePidFile, writePidFile } from '../pid-file.js';
import { type StopSignal } from '../runtime.js';
import { isZkserverProcess } from './stop.js';

/** Messages from a `--daemon-child` to the `start --daemon` that spawned it. */
export type DaemonMessage =
  | { readonly type: 'ready'; readonly pid: number; readonly host: string; readonly port: number; readonly mode: string }
  | { readonly type: 'failed'; readonly message: string; readonly exitCode: number };

const SIGNAL_NUMBER: Record<StopSignal, number> = { SIGINT: 2, SIGTERM: 15 };
const DEFAULT_START_TIMEOUT_MS = 60_000;

export const startCommand: Command = {
  name: 'start',
  summary: 'run a server (foreground, or --daemon in the background)',
  description: [
    'Runs a server with the given zoo.cfg in the foreground. SIGTERM or SIGINT (Ctrl-C) stops it',
    'gracefully and exits 0; a second signal exits at once.',
    '',
    'With --daemon, starts it as a background process instead: its output goes to',
    `<dataDir>/${OUT_FILE_NAME} (or --log-file), its pid to <dataDir>/zkserver.pid (or --pid-file),`,
    'and this command prints STARTED once the server listens on its client port, or the error.',
    '',
    'Exit codes: 0 started / stopped cleanly, 1 failed to start, 2 bad arguments or config.',
  ].join('\n'),
  positionals: [CONFIG_POSITIONAL],
  options: {
    daemon: { type: 'boolean', short: 'd', description: 'run in the background (like zkServer.sh start)' },
    'log-file': { type: 'string', valueName: 'path', description: `with --daemon: where output goes (default <dataDir>/${OUT_FILE_NAME})` },
    'pid-file': { type: 'string', valueName: 'path', description: 'with --daemon: pid file (default <dataDir>/zkserver.pid)' },
    'start-timeout': { type: 'string', valueName: 'ms', description: `with --daemon: how long to wait for the server (default ${DEFAULT_START_TIMEOUT_MS})` },
    ...LOG_OPTIONS,
    'daemon-child': { type: 'boolean', hidden: true, description: 'internal: the process start --daemon spawns' },
  },
  async run(ctx, args) {
    const daemonChild = args.options['daemon-child'] === true;
    const configPath = args.positionals[0];
    let loaded: LoadedConfig;
    try {
      loaded = await loadCliConfig(ctx.rt, configPath);
    } catch (e) {
      if (daemonChild) ctx.rt.parent?.send(failed(e, EXIT_USAGE));
      throw e;
    }
    if (args.options['daemon'] === true && !daemonChild) return startDaemon(ctx, args, loaded);
    return runForeground(ctx, args, loaded, daemonChild);
  },
};

function failed(e: unknown, exitCode: number): DaemonMessage {
  return { type: 'failed', message: e instanceof Error ? e.message : String(e), exitCode };
}

/** The server in this process, until a signal stops it. */
async function runForeground(ctx: CommandContext, args: ParsedArgs, loaded: LoadedConfig, daemonChild: boolean): Promise<number> {
  const { rt } = ctx;
  const { config } = loaded;
  const logger = cliLogger(rt, args.options).child({ pid: rt.pid });
  const parent = daemonChild ? rt.parent : undefined;
  const pidFile = daemonChild ? pidFilePath(config.dataDir, args.options['pid-file'] as string | undefined, rt.cwd) : undefined;

  logger.info('using config', { config: loaded.path ?? '(built-in defaults)' });
  for (const warning of loaded.warnings) logger.warn(warning);

  // Signals: the first asks for a graceful stop, the second ends the process at once.
  let stopRequested = false;
  let wakeUp: () => void = () => {};
  const stopSignal = new Promise<void>((resolveStop) => { wakeUp = resolveStop; });
  const onSignal = (signal: StopSignal): void => {
    if (!stopRequested) {
      stopRequested = true;
      logger.info('stopping', { signal });
      wakeUp();
      return;
    }
    logger.warn('second signal: exiting without a clean stop', { signal });
    rt.exit(128 + SIGNAL_NUMBER[signal]);
  };
  const unsubscribe = [
    rt.onSignal('SIGINT', () => onSignal('SIGINT')),
    rt.onSignal('SIGTERM', () => onSignal('SIGTERM')),
  ];

  const fail = (message: string, e: unknown, exitCode = EXIT_FAILED): number => {
    logger.error(message, { err: e });
    parent?.send(failed(e, exitCode));
    parent?.disconnect();
    return exitCode;
  };

  try {
    try {
      await mkdir(resolve(rt.cwd, config.dataDir), { recursive: true });
      if (config.dataLogDir !== config.dataDir) await mkdir(resolve(rt.cwd, config.dataLogDir), { recursive: true });
    } catch (e) {
      return fail('cannot create the data directory', e);
    }
    if (pidFile !== undefined) await writePidFile(pidFile, rt.pid);

    let server;
    try {
      const createServer = await ctx.deps.loadCreateServer();
      server = await createServer(config, { logger });
    } catch (e) {
      return fail('cannot create the server', e);
    }
    if (stopRequested) return EXIT_OK;
    try {
      await server.start();
    } catch (e) {
      await server.stop().catch(() => {});
      return fail('failed to start', e);
    }
    // The bound address (the real port if the config asked for port 0), else the configured one.
    const host = contactAddress(server.address?.host ?? config.clientPortAddress);
    const port = server.address?.port ?? config.clientPort;
    logger.info('zkserver started', startedFields(config, server.mode, port));
    parent?.send({ type: 'ready', pid: rt.pid, host, port, mode: String(server.mode) } satisfies DaemonMessage);
    parent?.disconnect();

    await stopSignal;
    try {
      await server.stop();
    } catch (e) {
      logger.error('error while stopping', { err: e });
      return EXIT_FAILED;
    }
    logger.info('zkserver stopped');
    return EXIT_OK;
  } finally {
    for (const off of unsubscribe) off();
    if (pidFile !== undefined) await removePidFile(pidFile, rt.pid).catch(() => {});
  }
}

function startedFields(config: ServerConfig, mode: string, port: number): Record<string, unknown> {
  return {
    clientPortAddress: config.clientPortAddress,
    clientPort: port,
    mode,
    ...(config.serverId !== undefined ? { serverId: config.serverId } : {}),
    dataDir: config.dataDir,
  };
}

/** `start --daemon`: spawn a detached `start --daemon-child` and wait for it to report. */
async function startDaemon(ctx: CommandContext, args: ParsedArgs, loaded: LoadedConfig): Promise<number> {
  const { rt } = ctx;
  const { config } = loaded;
  const dataDir = resolve(rt.cwd, config.dataDir);
  const pidFile = pidFilePath(config.dataDir, args.options['pid-file'] as string | undefined, rt.cwd);
  const logFileOption = args.options['log-file'] as string | undefined;
  const logFile = logFileOption !== undefined ? resolve(rt.cwd, logFileOption) : join(dataDir, OUT_FILE_NAME);
  const timeoutMs = intOption('start', 'start-timeout', args.options['start-timeout'], DEFAULT_START_TIMEOUT_MS);

  rt.stderr(usingConfigLine(loaded));
  for (const warning of loaded.warnings) rt.stderr(`warning: ${warning}\n`);
  await mkdir(dataDir, { recursive: true });
  await mkdir(dirname(pidFile), { recursive: true });
  await mkdir(dirname(logFile), { recursive: true });

  const existing = await readPidFile(pidFile);
  if (existing.kind === 'pid' && isZkserverProcess(rt, existing.pid)) {
    rt.stderr(`zkserver already running as process ${existing.pid} (pid file ${pidFile}).\n`);
    return EXIT_FAILED;
  }

  rt.stdout('Starting zkserver ... ');
  const childArgs = [
    ...rt.selfCommand.execArgv,
    rt.selfCommand.script,
    'start',
    ...(loaded.path !== undefined ? [loaded.path] : []),
    '--daemon-child',
    '--pid-file', pidFile,
    ...forwarded(args, 'log-format'),
    ...forwarded(args, 'log-level'),
  ];
  let child;
  try {
    child = rt.spawnDaemon({ command: rt.selfCommand.execPath, args: childArgs, cwd: rt.cwd, env: rt.env, logFile });
  } catch (e) {
    rt.stdout('FAILED TO START\n');
    rt.stderr(`zkserver: cannot start a background process: ${(e as Error).message}\n`);
    return EXIT_FAILED;
  }

  type Outcome =
    | DaemonMessage
    | { readonly type: 'exited'; readonly code: number | null; readonly signal: string | null }
    | { readonly type: 'spawn-error'; readonly error: Error }
    | { readonly type: 'timeout' };
  let markExited: () => void = () => {};
  const exited = new Promise<void>((resolve) => { markExited = resolve; });
  const outcome = await new Promise<Outcome>((settle) => {
    const cancelTimer = rt.setTimer(() => settle({ type: 'timeout' }), timeoutMs);
    const done = (o: Outcome): void => { cancelTimer(); settle(o); };
    child.onMessage((m) => {
      if (isDaemonMessage(m)) done(m);
    });
    child.onExit((code, signal) => { markExited(); done({ type: 'exited', code, signal }); });
    child.onError((error) => done({ type: 'spawn-error', error }));
  });
  if (outcome.type === 'failed') {
    // The child removes its pid file on the way out: report only once it is gone.
    let cancel: () => void = () => {};
    await Promise.race([exited, new Promise<void>((resolve) => { cancel = rt.setTimer(resolve, timeoutMs); })]);
    cancel();
  }
  child.detach();

  switch (outcome.type) {
    case 'ready':
      rt.stdout('STARTED\n');
      rt.stdout(`zkserver (pid ${outcome.pid}, ${outcome.mode}) serves clients on ${outcome.host}:${outcome.port}; output in ${logFile}\n`);
      return EXIT_OK;
    case 'failed':
      rt.stdout('FAILED TO START\n');
      rt.stderr(`zkserver: ${outcome.message}\nSee ${logFile}\n`);
      return outcome.exitCode === EXIT_OK ? EXIT_FAILED : outcome.exitCode;
    case 'exited':
      rt.stdout('FAILED TO START\n');
      rt.stderr(`zkserver: the server process exited (${outcome.signal ?? `code ${outcome.code ?? '?'}`}) before it was ready; see ${logFile}\n`);
      return EXIT_FAILED;
    case 'spawn-error':
      rt.stdout('FAILED TO START\n');
      rt.stderr(`zkserver: cannot start a background process: ${outcome.error.message}\n`);
      return EXIT_FAILED;
    case 'timeout':
      rt.stdout('NOT READY\n');
      rt.stderr(`zkserver: process ${child.pid ?? '?'} did not report ready within ${timeoutMs} ms; it may still be starting. See ${logFile}\n`);
      return EXIT_FAILED;
  }
}

function forwarded(args: ParsedArgs, name: string): string[] {
  const v = args.options[name];
  return typeof v === 'string' ? [`--${name}`, v] : [];
}

function isDaemonMessage(m: unknown): m is DaemonMessage {
  const t = (m as { type?: unknown } | null)?.type;
  return t === 'ready' || t === 'failed';
}

