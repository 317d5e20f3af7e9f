// Incremental parser of snapshot bytes (both versions; layouts in snapshot.ts and the README).
// Push chunks of any size; records come out as soon as their bytes are complete. The loader
// (deserializeSnapshot) and `zkserver snapshot-dump` both sit on it, so a dump never needs the
// whole file in memory.
import { crc32 } from 'node:zlib';
import { CRC32_TABLES, createWasmCrc, type WasmCrc } from '@zk/crc';
import type { ACL, StatPersisted } from '@zk/protocol';

export const SNAPSHOT_MAGIC = 'ZKTSSNAP';
/** The version written by this package. Version 1 (synchronous, non-fuzzy) is still read. */
export const SNAPSHOT_VERSION = 2;
/** v1: end of nodes, where a path length would be. */
export const V1_END = 0xffffffff;
/** v2 record tags. */
export const TAG_END = 0;
export const TAG_ACL = 1;
export const TAG_NODE = 2;

export const FLAG_EXTENDED_TYPES = 1;
export const FLAG_EMULATE_353 = 2;
export const FLAG_DIGEST = 4;

const MAGIC_BYTES = Buffer.from(SNAPSHOT_MAGIC, 'latin1');
const decoder = new TextDecoder();

export interface SnapshotHeaderRecord {
  kind: 'header';
  version: number;
  /** lastProcessedZxid when the snapshot started: replay the log from zxid + 1. */
  zxid: bigint;
  extendedTypesEnabled: boolean;
  emulate353TTLNodes: boolean;
  digestEnabled: boolean;
}
export interface SnapshotSessionRecord {
  kind: 'session';
  id: bigint;
  timeoutMs: number;
}
export interface SnapshotAclRecord {
  kind: 'acl';
  id: number;
  acl: ACL[];
}
export interface SnapshotNodeRecord {
  kind: 'node';
  path: string;
  /** A view of the parser's buffer: copy it to keep it past the next push. */
  data: Uint8Array | null;
  aclId: number;
  stat: StatPersisted;
}
export interface SnapshotEndRecord {
  kind: 'end';
  /**
   * The tree's digest at `digestZxid`. Version 2: taken when the (fuzzy) walk finished, so it
   * holds once the log has been replayed up to `digestZxid`. Version 1: taken at `zxid`.
   */
  digest: bigint;
  digestZxid: bigint;
}
export type SnapshotRecord = SnapshotHeaderRecord | SnapshotSessionRecord | SnapshotAclRecord | SnapshotNodeRecord | SnapshotEndRecord;

/** The snapshot bytes are not a valid zk-ts snapshot (bad magic, version, checksum, truncation). */
export class SnapshotFormatError extends Error {
  override readonly name = 'SnapshotFormatError';
}

/**
 * Takes node records straight from the parser's buffer, without a record object per node (the
 * loader's fast path). Offsets are into `buf`, which is only valid during the call.
 */
export interface SnapshotNodeSink {
  /**
   * One node (`bytes` and `buf` are the same memory as a plain Uint8Array and as a Buffer):
   * the path's UTF-8 bytes at `pathAt` (`pathLen` bytes), the data at `dataAt`
   * (`dataLen` bytes, -1 for null), the snapshot's ACL id, and the 60 stat bytes at `statAt`
   * (czxid, mzxid, pzxid, ctime, mtime as i64; version, cversion, aversion as i32;
   * ephemeralOwner as i64) — the same layout as the node digest's stat part. With `crc`, `bytes`
   * is the start of its window: `crc.update(c, start, end)` checksums `bytes[start, end)` in place.
   */
  node(bytes: Uint8Array, buf: Buffer, dv: DataView, pathAt: number, pathLen: number, dataAt: number, dataLen: number, aclId: number, statAt: number, crc: WasmCrc | undefined): void;
}

/** Thrown inside the parser when the buffered bytes end mid-record. */
const NEED_MORE: unique symbol = Symbol('need more');

const State = {
  Header: 0,
  SessionCount: 1,
  Sessions: 2,
  AclCount: 3,
  Acls: 4,
  NodesV1: 5,
  Records: 6,
  TrailerV2: 7,
  Crc: 8,
  Done: 9,
} as const;
type State = (typeof State)[keyof typeof State];
const STATE_NAMES = Object.keys(State);

/**
 * Push-driven snapshot parser: `push(chunk, emit)` emits every record completed by the bytes so
 * far; `finish()` throws unless the end record and a matching checksum were seen.
 */
export class SnapshotParser {
  private buf: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.buf.buffer);
  private readonly joins: [Uint8Array | null, Uint8Array | null] = [null, null];
  private joinAt = 0;
  /** `buf` as a Buffer (same memory), for the sink's string decoding. */
  private nb: Buffer = Buffer.alloc(0);
  private pos = 0;
  private state: State = State.Header;
  private version = 0;
  private left = 0;
  private crc = 0;
  /** v1 keeps its digest in the header; it is emitted with the end record. */
  private v1Digest = 0n;
  private zxid = 0n;
  private endRecord: SnapshotEndRecord | undefined;
  /** Bytes consumed before `buf` (offsets in errors). */
  private consumed = 0;

  /** With a sink, the parser works in a WebAssembly CRC32's window (node digests in place). */
  private readonly wasm: WasmCrc | undefined;

  /** With a sink, version-2 node records go to it instead of `emit`. */
  constructor(private readonly sink?: SnapshotNodeSink) {
    if (sink !== undefined) this.wasm = createWasmCrc(CRC32_TABLES, 2 << 20);
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  push(chunk: Uint8Array, emit: (r: SnapshotRecord) => void): void {
    if (chunk.length === 0) return;
    if (this.done) throw new SnapshotFormatError('snapshot: bytes after the checksum');
    const rest = this.buf.length - this.pos;
    if (this.wasm !== undefined) {
      // The cut record (if any) to the front of the window, then the chunk after it.
      const need = rest + chunk.length;
      let w = this.wasm.window;
      if (need > w.length) {
        const saved = this.buf.slice(this.pos);
        w = this.wasm.ensure(need + (need >> 3));
        w.set(saved, 0);
      } else if (rest > 0) {
        const from = this.buf.byteOffset - w.byteOffset + this.pos;
        w.copyWithin(0, from, from + rest);
      }
      w.set(chunk, rest);
      this.buf = w.subarray(0, need);
    } else if (rest === 0) {
      // A plain Uint8Array view: subarray() of a Buffer is several times slower.
      this.buf = Buffer.isBuffer(chunk) ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : chunk;
    } else {
      // The record cut at the end of the last chunk, then this chunk, in one of two buffers used
      // in turn (the cut record may sit in the other one): no new buffer per chunk.
      const need = rest + chunk.length;
      this.joinAt ^= 1;
      let b = this.joins[this.joinAt] ?? null;
      if (b === null || b.length < need) {
        b = new Uint8Array(need + (need >> 3));
        this.joins[this.joinAt] = b;
      }
      b.set(this.buf.subarray(this.pos));
      b.set(chunk, rest);
      this.buf = b.subarray(0, need);
    }
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    if (this.sink !== undefined) this.nb = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    let mark = 0;
    try {
      while (!this.done) {
        if (this.sink !== undefined && this.state === State.Records) this.nodeRun(this.sink);
        mark = this.pos;
        this.step(emit);
      }
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      this.pos = mark;
    }
    // Checksum everything consumed (the Crc state consumes its 4 bytes without adding them).
    if (!this.done && this.pos > 0) this.crc = crc32(this.buf.subarray(0, this.pos), this.crc);
    this.consumed += this.pos;
    this.buf = this.buf.subarray(this.pos);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
  }

  finish(): SnapshotEndRecord {
    if (this.state !== State.Done || this.endRecord === undefined) {
      throw new SnapshotFormatError(`snapshot truncated (${this.consumed + this.buf.length} bytes, ended while reading ${STATE_NAMES[this.state]!})`);
    }
    if (this.buf.length !== 0) throw new SnapshotFormatError('snapshot: bytes after the checksum');
    return this.endRecord;
  }

  /**
   * The hot loop: hands every complete node record at `pos` to the sink, stopping before
   * anything else (another tag, a record cut by the end of the buffer, a bad length), which
   * `step` then handles.
   */
  private nodeRun(sink: SnapshotNodeSink): void {
    const buf = this.buf;
    const dv = this.view;
    const nb = this.nb;
    const end = buf.length;
    let pos = this.pos;
    // The window's CRC applies when the buffer starts at the window (always, in wasm mode).
    const crc = this.wasm !== undefined && buf.byteOffset === this.wasm.window.byteOffset && buf.buffer === this.wasm.window.buffer ? this.wasm : undefined;
    while (pos + 5 <= end && buf[pos] === TAG_NODE) {
      const pathLen = dv.getUint32(pos + 1);
      if (pathLen > 0x7fffffff) break;
      const pathAt = pos + 5;
      const lenAt = pathAt + pathLen;
      if (lenAt + 4 > end) break;
      const dataLen = dv.getInt32(lenAt);
      const dataAt = lenAt + 4;
      const aclAt = dataLen < 0 ? dataAt : dataAt + dataLen;
      if (aclAt + 64 > end) break;
      sink.node(buf, nb, dv, pathAt, pathLen, dataAt, dataLen < 0 ? -1 : dataLen, dv.getInt32(aclAt), aclAt + 4, crc);
      pos = aclAt + 64;
      this.pos = pos;
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw NEED_MORE;
  }
  private u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }
  private i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }
  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }
  private i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v;
  }
  /** An i64 read as a double (times). */
  private i64n(): number {
    this.need(8);
    const hi = this.view.getInt32(this.pos);
    const lo = this.view.getUint32(this.pos + 4);
    this.pos += 8;
    return hi * 4294967296 + lo;
  }
  private bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
  private str(): string {
    const n = this.u32();
    if (n > 0x7fffffff) throw new SnapshotFormatError(`snapshot: bad string length ${n} at offset ${this.consumed + this.pos - 4}`);
    return decoder.decode(this.bytes(n));
  }

  private node(path: string): SnapshotNodeRecord {
    const dlen = this.i32();
    const data = dlen < 0 ? null : this.bytes(dlen);
    const aclId = this.i32();
    this.need(64);
    const stat: StatPersisted = {
      czxid: this.i64(),
      mzxid: this.i64(),
      pzxid: this.i64(),
      ctime: this.i64n(),
      mtime: this.i64n(),
      version: this.i32(),
      cversion: this.i32(),
      aversion: this.i32(),
      ephemeralOwner: this.i64(),
    };
    return { kind: 'node', path, data, aclId, stat };
  }

  private acl(): SnapshotAclRecord {
    const id = this.i32();
    const n = this.u32();
    const acl: ACL[] = [];
    for (let j = 0; j < n; j++) {
      const perms = this.i32();
      const scheme = this.str();
      const aid = this.str();
      acl.push({ perms, id: { scheme, id: aid } });
    }
    return { kind: 'acl', id, acl };
  }

  private step(emit: (r: SnapshotRecord) => void): void {
    switch (this.state) {
      case State.Header: {
        this.need(MAGIC_BYTES.length + 4);
        for (let i = 0; i < MAGIC_BYTES.length; i++) {
          if (this.buf[this.pos + i] !== MAGIC_BYTES[i]) throw new SnapshotFormatError('not a zk-ts snapshot (bad magic)');
        }
        this.pos += MAGIC_BYTES.length;
        const version = this.u32();
        if (version !== 1 && version !== 2) throw new SnapshotFormatError(`unsupported snapshot version ${version}`);
        const zxid = this.i64();
        const digest = version === 1 ? this.i64() : 0n;
        const flags = this.u8();
        this.version = version;
        this.zxid = zxid;
        this.v1Digest = digest;
        this.state = State.SessionCount;
        emit({
          kind: 'header',
          version,
          zxid,
          extendedTypesEnabled: (flags & FLAG_EXTENDED_TYPES) !== 0,
          emulate353TTLNodes: (flags & FLAG_EMULATE_353) !== 0,
          digestEnabled: (flags & FLAG_DIGEST) !== 0,
        });
        return;
      }
      case State.SessionCount:
        this.left = this.u32();
        this.state = State.Sessions;
        return;
      case State.Sessions:
        if (this.left === 0) {
          this.state = this.version === 1 ? State.AclCount : State.Records;
          return;
        }
        {
          const id = this.i64();
          const timeoutMs = this.i32();
          this.left--;
          emit({ kind: 'session', id, timeoutMs });
        }
        return;
      case State.AclCount:
        this.left = this.u32();
        this.state = State.Acls;
        return;
      case State.Acls:
        if (this.left === 0) {
          this.state = State.NodesV1;
          return;
        }
        {
          const r = this.acl();
          this.left--;
          emit(r);
        }
        return;
      case State.NodesV1: {
        const plen = this.u32();
        if (plen === V1_END) {
          this.endRecord = { kind: 'end', digest: this.v1Digest, digestZxid: this.zxid };
          this.state = State.Crc;
          return;
        }
        this.pos -= 4;
        const path = this.str();
        emit(this.node(path));
        return;
      }
      case State.Records: {
        const tag = this.u8();
        if (tag === TAG_NODE) {
          const path = this.str();
          emit(this.node(path));
        } else if (tag === TAG_ACL) {
          emit(this.acl());
        } else if (tag === TAG_END) {
          this.state = State.TrailerV2;
        } else {
          throw new SnapshotFormatError(`snapshot: unknown record tag ${tag} at offset ${this.consumed + this.pos - 1}`);
        }
        return;
      }
      case State.TrailerV2: {
        const digestZxid = this.i64();
        const digest = this.i64();
        this.endRecord = { kind: 'end', digest, digestZxid };
        this.state = State.Crc;
        return;
      }
      case State.Crc: {
        this.need(4);
        // Everything before the checksum word: earlier pushes plus this buffer up to here.
        const crc = crc32(this.buf.subarray(0, this.pos), this.crc) >>> 0;
        const stored = this.view.getUint32(this.pos);
        this.pos += 4;
        if (stored !== crc) throw new SnapshotFormatError('snapshot checksum mismatch');
        this.state = State.Done;
        emit(this.endRecord!);
        return;
      }
      case State.Done:
        return;
    }
  }
}

/**
 * Streams the records of a snapshot (`header`, `session`s, `acl`s and `node`s, `end` last, after
 * the checksum was verified). Node data is copied, so records may be kept.
 */
export async function* readSnapshotRecords(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<SnapshotRecord> {
  const parser = new SnapshotParser();
  const out: SnapshotRecord[] = [];
  const emit = (r: SnapshotRecord): void => {
    if (r.kind === 'node' && r.data !== null) r.data = r.data.slice();
    out.push(r);
  };
  for await (const chunk of source) {
    parser.push(chunk, emit);
    for (const r of out) yield r;
    out.length = 0;
  }
  parser.finish();
}
