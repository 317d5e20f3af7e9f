import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: zkserver <command> [zoo.cfg] [options]',
    '',
    'A ZooKeeper-compatible server. Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Without zoo.cfg, commands use the built-in defaults: a standalone server on',
    '127.0.0.1:2181 with its data in ./data.',
    '',
    'Run "zkserver <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

export function commandHelp(command: Command): string {
  const positionals = command.positionals.map((p) => (p.optional ? `[${p.name}]` : p.name)).join(' ');
  const options = Object.entries(command.options).filter(([, o]) => o.hidden !== true);
  const lines = [`Usage: zkserver ${command.name}${positionals ? ` ${positionals}` : ''}${options.length > 0 ? ' [options]' : ''}`, ''];
  lines.push(command.description, '');
  if (command.positionals.length > 0) {
    lines.push('Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name}  ${p.description}`);
    lines.push('');
  }
  if (options.length > 0) {
    const labels = options.map(([name, o]) =>
      `${o.short !== undefined ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` <${o.valueName ?? 'value'}>` : ''}`);
    const width = Math.max(...labels.map((l) => l.length));
    lines.push('Options:');
    options.forEach(([, o], i) => lines.push(`  ${labels[i]!.padEnd(width)}  ${o.description}`));
    lines.push('');
  }
  return lines.join('\n');
}
