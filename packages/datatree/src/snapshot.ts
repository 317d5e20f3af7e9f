// Snapshot encoding of a DataTree plus the caller's session table, written incrementally so a
// server can interleave slices of it with applying txns (a FUZZY snapshot, as ZooKeeper's).
//
// Version 2 (all integers big-endian; "str" = u32 byte length + UTF-8; see README):
//   magic "ZKTSSNAP" | u32 version (2) | i64 zxid (lastProcessedZxid at the START) | u8 flags
//   u32 sessionCount, then per session: i64 id, i32 timeout       (the table at the start)
//   records, each a u8 tag:
//     1 ACL list: i32 aclId, u32 n, n x (i32 perms, str scheme, str id)   (before its first use)
//     2 node:     str path | i32 dataLen (-1 = null) + bytes | i32 aclId
//                 | i64 czxid | i64 mzxid | i64 pzxid | i64 ctime | i64 mtime
//                 | i32 version | i32 cversion | i32 aversion | i64 ephemeralOwner
//     0 end
//   i64 digestZxid | i64 digest      (lastProcessedZxid and digest when the walk FINISHED)
//   u32 CRC32 of everything before it
//
// Why replaying the log from zxid + 1 onto a fuzzy snapshot gives exactly the live tree:
// - The walk visits parents before children. A node's record and its child list are taken in
//   the same synchronous step (DataTree.walk computes the children before it yields the node);
//   each child path is resolved again when its turn comes and skipped if gone. So every record is
//   the node as it was at one instant in [start, end], and a node created after its parent was
//   recorded is absent (replay creates it, moving the parent's cversion/pzxid).
// - Every txn sets a node's fields to absolute values carried in the txn (data, version, mzxid,
//   mtime, aversion, ACL, the whole node on create) or moves them monotonically (the parent's
//   cversion = max(current, parentCVersion), pzxid = max on delete and raised with cversion on
//   create), so applying it to a node that already reflects it, or a later state, converges.
// - Replay starts at the snapshot's start zxid + 1 and runs past the end of the walk, so every
//   txn that could have touched a recorded node is applied after it, in order; from `digestZxid`
//   (the last txn applied before the walk ended) on, the tree is exact, and the recorded digest
//   checks that.
// The session table is the one at the start (the caller takes it synchronously together with
// the writer), so createSession / closeSession from zxid + 1 on apply to it exactly. Quota stats
// are recounted at load (DataTree.setupQuota) and kept by deltas during replay, as live.
// test/fuzzy-snapshot.test.ts checks all of this against a tree that saw every txn.
import { crc32 } from 'node:zlib';
import type { WasmCrc } from '@zk/crc';
import type { ACL, StatPersisted } from '@zk/protocol';
import { OPEN_UNSAFE_ACL_ID } from './acl.js';
import {
  FLAG_DIGEST,
  FLAG_EMULATE_353,
  FLAG_EXTENDED_TYPES,
  SNAPSHOT_MAGIC,
  SNAPSHOT_VERSION,
  SnapshotFormatError,
  SnapshotParser,
  TAG_ACL,
  TAG_END,
  TAG_NODE,
  type SnapshotNodeSink,
  type SnapshotRecord,
} from './snapshot-reader.js';
import { HI, LO } from './store.js';
import { DataTree, LOAD_DUPLICATE, LOAD_NO_PARENT } from './tree.js';
import type { DataTreeOptions } from './types.js';

/** Default chunk size of an incremental writer: about a millisecond of encoding. */
export const DEFAULT_SNAPSHOT_CHUNK_SIZE = 64 * 1024;
/** Chunk size of serializeSnapshot (all at once). */
const SYNC_CHUNK_SIZE = 1 << 20;
const encoder = new TextEncoder();
const MAGIC_BYTES = Buffer.from(SNAPSHOT_MAGIC, 'latin1');

/**
 * Writes big-endian fields; full chunks are queued and handed out by `take()`. With `reuse`, the
 * chunk `take()` returned goes back to a spare list at the following `take()`, so a snapshot
 * streamed to disk recycles a few buffers instead of leaving tens of MiB of garbage each time.
 */
class ChunkWriter {
  private readonly ready: Uint8Array[] = [];
  /** The whole buffer behind each queued chunk (chunks are views of a prefix). */
  private readonly readyBufs: Uint8Array[] = [];
  private readonly spare: Uint8Array[] = [];
  private lent: Uint8Array | undefined;
  private buf: Uint8Array;
  private view: DataView;
  private off = 0;
  crc = 0;
  /** Bytes moved to `ready` so far. */
  bytesOut = 0;

  constructor(
    private readonly chunkSize: number,
    private readonly reuse: boolean,
  ) {
    this.buf = new Uint8Array(chunkSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
  }

  /** True when a full chunk is waiting. */
  get full(): boolean {
    return this.ready.length > 0;
  }

  flush(): void {
    if (this.off === 0) return;
    const out = this.buf.subarray(0, this.off);
    this.crc = crc32(out, this.crc);
    this.bytesOut += out.length;
    this.ready.push(out);
    this.readyBufs.push(this.buf);
    this.buf = this.spare.pop() ?? new Uint8Array(this.chunkSize);
    this.view = new DataView(this.buf.buffer);
    this.off = 0;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.off++] = v;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.off, v);
    this.off += 4;
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.off, v);
    this.off += 4;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.off, BigInt.asIntN(64, v));
    this.off += 8;
  }
  /** A time (ms, an integral double) as an i64, without a BigInt. */
  i64n(v: number): void {
    this.ensure(8);
    const hi = Math.floor(v / 4294967296);
    this.view.setInt32(this.off, hi);
    this.view.setUint32(this.off + 4, v - hi * 4294967296);
    this.off += 8;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
  }
  /** `len` bytes of `src` from `from`. */
  raw(src: Uint8Array, from: number, len: number): void {
    this.ensure(len);
    const buf = this.buf;
    const off = this.off;
    if (len <= 32) for (let i = 0; i < len; i++) buf[off + i] = src[from + i]!;
    else buf.set(src.subarray(from, from + len), off);
    this.off = off + len;
  }
  /** Slot `s` of a 64-bit column through its Int32Array alias (`czxidW`...), without a BigInt. */
  i64w(halves: Int32Array, s: number): void {
    this.ensure(8);
    this.view.setInt32(this.off, halves[2 * s + HI]!);
    this.view.setInt32(this.off + 4, halves[2 * s + LO]!);
    this.off += 8;
  }
  str(s: string): void {
    const max = s.length * 3;
    if (max > 4096) {
      const b = Buffer.from(s, 'utf8');
      this.u32(b.length);
      this.bytes(b);
      return;
    }
    this.ensure(4 + max);
    const n = encoder.encodeInto(s, this.buf.subarray(this.off + 4)).written;
    this.view.setUint32(this.off, n);
    this.off += 4 + n;
  }
  /** Finish: flush, then the CRC of everything as the last 4 bytes. */
  seal(): void {
    this.flush();
    const tail = new Uint8Array(4);
    new DataView(tail.buffer).setUint32(0, this.crc >>> 0);
    this.bytesOut += 4;
    this.ready.push(tail);
    this.readyBufs.push(tail);
  }

  /** The next full chunk, or undefined. With `reuse` it is valid until the next `take()`. */
  take(): Uint8Array | undefined {
    if (this.lent !== undefined) {
      if (this.lent.length === this.chunkSize) this.spare.push(this.lent);
      this.lent = undefined;
    }
    const c = this.ready.shift();
    const whole = this.readyBufs.shift();
    if (this.reuse) this.lent = whole;
    return c;
  }
}

export interface SnapshotWriterOptions {
  /** Target size of each chunk (bytes); each `next()` encodes about this much. Default 64 KiB. */
  chunkSize?: number;
  /**
   * Reuse chunk buffers: a chunk is valid only until the following `next()` (what a
   * `SnapshotStore.save` consumer allows). Default false: every chunk is the caller's.
   */
  reuseChunks?: boolean;
}

/**
 * A snapshot in the making. `zxid` is fixed when the writer is created (the tree's
 * lastProcessedZxid then). Each `next()` synchronously encodes about `chunkSize` bytes of the
 * tree as it is at that moment and returns them; between calls the tree may change through
 * `apply` (and nothing else). Recovery loads the snapshot and replays the log from `zxid + 1`;
 * the result is the exact tree (see the comment at the top of snapshot.ts).
 */
export interface SnapshotWriter extends Iterable<Uint8Array> {
  readonly zxid: bigint;
  /** True once `next()` has returned the last chunk. */
  readonly done: boolean;
  /** Nodes encoded so far. */
  readonly nodes: number;
  /** Bytes returned by `next()` so far. */
  readonly bytes: number;
  /**
   * The next chunk, or undefined when the snapshot is complete. A fresh buffer the caller owns,
   * unless the writer was made with `reuseChunks` (then valid until the following `next()`).
   */
  next(): Uint8Array | undefined;
}

class TreeSnapshotWriter implements SnapshotWriter {
  readonly zxid: bigint;
  nodes = 0;
  bytes = 0;
  private readonly w: ChunkWriter;
  private readonly walk: Generator<number>;
  private readonly aclsWritten = new Set<number>();
  private finished = false;

  constructor(
    private readonly tree: DataTree,
    sessions: ReadonlyMap<bigint, number>,
    chunkSize: number,
    reuseChunks: boolean,
  ) {
    this.w = new ChunkWriter(Math.max(64, chunkSize), reuseChunks);
    this.zxid = tree.lastProcessedZxid;
    // Header and session table now: they belong to the start instant.
    const w = this.w;
    w.bytes(MAGIC_BYTES);
    w.u32(SNAPSHOT_VERSION);
    w.i64(this.zxid);
    w.u8(
      (tree.extendedTypesEnabled ? FLAG_EXTENDED_TYPES : 0) |
        (tree.emulate353TTLNodes ? FLAG_EMULATE_353 : 0) |
        (tree.digestEnabled ? FLAG_DIGEST : 0),
    );
    w.u32(sessions.size);
    for (const [id, timeout] of sessions) {
      w.i64(id);
      w.i32(timeout);
    }
    this.walk = tree.walkSlots();
  }

  get done(): boolean {
    return this.finished && !this.w.full;
  }

  next(): Uint8Array | undefined {
    const w = this.w;
    while (!w.full && !this.finished) {
      // walk() takes the node's children in this same step, before yielding it.
      const it = this.walk.next();
      if (it.done === true) {
        w.u8(TAG_END);
        w.i64(this.tree.lastProcessedZxid);
        w.i64(this.tree.digest());
        w.seal();
        this.finished = true;
        break;
      }
      this.writeNode(it.value);
    }
    const c = w.take();
    if (c !== undefined) this.bytes += c.length;
    return c;
  }

  private writeNode(s: number): void {
    const w = this.w;
    const st = this.tree._store;
    const aclId = st.acl[s]!;
    if (aclId !== OPEN_UNSAFE_ACL_ID && !this.aclsWritten.has(aclId)) {
      // ACL ids are never reused while a tree lives, so one record per id is enough.
      this.aclsWritten.add(aclId);
      const acl: readonly ACL[] = this.tree._aclCache.get(aclId);
      w.u8(TAG_ACL);
      w.i32(aclId);
      w.u32(acl.length);
      for (const a of acl) {
        w.i32(a.perms);
        w.str(a.id.scheme);
        w.str(a.id.id);
      }
    }
    // Path (as `str`: u32 length + UTF-8) and data are copied from the store's slab as they are.
    const slab = st.arena.slabs[st.dSlab[s]!]!;
    const at = st.dOff[s]!;
    const pathLen = st.pLen[s]!;
    const dataLen = st.dLen[s]!;
    w.u8(TAG_NODE);
    w.u32(pathLen);
    w.raw(slab, at, pathLen);
    w.i32(dataLen < 0 ? -1 : dataLen);
    if (dataLen > 0) w.raw(slab, at + pathLen, dataLen);
    w.i32(aclId);
    w.i64w(st.czxidW, s);
    w.i64w(st.mzxidW, s);
    w.i64w(st.pzxidW, s);
    w.i64n(st.ctime[s]!);
    w.i64n(st.mtime[s]!);
    w.i32(st.version[s]!);
    w.i32(st.cversion[s]!);
    w.i32(st.aversion[s]!);
    w.i64(st.ownerOf(s));
    this.nodes++;
  }

  *[Symbol.iterator](): Iterator<Uint8Array> {
    for (let c = this.next(); c !== undefined; c = this.next()) yield c;
  }
}

/**
 * Start an incremental (fuzzy) snapshot of `tree` with `sessions` (sessionId -> timeout ms, the
 * table at this instant; it is encoded now). Drive it with `next()`, applying txns in between.
 */
export function snapshotWriter(
  tree: DataTree,
  sessions: ReadonlyMap<bigint, number> = new Map(),
  options: SnapshotWriterOptions = {},
): SnapshotWriter {
  return new TreeSnapshotWriter(tree, sessions, options.chunkSize ?? DEFAULT_SNAPSHOT_CHUNK_SIZE, options.reuseChunks === true);
}

/**
 * Serialize the tree and `sessions` (sessionId -> timeout ms) at once, as chunks of about 1 MiB
 * (larger only for a single bigger value). Synchronous; for big trees use `snapshotWriter`.
 */
export function serializeSnapshot(tree: DataTree, sessions: ReadonlyMap<bigint, number> = new Map()): Uint8Array[] {
  return [...snapshotWriter(tree, sessions, { chunkSize: SYNC_CHUNK_SIZE })];
}

export interface LoadedSnapshot {
  tree: DataTree;
  sessions: Map<bigint, number>;
  /** lastProcessedZxid when the snapshot started: replay the log from zxid + 1. */
  zxid: bigint;
  /**
   * The digest recorded in the snapshot, valid at `digestZxid`: compare it with tree.digest()
   * right after replaying the txn `digestZxid` (at once when it equals `zxid`). 0n when the
   * writing tree had digests disabled.
   */
  digest: bigint;
  digestZxid: bigint;
  /** Format version of the loaded bytes (1: written synchronously, 2: fuzzy). */
  version: number;
}

/** Builds a tree from parser records; version-2 nodes come straight from the parser's buffer. */
class TreeLoader implements SnapshotNodeSink {
  tree: DataTree | undefined;
  readonly sessions = new Map<bigint, number>();
  zxid = 0n;
  version = 0;
  /**
   * Snapshot ACL id -> id in the loaded tree. A fuzzy snapshot can hold one list under two ids
   * (released while the walk ran, then interned again under a new id); both map to the first.
   */
  private readonly aclIds = new Map<number, number>();
  private readonly aclByKey = new Map<string, number>();
  /** The last snapshot ACL id seen on a node and its mapping (runs of one id are the rule). */
  private lastSnapAcl = OPEN_UNSAFE_ACL_ID;
  private lastTreeAcl = OPEN_UNSAFE_ACL_ID;

  constructor(private readonly options: DataTreeOptions | undefined) {}

  node(bytes: Uint8Array, buf: Buffer, dv: DataView, pathAt: number, pathLen: number, dataAt: number, dataLen: number, snapAcl: number, statAt: number, crc: WasmCrc | undefined): void {
    const tree = this.tree;
    if (tree === undefined) throw new SnapshotFormatError('snapshot: node before the header');
    let aclId = snapAcl;
    if (aclId !== OPEN_UNSAFE_ACL_ID) {
      if (aclId === this.lastSnapAcl) aclId = this.lastTreeAcl;
      else {
        const mapped = this.aclIds.get(aclId);
        if (mapped === undefined) {
          const path = buf.toString('utf8', pathAt, pathAt + pathLen);
          throw new SnapshotFormatError(`snapshot: node ${path} uses ACL id ${aclId}, which the snapshot does not define`);
        }
        this.lastSnapAcl = aclId;
        this.lastTreeAcl = mapped;
        aclId = mapped;
      }
    }
    const r = tree._loadNodeBytes(bytes, dv, pathAt, pathLen, dataAt, dataLen, aclId, statAt, crc);
    if (r === LOAD_NO_PARENT) throw new SnapshotFormatError(`snapshot: parent of ${buf.toString('utf8', pathAt, pathAt + pathLen)} missing`);
    if (r === LOAD_DUPLICATE) throw new SnapshotFormatError(`snapshot: node ${buf.toString('utf8', pathAt, pathAt + pathLen)} appears twice`);
  }

  readonly onRecord = (r: SnapshotRecord): void => {
    switch (r.kind) {
      case 'header': {
        const o = this.options;
        this.tree = new DataTree({
          extendedTypesEnabled: o?.extendedTypesEnabled ?? r.extendedTypesEnabled,
          emulate353TTLNodes: o?.emulate353TTLNodes ?? r.emulate353TTLNodes,
          digestEnabled: o?.digestEnabled ?? r.digestEnabled,
        });
        this.tree._resetForLoad();
        this.zxid = r.zxid;
        this.version = r.version;
        return;
      }
      case 'session':
        this.sessions.set(r.id, r.timeoutMs);
        return;
      case 'acl': {
        let key = '';
        for (const a of r.acl) key += `${a.perms}\u0001${a.id.scheme}\u0001${a.id.id}\u0002`;
        const same = this.aclByKey.get(key);
        if (same !== undefined) {
          this.aclIds.set(r.id, same);
          this.lastSnapAcl = OPEN_UNSAFE_ACL_ID;
          return;
        }
        this.tree!._aclCache.restore(r.id, r.acl);
        this.aclIds.set(r.id, r.id);
        this.lastSnapAcl = OPEN_UNSAFE_ACL_ID;
        this.aclByKey.set(key, r.id);
        return;
      }
      case 'node': {
        let aclId = r.aclId;
        if (aclId !== OPEN_UNSAFE_ACL_ID) {
          const mapped = this.aclIds.get(aclId);
          if (mapped === undefined) {
            throw new SnapshotFormatError(`snapshot: node ${r.path} uses ACL id ${aclId}, which the snapshot does not define`);
          }
          aclId = mapped;
        }
        const stat: StatPersisted = r.stat;
        if (!this.tree!._loadNode(r.path, r.data, aclId, stat)) throw new SnapshotFormatError(`snapshot: parent of ${r.path} missing`);
        return;
      }
      case 'end':
        return;
    }
  };
}

/** Rebuild a tree (and the session table) from snapshot bytes (one buffer or the chunk list). */
export function deserializeSnapshot(
  input: Uint8Array | readonly Uint8Array[],
  options?: DataTreeOptions,
): LoadedSnapshot {
  const chunks = input instanceof Uint8Array ? [input] : input;
  const loader = new TreeLoader(options);
  const parser = new SnapshotParser(loader);
  for (const c of chunks) parser.push(c, loader.onRecord);
  const end = parser.finish();
  return finishLoad(loader, end.digest, end.digestZxid);
}

/** deserializeSnapshot for a stream of chunks (e.g. SnapshotStore.open), without joining them. */
export async function loadSnapshot(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: DataTreeOptions,
): Promise<LoadedSnapshot> {
  const loader = new TreeLoader(options);
  const parser = new SnapshotParser(loader);
  for await (const c of source) parser.push(c, loader.onRecord);
  const end = parser.finish();
  return finishLoad(loader, end.digest, end.digestZxid);
}

function finishLoad(loader: TreeLoader, digest: bigint, digestZxid: bigint): LoadedSnapshot {
  const tree = loader.tree!;
  tree._finishLoad(loader.zxid);
  return { tree, sessions: loader.sessions, zxid: loader.zxid, digest, digestZxid, version: loader.version };
}
