// Per-node digest (DigestCalculator, version 2): CRC32 over the path's UTF-8 bytes, the data and
// 60 bytes of StatPersisted fields (czxid, mzxid, pzxid, ctime, mtime as longs; version,
// cversion, aversion as ints; ephemeralOwner as a long). The tree digest is the 64-bit wrapping
// sum of node digests (AdHash), excluding everything under "/zookeeper/"; the root counts under
// the path "". With the same txns (zxids and times), the value equals ZooKeeper's tree digest.
//
// The CRC32 (java.util.zip.CRC32: IEEE, reflected 0xEDB88320) is @zk/crc's JS slicing-by-16 on an
// inverted running value (start -1, pieces chained, crcFinish once), so a node's digest is taken
// over its bytes where they are (the snapshot buffer at load, the data slab and the stat columns
// after an apply) with no copy, no BigInt and no native call per node.
import { CRC32_TABLES as T, crcFinish, crcRun } from '@zk/crc';
import { ZOOKEEPER_SUBTREE_PREFIX } from './path.js';

export const DIGEST_VERSION = 2;

/** Scratch for UTF-8 paths and the 60 stat bytes. */
let scratch = new Uint8Array(4096);
let scratchView = new DataView(scratch.buffer);
const encoder = new TextEncoder();

/** Continues an (inverted) CRC32 over the UTF-8 bytes of `s`; ASCII is hashed from the string itself. */
export function crc32RunString(c: number, s: string): number {
  const n = s.length;
  let i = 0;
  const t = T;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 0x80) break;
    c = t[(c ^ ch) & 0xff]! ^ (c >>> 8);
  }
  if (i === n) return c;
  const rest = s.substring(i);
  if (rest.length * 3 > scratch.length) {
    scratch = new Uint8Array(rest.length * 3);
    scratchView = new DataView(scratch.buffer);
  }
  const w = encoder.encodeInto(rest, scratch).written;
  return crcRun(T, c, scratch, scratchView, 0, w);
}

const STAT_BYTES = 60;

/**
 * The stat part of a node digest: the 60 stat bytes given as 32-bit halves (zxids and owner
 * hi/lo, times as doubles), continuing the inverted CRC `c`. No BigInt is made.
 */
export function crc32RunStat(
  c: number,
  czxidHi: number,
  czxidLo: number,
  mzxidHi: number,
  mzxidLo: number,
  pzxidHi: number,
  pzxidLo: number,
  ctime: number,
  mtime: number,
  version: number,
  cversion: number,
  aversion: number,
  ownerHi: number,
  ownerLo: number,
): number {
  const v = scratchView;
  v.setInt32(0, czxidHi);
  v.setInt32(4, czxidLo);
  v.setInt32(8, mzxidHi);
  v.setInt32(12, mzxidLo);
  v.setInt32(16, pzxidHi);
  v.setInt32(20, pzxidLo);
  let hi = Math.floor(ctime / 4294967296);
  v.setInt32(24, hi);
  v.setUint32(28, ctime - hi * 4294967296);
  hi = Math.floor(mtime / 4294967296);
  v.setInt32(32, hi);
  v.setUint32(36, mtime - hi * 4294967296);
  v.setInt32(40, version);
  v.setInt32(44, cversion);
  v.setInt32(48, aversion);
  v.setInt32(52, ownerHi);
  v.setInt32(56, ownerLo);
  return crcRun(T, c, scratch, v, 0, STAT_BYTES);
}

export function isDigested(path: string): boolean {
  return !path.startsWith(ZOOKEEPER_SUBTREE_PREFIX);
}

const MASK32 = 0xffffffffn;

/** One node's digest from its fields (0 for nodes under /zookeeper/, which the tree digest leaves out). */
export function nodeDigest(
  path: string,
  data: Uint8Array | null,
  czxid: bigint,
  mzxid: bigint,
  pzxid: bigint,
  ctime: number,
  mtime: number,
  version: number,
  cversion: number,
  aversion: number,
  ephemeralOwner: bigint,
): number {
  if (path.startsWith(ZOOKEEPER_SUBTREE_PREFIX)) return 0;
  let c = path === '/' ? -1 : crc32RunString(-1, path);
  if (data !== null && data.length > 0) c = crcRun(T, c, data, new DataView(data.buffer, data.byteOffset, data.byteLength), 0, data.length);
  const half = (v: bigint, high: boolean): number => Number(BigInt.asIntN(32, high ? v >> 32n : v & MASK32));
  return crcFinish(
    crc32RunStat(
      c,
      half(czxid, true), half(czxid, false),
      half(mzxid, true), half(mzxid, false),
      half(pzxid, true), half(pzxid, false),
      ctime, mtime, version, cversion, aversion,
      half(ephemeralOwner, true), half(ephemeralOwner, false),
    ),
  );
}

const TWO52 = 2 ** 52;

/** A 64-bit wrapping additive accumulator (AdHash) kept mostly in a double. */
export class AdHash {
  private small = 0;
  private big = 0n;

  add(d: number): void {
    this.small += d;
    if (this.small > TWO52 || this.small < -TWO52) this.fold();
  }

  remove(d: number): void {
    this.small -= d;
    if (this.small > TWO52 || this.small < -TWO52) this.fold();
  }

  private fold(): void {
    this.big = BigInt.asIntN(64, this.big + BigInt(this.small));
    this.small = 0;
  }

  /** The signed 64-bit value, as Java's long. */
  value(): bigint {
    return BigInt.asIntN(64, this.big + BigInt(this.small));
  }

  clear(): void {
    this.small = 0;
    this.big = 0n;
  }
}
