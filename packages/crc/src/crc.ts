/**
 * Reflected 32-bit CRCs, slicing-by-16 over little-endian 32-bit loads (about 2x slicing-by-8
 * with byte loads on V8). One loop serves every polynomial: the tables are a parameter, and all
 * of them are Int32Arrays, so the loop's element loads stay monomorphic.
 */
const SLICES = 16;

/**
 * The slicing tables of the reflected polynomial `poly`: T[k * 256 + b] is the CRC of byte b
 * followed by k zero bytes. One array keeps every lookup on one base (and is what the
 * WebAssembly module expects at its memory offset 0).
 */
export function crcTables(poly: number): Int32Array {
  const t = new Int32Array(256 * SLICES);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < SLICES; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}

/** java.util.zip.CRC32 and zlib's crc32 (IEEE 802.3, reflected 0xEDB88320). */
export const CRC32_TABLES: Int32Array = crcTables(0xedb88320);
/** CRC-32C (Castagnoli, reflected 0x82F63B78). */
export const CRC32C_TABLES: Int32Array = crcTables(0x82f63b78);

/**
 * Continues a CRC over `bytes[start, end)` with tables `t`; `dv` is a DataView over exactly
 * `bytes` (hot loops keep one per buffer instead of allocating one per call). The running value
 * is kept inverted (start from -1, finish with `crcFinish`) so that pieces chain without
 * re-inverting: crcFinish(crcRun(t, crcRun(t, -1, a...), b...)).
 */
export function crcRun(t: Int32Array, c: number, bytes: Uint8Array, dv: DataView, start: number, end: number): number {
  let i = start;
  const fast = end - ((end - i) & 15);
  while (i < fast) {
    const a = c ^ dv.getInt32(i, true);
    const b = dv.getInt32(i + 4, true);
    const d = dv.getInt32(i + 8, true);
    const e = dv.getInt32(i + 12, true);
    c =
      t[3840 + (a & 0xff)]! ^
      t[3584 + ((a >>> 8) & 0xff)]! ^
      t[3328 + ((a >>> 16) & 0xff)]! ^
      t[3072 + (a >>> 24)]! ^
      t[2816 + (b & 0xff)]! ^
      t[2560 + ((b >>> 8) & 0xff)]! ^
      t[2304 + ((b >>> 16) & 0xff)]! ^
      t[2048 + (b >>> 24)]! ^
      t[1792 + (d & 0xff)]! ^
      t[1536 + ((d >>> 8) & 0xff)]! ^
      t[1280 + ((d >>> 16) & 0xff)]! ^
      t[1024 + (d >>> 24)]! ^
      t[768 + (e & 0xff)]! ^
      t[512 + ((e >>> 8) & 0xff)]! ^
      t[256 + ((e >>> 16) & 0xff)]! ^
      t[e >>> 24]!;
    i += 16;
  }
  while (i < end) c = t[(c ^ bytes[i++]!) & 0xff]! ^ (c >>> 8);
  return c;
}

/** Ends a `crcRun`: the unsigned 32-bit CRC. */
export function crcFinish(c: number): number {
  return ~c >>> 0;
}

/**
 * Continues a finished CRC (zlib-style: start with 0, pass the previous result to checksum data
 * arriving in pieces) over `bytes[start, end)` with tables `t`.
 */
export function crcUpdate(t: Int32Array, crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  // Below 64 bytes a DataView costs more than it saves.
  if (end - start < 64) {
    let c = ~crc;
    for (let i = start; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    return ~c >>> 0;
  }
  return ~crcRun(t, ~crc, bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), start, end) >>> 0;
}

/** CRC32 of `bytes[start, end)`: crc32("123456789") === 0xCBF43926. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crcUpdate(CRC32_TABLES, 0, bytes, start, end);
}

/** Continues a CRC32 (start with 0) over `bytes[start, end)`. */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crcUpdate(CRC32_TABLES, crc, bytes, start, end);
}

/** CRC-32C of `bytes[start, end)`: crc32c("123456789") === 0xE3069283. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crcUpdate(CRC32C_TABLES, 0, bytes, start, end);
}

/** Continues a CRC-32C (start with 0) over `bytes[start, end)`. */
export function crc32cUpdate(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crcUpdate(CRC32C_TABLES, crc, bytes, start, end);
}
