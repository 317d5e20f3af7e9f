/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-16 over little-endian
 * 32-bit loads (about 2x slicing-by-8 with byte loads on V8; recovery checksums every byte of
 * the log and of the newest snapshot, so this is on the restart path).
 * `crc32c(bytes)` gives the standard check value: crc32c("123456789") === 0xE3069283.
 */
const POLY = 0x82f63b78;
const SLICES = 16;

/** T[k * 256 + b]: the CRC of byte b followed by k zero bytes. One array keeps every lookup on one base. */
export const crc32cTables: Int32Array = (() => {
  const t = new Int32Array(256 * SLICES);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
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
})();
const T = crc32cTables;

/**
 * Continues a CRC-32C over `bytes[start, end)` read through `dv`, a DataView over exactly the
 * bytes of `bytes` (hot loops keep one per buffer instead of allocating one per call).
 */
export function crc32cView(crc: number, bytes: Uint8Array, dv: DataView, start: number, end: number): number {
  let c = ~crc;
  let i = start;
  const t = T;
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
  return ~c >>> 0;
}

/**
 * Continues a CRC-32C over `bytes[start, end)`. Start with `crc = 0`; pass the previous result
 * to checksum data arriving in pieces.
 */
export function crc32cUpdate(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (end - start < 64) {
    let c = ~crc;
    for (let i = start; i < end; i++) c = T[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
    return ~c >>> 0;
  }
  return crc32cView(crc, bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), start, end);
}

/** CRC-32C of `bytes[start, end)`. */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32cUpdate(0, bytes, start, end);
}
