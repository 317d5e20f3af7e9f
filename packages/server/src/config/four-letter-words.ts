import { FOUR_LETTER_WORDS, type FourLetterWord } from '@zk/protocol';

const KNOWN = new Set<string>(FOUR_LETTER_WORDS);

export function isFourLetterWord(word: string): word is FourLetterWord {
  return KNOWN.has(word);
}

/** What ZooKeeper 3.8 enables when `4lw.commands.whitelist` is absent: only `srvr`. */
export const ZOOKEEPER_DEFAULT_4LW_WHITELIST: readonly FourLetterWord[] = ['srvr'];

/**
 * What zk-ts enables when it runs with no config file at all: enough for status
 * tooling (zkServer.sh-style `status`, monitoring via `mntr`, `ruok` probes)
 * to work out of the box. A zoo.cfg without the key gets ZooKeeper's default.
 */
export const EMBEDDED_DEFAULT_4LW_WHITELIST: readonly FourLetterWord[] = [
  'srvr', 'stat', 'ruok', 'conf', 'envi', 'cons', 'mntr', 'wchs', 'isro',
];

export interface ParsedWhitelist {
  /** Every listed word that ZooKeeper knows, in the order written, without repeats. */
  readonly words: FourLetterWord[];
  /** Listed words ZooKeeper does not know (kept out of `words`). */
  readonly unknown: string[];
  /** True when `*` was listed. */
  readonly all: boolean;
}

/**
 * Splits a `4lw.commands.whitelist` value. ZooKeeper splits on commas only; we
 * also accept blanks so `stat ruok` and `stat, ruok` both work.
 */
export function parseFourLetterWordWhitelist(value: string): ParsedWhitelist {
  const words: FourLetterWord[] = [];
  const unknown: string[] = [];
  let all = false;
  for (const item of value.split(/[\s,]+/)) {
    if (item === '') continue;
    if (item === '*') {
      all = true;
      continue;
    }
    if (isFourLetterWord(item)) {
      if (!words.includes(item)) words.push(item);
    } else if (!unknown.includes(item)) {
      unknown.push(item);
    }
  }
  return { words: all ? [...FOUR_LETTER_WORDS] : words, unknown, all };
}

/**
 * The set a server should answer, as ZooKeeper computes it: the configured list
 * (or everything for `*`), plus `srvr` always (zkServer.sh status needs it),
 * plus `isro` when read-only mode is enabled (clients probe it). Sorted.
 */
export function effectiveFourLetterWords(
  configured: readonly FourLetterWord[],
  readOnlyModeEnabled: boolean,
): FourLetterWord[] {
  const set = new Set<FourLetterWord>(configured);
  set.add('srvr');
  if (readOnlyModeEnabled) set.add('isro');
  return [...set].sort();
}
