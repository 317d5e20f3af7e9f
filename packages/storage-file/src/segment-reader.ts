import { acquireWasmCrc, CRC32C_TABLES, crc32c, crcFinish, crcRun, releaseWasmCrc, type WasmCrc } from '@zk/crc';
import type { Zxid } from '@zk/zxid';
import type { FileWindow } from './file-window.js';
import { type FileHandle, readFully } from './fs.js';
import { FRAME_HEADER_SIZE, MAX_RECORD_SIZE } from './log-format.js';

export type FrameResult =
  | { readonly kind: 'record'; readonly zxid: Zxid; readonly size: number; readonly payload: Uint8Array }
  | { readonly kind: 'end' }
  | { readonly kind: 'bad'; readonly reason: string };

/** {@link FrameReader.parse} outcomes (a negative result asks for that many bytes to be loaded first). */
export const FRAME_RECORD = 0;
export const FRAME_END = 1;
export const FRAME_BAD = 2;

/** Bytes a FrameReader loads at once: a few syscalls per segment, no promise per record. */
export const READ_WINDOW = 4 << 20;

function zxidOf(hi: number, lo: number): Zxid {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/**
 * Sequential reader of the frames of one segment: loads large windows of the file and checks
 * the frames inside a window synchronously (length, CRC, zxid order), so a scan costs a few
 * reads per segment instead of promises per record. Zxids are compared as two 32-bit halves;
 * a BigInt is only made when asked for (`zxid`).
 *
 * With `fresh`, every window is a new buffer that is never written again, so payload views
 * (`payload()`) may be handed to callers who keep them; otherwise the window is reused.
 */
export class FrameReader {
  private buf: Uint8Array = new Uint8Array(0);
  private dv: DataView = new DataView(this.buf.buffer);
  private winStart = 0;
  private winEnd = 0;
  /** Set by a FRAME_RECORD parse: the frame's zxid halves, size and payload offset in the window. */
  zxidHi = 0;
  zxidLo = 0;
  frameSize = 0;
  private payloadAt = 0;
  /** Set by a FRAME_BAD parse. */
  reason = '';

  /**
   * Windows are read into the window of a WebAssembly CRC and checksummed there; a fresh reader
   * then copies each window out to a new buffer (a memcpy, still far cheaper than a JS CRC).
   */
  private wasm: WasmCrc | undefined;

  constructor(
    private readonly handle: FileHandle,
    /** Bytes of the file that may be read (the end of data for a reader of known records). */
    readonly size: number,
    private readonly fresh = false,
    private readonly window = READ_WINDOW,
  ) {
    this.wasm = acquireWasmCrc(CRC32C_TABLES, Math.min(window, Math.max(size, 0)));
  }

  /** Gives back the WebAssembly window (the reader must not be used afterwards). */
  release(): void {
    if (this.wasm !== undefined) releaseWasmCrc(this.wasm);
    this.wasm = undefined;
    this.buf = new Uint8Array(0);
    this.dv = new DataView(this.buf.buffer);
    this.winStart = 0;
    this.winEnd = 0;
  }

  /** The last parsed record's zxid. */
  get zxid(): Zxid {
    const hi = this.zxidHi;
    // Below 2^53 a double holds it exactly: one BigInt instead of three.
    return hi < 0x200000 ? BigInt(hi * 4294967296 + this.zxidLo) : zxidOf(hi, this.zxidLo);
  }

  /** The last parsed record's payload, a view into the window (see `fresh`). */
  payload(): Uint8Array {
    const start = this.payloadAt;
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset + start, this.frameSize - FRAME_HEADER_SIZE);
  }

  /**
   * Parses the frame at file offset `at`, which must follow the zxid `prevHi:prevLo`. Returns
   * FRAME_RECORD, FRAME_END (a zero length word or the end of the file), FRAME_BAD (see
   * `reason`), or -n when n bytes at `at` must be loaded first (`load`).
   */
  parse(at: number, prevHi: number, prevLo: number): number {
    const left = this.size - at;
    if (left <= 0) return FRAME_END;
    const p = at - this.winStart;
    if (left < 4) {
      if (p < 0 || at + left > this.winEnd) return -left;
      for (let i = 0; i < left; i++) {
        if (this.buf[p + i] !== 0) {
          this.reason = 'partial frame length';
          return FRAME_BAD;
        }
      }
      return FRAME_END;
    }
    if (p < 0 || at + 4 > this.winEnd) return -Math.min(left, FRAME_HEADER_SIZE);
    const dv = this.dv;
    const length = dv.getUint32(p);
    if (length === 0) return FRAME_END;
    if (length < 8 || length - 8 > MAX_RECORD_SIZE) {
      this.reason = `implausible frame length ${length}`;
      return FRAME_BAD;
    }
    const size = 8 + length;
    if (size > left) {
      this.reason = `frame of ${size} bytes runs past the end of the file`;
      return FRAME_BAD;
    }
    if (at + size > this.winEnd) return -size;
    const crc = this.wasm !== undefined ? this.wasm.update(0, p + 8, p + size) : crcFinish(crcRun(CRC32C_TABLES, -1, this.buf, dv, p + 8, p + size));
    if (dv.getUint32(p + 4) !== crc) {
      this.reason = 'checksum mismatch';
      return FRAME_BAD;
    }
    const hi = dv.getUint32(p + 8);
    const lo = dv.getUint32(p + 12);
    if (hi < prevHi || (hi === prevHi && lo <= prevLo)) {
      this.reason = `zxid 0x${zxidOf(hi, lo).toString(16)} does not follow 0x${zxidOf(prevHi, prevLo).toString(16)}`;
      return FRAME_BAD;
    }
    this.zxidHi = hi;
    this.zxidLo = lo;
    this.frameSize = size;
    this.payloadAt = p + FRAME_HEADER_SIZE;
    return FRAME_RECORD;
  }

  /** Loads a window starting at `at` holding at least `n` bytes (fewer only at the end of `size`). */
  async load(at: number, n: number): Promise<void> {
    const want = Math.min(Math.max(this.window, n), this.size - at);
    if (this.wasm !== undefined && this.fresh) {
      const w = this.wasm.ensure(want);
      const got = await readFully(this.handle, w, 0, want, at);
      this.buf = w.slice(0, got);
      this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      this.winStart = at;
      this.winEnd = at + got;
      if (got < n) throw Object.assign(new Error(`file shrank while reading at ${at}`), { code: 'EIO' });
      return;
    }
    if (this.wasm !== undefined) {
      if (this.buf.length < want || this.buf.buffer !== this.wasm.window.buffer) {
        this.buf = this.wasm.ensure(want);
        this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      }
    } else if (this.fresh || this.buf.length < want) {
      this.buf = new Uint8Array(this.fresh ? want : Math.max(want, this.window));
      this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    }
    const got = await readFully(this.handle, this.buf, 0, want, at);
    this.winStart = at;
    this.winEnd = at + got;
    if (got < n) throw Object.assign(new Error(`file shrank while reading at ${at}`), { code: 'EIO' });
  }

  /** `parse`, loading first when needed. */
  async next(at: number, prevHi: number, prevLo: number): Promise<number> {
    const r = this.parse(at, prevHi, prevLo);
    if (r >= 0) return r;
    await this.load(at, -r);
    return this.parse(at, prevHi, prevLo);
  }
}

/** The two 32-bit halves of a zxid, for {@link FrameReader.parse}. */
export function zxidHalves(z: Zxid): [hi: number, lo: number] {
  return [Number(z >> 32n), Number(z & 0xffffffffn)];
}

/**
 * Reads the frame at `at` through a FileWindow (the error path: the search for a valid frame
 * after a bad one). `end` means a zero length word or the end of the file; anything else that is
 * not a well-formed frame with a zxid above `prevZxid` is `bad`. The payload is a view into the window.
 */
export async function readFrame(win: FileWindow, at: number, prevZxid: Zxid): Promise<FrameResult> {
  const left = win.size - at;
  if (left === 0) return { kind: 'end' };
  if (left < 4) {
    const rest = await win.bytes(at, left);
    return rest.every((b) => b === 0) ? { kind: 'end' } : { kind: 'bad', reason: 'partial frame length' };
  }
  const length = (await win.bytes(at, 4)).readUInt32BE(0);
  if (length === 0) return { kind: 'end' };
  if (length < 8 || length - 8 > MAX_RECORD_SIZE) return { kind: 'bad', reason: `implausible frame length ${length}` };
  const size = 8 + length;
  if (size > left) return { kind: 'bad', reason: `frame of ${size} bytes runs past the end of the file` };
  const frame = await win.bytes(at, size);
  if (frame.readUInt32BE(4) !== crc32c(frame, 8, size)) return { kind: 'bad', reason: 'checksum mismatch' };
  const zxid = frame.readBigUInt64BE(8);
  if (zxid <= prevZxid) {
    return { kind: 'bad', reason: `zxid 0x${zxid.toString(16)} does not follow 0x${prevZxid.toString(16)}` };
  }
  return { kind: 'record', zxid, size, payload: frame.subarray(FRAME_HEADER_SIZE) };
}

/**
 * Looks for any well-formed frame (zxid above `prevZxid`) starting after `from`. Used after a bad
 * frame to tell a torn tail (nothing valid follows) from mid-log corruption. Zero runs are skipped.
 */
export async function findValidFrameAfter(win: FileWindow, from: number, prevZxid: Zxid): Promise<number | undefined> {
  let p = from + 1;
  while (p + FRAME_HEADER_SIZE <= win.size) {
    const nz = await win.firstNonZero(p);
    if (nz < 0) return undefined;
    // A frame's length word is non-zero, so its first non-zero byte is within its first 4 bytes.
    for (let start = Math.max(p, nz - 3); start <= nz && start + FRAME_HEADER_SIZE <= win.size; start++) {
      const frame = await readFrame(win, start, prevZxid);
      if (frame.kind === 'record') return start;
    }
    p = nz + 1;
  }
  return undefined;
}

