/**
 * Peer-port framing: a 4-byte big-endian length, then one msgpackr value.
 * Zxids stay `bigint` (msgpackr 2.1.4 writes bigints as int64 and reads them
 * back as bigint by default); binary payloads come back as Buffer.
 */
import { Packr } from 'msgpackr';

/**
 * The largest frame accepted. A SNAP above 16 MiB goes in parts (snap-parts.ts), so no frame
 * needs to be near this; it bounds what a garbled length prefix can make a peer buffer.
 */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

const packr = new Packr({ useRecords: false });

export function encodeFrame(value: unknown): Uint8Array {
  const body = packr.pack(value);
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer, out.byteOffset, 4).setUint32(0, body.length, false);
  out.set(body, 4);
  return out;
}

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/**
 * Splits a byte stream into decoded frames. Chunks of an incomplete frame are kept as they came
 * and joined once, when the frame is complete: a 100 MB SNAP arriving in 64 KiB reads costs one
 * copy, not one per read.
 */
export class FrameDecoder {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Body length of the frame being received, once its header is in. */
  #need = -1;

  push(chunk: Uint8Array): unknown[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const out: unknown[] = [];
    for (;;) {
      if (this.#need < 0) {
        if (this.#buffered < 4) break;
        const head = this.#take(4);
        const len = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
        if (len > MAX_FRAME_BYTES) throw new FrameError(`frame of ${len} bytes exceeds ${MAX_FRAME_BYTES}`);
        this.#need = len;
      }
      if (this.#buffered < this.#need) break;
      const body = this.#take(this.#need);
      this.#need = -1;
      out.push(packr.unpack(body));
    }
    return out;
  }

  /** Removes the first `n` buffered bytes (a view when they lie in one chunk, else one copy). */
  #take(n: number): Uint8Array {
    this.#buffered -= n;
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n) {
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const c = this.#chunks[0]!;
      const k = Math.min(c.length, n - off);
      out.set(c.subarray(0, k), off);
      off += k;
      if (k === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(k);
    }
    return out;
  }
}

/** First frame on every peer connection: who is calling, on which port kind. */
export interface Hello {
  readonly zkq: 1;
  readonly kind: 'election' | 'quorum';
  readonly sid: number;
}

export function isHello(x: unknown, kind: Hello['kind']): x is Hello {
  if (x === null || typeof x !== 'object') return false;
  const h = x as Record<string, unknown>;
  return h.zkq === 1 && h.kind === kind && typeof h.sid === 'number' && Number.isSafeInteger(h.sid);
}
