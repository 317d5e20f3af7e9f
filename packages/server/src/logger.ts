/**
 * Structured logging: one line per event, fields as data.
 *
 * A {@link Logger} filters by level and merges fields; a {@link LogSink} turns
 * a record into output. Sinks own the clock (injected, `Date.now` by default)
 * so loggers stay free of time. Nothing here touches `process`: the app
 * decides where lines go (see `zkserver --log-format`).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `silent` is a threshold only: nothing is logged at it. */
export type LogThreshold = LogLevel | 'silent';
export type LogFields = Readonly<Record<string, unknown>>;

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const SEVERITY: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: Infinity };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every record (the call's own fields win on a clash). */
  child(fields: LogFields): Logger;
  /** True when a record at `level` would be written; lets callers skip building costly fields. */
  isEnabled(level: LogLevel): boolean;
}

/** What a sink receives. `fields` already merges the child bindings and the call's fields. */
export interface LogRecord {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

export type LogSink = (record: LogRecord) => void;

export interface CreateLoggerOptions {
  readonly sink: LogSink;
  /** Lowest level written. Default `info`. */
  readonly level?: LogThreshold;
  /** Fields on every record (as if from `child`). */
  readonly fields?: LogFields;
}

export function isLogThreshold(s: string): s is LogThreshold {
  return s in SEVERITY;
}

export function createLogger(options: CreateLoggerOptions): Logger {
  return makeLogger(options.sink, SEVERITY[options.level ?? 'info'], options.fields ?? {});
}

function makeLogger(sink: LogSink, threshold: number, bindings: LogFields): Logger {
  const emit = (level: LogLevel, msg: string, fields: LogFields | undefined): void => {
    if (SEVERITY[level] < threshold) return;
    const merged = fields === undefined ? bindings : { ...bindings, ...fields };
    try {
      sink({ level, msg, fields: merged });
    } catch {
      // Logging must never take the server down.
    }
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => makeLogger(sink, threshold, { ...bindings, ...fields }),
    isEnabled: (level) => SEVERITY[level] >= threshold,
  };
}

/** Discards everything. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
  isEnabled: () => false,
};

/** For tests: a logger at `debug` that keeps every record in `records`. */
export function memoryLogger(level: LogThreshold = 'debug'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { logger: createLogger({ level, sink: (r) => records.push(r) }), records };
}

export type LogFormat = 'json' | 'text';

export interface LineSinkOptions {
  /** `json` (default): one JSON object per line. `text`: `TIME LEVEL msg key=value …`. */
  readonly format?: LogFormat;
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * A sink that formats each record as one line (ending in `\n`) and hands it to
 * `write`, e.g. `(line) => process.stderr.write(line)`.
 */
export function lineSink(write: (line: string) => void, options: LineSinkOptions = {}): LogSink {
  const clock = options.clock ?? Date.now;
  const format = options.format === 'text' ? formatTextLine : formatJsonLine;
  return (record) => write(format(record, clock()) + '\n');
}

const RESERVED = new Set(['time', 'level', 'msg']);

/**
 * `{"time":"…Z","level":"info","msg":"…",…fields}`. Fields named time, level or
 * msg are renamed with a leading underscore. bigint becomes a decimal string
 * (format zxids as 0x hex yourself), Errors become {name, message, code, stack},
 * bytes become `<N bytes …hex>`, cycles `[Circular]`.
 */
export function formatJsonLine(record: LogRecord, timeMs: number): string {
  const out: Record<string, unknown> = { time: isoTime(timeMs), level: record.level, msg: record.msg };
  for (const [k, v] of Object.entries(record.fields)) {
    const value = toLoggable(v, 0, []);
    if (value === undefined) continue;
    out[RESERVED.has(k) ? `_${k}` : k] = value;
  }
  return JSON.stringify(out);
}

/** `2024-05-01T12:00:00.000Z INFO  server started port=2181 mode=standalone` */
export function formatTextLine(record: LogRecord, timeMs: number): string {
  let line = `${isoTime(timeMs)} ${record.level.toUpperCase().padEnd(5)} ${oneLine(record.msg)}`;
  for (const [k, v] of Object.entries(record.fields)) {
    // Errors show as "Name: message" so the event stays on one line; JSON keeps the stack.
    const value = v instanceof Error ? `${v.name}: ${v.message}` : toLoggable(v, 0, []);
    if (value === undefined) continue;
    line += ` ${k}=${textValue(value)}`;
  }
  return line;
}

function isoTime(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}

function textValue(value: unknown): string {
  if (typeof value === 'string') {
    return value !== '' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  }
  return JSON.stringify(value) ?? 'null';
}

const MAX_DEPTH = 8;
const MAX_BYTES_SHOWN = 32;

/** A JSON-safe copy of `v`; undefined means "leave the field out". */
function toLoggable(v: unknown, depth: number, ancestors: object[]): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : String(v);
    case 'bigint':
      return v.toString();
    case 'symbol':
      return v.toString();
    case 'undefined':
    case 'function':
      return undefined;
  }
  if (v === null) return null;
  const obj = v as object;
  if (ancestors.includes(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? '[Array]' : '[Object]';
  if (obj instanceof Date) return isoTime(obj.getTime());
  if (obj instanceof Uint8Array) {
    const shown = Buffer.from(obj.buffer, obj.byteOffset, Math.min(obj.byteLength, MAX_BYTES_SHOWN)).toString('hex');
    return `<${obj.byteLength} bytes ${shown}${obj.byteLength > MAX_BYTES_SHOWN ? '…' : ''}>`;
  }
  const nested = [...ancestors, obj];
  if (obj instanceof Error) {
    const e = obj as Error & { code?: unknown; cause?: unknown };
    const out: Record<string, unknown> = { name: e.name, message: e.message };
    if (e.code !== undefined) out['code'] = toLoggable(e.code, depth + 1, nested);
    if (e.stack !== undefined) out['stack'] = e.stack;
    if (e.cause !== undefined) out['cause'] = toLoggable(e.cause, depth + 1, nested);
    return out;
  }
  if (Array.isArray(obj)) return obj.map((x) => toLoggable(x, depth + 1, nested) ?? null);
  if (obj instanceof Set) return [...obj].map((x) => toLoggable(x, depth + 1, nested) ?? null);
  if (obj instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of obj) {
      const value = toLoggable(x, depth + 1, nested);
      if (value !== undefined) out[String(k)] = value;
    }
    return out;
  }
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    try {
      return toLoggable(toJSON.call(obj), depth + 1, nested);
    } catch {
      return '[Unserializable]';
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(obj)) {
    const value = toLoggable(x, depth + 1, nested);
    if (value !== undefined) out[k] = value;
  }
  return out;
}
