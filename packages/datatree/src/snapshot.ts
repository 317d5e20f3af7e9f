// Snapshot encoding of a DataTree plus the caller's session table. Format (all integers
// big-endian; "str" = u32 byte length + UTF-8; see README):
//   magic "ZKTSSNAP" | u32 version (1) | i64 lastProcessedZxid | i64 digest | u8 flags
//   u32 sessionCount, then per session: i64 id, i32 timeout
//   u32 aclCount, then per list: i32 aclId, u32 n, then n x (i32 perms, str scheme, str id)
//   nodes, parents before children, children in ZooKeeper's order:
//     str path | i32 dataLen (-1 = null) + bytes | i32 aclId
//     | i64 czxid | i64 mzxid | i64 pzxid | i64 ctime | i64 mtime
//     | i32 version | i32 cversion | i32 aversion | i64 ephemeralOwner
//   end marker: u32 0xffffffff where a path length would be
//   u32 CRC32 of everything before it
import { crc32 } from 'node:zlib';
import type { StatPersisted } from '@zk/protocol';
import { DataTree } from './tree.js';
import type { DataTreeOptions } from './types.js';

const MAGIC = 'ZKTSSNAP';
const VERSION = 1;
const END = 0xffffffff;
const CHUNK = 1 << 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes big-endian fields into fixed-size chunks. */
class ChunkWriter {
  readonly chunks: Uint8Array[] = [];
  private buf = new Uint8Array(CHUNK);
  private view = new DataView(this.buf.buffer);
  private off = 0;
  crc = 0;

  private ensure(n: number): void {
    if (this.off + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.view = new DataView(this.buf.buffer);
    }
  }

  flush(): void {
    if (this.off === 0) return;
    const out = this.buf.subarray(0, this.off);
    this.crc = crc32(out, this.crc);
    this.chunks.push(out);
    this.buf = new Uint8Array(CHUNK);
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
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.off);
    this.off += b.length;
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
}

/**
 * Serialize the tree and `sessions` (sessionId -> timeout ms) as chunks of at most ~1 MiB
 * (larger only for a single bigger value). Synchronous: the tree must not change meanwhile.
 */
export function serializeSnapshot(tree: DataTree, sessions: ReadonlyMap<bigint, number> = new Map()): Uint8Array[] {
  const w = new ChunkWriter();
  w.bytes(Buffer.from(MAGIC, 'latin1'));
  w.u32(VERSION);
  w.i64(tree.lastProcessedZxid);
  w.i64(tree.digest());
  w.u8((tree.extendedTypesEnabled ? 1 : 0) | (tree.emulate353TTLNodes ? 2 : 0) | (tree.digestEnabled ? 4 : 0));
  w.u32(sessions.size);
  for (const [id, timeout] of sessions) {
    w.i64(id);
    w.i32(timeout);
  }
  const cache = tree._aclCache;
  w.u32(cache.size);
  for (const [id, acl] of cache.entries()) {
    w.i32(id);
    w.u32(acl.length);
    for (const a of acl) {
      w.i32(a.perms);
      w.str(a.id.scheme);
      w.str(a.id.id);
    }
  }
  const st = tree._store;
  for (const { path, slot: s } of tree.walk()) {
    w.str(path);
    const data = st.getData(s);
    if (data === null) w.i32(-1);
    else {
      w.i32(data.length);
      w.bytes(data);
    }
    w.i32(st.acl[s]!);
    w.i64(st.czxid[s]!);
    w.i64(st.mzxid[s]!);
    w.i64(st.pzxid[s]!);
    w.i64(BigInt(st.ctime[s]!));
    w.i64(BigInt(st.mtime[s]!));
    w.i32(st.version[s]!);
    w.i32(st.cversion[s]!);
    w.i32(st.aversion[s]!);
    w.i64(st.owner[s]!);
  }
  w.u32(END);
  w.flush();
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, w.crc >>> 0);
  w.chunks.push(tail);
  return w.chunks;
}

/** Reads fields across a list of chunks. */
class ChunkReader {
  private ci = -1;
  private c: Uint8Array = new Uint8Array(0);
  private v: DataView = new DataView(new ArrayBuffer(0));
  private off = 0;
  private readonly tmp = new Uint8Array(8);
  private readonly tmpView = new DataView(this.tmp.buffer);

  constructor(private readonly chunks: readonly Uint8Array[]) {
    this.next();
  }

  private next(): void {
    this.ci++;
    this.off = 0;
    if (this.ci < this.chunks.length) {
      this.c = this.chunks[this.ci]!;
      this.v = new DataView(this.c.buffer, this.c.byteOffset, this.c.byteLength);
    }
  }

  /** Copies n bytes that straddle chunks into tmp. */
  private straddle(n: number): DataView {
    for (let i = 0; i < n; i++) {
      while (this.off >= this.c.length) {
        if (this.ci >= this.chunks.length - 1) throw new RangeError('snapshot truncated');
        this.next();
      }
      this.tmp[i] = this.c[this.off++]!;
    }
    return this.tmpView;
  }

  u8(): number {
    if (this.off + 1 <= this.c.length) return this.c[this.off++]!;
    return this.straddle(1).getUint8(0);
  }
  i32(): number {
    if (this.off + 4 <= this.c.length) {
      const x = this.v.getInt32(this.off);
      this.off += 4;
      return x;
    }
    return this.straddle(4).getInt32(0);
  }
  u32(): number {
    if (this.off + 4 <= this.c.length) {
      const x = this.v.getUint32(this.off);
      this.off += 4;
      return x;
    }
    return this.straddle(4).getUint32(0);
  }
  i64(): bigint {
    if (this.off + 8 <= this.c.length) {
      const x = this.v.getBigInt64(this.off);
      this.off += 8;
      return x;
    }
    return this.straddle(8).getBigInt64(0);
  }
  /** i64 read as a double (times). */
  i64n(): number {
    if (this.off + 8 <= this.c.length) {
      const hi = this.v.getInt32(this.off);
      const lo = this.v.getUint32(this.off + 4);
      this.off += 8;
      return hi * 4294967296 + lo;
    }
    return Number(this.straddle(8).getBigInt64(0));
  }
  bytes(n: number): Uint8Array {
    if (n === 0) return new Uint8Array(0);
    if (this.off + n <= this.c.length) {
      const v = this.c.subarray(this.off, this.off + n);
      this.off += n;
      return v;
    }
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      while (this.off >= this.c.length) {
        if (this.ci >= this.chunks.length - 1) throw new RangeError('snapshot truncated');
        this.next();
      }
      const k = Math.min(n - done, this.c.length - this.off);
      out.set(this.c.subarray(this.off, this.off + k), done);
      this.off += k;
      done += k;
    }
    return out;
  }
  str(len: number): string {
    return decoder.decode(this.bytes(len));
  }
}

export interface LoadedSnapshot {
  tree: DataTree;
  sessions: Map<bigint, number>;
  /** lastProcessedZxid recorded in the snapshot. */
  zxid: bigint;
  /** The digest recorded in the snapshot (compare with tree.digest() for a non-fuzzy snapshot). */
  digest: bigint;
}

/** Rebuild a tree (and the session table) from serializeSnapshot's output. */
export function deserializeSnapshot(
  input: Uint8Array | readonly Uint8Array[],
  options?: DataTreeOptions,
): LoadedSnapshot {
  const chunks = input instanceof Uint8Array ? [input] : input;
  let total = 0;
  for (const c of chunks) total += c.length;
  if (total < MAGIC.length + 8) throw new RangeError('snapshot too short');
  // checksum over everything but the last 4 bytes
  let crc = 0;
  let left = total - 4;
  const tailBytes = new Uint8Array(4);
  let tailFill = 0;
  for (const c of chunks) {
    const k = Math.min(left, c.length);
    if (k > 0) crc = crc32(c.subarray(0, k), crc);
    left -= k;
    for (let i = k; i < c.length; i++) tailBytes[tailFill++] = c[i]!;
  }
  if (new DataView(tailBytes.buffer).getUint32(0) !== crc >>> 0) throw new Error('snapshot checksum mismatch');

  const r = new ChunkReader(chunks);
  const magic = r.str(MAGIC.length);
  if (magic !== MAGIC) throw new Error('not a zk-ts snapshot');
  const version = r.u32();
  if (version !== VERSION) throw new Error(`unsupported snapshot version ${version}`);
  const zxid = r.i64();
  const digest = r.i64();
  const flags = r.u8();
  const tree = new DataTree({
    extendedTypesEnabled: options?.extendedTypesEnabled ?? (flags & 1) !== 0,
    emulate353TTLNodes: options?.emulate353TTLNodes ?? (flags & 2) !== 0,
    digestEnabled: options?.digestEnabled ?? (flags & 4) !== 0,
  });
  const sessions = new Map<bigint, number>();
  const nSessions = r.u32();
  for (let i = 0; i < nSessions; i++) {
    const id = r.i64();
    sessions.set(id, r.i32());
  }
  tree._resetForLoad();
  const cache = tree._aclCache;
  const nAcl = r.u32();
  for (let i = 0; i < nAcl; i++) {
    const id = r.i32();
    const n = r.u32();
    const acl = [];
    for (let j = 0; j < n; j++) {
      const perms = r.i32();
      const scheme = r.str(r.u32());
      const aid = r.str(r.u32());
      acl.push({ perms, id: { scheme, id: aid } });
    }
    cache.restore(id, acl);
  }
  for (;;) {
    const plen = r.u32();
    if (plen === END) break;
    const path = r.str(plen);
    const dlen = r.i32();
    const data = dlen < 0 ? null : r.bytes(dlen);
    const aclId = r.i32();
    const stat: StatPersisted = {
      czxid: r.i64(),
      mzxid: r.i64(),
      pzxid: r.i64(),
      ctime: r.i64n(),
      mtime: r.i64n(),
      version: r.i32(),
      cversion: r.i32(),
      aversion: r.i32(),
      ephemeralOwner: r.i64(),
    };
    if (!tree._loadNode(path, data, aclId, stat)) throw new Error(`snapshot: parent of ${path} missing`);
  }
  tree._finishLoad(zxid);
  return { tree, sessions, zxid, digest };
}
