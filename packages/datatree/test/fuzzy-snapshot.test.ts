// Property test of fuzzy snapshots: a random txn stream is applied to a tree while a snapshot of
// it is written in slices between the applies; loading the snapshot and replaying the log from
// its zxid + 1 must give exactly the tree that saw the whole stream (digest, every node's data,
// ACL, stat and children, ephemerals, containers, TTLs, quota stats, sessions).
import { describe, expect, it } from 'vitest';
import type { ACL, MultiOp, TxnEntry } from '@zk/protocol';
import { OpCode } from '@zk/protocol';
import { DataTree } from '../src/tree.js';
import { TxnPreparer } from '../src/prep.js';
import { deserializeSnapshot, loadSnapshot, serializeSnapshot, snapshotWriter } from '../src/snapshot.js';
import { SnapshotFormatError, readSnapshotRecords } from '../src/snapshot-reader.js';
import { OPEN, enc } from './helpers.js';

/** mulberry32: small, seedable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACLS: ACL[][] = [
  OPEN,
  [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: 31, id: { scheme: 'digest', id: 'u:abc' } }, { perms: 1, id: { scheme: 'world', id: 'anyone' } }],
  [{ perms: 3, id: { scheme: 'ip', id: '10.0.0.0/8' } }],
  [{ perms: 17, id: { scheme: 'digest', id: 'v:xyz' } }],
];
const NAMES = ['a', 'b', 'c', 'd'];
const TREE_OPTS = { extendedTypesEnabled: true };

/** The live system: tree, preparer, session table (as the server keeps it), and the log. */
class Live {
  readonly tree = new DataTree(TREE_OPTS);
  readonly prep = new TxnPreparer(this.tree, { skipAcl: true });
  readonly sessions = new Map<bigint, number>();
  readonly log: TxnEntry[] = [];
  zxid = 0n;
  time = 1_700_000_000_000;
  nextSession = 0x100n;
  private pending: TxnEntry[] = [];

  constructor(private readonly r: () => number) {}

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.r() * xs.length)]!;
  }

  /** A path whose parent is likely to exist. */
  private somePath(): string {
    const existing = this.existingPaths();
    if (existing.length > 0 && this.r() < 0.8) {
      const parent = this.pick(existing);
      return (parent === '/' ? '' : parent) + '/' + this.pick(NAMES);
    }
    let p = '';
    const depth = 1 + Math.floor(this.r() * 3);
    for (let i = 0; i < depth; i++) p += '/' + this.pick(NAMES);
    return p;
  }

  existingPaths(): string[] {
    const out: string[] = [];
    const visit = (p: string): void => {
      out.push(p);
      for (const c of this.tree.getChildren(p) ?? []) {
        if (p === '/' && c === 'zookeeper') continue;
        visit((p === '/' ? '' : p) + '/' + c);
      }
    };
    visit('/');
    return out;
  }

  private someNode(): string {
    const existing = this.existingPaths().filter((p) => p !== '/');
    if (existing.length === 0 || this.r() < 0.1) return this.somePath();
    return this.pick(existing);
  }

  private version(path: string): number {
    const s = this.tree.stat(path);
    const x = this.r();
    if (s === null || x < 0.5) return -1;
    return x < 0.9 ? s.version : s.version + 1;
  }

  private data(): Uint8Array | null {
    const x = this.r();
    if (x < 0.05) return null;
    return enc('v'.repeat(Math.floor(this.r() * 24)) + String(this.zxid));
  }

  private liveSession(): bigint | undefined {
    const ids = [...this.sessions.keys()];
    return ids.length === 0 ? undefined : this.pick(ids);
  }

  private createOp(): { type: number; body: unknown; session?: bigint } {
    const x = this.r();
    const path = this.somePath();
    const acl = this.r() < 0.7 ? OPEN : this.pick(ACLS);
    if (x < 0.45) return { type: OpCode.create, body: { path, data: this.data(), acl, flags: 0 } };
    if (x < 0.55) return { type: OpCode.create2, body: { path, data: this.data(), acl, flags: 2 } };
    if (x < 0.75) {
      const s = this.liveSession();
      if (s === undefined) return { type: OpCode.create, body: { path, data: this.data(), acl, flags: 0 } };
      return { type: OpCode.create, body: { path, data: this.data(), acl, flags: this.r() < 0.5 ? 1 : 3 }, session: s };
    }
    if (x < 0.85) return { type: OpCode.createContainer, body: { path, data: this.data(), acl, flags: 4 } };
    return { type: OpCode.createTTL, body: { path, data: this.data(), acl, flags: this.r() < 0.5 ? 5 : 6, ttl: 1 + Math.floor(this.r() * 1000) } };
  }

  private multiOp(): MultiOp {
    const x = this.r();
    if (x < 0.35) {
      const c = this.createOp();
      const t = c.type === OpCode.createContainer ? 19 : c.type === OpCode.createTTL ? 21 : c.type === OpCode.create2 ? 15 : 1;
      return { type: t, req: c.body } as MultiOp;
    }
    const path = this.someNode();
    if (x < 0.6) return { type: 2, req: { path, version: this.version(path) } };
    if (x < 0.9) return { type: 5, req: { path, data: this.data(), version: this.version(path) } as never };
    return { type: 13, req: { path, version: this.version(path) } };
  }

  /** One random request, prepared (not applied). */
  prepareOne(): void {
    const x = this.r();
    let type: number;
    let body: unknown;
    let session = 1n;
    if (x < 0.3) {
      const c = this.createOp();
      type = c.type;
      body = c.body;
      session = c.session ?? 1n;
    } else if (x < 0.45) {
      const path = this.someNode();
      type = OpCode.delete;
      body = { path, version: this.version(path) };
    } else if (x < 0.65) {
      const path = this.someNode();
      type = OpCode.setData;
      body = { path, data: this.data(), version: this.version(path) };
    } else if (x < 0.7) {
      const path = this.r() < 0.9 ? this.someNode() : '/';
      type = OpCode.setACL;
      body = { path, acl: this.pick(ACLS), version: -1 };
    } else if (x < 0.8) {
      type = OpCode.multi;
      const n = 1 + Math.floor(this.r() * 4);
      const ops: MultiOp[] = [];
      for (let i = 0; i < n; i++) ops.push(this.multiOp());
      body = ops;
    } else if (x < 0.85) {
      type = OpCode.createSession;
      session = this.nextSession++;
      body = { timeOut: 4000 + Math.floor(this.r() * 10) * 1000 };
    } else if (x < 0.9) {
      const s = this.liveSession();
      if (s === undefined) return this.prepareOne();
      type = OpCode.closeSession;
      session = s;
      body = undefined;
    } else if (x < 0.94) {
      const cands = this.tree.containerCandidates(this.time, this.r() < 0.5 ? 0 : 1);
      const path = cands.length > 0 ? this.pick(cands) : this.someNode();
      type = OpCode.deleteContainer;
      session = 0n;
      body = { path };
    } else if (x < 0.97) {
      // setquota / delquota as zkCli does them: limits, then stats, on a top-level node
      const top = '/' + this.pick(NAMES);
      const q = '/zookeeper/quota' + top;
      type = OpCode.multi;
      if (this.tree.has(q + '/zookeeper_limits')) {
        body = [
          { type: 2, req: { path: q + '/zookeeper_stats', version: -1 } },
          { type: 2, req: { path: q + '/zookeeper_limits', version: -1 } },
        ];
      } else {
        const ops: MultiOp[] = [];
        if (!this.tree.has(q)) ops.push({ type: 1, req: { path: q, data: null, acl: OPEN, flags: 0 } });
        ops.push({ type: 1, req: { path: q + '/zookeeper_limits', data: enc('count=10,bytes=1000'), acl: OPEN, flags: 0 } });
        ops.push({ type: 1, req: { path: q + '/zookeeper_stats', data: enc('count=0,bytes=0'), acl: OPEN, flags: 0 } });
        body = ops;
      }
    } else {
      const path = this.someNode();
      type = OpCode.check;
      body = { path, version: this.version(path) };
    }
    this.zxid++;
    this.time += 1 + Math.floor(this.r() * 5);
    const e = this.prep.prepare({ sessionId: session, cxid: Number(this.zxid), zxid: this.zxid, time: this.time, type, body }, { authIds: [] });
    this.log.push(e);
    this.pending.push(e);
  }

  /** Applies every prepared txn, in order. */
  applyPending(): void {
    for (const e of this.pending) {
      const res = this.tree.apply(e);
      this.prep.onApplied(e.header.zxid);
      applySessionEffects(this.sessions, e, res.type);
    }
    this.pending = [];
  }
}

/** What the server's session table does on createSession / closeSession (also on replay). */
function applySessionEffects(sessions: Map<bigint, number>, e: TxnEntry, type: number): void {
  if (type === OpCode.createSession && e.txn.type === OpCode.createSession) sessions.set(e.header.clientId, e.txn.txn.timeOut);
  else if (type === OpCode.closeSession) sessions.delete(e.header.clientId);
}

function dump(t: DataTree): unknown[] {
  const out: unknown[] = [];
  const visit = (p: string): void => {
    const n = t.getNode(p)!;
    out.push({ ...n, children: [...n.children].sort() });
    for (const c of [...n.children].sort()) visit((p === '/' ? '' : p) + '/' + c);
  };
  visit('/');
  return out;
}

function ephemeralSets(t: DataTree): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of t.sessionsWithEphemerals().sort()) {
    const e = t.ephemeralsOf(s).sort();
    if (e.length > 0) out[s.toString(16)] = e;
  }
  return out;
}

function expectSameState(got: DataTree, gotSessions: Map<bigint, number>, want: DataTree, wantSessions: Map<bigint, number>): void {
  expect(got.lastProcessedZxid, 'lastProcessedZxid').toBe(want.lastProcessedZxid);
  expect(got.digest(), 'digest').toBe(want.digest());
  expect(got.recomputeDigest(), 'recomputed digest').toBe(want.digest());
  expect(dump(got), 'nodes').toEqual(dump(want));
  expect(ephemeralSets(got), 'ephemerals').toEqual(ephemeralSets(want));
  expect(got.containers().sort(), 'containers').toEqual(want.containers().sort());
  expect(got.ttls().sort(), 'ttls').toEqual(want.ttls().sort());
  expect(got.nodeCount, 'nodeCount').toBe(want.nodeCount);
  expect(got.aclCacheSize, 'aclCacheSize').toBe(want.aclCacheSize);
  for (const top of NAMES) expect(got.maxPrefixWithQuota(`/${top}/x`), 'quota roots').toBe(want.maxPrefixWithQuota(`/${top}/x`));
  expect(new Map([...gotSessions].sort()), 'sessions').toEqual(new Map([...wantSessions].sort()));
}

interface RunResult {
  live: Live;
  chunks: Uint8Array[];
  startZxid: bigint;
  slicesDuringWrites: number;
}

/** Runs a random stream of `steps` requests with a snapshot written in slices in between. */
function runWithFuzzySnapshot(seed: number, steps: number): RunResult {
  const r = rng(seed);
  const live = new Live(r);
  // a few sessions and some nodes first
  const warmup = Math.floor(r() * steps * 0.5);
  const snapAt = warmup;
  let writer: ReturnType<typeof snapshotWriter> | undefined;
  const chunks: Uint8Array[] = [];
  let startZxid = -1n;
  let slicesDuringWrites = 0;
  for (let i = 0; i < steps; i++) {
    if (i === snapAt) {
      writer = snapshotWriter(live.tree, new Map(live.sessions), { chunkSize: 64 + Math.floor(r() * 512) });
      startZxid = writer.zxid;
      expect(startZxid).toBe(live.tree.lastProcessedZxid);
    }
    const batch = 1 + Math.floor(r() * 3);
    for (let b = 0; b < batch; b++) live.prepareOne();
    live.applyPending();
    if (writer !== undefined && !writer.done) {
      const k = Math.floor(r() * 3);
      for (let j = 0; j < k; j++) {
        const c = writer.next();
        if (c === undefined) break;
        chunks.push(c);
        slicesDuringWrites++;
      }
    }
  }
  if (writer === undefined) throw new Error('snapshot never started');
  for (let c = writer.next(); c !== undefined; c = writer.next()) chunks.push(c);
  return { live, chunks, startZxid, slicesDuringWrites };
}

/** Recovery as the server does it: load, replay from zxid + 1, check the digest at digestZxid. */
function recover(chunks: readonly Uint8Array[], log: readonly TxnEntry[]): { tree: DataTree; sessions: Map<bigint, number>; digestChecked: boolean } {
  const loaded = deserializeSnapshot(chunks);
  const tree = loaded.tree;
  const sessions = loaded.sessions;
  let digestChecked = loaded.digestZxid === loaded.zxid;
  if (digestChecked) expect(tree.digest()).toBe(loaded.digest);
  for (const e of log) {
    if (e.header.zxid <= loaded.zxid) continue;
    const res = tree.apply(e);
    applySessionEffects(sessions, e, res.type);
    if (e.header.zxid === loaded.digestZxid) {
      expect(tree.digest()).toBe(loaded.digest);
      digestChecked = true;
    }
  }
  return { tree, sessions, digestChecked };
}

describe('fuzzy snapshots', () => {
  it('load + replay from zxid + 1 equals a tree that applied every txn (200 seeds; ZK_FUZZY_SEEDS=n for more)', () => {
    let totalSlices = 0;
    let totalTxns = 0;
    let digestChecks = 0;
    const seeds = Number(process.env['ZK_FUZZY_SEEDS'] ?? 200);
    for (let seed = 1; seed <= seeds; seed++) {
      const { live, chunks, startZxid, slicesDuringWrites } = runWithFuzzySnapshot(seed, 150 + (seed % 7) * 40);
      totalSlices += slicesDuringWrites;
      totalTxns += live.log.length;
      try {
        const got = recover(chunks, live.log);
        expectSameState(got.tree, got.sessions, live.tree, live.sessions);
        if (got.digestChecked) digestChecks++;
        // also the reference: a tree that applied the whole log from scratch
        const replica = new DataTree(TREE_OPTS);
        for (const e of live.log) replica.apply(e);
        expect(replica.digest()).toBe(live.tree.digest());
      } catch (e) {
        throw new Error(`seed ${seed} (snapshot at ${startZxid}, ${live.log.length} txns): ${(e as Error).message}`);
      }
    }
    // the snapshots really were interleaved with writes, and the end digest was verified
    expect(totalSlices).toBeGreaterThan(2000);
    expect(totalTxns).toBeGreaterThan(50_000);
    expect(digestChecks).toBeGreaterThan(150);
  });

  /** A live tree, a function that prepares and applies one request to it, and a slot's path. */
  const liveTree = (seed: number) => {
    const live = new Live(rng(seed));
    const tree = live.tree;
    const apply = (type: number, body: unknown): void => {
      live.zxid++;
      tree.apply(live.prep.prepare({ sessionId: 1n, cxid: 0, zxid: live.zxid, time: 1, type, body }, { authIds: [] }));
      live.prep.onApplied(live.zxid);
    };
    return { tree, apply, pathOf: (s: number): string => tree._store.pathOf(s) };
  };

  it('walkSlots() takes a node and its child list at one instant', () => {
    const { tree, apply, pathOf } = liveTree(1);
    apply(OpCode.create, { path: '/d', data: null, acl: OPEN, flags: 0 });
    const walk = tree.walkSlots();
    let it = walk.next();
    while (it.done !== true && pathOf(it.value) !== '/d') it = walk.next();
    expect(it.done).not.toBe(true);
    // a child created after /d was yielded is not visited: its create replays onto the recorded /d
    apply(OpCode.create2, { path: '/d/b', data: null, acl: OPEN, flags: 0 });
    const rest: string[] = [];
    for (let r = walk.next(); r.done !== true; r = walk.next()) rest.push(pathOf(r.value));
    expect(rest).not.toContain('/d/b');
  });

  it('walkSlots() skips a child deleted before its turn, and a later node that took its slot', () => {
    const { tree, apply, pathOf } = liveTree(3);
    apply(OpCode.create, { path: '/p', data: null, acl: OPEN, flags: 0 });
    for (const k of ['a', 'b', 'c']) apply(OpCode.create, { path: `/p/${k}`, data: null, acl: OPEN, flags: 0 });
    const walk = tree.walkSlots();
    let it = walk.next();
    while (it.done !== true && pathOf(it.value) !== '/p') it = walk.next();
    expect(it.done).not.toBe(true);
    // /p's children are on the walk's stack; replace them (the new nodes reuse the freed slots)
    for (const k of ['a', 'b', 'c']) apply(OpCode.delete, { path: `/p/${k}`, version: -1 });
    for (const k of ['x', 'y', 'c']) apply(OpCode.create, { path: `/p/${k}`, data: null, acl: OPEN, flags: 0 });
    const rest: string[] = [];
    for (let r = walk.next(); r.done !== true; r = walk.next()) rest.push(pathOf(r.value));
    expect(rest.filter((p) => p.startsWith('/p/'))).toEqual([]);
  });

  it('replaying a delete onto a later incarnation that has children removes the subtree', () => {
    // The snapshot recorded /c after it was deleted, re-created and given a child; the log
    // still holds the first delete (when /c had no children).
    const live = new Live(rng(2));
    const t = live.tree;
    let z = 0n;
    const entry = (type: number, txn: unknown): TxnEntry => ({ header: { clientId: 1n, cxid: 0, zxid: ++z, time: 5, type }, txn: { type, txn } as never });
    t.apply(entry(OpCode.create, { path: '/c', data: enc('new'), acl: OPEN, ephemeral: false, parentCVersion: 2 }));
    t.apply(entry(OpCode.create, { path: '/c/b', data: enc('kid'), acl: OPEN, ephemeral: false, parentCVersion: 1 }));
    t.apply(entry(OpCode.create, { path: '/c/b/x', data: null, acl: OPEN, ephemeral: false, parentCVersion: 1 }));
    const nodes = t.nodeCount;
    t.apply(entry(OpCode.delete, { path: '/c' }));
    expect(t.has('/c')).toBe(false);
    expect(t.has('/c/b')).toBe(false);
    expect(t.has('/c/b/x')).toBe(false);
    expect(t.nodeCount).toBe(nodes - 3);
    expect(t.digest()).toBe(t.recomputeDigest());
    // and the re-creation replays normally
    t.apply(entry(OpCode.create, { path: '/c', data: enc('new'), acl: OPEN, ephemeral: false, parentCVersion: 2 }));
    t.apply(entry(OpCode.create, { path: '/c/b', data: enc('kid'), acl: OPEN, ephemeral: false, parentCVersion: 1 }));
    expect(t.getChildren('/c')).toEqual(['b']);
  });

  it('a snapshot written in one go (no txns in between) is exact at its zxid', () => {
    const { live } = runWithFuzzySnapshot(7, 300);
    const chunks = serializeSnapshot(live.tree, live.sessions);
    const loaded = deserializeSnapshot(chunks);
    expect(loaded.zxid).toBe(live.tree.lastProcessedZxid);
    expect(loaded.digestZxid).toBe(loaded.zxid);
    expect(loaded.digest).toBe(live.tree.digest());
    expectSameState(loaded.tree, loaded.sessions, live.tree, live.sessions);
  });

  it('chunks of any split load the same; the stream reader yields every record and checks the CRC', async () => {
    const { live, chunks } = runWithFuzzySnapshot(11, 300);
    const whole = Buffer.concat(chunks);
    const a = deserializeSnapshot(new Uint8Array(whole));
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < whole.length; i += 7) pieces.push(new Uint8Array(whole.subarray(i, i + 7)));
    const b = await loadSnapshot(pieces);
    expect(dump(b.tree)).toEqual(dump(a.tree));
    expect(b.digest).toBe(a.digest);
    const kinds: Record<string, number> = {};
    for await (const rec of readSnapshotRecords(pieces)) kinds[rec.kind] = (kinds[rec.kind] ?? 0) + 1;
    expect(kinds['header']).toBe(1);
    expect(kinds['end']).toBe(1);
    expect(kinds['node']).toBe(a.tree.nodeCount - 1); // "" alias is not a record
    void live;
    // a flipped byte: checksum (or structure) error, never a silently different tree
    const bad = new Uint8Array(whole);
    const mid = Math.floor(bad.length / 2);
    bad[mid] = bad[mid]! ^ 0x10;
    expect(() => deserializeSnapshot(bad)).toThrow(SnapshotFormatError);
    // truncated
    expect(() => deserializeSnapshot(new Uint8Array(whole.subarray(0, whole.length - 3)))).toThrow(/truncated/);
    await expect(async () => {
      for await (const _ of readSnapshotRecords([new Uint8Array(whole.subarray(0, 100))])) void _;
    }).rejects.toThrow(/truncated/);
  });

  it('slices stay bounded: no next() encodes much more than chunkSize', () => {
    const { live } = runWithFuzzySnapshot(5, 400);
    const w = snapshotWriter(live.tree, live.sessions, { chunkSize: 256 });
    let max = 0;
    let n = 0;
    for (let c = w.next(); c !== undefined; c = w.next()) {
      max = Math.max(max, c.length);
      n++;
    }
    expect(w.done).toBe(true);
    expect(n).toBeGreaterThan(10);
    // a chunk is at most chunkSize unless a single record is bigger
    expect(max).toBeLessThanOrEqual(256);
    expect(w.nodes).toBe(live.tree.nodeCount - 1);
  });
});
