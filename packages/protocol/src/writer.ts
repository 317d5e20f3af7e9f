import type { Codec } from './codec.js';
import { JuteEncodeError } from './errors.js';
import { encodeJavaUtf8Into, maxEncodedLength } from './utf8.js';

const TWO_32 = 4294967296;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * A growable big-endian output buffer that speaks jute's BinaryOutputArchive.
 *
 * Reuse it: `reset()` rewinds without freeing, so a connection (or a whole server loop) can encode
 * every frame into one writer and allocate only when the buffer has to grow. `view()` returns the
 * bytes written so far WITHOUT copying (valid until the next write or reset); `finish()` returns a
 * copy that the caller may keep.
 */
export class JuteWriter {
  private buf: Uint8Array;
  private dv: DataView;
  /** Current write offset (= number of bytes written since the last reset). */
  pos = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.dv = new DataView(this.buf.buffer);
  }

  /** Number of bytes written since the last reset. */
  get length(): number {
    return this.pos;
  }

  /** Current capacity of the underlying buffer. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Rewinds to offset 0, keeping the buffer. */
  reset(): this {
    this.pos = 0;
    return this;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
    this.dv = new DataView(nb.buffer);
  }

  /**
   * Low-level hot-path access: makes room for `n` bytes, advances `pos` past them and returns the
   * offset where they start; fill them through `dataView` (valid until the next write). Used by
   * fixed-size records such as Stat to write with one bounds check.
   */
  reserve(n: number): number {
    this.ensure(n);
    const p = this.pos;
    this.pos = p + n;
    return p;
  }

  /** The DataView over the internal buffer (changes when the buffer grows; see reserve). */
  get dataView(): DataView {
    return this.dv;
  }

  /** The bytes written so far, as a view into the internal buffer (no copy). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * A copy of the bytes written so far. Does not reset. A small copy comes from Node's shared
   * Buffer pool (`Buffer.allocUnsafe`), which is much cheaper than a fresh ArrayBuffer per call:
   * it was 6 % of a standalone server's CPU under writes, one copy per txn.
   */
  finish(): Uint8Array {
    const out = Buffer.allocUnsafe(this.pos);
    out.set(this.buf.subarray(0, this.pos));
    return out;
  }

  writeByte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }

  /** jute boolean: one byte, 1 or 0 (DataOutput.writeBoolean). */
  writeBool(v: boolean): void {
    this.ensure(1);
    this.buf[this.pos++] = v ? 1 : 0;
  }

  /** jute int: 4 bytes big-endian, two's complement. */
  writeInt(v: number): void {
    this.ensure(4);
    this.dv.setInt32(this.pos, v | 0);
    this.pos += 4;
  }

  /** Overwrites 4 bytes at `offset` (used to patch length prefixes). */
  setIntAt(offset: number, v: number): void {
    this.dv.setInt32(offset, v | 0);
  }

  /** jute long from a bigint: 8 bytes big-endian, two's complement. */
  writeLong(v: bigint): void {
    if (v < INT64_MIN || v > INT64_MAX) throw new JuteEncodeError(`long out of range: ${v}`);
    this.ensure(8);
    this.dv.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  /**
   * jute long from a number (used for millisecond times and TTLs). Must be an integer in the safe
   * range; writes the same 8 bytes as writeLong(BigInt(v)) without allocating a bigint.
   */
  writeLongNumber(v: number): void {
    if (!Number.isSafeInteger(v)) throw new JuteEncodeError(`long (number) is not a safe integer: ${v}`);
    this.ensure(8);
    const hi = Math.floor(v / TWO_32);
    this.dv.setInt32(this.pos, hi);
    this.dv.setUint32(this.pos + 4, v - hi * TWO_32);
    this.pos += 8;
  }

  /** jute buffer: int length then bytes; null is written as length -1. */
  writeBuffer(v: Uint8Array | null | undefined): void {
    if (v == null) {
      this.writeInt(-1);
      return;
    }
    const n = v.length;
    this.ensure(4 + n);
    this.dv.setInt32(this.pos, n);
    this.buf.set(v, this.pos + 4);
    this.pos += 4 + n;
  }

  /** jute ustring: int byte length then Java-style UTF-8 (see utf8.ts); null is length -1. */
  writeString(v: string | null | undefined): void {
    if (v == null) {
      this.writeInt(-1);
      return;
    }
    const len = v.length;
    this.ensure(4 + maxEncodedLength(v));
    const start = this.pos + 4;
    let n: number;
    if (len < 64) {
      // Inline ASCII fast path; falls back to the general encoder at the first non-ASCII char.
      const buf = this.buf;
      let i = 0;
      for (; i < len; i++) {
        const c = v.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      n = i === len ? len : i + encodeJavaUtf8Into(v.slice(i), buf, start + i);
    } else {
      n = encodeJavaUtf8Into(v, this.buf, start);
    }
    this.dv.setInt32(this.pos, n);
    this.pos = start + n;
  }

  /** vector<ustring>; null is written as count -1. */
  writeStringVector(v: readonly string[] | null | undefined): void {
    if (v == null) {
      this.writeInt(-1);
      return;
    }
    const n = v.length;
    this.writeInt(n);
    for (let i = 0; i < n; i++) this.writeString(v[i]!);
  }

  /** vector<record>; null is written as count -1. */
  writeVector<T>(v: readonly T[] | null | undefined, codec: Codec<T>): void {
    if (v == null) {
      this.writeInt(-1);
      return;
    }
    const n = v.length;
    this.writeInt(n);
    for (let i = 0; i < n; i++) codec.write(this, v[i]!);
  }

  /** Appends raw bytes (no length prefix). */
  writeRaw(v: Uint8Array): void {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
  }

  /** Writes a record with its codec. */
  write<T>(codec: Codec<T>, v: T): void {
    codec.write(this, v);
  }
}
