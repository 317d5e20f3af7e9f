import { describe, expect, it } from 'vitest';
import {
  createLogger, formatJsonLine, formatTextLine, isLogThreshold, lineSink, memoryLogger, silentLogger,
  type LogRecord,
} from '../src/logger.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0, 0); // 2024-05-01T12:00:00.000Z
const record = (fields: Record<string, unknown>, msg = 'hello', level: LogRecord['level'] = 'info'): LogRecord =>
  ({ level, msg, fields });

describe('createLogger', () => {
  it('filters by level (info by default)', () => {
    const seen: LogRecord[] = [];
    const log = createLogger({ sink: (r) => seen.push(r) });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(seen.map((r) => r.level)).toEqual(['info', 'warn', 'error']);
    expect(log.isEnabled('debug')).toBe(false);
    expect(log.isEnabled('info')).toBe(true);
  });

  it('silent threshold logs nothing', () => {
    const seen: LogRecord[] = [];
    const log = createLogger({ sink: (r) => seen.push(r), level: 'silent' });
    log.error('x');
    expect(seen).toEqual([]);
  });

  it('child loggers add fields; the call wins on a clash; children nest', () => {
    const { logger, records } = memoryLogger();
    const child = logger.child({ sid: 1, role: 'follower' });
    child.info('a', { role: 'leader', zxid: '0x100000001' });
    child.child({ peer: 3 }).warn('b');
    logger.info('c');
    expect(records).toEqual([
      { level: 'info', msg: 'a', fields: { sid: 1, role: 'leader', zxid: '0x100000001' } },
      { level: 'warn', msg: 'b', fields: { sid: 1, role: 'follower', peer: 3 } },
      { level: 'info', msg: 'c', fields: {} },
    ]);
  });

  it('base fields apply to every record', () => {
    const seen: LogRecord[] = [];
    createLogger({ sink: (r) => seen.push(r), fields: { app: 'zkserver' } }).info('x');
    expect(seen[0]!.fields).toEqual({ app: 'zkserver' });
  });

  it('a throwing sink does not throw into the caller', () => {
    const log = createLogger({ sink: () => { throw new Error('disk full'); } });
    expect(() => log.error('x')).not.toThrow();
  });

  it('silentLogger does nothing and its child is itself', () => {
    silentLogger.error('x', { a: 1 });
    expect(silentLogger.child({ a: 1 })).toBe(silentLogger);
    expect(silentLogger.isEnabled('error')).toBe(false);
  });

  it('isLogThreshold', () => {
    expect(['debug', 'info', 'warn', 'error', 'silent'].every(isLogThreshold)).toBe(true);
    expect(isLogThreshold('trace')).toBe(false);
  });
});

describe('formatJsonLine', () => {
  it('time, level, msg, then fields', () => {
    expect(formatJsonLine(record({ port: 2181, mode: 'standalone' }), T0)).toBe(
      '{"time":"2024-05-01T12:00:00.000Z","level":"info","msg":"hello","port":2181,"mode":"standalone"}',
    );
  });

  it('bigint as a decimal string', () => {
    expect(JSON.parse(formatJsonLine(record({ sessionId: 0x1000000000001n }), T0)).sessionId).toBe('281474976710657');
  });

  it('renames fields that clash with time/level/msg', () => {
    const o = JSON.parse(formatJsonLine(record({ time: 5, level: 'x', msg: 'y' }), T0));
    expect(o).toMatchObject({ level: 'info', msg: 'hello', _time: 5, _level: 'x', _msg: 'y' });
  });

  it('errors keep name, message, code, stack and cause', () => {
    const cause = new Error('inner');
    const err = Object.assign(new Error('listen failed', { cause }), { code: 'EADDRINUSE' });
    const o = JSON.parse(formatJsonLine(record({ err }), T0));
    expect(o.err).toMatchObject({ name: 'Error', message: 'listen failed', code: 'EADDRINUSE', cause: { message: 'inner' } });
    expect(o.err.stack).toMatch(/listen failed/);
  });

  it('bytes, dates, maps, sets, nested objects, undefined, functions, symbols, NaN', () => {
    const o = JSON.parse(formatJsonLine(record({
      data: Buffer.from('abc'),
      big: new Uint8Array(40),
      when: new Date(T0),
      map: new Map<unknown, unknown>([['a', 1n], [2, 'b']]),
      set: new Set([1, 2]),
      nested: { list: [1, undefined, 2n] },
      gone: undefined,
      fn: () => 1,
      sym: Symbol('s'),
      nan: NaN,
    }), T0));
    expect(o).toEqual({
      time: '2024-05-01T12:00:00.000Z', level: 'info', msg: 'hello',
      data: '<3 bytes 616263>',
      big: `<40 bytes ${'00'.repeat(32)}…>`,
      when: '2024-05-01T12:00:00.000Z',
      map: { a: '1', 2: 'b' },
      set: [1, 2],
      nested: { list: [1, null, '2'] },
      sym: 'Symbol(s)',
      nan: 'NaN',
    });
  });

  it('cycles become [Circular]; shared (non-cyclic) references are kept', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a['self'] = a;
    const shared = { x: 1 };
    const o = JSON.parse(formatJsonLine(record({ a, pair: [shared, shared] }), T0));
    expect(o.a).toEqual({ name: 'a', self: '[Circular]' });
    expect(o.pair).toEqual([{ x: 1 }, { x: 1 }]);
  });

  it('deep nesting is cut off', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i++) deep = { deep };
    expect(formatJsonLine(record({ deep }), T0)).toContain('[Object]');
  });

  it('uses toJSON when present, and survives one that throws', () => {
    const o = JSON.parse(formatJsonLine(record({
      ok: { toJSON: () => 'custom' },
      bad: { toJSON: () => { throw new Error('no'); } },
    }), T0));
    expect(o).toMatchObject({ ok: 'custom', bad: '[Unserializable]' });
  });

  it('is always exactly one line', () => {
    const line = formatJsonLine(record({ text: 'a\nb', err: new Error('x\ny') }, 'multi\nline'), T0);
    expect(line).not.toContain('\n');
  });
});

describe('formatTextLine', () => {
  it('TIME LEVEL msg key=value, quoting only when needed', () => {
    expect(formatTextLine(record({ port: 2181, addr: '127.0.0.1', note: 'two words', empty: '', zxid: 5n }), T0)).toBe(
      '2024-05-01T12:00:00.000Z INFO  hello port=2181 addr=127.0.0.1 note="two words" empty="" zxid=5',
    );
  });

  it('errors as "Name: message" on the same line', () => {
    const line = formatTextLine(record({ err: new RangeError('bad\nthing') }, 'failed', 'error'), T0);
    expect(line).toBe('2024-05-01T12:00:00.000Z ERROR failed err="RangeError: bad\\nthing"');
  });

  it('objects as JSON; newlines in the message escaped', () => {
    expect(formatTextLine(record({ peer: { sid: 2 } }, 'a\nb', 'warn'), T0))
      .toBe('2024-05-01T12:00:00.000Z WARN  a\\nb peer={"sid":2}');
  });
});

describe('lineSink', () => {
  it('stamps time from the injected clock and writes one line per record', () => {
    const out: string[] = [];
    let now = T0;
    const log = createLogger({ sink: lineSink((l) => out.push(l), { clock: () => now }) });
    log.info('one', { n: 1 });
    now += 1500;
    log.warn('two');
    expect(out).toEqual([
      '{"time":"2024-05-01T12:00:00.000Z","level":"info","msg":"one","n":1}\n',
      '{"time":"2024-05-01T12:00:01.500Z","level":"warn","msg":"two"}\n',
    ]);
  });

  it('text format', () => {
    const out: string[] = [];
    createLogger({ sink: lineSink((l) => out.push(l), { format: 'text', clock: () => T0 }) }).error('boom', { code: 2 });
    expect(out).toEqual(['2024-05-01T12:00:00.000Z ERROR boom code=2\n']);
  });
});
