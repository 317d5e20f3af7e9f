// Per-node digest (DigestCalculator, version 2): CRC32 over the path's UTF-8 bytes, the data and
// 60 bytes of StatPersisted fields (czxid, mzxid, pzxid, ctime, mtime as longs; version,
// cversion, aversion as ints; ephemeralOwner as a long). The tree digest is the 64-bit wrapping
// sum of node digests (AdHash), excluding everything under "/zookeeper/"; the root counts under
// the path "". With the same txns (zxids and times), the value equals ZooKeeper's tree digest.
import { crc32 } from 'node:zlib';
import { ZOOKEEPER_SUBTREE_PREFIX } from './path.js';

export const DIGEST_VERSION = 2;

const statBuf = new Uint8Array(60);
const statView = new DataView(statBuf.buffer);

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
  statView.setBigInt64(0, czxid);
  statView.setBigInt64(8, mzxid);
  statView.setBigInt64(16, pzxid);
  statView.setBigInt64(24, BigInt(ctime));
  statView.setBigInt64(32, BigInt(mtime));
  statView.setInt32(40, version);
  statView.setInt32(44, cversion);
  statView.setInt32(48, aversion);
  statView.setBigInt64(52, ephemeralOwner);
  let c = p.length === 0 ? 0 : crc32(p);
  if (data !== null && data.length > 0) c = crc32(data, c);
  return crc32(statBuf, c) >>> 0;
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
