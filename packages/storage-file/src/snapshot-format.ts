import type { Zxid } from '@zk/zxid';

/**
 * Snapshot file layout (big-endian; see docs/storage-format.md):
 *
 *   header  (24 bytes): magic "ZTSN" | u32 version (1) | u64 zxid | u64 0 (reserved)
 *   content (n bytes):  the state machine's bytes, as given to `save`
 *   trailer (16 bytes): u64 n | u32 crc32c(header + content) | magic "ZTSE"
 */
export const SNAPSHOT_MAGIC = 0x5a54534e; // "ZTSN"
export const SNAPSHOT_END_MAGIC = 0x5a545345; // "ZTSE"
export const SNAPSHOT_VERSION = 1;
export const SNAPSHOT_HEADER_SIZE = 24;
export const SNAPSHOT_TRAILER_SIZE = 16;

export function encodeSnapshotHeader(zxid: Zxid): Buffer {
  const b = Buffer.alloc(SNAPSHOT_HEADER_SIZE);
  b.writeUInt32BE(SNAPSHOT_MAGIC, 0);
  b.writeUInt32BE(SNAPSHOT_VERSION, 4);
  b.writeBigUInt64BE(zxid, 8);
  return b;
}

export function encodeSnapshotTrailer(contentSize: number, crc: number): Buffer {
  const b = Buffer.alloc(SNAPSHOT_TRAILER_SIZE);
  b.writeBigUInt64BE(BigInt(contentSize), 0);
  b.writeUInt32BE(crc, 8);
  b.writeUInt32BE(SNAPSHOT_END_MAGIC, 12);
  return b;
}

/** Structural check of header and trailer against the file size; returns the zxid or why not. */
export function checkSnapshotFrame(header: Buffer, trailer: Buffer, fileSize: number): { zxid: Zxid; contentSize: number; crc: number } | string {
  if (fileSize < SNAPSHOT_HEADER_SIZE + SNAPSHOT_TRAILER_SIZE) return `file of ${fileSize} bytes is too short`;
  if (header.readUInt32BE(0) !== SNAPSHOT_MAGIC) return 'bad snapshot magic';
  const version = header.readUInt32BE(4);
  if (version !== SNAPSHOT_VERSION) return `unsupported snapshot format version ${version}`;
  if (trailer.readUInt32BE(12) !== SNAPSHOT_END_MAGIC) return 'missing end marker (incomplete snapshot)';
  const contentSize = trailer.readBigUInt64BE(0);
  if (contentSize !== BigInt(fileSize - SNAPSHOT_HEADER_SIZE - SNAPSHOT_TRAILER_SIZE)) return 'content size does not match the file size';
  return { zxid: header.readBigUInt64BE(8), contentSize: Number(contentSize), crc: trailer.readUInt32BE(8) };
}
