import { afterEach, describe, expect, it } from 'vitest';
import { CreateMode, ErrorCode, EventType, OpCode, JuteWriter, type ACL } from '@zk/protocol';
import { startHarness, settle, type Harness } from './harness.js';

const OPEN: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (s: string) => new TextEncoder().encode(s);

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('standalone server', () => {
  it('creates, reads, updates and deletes with ZooKeeper replies and zxids', async () => {
    h = await startHarness();
    const c = await h.session();
    const created = await c.request(OpCode.create2, { path: '/a', data: bytes('x'), acl: OPEN, flags: CreateMode.PERSISTENT });
    expect(created.err).toBe(0);
    // zxid 1 was the createSession txn
    expect(created.zxid).toBe(2n);
    expect(created.body).toMatchObject({ path: '/a', stat: { czxid: 2n, mzxid: 2n, version: 0, dataLength: 1 } });
    const got = await c.request(OpCode.getData, { path: '/a', watch: false });
    expect(Buffer.from((got.body as { data: Uint8Array }).data).toString()).toBe('x');
    const set = await c.request(OpCode.setData, { path: '/a', data: bytes('yy'), version: 0 });
    expect(set.body).toMatchObject({ stat: { version: 1, mzxid: 3n, dataLength: 2 } });
    const stale = await c.request(OpCode.setData, { path: '/a', data: bytes('z'), version: 0 });
    expect(stale.err).toBe(ErrorCode.BADVERSION);
    expect((await c.request(OpCode.delete, { path: '/a', version: -1 })).err).toBe(0);
    expect((await c.request(OpCode.exists, { path: '/a', watch: false })).err).toBe(ErrorCode.NONODE);
  });

  it('delivers a watch event before the reply to a later read that observes the change', async () => {
    h = await startHarness();
    const watcher = await h.session();
    const writer = await h.session();
    await writer.request(OpCode.create, { path: '/w', data: bytes('0'), acl: OPEN, flags: 0 });
    await watcher.request(OpCode.getData, { path: '/w', watch: true });
    await writer.request(OpCode.setData, { path: '/w', data: bytes('1'), version: -1 });
    const read = await watcher.request(OpCode.getData, { path: '/w', watch: false });
    const order = watcher.received.map((r) => (r.kind === 'event' ? `event:${r.event.type}` : `reply:${r.reply.xid}`));
    expect(order.indexOf(`event:${EventType.NodeDataChanged}`)).toBeLessThan(order.indexOf(`reply:${read.xid}`));
    expect(watcher.events()).toEqual([{ type: EventType.NodeDataChanged, state: 3, path: '/w' }]);
  });

  it('keeps per-session order: pipelined writes then a read see every write', async () => {
    h = await startHarness();
    const c = await h.session();
    const writes = Array.from({ length: 50 }, (_, i) =>
      c.request(OpCode.create, { path: `/p${i}`, data: null, acl: OPEN, flags: 0 }));
    const read = c.request(OpCode.getChildren, { path: '/', watch: false });
    const replies = await Promise.all([...writes, read]);
    expect(replies.slice(0, 50).every((r) => r.err === 0)).toBe(true);
    expect((replies[50]!.body as { children: string[] }).children).toHaveLength(51); // + /zookeeper
    const xids = c.received.flatMap((r) => (r.kind === 'reply' ? [r.reply.xid] : []));
    expect(xids).toEqual([...xids].sort((a, b) => a - b));
  });

  it('answers four-letter words and refuses ones outside the whitelist', async () => {
    h = await startHarness({ fourLetterWordWhitelist: ['ruok', 'srvr', 'stat'] });
    const s = await h.session();
    await s.request(OpCode.create, { path: '/n', data: null, acl: OPEN, flags: 0 });
    const ask = async (word: string) => {
      const c = await h!.dial();
      c.writeRaw(bytes(word));
      await c.whenClosed();
      return c.text;
    };
    expect(await ask('ruok')).toBe('imok');
    const srvr = await ask('srvr');
    expect(srvr).toMatch(/^Zookeeper version: 3\.8\.0-zk-ts/);
    expect(srvr).toContain('Mode: standalone\n');
    expect(srvr).toContain('Node count: 6\n');
    expect(srvr).toContain('Zxid: 0x2\n');
    expect(await ask('stat')).toMatch(/Clients:\n \/127\.0\.0\.1:\d+\[1\]\(queued=0,recved=2,sent=2/);
    expect(await ask('mntr')).toBe('mntr is not executed because it is not in the whitelist.\n');
  });

  it('closes a connection whose frame exceeds jute.maxbuffer and keeps serving others', async () => {
    h = await startHarness({ juteMaxBuffer: 1024 });
    const good = await h.session();
    const bad = await h.session();
    const w = new JuteWriter();
    w.writeInt(4096);
    bad.writeRaw(w.finish());
    await bad.whenClosed();
    expect(bad.closed).toBe(true);
    const r = await good.request(OpCode.create, { path: '/ok', data: new Uint8Array(900), acl: OPEN, flags: 0 });
    expect(r.err).toBe(0);
  });

  it('answers an unknown opcode with UNIMPLEMENTED, then closes that connection only', async () => {
    h = await startHarness();
    const c = await h.session();
    const other = await h.session();
    const w = new JuteWriter();
    w.writeInt(8);
    w.writeInt(77); // xid
    w.writeInt(999); // type
    c.writeRaw(w.finish());
    await c.whenClosed();
    const replies = c.received.flatMap((r) => (r.kind === 'reply' ? [r.reply] : []));
    expect(replies).toEqual([expect.objectContaining({ xid: 77, err: ErrorCode.UNIMPLEMENTED })]);
    expect((await other.request(OpCode.exists, { path: '/', watch: false })).err).toBe(0);
  });

  it('answers an undecodable request body with MARSHALLINGERROR in order and carries on', async () => {
    h = await startHarness();
    const c = await h.session();
    const w = new JuteWriter();
    w.writeInt(12);
    w.writeInt(78);
    w.writeInt(OpCode.getData);
    w.writeInt(1000); // string length with no bytes behind it
    c.writeRaw(w.finish());
    const after = await c.request(OpCode.exists, { path: '/', watch: false });
    expect(after.err).toBe(0);
    const replies = c.received.flatMap((r) => (r.kind === 'reply' ? [[r.reply.xid, r.reply.err]] : []));
    expect(replies).toEqual([[78, ErrorCode.MARSHALLINGERROR], [after.xid, 0]]);
  });

  it('refuses connections past maxClientCnxns from one address', async () => {
    h = await startHarness({ maxClientCnxns: 2 });
    const a = await h.session();
    const b = await h.session();
    const third = await h.dial();
    await third.whenClosed();
    expect(third.closed).toBe(true);
    expect((await a.request(OpCode.exists, { path: '/', watch: false })).err).toBe(0);
    expect((await b.request(OpCode.exists, { path: '/', watch: false })).err).toBe(0);
  });

  it('closes a connection that never sends a handshake after the sessionless timeout', async () => {
    h = await startHarness();
    const idle = await h.dial();
    await settle();
    h.clock.advance(9_999);
    await settle();
    expect(idle.closed).toBe(false);
    h.clock.advance(2);
    await idle.whenClosed();
    expect(idle.closed).toBe(true);
  });

  it('expires a silent session: ephemerals go, watchers hear it, re-attach is refused', async () => {
    h = await startHarness({ tickTime: 2000, minSessionTimeout: 4000, maxSessionTimeout: 40000 });
    const owner = await h.session({ timeOut: 4000 });
    const other = await h.session({ timeOut: 40000 });
    expect(owner.timeOut).toBe(4000);
    await owner.request(OpCode.create, { path: '/eph', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL });
    await other.request(OpCode.exists, { path: '/eph', watch: true });
    h.clock.advance(3000);
    await other.request(OpCode.ping, null, -2); // keeps `other` alive
    await settle();
    expect((await other.request(OpCode.exists, { path: '/eph', watch: false })).err).toBe(0);
    h.clock.advance(4000);
    await settle(20);
    expect(owner.closed).toBe(true);
    expect(other.events()).toEqual([{ type: EventType.NodeDeleted, state: 3, path: '/eph' }]);
    expect((await other.request(OpCode.exists, { path: '/eph', watch: false })).err).toBe(ErrorCode.NONODE);
    const again = await h.dial();
    const res = await again.handshake({ sessionId: owner.sessionId, passwd: owner.passwd, timeOut: 4000 });
    expect(res?.timeOut).toBe(0);
    await again.whenClosed();
  });

  it('re-attaches a live session from a new connection with its password, not without it', async () => {
    h = await startHarness();
    const first = await h.session();
    await first.request(OpCode.create, { path: '/mine', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL });
    const wrong = await h.dial();
    const refused = await wrong.handshake({ sessionId: first.sessionId, passwd: new Uint8Array(16), timeOut: 30000 });
    expect(refused?.timeOut).toBe(0);
    const moved = await h.dial();
    const ok = await moved.handshake({ sessionId: first.sessionId, passwd: first.passwd, timeOut: 30000, lastZxidSeen: 2n });
    expect(ok?.sessionId).toBe(first.sessionId);
    await first.whenClosed(); // the old connection is closed when its session moves
    const eph = await moved.request(OpCode.exists, { path: '/mine', watch: false });
    expect((eph.body as { stat: { ephemeralOwner: bigint } }).stat.ephemeralOwner).toBe(first.sessionId);
  });

  it('refuses a client that has seen a newer zxid than the server', async () => {
    h = await startHarness();
    const c = await h.dial();
    const res = await c.handshake({ lastZxidSeen: 1000n });
    expect(res).toBeNull();
    expect(c.closed).toBe(true);
  });

  it('answers the client closeSession and deletes its ephemerals', async () => {
    h = await startHarness();
    const a = await h.session();
    const b = await h.session();
    await a.request(OpCode.create, { path: '/e', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL });
    const closed = await a.request(OpCode.closeSession, null);
    expect(closed.err).toBe(0);
    await a.whenClosed();
    expect((await b.request(OpCode.exists, { path: '/e', watch: false })).err).toBe(ErrorCode.NONODE);
  });

  it('drops a snapshot that is ahead of a log that lost its tail, so its zxids can be reused', async () => {
    type MemStorage = Awaited<ReturnType<typeof import('@zk/storage').memoryStorage>>;
    h = await startHarness({ snapCount: 10 }); // a snapshot every 8 txns here
    const c = await h.session();
    for (let i = 0; i < 20; i++) await c.request(OpCode.create, { path: `/a${i}`, data: null, acl: OPEN, flags: 0 });
    await settle();
    const snaps = await h.storage.snapshots.list();
    expect(snaps.length).toBeGreaterThanOrEqual(2);
    const newest = snaps[snaps.length - 1]!.zxid;
    // Lose the log's tail below the newest snapshot (a disk that dropped synced data).
    const crashed = await (h.storage as MemStorage).crash();
    await crashed.txnLog.truncateAfter(newest - 3n);
    const clock = h.clock;
    await h.stop();
    h = await startHarness({ snapCount: 1000 }, crashed, clock);
    expect((await crashed.snapshots.list()).map((s) => s.zxid)).not.toContain(newest);
    const d = await h.session();
    // zxid n+1 is /a(n-1): the survivors are /a0 .. /a(newest-5); new txns reuse the lost zxids.
    const survivors = Number(newest) - 4;
    for (let i = 0; i < 10; i++) await d.request(OpCode.create, { path: `/b${i}`, data: null, acl: OPEN, flags: 0 });
    const again = await (h.storage as MemStorage).crash();
    await h.stop();
    h = await startHarness({ snapCount: 1000 }, again, clock);
    const e = await h.session();
    const kids = (await e.request(OpCode.getChildren, { path: '/', watch: false })).body as { children: string[] };
    const want = [...Array.from({ length: survivors }, (_, i) => `a${i}`), ...Array.from({ length: 10 }, (_, i) => `b${i}`), 'zookeeper'];
    expect([...kids.children].sort()).toEqual(want.sort());
  });

  it('recovers every synced write and session after a crash', async () => {
    h = await startHarness();
    const c = await h.session();
    for (let i = 0; i < 20; i++) await c.request(OpCode.create, { path: `/d${i}`, data: bytes(`v${i}`), acl: OPEN, flags: 0 });
    await c.request(OpCode.create, { path: '/held', data: null, acl: OPEN, flags: CreateMode.EPHEMERAL });
    const storage = h.storage as Awaited<ReturnType<typeof import('@zk/storage').memoryStorage>>;
    const crashed = await storage.crash();
    const clock = h.clock;
    await h.stop();
    h = await startHarness({}, crashed, clock);
    const d = await h.session();
    const kids = await d.request(OpCode.getChildren, { path: '/', watch: false });
    expect((kids.body as { children: string[] }).children).toHaveLength(22);
    const back = await h.dial();
    const res = await back.handshake({ sessionId: c.sessionId, passwd: c.passwd, timeOut: 30000 });
    expect(res?.sessionId).toBe(c.sessionId);
    expect((await back.request(OpCode.exists, { path: '/held', watch: false })).err).toBe(0);
  });
});
