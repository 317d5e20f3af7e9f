import { parseArgs } from 'node:util';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Shown in help: `--log-format <text|json>`. */
  readonly valueName?: string;
  readonly description: string;
  /** Accepted values for a string option. */
  readonly choices?: readonly string[];
  /** Not listed in help (internal plumbing such as --daemon-child). */
  readonly hidden?: boolean;
}

export interface PositionalSpec {
  readonly name: string;
  readonly optional: boolean;
  readonly description: string;
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
}

/** A mistake on the command line: exit code 2 with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses the arguments that follow the command name against its option and
 * positional specs. `--name=value` and `--name value` both work; `--` ends options.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  positionals: readonly PositionalSpec[],
): ParsedArgs {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, spec] of Object.entries(options)) {
    config[name] = { type: spec.type, ...(spec.short !== undefined ? { short: spec.short } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: config, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(`${command}: ${cleanParseArgsMessage((e as Error).message)}`);
  }
  for (const [name, spec] of Object.entries(options)) {
    const v = parsed.values[name];
    if (spec.choices !== undefined && typeof v === 'string' && !spec.choices.includes(v)) {
      throw new UsageError(`${command}: --${name} must be one of ${spec.choices.join(', ')} (got "${v}")`);
    }
  }
  const max = positionals.length;
  const min = positionals.filter((p) => !p.optional).length;
  if (parsed.positionals.length > max) {
    throw new UsageError(`${command}: unexpected argument "${parsed.positionals[max]!}"`);
  }
  if (parsed.positionals.length < min) {
    throw new UsageError(`${command}: missing ${positionals[parsed.positionals.length]!.name}`);
  }
  return { positionals: parsed.positionals, options: parsed.values };
}

function cleanParseArgsMessage(message: string): string {
  // node:util messages end with advice on '--' that does not fit here; keep the first sentence.
  return message.split(/\. To specify a positional argument/)[0]!.replace(/^Unknown option/, 'unknown option');
}

/** A non-negative integer option value (e.g. --timeout in ms). */
export function intOption(command: string, name: string, value: string | boolean | undefined, def: number): number {
  if (value === undefined || typeof value === 'boolean') return def;
  if (!/^\d+$/.test(value)) throw new UsageError(`${command}: --${name} must be a whole number (got "${value}")`);
  return Number(value);
}
