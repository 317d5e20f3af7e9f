import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { contactAddress, modeLine, sendFourLetterWord } from '../src/four-letter-word.js';
import { fakeRuntime } from './support/fake-runtime.js';
import { fakeFourLetterServer, listenOnFreePort, unusedPort } from './support/net.js';

const SRVR_REPLY = [
  'Zookeeper version: 3.8.4-9316c2a7a97e1666d8f4593f34dd6fc36ecc436c, built on 2024-02-12 22:16 UTC',
  'Latency min/avg/max: 0/0.0/0', 'Received: 1', 'Sent: 0', 'Connections: 1', 'Outstanding: 0',
  'Zxid: 0x0', 'Mode: standalone', 'Node count: 5', '',
].join('\n');

let dir: string;
const cleanups: Array<() => Promise<void>> = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zkserver-status-'));
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(lines: string[]): Promise<string> {
  const path = join(dir, 'zoo.cfg');
  await writeFile(path, [`dataDir=${dir}/data`, ...lines].join('\n'));
  return path;
}

async function status(...argv: string[]) {
  const rt = fakeRuntime({ cwd: dir });
  const code = await runCli(['status', ...argv], rt);
  return { code, out: rt.stdoutText(), err: rt.stderrText() };
}

describe('zkserver status', () => {
  it('prints the client address and the Mode line of the srvr reply', async () => {
    const fake = await fakeFourLetterServer(SRVR_REPLY);
    cleanups.push(fake.close);
    const cfg = await writeConfig([`clientPort=${fake.port}`, 'clientPortAddress=127.0.0.1']);
    const r = await status(cfg);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Client port found: ${fake.port}. Client address: 127.0.0.1.\nMode: standalone\n`);
    expect(r.err).toBe(`Using config: ${cfg}\n`);
    expect(fake.words).toEqual(['srvr']);
  });

  it('contacts 127.0.0.1 when the server binds all interfaces', async () => {
    const fake = await fakeFourLetterServer('Mode: follower\n');
    cleanups.push(fake.close);
    const r = await status(await writeConfig([`clientPort=${fake.port}`]));
    expect(r.out).toBe(`Client port found: ${fake.port}. Client address: 127.0.0.1.\nMode: follower\n`);
  });

  it("finds the client port on this server's server.N line", async () => {
    const fake = await fakeFourLetterServer('Mode: leader\n');
    cleanups.push(fake.close);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'myid'), '2');
    const cfg = await writeConfig([
      'initLimit=10', 'syncLimit=5', 'server.1=127.0.0.1:2888:3888',
      `server.2=127.0.0.1:2889:3889;127.0.0.1:${fake.port}`, 'server.3=127.0.0.1:2890:3890',
    ]);
    const r = await status(cfg);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`Client port found: ${fake.port}. Client address: 127.0.0.1.\nMode: leader\n`);
  });

  it('exits 1 when nothing listens', async () => {
    const port = await unusedPort();
    const r = await status(await writeConfig([`clientPort=${port}`]));
    expect(r.code).toBe(1);
    expect(r.out).toBe(`Client port found: ${port}. Client address: 127.0.0.1.\nError contacting service. It is probably not running.\n`);
  });

  it('prints Mode: looking and exits 1 when an ensemble member is not serving', async () => {
    const fake = await fakeFourLetterServer('This ZooKeeper instance is not currently serving requests\n');
    cleanups.push(fake.close);
    const r = await status(await writeConfig([`clientPort=${fake.port}`]));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/\nMode: looking \(this zookeeper instance is not currently serving requests: electing a leader or syncing with it\)\n$/);
  });

  it('exits 1 when the reply has no Mode line', async () => {
    const fake = await fakeFourLetterServer('something else\n');
    cleanups.push(fake.close);
    const r = await status(await writeConfig([`clientPort=${fake.port}`]));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Error contacting service\. It is probably not running\.\n$/);
  });

  it('exits 1 when the server never answers (--timeout)', async () => {
    const silent = await listenOnFreePort(() => {});
    cleanups.push(silent.close);
    const r = await status(await writeConfig([`clientPort=${silent.port}`]), '--timeout', '50');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/It is probably not running/);
  });

  it('a bad config exits 2 with the key named', async () => {
    const r = await status(await writeConfig(['clientPort=2181x']));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^zkserver: bad configuration: clientPort: invalid value \(got "2181x"\)/);
  });
});

describe('four-letter-word helpers', () => {
  it('sendFourLetterWord returns the whole reply', async () => {
    const fake = await fakeFourLetterServer('imok');
    cleanups.push(fake.close);
    expect(await sendFourLetterWord('127.0.0.1', fake.port, 'ruok')).toBe('imok');
  });
  it('sendFourLetterWord rejects when the connection is refused', async () => {
    await expect(sendFourLetterWord('127.0.0.1', await unusedPort(), 'srvr')).rejects.toThrow(/ECONNREFUSED/);
  });
  it('contactAddress maps wildcards to loopback', () => {
    expect(contactAddress('0.0.0.0')).toBe('127.0.0.1');
    expect(contactAddress('::')).toBe('::1');
    expect(contactAddress('10.1.2.3')).toBe('10.1.2.3');
  });
  it('modeLine', () => {
    expect(modeLine(SRVR_REPLY)).toBe('Mode: standalone');
    expect(modeLine('Mode: observer\r\n')).toBe('Mode: observer');
    expect(modeLine('nothing')).toBeUndefined();
  });
});
