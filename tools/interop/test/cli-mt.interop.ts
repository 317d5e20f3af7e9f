// The C client (zookeeper-bin's cli_mt) in batch mode: one command per process, a smoke test of
// the C binding's handshake, create, list (ls / ls2 = getChildren2), get and delete.
// (`exists` is left out: in batch mode cli_mt 3.8.0 never exits after it, against any server.)

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/proc.js';
import { startTarget, type Target } from '../src/target.js';

const CLI_MT = process.env['CLI_MT'] ?? '/usr/lib/zookeeper/bin/cli_mt';

describe.skipIf(!existsSync(CLI_MT))('cli_mt (C client)', () => {
  let server: Target;
  beforeAll(async () => {
    server = await startTarget();
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });

  async function cmd(command: string): Promise<string> {
    const r = await run(CLI_MT, ['-h', server.connectString, '-c', command], { timeoutMs: 30_000 });
    // Each command is a new session, perhaps on another member of an ensemble: let every member
    // apply this one's write before the next command reads it.
    await server.settle();
    // Drop the C client's log lines (they start with a timestamp).
    return r.output
      .split('\n')
      .filter((l) => !/^\d{4}-\d\d-\d\d /.test(l))
      .join('\n');
  }

  it('create, ls, ls2, get, delete', async () => {
    expect(await cmd('create /cmt')).toMatch(/\[\/cmt\]: rc = 0/);
    expect(await cmd('create /cmt/x')).toMatch(/\[\/cmt\/x\]: rc = 0/);
    expect(await cmd('create /cmt/x')).toMatch(/\[\/cmt\/x\]: rc = -110/);
    const ls = await cmd('ls /');
    expect(ls).toMatch(/\/: rc = 0/);
    expect(ls).toMatch(/^\s+cmt$/m);
    expect(ls).toMatch(/^\s+zookeeper$/m);
    const ls2 = await cmd('ls2 /cmt');
    expect(ls2).toMatch(/\/cmt: rc = 0/);
    expect(ls2).toMatch(/^\s+x$/m);
    expect(await cmd('get /cmt')).toMatch(/\/cmt: rc = 0/);
    expect(await cmd('get /nope')).toMatch(/\/nope: rc = -101/);
    expect(await cmd('delete /cmt')).toMatch(/\/cmt: rc = -111/);
    expect(await cmd('delete /cmt/x')).toMatch(/\/cmt\/x: rc = 0/);
    expect(await cmd('delete /cmt')).toMatch(/\/cmt: rc = 0/);
  });
});
