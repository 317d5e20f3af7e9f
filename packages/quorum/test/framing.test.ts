import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameError, encodeFrame } from '../src/index.js';

describe('peer framing', () => {
  it('round-trips ZAB messages with bigint zxids and binary payloads, split anywhere', () => {
    const msgs = [
      { type: 'PROPOSAL', zxid: 0x1_0000_0001n, payload: new Uint8Array([1, 2, 3]) },
      { type: 'COMMIT', zxid: 5n },
      { type: 'ACK', zxid: 0xffff_ffff_ffff_fffn },
      [1, 0, 3, 0, 5, 2, 1],
    ];
    const bytes = Buffer.concat(msgs.map((m) => encodeFrame(m)));
    for (const step of [1, 3, 7, bytes.length]) {
      const dec = new FrameDecoder();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += step) out.push(...dec.push(bytes.subarray(i, i + step)));
      expect(out).toHaveLength(4);
      const p = out[0] as { zxid: bigint; payload: Uint8Array };
      expect(p.zxid).toBe(0x1_0000_0001n);
      expect(typeof (out[1] as { zxid: unknown }).zxid).toBe('bigint');
      expect((out[2] as { zxid: bigint }).zxid).toBe(0xffff_ffff_ffff_fffn);
      expect([...p.payload]).toEqual([1, 2, 3]);
      expect(out[3]).toEqual([1, 0, 3, 0, 5, 2, 1]);
    }
  });

  it('rejects an oversized length prefix', () => {
    const dec = new FrameDecoder();
    expect(() => dec.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0]))).toThrow(FrameError);
  });

  it('takes a SNAP-sized frame (past the old 64 MiB limit) arriving in 64 KiB reads', () => {
    const data = new Uint8Array(70 * 1024 * 1024);
    for (let i = 0; i < data.length; i += 4096) data[i] = i % 251;
    const bytes = encodeFrame({ type: 'SNAP', zxid: 5n, data });
    const dec = new FrameDecoder();
    const out: unknown[] = [];
    for (let i = 0; i < bytes.length; i += 65536) out.push(...dec.push(bytes.subarray(i, i + 65536)));
    expect(out).toHaveLength(1);
    const got = (out[0] as { data: Uint8Array }).data;
    expect(got.length).toBe(data.length);
    expect(Buffer.compare(Buffer.from(got), Buffer.from(data))).toBe(0);
  });
});
