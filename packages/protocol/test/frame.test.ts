import { describe, expect, it } from 'vitest';
import {
  DEFAULT_JUTE_MAXBUFFER,
  FOUR_LETTER_WORDS,
  FrameDecoder,
  FrameLengthError,
  JuteWriter,
  TELNET_CLOSE_CMD,
  beginFrame,
  encodeFrame,
  endFrame,
  fourLetterWord,
  isFrameLengthError,
} from '../src/index.js';
import { hex, unhex } from './helpers.js';

const frames = [unhex('01'), unhex(''), unhex('0203040506'), new Uint8Array(300).fill(9)];
const stream = (): Uint8Array => Buffer.concat(frames.map((f) => encodeFrame(f)));

function drain(fd: FrameDecoder): string[] {
  const out: string[] = [];
  for (let f = fd.next(); f !== null; f = fd.next()) out.push(hex(f));
  return out;
}

describe('FrameDecoder', () => {
  it('yields frames from one coalesced chunk as views without copying', () => {
    const fd = new FrameDecoder();
    const s = stream();
    fd.push(s);
    const first = fd.next()!;
    expect(first.buffer).toBe(s.buffer);
    expect([hex(first), ...drain(fd)]).toEqual(frames.map(hex));
    expect(fd.bufferedBytes).toBe(0);
  });

  it('reassembles frames split at every possible byte boundary', () => {
    const s = stream();
    for (let cut = 0; cut <= s.length; cut++) {
      const fd = new FrameDecoder();
      fd.push(s.subarray(0, cut));
      const got = drain(fd);
      fd.push(s.subarray(cut));
      got.push(...drain(fd));
      expect(got).toEqual(frames.map(hex));
    }
  });

  it('reassembles a byte-at-a-time stream', () => {
    const s = stream();
    const fd = new FrameDecoder();
    const got: string[] = [];
    for (let i = 0; i < s.length; i++) {
      fd.push(s.subarray(i, i + 1));
      got.push(...drain(fd));
    }
    expect(got).toEqual(frames.map(hex));
  });

  it('accepts a frame of exactly maxFrameLength and rejects one byte more, before the payload arrives', () => {
    const fd = new FrameDecoder({ maxFrameLength: 10 });
    fd.push(encodeFrame(new Uint8Array(10)));
    expect(fd.next()!.length).toBe(10);
    const over = new FrameDecoder({ maxFrameLength: 10 });
    over.push(unhex('0000000b'));
    let err: unknown;
    try {
      over.next();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FrameLengthError);
    expect(isFrameLengthError(err)).toBe(true);
    expect((err as FrameLengthError).length).toBe(11);
    expect((err as FrameLengthError).maxLength).toBe(10);
    expect((err as Error).message).toMatch(/11.*10/);
  });

  it('defaults to jute.maxbuffer = 0xfffff and rejects negative lengths', () => {
    const fd = new FrameDecoder();
    expect(fd.maxFrameLength).toBe(DEFAULT_JUTE_MAXBUFFER);
    fd.push(unhex('00100000')); // 0x100000 = maxbuffer + 1
    expect(() => fd.next()).toThrow(FrameLengthError);
    const neg = new FrameDecoder();
    neg.push(unhex('ffffffff'));
    expect(() => neg.next()).toThrow(/negative/);
  });

  it('exposes the first 4 bytes for four-letter-word detection', () => {
    const fd = new FrameDecoder();
    fd.push(new TextEncoder().encode('ru'));
    expect(fd.firstBytes).toBeNull();
    expect(fd.peekInt()).toBeNull();
    fd.push(new TextEncoder().encode('ok'));
    expect(hex(fd.firstBytes!)).toBe('72756f6b');
    expect(fd.peekInt()).toBe(0x72756f6b);
    expect(fourLetterWord(fd.peekInt()!)).toBe('ruok');
    expect(hex(fd.take(4))).toBe('72756f6b');
    expect(fd.bufferedBytes).toBe(0);
    expect(hex(fd.firstBytes!)).toBe('72756f6b');
  });

  it('knows the 3.8 four-letter words and nothing else', () => {
    expect(FOUR_LETTER_WORDS).toContain('mntr');
    expect(fourLetterWord(0x73727672)).toBe('srvr');
    expect(fourLetterWord(0x0000002d)).toBeNull(); // a ConnectRequest length
    expect(TELNET_CLOSE_CMD).toBe(0xfff4fffd | 0);
  });

  it('a server can peek a length, then frame normally', () => {
    const fd = new FrameDecoder();
    fd.push(encodeFrame(unhex('aa')));
    expect(fourLetterWord(fd.peekInt()!)).toBeNull();
    expect(hex(fd.next()!)).toBe('aa');
  });
});

describe('frame writing', () => {
  it('patches a placeholder length, and frames can be batched in one writer', () => {
    const w = new JuteWriter(4);
    for (const payload of ['01', '0203']) {
      const start = beginFrame(w);
      w.writeRaw(unhex(payload));
      endFrame(w, start);
    }
    expect(hex(w.view())).toBe('00000001' + '01' + '00000002' + '0203');
  });
});
