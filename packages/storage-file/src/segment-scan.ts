import type { Zxid } from '@zk/zxid';
import { endOfNonZero, FileWindow } from './file-window.js';
import { type FileSystem, readFully } from './fs.js';
import { decodeSegmentHeader, SEGMENT_HEADER_SIZE } from './log-format.js';
import { FRAME_BAD, FRAME_END, FRAME_RECORD, FrameReader, findValidFrameAfter, zxidHalves } from './segment-reader.js';

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

/**
 * Scans a segment from its header to the end of its data, checking every frame. A bad frame
 * is `corrupt` when a valid frame follows it, else `torn` (the caller decides whether a torn
 * tail is acceptable: only in the last segment).
 *
 * `chainedTo`, for a segment that is not the last: the zxid the next segment says this one ends
 * at (its `prevZxid`). When the data ends with a zero length word right after a record with that
 * zxid, every record is accounted for and the preallocated zeros after it are not read (a 64 MiB
 * read per old segment otherwise). Any other ending gets the full check.
 */
export async function scanSegment(fs: FileSystem, path: string, chainedTo?: Zxid): Promise<SegmentScan> {
  const handle = await fs.open(path, 'read');
  try {
    const fileSize = await handle.size();
    const head = Buffer.alloc(SEGMENT_HEADER_SIZE);
    const got = await readFully(handle, head, 0, SEGMENT_HEADER_SIZE, 0);
    const header = decodeSegmentHeader(head.subarray(0, got));
    if (typeof header === 'string') return { kind: 'bad-header', reason: header, fileSize };
    const reader = new FrameReader(handle, fileSize);
    let at = SEGMENT_HEADER_SIZE;
    let [prevHi, prevLo] = zxidHalves(header.prevZxid);
    let records = 0;
    let firstZxid: Zxid | undefined;
    const lastZxid = (): Zxid | undefined => (records > 0 ? (BigInt(prevHi) << 32n) | BigInt(prevLo) : undefined);
    const result = (kind: 'ok' | 'torn' | 'corrupt', extra: { reason?: string; garbageEnd?: number } = {}): SegmentScan => ({
      kind,
      prevZxid: header.prevZxid,
      records,
      firstZxid,
      lastZxid: lastZxid(),
      dataEnd: at,
      fileSize,
      ...extra,
    });
    for (;;) {
      let r = reader.parse(at, prevHi, prevLo);
      if (r < 0) {
        await reader.load(at, -r);
        r = reader.parse(at, prevHi, prevLo);
      }
      if (r === FRAME_RECORD) {
        if (records === 0) firstZxid = reader.zxid;
        prevHi = reader.zxidHi;
        prevLo = reader.zxidLo;
        records++;
        at += reader.frameSize;
        continue;
      }
      reader.release();
      const reason = r === FRAME_BAD ? reader.reason : 'data after the end-of-data marker';
      if (r === FRAME_END && chainedTo !== undefined && (lastZxid() ?? header.prevZxid) === chainedTo) return result('ok');
      const win = new FileWindow(handle, fileSize);
      if (r === FRAME_END && (await win.firstNonZero(at)) < 0) return result('ok');
      const prev = lastZxid() ?? header.prevZxid;
      if ((await findValidFrameAfter(win, at, prev)) !== undefined) return result('corrupt', { reason });
      return result('torn', { reason, garbageEnd: await endOfNonZero(win, at) });
    }
  } finally {
    await handle.close();
  }
}

/** The `prevZxid` in a segment's header, or undefined when the header is unreadable. */
export async function readSegmentPrevZxid(fs: FileSystem, path: string): Promise<Zxid | undefined> {
  const handle = await fs.open(path, 'read');
  try {
    const head = Buffer.alloc(SEGMENT_HEADER_SIZE);
    const got = await readFully(handle, head, 0, SEGMENT_HEADER_SIZE, 0);
    const header = decodeSegmentHeader(head.subarray(0, got));
    return typeof header === 'string' ? undefined : header.prevZxid;
  } finally {
    await handle.close();
  }
}
