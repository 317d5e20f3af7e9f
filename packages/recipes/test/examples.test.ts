// Every example in docs/examples runs to completion against zk-ts (on the built package, as a
// reader would run it) and prints what it promises.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const EXAMPLES = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));

const EXPECTED: Record<string, RegExp> = {
  'barrier.mjs': /(leaves \(all three are done\)[\s\S]*){3}/,
  'config.mjs': /six updates from two writers: requests = 6/,
  'counter.mjs': /30 increments from 3 clients: 30\ncompareAndSet\(30, 0\): true, now 0/,
  'leader.mjs': /node-1: I am the leader[\s\S]*node-2: I am the leader[\s\S]*node-3: I am the leader/,
  'lock.mjs': /final balance: 9/,
  'queue.mjs': /left in the queue: 0/,
  'registry.mjs': /queried: a, b[\s\S]*api instances: \(none\)/,
  'tree-cache.mjs': /removed \/cache[\s\S]*cached now: \/ \/db/,
};

function run(file: string, connectString: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { cwd: EXAMPLES, env: { ...process.env, ZK_CONNECT: connectString } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const zkts = inject('servers').find((s) => s.name === 'zk-ts');

describe.runIf(zkts !== undefined)('docs/examples against zk-ts', () => {
  it('has an expectation for every example', () => {
    expect(readdirSync(EXAMPLES).filter((f) => f.endsWith('.mjs')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it.concurrent(`${file} runs`, async () => {
      const { code, out } = await run(file, `${zkts!.host}:${zkts!.port}`);
      expect(code, out).toBe(0);
      expect(out).toMatch(expected);
    });
  }
});
