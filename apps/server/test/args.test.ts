import { describe, expect, it } from 'vitest';
import { intOption, parseCommandArgs, UsageError, type OptionSpec, type PositionalSpec } from '../src/args.js';

const options: Record<string, OptionSpec> = {
  daemon: { type: 'boolean', short: 'd', description: '' },
  'log-format': { type: 'string', choices: ['text', 'json'], description: '' },
  timeout: { type: 'string', description: '' },
};
const positionals: PositionalSpec[] = [{ name: 'zoo.cfg', optional: true, description: '' }];
const parse = (argv: string[], pos = positionals) => parseCommandArgs('start', argv, options, pos);

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs', () => {
  it('takes an optional positional and options in any order', () => {
    expect(parse(['conf/zoo.cfg', '--daemon'])).toEqual({ positionals: ['conf/zoo.cfg'], options: { daemon: true } });
    expect(parse(['-d', '--log-format=json', 'zoo.cfg'])).toEqual({
      positionals: ['zoo.cfg'], options: { daemon: true, 'log-format': 'json' },
    });
    expect(parse(['--log-format', 'text'])).toEqual({ positionals: [], options: { 'log-format': 'text' } });
  });

  it('-- ends options', () => {
    expect(parse(['--', '--weird.cfg']).positionals).toEqual(['--weird.cfg']);
  });

  it('rejects unknown options, naming them', () => {
    expect(usageError(() => parse(['--deamon']))).toMatch(/^start: unknown option '--deamon'/);
  });

  it('rejects a value outside the choices', () => {
    expect(usageError(() => parse(['--log-format', 'xml']))).toBe('start: --log-format must be one of text, json (got "xml")');
  });

  it('rejects a missing option value', () => {
    expect(usageError(() => parse(['--timeout']))).toMatch(/^start: .*--timeout/);
  });

  it('rejects too many positionals', () => {
    expect(usageError(() => parse(['a.cfg', 'b.cfg']))).toBe('start: unexpected argument "b.cfg"');
  });

  it('rejects a missing required positional', () => {
    const required: PositionalSpec[] = [{ name: 'FILE', optional: false, description: '' }];
    expect(usageError(() => parse([], required))).toBe('start: missing FILE');
  });
});

describe('intOption', () => {
  it('parses whole numbers, defaulting when absent', () => {
    expect(intOption('stop', 'timeout', undefined, 30000)).toBe(30000);
    expect(intOption('stop', 'timeout', '250', 30000)).toBe(250);
    expect(() => intOption('stop', 'timeout', '2s', 30000)).toThrow('stop: --timeout must be a whole number (got "2s")');
  });
});
