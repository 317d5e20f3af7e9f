import type { OptionSpec, ParsedArgs, PositionalSpec } from './args.js';
import type { Runtime } from './runtime.js';
import type { CreateServer } from './server-api.js';

/** Things a command may need that tests replace. */
export interface CliDeps {
  /** Where `start` gets createServer from. Default: a dynamic import of @zk/server. */
  readonly loadCreateServer: () => Promise<CreateServer>;
}

export interface CommandContext {
  readonly rt: Runtime;
  readonly deps: CliDeps;
}

/**
 * One `zkserver <name>` subcommand. Adding a command (e.g. `log-dump FILE`,
 * `snapshot-dump FILE`) means writing one of these and listing it in
 * commands/index.ts; parsing, `--help` and errors come for free.
 */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Paragraphs for `zkserver <name> --help`. */
  readonly description: string;
  readonly positionals: readonly PositionalSpec[];
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Returns the exit code: 0 ok, 1 failed / not running, 2 usage or config error. */
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
