// String encoding exactly as ZooKeeper 3.8's jute speaks it.
//
// Encoding (verified in branch-3.8 zookeeper-jute/.../BinaryOutputArchive.java, stringToByteBuffer):
// Java does NOT use String.getBytes(UTF_8). It encodes each UTF-16 code unit on its own:
//   < 0x80 -> 1 byte, < 0x800 -> 2 bytes, anything else -> 3 bytes.
// So a supplementary character (a surrogate pair) becomes two 3-byte sequences (6 bytes, CESU-8
// style) instead of UTF-8's 4 bytes, and an unpaired surrogate becomes its own 3-byte sequence
// (ED A0..BF xx) instead of the replacement character. We reproduce that byte for byte.
//
// Decoding (BinaryInputArchive.readString): `new String(bytes, StandardCharsets.UTF_8)`, i.e. the
// JDK's replacing UTF-8 decoder. Valid UTF-8 decodes as usual; a 3-byte sequence that encodes a
// surrogate (what the encoder above emits for non-BMP text) becomes ONE U+FFFD per 3 bytes, and
// other malformed input is replaced the way the JDK does it (checked against OpenJDK 17 with a
// differential fuzz; see test/utf8.test.ts). WHATWG TextDecoder differs (it emits one U+FFFD per
// byte for ED A0 80), so we only use it for input it accepts in fatal mode.

const REPL = 0xfffd;
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const textEncoder = new TextEncoder();
const SURROGATE = /[\uD800-\uDFFF]/;

/** Upper bound of the encoded size of `s` (3 bytes per UTF-16 code unit). */
export function maxEncodedLength(s: string): number {
  return s.length * 3;
}

/** Exact number of bytes Java's jute encoder produces for `s`. */
export function encodedLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
  }
  return n;
}

/**
 * Encodes `s` into `buf` at `pos` (room for maxEncodedLength(s) bytes must exist) and returns the
 * number of bytes written.
 */
export function encodeJavaUtf8Into(s: string, buf: Uint8Array, pos: number): number {
  const len = s.length;
  if (len > 48 && !SURROGATE.test(s)) {
    // Without surrogates Java's per-char encoding equals standard UTF-8: use the native encoder.
    return textEncoder.encodeInto(s, buf.subarray(pos)).written;
  }
  let p = pos;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[p++] = c;
    } else if (c < 0x800) {
      buf[p++] = 0xc0 | (c >> 6);
      buf[p++] = 0x80 | (c & 0x3f);
    } else {
      buf[p++] = 0xe0 | (c >> 12);
      buf[p++] = 0x80 | ((c >> 6) & 0x3f);
      buf[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - pos;
}

/** Encodes `s` the way Java's jute encoder does and returns a fresh array. */
export function encodeJavaUtf8(s: string): Uint8Array {
  const tmp = new Uint8Array(maxEncodedLength(s));
  const n = encodeJavaUtf8Into(s, tmp, 0);
  return tmp.slice(0, n);
}

/** Decodes `bytes[start, end)` as the JDK's `new String(bytes, UTF_8)` would. */
export function decodeJavaUtf8(bytes: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n <= 32) {
    // Short strings (paths, schemes): an ASCII loop beats crossing into the native decoder.
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
      return s;
    }
  }
  try {
    return textDecoder.decode(bytes.subarray(start, end));
  } catch {
    return decodeMalformed(bytes, start, end);
  }
}

const isCont = (b: number): boolean => (b & 0xc0) === 0x80;

/**
 * The slow path for input that is not well-formed UTF-8: a reimplementation of the replacement
 * rules of OpenJDK's UTF-8 decoder (String(byte[], UTF_8)).
 */
function decodeMalformed(src: Uint8Array, sp: number, sl: number): string {
  const out: number[] = [];
  while (sp < sl) {
    const b1 = src[sp++]!;
    if (b1 < 0x80) {
      out.push(b1);
    } else if (b1 >= 0xc2 && b1 <= 0xdf) {
      // 2-byte sequence
      if (sp < sl) {
        const b2 = src[sp]!;
        if (!isCont(b2)) {
          out.push(REPL);
        } else {
          sp++;
          out.push(((b1 & 0x1f) << 6) | (b2 & 0x3f));
        }
        continue;
      }
      out.push(REPL);
      break;
    } else if ((b1 & 0xf0) === 0xe0) {
      // 3-byte sequence
      if (sp + 1 < sl) {
        const b2 = src[sp]!;
        const b3 = src[sp + 1]!;
        if ((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !isCont(b2) || !isCont(b3)) {
          out.push(REPL);
          // Skip the maximal malformed prefix: b1 alone, or b1 b2 when b2 was acceptable.
          if (!((b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !isCont(b2))) sp++;
        } else {
          sp += 2;
          const c = ((b1 & 0x0f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
          out.push(c >= 0xd800 && c <= 0xdfff ? REPL : c);
        }
        continue;
      }
      if (sp < sl && isMalformed3Prefix(b1, src[sp]!)) {
        out.push(REPL);
        continue;
      }
      out.push(REPL);
      break;
    } else if ((b1 & 0xf8) === 0xf0) {
      // 4-byte sequence
      if (sp + 2 < sl) {
        const b2 = src[sp]!;
        const b3 = src[sp + 1]!;
        const b4 = src[sp + 2]!;
        const uc = ((b1 & 0x07) << 18) | ((b2 & 0x3f) << 12) | ((b3 & 0x3f) << 6) | (b4 & 0x3f);
        if (!isCont(b2) || !isCont(b3) || !isCont(b4) || uc < 0x10000 || uc > 0x10ffff) {
          out.push(REPL);
          sp += malformed4Skip(b1, b2, b3);
        } else {
          sp += 3;
          const v = uc - 0x10000;
          out.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
        }
        continue;
      }
      if (b1 > 0xf4 || (sp < sl && isMalformed4Prefix(b1, src[sp]!))) {
        out.push(REPL);
        continue;
      }
      sp++;
      out.push(REPL);
      if (sp < sl && !isCont(src[sp]!)) continue;
      break;
    } else {
      out.push(REPL);
    }
  }
  let s = '';
  for (let i = 0; i < out.length; i += 4096) {
    s += String.fromCharCode(...out.slice(i, i + 4096));
  }
  return s;
}

function isMalformed3Prefix(b1: number, b2: number): boolean {
  return (b1 === 0xe0 && (b2 & 0xe0) === 0x80) || !isCont(b2);
}

function isMalformed4Prefix(b1: number, b2: number): boolean {
  return (b1 === 0xf0 && (b2 < 0x90 || b2 > 0xbf)) || (b1 === 0xf4 && (b2 & 0xf0) !== 0x80) || !isCont(b2);
}

function malformed4Skip(b1: number, b2: number, b3: number): number {
  if (b1 > 0xf4 || isMalformed4Prefix(b1, b2)) return 0;
  if (!isCont(b3)) return 1;
  return 2;
}
