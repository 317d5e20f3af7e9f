import { Buffer } from 'node:buffer';
import type { Codec } from './codec.js';
import { DEFAULT_JUTE_MAXBUFFER } from './constants.js';
import { JuteDecodeError } from './errors.js';
import { decodeJavaUtf8 } from './utf8.js';

const TWO_32 = 4294967296;
type SliceFn = (this: Uint8Array, start: number, end: number) => string;
const bufferProto = Buffer.prototype as unknown as { latin1Slice?: SliceFn; utf8Slice?: SliceFn };
const latin1Slice = bufferProto.latin1Slice;
const utf8Slice = bufferProto.utf8Slice;

const EMPTY = new Uint8Array(0);
const EMPTY_VIEW = new DataView(EMPTY.buffer);

export interface JuteReaderOptions {
  /**
   * Largest buffer/string length accepted. ZooKeeper's BinaryInputArchive.checkLength refuses
   * `len < 0 || len > jute.maxbuffer + zookeeper.jute.maxbuffer.extrasize`, where extrasize
   * defaults to jute.maxbuffer: 2 * 0xfffff by default (see `defaultMaxFieldLength`).
   */
  maxLength?: number;
}

/** ZooKeeper's default per-field limit for a given jute.maxbuffer (maxBuffer + extrasize). */
export function defaultMaxFieldLength(maxBuffer: number = DEFAULT_JUTE_MAXBUFFER, extraSize: number = maxBuffer): number {
  return Math.min(0x7fffffff, maxBuffer + Math.max(1024, extraSize));
}

/**
 * Reads jute records from a byte range, big-endian, offset-based. Every read checks bounds and
 * throws JuteDecodeError (never RangeError) on underflow, on a negative length other than -1, or
 * on a length over `maxLength`.
 *
 * Buffers (`readBuffer`) are returned as subarray VIEWS of the input, not copies: they stay valid
 * only as long as the caller does not reuse the input bytes. Use `readBufferCopy` for data that
 * must outlive a reused input buffer. Strings are always decoded into new JS strings.
 */
export class JuteReader {
  /** Null strings read by `readString` since the last `reset` (see there). */
  nullStrings = 0;
  private buf: Uint8Array;
  private dv: DataView;
  /** Buffer view of `buf` for native string slicing; created lazily, null until needed. */
  private nb: Buffer | null = null;
  /** Current read offset into the buffer. */
  pos: number;
  /** End offset (exclusive). */
  end: number;
  maxLength: number;

  constructor(bytes: Uint8Array = EMPTY, options?: JuteReaderOptions) {
    this.buf = bytes;
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.end = bytes.length;
    this.maxLength = options?.maxLength ?? defaultMaxFieldLength();
  }

  /** Points the reader at new bytes (reuse one reader per connection). */
  reset(bytes: Uint8Array, start = 0, end = bytes.length): this {
    if (bytes !== this.buf) {
      this.buf = bytes;
      this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.nb = null;
    }
    this.pos = start;
    this.end = end;
    this.nullStrings = 0;
    return this;
  }

  /** Points the reader at no bytes (drops its reference to the last input). */
  detach(): void {
    this.buf = EMPTY;
    this.dv = EMPTY_VIEW;
    this.nb = null;
    this.pos = 0;
    this.end = 0;
  }

  /** The underlying byte array (offsets are relative to it). */
  get bytes(): Uint8Array {
    return this.buf;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  private underflow(what: string, need: number): never {
    throw new JuteDecodeError(`unexpected end of input: need ${need} bytes, have ${this.end - this.pos}`, what, this.pos);
  }

  /**
   * Low-level hot-path access: checks that `n` bytes remain, skips past them and returns the
   * offset where they start; read them through `dataView` (offsets are relative to `bytes`).
   */
  advance(n: number, what: string): number {
    if (this.pos + n > this.end) this.underflow(what, n);
    const p = this.pos;
    this.pos = p + n;
    return p;
  }

  /** The DataView over `bytes` (see advance). */
  get dataView(): DataView {
    return this.dv;
  }

  readByte(what = 'byte'): number {
    if (this.pos + 1 > this.end) this.underflow(what, 1);
    return this.dv.getInt8(this.pos++);
  }

  /** jute boolean: any non-zero byte is true (DataInput.readBoolean). */
  readBool(what = 'boolean'): boolean {
    if (this.pos + 1 > this.end) this.underflow(what, 1);
    return this.buf[this.pos++] !== 0;
  }

  readInt(what = 'int'): number {
    if (this.pos + 4 > this.end) this.underflow(what, 4);
    const v = this.dv.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  readLong(what = 'long'): bigint {
    if (this.pos + 8 > this.end) this.underflow(what, 8);
    const v = this.dv.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }

  /**
   * A jute long as a JS number (millisecond times, TTLs). Exact for |v| <= 2^53; beyond that the
   * value is rounded, as a double would be.
   */
  readLongNumber(what = 'long'): number {
    if (this.pos + 8 > this.end) this.underflow(what, 8);
    const hi = this.dv.getInt32(this.pos);
    const lo = this.dv.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** Reads and validates a length prefix; returns -1 for null. */
  private readLength(what: string): number {
    const start = this.pos;
    const len = this.readInt(what);
    if (len === -1) return -1;
    if (len < 0) throw new JuteDecodeError(`negative length ${len}`, what, start);
    if (len > this.maxLength) throw new JuteDecodeError(`unreasonable length ${len} (limit ${this.maxLength})`, what, start);
    if (this.pos + len > this.end) this.underflow(what, len);
    return len;
  }

  /** jute buffer as a subarray view of the input; null when the length is -1. */
  readBuffer(what = 'buffer'): Uint8Array | null {
    const len = this.readLength(what);
    if (len < 0) return null;
    const v = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /** jute buffer as a fresh copy; null when the length is -1. */
  readBufferCopy(what = 'buffer'): Uint8Array | null {
    const len = this.readLength(what);
    if (len < 0) return null;
    const v = this.buf.slice(this.pos, this.pos + len);
    this.pos += len;
    return v;
  }

  /** jute buffer where null is not representable: -1 becomes an empty array. */
  readBufferNonNull(what = 'buffer'): Uint8Array {
    return this.readBuffer(what) ?? EMPTY;
  }

  /** jute ustring or null (length -1). */
  readNullableString(what = 'ustring'): string | null {
    const len = this.readLength(what);
    if (len < 0) return null;
    const start = this.pos;
    const end = start + len;
    this.pos = end;
    if (len === 0) return '';
    // Fast paths through Node's native slicing; the result is identical to decodeJavaUtf8 because
    // ASCII is decoded as Latin-1 only after checking, and UTF-8 output without U+FFFD means the
    // input was well-formed (anything else takes the JDK-compatible decoder).
    const bytes = this.buf;
    if (latin1Slice !== undefined && utf8Slice !== undefined) {
      // Node's slicers take any Uint8Array as `this`: no Buffer view per input.
      if (len <= 64) {
        let i = start;
        while (i < end && bytes[i]! < 0x80) i++;
        if (i === end) return latin1Slice.call(bytes, start, end);
      }
      const s = utf8Slice.call(bytes, start, end);
      return s.indexOf('\uFFFD') === -1 ? s : decodeJavaUtf8(bytes, start, end);
    }
    const nb = this.nb ?? (this.nb = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (len <= 64) {
      let i = start;
      while (i < end && bytes[i]! < 0x80) i++;
      if (i === end) return nb.toString('latin1', start, end);
    }
    const s = nb.toString('utf8', start, end);
    return s.indexOf('\uFFFD') === -1 ? s : decodeJavaUtf8(bytes, start, end);
  }

  /**
   * `readString`, returning `known` itself when the bytes spell it (ASCII): no decoding and no new
   * string for values that repeat in every record, such as the `world` / `anyone` of an ACL.
   */
  readStringKnown(what: string, known: string): string {
    const n = known.length;
    const p = this.pos;
    if (n <= this.maxLength && p + 4 + n <= this.end && this.dv.getInt32(p) === n) {
      const bytes = this.buf;
      let i = 0;
      while (i < n && bytes[p + 4 + i] === known.charCodeAt(i)) i++;
      if (i === n) {
        this.pos = p + 4 + n;
        return known;
      }
    }
    return this.readString(what);
  }

  /** jute ustring; a null (-1) string is returned as '' (our records type strings as non-null). */
  /**
   * A non-null string; a null one (length -1) reads as '' and is counted in `nullStrings`, so a
   * server can tell `null` from '' where Java code would see null (and usually fail).
   */
  readString(what = 'ustring'): string {
    const s = this.readNullableString(what);
    if (s !== null) return s;
    this.nullStrings++;
    return '';
  }

  /**
   * Reads a vector count. -1 (null) is returned as 0 (our records use empty arrays for null
   * vectors). The count is checked against the bytes left (each element takes at least
   * `minElementSize` bytes), so a corrupt count cannot make us allocate or loop for long.
   */
  readVectorLength(what: string, minElementSize = 1): number {
    const start = this.pos;
    const n = this.readInt(what);
    // BinaryInputArchive.startVector: -1 is null, and any other negative count reads as an empty
    // vector (its loop runs while the count is positive). Servers then judge the empty list, e.g.
    // an empty ACL is INVALIDACL, so we must not reject it here.
    if (n < 0) return 0;
    if (n * minElementSize > this.end - this.pos) {
      throw new JuteDecodeError(`vector length ${n} exceeds the ${this.end - this.pos} bytes left`, what, start);
    }
    return n;
  }

  readStringVector(what = 'vector<ustring>'): string[] {
    const n = this.readVectorLength(what, 4);
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = this.readString(what);
    return out;
  }

  readVector<T>(codec: Codec<T>, what: string = codec.name, minElementSize = 1): T[] {
    const n = this.readVectorLength(what, minElementSize);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) out[i] = codec.read(this);
    return out;
  }

  /** Reads a record with its codec. */
  read<T>(codec: Codec<T>): T {
    return codec.read(this);
  }

  /** Throws unless every byte was consumed. */
  expectEnd(what: string): void {
    if (this.pos !== this.end) {
      throw new JuteDecodeError(`${this.end - this.pos} unexpected trailing bytes`, what, this.pos);
    }
  }
}
