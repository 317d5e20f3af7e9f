// The session engine against a scripted server: pings, timeouts, setWatches batching, the
// handshake fields, expiry, read-only mode, aborts and the request queue. Client time is a
// ManualClock, so every timing rule is checked without waiting.

import { ErrorCode, OpCode, Xid, type SetWatches2 } from '@zk/protocol';
import { ManualClock } from '@zk/server';
import { memoryNetwork, type MemoryNetwork } from '@zk/transport-memory';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthFailedError,
  ConnectionLossError,
  RequestTimeoutError,
  SET_WATCHES_MAX_LENGTH,
  SessionExpiredError,
  createClient,
  type ClientOptions,
  type ZooKeeperClient,
} from '../src/index.js';
import { EventLog, stateIs, until } from './support/helpers.js';
import { FakeServer } from './support/fake-server.js';

let net: MemoryNetwork;
let clock: ManualClock;
let servers: FakeServer[];
let clients: ZooKeeperClient[];

beforeEach(() => {
  net = memoryNetwork();
  clock = new ManualClock(0);
  servers = [];
  clients = [];
});

afterEach(async () => {
  for (const c of clients) {
    // Closing waits for closeSession unless the clock moves; let it time out on the manual clock.
    const closing = c.close();
    clock.advance(10_000);
    await closing;
  }
  for (const s of servers) await s.stop();
});

async function server(host: string, options: ConstructorParameters<typeof FakeServer>[3] = {}): Promise<FakeServer> {
  const s = new FakeServer(net.transport({ host }), host, 2181, options);
  await s.start();
  servers.push(s);
  return s;
}

function client(connectString: string, options: ClientOptions = {}): { zk: ZooKeeperClient; log: EventLog } {
  const log = new EventLog();
  const zk = createClient(connectString, {
    transport: net.transport({ host: 'client' }),
    clock,
    random: () => 0,
    sessionTimeoutMs: 3000,
    reconnectDelayMs: 0,
    hostCycleDelayMs: 0,
    watcher: log.watcher,
    ...options,
  });
  clients.push(zk);
  return { zk, log };
}

describe('pings and read timeout (ClientCnxn rules)', () => {
  it('pings after readTimeout/2 of send idleness and drops a silent server after readTimeout', async () => {
    const s = await server('s1');
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    expect(zk.negotiatedTimeoutMs).toBe(3000); // readTimeout 2000, ping when idle >= 1000
    clock.advance(999);
    await until(() => true, 'a turn');
    expect(s.ofType(OpCode.ping)).toHaveLength(0);
    clock.advance(1);
    await until(() => s.ofType(OpCode.ping).length === 1, 'the first ping');
    expect(s.ofType(OpCode.ping)[0]!.xid).toBe(Xid.PING);

    // The server stops answering anything: after 2000 ms without a byte the client gives up.
    s.options = { onRequest: () => 'ignore' };
    clock.advance(1999);
    await until(() => s.ofType(OpCode.ping).length >= 2, 'more pings');
    expect(zk.state).toBe('CONNECTED');
    clock.advance(1000);
    await log.next(stateIs('Disconnected'));
    s.options = {};
    await log.next(stateIs('SyncConnected'));
    expect(s.connections).toHaveLength(2);
  });

  it('sends no ping while requests keep the connection busy', async () => {
    const s = await server('s1');
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    for (let i = 0; i < 10; i++) {
      clock.advance(500);
      await zk.exists('/x');
    }
    expect(s.ofType(OpCode.ping)).toHaveLength(0);
  });
});

describe('handshake and reconnection', () => {
  it('reconnects with session id, password and lastZxidSeen; tries the next host when one refuses', async () => {
    const s1 = await server('s1');
    const s2 = await server('s2');
    const { zk, log } = client('s1:2181,s2:2181');
    await log.next(stateIs('SyncConnected'));
    const first = zk.server!.host === 's1' ? s1 : s2;
    const second = first === s1 ? s2 : s1;
    expect(first.connections[0]!.connectRequest).toMatchObject({ sessionId: 0n, lastZxidSeen: 0n, timeOut: 3000, readOnly: false });
    first.zxid = 0x500000007n;
    await zk.create('/a');
    expect(zk.lastZxid).toBe(0x500000008n);
    // The next server is "behind" and refuses; the client must not settle for it.
    second.options = { onConnect: () => 'close' };
    first.current!.close();
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    const req = second.connections[0]!.connectRequest!;
    expect(req).toMatchObject({ sessionId: zk.sessionId, lastZxidSeen: 0x500000008n });
    expect(Buffer.from(req.passwd).equals(Buffer.from(zk.sessionPassword))).toBe(true);
    expect(zk.server!.host).toBe(first.host);
  });

  it('re-arms watches in setWatches batches under 128 KiB, setWatches2 only with persistent watches', async () => {
    const s = await server('s1');
    const { zk, log } = client('s1:2181/chroot');
    await log.next(stateIs('SyncConnected'));
    const long = 'x'.repeat(1000);
    const paths = Array.from({ length: 300 }, (_, i) => `/${long}${i}`);
    await Promise.all(paths.map((p) => zk.getData(p, { watch: () => {} })));
    await Promise.all(paths.slice(0, 20).map((p) => zk.getChildren(p, { watch: () => {} })));
    s.zxid = 77n;
    await zk.setData('/bump', 'x');
    s.current!.close();
    await log.next(stateIs('SyncConnected'));
    await until(() => s.ofType(OpCode.setWatches).length >= 3, 'setWatches batches');
    const batches = s.ofType(OpCode.setWatches);
    expect(s.ofType(OpCode.setWatches2)).toHaveLength(0);
    const all = batches.flatMap((b) => (b.request.req as SetWatches2).dataWatches);
    expect(all).toEqual(paths.map((p) => `/chroot${p}`));
    for (const b of batches) {
      const w = b.request.req as SetWatches2;
      expect(b.xid).toBe(Xid.SET_WATCHES);
      expect(w.relativeZxid).toBe(78n);
      const chars = [...w.dataWatches, ...w.existWatches, ...w.childWatches].reduce((n, p) => n + p.length, 0);
      expect(chars).toBeLessThan(SET_WATCHES_MAX_LENGTH + 1100);
    }
    expect(batches.flatMap((b) => (b.request.req as SetWatches2).childWatches)).toHaveLength(20);

    await zk.addWatch('/p', () => {}, { mode: 'PERSISTENT_RECURSIVE' });
    s.current!.close();
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    await until(() => s.ofType(OpCode.setWatches2).length >= 1, 'setWatches2');
    const v2 = s.ofType(OpCode.setWatches2).map((b) => b.request.req as SetWatches2);
    expect(v2.flatMap((w) => w.persistentRecursiveWatches)).toEqual(['/chroot/p']);
  });

  it('reports Expired when the server refuses the session; everything fails with SessionExpired', async () => {
    const s = await server('s1');
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    s.options = { onConnect: () => ({ timeOut: 0, sessionId: 0n }) };
    s.current!.close();
    await log.next(stateIs('Disconnected'));
    const queued = zk.getData('/q');
    await log.next(stateIs('Expired'));
    await expect(queued).rejects.toBeInstanceOf(SessionExpiredError);
    expect(zk.state).toBe('CLOSED');
    await expect(zk.exists('/')).rejects.toBeInstanceOf(SessionExpiredError);
  });

  it('fails queued requests with ConnectionLoss once disconnected for a whole session timeout', async () => {
    const s = await server('s1');
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    net.partition('client', 's1', { mode: 'reset' });
    await log.next(stateIs('Disconnected'));
    const queued = zk.exists('/q');
    clock.advance(2999);
    await until(() => true, 'a turn');
    clock.advance(1);
    await expect(queued).rejects.toBeInstanceOf(ConnectionLossError);
    await expect(zk.exists('/now')).rejects.toBeInstanceOf(ConnectionLossError);
    net.heal();
    clock.advance(100);
    await log.next(stateIs('SyncConnected'));
    expect(await zk.exists('/after')).not.toBeNull();
    void s;
  });

  it('connects read-only, then moves to a read-write server found with isro', async () => {
    const ro = await server('ro', { onConnect: () => ({ readOnly: true }), fourLetter: { isro: 'ro' } });
    const rw = await server('rw', { fourLetter: { isro: 'rw' } });
    // Only the read-only server accepts at first.
    rw.options = { ...rw.options, onConnect: () => 'close' };
    const { zk, log } = client('ro:2181,rw:2181', { canBeReadOnly: true });
    await log.next(stateIs('ConnectedReadOnly'));
    expect(zk.state).toBe('CONNECTEDREADONLY');
    expect(ro.current!.connectRequest!.readOnly).toBe(true);
    rw.options = { fourLetter: { isro: 'rw' } };
    clock.advance(100);
    await log.next(stateIs('SyncConnected'));
    expect(zk.server!.host).toBe('rw');
    // A session made read-only is not carried to the read-write server (seenRwServerBefore).
    expect(rw.connections.at(-1)!.connectRequest!.sessionId).toBe(0n);
  });
});

describe('timeouts, aborts and authentication', () => {
  it('client-wide request timeout fails the request and reconnects', async () => {
    const s = await server('s1', { onRequest: (r) => (r.type === OpCode.getData ? 'ignore' : undefined) });
    const { zk, log } = client('s1:2181', { requestTimeoutMs: 500 });
    await log.next(stateIs('SyncConnected'));
    const slow = zk.getData('/slow');
    clock.advance(500);
    const err = await slow.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    await log.next(stateIs('Disconnected'));
    await log.next(stateIs('SyncConnected'));
    expect(s.connections).toHaveLength(2);
  });

  it('per-call timeout and abort settle the call; the late reply is ignored', async () => {
    let held: (() => void)[] = [];
    const s = await server('s1', {
      onRequest: (r) => {
        if (r.type !== OpCode.getData) return undefined;
        held.push(() => r.conn.reply(r.xid, 0n, 0, OpCode.getData, { data: new Uint8Array([1]), stat: { ...zeroStat } }));
        return 'ignore';
      },
    });
    const zeroStat = (await import('./support/fake-server.js')).ZERO_STAT;
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    const timed = zk.getData('/t', { timeoutMs: 100 });
    const controller = new AbortController();
    const aborted = zk.getData('/a', { signal: controller.signal });
    const kept = zk.getData('/k');
    await until(() => held.length === 3, 'three requests at the server');
    clock.advance(100);
    await expect(timed).rejects.toBeInstanceOf(RequestTimeoutError);
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    for (const h of held) h();
    held = [];
    expect((await kept).data?.[0]).toBe(1);
    expect(zk.state).toBe('CONNECTED');
    expect(s.connections).toHaveLength(1);
    const pre = new AbortController();
    pre.abort(new Error('early'));
    await expect(zk.exists('/x', { signal: pre.signal })).rejects.toThrow('early');
  });

  it('AUTH_FAILED is final, as in ZooKeeper', async () => {
    await server('s1', { onRequest: (r) => (r.type === OpCode.auth ? { err: ErrorCode.AUTHFAILED } : undefined) });
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    await expect(zk.addAuth('bogus', 'x')).rejects.toBeInstanceOf(AuthFailedError);
    await log.next(stateIs('AuthFailed'));
    expect(zk.state).toBe('AUTH_FAILED');
    await expect(zk.exists('/')).rejects.toBeInstanceOf(AuthFailedError);
  });

  it('drops the connection on an out-of-order reply', async () => {
    const s = await server('s1', {
      onRequest: (r) => {
        if (r.type !== OpCode.exists) return undefined;
        r.conn.reply(r.xid + 1000, 0n, 0, OpCode.exists, { stat: { czxid: 0n, mzxid: 0n, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0n } });
        return 'ignore';
      },
    });
    const { zk, log } = client('s1:2181');
    await log.next(stateIs('SyncConnected'));
    await expect(zk.exists('/x')).rejects.toBeInstanceOf(ConnectionLossError);
    await log.next(stateIs('Disconnected'));
    void s;
  });
});
