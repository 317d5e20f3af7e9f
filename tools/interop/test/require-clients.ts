// Global setup: in CI every client must be present. Locally a missing client skips its suite
// (with a notice), but in CI a skip would hide a broken install, so it fails the run instead.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { ZKCLI } from '../src/zkcli.js';
import { PYTHON } from '../src/kazoo.js';

export default function requireClients(): void {
  if (process.env['CI'] !== 'true') return;
  const missing: string[] = [];
  if (!existsSync(ZKCLI)) missing.push(`zkCli.sh (${ZKCLI}; Debian package zookeeper)`);
  if (!existsSync(process.env['CLI_MT'] ?? '/usr/lib/zookeeper/bin/cli_mt')) missing.push('cli_mt (Debian package zookeeper-bin)');
  if (spawnSync(PYTHON, ['-c', 'import kazoo'], { stdio: 'ignore' }).status !== 0) missing.push(`kazoo for ${PYTHON} (Debian package python3-kazoo)`);
  try {
    createRequire(import.meta.url).resolve('node-zookeeper-client');
  } catch {
    missing.push('node-zookeeper-client (npm ci)');
  }
  if (missing.length > 0) throw new Error(`interop clients missing in CI: ${missing.join(', ')}`);
}
