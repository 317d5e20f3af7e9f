import { describe, expect, it } from 'vitest';
import { JuteDecodeError, JuteEncodeError, JuteReader, JuteWriter, defaultMaxFieldLength, isJuteDecodeError } from '../src/index.js';
import { hex, unhex } from './helpers.js';

describe('JuteWriter primitives (BinaryOutputArchive)', () => {
  it('writes big-endian two-complement ints, longs, bools', () => {
    const w = new JuteWriter(1);
    w.writeInt(1);
    w.writeInt(-1);
    w.writeInt(0x7fffffff);
    w.writeInt(-0x80000000);
    w.writeLong(0x0102030405060708n);
    w.writeLong(-2n);
    w.writeBool(true);
    w.writeBool(false);
    expect(hex(w.finish())).toBe(
      '00000001' + 'ffffffff' + '7fffffff' + '80000000' + '0102030405060708' + 'fffffffffffffffe' + '01' + '00',
    );
  });

  it('writeLongNumber matches writeLong for positive and negative safe integers', () => {
    for (const v of [0, 1, -1, 1_700_000_000_123, -1_700_000_000_123, 2 ** 32, -(2 ** 32), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
      const a = new JuteWriter();
      a.writeLongNumber(v);
      const b = new JuteWriter();
      b.writeLong(BigInt(v));
      expect(hex(a.finish())).toBe(hex(b.finish()));
      expect(new JuteReader(a.finish()).readLongNumber()).toBe(v);
    }
  });

  it('refuses values that are not jute longs', () => {
    const w = new JuteWriter();
    expect(() => w.writeLong(1n << 63n)).toThrow(JuteEncodeError);
    expect(() => w.writeLongNumber(1.5)).toThrow(JuteEncodeError);
    expect(() => w.writeLongNumber(2 ** 60)).toThrow(JuteEncodeError);
  });

  it('writes buffers and strings with int length, -1 for null', () => {
    const w = new JuteWriter(2);
    w.writeBuffer(null);
    w.writeBuffer(new Uint8Array([0xde, 0xad]));
    w.writeBuffer(new Uint8Array(0));
    w.writeString(null);
    w.writeString('/zk');
    w.writeString('');
    expect(hex(w.finish())).toBe('ffffffff' + '00000002dead' + '00000000' + 'ffffffff' + '000000032f7a6b' + '00000000');
  });

  it('writes vectors with an int count, -1 for null', () => {
    const w = new JuteWriter();
    w.writeStringVector(['a', 'bc']);
    w.writeStringVector(null);
    w.writeStringVector([]);
    expect(hex(w.finish())).toBe('00000002' + '0000000161' + '000000026263' + 'ffffffff' + '00000000');
  });

  it('grows, and is reusable after reset; view() aliases, finish() copies', () => {
    const w = new JuteWriter(16);
    const big = new Uint8Array(10_000).fill(7);
    w.writeBuffer(big);
    expect(w.length).toBe(10_004);
    expect(w.capacity).toBeGreaterThanOrEqual(10_004);
    const copy = w.finish();
    w.reset();
    w.writeInt(42);
    expect(hex(w.view())).toBe('0000002a');
    expect(copy.length).toBe(10_004);
    expect(copy[4]).toBe(7);
    const v = w.view();
    w.reset();
    w.writeInt(1);
    expect(hex(v)).toBe('00000001'); // the view aliases the internal buffer
  });
});

describe('JuteReader', () => {
  it('reads what the writer wrote', () => {
    const w = new JuteWriter();
    w.writeInt(-7);
    w.writeLong(-0x8000000000000000n);
    w.writeBool(true);
    w.writeBuffer(new Uint8Array([1, 2, 3]));
    w.writeBuffer(null);
    w.writeString('héllo');
    w.writeString(null);
    w.writeStringVector(['x', 'y']);
    const r = new JuteReader(w.finish());
    expect(r.readInt()).toBe(-7);
    expect(r.readLong()).toBe(-0x8000000000000000n);
    expect(r.readBool()).toBe(true);
    expect(Array.from(r.readBuffer()!)).toEqual([1, 2, 3]);
    expect(r.readBuffer()).toBeNull();
    expect(r.readString()).toBe('héllo');
    expect(r.readNullableString()).toBeNull();
    expect(r.readStringVector()).toEqual(['x', 'y']);
    expect(r.atEnd).toBe(true);
  });

  it('treats any non-zero byte as true (DataInput.readBoolean)', () => {
    expect(new JuteReader(unhex('7f')).readBool()).toBe(true);
  });

  it('returns buffers as views of the input and copies on request', () => {
    const bytes = unhex('00000002abcd');
    const view = new JuteReader(bytes).readBuffer()!;
    expect(view.buffer).toBe(bytes.buffer);
    const copy = new JuteReader(bytes).readBufferCopy()!;
    expect(copy.buffer).not.toBe(bytes.buffer);
    expect(hex(copy)).toBe('abcd');
  });

  it('respects byteOffset of a subarray input', () => {
    const outer = unhex('ffff' + '00000005' + 'ffff');
    const r = new JuteReader(outer.subarray(2, 6));
    expect(r.readInt()).toBe(5);
  });

  it('reset() re-targets the reader', () => {
    const r = new JuteReader();
    r.reset(unhex('0000000100000002'), 4);
    expect(r.readInt()).toBe(2);
  });

  it('reads a negative vector count other than -1 as an empty vector, as BinaryInputArchive does', () => {
    const r = new JuteReader(unhex('fffffffd00000007'));
    expect(r.readStringVector('X.v')).toEqual([]);
    expect(r.readInt()).toBe(7);
  });

  const bad: Array<[string, string, (r: JuteReader) => unknown, RegExp]> = [
    ['int underflow', '000000', (r) => r.readInt('X.int'), /need 4 bytes, have 3.*X\.int/],
    ['long underflow', '00000000000000', (r) => r.readLong('X.long'), /X\.long/],
    ['bool underflow', '', (r) => r.readBool('X.flag'), /X\.flag/],
    ['buffer body underflow', '00000005abcd', (r) => r.readBuffer('X.data'), /need 5 bytes, have 2.*X\.data/],
    ['negative buffer length', 'fffffffe', (r) => r.readBuffer('X.data'), /negative length -2/],
    ['negative string length', '80000000', (r) => r.readString('X.path'), /negative length/],
    ['string over the limit', '7fffffff', (r) => r.readString('X.path'), /unreasonable length 2147483647/],
    ['vector count larger than the input', '0fffffff00000000', (r) => r.readStringVector('X.v'), /vector length 268435455/],
    ['vector element underflow', '0000000100000009', (r) => r.readStringVector('X.v'), /X\.v/],
  ];
  for (const [name, input, fn, msg] of bad) {
    it(`throws JuteDecodeError on ${name}`, () => {
      const r = new JuteReader(unhex(input));
      let caught: unknown;
      try {
        fn(r);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(JuteDecodeError);
      expect(isJuteDecodeError(caught)).toBe(true);
      expect((caught as Error).message).toMatch(msg);
    });
  }

  it('enforces a configured maximum length, inclusive', () => {
    const w = new JuteWriter();
    w.writeBuffer(new Uint8Array(10));
    expect(new JuteReader(w.finish(), { maxLength: 10 }).readBuffer()!.length).toBe(10);
    expect(() => new JuteReader(w.finish(), { maxLength: 9 }).readBuffer()).toThrow(/unreasonable length 10 \(limit 9\)/);
  });

  it('defaults the field limit to jute.maxbuffer + extrasize (= 2 x 0xfffff)', () => {
    expect(defaultMaxFieldLength()).toBe(2 * 0xfffff);
    expect(defaultMaxFieldLength(4096, 10)).toBe(4096 + 1024);
    expect(new JuteReader().maxLength).toBe(2 * 0xfffff);
  });
});

describe('null strings', () => {
  it('reads a null ustring as an empty string and counts it until the next reset', () => {
    const r = new JuteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0x61]));
    expect(r.readString('a')).toBe('');
    expect(r.readString('b')).toBe('a');
    expect(r.nullStrings).toBe(1);
    r.reset(new Uint8Array([0, 0, 0, 0]));
    expect(r.readString('c')).toBe('');
    expect(r.nullStrings).toBe(0);
  });
});
