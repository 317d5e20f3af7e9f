// `zkcli -server host:port cmd args`: zkCli.sh's output, exit codes that say whether the command
// succeeded, and --json for scripts. Against a zk-ts server and Apache ZooKeeper 3.8.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVERS, type TcpServer } from './support/servers.js';
import { ensureBuilt, zkcli, zkcliInProcess } from './support/zkcli.js';

beforeAll(() => ensureBuilt(), 120_000);

describe('one-shot zkcli without a server', () => {
  it('prints its version without connecting (nothing listens on the address)', async () => {
    const r = await zkcliInProcess(['-server', '127.0.0.1:1', 'version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ZooKeeper CLI version: /);
  });
});

describe.each(SERVERS.filter((s) => s.available))('one-shot zkcli against $name', (factory) => {
  let server: TcpServer;
  let n = 0;
  // Most checks run zkcli's main() in-process; the ones about the process itself spawn the binary.
  const cli = (...args: string[]) => zkcliInProcess(['-server', server.address, ...args]);
  const bin = (...args: string[]) => zkcli(['-server', server.address, ...args]);
  const fresh = async (): Promise<string> => {
    const path = `/os${process.pid}_${++n}`;
    expect((await cli('create', path)).code).toBe(0);
    return path;
  };

  beforeAll(async () => {
    server = await factory.start();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('creates, reads and lists with zkCli.sh output', async () => {
    const base = await fresh();
    const created = await bin('create', `${base}/a`, 'hello world');
    expect(created).toEqual({ code: 0, stdout: '', stderr: `Created ${base}/a\n` });
    const seq = await cli('create', '-s', '-e', `${base}/s-`);
    expect(seq.stderr).toMatch(new RegExp(`^Created ${base}/s-\\d{10}\\n$`));
    expect((await cli('ls', base)).stdout).toBe('[a]\n');
    const get = await cli('get', '-s', `${base}/a`);
    const lines = get.stdout.split('\n');
    expect(lines[0]).toBe('hello world');
    expect(lines.slice(1, 12).map((l) => l.split(' = ')[0])).toEqual([
      'cZxid', 'ctime', 'mZxid', 'mtime', 'pZxid', 'cversion', 'dataVersion', 'aclVersion', 'ephemeralOwner', 'dataLength', 'numChildren',
    ]);
    expect(lines[1]).toMatch(/^cZxid = 0x[0-9a-f]+$/);
    expect(lines[2]).toMatch(/^ctime = (Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ \d{4}$/);
    expect(lines[10]).toBe('dataLength = 11');
    expect((await cli('get', `${base}`)).stdout).toBe('null\n');
    expect((await cli('getAcl', `${base}/a`)).stdout).toBe("'world,'anyone\n: cdrwa\n");
    expect((await cli('getAllChildrenNumber', base)).stdout).toBe('1\n');
    expect((await cli('sync', base)).stdout).toBe('Sync is OK\n');
    const r = await cli('ls', '-R', base);
    expect(r.stdout).toBe(`${base}\n${base}/a\n`);
  });

  it('exits non-zero with zkCli.sh messages when a command fails', async () => {
    const base = await fresh();
    expect(await bin('stat', `${base}/nope`)).toEqual({ code: 1, stdout: '', stderr: `Node does not exist: ${base}/nope\n` });
    expect(await cli('create', base)).toEqual({ code: 1, stdout: '', stderr: `Node already exists: ${base}\n` });
    await cli('create', `${base}/v`, 'x');
    expect((await cli('set', '-v', '7', `${base}/v`, 'y')).stderr).toBe(`version No is not valid : ${base}/v\n`);
    expect((await cli('create', `${base}/v/kid`)).code).toBe(0);
    expect((await cli('delete', `${base}/v`)).stderr).toBe(`Node not empty: ${base}/v\n`);
    expect(await cli('ls')).toEqual({ code: 1, stdout: '', stderr: 'ls [-s] [-w] [-R] path\n' });
    expect((await cli('ls', 'relative')).stderr).toBe('Path must start with / character\n');
    expect((await cli('create', '-c', '-e', `${base}/c`)).stderr).toBe('-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.\n');
    expect((await cli('ls', '-x', base)).stderr).toBe('Unrecognized option: -x\n');
    const unknown = await bin('bogus');
    expect(unknown.code).toBe(127);
    expect(unknown.stderr.trim().split('\n').at(-1)).toBe('Command not found: bogus');
    await cli('setAcl', `${base}/v/kid`, 'world:anyone:r');
    expect((await cli('set', `${base}/v/kid`, 'z')).stderr).toBe(`Insufficient permission : ${base}/v/kid\n`);
    expect((await cli('stat', base)).stderr).not.toMatch(/at .*\.js/);
  });

  it('deletes a subtree with deleteall in batches', async () => {
    const base = await fresh();
    for (const p of ['a', 'a/b', 'a/b/c', 'd']) await cli('create', `${base}/${p}`);
    expect(await cli('deleteall', base, '-b', '2')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await cli('stat', base)).code).toBe(1);
  });

  it('prints JSON for scripts, errors included', async () => {
    const base = await fresh();
    await cli('create', `${base}/j`, 'data');
    const get = await cli('--json', 'get', `${base}/j`);
    expect(get.code).toBe(0);
    const parsed = JSON.parse(get.stdout) as { data: string; stat: { version: number; czxid: string } };
    expect(parsed.data).toBe('data');
    expect(parsed.stat.version).toBe(0);
    expect(parsed.stat.czxid).toMatch(/^0x[0-9a-f]+$/);
    const ls = JSON.parse((await cli('--json', 'ls', base)).stdout) as { children: string[] };
    expect(ls.children).toEqual(['j']);
    const created = JSON.parse((await cli('--json', 'create', `${base}/k`)).stdout) as { path: string };
    expect(created.path).toBe(`${base}/k`);
    const err = await bin('--json', 'get', `${base}/missing`);
    expect(err.code).toBe(1);
    expect(err.stdout).toBe('');
    expect(JSON.parse(err.stderr)).toEqual({ error: { message: `Node does not exist: ${base}/missing`, code: -101, name: 'NONODE', path: `${base}/missing` } });
  });

  it('reports an unreachable server with exit code 1', async () => {
    const r = await zkcli(['-server', '127.0.0.1:1', '-timeout', '300', 'ls', '/']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Unable to connect to 127\.0\.0\.1:1/);
  });
});
