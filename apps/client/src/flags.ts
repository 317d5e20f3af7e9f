// Option parsing in the style of commons-cli's DefaultParser, which zkCli.sh commands use:
// "-s", "-v 3", "-v3", grouped "-sw"; options may come anywhere; "--" ends them.

import { CliError } from './cli-error.js';

export interface FlagSpec {
  /** Boolean options, one letter each: "swR". */
  readonly flags?: string;
  /** Options taking a value, one letter each: "v". */
  readonly values?: string;
}

export interface ParsedFlags {
  /** The words that are not options; [0] is the command name. */
  readonly args: string[];
  readonly has: Set<string>;
  readonly value: Map<string, string>;
}

const NUMBER = /^-\d+(\.\d+)?$/;

export function parseFlags(words: readonly string[], spec: FlagSpec): ParsedFlags {
  const flags = spec.flags ?? '';
  const values = spec.values ?? '';
  const args: string[] = [];
  const has = new Set<string>();
  const value = new Map<string, string>();
  let i = 0;
  let ended = false;
  while (i < words.length) {
    const w = words[i++]!;
    if (ended || !w.startsWith('-') || w === '-' || NUMBER.test(w)) {
      args.push(w);
      continue;
    }
    if (w === '--') {
      ended = true;
      continue;
    }
    const body = w.slice(1);
    const first = body[0]!;
    if (values.includes(first)) {
      has.add(first);
      if (body.length > 1) {
        value.set(first, body.slice(1));
      } else {
        const next = words[i];
        if (next === undefined) throw new CliError(`Missing argument for option: ${first}`);
        value.set(first, next);
        i++;
      }
      continue;
    }
    if ([...body].every((c) => flags.includes(c))) {
      for (const c of body) has.add(c);
      continue;
    }
    throw new CliError(`Unrecognized option: ${w}`);
  }
  return { args, has, value };
}
