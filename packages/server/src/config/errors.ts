const CONFIG_ERROR = Symbol.for('@zk/server/ConfigError');

/** Where in the configuration a problem was found. All parts are optional. */
export interface ConfigErrorDetails {
  /** The zoo.cfg key (or `myid`) the problem is about. */
  readonly key?: string;
  /** The offending value, exactly as written (after Java-style trimming). */
  readonly value?: string;
  /** What would have been accepted, in words: "an integer 1..65535". */
  readonly expected?: string;
  /** 1-based line of the logical line that set the key. */
  readonly line?: number;
  /** The file that was being read. */
  readonly file?: string;
}

/**
 * A configuration problem that stops the server from starting. The message is
 * meant for an operator: it names the key, quotes the bad value and says what
 * is expected, e.g. `tickTime: invalid value (got "2s") at zoo.cfg line 3;
 * expected a positive integer (milliseconds)`.
 *
 * Use {@link isConfigError} rather than `instanceof` across package boundaries.
 */
export class ConfigError extends Error {
  static override readonly name = 'ConfigError';
  readonly key: string | undefined;
  readonly value: string | undefined;
  readonly expected: string | undefined;
  readonly line: number | undefined;
  readonly file: string | undefined;

  constructor(problem: string, details: ConfigErrorDetails = {}) {
    super(formatConfigMessage(problem, details));
    this.name = 'ConfigError';
    this.key = details.key;
    this.value = details.value;
    this.expected = details.expected;
    this.line = details.line;
    this.file = details.file;
  }

  get [CONFIG_ERROR](): true {
    return true;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[CONFIG_ERROR] === true;
}

/** Location text such as `zoo.cfg line 3`, or '' when nothing is known. */
export function describeLocation(file: string | undefined, line: number | undefined): string {
  if (file !== undefined && line !== undefined) return `${file} line ${line}`;
  if (file !== undefined) return file;
  if (line !== undefined) return `line ${line}`;
  return '';
}

function formatConfigMessage(problem: string, d: ConfigErrorDetails): string {
  let msg = d.key !== undefined ? `${d.key}: ${problem}` : problem;
  if (d.value !== undefined) msg += ` (got ${JSON.stringify(d.value)})`;
  const where = describeLocation(d.file, d.line);
  if (where !== '') msg += ` at ${where}`;
  if (d.expected !== undefined) msg += `; expected ${d.expected}`;
  return msg;
}
