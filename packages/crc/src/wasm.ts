/**
 * A reflected CRC in WebAssembly over a buffer in the instance's own memory: about twice the JS
 * slicing-by-16 (no bounds checks on the table lookups). Readers put the bytes straight into
 * `window` (a file read, a parser's working buffer) and checksum them there, without a copy.
 *
 * The module is `scripts/gen-crc-wasm.py`: slicing-by-16 over i32 loads, the 16 lookup tables at
 * memory offset 0, written from the JS tables at instantiation, so one module serves every
 * polynomial. Each WasmCrc has its own instance and memory, so concurrent users never share a
 * window. Where WebAssembly is unavailable, `createWasmCrc` / `acquireWasmCrc` return undefined
 * and callers use the JS code.
 */
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

export class WasmCrc {
  /** Where to put the bytes to checksum (a view of the instance's memory; replaced by `ensure`). */
  window: Uint8Array;
  private readonly fn: (crc: number, at: number, n: number) => number;
  private readonly memory: WasmMemory;

  /** `tables` as made by `crcTables` (e.g. CRC32_TABLES, CRC32C_TABLES). */
  constructor(
    mod: WasmModule,
    readonly tables: Int32Array,
    windowBytes: number,
  ) {
    const instance = new wasmApi!.Instance(mod, {});
    const exports = instance.exports as { crc: (c: number, p: number, n: number) => number; mem: WasmMemory };
    this.fn = exports.crc;
    this.memory = exports.mem;
    new Int32Array(this.memory.buffer, 0, tables.length).set(tables);
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

  /** Continues a finished CRC (zlib-style: start with 0) over `window[start, end)`. */
  update(crc: number, start: number, end: number): number {
    return this.fn(crc, WINDOW_AT + start, end - start) >>> 0;
  }
}

/** A WebAssembly CRC with `tables` and a window of at least `windowBytes`, or undefined. */
export function createWasmCrc(tables: Int32Array, windowBytes: number): WasmCrc | undefined {
  const mod = module();
  return mod === null ? undefined : new WasmCrc(mod, tables, windowBytes);
}

/** Released instances by tables, a couple each: a fresh instance costs a memory and a table fill. */
const idle = new Map<Int32Array, WasmCrc[]>();

/**
 * Like `createWasmCrc`, from a small pool: give it back with `releaseWasmCrc`. Suits readers
 * that each need one for a short while (a file scan).
 */
export function acquireWasmCrc(tables: Int32Array, windowBytes: number): WasmCrc | undefined {
  const pooled = idle.get(tables)?.pop();
  if (pooled !== undefined) {
    pooled.ensure(windowBytes);
    return pooled;
  }
  return createWasmCrc(tables, windowBytes);
}

/** Returns a WasmCrc to the pool (the caller must not use it or its window afterwards). */
export function releaseWasmCrc(w: WasmCrc): void {
  let list = idle.get(w.tables);
  if (list === undefined) idle.set(w.tables, (list = []));
  // Two per tables cover the concurrent readers seen in practice; a big window is not kept.
  if (list.length < 2 && w.window.length <= 16 << 20) list.push(w);
}
