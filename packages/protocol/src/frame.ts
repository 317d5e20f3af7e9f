// Client-port framing: every packet is a 4-byte big-endian length followed by that many bytes.
// ZooKeeper 3.8 refuses a length with `len < 0 || len > jute.maxbuffer` (NIOServerCnxn.readLength,
// NettyServerCnxn; the Java client's ClientCnxnSocket.readLength uses the same test against its
// own jute.maxbuffer). No slack is added at this level: a payload of exactly maxbuffer bytes is
// accepted, maxbuffer + 1 is not. Before the session handshake completes the server first checks
// whether those 4 bytes are a four-letter word (e.g. "ruok" = 0x72756f6b), so a server must look
// at them (`peekInt`) before letting the decoder treat them as a length.

import type { Codec } from './codec.js';
import { DEFAULT_JUTE_MAXBUFFER } from './constants.js';
import { FrameLengthError } from './errors.js';
import { JuteWriter } from './writer.js';

/** Starts a frame: writes a placeholder length (-1, as ZooKeeper does) and returns its offset. */
export function beginFrame(w: JuteWriter): number {
  const start = w.pos;
  w.writeInt(-1);
  return start;
}

/** Ends the frame begun at `start`: patches its length to the bytes written since. */
export function endFrame(w: JuteWriter, start: number): void {
  w.setIntAt(start, w.pos - start - 4);
}

/** Writes `value` with `codec` as one length-prefixed frame into `w`. */
export function writeFrame<V>(w: JuteWriter, codec: Codec<V>, value: V): void {
  const start = beginFrame(w);
  codec.write(w, value);
  endFrame(w, start);
}

/** Returns a fresh length-prefixed copy of `payload`. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 4);
  new DataView(out.buffer).setInt32(0, payload.length);
  out.set(payload, 4);
  return out;
}

export interface FrameDecoderOptions {
  /** Largest accepted payload length (jute.maxbuffer). Default 0xfffff. */
  maxFrameLength?: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Splits a TCP byte stream into frames. Feed chunks with `push`, then call `next()` until it
 * returns null. A frame that lies inside one pushed chunk is returned as a subarray VIEW of that
 * chunk (no copy); one that spans chunks is gathered into a new array. Do not mutate pushed chunks.
 *
 * `next()` throws FrameLengthError (with `length` and `maxLength`) as soon as a bad length prefix
 * is visible, before its payload arrives; the connection should then be closed.
 */
export class FrameDecoder {
  readonly maxFrameLength: number;
  private chunks: Uint8Array[] = [];
  /** Offset of unconsumed data in chunks[0]. */
  private headOff = 0;
  private buffered = 0;
  private first: Uint8Array | null = null;
  private readonly tmp4 = new Uint8Array(4);
  private readonly tmp4View = new DataView(this.tmp4.buffer);

  constructor(options?: FrameDecoderOptions) {
    this.maxFrameLength = options?.maxFrameLength ?? DEFAULT_JUTE_MAXBUFFER;
  }

  /** Bytes received but not yet returned as frames. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.first === null || this.first.length < 4) this.captureFirst(chunk);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
  }

  private captureFirst(chunk: Uint8Array): void {
    const have = this.first ?? EMPTY;
    const take = Math.min(4 - have.length, chunk.length);
    const next = new Uint8Array(have.length + take);
    next.set(have);
    next.set(chunk.subarray(0, take), have.length);
    this.first = next;
  }

  /**
   * The first 4 bytes ever received on this stream (null until 4 have arrived), e.g. to detect a
   * four-letter word. Unaffected by `next()`.
   */
  get firstBytes(): Uint8Array | null {
    return this.first !== null && this.first.length === 4 ? this.first : null;
  }

  /** The next 4 unconsumed bytes as a big-endian int32, without consuming them; null if < 4. */
  peekInt(): number | null {
    if (this.buffered < 4) return null;
    const head = this.chunks[0]!;
    if (head.length - this.headOff >= 4) {
      return ((head[this.headOff]! << 24) | (head[this.headOff + 1]! << 16) | (head[this.headOff + 2]! << 8) | head[this.headOff + 3]!);
    }
    this.copyOut(this.tmp4, 4, false);
    return this.tmp4View.getInt32(0);
  }

  /** Consumes and returns up to `n` raw bytes (e.g. after a four-letter word); copies. */
  take(n: number): Uint8Array {
    const len = Math.min(n, this.buffered);
    const out = new Uint8Array(len);
    this.copyOut(out, len, true);
    return out;
  }

  /** Returns the next complete frame payload, or null if more bytes are needed. */
  next(): Uint8Array | null {
    const len = this.peekInt();
    if (len === null) return null;
    if (len < 0 || len > this.maxFrameLength) throw new FrameLengthError(len, this.maxFrameLength);
    if (this.buffered < 4 + len) return null;
    const head = this.chunks[0]!;
    if (head.length - this.headOff >= 4 + len) {
      const start = this.headOff + 4;
      const frame = head.subarray(start, start + len);
      this.headOff = start + len;
      this.buffered -= 4 + len;
      if (this.headOff === head.length) this.shiftHead();
      return frame;
    }
    this.skip(4);
    const frame = new Uint8Array(len);
    this.copyOut(frame, len, true);
    return frame;
  }

  /** Drops all buffered bytes. */
  clear(): void {
    this.chunks = [];
    this.headOff = 0;
    this.buffered = 0;
  }

  private shiftHead(): void {
    this.chunks.shift();
    this.headOff = 0;
  }

  private skip(n: number): void {
    let left = n;
    while (left > 0) {
      const head = this.chunks[0]!;
      const avail = head.length - this.headOff;
      if (avail > left) {
        this.headOff += left;
        this.buffered -= left;
        return;
      }
      left -= avail;
      this.buffered -= avail;
      this.shiftHead();
    }
  }

  private copyOut(dst: Uint8Array, n: number, consume: boolean): void {
    let filled = 0;
    let ci = 0;
    let off = this.headOff;
    while (filled < n) {
      const c = this.chunks[ci]!;
      const take = Math.min(c.length - off, n - filled);
      dst.set(c.subarray(off, off + take), filled);
      filled += take;
      off += take;
      if (off === c.length) {
        ci++;
        off = 0;
      }
    }
    if (consume) {
      this.chunks.splice(0, ci);
      this.headOff = off;
      this.buffered -= n;
    }
  }
}

/**
 * The four-letter words ZooKeeper 3.8 recognises before a session handshake
 * (server/command/FourLetterCommands.java), keyed by the int32 their 4 ASCII bytes form.
 * Whether each is enabled is governed by 4lw.commands.whitelist (only "srvr" by default).
 */
export const FOUR_LETTER_WORDS = [
  'conf', 'cons', 'crst', 'dirs', 'dump', 'envi', 'gtmk', 'ruok', 'stmk', 'srvr', 'srst', 'stat',
  'wchc', 'wchp', 'wchs', 'mntr', 'isro', 'hash',
] as const;
export type FourLetterWord = (typeof FOUR_LETTER_WORDS)[number];

const FLW_BY_INT = new Map<number, FourLetterWord>(
  FOUR_LETTER_WORDS.map((w) => [((w.charCodeAt(0) << 24) | (w.charCodeAt(1) << 16) | (w.charCodeAt(2) << 8) | w.charCodeAt(3)), w]),
);

/** FourLetterCommands.telnetCloseCmd (0xfff4fffd): telnet's interrupt, closes the connection. */
export const TELNET_CLOSE_CMD = 0xfff4fffd | 0;

/** The four-letter word whose bytes form `word` (as read by `peekInt`), or null. */
export function fourLetterWord(word: number): FourLetterWord | null {
  return FLW_BY_INT.get(word | 0) ?? null;
}
