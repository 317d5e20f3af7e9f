/**
 * The zkserver daemon as a library: `runCli(argv, runtime)` is the whole CLI
 * without touching `process`, for tests and for embedding in other tools.
 */
export { runCli } from './main.js';
export { nodeRuntime, type Runtime, type ChildHandle, type SpawnDaemonOptions, type StopSignal } from './runtime.js';
export { COMMANDS, findCommand } from './commands/index.js';
export type { Command, CommandContext, CliDeps } from './command.js';
export type { CreateServer, ServerHandle, ServerMode } from './server-api.js';
export { sendFourLetterWord, contactAddress, modeLine } from './four-letter-word.js';
export type { DaemonMessage } from './commands/start.js';
