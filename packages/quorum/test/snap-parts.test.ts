import { describe, expect, it } from 'vitest';
import type { ZabMessage } from '@zk/zab';
import { FrameDecoder } from '../src/framing.js';
import { encodeZabFrames, SnapAssembler } from '../src/snap-parts.js';

const decodeAll = (frames: Uint8Array[]): unknown[] => {
  const dec = new FrameDecoder();
  return frames.flatMap((f) => dec.push(f));
};

describe('SNAP in parts', () => {
  const snapshot = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
  const snap: ZabMessage = { type: 'SNAP', zxid: 0x500000007n, snapshot };

  it('a SNAP above the part size goes as a header and parts, and comes back whole', () => {
    const frames = encodeZabFrames(snap, 300);
    expect(frames).toHaveLength(1 + 4);
    const asm = new SnapAssembler();
    const out = decodeAll(frames).map((f) => asm.push(f));
    expect(out.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    const got = out[4] as Extract<ZabMessage, { type: 'SNAP' }>;
    expect(got.type).toBe('SNAP');
    expect(got.zxid).toBe(0x500000007n);
    expect(Buffer.from(got.snapshot).equals(Buffer.from(snapshot))).toBe(true);
  });

  it('small SNAPs and other messages are one frame and pass through', () => {
    expect(encodeZabFrames(snap, 1000)).toHaveLength(1);
    const asm = new SnapAssembler();
    const ping = decodeAll(encodeZabFrames({ type: 'PING', zxid: 1n } as ZabMessage))[0];
    expect(asm.push(ping)).toEqual(ping);
  });

  it('parts out of order, a message inside a SNAP, or missing bytes are refused', () => {
    const [head, p0, p1] = decodeAll(encodeZabFrames(snap, 500));
    expect(() => new SnapAssembler().push(p0)).toThrow(/unexpected SNAP part/);
    const a = new SnapAssembler();
    a.push(head);
    expect(() => a.push(p1)).toThrow(/unexpected SNAP part 1/);
    const b = new SnapAssembler();
    b.push(head);
    expect(() => b.push({ type: 'PING', zxid: 1n })).toThrow(/middle of a SNAP/);
    const c = new SnapAssembler();
    c.push({ ...(head as object), total: 1200 });
    c.push(p0);
    expect(() => c.push(p1)).toThrow(/hold 1000 of 1200/);
  });
});
