/**
 * A SNAP carries the leader's whole snapshot. Sent as one frame it would be bounded by the frame
 * limit (and held twice on both sides while encoded); instead it goes as a header frame plus
 * parts of at most `partBytes`, and the learner's link reassembles it before ZAB sees it. ZAB's
 * message stays one SNAP: this is framing only.
 */
import type { ZabMessage } from '@zk/zab';
import { encodeFrame } from './framing.js';

/** Parts of a large SNAP: 16 MiB each. */
export const SNAP_PART_BYTES = 16 * 1024 * 1024;

/** Header frame: the SNAP without its bytes, and how many part frames follow. */
interface SnapHeader {
  readonly zkqSnap: 1;
  readonly zxid: bigint;
  readonly parts: number;
  readonly total: number;
}

/** One part, in order. */
interface SnapPart {
  readonly zkqSnapPart: number;
  readonly bytes: Uint8Array;
}

/** The frames for `msg`: one frame, or for a SNAP bigger than `partBytes` a header and its parts. */
export function encodeZabFrames(msg: ZabMessage, partBytes = SNAP_PART_BYTES): Uint8Array[] {
  if (msg.type !== 'SNAP' || msg.snapshot.length <= partBytes) return [encodeFrame(msg)];
  const data = msg.snapshot;
  const parts = Math.ceil(data.length / partBytes);
  const out: Uint8Array[] = [encodeFrame({ zkqSnap: 1, zxid: msg.zxid, parts, total: data.length } satisfies SnapHeader)];
  for (let i = 0; i < parts; i++) {
    out.push(encodeFrame({ zkqSnapPart: i, bytes: data.subarray(i * partBytes, Math.min(data.length, (i + 1) * partBytes)) } satisfies SnapPart));
  }
  return out;
}

export class SnapAssemblyError extends Error {
  override readonly name = 'SnapAssemblyError';
}

/**
 * Reassembles split SNAPs on one link. `push` returns the ZAB message a frame completes, or
 * undefined while a SNAP's parts are still coming; anything out of order throws (the caller
 * drops the link, as for any undecodable frame).
 */
export class SnapAssembler {
  private header: SnapHeader | undefined;
  private buf: Uint8Array | undefined;
  private next = 0;
  private filled = 0;

  push(frame: unknown): ZabMessage | undefined {
    const f = frame as Partial<SnapHeader & SnapPart>;
    if (f.zkqSnap === 1) {
      if (this.header !== undefined) throw new SnapAssemblyError('a SNAP header before the previous SNAP was complete');
      if (!Number.isSafeInteger(f.parts) || f.parts! < 1 || !Number.isSafeInteger(f.total) || f.total! < 0) {
        throw new SnapAssemblyError('bad SNAP header');
      }
      this.header = f as SnapHeader;
      this.buf = new Uint8Array(f.total!);
      this.next = 0;
      this.filled = 0;
      return undefined;
    }
    if (typeof f.zkqSnapPart === 'number') {
      const h = this.header;
      if (h === undefined || f.zkqSnapPart !== this.next || !(f.bytes instanceof Uint8Array) || this.filled + f.bytes.length > h.total) {
        throw new SnapAssemblyError(`unexpected SNAP part ${f.zkqSnapPart}`);
      }
      this.buf!.set(f.bytes, this.filled);
      this.filled += f.bytes.length;
      this.next++;
      if (this.next < h.parts) return undefined;
      if (this.filled !== h.total) throw new SnapAssemblyError(`SNAP parts hold ${this.filled} of ${h.total} bytes`);
      const snapshot = this.buf!;
      this.header = undefined;
      this.buf = undefined;
      return { type: 'SNAP', zxid: h.zxid, snapshot };
    }
    if (this.header !== undefined) throw new SnapAssemblyError('a message in the middle of a SNAP');
    return frame as ZabMessage;
  }
}
