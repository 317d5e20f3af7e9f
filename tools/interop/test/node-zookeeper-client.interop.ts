// node-zookeeper-client (the most used Node.js client) against the target server: CRUD, watches,
// ACLs, transactions, ephemeral cleanup when a client closes.
//
// The package is loaded with require() from `node-zookeeper-client` (a dev dependency of this
// workspace) or from the directory in NZC_MODULE; without it the suite is skipped with a notice.

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type Target } from '../src/target.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the package ships no types */
type Nzc = any;
type Client = any;

function load(): Nzc | null {
  const require = createRequire(import.meta.url);
  try {
    return require(process.env['NZC_MODULE'] ?? 'node-zookeeper-client');
  } catch {
    console.warn('node-zookeeper-client is not installed (npm i -D -w @zk/interop node-zookeeper-client@1.1.3): suite skipped');
    return null;
  }
}
const zk = load();

/** Call a node-style method and resolve with all callback values after the error. */
function call<T extends unknown[] = unknown[]>(fn: (...args: any[]) => void, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    fn(...args, (err: Error | null, ...rest: unknown[]) => (err ? reject(err) : resolve(rest as T)));
  });
}

/** The error name (e.g. NO_NODE) a failing call produces, or 'ok'. */
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { name?: string }).name ?? String(e);
  }
}

describe.skipIf(!zk)('node-zookeeper-client', () => {
  let server: Target;
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    const c = zk.createClient(server.connectString, { sessionTimeout: 10_000, spinDelay: 200, retries: 2 });
    clients.push(c);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connect timed out')), 15_000);
      c.once('connected', () => {
        clearTimeout(t);
        resolve();
      });
      c.connect();
    });
    return c;
  }

  beforeAll(async () => {
    server = await startTarget();
  }, 90_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('CRUD, versions, errors, sequential nodes', async () => {
    const c = await connect();
    expect(await call(c.create.bind(c), '/nzc', Buffer.from('root'))).toEqual(['/nzc']);
    await call(c.create.bind(c), '/nzc/a', Buffer.from('hello'), zk.ACL.OPEN_ACL_UNSAFE, zk.CreateMode.PERSISTENT);
    const [data, stat] = await call<[Buffer, any]>(c.getData.bind(c), '/nzc/a');
    expect(data.toString()).toBe('hello');
    expect(stat.version).toBe(0);
    const [stat2] = await call<[any]>(c.setData.bind(c), '/nzc/a', Buffer.from('world'), 0);
    expect(stat2.version).toBe(1);
    expect(await code(call(c.setData.bind(c), '/nzc/a', Buffer.from('x'), 0))).toBe('BAD_VERSION');
    expect(await code(call(c.create.bind(c), '/nzc/a'))).toBe('NODE_EXISTS');
    expect(await code(call(c.getData.bind(c), '/nzc/none'))).toBe('NO_NODE');
    expect(await code(call(c.create.bind(c), '/nzc/none/x'))).toBe('NO_NODE');
    const [s1] = await call<[string]>(c.create.bind(c), '/nzc/s-', zk.CreateMode.PERSISTENT_SEQUENTIAL);
    const [s2] = await call<[string]>(c.create.bind(c), '/nzc/s-', zk.CreateMode.PERSISTENT_SEQUENTIAL);
    expect([s1, s2]).toEqual(['/nzc/s-0000000001', '/nzc/s-0000000002']);
    const [children, pstat] = await call<[string[], any]>(c.getChildren.bind(c), '/nzc');
    expect([...children].sort()).toEqual(['a', 's-0000000001', 's-0000000002']);
    expect(pstat.numChildren).toBe(3);
    expect(pstat.cversion).toBe(3);
    const [exists] = await call<[any]>(c.exists.bind(c), '/nzc/none');
    expect(exists).toBeNull();
    expect(await code(call(c.remove.bind(c), '/nzc', -1))).toBe('NOT_EMPTY');
    await call(c.remove.bind(c), '/nzc/a', 1);
    await call(c.mkdirp.bind(c), '/nzc/deep/er/path');
    const [deep] = await call<[any]>(c.exists.bind(c), '/nzc/deep/er/path');
    expect(deep).not.toBeNull();
  });

  it('watches: data, children, exists; one-shot', async () => {
    const c = await connect();
    const other = await connect();
    await call(c.create.bind(c), '/nzw', Buffer.from('0'));
    const events: string[] = [];
    const seen = (e: any) => events.push(`${e.getName()} ${e.getPath()}`);
    await call(c.getData.bind(c), '/nzw', seen);
    await call(c.getChildren.bind(c), '/nzw', seen);
    await call(c.exists.bind(c), '/nzw/later', seen);
    await call(other.setData.bind(other), '/nzw', Buffer.from('1'), -1);
    await call(other.create.bind(other), '/nzw/later');
    await call(other.setData.bind(other), '/nzw', Buffer.from('2'), -1);
    // In an ensemble the two clients may be on different servers: let every member apply the
    // writes (node-zookeeper-client has no sync()); then a round trip on the watching client: its
    // events were sent before this reply.
    await server.settle();
    await call(c.exists.bind(c), '/nzw');
    expect([...events].sort()).toEqual(['NODE_CHILDREN_CHANGED /nzw', 'NODE_CREATED /nzw/later', 'NODE_DATA_CHANGED /nzw'].sort());
  });

  it('ACLs: digest, addAuthInfo, NO_AUTH', async () => {
    const owner = await connect();
    const stranger = await connect();
    owner.addAuthInfo('digest', Buffer.from('alice:secret'));
    const acl = [new zk.ACL(zk.Permission.ALL, new zk.Id('auth', ''))];
    await call(owner.create.bind(owner), '/nza', Buffer.from('p'), acl, zk.CreateMode.PERSISTENT);
    const [acls] = await call<[any[]]>(owner.getACL.bind(owner), '/nza');
    expect(acls.map((a) => [a.id.scheme, a.id.id.split(':')[0], a.permission])).toEqual([['digest', 'alice', 31]]);
    // Another session sees another's writes once its server applied them (an ensemble; this
    // client has no sync()): wait for every member.
    await server.settle();
    expect(await code(call(stranger.getData.bind(stranger), '/nza'))).toBe('NO_AUTH');
    stranger.addAuthInfo('digest', Buffer.from('alice:secret'));
    const [d] = await call<[Buffer]>(stranger.getData.bind(stranger), '/nza');
    expect(d.toString()).toBe('p');
    await call(owner.setACL.bind(owner), '/nza', [new zk.ACL(zk.Permission.READ, new zk.Id('world', 'anyone'))], -1);
    const fresh = await connect();
    await server.settle();
    expect(await code(call(fresh.setData.bind(fresh), '/nza', Buffer.from('x'), -1))).toBe('NO_AUTH');
    const [data] = await call<[Buffer]>(fresh.getData.bind(fresh), '/nza');
    expect(data.toString()).toBe('p');
  });

  it('transactions: commit and a failing one with per-op results', async () => {
    const c = await connect();
    await call(c.create.bind(c), '/nzt', Buffer.from('0'));
    const commit = (t: any) => new Promise<[Error | null, any[]]>((resolve) => t.commit((err: Error | null, results: any[]) => resolve([err, results])));
    const [err, results] = await commit(
      c.transaction().create('/nzt/a', Buffer.from('a')).setData('/nzt', Buffer.from('1'), 0).check('/nzt', 1).remove('/nzt/a', 0),
    );
    expect(err).toBeNull();
    expect(results.map((r) => r.type)).toEqual([1, 5, 13, 2]);
    const [err2, results2] = await commit(c.transaction().create('/nzt/b').setData('/nzt', Buffer.from('x'), 7).create('/nzt/c'));
    expect((err2 as { name?: string } | null)?.name).toBe('BAD_VERSION');
    expect(results2.map((r) => r.err)).toEqual([0, -103, -2]);
    const [children] = await call<[string[]]>(c.getChildren.bind(c), '/nzt');
    expect(children).toEqual([]);
  });

  it('ephemerals go when their client closes', async () => {
    const c = await connect();
    const watcher = await connect();
    await call(c.create.bind(c), '/nze', Buffer.from(''));
    await call(c.create.bind(c), '/nze/e', Buffer.from('x'), zk.CreateMode.EPHEMERAL);
    await call(c.create.bind(c), '/nze/s-', Buffer.from('x'), zk.CreateMode.EPHEMERAL_SEQUENTIAL);
    await server.settle();
    const [st] = await call<[any]>(watcher.exists.bind(watcher), '/nze/e');
    expect(Buffer.from(st.ephemeralOwner).equals(Buffer.from(c.getSessionId()))).toBe(true);
    let fired: (s: string) => void = () => undefined;
    const deleted = new Promise<string>((resolve) => (fired = resolve));
    // The child watch must be in place (its reply received) before the owner goes.
    const [before] = await call<[string[]]>(watcher.getChildren.bind(watcher), '/nze', (e: any) => fired(`${e.getName()} ${e.getPath()}`));
    expect(before).toHaveLength(2);
    c.close();
    expect(await deleted).toBe('NODE_CHILDREN_CHANGED /nze');
    const [children] = await call<[string[]]>(watcher.getChildren.bind(watcher), '/nze');
    expect(children).toEqual([]);
  });
});
