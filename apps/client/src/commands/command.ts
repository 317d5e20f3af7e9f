// What a zkCli command is: its name, usage, options, and what it does with a connected client.

import type { Watcher, ZooKeeperClient } from '@zk/client';
import type { FlagSpec, ParsedFlags } from '../flags.js';

/** Where a command writes. In JSON mode `line`/`errLine` are dropped and `data` is printed. */
export interface Output {
  /** A line on stdout (text mode). */
  line(text: string): void;
  /** A line on stderr (text mode): zkCli.sh prints "Created /x" and warnings there. */
  errLine(text: string): void;
  /** The command's result for --json. */
  data(value: unknown): void;
}

export interface CommandContext {
  readonly zk: ZooKeeperClient;
  readonly out: Output;
  /** The shell's watcher (it prints events); what `-w` and addWatch register. */
  readonly defaultWatcher: Watcher | undefined;
}

export interface Command {
  readonly name: string;
  /** As zkCli.sh prints it after the name: "[-s] [-w] path". */
  readonly usage: string;
  readonly spec: FlagSpec;
  /** Fewest words (the name included) the command accepts; fewer prints the usage. */
  readonly minArgs: number;
  /** Which word (by index) is a znode path, for tab completion. */
  readonly pathArg?: number;
  run(ctx: CommandContext, parsed: ParsedFlags): Promise<void>;
}

export function usageOf(c: Command): string {
  return `${c.name} ${c.usage}`;
}
