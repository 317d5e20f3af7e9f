import { CorruptLogError } from '@zk/storage';
import type { Zxid } from '@zk/zxid';
import { FileWindow } from './file-window.js';
import { type FileSystem, nodeFileSystem, readFully } from './fs.js';
import { decodeSegmentHeader, SEGMENT_HEADER_SIZE } from './log-format.js';
import { readFrame } from './segment-reader.js';
import { readSnapshotFrame, streamSnapshotContent } from './snapshot-file.js';

/** One record of a log file, for `zkserver log-dump`. */
export interface LogFileRecord {
  /** Byte offset of the frame in the file. */
  readonly offset: number;
  readonly zxid: Zxid;
  readonly record: Uint8Array;
}

/**
 * Yields every record of one log segment with its offset, stopping at the end of data.
 * Throws CorruptLogError at a bad header or frame (after yielding the records before it).
 */
export async function* readLogFile(path: string, fs: FileSystem = nodeFileSystem): AsyncGenerator<LogFileRecord> {
  const handle = await fs.open(path, 'read');
  try {
    const win = new FileWindow(handle, await handle.size());
    const header = decodeSegmentHeader(win.size >= SEGMENT_HEADER_SIZE ? await win.bytes(0, SEGMENT_HEADER_SIZE) : Buffer.alloc(0));
    if (typeof header === 'string') throw new CorruptLogError(path, 0, header);
    let at = SEGMENT_HEADER_SIZE;
    let prev = header.prevZxid;
    for (;;) {
      const frame = await readFrame(win, at, prev);
      if (frame.kind === 'end') return;
      if (frame.kind === 'bad') throw new CorruptLogError(path, at, frame.reason);
      yield { offset: at, zxid: frame.zxid, record: new Uint8Array(frame.payload) };
      prev = frame.zxid;
      at += frame.size;
    }
  } finally {
    await handle.close();
  }
}

/** A snapshot file's zxid and content, for `zkserver snapshot-dump`. */
export interface SnapshotFileContent {
  readonly zxid: Zxid;
  readonly size: number;
  /** Content chunks; the CRC is checked as the stream ends (CorruptSnapshotError). */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Opens one snapshot file: checks its framing now and its checksum while `chunks` is read. */
export async function readSnapshotFile(path: string, fs: FileSystem = nodeFileSystem): Promise<SnapshotFileContent> {
  const handle = await fs.open(path, 'read');
  let frame;
  try {
    frame = await readSnapshotFrame(handle, path);
  } finally {
    await handle.close();
  }
  return { zxid: frame.zxid, size: frame.contentSize, chunks: streamSnapshotContent(fs, path) };
}

/** Reads a whole log segment's header fields, for dump output. */
export async function readLogFileHeader(path: string, fs: FileSystem = nodeFileSystem): Promise<{ prevZxid: Zxid; version: number }> {
  const handle = await fs.open(path, 'read');
  try {
    const buf = Buffer.alloc(SEGMENT_HEADER_SIZE);
    const got = await readFully(handle, buf, 0, SEGMENT_HEADER_SIZE, 0);
    const header = decodeSegmentHeader(buf.subarray(0, got));
    if (typeof header === 'string') throw new CorruptLogError(path, 0, header);
    return header;
  } finally {
    await handle.close();
  }
}
