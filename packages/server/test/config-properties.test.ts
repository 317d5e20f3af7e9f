import { describe, expect, it } from 'vitest';
import { ConfigError, isConfigError, parseProperties } from '../src/config/index.js';

const kv = (text: string): Array<[string, string]> => parseProperties(text).map((e) => [e.key, e.value]);

describe('parseProperties (java.util.Properties format)', () => {
  it('accepts =, : and blanks as separators', () => {
    expect(kv('a=1\nb:2\nc 3\nd = 4\ne : 5\nf\t6\ng   =   7')).toEqual([
      ['a', '1'], ['b', '2'], ['c', '3'], ['d', '4'], ['e', '5'], ['f', '6'], ['g', '7'],
    ]);
  });

  it('takes only one separator: a second = or : belongs to the value', () => {
    expect(kv('a==1\nb = :2\nc:=3')).toEqual([['a', '=1'], ['b', ':2'], ['c', '=3']]);
  });

  it('keeps colons inside values (server lines, IPv6)', () => {
    expect(kv('server.1=zk1:2888:3888;[::1]:2181')).toEqual([['server.1', 'zk1:2888:3888;[::1]:2181']]);
  });

  it('skips # and ! comments and blank lines, also indented ones', () => {
    expect(kv('# comment\n! also\n\n   \n  # indented\n\t!tab\nkey=value # not a comment')).toEqual([
      ['key', 'value # not a comment'],
    ]);
  });

  it('joins lines ending in an odd number of backslashes and drops the leading blanks of the next', () => {
    expect(kv('a=one, \\\n    two, \\\n\tthree\nb=x')).toEqual([['a', 'one, two, three'], ['b', 'x']]);
  });

  it('does not join after an even number of backslashes', () => {
    expect(kv('a=x\\\\\nb=y')).toEqual([['a', 'x\\'], ['b', 'y']]);
  });

  it('does not continue a comment line', () => {
    expect(kv('# comment \\\nkey=value')).toEqual([['key', 'value']]);
  });

  it('ends a continued line at a blank line', () => {
    expect(kv('a=1\\\n\nb=2')).toEqual([['a', '1'], ['b', '2']]);
  });

  it('treats # at the start of a continuation as text', () => {
    expect(kv('a=1\\\n#2')).toEqual([['a', '1#2']]);
  });

  it('handles a continuation at end of file', () => {
    expect(kv('a=1\\')).toEqual([['a', '1']]);
  });

  it('understands \\r\\n, \\r and \\n line ends', () => {
    expect(kv('a=1\r\nb=2\rc=3\nd=4')).toEqual([['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
  });

  it('decodes escapes in keys and values', () => {
    expect(kv('a\\=b=c\\:d\nsp\\ ace=x\\ty\nu=\\u0041\\u00e9\nother=\\q\\\\')).toEqual([
      ['a=b', 'c:d'], ['sp ace', 'x\ty'], ['u', 'Aé'], ['other', 'q\\'],
    ]);
  });

  it('turns Windows backslashes into nothing, as Java does', () => {
    expect(kv('dataDir=C:\\zk\\data')).toEqual([['dataDir', 'C:zkdata']]);
  });

  it('rejects malformed \\u escapes with a ConfigError naming the line', () => {
    let err: unknown;
    try {
      parseProperties('ok=1\nbad=\\u12G4', 'zoo.cfg');
    } catch (e) {
      err = e;
    }
    expect(isConfigError(err)).toBe(true);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).line).toBe(2);
    expect((err as Error).message).toMatch(/\\uXXXX.*zoo\.cfg line 2/);
  });

  it('trims like String.trim() (control characters too), keeping inner blanks', () => {
    expect(kv('key = value with  spaces \t\u0001')).toEqual([['key', 'value with  spaces']]);
  });

  it('allows an empty value and a key alone', () => {
    expect(kv('empty=\nalone')).toEqual([['empty', ''], ['alone', '']]);
  });

  it('reports the line where each logical line starts, duplicates included', () => {
    const entries = parseProperties('# c\na=1\nb=2\\\n  more\nc=3\na=4');
    expect(entries.map((e) => [e.key, e.line])).toEqual([['a', 2], ['b', 3], ['c', 5], ['a', 6]]);
  });
});
