import type { Command } from '../command.js';
import { logDumpCommand } from './log-dump.js';
import { snapshotDumpCommand } from './snapshot-dump.js';
import { startCommand } from './start.js';
import { statusCommand } from './status.js';
import { stopCommand } from './stop.js';
import { versionCommand } from './version.js';

/** Every subcommand, in the order `zkserver --help` lists them. Add new ones here. */
export const COMMANDS: readonly Command[] = [startCommand, stopCommand, statusCommand, logDumpCommand, snapshotDumpCommand, versionCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
