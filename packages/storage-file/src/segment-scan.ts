import type { Zxid } from '@zk/zxid';
import { endOfNonZero, FileWindow } from './file-window.js';
import { type FileSystem, readFully } from './fs.js';
import { decodeSegmentHeader, SEGMENT_HEADER_SIZE } from './log-format.js';
import { findValidFrameAfter, readFrame } from './segment-reader.js';

/** What a full scan of one segment file found. */
export type SegmentScan =
  | { readonly kind: 'bad-header'; readonly reason: string; readonly fileSize: number }
  | {
      readonly kind: 'ok' | 'torn' | 'corrupt';
      readonly prevZxid: Zxid;
      readonly records: number;
      readonly firstZxid: Zxid | undefined;
      readonly lastZxid: Zxid | undefined;
      /** Offset just past the last good record (where the next frame goes). */
      readonly dataEnd: number;
      readonly fileSize: number;
      /** For `torn`/`corrupt`: why the frame at `dataEnd` is bad. */
      readonly reason?: string;
      /** For `torn`: offset just past the last non-zero byte of the torn data. */
      readonly garbageEnd?: number;
    };

export type RecordVisitor = (zxid: Zxid, offset: number, payload: Buffer) => void | Promise<void>;

/**
 * Scans a segment from its header to the end of its data, checking every frame. A bad frame
 * is `corrupt` when a valid frame follows it, else `torn` (the caller decides whether a torn
 * tail is acceptable: only in the last segment).
 */
export async function scanSegment(fs: FileSystem, path: string, visit?: RecordVisitor): Promise<SegmentScan> {
  const handle = await fs.open(path, 'read');
  try {
    const fileSize = await handle.size();
    const head = Buffer.alloc(SEGMENT_HEADER_SIZE);
    const got = await readFully(handle, head, 0, SEGMENT_HEADER_SIZE, 0);
    const header = decodeSegmentHeader(head.subarray(0, got));
    if (typeof header === 'string') return { kind: 'bad-header', reason: header, fileSize };
    const win = new FileWindow(handle, fileSize);
    let at = SEGMENT_HEADER_SIZE;
    let prev = header.prevZxid;
    let records = 0;
    let firstZxid: Zxid | undefined;
    const result = (kind: 'ok' | 'torn' | 'corrupt', extra: { reason?: string; garbageEnd?: number } = {}): SegmentScan => ({
      kind,
      prevZxid: header.prevZxid,
      records,
      firstZxid,
      lastZxid: records > 0 ? prev : undefined,
      dataEnd: at,
      fileSize,
      ...extra,
    });
    for (;;) {
      const frame = await readFrame(win, at, prev);
      if (frame.kind === 'record') {
        if (visit !== undefined) await visit(frame.zxid, at, frame.payload);
        firstZxid ??= frame.zxid;
        prev = frame.zxid;
        records++;
        at += frame.size;
        continue;
      }
      const reason = frame.kind === 'bad' ? frame.reason : 'data after the end-of-data marker';
      if (frame.kind === 'end' && (await win.firstNonZero(at)) < 0) return result('ok');
      if ((await findValidFrameAfter(win, at, prev)) !== undefined) return result('corrupt', { reason });
      return result('torn', { reason, garbageEnd: await endOfNonZero(win, at) });
    }
  } finally {
    await handle.close();
  }
}
