// The wire vocabulary the harness uses: jute writer/reader, request encoders and reply decoders.
// TEMPORARY local implementation until @zk/protocol's codecs are published; the shapes follow
// @zk/protocol's types so the switch is a matter of re-exporting.

import type { ACL, Stat } from '@zk/protocol';

export class Writer {
  private buf = Buffer.alloc(256);
  private pos = 0;
  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  int(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }
  long(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigInt64BE(BigInt.asIntN(64, v), this.pos);
    this.pos += 8;
    return this;
  }
  bool(v: boolean): this {
    this.ensure(1);
    this.buf.writeUInt8(v ? 1 : 0, this.pos);
    this.pos += 1;
    return this;
  }
  byte(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }
  /** jute buffer: int length (-1 for null) + bytes. */
  buffer(v: Uint8Array | null): this {
    if (v === null) return this.int(-1);
    this.int(v.length);
    this.raw(v);
    return this;
  }
  /** jute ustring: int length (-1 for null) + UTF-8 bytes. */
  string(v: string | null): this {
    if (v === null) return this.int(-1);
    return this.buffer(Buffer.from(v, 'utf8'));
  }
  raw(v: Uint8Array): this {
    this.ensure(v.length);
    this.buf.set(v, this.pos);
    this.pos += v.length;
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
  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number, what: string): void {
    if (this.pos + n > this.buf.length) throw new DecodeError(`short read: ${what} needs ${n} bytes at ${this.pos}, have ${this.remaining}`);
  }
  int(): number {
    this.need(4, 'int');
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  long(): bigint {
    this.need(8, 'long');
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  bool(): boolean {
    this.need(1, 'boolean');
    const v = this.buf.readUInt8(this.pos);
    this.pos += 1;
    return v !== 0;
  }
  buffer(): Buffer | null {
    const n = this.int();
    if (n < 0) return null;
    this.need(n, 'buffer body');
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return Buffer.from(v);
  }
  string(): string | null {
    const b = this.buffer();
    return b === null ? null : b.toString('utf8');
  }
  strings(): string[] | null {
    const n = this.int();
    if (n < 0) return null;
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.string() ?? '<null>');
    return out;
  }
  acls(): ACL[] | null {
    const n = this.int();
    if (n < 0) return null;
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
    return {
      czxid: this.long(),
      mzxid: this.long(),
      ctime: Number(this.long()),
      mtime: Number(this.long()),
      version: this.int(),
      cversion: this.int(),
      aversion: this.int(),
      ephemeralOwner: this.long(),
      dataLength: this.int(),
      numChildren: this.int(),
      pzxid: this.long(),
    };
  }
}
