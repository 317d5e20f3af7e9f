import { acquireWasmCrc, CRC32C_TABLES, crc32cUpdate, releaseWasmCrc } from '@zk/crc';
import { CorruptSnapshotError } from '@zk/storage';
import type { Zxid } from '@zk/zxid';
import { type FileHandle, type FileSystem, readFully } from './fs.js';
import { checkSnapshotFrame, SNAPSHOT_HEADER_SIZE, SNAPSHOT_TRAILER_SIZE } from './snapshot-format.js';

const CHUNK = 1 << 20;

export interface SnapshotFrame {
  readonly zxid: Zxid;
  readonly contentSize: number;
  readonly crc: number;
}

/** Reads and checks a snapshot's header and trailer (not the content checksum). */
export async function readSnapshotFrame(handle: FileHandle, path: string): Promise<SnapshotFrame> {
  const size = await handle.size();
  const header = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
  const trailer = Buffer.alloc(SNAPSHOT_TRAILER_SIZE);
  if (size >= SNAPSHOT_HEADER_SIZE + SNAPSHOT_TRAILER_SIZE) {
    await readFully(handle, header, 0, SNAPSHOT_HEADER_SIZE, 0);
    await readFully(handle, trailer, 0, SNAPSHOT_TRAILER_SIZE, size - SNAPSHOT_TRAILER_SIZE);
  }
  const frame = checkSnapshotFrame(header, trailer, size);
  if (typeof frame === 'string') throw new CorruptSnapshotError(path, frame);
  return frame;
}

/**
 * Files whose content checksum was verified, by path, with the file identity (FileHandle.identity)
 * they had then. A file whose identity is unchanged since is not checksummed again.
 */
export type VerifiedSnapshots = Map<string, string>;

export interface StreamOptions {
  /** Skip the content checksum when the file is unchanged since it was verified. */
  readonly verified?: VerifiedSnapshots;
  /** Record a successful verification in `verified` (default true when given). */
  readonly trustVerified?: boolean;
}

/**
 * Streams a snapshot's content in chunks the caller owns, checking the CRC at the end
 * (CorruptSnapshotError if it does not match, or if the header zxid is not `expectZxid`).
 */
export async function* streamSnapshotContent(fs: FileSystem, path: string, expectZxid?: Zxid, options: StreamOptions = {}): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(path, 'read');
  try {
    const identity = options.verified !== undefined && handle.identity !== undefined ? await handle.identity() : undefined;
    const check = !(options.trustVerified !== false && identity !== undefined && options.verified!.get(path) === identity);
    const frame = await readSnapshotFrame(handle, path);
    if (expectZxid !== undefined && frame.zxid !== expectZxid) {
      throw new CorruptSnapshotError(path, `header zxid 0x${frame.zxid.toString(16)} does not match the name`);
    }
    const header = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
    await readFully(handle, header, 0, SNAPSHOT_HEADER_SIZE, 0);
    let crc = check ? crc32cUpdate(0, header) : 0;
    let pos = SNAPSHOT_HEADER_SIZE;
    const end = SNAPSHOT_HEADER_SIZE + frame.contentSize;
    while (pos < end) {
      const n = Math.min(CHUNK, end - pos);
      const chunk = Buffer.allocUnsafe(n);
      const got = await readFully(handle, chunk, 0, n, pos);
      if (got !== n) throw new CorruptSnapshotError(path, 'file shrank while reading');
      if (check) crc = crc32cUpdate(crc, chunk);
      pos += n;
      if (check && pos === end && crc !== frame.crc) throw new CorruptSnapshotError(path, 'checksum mismatch');
      yield chunk;
    }
    if (check && frame.contentSize === 0 && crc !== frame.crc) throw new CorruptSnapshotError(path, 'checksum mismatch');
    if (check && identity !== undefined) options.verified!.set(path, identity);
  } finally {
    await handle.close();
  }
}

const VERIFY_WINDOW = 4 << 20;

/**
 * Checks a whole snapshot file (framing and content CRC); resolves with its frame or throws
 * CorruptSnapshotError. Reads into a WebAssembly CRC's window and checksums it there (no
 * buffer per chunk); with `verified`, records the file's identity once it checked out.
 */
export async function verifySnapshotFile(fs: FileSystem, path: string, expectZxid?: Zxid, verified?: VerifiedSnapshots): Promise<SnapshotFrame> {
  const handle = await fs.open(path, 'read');
  try {
    const identity = verified !== undefined && handle.identity !== undefined ? await handle.identity() : undefined;
    const frame = await readSnapshotFrame(handle, path);
    if (expectZxid !== undefined && frame.zxid !== expectZxid) {
      throw new CorruptSnapshotError(path, `header zxid 0x${frame.zxid.toString(16)} does not match the name`);
    }
    // The checksum covers the header and the content: bytes [0, end). Two halves of one window
    // take turns: the next piece is being read while the current one is checksummed.
    const end = SNAPSHOT_HEADER_SIZE + frame.contentSize;
    const half = Math.min(VERIFY_WINDOW, end);
    const wasm = acquireWasmCrc(CRC32C_TABLES, 2 * half);
    const buf = wasm !== undefined ? wasm.window : Buffer.allocUnsafe(2 * half);
    let crc = 0;
    const readAt = (pos: number, into: number): Promise<number> => readFully(handle, buf, into, Math.min(half, end - pos), pos);
    let pending: Promise<number> | undefined = end > 0 ? readAt(0, 0) : undefined;
    try {
      for (let pos = 0, k = 0; pos < end; k ^= 1) {
        const n = Math.min(half, end - pos);
        const got = await pending!;
        pending = undefined;
        if (got !== n) throw new CorruptSnapshotError(path, 'file shrank while reading');
        const next = pos + n;
        if (next < end) pending = readAt(next, (k ^ 1) * half);
        const at = k * half;
        crc = wasm !== undefined ? wasm.update(crc, at, at + n) : crc32cUpdate(crc, buf, at, at + n);
        pos = next;
      }
    } finally {
      // A read still in flight (after an error) must finish before its buffer is reused.
      if (pending !== undefined) await pending.catch(() => 0);
      if (wasm !== undefined) releaseWasmCrc(wasm);
    }
    if (crc !== frame.crc) throw new CorruptSnapshotError(path, 'checksum mismatch');
    const after = await readSnapshotFrame(handle, path);
    if (after.contentSize !== frame.contentSize) throw new CorruptSnapshotError(path, 'content size changed while reading');
    if (identity !== undefined) verified!.set(path, identity);
    return frame;
  } finally {
    await handle.close();
  }
}
