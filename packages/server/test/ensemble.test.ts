import { describe, expect, it } from 'vitest';
import { CreateMode, ErrorCode, EventType, OpCode } from '@zk/protocol';
import { EnsembleHarness } from './ensemble-harness.js';
import type { WireClient } from './wire-client.js';

const OPEN = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

async function create(h: EnsembleHarness, c: WireClient, path: string, data = '', flags: number = CreateMode.PERSISTENT) {
  return h.run(c.request(OpCode.create, { path, data: bytes(data), acl: OPEN, flags }), `create ${path}`);
}

async function getData(h: EnsembleHarness, c: WireClient, path: string, watch = false) {
  return h.run(c.request(OpCode.getData, { path, watch }), `getData ${path}`);
}

async function sync(h: EnsembleHarness, c: WireClient, path = '/') {
  return h.run(c.request(OpCode.sync, { path }), 'sync');
}

/** Every running replica reports the same zxid and tree digest (4lw `hash`). */
async function expectIdenticalReplicas(h: EnsembleHarness): Promise<void> {
  const hashes = new Set<string>();
  for (const m of h.running()) hashes.add((await h.fourLetterWord(m.sid, 'hash')).trim());
  expect([...hashes]).toHaveLength(1);
}

describe('ensemble of 3 servers', () => {
  it('elects one leader; srvr and mntr report each role', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const modes = h.running().map((m) => m.server.mode).sort();
    expect(modes).toEqual(['follower', 'follower', 'leader']);
    expect(await h.fourLetterWord(leader.sid, 'srvr')).toContain('Mode: leader\n');
    const follower = h.running().find((m) => m !== leader)!;
    expect(await h.fourLetterWord(follower.sid, 'srvr')).toContain('Mode: follower\n');
    expect(await h.fourLetterWord(follower.sid, 'mntr')).toContain('zk_server_state\tfollower\n');
    const mntr = await h.fourLetterWord(leader.sid, 'mntr');
    expect(mntr).toContain('zk_server_state\tleader\n');
    expect(mntr).toContain('zk_learners\t2\n');
    expect(mntr).toContain('zk_synced_followers\t2\n');
    // /zookeeper/config holds the membership, as ZKDatabase.initConfigInZKDatabase writes it
    const c = await h.session(follower.sid);
    const config = await h.run(c.request(OpCode.getData, { path: '/zookeeper/config', watch: false }));
    const body = config.body as { data: Uint8Array; stat: { version: number; aversion: number; mzxid: bigint } };
    expect(Buffer.from(body.data).toString()).toBe(
      'server.1=server1:2888:3888:participant\nserver.2=server2:2888:3888:participant\nserver.3=server3:2888:3888:participant\nversion=0',
    );
    expect(body.stat).toMatchObject({ version: -1, aversion: -1, mzxid: 0n });
  });

  it('a write through a follower is on every replica; a sync makes another follower current', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const [f1, f2] = h.running().filter((m) => m !== leader);
    const a = await h.session(f1!.sid);
    const created = await create(h, a, '/app', 'v1');
    expect(created.err).toBe(0);
    expect(created.body).toEqual({ path: '/app' });
    const b = await h.session(f2!.sid);
    expect((await sync(h, b, '/app')).err).toBe(0);
    const read = await getData(h, b, '/app');
    expect(read.err).toBe(0);
    const body = read.body as { data: Uint8Array; stat: { czxid: bigint; version: number } };
    expect(Buffer.from(body.data).toString()).toBe('v1');
    expect(body.stat.czxid).toBe(created.zxid);
    const c = await h.session(leader.sid);
    const set = await h.run(c.request(OpCode.setData, { path: '/app', data: bytes('v2'), version: 0 }));
    expect(set.err).toBe(0);
    // a failed write through a follower carries the leader's error
    const dup = await create(h, a, '/app');
    expect(dup.err).toBe(ErrorCode.NODEEXISTS);
    await expectIdenticalReplicas(h);
  });

  it('a session created through a follower writes at once, even before the leader applied its createSession', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const f = h.running().find((m) => m !== leader)!;
    // The two followers form the quorum while the leader's own disk lags behind.
    leader.storage.setSyncDelay(() => new Promise((r) => h.clock.setTimeout(r, 300)));
    for (let i = 0; i < 3; i++) {
      const c = await h.session(f.sid);
      const r = await create(h, c, `/fresh${i}`);
      expect(r.err).toBe(0);
    }
    leader.storage.setSyncDelay(undefined);
    await h.clock.advance(1000); // the leader's disk catches up
    await expectIdenticalReplicas(h);
  });

  it("a session's replies keep request order across forwarded writes and local reads", async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const f = h.running().find((m) => m !== leader)!;
    const c = await h.session(f.sid);
    const ps = [];
    for (let i = 0; i < 20; i++) {
      ps.push(c.request(OpCode.create, { path: `/n${i}`, data: bytes(String(i)), acl: OPEN, flags: 0 }));
      ps.push(c.request(OpCode.getData, { path: `/n${i}`, watch: false }));
    }
    const replies = await h.run(Promise.all(ps), 'pipelined replies');
    expect(replies.every((r) => r.err === 0)).toBe(true);
    const xids = c.received.flatMap((r) => (r.kind === 'reply' ? [r.reply.xid] : []));
    expect(xids).toEqual([...xids].sort((x, y) => x - y));
  });

  it('watches fire on the server where they were set, whoever made the change', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const [f1, f2] = h.running().filter((m) => m !== leader);
    const writer = await h.session(f1!.sid);
    await create(h, writer, '/w', 'a');
    const watcher = await h.session(f2!.sid);
    await sync(h, watcher);
    expect((await getData(h, watcher, '/w', true)).err).toBe(0);
    await h.run(writer.request(OpCode.setData, { path: '/w', data: bytes('b'), version: -1 }));
    await h.until(() => watcher.events().length === 1, 'the watch event');
    expect(watcher.events()[0]).toMatchObject({ type: EventType.NodeDataChanged, path: '/w' });
  });

  it('a session moves to another server with its ephemerals; its old server then gets SESSIONMOVED', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const [f1, f2] = h.running().filter((m) => m !== leader);
    const first = await h.session(f1!.sid, { timeOut: 4000 });
    expect((await create(h, first, '/eph', '', CreateMode.EPHEMERAL)).err).toBe(0);
    const moved = await h.session(f2!.sid, { sessionId: first.sessionId, passwd: first.passwd, timeOut: 4000 });
    expect(moved.sessionId).toBe(first.sessionId);
    await h.clock.advance(50); // the ownership claim reaches the leader
    const stale = await h.run(first.request(OpCode.setData, { path: '/eph', data: bytes('x'), version: -1 }));
    expect(stale.err).toBe(ErrorCode.SESSIONMOVED);
    const ok = await h.run(moved.request(OpCode.setData, { path: '/eph', data: bytes('y'), version: -1 }));
    expect(ok.err).toBe(0);
    // wrong password: refused with a zero timeout, as ZooKeeper does
    const wrong = await h.dial(f1!.sid);
    const refused = await h.run(wrong.handshake({ sessionId: first.sessionId, passwd: new Uint8Array(16) }));
    expect(refused?.timeOut).toBe(0);
  });

  it('a client may move to a follower that has not applied its createSession yet', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const [f1, f2] = h.running().filter((m) => m !== leader);
    // f2 hears nothing from the leader for a while (bytes are held, as TCP would retransmit them)
    h.net.partition(leader.host, f2!.host, { oneWay: true });
    const first = await h.session(f1!.sid, { timeOut: 4000 });
    first.close();
    const moving = await h.dial(f2!.sid);
    const answer = moving.handshake({ sessionId: first.sessionId, passwd: first.passwd, timeOut: 4000 });
    await h.clock.advance(200);
    h.net.heal(leader.host, f2!.host);
    const res = await h.run(answer, 'the handshake on the lagging follower');
    expect(res?.sessionId).toBe(first.sessionId);
    expect(res?.timeOut).toBe(4000);
  });

  it('the leader expires a silent session and its ephemerals disappear everywhere', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const f = h.running().find((m) => m !== leader)!;
    const observer = await h.session(leader.sid, { timeOut: 20_000 });
    const c = await h.session(f.sid, { timeOut: 2000 });
    await create(h, c, '/gone', '', CreateMode.EPHEMERAL);
    expect((await h.run(observer.request(OpCode.exists, { path: '/gone', watch: true }))).err).toBe(0);
    // pings on the follower keep it alive for longer than its timeout (touches reach the leader)
    for (let i = 0; i < 5; i++) {
      await h.run(c.request(OpCode.ping, null, -2));
      await h.clock.advance(1000);
    }
    expect(observer.events()).toEqual([]);
    c.close();
    await h.until(() => observer.events().length === 1, 'the ephemeral deleted by expiry', 20_000);
    expect(observer.events()[0]).toMatchObject({ type: EventType.NodeDeleted, path: '/gone' });
    await expectIdenticalReplicas(h);
  });

  it('survives the loss of the leader: a new leader, every acknowledged write kept, the session goes on', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const old = await h.stable();
    const f = h.running().find((m) => m !== old)!;
    const c = await h.session(f.sid, { timeOut: 10_000 });
    const acked: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await create(h, c, `/k${i}`, `v${i}`);
      if (r.err === 0) acked.push(`/k${i}`);
    }
    expect(acked).toHaveLength(30);
    await h.crash(old.sid);
    await h.until(() => h.running().some((m) => m.server.mode === 'leader'), 'a new leader');
    const newLeader = await h.stable();
    expect(newLeader.sid).not.toBe(old.sid);
    // the client lost its connection (its server left the role); it re-attaches anywhere
    await h.until(() => c.closed, 'the old connection closed');
    const again = await h.session(newLeader.sid, { sessionId: c.sessionId, passwd: c.passwd, timeOut: 10_000 });
    for (const p of acked) expect((await getData(h, again, p)).err).toBe(0);
    expect((await create(h, again, '/after')).err).toBe(0);
    // the old leader comes back from its storage and catches up
    const storage = h.member(old.sid).storage;
    await h.launch(old.sid, storage.crash());
    await h.stable();
    const back = await h.session(old.sid);
    await sync(h, back);
    expect((await getData(h, back, '/after')).err).toBe(0);
    await expectIdenticalReplicas(h);
  });

  it('takes snapshots while replicating; a whole-ensemble power loss keeps every acknowledged write', async () => {
    const h = new EnsembleHarness(3, 0, 'snapCount=20');
    await h.startAll();
    const leader = await h.stable();
    const f = h.running().find((m) => m !== leader)!;
    const c = await h.session(f.sid);
    const acked: string[] = [];
    for (let i = 0; i < 120; i++) {
      const r = await create(h, c, `/s${i}`, `v${i}`);
      if (r.err === 0) acked.push(`/s${i}`);
    }
    expect(acked).toHaveLength(120);
    await h.clock.advance(500); // let the fuzzy snapshots finish
    for (const m of h.running()) expect((await m.storage.snapshots.list()).length).toBeGreaterThan(0);
    const disks = new Map<number, Awaited<ReturnType<EnsembleHarness['crash']>>>();
    for (const m of h.running()) disks.set(m.sid, await h.crash(m.sid));
    for (const [sid, disk] of disks) await h.launch(sid, disk);
    const back = await h.stable();
    const d = await h.session(back.sid);
    for (const p of acked) {
      const r = await getData(h, d, p);
      expect(r.err).toBe(0);
    }
    expect((await create(h, d, '/after-restart')).err).toBe(0);
    await expectIdenticalReplicas(h);
  });

  it('a follower that missed more than the commit log catches up by SNAP, sessions included', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const lagging = h.running().find((m) => m !== leader)!;
    const disk = await h.crash(lagging.sid);
    const c = await h.session(leader.sid, { timeOut: 30_000 });
    await create(h, c, '/eph', '', CreateMode.EPHEMERAL);
    const ps = [];
    for (let i = 0; i < 600; i++) ps.push(c.request(OpCode.create, { path: `/many${i}`, data: bytes('x'), acl: OPEN, flags: 0 }));
    await h.run(Promise.all(ps), '600 creates');
    await h.launch(lagging.sid, disk);
    await h.stable();
    const synced = h.logs.get(lagging.sid)!.find((r) => r.msg === 'ensemble role' && r.fields['role'] === 'follower');
    expect(synced?.fields['reason']).toBe(`synced with leader ${leader.sid} by SNAP`);
    // the session came with the snapshot: its client can move to the follower that was restored
    const moved = await h.session(lagging.sid, { sessionId: c.sessionId, passwd: c.passwd, timeOut: 30_000 });
    expect((await getData(h, moved, '/many599')).err).toBe(0);
    await expectIdenticalReplicas(h);
  });

  it('refuses clients while no leader is established', async () => {
    const h = new EnsembleHarness();
    await h.startAll();
    const leader = await h.stable();
    const others = h.running().filter((m) => m !== leader);
    await h.crash(others[0]!.sid);
    await h.crash(leader.sid);
    await h.until(() => others[1]!.server.mode === 'looking', 'the survivor to lose its quorum');
    expect(await h.fourLetterWord(others[1]!.sid, 'srvr')).toBe('This ZooKeeper instance is not currently serving requests\n');
    const c = await h.dial(others[1]!.sid);
    expect(await h.run(c.handshake())).toBeNull();
  });
});

describe('observer', () => {
  it('serves reads, forwards writes and never votes', async () => {
    const h = new EnsembleHarness(3, 1);
    await h.startAll();
    await h.stable();
    expect(h.member(4).server.mode).toBe('observer');
    const c = await h.session(4);
    expect((await create(h, c, '/obs', 'o')).err).toBe(0);
    const read = await getData(h, c, '/obs');
    expect(Buffer.from((read.body as { data: Uint8Array }).data).toString()).toBe('o');
    expect(await h.fourLetterWord(4, 'srvr')).toContain('Mode: observer\n');
    await expectIdenticalReplicas(h);
  });
});
