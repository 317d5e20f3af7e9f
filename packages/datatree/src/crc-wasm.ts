/**
 * CRC32 (java.util.zip.CRC32's polynomial) in WebAssembly over a buffer in its own memory: about
 * twice the JS slicing-by-16. The snapshot parser keeps its working buffer in `window`, so node
 * digests are computed where the snapshot bytes already are.
 *
 * The module is the one of @zk/storage-file's `scripts/gen-crc-wasm.py` (reflected CRC,
 * slicing-by-16; the 16 lookup tables at memory offset 0 are written here, for CRC32). Each
 * instance has its own memory. Where WebAssembly is unavailable, `createWasmCrc32` returns
 * undefined and callers use the JS code in digest.ts.
 */
import { crc32Tables } from './digest.js';

const MODULE_BASE64 =
  'AGFzbQEAAAABCAFgA39/fwF/AwIBAAUDAQABBw0CA2NyYwAAA21lbQIACv0CAfoCAQZ/IABBf3MhACABIAJqIQMgAyACQQ9xayEEAkADQCABIARPDQEgASgCACAAcyEFIAEoAgQhBiABKAIIIQcgASgCDCEIIAVB/wFxQQJ0KAKAeCAFQQh2Qf8BcUECdCgCgHBzIAVBEHZB/wFxQQJ0KAKAaHMgBUEYdkECdCgCgGBzIAZB/wFxQQJ0KAKAWHMgBkEIdkH/AXFBAnQoAoBQcyAGQRB2Qf8BcUECdCgCgEhzIAZBGHZBAnQoAoBAcyAHQf8BcUECdCgCgDhzIAdBCHZB/wFxQQJ0KAKAMHMgB0EQdkH/AXFBAnQoAoAocyAHQRh2QQJ0KAKAIHMgCEH/AXFBAnQoAoAYcyAIQQh2Qf8BcUECdCgCgBBzIAhBEHZB/wFxQQJ0KAKACHMgCEEYdkECdCgCAHMhACABQRBqIQEMAAsLAkADQCABIANPDQEgACABLQAAc0H/AXFBAnQoAgAgAEEIdnMhACABQQFqIQEMAAsLIABBf3ML';

// The little of the WebAssembly API used here (the project's TypeScript lib has no DOM types).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly kind?: never;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (mod: WasmModule, imports: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes before the window: the tables (16 KiB), padded to a page. */
const WINDOW_AT = 65536;
const PAGE = 65536;

let compiled: WasmModule | null | undefined;

function module(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi !== undefined ? new wasmApi.Module(Buffer.from(MODULE_BASE64, 'base64')) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

export class WasmCrc32 {
  /** The buffer to checksum in (a view of the instance's memory; `ensure` may replace it). */
  window: Uint8Array;
  private readonly fn: (crc: number, at: number, n: number) => number;
  private readonly memory: WasmMemory;

  constructor(mod: WasmModule, windowBytes: number) {
    const instance = new wasmApi!.Instance(mod, {});
    const exports = instance.exports as { crc: (c: number, p: number, n: number) => number; mem: WasmMemory };
    this.fn = exports.crc;
    this.memory = exports.mem;
    new Int32Array(this.memory.buffer, 0, crc32Tables.length).set(crc32Tables);
    this.window = new Uint8Array(0);
    this.ensure(windowBytes);
  }

  /** Makes the window at least `n` bytes; growing detaches every earlier view of it. */
  ensure(n: number): Uint8Array {
    if (this.window.length >= n) return this.window;
    const need = Math.ceil((WINDOW_AT + n) / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (need > have) this.memory.grow(need - have);
    this.window = new Uint8Array(this.memory.buffer, WINDOW_AT, this.memory.buffer.byteLength - WINDOW_AT);
    return this.window;
  }

  /** Continues a CRC32 (as zlib's crc32(crc, bytes)) over `window[start, start + n)`. */
  update(crc: number, start: number, n: number): number {
    return this.fn(crc, WINDOW_AT + start, n) >>> 0;
  }
}

/** A WebAssembly CRC32 with a window of at least `windowBytes`, or undefined. */
export function createWasmCrc32(windowBytes: number): WasmCrc32 | undefined {
  const mod = module();
  return mod === null ? undefined : new WasmCrc32(mod, windowBytes);
}
