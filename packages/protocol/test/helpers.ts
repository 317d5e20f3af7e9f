import { JuteReader, JuteWriter, type Codec } from '../src/index.js';

export const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/[\s_|]/g, ''), 'hex'));
export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));

export function encode<V>(codec: Codec<V>, v: V): Uint8Array {
  const w = new JuteWriter(8);
  codec.write(w, v);
  return w.finish();
}

export function decode<V>(codec: Codec<V>, bytes: Uint8Array): V {
  const r = new JuteReader(bytes);
  const v = codec.read(r);
  r.expectEnd(codec.name);
  return v;
}

/** Normalises Uint8Array subclasses / views so toEqual compares contents only. */
export function plain<V>(v: V): V {
  if (v instanceof Uint8Array) return Uint8Array.from(v) as V;
  if (Array.isArray(v)) return v.map(plain) as V;
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out as V;
  }
  return v;
}

export const STAT = {
  czxid: 0x100000001n,
  mzxid: 0x100000002n,
  ctime: 1_700_000_000_123,
  mtime: 1_700_000_000_456,
  version: 3,
  cversion: -1,
  aversion: 0,
  ephemeralOwner: -0x8000000000000000n,
  dataLength: 5,
  numChildren: 2,
  pzxid: 0x7fffffffffffffffn,
};
