import { readFileSync } from 'node:fs';
import { EXIT_OK, type Command } from '../command.js';

/**
 * This package's version from its package.json, found by walking up from this
 * module (dist/cli.js when built, src/commands/version.ts in tests).
 */
export function zkserverVersion(): string {
  for (const relative of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === '@zk/zkserver' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next level up
    }
  }
  return 'unknown';
}

export function versionLine(): string {
  return `zkserver ${zkserverVersion()} (zk-ts; speaks the Apache ZooKeeper 3.8 client protocol)\n`;
}

export const versionCommand: Command = {
  name: 'version',
  summary: 'print the version',
  description: 'Prints the zkserver version.',
  positionals: [],
  options: {},
  async run({ rt }) {
    rt.stdout(versionLine());
    return EXIT_OK;
  },
};
