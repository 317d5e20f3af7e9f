import { type FileHandle, readFully } from './fs.js';

const CHUNK = 1 << 20;
const ZERO = Buffer.alloc(CHUNK);

/**
 * A sliding read window over a file, for sequential scans with occasional look-ahead.
 * Views it returns are valid until the next call.
 */
export class FileWindow {
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0;
  private end = 0;

  constructor(
    private readonly handle: FileHandle,
    /** Bytes of the file the window may read. */
    readonly size: number,
  ) {}

  /** A view of bytes [pos, pos + n); throws if that runs past `size`. */
  async bytes(pos: number, n: number): Promise<Buffer> {
    if (pos < 0 || pos + n > this.size) throw new RangeError(`read [${pos}, ${pos + n}) outside ${this.size} bytes`);
    if (pos < this.start || pos + n > this.end) await this.load(pos, n);
    return this.buf.subarray(pos - this.start, pos - this.start + n);
  }

  /** Offset of the first non-zero byte at or after `from`, or -1 when the rest is zeros. */
  async firstNonZero(from: number): Promise<number> {
    for (let pos = from; pos < this.size; ) {
      const n = Math.min(CHUNK, this.size - pos);
      const view = await this.bytes(pos, n);
      if (!view.equals(ZERO.subarray(0, n))) {
        for (let i = 0; i < n; i++) if (view[i] !== 0) return pos + i;
      }
      pos += n;
    }
    return -1;
  }

  private async load(pos: number, n: number): Promise<void> {
    const want = Math.min(Math.max(CHUNK, n), this.size - pos);
    if (this.buf.length < want) this.buf = Buffer.allocUnsafe(want);
    const got = await readFully(this.handle, this.buf, 0, want, pos);
    this.start = pos;
    this.end = pos + got;
    if (got < n) throw Object.assign(new Error(`file shrank while reading at ${pos}`), { code: 'EIO' });
  }
}

/** Offset just past the last non-zero byte at or after `from` (so `from` when the rest is zeros). */
export async function endOfNonZero(win: FileWindow, from: number): Promise<number> {
  let end = from;
  for (let p = from; ; ) {
    const nz = await win.firstNonZero(p);
    if (nz < 0) return end;
    end = nz + 1;
    p = nz + 1;
  }
}
