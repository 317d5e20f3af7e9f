// The harness's view of jute, on top of @zk/protocol's JuteWriter / JuteReader (so strings are
// encoded the way Java's BinaryOutputArchive does). Two deliberate choices for a test oracle:
// - replies are decoded field by field, keeping null (-1) strings, buffers and vectors distinct
//   from empty ones, and any byte the record does not account for is reported;
// - requests can be written with any field value, malformed ones included.

import { JuteReader, JuteWriter, Stat as StatCodec, type ACL, type Codec, type Stat } from '@zk/protocol';

export class Writer {
  readonly jw = new JuteWriter(256);
  int(v: number): this {
    this.jw.writeInt(v | 0);
    return this;
  }
  long(v: bigint): this {
    this.jw.writeLong(BigInt.asIntN(64, v));
    return this;
  }
  bool(v: boolean): this {
    this.jw.writeBool(v);
    return this;
  }
  byte(v: number): this {
    this.jw.writeByte(v);
    return this;
  }
  /** jute buffer: int length (-1 for null) + bytes. */
  buffer(v: Uint8Array | null): this {
    this.jw.writeBuffer(v);
    return this;
  }
  /** jute ustring (Java's encoding); null is written as length -1. */
  string(v: string | null): this {
    this.jw.writeString(v);
    return this;
  }
  raw(v: Uint8Array): this {
    this.jw.writeRaw(v);
    return this;
  }
  strings(v: Array<string | null> | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    for (const s of v) this.string(s);
    return this;
  }
  acls(v: ACL[] | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    for (const a of v) this.int(a.perms).string(a.id.scheme).string(a.id.id);
    return this;
  }
  /** Any @zk/protocol record. */
  record<T>(codec: Codec<T>, v: T): this {
    codec.write(this.jw, v);
    return this;
  }
  bytes(): Buffer {
    return Buffer.from(this.jw.finish());
  }
}

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

/** Null-preserving reader over one reply body. */
export class Reader {
  private readonly jr: JuteReader;
  constructor(readonly buf: Buffer) {
    // No field-length limit of our own: report what the server sent, however large.
    this.jr = new JuteReader(buf, { maxLength: 0x7fffffff });
  }
  get pos(): number {
    return this.jr.pos;
  }
  set pos(p: number) {
    this.jr.pos = p;
  }
  get remaining(): number {
    return this.jr.remaining;
  }
  private wrap<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      throw new DecodeError((e as Error).message);
    }
  }
  int(): number {
    return this.wrap(() => this.jr.readInt());
  }
  long(): bigint {
    return this.wrap(() => this.jr.readLong());
  }
  bool(): boolean {
    return this.wrap(() => this.jr.readBool());
  }
  buffer(): Buffer | null {
    return this.wrap(() => {
      const b = this.jr.readBufferCopy();
      return b === null ? null : Buffer.from(b);
    });
  }
  string(): string | null {
    return this.wrap(() => this.jr.readNullableString());
  }
  strings(): Array<string | null> | null {
    const n = this.int();
    if (n === -1) return null;
    if (n < -1 || n > this.remaining) throw new DecodeError(`bad vector length ${n}`);
    const out: Array<string | null> = [];
    for (let i = 0; i < n; i++) out.push(this.string());
    return out;
  }
  acls(): ACL[] | null {
    const n = this.int();
    if (n === -1) return null;
    if (n < -1 || n > this.remaining) throw new DecodeError(`bad vector length ${n}`);
    const out: ACL[] = [];
    for (let i = 0; i < n; i++) {
      const perms = this.int();
      const scheme = this.string() ?? '<null>';
      const id = this.string() ?? '<null>';
      out.push({ perms, id: { scheme, id } });
    }
    return out;
  }
  stat(): Stat {
    return this.wrap(() => StatCodec.read(this.jr));
  }
}

/** A frame as it goes on the wire: int32 length + body. */
export function lengthPrefixed(body: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length);
  return Buffer.concat([len, body]);
}
