// The path -> slot index of a DataTree: an open-addressing hash table in one Int32Array, holding
// each entry's 32-bit path hash next to its slot; the paths themselves are the nodes' UTF-8 bytes
// in the NodeStore. With a million paths a JS Map costs several cache misses per insert or failed
// lookup (bucket, entry, then every key string on the chain) plus a JS string per node; here an
// insert or a miss touches one table line, and a hit checks the stored hash before it compares
// the node's bytes. Growing rehashes from the stored hashes. No pointers for the GC to trace.
import { type NodeStore, utf8Scratch } from './store.js';

/** Hash of UTF-8 bytes: 32-bit FNV-1a, then murmur3's finalizer to spread it over the mask. */
export function pathHashBytes(b: Uint8Array, at: number, n: number): number {
  let h = -2128831035;
  for (let i = at; i < at + n; i++) h = Math.imul(h ^ b[i]!, 16777619);
  return fmix(h);
}

/** pathHashBytes of the UTF-8 encoding of `key.substring(0, len)`. */
export function pathHash(key: string, len = key.length): number {
  let h = -2128831035;
  for (let i = 0; i < len; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x80) {
      const [b, w] = utf8Scratch(key.substring(i, len));
      for (let k = 0; k < w; k++) h = Math.imul(h ^ b[k]!, 16777619);
      break;
    }
    h = Math.imul(h ^ c, 16777619);
  }
  return fmix(h);
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, -2048144789);
  h ^= h >>> 13;
  h = Math.imul(h, -1028477387);
  return h ^ (h >>> 16);
}

const MIN_CAPACITY = 1024;

/**
 * Maps a path to the live slot holding it, plus the root's `""` alias. Linear probing at most
 * half full; deletion shifts the rest of the cluster back (no tombstones). `get` / `has` / `set`
 * / `delete` / `size` behave as on a `Map<string, number>`, but `set(k, s)` requires slot `s` to
 * hold path `k` (except for the key `""`).
 */
export class PathIndex {
  /** [hash, slot + 1] pairs; slot + 1 === 0 marks an empty entry. */
  private table: Int32Array;
  /** Entries - 1 (a power of two minus one). */
  private mask: number;
  private count = 0;
  /** The slot of the `""` key, or -1. */
  private empty = -1;

  constructor(private readonly store: NodeStore) {
    this.table = new Int32Array(2 * MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
  }

  get size(): number {
    return this.count + (this.empty >= 0 ? 1 : 0);
  }

  /** Position (index of the hash word) of `key.substring(0, len)` with hash `h`, or -1. */
  private find(key: string, len: number, h: number): number {
    const t = this.table;
    const mask = this.mask;
    const store = this.store;
    let e = h & mask;
    for (;;) {
      const i = e << 1;
      const v = t[i + 1]!;
      if (v === 0) return -1;
      if (t[i] === h && store.pathEquals(v - 1, key, len)) return i;
      e = (e + 1) & mask;
    }
  }

  get(key: string): number | undefined {
    if (key.length === 0) return this.empty >= 0 ? this.empty : undefined;
    const i = this.find(key, key.length, pathHash(key));
    return i < 0 ? undefined : this.table[i + 1]! - 1;
  }

  /** get(key.substring(0, len)) without making the substring (a parent's slot from a child's path). */
  getPrefix(key: string, len: number): number | undefined {
    if (len <= 0) return this.empty >= 0 ? this.empty : undefined;
    const i = this.find(key, len, pathHash(key, len));
    return i < 0 ? undefined : this.table[i + 1]! - 1;
  }

  /** The slot holding the path `b[at, at + n)` (UTF-8), or -1. */
  getBytes(b: Uint8Array, at: number, n: number, h = pathHashBytes(b, at, n)): number {
    if (n === 0) return this.empty;
    const t = this.table;
    const mask = this.mask;
    let e = h & mask;
    for (;;) {
      const i = e << 1;
      const v = t[i + 1]!;
      if (v === 0) return -1;
      if (t[i] === h && this.store.pathEqualsBytes(v - 1, b, at, n)) return v - 1;
      e = (e + 1) & mask;
    }
  }

  has(key: string): boolean {
    if (key.length === 0) return this.empty >= 0;
    return this.find(key, key.length, pathHash(key)) >= 0;
  }

  /** has() with the key's hash already computed (`pathHash(key)`). */
  hasHashed(key: string, h: number): boolean {
    if (key.length === 0) return this.empty >= 0;
    return this.find(key, key.length, h) >= 0;
  }

  set(key: string, slot: number): this {
    if (key.length === 0) {
      this.empty = slot;
      return this;
    }
    const h = pathHash(key);
    const i = this.find(key, key.length, h);
    if (i >= 0) this.table[i + 1] = slot + 1;
    else this.insertNew(h, slot);
    return this;
  }

  /** Adds slot `slot`, whose path hashes to `h` and is not in the index yet. */
  insertNew(h: number, slot: number): void {
    const t = this.table;
    const mask = this.mask;
    let e = h & mask;
    while (t[(e << 1) + 1] !== 0) e = (e + 1) & mask;
    t[e << 1] = h;
    t[(e << 1) + 1] = slot + 1;
    if (++this.count * 2 > mask + 1) this.grow();
  }

  /**
   * Inserts `n` (hash, slot) pairs whose paths are not in the index yet (a snapshot load), in
   * table order: sorted by home position (one counting-sort pass over its top bits), the writes
   * stream through the table instead of missing the cache once per node. Returns the slot of a
   * pair whose path is already present (a duplicate; nothing after it is inserted), or -1.
   */
  insertBulk(hashes: Int32Array, slots: Int32Array, n: number): number {
    this.reserve(this.count + n);
    const mask = this.mask;
    if (n < 4096) {
      // Few: the sort would cost more than the misses it saves.
      for (let j = 0; j < n; j++) {
        const h = hashes[j]!;
        const slot = slots[j]!;
        let e = h & mask;
        for (;;) {
          const v = this.table[(e << 1) + 1]!;
          if (v === 0) break;
          if (this.table[e << 1] === h && this.store.samePath(v - 1, slot)) return slot;
          e = (e + 1) & mask;
        }
        this.table[e << 1] = h;
        this.table[(e << 1) + 1] = slot + 1;
        this.count++;
      }
      return -1;
    }
    const bits = 31 - Math.clz32(mask + 1);
    const shift = bits > 16 ? bits - 16 : 0;
    const groups = (mask + 1) >>> shift;
    const start = new Int32Array(groups + 1);
    for (let i = 0; i < n; i++) start[((hashes[i]! & mask) >>> shift) + 1]!++;
    for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[start[(hashes[i]! & mask) >>> shift]!++] = i;
    const t = this.table;
    const store = this.store;
    for (let k = 0; k < n; k++) {
      const j = order[k]!;
      const h = hashes[j]!;
      const slot = slots[j]!;
      let e = h & mask;
      for (;;) {
        const v = t[(e << 1) + 1]!;
        if (v === 0) break;
        if (t[e << 1] === h && store.samePath(v - 1, slot)) return slot;
        e = (e + 1) & mask;
      }
      t[e << 1] = h;
      t[(e << 1) + 1] = slot + 1;
      this.count++;
    }
    return -1;
  }

  /** Makes `slot` the holder of the `""` key. */
  setEmpty(slot: number): void {
    this.empty = slot;
  }

  delete(key: string): boolean {
    if (key.length === 0) {
      const had = this.empty >= 0;
      this.empty = -1;
      return had;
    }
    const found = this.find(key, key.length, pathHash(key));
    if (found < 0) return false;
    const t = this.table;
    const mask = this.mask;
    let hole = found >> 1;
    t[found] = 0;
    t[found + 1] = 0;
    // Shift later members of the cluster back into the hole unless their home lies cyclically
    // in (hole, e].
    let e = hole;
    for (;;) {
      e = (e + 1) & mask;
      const i = e << 1;
      if (t[i + 1] === 0) break;
      const home = t[i]! & mask;
      const stays = hole <= e ? home > hole && home <= e : home > hole || home <= e;
      if (stays) continue;
      const j = hole << 1;
      t[j] = t[i]!;
      t[j + 1] = t[i + 1]!;
      t[i] = 0;
      t[i + 1] = 0;
      hole = e;
    }
    this.count--;
    return true;
  }

  clear(): void {
    this.table = new Int32Array(2 * MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
    this.empty = -1;
  }

  /** Room for `n` keys without growing again (before a bulk load). */
  reserve(n: number): void {
    let cap = this.mask + 1;
    while (n * 2 > cap) cap *= 2;
    if (cap > this.mask + 1) this.rehash(cap);
  }

  private grow(): void {
    this.rehash((this.mask + 1) * 2);
  }

  private rehash(cap: number): void {
    const old = this.table;
    const t = new Int32Array(2 * cap);
    const mask = cap - 1;
    for (let i = 0; i < old.length; i += 2) {
      const v = old[i + 1]!;
      if (v === 0) continue;
      const h = old[i]!;
      let e = h & mask;
      while (t[(e << 1) + 1] !== 0) e = (e + 1) & mask;
      t[e << 1] = h;
      t[(e << 1) + 1] = v;
    }
    this.table = t;
    this.mask = mask;
  }
}
