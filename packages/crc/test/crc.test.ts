import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  CRC32_TABLES,
  CRC32C_TABLES,
  acquireWasmCrc,
  crc32,
  crc32Update,
  crc32c,
  crc32cUpdate,
  crcFinish,
  crcRun,
  crcTables,
  crcUpdate,
  createWasmCrc,
  releaseWasmCrc,
} from '../src/index.js';

const POLYS = [
  { name: 'CRC32', poly: 0xedb88320, tables: CRC32_TABLES },
  { name: 'CRC-32C', poly: 0x82f63b78, tables: CRC32C_TABLES },
] as const;

/** Bit-at-a-time reference, to check the sliced tables. */
function reference(poly: number, bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
  }
  return ~c >>> 0;
}

/** A tiny deterministic PRNG. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('check values', () => {
  it('CRC32 matches zlib and java.util.zip.CRC32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('CRC-32C matches the standard check value and RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('crcTables builds the ready-made tables', () => {
    expect(crcTables(0xedb88320)).toEqual(CRC32_TABLES);
    expect(crcTables(0x82f63b78)).toEqual(CRC32C_TABLES);
    expect(CRC32_TABLES.length).toBe(16 * 256);
  });
});

describe.each(POLYS)('$name in JS', ({ poly, tables }) => {
  it('agrees with the bitwise reference for every length up to 300 at offsets 0..16, on either side of the DataView cutoff', () => {
    const data = randomBytes(400, poly);
    const dv = view(data);
    for (let start = 0; start <= 16; start++) {
      for (let len = 0; len <= 300; len++) {
        const expected = reference(poly, data.subarray(start, start + len));
        expect(crcUpdate(tables, 0, data, start, start + len)).toBe(expected);
        expect(crcFinish(crcRun(tables, -1, data, dv, start, start + len))).toBe(expected);
      }
    }
  });

  it('works on a view into a larger buffer (byteOffset not 0)', () => {
    const big = randomBytes(5000, 7);
    const part = big.subarray(13, 4013);
    expect(crcUpdate(tables, 0, part)).toBe(reference(poly, part));
    expect(crcUpdate(tables, 0, part, 100, 3001)).toBe(reference(poly, part.subarray(100, 3001)));
  });

  it('chained in pieces equals one pass, for finished values and for inverted runs', () => {
    const data = randomBytes(100_000, 11);
    const dv = view(data);
    const whole = crcUpdate(tables, 0, data);
    expect(whole).toBe(reference(poly, data));
    const r = rng(3);
    let finished = 0;
    let run = -1;
    for (let at = 0; at < data.length; ) {
      const n = Math.min(data.length - at, Math.floor(r() * 300));
      finished = crcUpdate(tables, finished, data.subarray(at, at + n));
      run = crcRun(tables, run, data, dv, at, at + n);
      at += n;
    }
    expect(finished).toBe(whole);
    expect(crcFinish(run)).toBe(whole);
  });
});

describe('ready-made functions', () => {
  it('crc32 and crc32Update agree with zlib on random buffers and pieces', () => {
    const data = randomBytes(70_000, 5);
    for (const [s, e] of [[0, 0], [3, 40], [1, 1000], [0, 70_000], [17, 65_553]] as const) {
      expect(crc32(data, s, e)).toBe(zlibCrc32(data.subarray(s, e)) >>> 0);
    }
    let c = 0;
    for (let at = 0; at < data.length; at += 77) c = crc32Update(c, data, at, Math.min(at + 77, data.length));
    expect(c).toBe(zlibCrc32(data) >>> 0);
  });

  it('crc32cUpdate continues across pieces', () => {
    const data = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    let c = 0;
    for (let at = 0; at < data.length; at += 77) c = crc32cUpdate(c, data.subarray(at, Math.min(at + 77, data.length)));
    expect(c).toBe(crc32c(data));
    expect(c).toBe(reference(0x82f63b78, data));
  });
});

describe.each(POLYS)('$name in WebAssembly', ({ tables }) => {
  it('agrees with the JS code for every length up to 300 at offsets 0..16, and for large buffers', () => {
    const data = randomBytes(1 << 20, 99);
    const wasm = createWasmCrc(tables, data.length)!;
    expect(wasm).toBeDefined();
    wasm.window.set(data);
    for (let start = 0; start <= 16; start++) {
      for (let len = 0; len <= 300; len++) {
        expect(wasm.update(0, start, start + len)).toBe(crcUpdate(tables, 0, data, start, start + len));
      }
    }
    const r = rng(42);
    for (let k = 0; k < 50; k++) {
      const start = Math.floor(r() * 1000);
      const end = start + Math.floor(r() * (data.length - start));
      expect(wasm.update(0, start, end)).toBe(crcUpdate(tables, 0, data, start, end));
    }
  });

  it('chains across pieces and with the JS code', () => {
    const data = randomBytes(10_000, 17);
    const wasm = createWasmCrc(tables, data.length)!;
    wasm.window.set(data);
    const whole = crcUpdate(tables, 0, data);
    expect(wasm.update(wasm.update(0, 0, 33), 33, data.length)).toBe(whole);
    // WASM, then JS, then WASM over consecutive ranges.
    let c = wasm.update(0, 0, 4000);
    c = crcUpdate(tables, c, data, 4000, 7001);
    expect(wasm.update(c, 7001, data.length)).toBe(whole);
  });

  it('grows its window on demand and still checksums in it', () => {
    const wasm = createWasmCrc(tables, 10)!;
    const first = wasm.window;
    expect(first.length).toBeGreaterThanOrEqual(10);
    expect(wasm.ensure(first.length)).toBe(first); // big enough: unchanged
    const n = first.length + 3 * 65536 + 5;
    const grown = wasm.ensure(n);
    expect(grown).toBe(wasm.window);
    expect(grown.length).toBeGreaterThanOrEqual(n);
    const data = randomBytes(n, 23);
    grown.set(data);
    expect(wasm.update(0, 0, n)).toBe(crcUpdate(tables, 0, data));
    expect(wasm.update(0, n - 200, n)).toBe(crcUpdate(tables, 0, data, n - 200, n));
  });
});

describe('WebAssembly pool', () => {
  it('hands a released instance back for the same tables only, with a window at least as asked', () => {
    const a = acquireWasmCrc(CRC32C_TABLES, 1000)!;
    releaseWasmCrc(a);
    const other = acquireWasmCrc(CRC32_TABLES, 1000)!;
    expect(other).not.toBe(a);
    expect(other.tables).toBe(CRC32_TABLES);
    const again = acquireWasmCrc(CRC32C_TABLES, 200_000)!;
    expect(again).toBe(a);
    expect(again.window.length).toBeGreaterThanOrEqual(200_000);
    const data = randomBytes(1000, 1);
    again.window.set(data);
    other.window.set(data);
    expect(again.update(0, 0, 1000)).toBe(crc32c(data));
    expect(other.update(0, 0, 1000)).toBe(crc32(data));
    releaseWasmCrc(again);
    releaseWasmCrc(other);
  });

  it('keeps no instance with a window over 16 MiB', () => {
    const big = acquireWasmCrc(CRC32C_TABLES, (16 << 20) + 1)!;
    releaseWasmCrc(big);
    const next = acquireWasmCrc(CRC32C_TABLES, 10)!;
    expect(next).not.toBe(big);
    releaseWasmCrc(next);
  });
});
