import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataTree } from '@zk/datatree';
import { OpCode, encodeTxnEntry, type Txn, type TxnEntry } from '@zk/protocol';
import { fileStorage } from '@zk/storage-file';
import { runCli } from '../src/index.js';
import { fakeRuntime } from './support/fake-runtime.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const SID = 0x1000001n;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function entry(zxid: bigint, type: number, txn: unknown, clientId = SID): TxnEntry {
  return { header: { clientId, cxid: Number(zxid), zxid, time: 1_700_000_000_000 + Number(zxid), type }, txn: { type, txn } as Txn };
}

/** The txns of a small history: one of each kind the dump must render. */
function history(): TxnEntry[] {
  return [
    entry(1n, OpCode.createSession, { timeOut: 30000 }),
    entry(2n, OpCode.create, { path: '/app', data: enc('hello'), acl: OPEN, ephemeral: false, parentCVersion: 1 }),
    entry(3n, OpCode.create, { path: '/app/e', data: new Uint8Array([0, 1, 2, 255]), acl: OPEN, ephemeral: true, parentCVersion: 1 }),
    entry(4n, OpCode.setData, { path: '/app', data: enc('world'), version: 1 }),
    entry(5n, OpCode.setACL, { path: '/app', acl: [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }], version: 1 }),
    entry(6n, OpCode.multi, {
      txns: [
        { type: OpCode.create, txn: { path: '/app/m', data: null, acl: OPEN, ephemeral: false, parentCVersion: 2 } },
        { type: OpCode.setData, txn: { path: '/app/m', data: enc('x'), version: 1 } },
      ],
    }),
    entry(7n, OpCode.error, { err: -110 }),
    entry(8n, OpCode.delete, { path: '/app/m' }),
    entry(9n, OpCode.closeSession, { paths2Delete: ['/app/e'] }),
  ];
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const rt = fakeRuntime({ cwd: '/nonexistent' });
  const code = await runCli(argv, rt);
  return { code, out: rt.stdoutText(), err: rt.stderrText() };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zkserver-dump-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes the history to a real log (and a snapshot of the tree after it); returns the files. */
async function writeFiles(): Promise<{ log: string; snapshot: string; tree: DataTree }> {
  const storage = await fileStorage({ dataDir: dir, preAllocSize: 64 * 1024, logger: { warn: () => undefined } });
  const tree = new DataTree();
  const sessions = new Map<bigint, number>();
  for (const e of history()) {
    storage.txnLog.append(e.header.zxid, encodeTxnEntry(e));
    tree.apply(e);
    if (e.header.type === OpCode.createSession) sessions.set(SID, 30000);
  }
  // keep the ephemeral's session in the snapshot: take it before closeSession would matter
  await storage.txnLog.sync();
  const info = await storage.snapshots.save(tree.lastProcessedZxid, tree.snapshotWriter(sessions, { chunkSize: 128 }));
  await storage.close();
  const files = await readdir(join(dir, 'zkts-v1'));
  return { log: join(dir, 'zkts-v1', files.find((f) => f.startsWith('log.'))!), snapshot: join(dir, 'zkts-v1', info.name), tree };
}

describe('zkserver log-dump', () => {
  it('prints one line per txn: zxid, time, session, cxid, type, path, summary', async () => {
    const { log } = await writeFiles();
    const r = await run('log-dump', log);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`zk-ts txn log ${log}: format version 1, previous zxid 0x0`);
    expect(lines.slice(1, -1)).toEqual([
      '0x1 2023-11-14T22:13:20.001Z session 0x1000001 cxid 0x1 createSession timeOut=30000',
      '0x2 2023-11-14T22:13:20.002Z session 0x1000001 cxid 0x2 create /app data="hello" acl=world:anyone:cdrwa parentCVersion=1',
      '0x3 2023-11-14T22:13:20.003Z session 0x1000001 cxid 0x3 create /app/e data=<4 bytes> acl=world:anyone:cdrwa ephemeral parentCVersion=1',
      '0x4 2023-11-14T22:13:20.004Z session 0x1000001 cxid 0x4 setData /app data="world" version=1',
      '0x5 2023-11-14T22:13:20.005Z session 0x1000001 cxid 0x5 setACL /app acl=world:anyone:r version=1',
      '0x6 2023-11-14T22:13:20.006Z session 0x1000001 cxid 0x6 multi [create /app/m, setData /app/m v1]',
      '0x7 2023-11-14T22:13:20.007Z session 0x1000001 cxid 0x7 error err=NODEEXISTS',
      '0x8 2023-11-14T22:13:20.008Z session 0x1000001 cxid 0x8 delete /app/m',
      '0x9 2023-11-14T22:13:20.009Z session 0x1000001 cxid 0x9 closeSession paths2Delete=[/app/e]',
    ]);
    expect(lines[lines.length - 1]).toBe('EOF reached after 9 txns.');
  });

  it('--json gives one object per txn, data as text or base64, zxids in hex', async () => {
    const { log } = await writeFiles();
    const r = await run('log-dump', log, '--json');
    expect(r.code).toBe(0);
    const objs = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs[0]).toEqual({ file: log, formatVersion: 1, prevZxid: '0x0' });
    expect(objs).toHaveLength(10);
    expect(objs[1]).toMatchObject({ zxid: '0x1', type: 'createSession', offset: 24, txn: { type: 'createSession', timeOut: 30000 } });
    expect(objs[2]).toMatchObject({ zxid: '0x2', session: '0x1000001', cxid: 2, type: 'create', path: '/app' });
    expect(objs[2]!['txn']).toMatchObject({ type: 'create', data: 'hello', ephemeral: false, parentCVersion: 1 });
    expect(objs[3]!['txn']).toMatchObject({ data: 'AAEC/w==', dataEncoding: 'base64', ephemeral: true });
    expect(objs[6]!['txn']).toMatchObject({ type: 'multi', txns: [{ type: 'create', path: '/app/m', data: null }, { type: 'setData', data: 'x', version: 1 }] });
    expect(objs[7]!['txn']).toEqual({ type: 'error', err: -110, errName: 'NODEEXISTS' });
    expect((await run('log-dump', log, '--json', '--limit', '2')).out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('a flipped byte mid-log: the records before it, then an error naming file and offset, exit 1', async () => {
    const { log } = await writeFiles();
    const offsets = (await run('log-dump', log, '--json')).out.trimEnd().split('\n').slice(1).map((l) => (JSON.parse(l) as { offset: number }).offset);
    const h = await open(log, 'r+');
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, offsets[4]! + 20);
    b[0] = b[0]! ^ 0x40;
    await h.write(b, 0, 1, offsets[4]! + 20);
    await h.close();
    const r = await run('log-dump', log);
    expect(r.code).toBe(1);
    expect(r.out.trimEnd().split('\n')).toHaveLength(1 + 4);
    expect(r.err).toContain(`corrupt transaction log ${log} at offset ${offsets[4]}`);
    expect(r.err).toContain('4 txns printed before the error');
  });

  it('a missing file is exit 1; a missing argument is a usage error', async () => {
    const r = await run('log-dump', join(dir, 'log.nope'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read .*log\.nope: no such file/);
    expect((await run('log-dump')).code).toBe(2);
  });
});

describe('zkserver snapshot-dump', () => {
  it('prints the zxid, every node with its stat, then the sessions and totals', async () => {
    const { snapshot, tree } = await writeFiles();
    const r = await run('snapshot-dump', snapshot);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^zk-ts snapshot ${snapshot}: zxid 0x9, format version 2, \\d+ bytes$`));
    const app = lines.find((l) => l.startsWith('/app '))!;
    const st = tree.stat('/app')!;
    expect(app).toBe(
      `/app  czxid=0x2 mzxid=0x4 pzxid=0x9 ctime=2023-11-14T22:13:20.002Z mtime=2023-11-14T22:13:20.004Z version=1 ` +
        `cversion=${st.cversion} aversion=1 ephemeralOwner=0x0 dataLength=5 numChildren=0 acl=world:anyone:r`,
    );
    expect(lines.filter((l) => l.startsWith('/'))).toHaveLength(5); // /, /zookeeper, its two children, /app
    expect(lines).toContain('Sessions: 1');
    expect(lines).toContain('  0x1000001 timeout 30000 ms, 0 ephemerals');
    expect(lines[lines.length - 1]).toMatch(/^5 znodes, 5 data bytes; digest 0x[0-9a-f]+ at zxid 0x9; checksum ok$/);
  });

  it('--data and --json', async () => {
    const { snapshot } = await writeFiles();
    const r = await run('snapshot-dump', snapshot, '--json', '--data');
    expect(r.code).toBe(0);
    const objs = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(objs[0]).toMatchObject({ file: snapshot, zxid: '0x9', formatVersion: 2 });
    expect(objs.find((o) => o['path'] === '/app')).toMatchObject({ data: 'world', version: 1, mzxid: '0x4', acl: 'world:anyone:r' });
    expect(objs[objs.length - 1]).toMatchObject({ sessions: [{ id: '0x1000001', timeoutMs: 30000, ephemerals: 0 }], nodes: 5, dataBytes: 5, digestZxid: '0x9' });
    const text = await run('snapshot-dump', snapshot, '--data');
    expect(text.out).toContain('/app  czxid=0x2');
    expect(text.out).toContain('data="world"');
  });

  it('--summary counts znodes and data bytes per subtree, to --depth from --path', async () => {
    const storage = await fileStorage({ dataDir: dir, logger: { warn: () => undefined } });
    const tree = new DataTree();
    let z = 0n;
    const mk = (path: string, data: string): void => {
      tree.apply(entry(++z, OpCode.create, { path, data: enc(data), acl: OPEN, ephemeral: false, parentCVersion: -1 }));
    };
    mk('/a', 'xx');
    mk('/a/b', 'yyy');
    mk('/a/b/c', 'zzzz');
    mk('/a/d', '');
    mk('/e', '1');
    const info = await storage.snapshots.save(z, tree.snapshotWriter());
    await storage.close();
    const file = join(dir, 'zkts-v1', info.name);
    const r = await run('snapshot-dump', file, '--summary');
    expect(r.code).toBe(0);
    expect(r.out).toContain('/           nodes=9  dataBytes=10');
    expect(r.out).toContain('  /a          nodes=4  dataBytes=9');
    expect(r.out).toContain('  /e          nodes=1  dataBytes=1');
    expect(r.out).not.toContain('/a/b');
    const deep = await run('snapshot-dump', file, '--summary', '--path', '/a', '--depth', '2', '--json');
    const sum = JSON.parse(deep.out.trimEnd().split('\n')[1]!) as { subtrees: unknown[] };
    expect(sum.subtrees).toEqual([
      { path: '/a', nodes: 4, dataBytes: 9 },
      { path: '/a/b', nodes: 2, dataBytes: 7 },
      { path: '/a/b/c', nodes: 1, dataBytes: 4 },
      { path: '/a/d', nodes: 1, dataBytes: 0 },
    ]);
    expect((await run('snapshot-dump', file, '--summary', '--path', 'a/')).code).toBe(2);
  });

  it('a damaged snapshot is exit 1 with the reason', async () => {
    const { snapshot } = await writeFiles();
    const h = await open(snapshot, 'r+');
    const b = Buffer.alloc(1);
    await h.read(b, 0, 1, 60);
    b[0] = b[0]! ^ 0x01;
    await h.write(b, 0, 1, 60);
    await h.close();
    const r = await run('snapshot-dump', snapshot);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/zkserver snapshot-dump: .*(checksum|crc|corrupt)/i);
  });
});
