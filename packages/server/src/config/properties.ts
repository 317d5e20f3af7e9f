import { ConfigError } from './errors.js';

/** One `key=value` pair of a properties file, in file order. */
export interface PropertyEntry {
  /** Key after escape processing and Java `String.trim()`. */
  readonly key: string;
  /** Value after escape processing and Java `String.trim()`. */
  readonly value: string;
  /** 1-based line number where the logical line starts. */
  readonly line: number;
}

/**
 * Reads text in the `java.util.Properties` format, which is what zoo.cfg is:
 *
 * - natural lines end with `\n`, `\r\n` or `\r`; blank lines are skipped;
 * - a line whose first non-blank character is `#` or `!` is a comment (and a
 *   trailing backslash does not extend a comment);
 * - an odd number of backslashes at the end of a line joins the next line,
 *   whose leading blanks are dropped;
 * - the key ends at the first unescaped `=`, `:` or blank; blanks around that
 *   separator are skipped, and one `=` or `:` may follow blanks
 *   (`key value`, `key=value`, `key: value`, `key = value` all work);
 * - escapes `\t \n \r \f \uXXXX` are decoded, any other `\c` is `c`.
 *
 * Keys and values are then trimmed like Java's `String.trim()` (every
 * character up to U+0020), which is what ZooKeeper does before using them.
 * Entries come back in file order, duplicates included; callers decide (Java's
 * `Properties` keeps the last one).
 */
export function parseProperties(text: string, file?: string): PropertyEntry[] {
  const entries: PropertyEntry[] = [];
  for (const logical of logicalLines(text)) {
    const { key, value } = splitKeyValue(logical.text, logical.line, file);
    entries.push({ key: javaTrim(key), value: javaTrim(value), line: logical.line });
  }
  return entries;
}

/** Java's `String.trim()`: strips every code unit <= U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\f';
}

function skipBlanks(s: string): string {
  let i = 0;
  while (i < s.length && isBlank(s[i]!)) i++;
  return s.slice(i);
}

function trailingBackslashes(s: string): number {
  let n = 0;
  for (let i = s.length - 1; i >= 0 && s[i] === '\\'; i--) n++;
  return n;
}

function* logicalLines(text: string): Generator<LogicalLine> {
  const natural = text.split(/\r\n|\r|\n/);
  let pending: string | undefined;
  let pendingLine = 0;
  for (let i = 0; i < natural.length; i++) {
    let content = skipBlanks(natural[i]!);
    if (pending === undefined) {
      if (content === '') continue;
      if (content[0] === '#' || content[0] === '!') continue;
      pendingLine = i + 1;
      pending = '';
    } else if (content === '') {
      // A blank line after a continuation ends the logical line.
      yield { text: pending, line: pendingLine };
      pending = undefined;
      continue;
    }
    const continues = trailingBackslashes(content) % 2 === 1;
    if (continues) content = content.slice(0, -1);
    pending += content;
    if (!continues) {
      yield { text: pending, line: pendingLine };
      pending = undefined;
    }
  }
  if (pending !== undefined && pending !== '') yield { text: pending, line: pendingLine };
}

function splitKeyValue(line: string, lineNo: number, file: string | undefined): { key: string; value: string } {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSeparator = false;
  let escaped = false;
  while (keyEnd < line.length) {
    const c = line[keyEnd]!;
    if (!escaped && (c === '=' || c === ':')) {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    }
    if (!escaped && isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
    escaped = c === '\\' ? !escaped : false;
    keyEnd++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart]!;
    if (!isBlank(c)) {
      if (!hasSeparator && (c === '=' || c === ':')) hasSeparator = true;
      else break;
    }
    valueStart++;
  }
  return {
    key: unescape(line.slice(0, keyEnd), lineNo, file),
    value: unescape(line.slice(valueStart), lineNo, file),
  };
}

function unescape(s: string, lineNo: number, file: string | undefined): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= s.length) break; // a lone trailing backslash is dropped, as Java does
    const e = s[i]!;
    switch (e) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 'f': out += '\f'; break;
      case 'u': {
        const hex = s.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          throw new ConfigError('malformed \\uXXXX escape', {
            value: s, line: lineNo, ...(file !== undefined ? { file } : {}),
            expected: 'exactly four hex digits after \\u',
          });
        }
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      default: out += e;
    }
  }
  return out;
}
