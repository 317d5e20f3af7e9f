import { isConfigError } from '@zk/server';
import { parseCommandArgs, UsageError } from './args.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliDeps } from './command.js';
import { findCommand } from './commands/index.js';
import { versionLine } from './commands/version.js';
import { commandHelp, mainHelp } from './help.js';
import type { Runtime } from './runtime.js';
import { loadCreateServer } from './server-api.js';

/**
 * Runs `zkserver <argv>` and resolves with the exit code. Nothing here calls
 * process.exit or reads process.*: all of that comes through `rt`.
 */
export async function runCli(argv: readonly string[], rt: Runtime, deps: Partial<CliDeps> = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    rt.stderr(mainHelp());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    rt.stdout(mainHelp());
    return EXIT_OK;
  }
  if (name === 'help') {
    const topic = rest[0] === undefined ? undefined : findCommand(rest[0]);
    if (rest[0] !== undefined && topic === undefined) {
      rt.stderr(`zkserver: unknown command "${rest[0]}"\n\n${mainHelp()}`);
      return EXIT_USAGE;
    }
    rt.stdout(topic === undefined ? mainHelp() : commandHelp(topic));
    return EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    rt.stdout(versionLine());
    return EXIT_OK;
  }
  const command = findCommand(name);
  if (command === undefined) {
    rt.stderr(`zkserver: unknown command "${name}"\n\n${mainHelp()}`);
    return EXIT_USAGE;
  }
  const beforeDashes = rest.indexOf('--') < 0 ? rest : rest.slice(0, rest.indexOf('--'));
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    rt.stdout(commandHelp(command));
    return EXIT_OK;
  }
  try {
    const args = parseCommandArgs(command.name, rest, command.options, command.positionals);
    return await command.run({ rt, deps: { loadCreateServer: deps.loadCreateServer ?? loadCreateServer } }, args);
  } catch (e) {
    if (e instanceof UsageError) {
      rt.stderr(`zkserver ${e.message}\nRun "zkserver ${command.name} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (isConfigError(e)) {
      rt.stderr(`zkserver: bad configuration: ${e.message}\n`);
      return EXIT_USAGE;
    }
    rt.stderr(`zkserver: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILED;
  }
}
