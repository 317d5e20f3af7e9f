import { crc32c } from '@zk/crc';
import type { Zxid } from '@zk/zxid';

/**
 * Txn log segment layout (all integers big-endian; see docs/storage-format.md):
 *
 *   header (24 bytes): magic "ZTLG" | u32 version (1) | u64 prevZxid | u32 crc32c(first 16 bytes) | u32 0
 *   frames:            u32 length | u32 crc32c(zxid + payload) | u64 zxid | payload
 *                      length = 8 + payload bytes, so it is never 0
 *   end of data:       a zero length word, or the end of the file
 *
 * Files are preallocated with zeros, so the first zero length marks where writing stopped.
 */
export const LOG_MAGIC = 0x5a544c47; // "ZTLG"
export const LOG_VERSION = 1;
export const SEGMENT_HEADER_SIZE = 24;
export const FRAME_HEADER_SIZE = 16;
/** Largest payload a frame may hold (keeps a corrupt length from asking for gigabytes). */
export const MAX_RECORD_SIZE = 256 * 1024 * 1024;

export interface SegmentHeader {
  readonly version: number;
  readonly prevZxid: Zxid;
}

export function encodeSegmentHeader(prevZxid: Zxid): Buffer {
  const b = Buffer.alloc(SEGMENT_HEADER_SIZE);
  b.writeUInt32BE(LOG_MAGIC, 0);
  b.writeUInt32BE(LOG_VERSION, 4);
  b.writeBigUInt64BE(prevZxid, 8);
  b.writeUInt32BE(crc32c(b, 0, 16), 16);
  return b;
}

/** Parses a segment header, or returns why it is not one. */
export function decodeSegmentHeader(b: Uint8Array): SegmentHeader | string {
  if (b.length < SEGMENT_HEADER_SIZE) return 'segment header is incomplete';
  const view = Buffer.from(b.buffer, b.byteOffset, SEGMENT_HEADER_SIZE);
  if (view.readUInt32BE(0) !== LOG_MAGIC) return 'bad segment magic';
  if (view.readUInt32BE(16) !== crc32c(view, 0, 16)) return 'segment header checksum mismatch';
  const version = view.readUInt32BE(4);
  if (version !== LOG_VERSION) return `unsupported log format version ${version}`;
  return { version, prevZxid: view.readBigUInt64BE(8) };
}

/** Encodes one frame into a new buffer (the caller's record is copied). */
export function encodeFrame(zxid: Zxid, record: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_SIZE + record.length);
  frame.writeUInt32BE(8 + record.length, 0);
  frame.writeBigUInt64BE(zxid, 8);
  frame.set(record, FRAME_HEADER_SIZE);
  frame.writeUInt32BE(crc32c(frame, 8, frame.length), 4);
  return frame;
}

