// Every command that needs a session, by name (the shell handles connect, close, history, redo,
// printwatches, quit and version itself).

import { addauth, getAcl, setAcl, whoami } from './acl.js';
import type { Command } from './command.js';
import { config, get, getAllChildrenNumber, getEphemerals, ls, stat, sync } from './read.js';
import { addWatch, removewatches } from './watch.js';
import { create, del, deleteall, set } from './write.js';

export type { Command, CommandContext, Output } from './command.js';
export { usageOf } from './command.js';

export const SESSION_COMMANDS: ReadonlyMap<string, Command> = new Map(
  [ls, get, stat, getAllChildrenNumber, getEphemerals, sync, config, create, set, del, deleteall, getAcl, setAcl, addauth, whoami, addWatch, removewatches].map(
    (c) => [c.name, c],
  ),
);

/** The shell's own commands and their usage strings (zkCli.sh's commandMap). */
export const SHELL_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['connect', 'host:port'],
  ['history', ''],
  ['redo', 'cmdno'],
  ['printwatches', 'on|off'],
  ['quit', ''],
  ['close', ''],
  ['version', ''],
]);

/** Every command name with its usage, sorted as zkCli.sh's usage() prints them. */
export function allUsages(): [string, string][] {
  const all: [string, string][] = [...SHELL_COMMANDS];
  for (const c of SESSION_COMMANDS.values()) all.push([c.name, c.usage]);
  return all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
