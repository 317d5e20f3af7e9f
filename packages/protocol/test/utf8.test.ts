import { describe, expect, it } from 'vitest';
import { JuteReader, JuteWriter, decodeJavaUtf8, encodeJavaUtf8, encodedLength } from '../src/index.js';
import { hex, unhex } from './helpers.js';

// Produced by ZooKeeper 3.8's own org.apache.jute.BinaryOutputArchive.writeString (OpenJDK 17).
// Java encodes each UTF-16 unit separately, so surrogates take 3 bytes each.
const JAVA_WRITE_STRING: Array<[string | null, string]> = [
  ['', '00000000'],
  ['/a', '000000022f61'],
  ['é', '00000002c3a9'],
  ['€', '00000003e282ac'],
  ['\u07ff', '00000002dfbf'],
  ['\u0800', '00000003e0a080'],
  ['\uffff', '00000003efbfbf'],
  ['\ud83d\ude00', '00000006eda0bdedb880'], // U+1F600: 6 bytes, not UTF-8's f09f9880
  ['\ud800', '00000003eda080'], // unpaired high surrogate
  ['\udc00x', '00000004edb08078'], // unpaired low surrogate
  ['x\ud83d', '0000000478eda0bd'],
  ['/zoo/\u00e9\u20ac\ud83d\ude00', '000000102f7a6f6f2fc3a9e282aceda0bdedb880'],
  [null, 'ffffffff'],
];

// What the JDK's `new String(bytes, UTF_8)` (BinaryInputArchive.readString) returns, as UTF-16 hex.
const JAVA_READ_STRING: Array<[string, string]> = [
  ['eda0bdedb880', 'fffdfffd'], // Java's own encoding of U+1F600 does not survive a Java decode
  ['eda080', 'fffd'],
  ['f09f9880', 'd83dde00'],
  ['c080', 'fffdfffd'],
  ['e080', 'fffdfffd'],
  ['e282', 'fffd'],
  ['e28241', 'fffd0041'],
  ['f0', 'fffd'],
  ['f09f', 'fffd'],
  ['f09f98', 'fffd'],
  ['f4908080', 'fffdfffdfffdfffd'],
  ['ff41', 'fffd0041'],
  ['80', 'fffd'],
  ['c3', 'fffd'],
  ['c3a9', '00e9'],
  ['2f61c3', '002f0061fffd'],
  ['ed9fbf', 'd7ff'],
  ['efbfbd', 'fffd'],
  ['f8888080', 'fffdfffdfffdfffd'],
];

const utf16hex = (s: string): string => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i).toString(16).padStart(4, '0')).join('');

describe('Java-compatible string encoding', () => {
  for (const [s, expected] of JAVA_WRITE_STRING) {
    it(`writeString(${JSON.stringify(s)}) matches BinaryOutputArchive`, () => {
      const w = new JuteWriter(4);
      w.writeString(s);
      expect(hex(w.finish())).toBe(expected);
      if (s !== null) {
        expect(encodedLength(s)).toBe(expected.length / 2 - 4);
        expect(hex(encodeJavaUtf8(s))).toBe(expected.slice(8));
      }
    });
  }

  it('uses the same encoding on the long-string path', () => {
    const long = 'a'.repeat(100) + '\ud83d\ude00' + 'é'.repeat(10);
    const w = new JuteWriter();
    w.writeString(long);
    expect(hex(w.finish())).toBe((100 + 6 + 20).toString(16).padStart(8, '0') + '61'.repeat(100) + 'eda0bdedb880' + 'c3a9'.repeat(10));
    const plainLong = 'ü'.repeat(200);
    const w2 = new JuteWriter();
    w2.writeString(plainLong);
    expect(hex(w2.finish())).toBe((400).toString(16).padStart(8, '0') + 'c3bc'.repeat(200));
  });

  it('non-ASCII after an ASCII prefix on the short path', () => {
    const w = new JuteWriter();
    w.writeString('/a/€');
    expect(hex(w.finish())).toBe('000000062f612fe282ac');
  });
});

describe('Java-compatible string decoding', () => {
  for (const [bytes, expected] of JAVA_READ_STRING) {
    it(`decodes ${bytes} like new String(b, UTF_8)`, () => {
      const b = unhex(bytes);
      expect(utf16hex(decodeJavaUtf8(b, 0, b.length))).toBe(expected);
    });
  }

  it('JuteReader.readString gives the same results on its short and long fast paths', () => {
    for (const [bytes, expected] of JAVA_READ_STRING) {
      for (const pad of [0, 70]) {
        const b = unhex('61'.repeat(pad) + bytes);
        const w = new JuteWriter();
        w.writeBuffer(b);
        const fromPlain = new JuteReader(w.finish()).readString();
        const fromBuffer = new JuteReader(Buffer.from(w.finish())).readString();
        expect(utf16hex(fromPlain)).toBe('0061'.repeat(pad) + expected);
        expect(fromBuffer).toBe(fromPlain);
      }
    }
  });

  it('round-trips BMP text through writer and reader', () => {
    for (const s of ['', '/', '/a/b', 'zoo-ключ-鍵-€', 'x'.repeat(1000), '\u0000']) {
      const w = new JuteWriter();
      w.writeString(s);
      expect(new JuteReader(w.finish()).readString()).toBe(s);
    }
  });

  it('decodes standard 4-byte UTF-8 (what kazoo / Go clients send) into a surrogate pair', () => {
    const w = new JuteWriter();
    w.writeBuffer(unhex('2ff09f9880'));
    expect(new JuteReader(w.finish()).readString()).toBe('/\ud83d\ude00');
  });
});
