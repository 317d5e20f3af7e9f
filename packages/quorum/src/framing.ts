/**
 * Peer-port framing: a 4-byte big-endian length, then one msgpackr value.
 * Zxids stay `bigint` (msgpackr 2.1.4 writes bigints as int64 and reads them
 * back as bigint by default); binary payloads come back as Buffer.
 */
import { Packr } from 'msgpackr';

export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

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

/** Splits a byte stream into decoded frames. */
export class FrameDecoder {
  #buf: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): unknown[] {
    if (this.#buf.length === 0) this.#buf = chunk;
    else {
      const joined = new Uint8Array(this.#buf.length + chunk.length);
      joined.set(this.#buf, 0);
      joined.set(chunk, this.#buf.length);
      this.#buf = joined;
    }
    const out: unknown[] = [];
    let off = 0;
    while (this.#buf.length - off >= 4) {
      const len = new DataView(this.#buf.buffer, this.#buf.byteOffset + off, 4).getUint32(0, false);
      if (len > MAX_FRAME_BYTES) throw new FrameError(`frame of ${len} bytes exceeds ${MAX_FRAME_BYTES}`);
      if (this.#buf.length - off - 4 < len) break;
      const body = this.#buf.subarray(off + 4, off + 4 + len);
      out.push(packr.unpack(body));
      off += 4 + len;
    }
    this.#buf = off === this.#buf.length ? new Uint8Array(0) : this.#buf.slice(off);
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
