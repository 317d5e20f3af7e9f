import type { Zxid } from '@zk/zxid';
import { crc32c } from './crc32c.js';
import type { FileWindow } from './file-window.js';
import { FRAME_HEADER_SIZE, MAX_RECORD_SIZE } from './log-format.js';

export type FrameResult =
  | { readonly kind: 'record'; readonly zxid: Zxid; readonly size: number; readonly payload: Buffer }
  | { readonly kind: 'end' }
  | { readonly kind: 'bad'; readonly reason: string };

/**
 * Reads the frame at `at`. `end` means a zero length word or the end of the file; anything
 * else that is not a well-formed frame with a zxid above `prevZxid` is `bad`. The payload is a
 * view into the window (copy it to keep it).
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
