/** Deterministic test bytes: `size` bytes from a xorshift32 stream seeded by `seed`. */
export function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.byteLength;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/** `undefined` when equal, otherwise a short description of the first difference. */
export function firstDifference(actual: Uint8Array, expected: Uint8Array): string | undefined {
  const n = Math.min(actual.byteLength, expected.byteLength);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) return `byte ${i} is ${actual[i]}, expected ${expected[i]}`;
  }
  if (actual.byteLength !== expected.byteLength) {
    return `length is ${actual.byteLength}, expected ${expected.byteLength}`;
  }
  return undefined;
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
