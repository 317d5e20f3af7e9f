// Run python/kazoo_check.py with Debian's python3 (where python3-kazoo is installed — not a
// pyenv python that may come first on PATH) and parse the JSON it prints last.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './proc.js';

export const PYTHON = process.env['KAZOO_PYTHON'] ?? '/usr/bin/python3';
const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'python', 'kazoo_check.py');

export interface ScenarioResult {
  ok: boolean;
  result?: unknown;
  error?: string;
  trace?: string;
}

export async function kazooAvailable(): Promise<boolean> {
  if (!existsSync(PYTHON)) return false;
  const r = await run(PYTHON, ['-c', 'import kazoo'], { timeoutMs: 20_000 });
  return r.code === 0;
}

export async function runKazoo(server: string, scenarios: string[], timeoutMs = 90_000): Promise<{ results: Record<string, ScenarioResult>; output: string }> {
  const r = await run(PYTHON, [script, server, ...scenarios], { timeoutMs });
  const last = r.output.trim().split('\n').pop() ?? '';
  try {
    return { results: JSON.parse(last) as Record<string, ScenarioResult>, output: r.output };
  } catch {
    throw new Error(`kazoo_check.py did not print JSON (exit ${r.code}${r.timedOut ? ', timed out' : ''}):\n${r.output}`);
  }
}
