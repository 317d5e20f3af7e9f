// Per-node digest (DigestCalculator, version 2): CRC32 over the path's UTF-8 bytes, the data and
// 60 bytes of StatPersisted fields (czxid, mzxid, pzxid, ctime, mtime as longs; version,
// cversion, aversion as ints; ephemeralOwner as a long). The tree digest is the 64-bit wrapping
// sum of node digests (AdHash), excluding everything under "/zookeeper/"; the root counts under
// the path "". With the same txns (zxids and times), the value equals ZooKeeper's tree digest.
import { crc32 } from 'node:zlib';
import { ZOOKEEPER_SUBTREE_PREFIX } from './path.js';

export const DIGEST_VERSION = 2;

/** Scratch: path bytes + small data + the 60 stat bytes, hashed with one crc32 call. */
let scratch = new Uint8Array(4096);
let scratchView = new DataView(scratch.buffer);
const encoder = new TextEncoder();
const INLINE_DATA_MAX = 2048;

export function isDigested(path: string): boolean {
  return !path.startsWith(ZOOKEEPER_SUBTREE_PREFIX);
}

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
  const p = path === '/' ? '' : path;
  const dlen = data === null ? 0 : data.length;
  const inline = dlen <= INLINE_DATA_MAX;
  const need = p.length * 3 + (inline ? dlen : 0) + 60;
  if (need > scratch.length) {
    scratch = new Uint8Array(Math.max(need, scratch.length * 2));
    scratchView = new DataView(scratch.buffer);
  }
  let off = p.length === 0 ? 0 : encoder.encodeInto(p, scratch).written;
  let c = 0;
  if (inline) {
    if (dlen > 0) scratch.set(data!, off);
    off += dlen;
  } else {
    c = crc32(scratch.subarray(0, off));
    c = crc32(data!, c);
    off = 0;
  }
  const v = scratchView;
  v.setBigInt64(off, czxid);
  v.setBigInt64(off + 8, mzxid);
  v.setBigInt64(off + 16, pzxid);
  v.setBigInt64(off + 24, BigInt(ctime));
  v.setBigInt64(off + 32, BigInt(mtime));
  v.setInt32(off + 40, version);
  v.setInt32(off + 44, cversion);
  v.setInt32(off + 48, aversion);
  v.setBigInt64(off + 52, ephemeralOwner);
  return crc32(scratch.subarray(0, off + 60), c) >>> 0;
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
