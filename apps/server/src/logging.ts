import { createLogger, lineSink, type Logger, type LogThreshold } from '@zk/server';
import type { OptionSpec } from './args.js';
import type { Runtime } from './runtime.js';

export const LOG_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'log-format': {
    type: 'string', valueName: 'text|json', choices: ['text', 'json'],
    description: 'log line format (default: text on a terminal, JSON lines otherwise)',
  },
  'log-level': {
    type: 'string', valueName: 'level', choices: ['debug', 'info', 'warn', 'error', 'silent'],
    description: 'lowest level logged (default: info)',
  },
};

/** A logger writing one line per event to stderr, per --log-format and --log-level. */
export function cliLogger(rt: Runtime, options: Readonly<Record<string, string | boolean | undefined>>): Logger {
  const format = (options['log-format'] as 'text' | 'json' | undefined) ?? (rt.stderrIsTTY ? 'text' : 'json');
  const level = (options['log-level'] as LogThreshold | undefined) ?? 'info';
  return createLogger({ level, sink: lineSink(rt.stderr, { format, clock: rt.now }) });
}
