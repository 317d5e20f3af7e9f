/**
 * CRC-32C in WebAssembly over a buffer of its own memory: about twice the JS slicing-by-16
 * (no bounds checks on the table lookups). Readers that scan a whole file (the log at open, a
 * snapshot's checksum) read straight into `window` and checksum it there, without a copy.
 *
 * The module is `scripts/gen-crc-wasm.py` (slicing-by-16 over i32 loads; the 16 lookup tables
 * at memory offset 0, written from the JS tables at instantiation). Each WasmCrc32c has its own
 * instance and memory, so concurrent readers never share a window. Where WebAssembly is not
 * available, `createWasmCrc32c` returns undefined and callers use the JS code.
 */
import { crc32cTables } from './crc32c.js';

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

export class WasmCrc32c {
  /** Where to put the bytes to checksum (a view of the instance's memory; replaced by `ensure`). */
  window: Uint8Array;
  private readonly fn: (crc: number, at: number, n: number) => number;
  private readonly memory: WasmMemory;

  constructor(mod: WasmModule, windowBytes: number) {
    const instance = new wasmApi!.Instance(mod, {});
    const exports = instance.exports as { crc: (c: number, p: number, n: number) => number; mem: WasmMemory };
    this.fn = exports.crc;
    this.memory = exports.mem;
    new Int32Array(this.memory.buffer, 0, crc32cTables.length).set(crc32cTables);
    this.window = new Uint8Array(0);
    this.ensure(windowBytes);
  }

  /** Makes the window at least `n` bytes (growing the memory replaces `window`). */
  ensure(n: number): Uint8Array {
    if (this.window.length >= n) return this.window;
    const need = Math.ceil((WINDOW_AT + n) / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (need > have) this.memory.grow(need - have);
    this.window = new Uint8Array(this.memory.buffer, WINDOW_AT, this.memory.buffer.byteLength - WINDOW_AT);
    return this.window;
  }

  /** Continues a CRC-32C over `window[start, end)`. */
  update(crc: number, start: number, end: number): number {
    return this.fn(crc, WINDOW_AT + start, end - start) >>> 0;
  }
}

const idle: WasmCrc32c[] = [];

/**
 * A WebAssembly CRC-32C with a window of at least `windowBytes` (from a small pool: give it back
 * with `releaseWasmCrc32c`), or undefined where WebAssembly is unavailable.
 */
export function acquireWasmCrc32c(windowBytes: number): WasmCrc32c | undefined {
  const pooled = idle.pop();
  if (pooled !== undefined) {
    pooled.ensure(windowBytes);
    return pooled;
  }
  const mod = module();
  return mod === null ? undefined : new WasmCrc32c(mod, windowBytes);
}

/** Returns a WasmCrc32c to the pool (the caller must not use it or its window afterwards). */
export function releaseWasmCrc32c(w: WasmCrc32c): void {
  if (idle.length < 2 && w.window.length <= 16 << 20) idle.push(w);
}
