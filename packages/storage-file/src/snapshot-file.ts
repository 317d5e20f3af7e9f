import { CorruptSnapshotError } from '@zk/storage';
import type { Zxid } from '@zk/zxid';
import { crc32cUpdate } from './crc32c.js';
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
 * Streams a snapshot's content in chunks the caller owns, checking the CRC at the end
 * (CorruptSnapshotError if it does not match, or if the header zxid is not `expectZxid`).
 */
export async function* streamSnapshotContent(fs: FileSystem, path: string, expectZxid?: Zxid): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(path, 'read');
  try {
    const frame = await readSnapshotFrame(handle, path);
    if (expectZxid !== undefined && frame.zxid !== expectZxid) {
      throw new CorruptSnapshotError(path, `header zxid 0x${frame.zxid.toString(16)} does not match the name`);
    }
    const header = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
    await readFully(handle, header, 0, SNAPSHOT_HEADER_SIZE, 0);
    let crc = crc32cUpdate(0, header);
    let pos = SNAPSHOT_HEADER_SIZE;
    const end = SNAPSHOT_HEADER_SIZE + frame.contentSize;
    while (pos < end) {
      const n = Math.min(CHUNK, end - pos);
      const chunk = Buffer.allocUnsafe(n);
      const got = await readFully(handle, chunk, 0, n, pos);
      if (got !== n) throw new CorruptSnapshotError(path, 'file shrank while reading');
      crc = crc32cUpdate(crc, chunk);
      pos += n;
      if (pos === end && crc !== frame.crc) throw new CorruptSnapshotError(path, 'checksum mismatch');
      yield chunk;
    }
    if (frame.contentSize === 0 && crc !== frame.crc) throw new CorruptSnapshotError(path, 'checksum mismatch');
  } finally {
    await handle.close();
  }
}

/** Checks a whole snapshot file (framing and content CRC); resolves with its frame or throws CorruptSnapshotError. */
export async function verifySnapshotFile(fs: FileSystem, path: string, expectZxid?: Zxid): Promise<SnapshotFrame> {
  let size = 0;
  for await (const chunk of streamSnapshotContent(fs, path, expectZxid)) size += chunk.length;
  const handle = await fs.open(path, 'read');
  try {
    const frame = await readSnapshotFrame(handle, path);
    if (frame.contentSize !== size) throw new CorruptSnapshotError(path, 'content size changed while reading');
    return frame;
  } finally {
    await handle.close();
  }
}
