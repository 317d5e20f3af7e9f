import { intOption } from '../args.js';
import { EXIT_FAILED, EXIT_OK, type Command } from '../command.js';
import { CONFIG_POSITIONAL, loadCliConfig, usingConfigLine } from '../config.js';
import { pidFilePath, readPidFile, removePidFile } from '../pid-file.js';
import { sleep, type Runtime } from '../runtime.js';

const DEFAULT_STOP_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 100;

/** The argument only a `start --daemon` child has on its command line. */
export const DAEMON_CHILD_FLAG = '--daemon-child';

export type ProcessState = 'running' | 'gone' | 'not-permitted';

export function processState(rt: Runtime, pid: number): ProcessState {
  try {
    rt.kill(pid, 0);
    return 'running';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? 'not-permitted' : 'gone';
  }
}

/**
 * True when `pid` is alive and, where the platform shows command lines
 * (Linux), is a zkserver daemon: a pid file can outlive its process and the
 * pid be reused, and we must not signal a stranger.
 */
export function isZkserverProcess(rt: Runtime, pid: number): boolean {
  if (processState(rt, pid) === 'gone') return false;
  const commandLine = rt.commandLineOf(pid);
  return commandLine === undefined || commandLine.includes(DAEMON_CHILD_FLAG);
}

export const stopCommand: Command = {
  name: 'stop',
  summary: 'stop a server started with start --daemon',
  description: [
    'Reads the pid file (<dataDir>/zkserver.pid, or --pid-file), sends SIGTERM, waits for the',
    'process to exit (up to --timeout) and removes the pid file. When no server is running',
    '(no pid file, or a stale one) it says so and exits 0, as zkServer.sh does.',
    '',
    'Exit codes: 0 stopped or not running, 1 could not stop it, 2 bad arguments or config.',
  ].join('\n'),
  positionals: [CONFIG_POSITIONAL],
  options: {
    'pid-file': { type: 'string', valueName: 'path', description: 'pid file (default <dataDir>/zkserver.pid)' },
    timeout: { type: 'string', valueName: 'ms', description: `how long to wait for the exit (default ${DEFAULT_STOP_TIMEOUT_MS})` },
  },
  async run({ rt }, args) {
    const timeoutMs = intOption('stop', 'timeout', args.options['timeout'], DEFAULT_STOP_TIMEOUT_MS);
    const loaded = await loadCliConfig(rt, args.positionals[0]);
    rt.stderr(usingConfigLine(loaded));
    const pidFile = pidFilePath(loaded.config.dataDir, args.options['pid-file'] as string | undefined, rt.cwd);

    const content = await readPidFile(pidFile);
    if (content.kind === 'missing') {
      rt.stdout(`No zkserver to stop (could not find file ${pidFile})\n`);
      return EXIT_OK;
    }
    if (content.kind === 'malformed') {
      await removePidFile(pidFile);
      rt.stdout(`No zkserver to stop: ${pidFile} held ${JSON.stringify(content.text)}, not a process id; removed it\n`);
      return EXIT_OK;
    }
    const { pid } = content;
    const state = processState(rt, pid);
    if (state === 'gone') {
      await removePidFile(pidFile);
      rt.stdout(`No zkserver to stop: process ${pid} from ${pidFile} is not running; removed the stale pid file\n`);
      return EXIT_OK;
    }
    if (!isZkserverProcess(rt, pid)) {
      await removePidFile(pidFile);
      rt.stdout(`No zkserver to stop: process ${pid} from ${pidFile} is not a zkserver (the pid was reused); left it alone and removed the stale pid file\n`);
      return EXIT_OK;
    }
    if (state === 'not-permitted') {
      rt.stderr(`zkserver: not allowed to signal process ${pid} (from ${pidFile}); run stop as the user that started it\n`);
      return EXIT_FAILED;
    }

    rt.stdout('Stopping zkserver ... ');
    try {
      rt.kill(pid, 'SIGTERM');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') {
        rt.stdout('FAILED\n');
        rt.stderr(`zkserver: cannot signal process ${pid}: ${(e as Error).message}\n`);
        return EXIT_FAILED;
      }
    }
    const deadline = rt.now() + timeoutMs;
    while (processState(rt, pid) !== 'gone') {
      if (rt.now() >= deadline) {
        rt.stdout('NOT STOPPED\n');
        rt.stderr(`zkserver: process ${pid} is still running after ${timeoutMs} ms; it may still be shutting down (kill -9 ${pid} forces it)\n`);
        return EXIT_FAILED;
      }
      await sleep(rt, POLL_INTERVAL_MS);
    }
    await removePidFile(pidFile, pid);
    rt.stdout('STOPPED\n');
    return EXIT_OK;
  },
};
