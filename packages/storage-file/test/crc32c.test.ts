import { describe, expect, it } from 'vitest';
import { crc32c, crc32cUpdate } from '../src/crc32c.js';

/** Bit-at-a-time reference, to check the sliced tables. */
function reference(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value and RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('agrees with a bitwise reference for every length and offset up to 40', () => {
    const data = Uint8Array.from({ length: 80 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let start = 0; start < 8; start++) {
      for (let len = 0; len <= 40; len++) {
        expect(crc32c(data, start, start + len)).toBe(reference(data.subarray(start, start + len)));
      }
    }
  });

  it('continues across pieces', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    let c = 0;
    for (let at = 0; at < data.length; at += 77) c = crc32cUpdate(c, data.subarray(at, Math.min(at + 77, data.length)));
    expect(c).toBe(crc32c(data));
    expect(c).toBe(reference(data));
  });
});
