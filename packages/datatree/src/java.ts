// Small emulations of Java library behaviour that leak into ZooKeeper's observable replies:
// String.hashCode, HashMap/HashSet iteration order, String.split and Integer.parseInt rules,
// and String.format("%010d").

/** Java's String.hashCode over UTF-16 code units (int32 arithmetic). */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/** HashMap.hash(): the spread applied before masking with (capacity - 1). */
export function spreadHash(h: number): number {
  return h ^ (h >>> 16);
}

/** HashMap.tableSizeFor: next power of two >= c (1 for c <= 1). */
export function tableSizeFor(c: number): number {
  if (c <= 1) return 1;
  let n = 1;
  while (n < c) n *= 2;
  return n;
}

/** Resize threshold of a HashMap table of `cap` buckets at the default load factor 0.75. */
export function thresholdOf(cap: number): number {
  return Math.floor(cap * 0.75);
}

/** Capacity a fresh HashMap clone / copy-constructor picks for `size` entries (putMapEntries). */
export function cloneCapacity(size: number): number {
  if (size <= 0) return 16;
  const ft = Math.fround(Math.fround(size) / Math.fround(0.75)) + 1;
  return tableSizeFor(Math.floor(Math.fround(ft)));
}

/**
 * Orders `items` (given in per-bucket insertion order) as a java.util.HashSet of `cap` buckets
 * iterates them: by bucket index, stable within a bucket. Tree bins (8+ colliding entries in a
 * table of 64+ buckets) are not modelled.
 */
export function hashOrder<T>(items: readonly T[], hashes: ArrayLike<number>, cap: number): T[] {
  const n = items.length;
  if (n <= 1) return items.slice();
  const mask = cap - 1;
  const buckets = new Int32Array(n);
  let sorted = true;
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const b = spreadHash(hashes[i]!) & mask;
    buckets[i] = b;
    if (b < prev) sorted = false;
    prev = b;
  }
  if (sorted) return items.slice();
  if (n <= 24) {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) idx.push(i);
    idx.sort((a, b) => buckets[a]! - buckets[b]! || a - b);
    return idx.map((i) => items[i]!);
  }
  // counting sort over bucket indices (stable)
  const counts = new Int32Array(cap + 1);
  for (let i = 0; i < n; i++) counts[buckets[i]! + 1]!++;
  for (let b = 0; b < cap; b++) counts[b + 1]! += counts[b]!;
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[counts[buckets[i]!]!++] = items[i]!;
  return out;
}

/** Capacity (log2) of a HashSet created as `new HashSet<>(8)` after its size reached `size`. */
export function grownCapLog2(capLog2: number, size: number): number {
  let cap = capLog2 === 0 ? 8 : 1 << capLog2;
  let log = capLog2 === 0 ? 3 : capLog2;
  while (size > thresholdOf(cap)) {
    cap *= 2;
    log++;
  }
  return log;
}

/**
 * A faithful-enough java.util.HashSet<String> for small sets whose iteration order ZooKeeper
 * exposes (session ephemerals in closeSession / getEphemerals). Models lazy table allocation,
 * growth at 0.75 load, order-preserving resize splits and the "resize instead of treeify" rule
 * for tables under 64 buckets; tree bins themselves are not modelled.
 */
export class JavaHashSet {
  private table: string[][] | null = null;
  private cap = 0;
  private thr: number;
  private count = 0;

  /** `initialCapacity` as passed to `new HashSet<>(n)`; omit for `new HashSet<>()`. */
  constructor(initialCapacity?: number) {
    this.thr = initialCapacity === undefined ? 0 : tableSizeFor(initialCapacity);
  }

  /** `new HashSet<>(source)` / `source.clone()`: a table sized for source.size, filled in order. */
  static copyOf(items: Iterable<string>, size: number): JavaHashSet {
    const s = new JavaHashSet();
    if (size > 0) s.thr = cloneCapacity(size);
    for (const it of items) s.add(it);
    return s;
  }

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.cap;
  }

  private resize(): void {
    const old = this.table;
    if (old === null) {
      this.cap = this.thr > 0 ? this.thr : 16;
    } else {
      this.cap = this.cap * 2;
    }
    this.thr = thresholdOf(this.cap);
    const t: string[][] = new Array(this.cap);
    for (let i = 0; i < this.cap; i++) t[i] = [];
    if (old !== null) {
      const mask = this.cap - 1;
      for (const bucket of old) for (const s of bucket) t[spreadHash(javaStringHash(s)) & mask]!.push(s);
    }
    this.table = t;
  }

  add(s: string): boolean {
    if (this.table === null) this.resize();
    const bucket = this.table![spreadHash(javaStringHash(s)) & (this.cap - 1)]!;
    if (bucket.includes(s)) return false;
    bucket.push(s);
    if (bucket.length >= 9 && this.cap < 64) this.resize();
    if (++this.count > this.thr) this.resize();
    return true;
  }

  remove(s: string): boolean {
    if (this.table === null) return false;
    const bucket = this.table[spreadHash(javaStringHash(s)) & (this.cap - 1)]!;
    const i = bucket.indexOf(s);
    if (i < 0) return false;
    bucket.splice(i, 1);
    this.count--;
    return true;
  }

  has(s: string): boolean {
    if (this.table === null) return false;
    return this.table[spreadHash(javaStringHash(s)) & (this.cap - 1)]!.includes(s);
  }

  toArray(): string[] {
    const out: string[] = [];
    if (this.table !== null) for (const b of this.table) for (const s of b) out.push(s);
    return out;
  }
}

/** Java String.split(regexChar) with limit 0: trailing empty strings removed ("" stays [""]). */
export function javaSplit(s: string, sep: string): string[] {
  if (s.length === 0) return [''];
  const parts = s.split(sep);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Java String.split(sep, 2): at most two parts, trailing empties kept. */
export function javaSplit2(s: string, sep: string): string[] {
  const i = s.indexOf(sep);
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + sep.length)];
}

const INT_RE = /^[+-]?[0-9]+$/;

/** Integer.parseInt: optional sign, ASCII digits, int32 range; NaN when Java would throw. */
export function javaParseInt(s: string): number {
  if (!INT_RE.test(s)) return NaN;
  const v = Number(s);
  if (v > 2147483647 || v < -2147483648) return NaN;
  return v;
}

/** Long.parseLong as a bigint; null when Java would throw NumberFormatException. */
export function javaParseLong(s: string): bigint | null {
  if (!INT_RE.test(s)) return null;
  const v = BigInt(s);
  if (v > 0x7fffffffffffffffn || v < -0x8000000000000000n) return null;
  return v;
}

/** String.format(Locale.ENGLISH, "%010d", n) for a signed int32. */
export function formatSequence(n: number): string {
  if (n >= 0) return String(n).padStart(10, '0');
  return '-' + String(-n).padStart(9, '0');
}
