// Memory-lean node storage: one slot per znode, Stat fields in typed-array columns, the path's
// UTF-8 bytes followed by the data in append-only slabs (no JS string or object per node), and
// children as per-parent lists of slot numbers. Nothing here knows ZooKeeper rules; tree.ts does.

const SLAB_SIZE = 256 * 1024;
/** Values at least this large get a dedicated slab. */
const BIG_VALUE = 16 * 1024;

/**
 * Append-only byte slabs. A node's bytes are never written over, so views handed to readers stay valid
 * after the node changes; slabs whose values are all released are dropped, and sparse slabs are
 * compacted when garbage exceeds the live bytes.
 */
class DataArena {
  slabs: (Uint8Array | null)[] = [];
  /** A DataView over each slab (digests read data in place). */
  views: (DataView | null)[] = [];
  live: number[] = [];
  private freeSlabs: number[] = [];
  private cur = -1;
  private curOff = SLAB_SIZE;
  liveBytes = 0;
  slabBytes = 0;

  private newSlab(size: number): number {
    const buf = new Uint8Array(size);
    const i = this.freeSlabs.length > 0 ? this.freeSlabs.pop()! : this.slabs.length;
    this.slabs[i] = buf;
    this.views[i] = new DataView(buf.buffer);
    this.live[i] = 0;
    this.slabBytes += size;
    return i;
  }

  /** Copies `data` in (non-empty); returns the slab index and writes the offset to out[0]. */
  alloc(data: Uint8Array, out: Int32Array): number {
    const slab = this.take(data.length, out);
    this.slabs[slab]!.set(data, out[0]!);
    return slab;
  }

  /** Room for `n` > 0 bytes, counted live: returns the slab index and writes the offset to out[0]. */
  take(n: number, out: Int32Array): number {
    let slab: number;
    let off: number;
    if (n >= BIG_VALUE) {
      slab = this.newSlab(n);
      off = 0;
    } else {
      if (this.cur < 0 || this.curOff + n > SLAB_SIZE) {
        const prev = this.cur;
        this.cur = this.newSlab(SLAB_SIZE);
        this.curOff = 0;
        if (prev >= 0 && this.live[prev] === 0) this.drop(prev);
      }
      slab = this.cur;
      off = this.curOff;
      this.curOff += n;
    }
    this.live[slab]! += n;
    this.liveBytes += n;
    out[0] = off;
    return slab;
  }

  release(slab: number, len: number): void {
    this.live[slab]! -= len;
    this.liveBytes -= len;
    if (this.live[slab] === 0 && slab !== this.cur) this.drop(slab);
  }

  private drop(slab: number): void {
    this.slabBytes -= this.slabs[slab]!.length;
    this.slabs[slab] = null;
    this.views[slab] = null;
    this.freeSlabs.push(slab);
  }

  view(slab: number, off: number, len: number): Uint8Array {
    return this.slabs[slab]!.subarray(off, off + len);
  }

  needsCompaction(): boolean {
    return this.slabBytes > 16 * 1024 * 1024 && this.slabBytes - this.liveBytes > this.liveBytes;
  }

  /** Is a slab less than half full of live values (worth moving out of)? */
  isSparse(slab: number): boolean {
    const s = this.slabs[slab]!;
    return slab !== this.cur && s.length === SLAB_SIZE && this.live[slab]! * 2 < SLAB_SIZE;
  }

  clear(): void {
    this.slabs = [];
    this.views = [];
    this.live = [];
    this.freeSlabs = [];
    this.cur = -1;
    this.curOff = SLAB_SIZE;
    this.liveBytes = 0;
    this.slabBytes = 0;
  }
}

const EMPTY = new Uint8Array(0);
const SLASH = 0x2f;

/** Java's String.hashCode (UTF-16 units). */
function javaHash(str: string): number {
  let h = 0;
  for (let i = 0; i < str.length; i++) h = (Math.imul(h, 31) + str.charCodeAt(i)) | 0;
  return h;
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Scratch for the UTF-8 encoding of non-ASCII paths. */
let scratch = new Uint8Array(1024);

/** The UTF-8 bytes of `s` in a shared scratch buffer (valid until the next call): [buffer, length]. */
export function utf8Scratch(s: string): [Uint8Array, number] {
  if (s.length * 3 > scratch.length) scratch = new Uint8Array(s.length * 3);
  return [scratch, encoder.encodeInto(s, scratch).written];
}

/** Length in UTF-16 code units of well-formed UTF-8 bytes (String.length of their decoding). */
export function utf16Length(b: Uint8Array, at: number, n: number): number {
  let len = 0;
  for (let i = at; i < at + n; i++) {
    const c = b[i]!;
    if ((c & 0xc0) !== 0x80) len += c >= 0xf0 ? 2 : 1;
  }
  return len;
}

type SliceFn = (this: Uint8Array, start: number, end: number) => string;
// Node's Buffer.prototype.latin1Slice / utf8Slice accept any Uint8Array as `this`.
const bufferProto = Buffer.prototype as unknown as { latin1Slice?: SliceFn; utf8Slice?: SliceFn };
const latin1Slice: SliceFn = bufferProto.latin1Slice ?? function (this: Uint8Array, start, end) {
  return Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString('latin1', start, end);
};
const utf8Slice: SliceFn = bufferProto.utf8Slice ?? function (this: Uint8Array, start, end) {
  return decoder.decode(this.subarray(start, end));
};

/** Decodes UTF-8 bytes written from a JS string (so well-formed); ASCII through Latin-1. */
export function decodeUtf8(b: Uint8Array, at: number, n: number): string {
  const end = at + n;
  for (let i = at; i < end; i++) if (b[i]! >= 0x80) return utf8Slice.call(b, at, end);
  return latin1Slice.call(b, at, end);
}

/**
 * Copies n bytes between two buffers through their DataViews, four at a time: no subarray (a
 * snapshot load copies a million values, and an object per copy keeps the young generation busy).
 * Large copies use TypedArray.set.
 */
function copyBytes(src: Uint8Array, sv: DataView, from: number, dst: Uint8Array, dv: DataView, to: number, n: number): void {
  if (n > 512) {
    dst.set(src.subarray(from, from + n), to);
    return;
  }
  let i = 0;
  for (; i + 4 <= n; i += 4) dv.setInt32(to + i, sv.getInt32(from + i));
  for (; i < n; i++) dst[to + i] = src[from + i]!;
}

/**
 * Index of the high / low 32-bit half of a 64-bit column entry in its Int32Array alias
 * (`czxidW[2 * s + HI]`): zxids are copied and hashed as two int32 halves, without a BigInt.
 */
export const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
export const LO = 1 - HI;

export class NodeStore {
  capacity: number;
  czxid: BigInt64Array;
  mzxid: BigInt64Array;
  pzxid: BigInt64Array;
  /**
   * ephemeralOwner by slot, only where it is not 0 (ephemerals, containers, TTL nodes): most
   * trees have few, so a column of 8 bytes per node would mostly hold zeros.
   */
  private owners = new Map<number, bigint>();
  /** Int32Array aliases of czxid, mzxid and pzxid (see HI / LO). */
  czxidW!: Int32Array;
  mzxidW!: Int32Array;
  pzxidW!: Int32Array;
  ctime: Float64Array;
  mtime: Float64Array;
  version: Int32Array;
  cversion: Int32Array;
  aversion: Int32Array;
  acl: Int32Array;
  /** log2 of the parent's java.util.HashSet capacity for its children; 0 = never had children. */
  childCap: Uint8Array;
  digest: Uint32Array;
  digestOk: Uint8Array;
  /** Where the node's bytes are: `pLen` bytes of path (UTF-8), then the data. */
  dSlab: Int32Array;
  dOff: Int32Array;
  /** Path bytes; -1 = a free slot. */
  pLen: Int32Array;
  /** Data bytes; -1 = null data. */
  dLen: Int32Array;
  /**
   * Children of each slot in insertion order (the order java.util.HashSet keeps within a bucket):
   * [used length, live count, child, child, ...], -1 for a removed child not compacted away yet;
   * null until the first child. With `kidPos` (a child's index in its parent's list): O(1) add
   * and remove, 4 bytes per child, no Set per parent and nothing for childless nodes.
   */
  kids: (Int32Array | null)[];
  kidPos: Int32Array;
  private freeSlots: number[] = [];
  private top = 0;
  readonly arena = new DataArena();
  private readonly offOut = new Int32Array(1);

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.czxid = new BigInt64Array(initialCapacity);
    this.mzxid = new BigInt64Array(initialCapacity);
    this.pzxid = new BigInt64Array(initialCapacity);
    this.ctime = new Float64Array(initialCapacity);
    this.mtime = new Float64Array(initialCapacity);
    this.version = new Int32Array(initialCapacity);
    this.cversion = new Int32Array(initialCapacity);
    this.aversion = new Int32Array(initialCapacity);
    this.acl = new Int32Array(initialCapacity);
    this.childCap = new Uint8Array(initialCapacity);
    this.digest = new Uint32Array(initialCapacity);
    this.digestOk = new Uint8Array(initialCapacity);
    this.dSlab = new Int32Array(initialCapacity);
    this.dOff = new Int32Array(initialCapacity);
    this.pLen = new Int32Array(initialCapacity);
    this.dLen = new Int32Array(initialCapacity);
    this.kidPos = new Int32Array(initialCapacity);
    this.kids = [];
    this.alias();
  }

  private alias(): void {
    this.czxidW = new Int32Array(this.czxid.buffer);
    this.mzxidW = new Int32Array(this.mzxid.buffer);
    this.pzxidW = new Int32Array(this.pzxid.buffer);
  }

  /** Makes room for at least `n` slots (one move of the columns). */
  reserve(n: number): void {
    if (n > this.capacity) this.grow(n);
  }

  /** Columns grow by half, not double: less slack per node and a lower peak while copying. */
  private grow(n = Math.max(this.capacity + 16, Math.ceil(this.capacity * 1.5))): void {
    const g = <T extends { length: number; set(a: ArrayLike<unknown>): void }>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a as unknown as ArrayLike<unknown>);
      return b;
    };
    this.czxid = g(this.czxid, BigInt64Array);
    this.mzxid = g(this.mzxid, BigInt64Array);
    this.pzxid = g(this.pzxid, BigInt64Array);
    this.ctime = g(this.ctime, Float64Array);
    this.mtime = g(this.mtime, Float64Array);
    this.version = g(this.version, Int32Array);
    this.cversion = g(this.cversion, Int32Array);
    this.aversion = g(this.aversion, Int32Array);
    this.acl = g(this.acl, Int32Array);
    this.childCap = g(this.childCap, Uint8Array);
    this.digest = g(this.digest, Uint32Array);
    this.digestOk = g(this.digestOk, Uint8Array);
    this.dSlab = g(this.dSlab, Int32Array);
    this.dOff = g(this.dOff, Int32Array);
    this.pLen = g(this.pLen, Int32Array);
    this.dLen = g(this.dLen, Int32Array);
    this.kidPos = g(this.kidPos, Int32Array);
    this.capacity = n;
    this.alias();
  }

  private newSlot(): number {
    let s: number;
    if (this.freeSlots.length > 0) {
      s = this.freeSlots.pop()!;
    } else {
      if (this.top === this.capacity) this.grow();
      s = this.top++;
    }
    this.kids[s] = null;
    this.childCap[s] = 0;
    this.digestOk[s] = 0;
    if (this.owners.size > 0) this.owners.delete(s);
    return s;
  }

  /** A fresh slot for `path` with `data` (copied), zeroed stat columns and no children. */
  allocSlot(path: string, data: Uint8Array | null = null): number {
    const s = this.newSlot();
    const dLen = data === null ? -1 : data.length;
    const n = path.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (path.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    let src: Uint8Array | null = null;
    let pLen = n;
    if (!ascii) {
      const [b, w] = utf8Scratch(path);
      src = b;
      pLen = w;
    }
    const slab = this.arena.take(pLen + (dLen > 0 ? dLen : 0), this.offOut);
    const off = this.offOut[0]!;
    const dst = this.arena.slabs[slab]!;
    if (src === null) for (let i = 0; i < n; i++) dst[off + i] = path.charCodeAt(i);
    else dst.set(src.subarray(0, pLen), off);
    if (dLen > 0) dst.set(data!, off + pLen);
    this.dSlab[s] = slab;
    this.dOff[s] = off;
    this.pLen[s] = pLen;
    this.dLen[s] = dLen;
    if (this.arena.needsCompaction()) this.compact();
    return s;
  }

  /**
   * A fresh slot whose path is `src[pathAt, pathAt + pathLen)` (UTF-8) and data
   * `src[dataAt, dataAt + dataLen)` (-1 for null), both copied (snapshot load).
   */
  allocSlotFrom(src: Uint8Array, srcView: DataView, pathAt: number, pathLen: number, dataAt: number, dataLen: number): number {
    const s = this.newSlot();
    const slab = this.arena.take(pathLen + (dataLen > 0 ? dataLen : 0), this.offOut);
    const off = this.offOut[0]!;
    const dst = this.arena.slabs[slab]!;
    const dstView = this.arena.views[slab]!;
    copyBytes(src, srcView, pathAt, dst, dstView, off, pathLen);
    if (dataLen > 0) copyBytes(src, srcView, dataAt, dst, dstView, off + pathLen, dataLen);
    this.dSlab[s] = slab;
    this.dOff[s] = off;
    this.pLen[s] = pathLen;
    this.dLen[s] = dataLen;
    return s;
  }

  freeSlot(s: number): void {
    const pLen = this.pLen[s]!;
    if (pLen < 0) return;
    if (this.owners.size > 0) this.owners.delete(s);
    const d = this.dLen[s]!;
    this.arena.release(this.dSlab[s]!, pLen + (d > 0 ? d : 0));
    this.pLen[s] = -1;
    this.dLen[s] = -1;
    this.kids[s] = null;
    this.freeSlots.push(s);
  }

  /** The node's ephemeralOwner (0n for most). */
  ownerOf(s: number): bigint {
    const m = this.owners;
    return m.size === 0 ? 0n : (m.get(s) ?? 0n);
  }

  setOwner(s: number, owner: bigint): void {
    if (owner === 0n) {
      if (this.owners.size > 0) this.owners.delete(s);
    } else {
      this.owners.set(s, owner);
    }
  }

  /** Is the slot in use? */
  isLive(s: number): boolean {
    return this.pLen[s]! >= 0;
  }

  // ---------------------------------------------------------------- paths

  /** The node's path as a new string. */
  pathOf(s: number): string {
    return decodeUtf8(this.arena.slabs[this.dSlab[s]!]!, this.dOff[s]!, this.pLen[s]!);
  }

  /** The last segment of the node's path (its name in the parent's child list). */
  nameOf(s: number): string {
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    const end = off + this.pLen[s]!;
    let i = end;
    while (i > off && b[i - 1] !== SLASH) i--;
    return decodeUtf8(b, i, end - i);
  }

  /** String.length of the path (for approximateDataSize), without decoding it. */
  pathLength16(s: number): number {
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    const n = this.pLen[s]!;
    for (let i = off; i < off + n; i++) if (b[i]! >= 0x80) return utf16Length(b, off, n);
    return n;
  }

  /** Does the node's path equal `key.substring(0, len)`? */
  pathEquals(s: number, key: string, len: number): boolean {
    const n = this.pLen[s]!;
    if (n < len) return false;
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    let i = 0;
    for (; i < len; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80) break;
      if (b[off + i] !== c) return false;
    }
    if (i === len) return n === len;
    const [e, w] = utf8Scratch(key.substring(i, len));
    if (n - i !== w) return false;
    for (let k = 0; k < w; k++) if (b[off + i + k] !== e[k]) return false;
    return true;
  }

  /** Does the node's path equal the bytes `src[at, at + n)`? */
  pathEqualsBytes(s: number, src: Uint8Array, at: number, n: number): boolean {
    if (this.pLen[s] !== n) return false;
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    for (let i = n - 1; i >= 0; i--) if (b[off + i] !== src[at + i]) return false;
    return true;
  }

  /** Do two slots hold the same path? */
  samePath(a: number, b: number): boolean {
    const n = this.pLen[b]!;
    return this.pathEqualsBytes(a, this.arena.slabs[this.dSlab[b]!]!, this.dOff[b]!, n);
  }

  /** Does the node's path start with the ASCII `prefix`? */
  pathStartsWith(s: number, prefix: string): boolean {
    const n = prefix.length;
    if (this.pLen[s]! < n) return false;
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    for (let i = 0; i < n; i++) if (b[off + i] !== prefix.charCodeAt(i)) return false;
    return true;
  }

  // ---------------------------------------------------------------- children

  /** Number of live children. */
  childCount(s: number): number {
    const list = this.kids[s];
    return list == null ? 0 : list[1]!;
  }

  /** Appends `child` to the children of `parent`. */
  addChild(parent: number, child: number): void {
    let list = this.kids[parent];
    if (list == null) {
      list = new Int32Array(6);
      list[0] = 2;
      this.kids[parent] = list;
    } else if (list[0] === list.length) {
      // Full: drop removed entries in place when they are many, else double.
      const live = list[1]!;
      list = this.compactChildren(parent, live * 2 >= list.length - 2 ? (list.length - 2) * 2 + 2 : list.length);
    }
    const at = list[0]!;
    list[at] = child;
    this.kidPos[child] = at;
    list[0] = at + 1;
    list[1]!++;
  }

  /** Removes `child` from the children of `parent`; false when it is not one of them. */
  removeChild(parent: number, child: number): boolean {
    const list = this.kids[parent];
    if (list == null) return false;
    const at = this.kidPos[child]!;
    let len = list[0]!;
    if (at < 2 || at >= len || list[at] !== child) return false;
    list[at] = -1;
    const live = --list[1]!;
    if (at === len - 1) {
      while (len > 2 && list[len - 1] === -1) len--;
      list[0] = len;
    } else if (len >= 34 && live * 2 < len - 2) {
      this.compactChildren(parent, list.length);
    }
    return true;
  }

  /** Rewrites the live children of `parent` in order into a list of `capacity` entries (header included). */
  private compactChildren(parent: number, capacity: number): Int32Array {
    const old = this.kids[parent]!;
    const len = old[0]!;
    const live = old[1]!;
    // In place when the capacity stays (entries only move down).
    const list = capacity === old.length ? old : new Int32Array(Math.max(capacity, live + 2));
    let n = 2;
    for (let i = 2; i < len; i++) {
      const c = old[i]!;
      if (c < 0) continue;
      list[n] = c;
      this.kidPos[c] = n;
      n++;
    }
    list[0] = n;
    list[1] = live;
    this.kids[parent] = list;
    return list;
  }

  /** Live children of `s`, in insertion order (a fresh array). */
  childSlots(s: number): number[] {
    const list = this.kids[s];
    if (list == null || list[1] === 0) return [];
    const out = new Array<number>(list[1]!);
    const len = list[0]!;
    let k = 0;
    for (let i = 2; i < len; i++) {
      const c = list[i]!;
      if (c >= 0) out[k++] = c;
    }
    return out;
  }

  /** Java's String.hashCode of the node's name (its parent's java.util.HashSet order). */
  nameHash(s: number): number {
    const b = this.arena.slabs[this.dSlab[s]!]!;
    const off = this.dOff[s]!;
    const end = off + this.pLen[s]!;
    let i = end;
    while (i > off && b[i - 1] !== SLASH) i--;
    let h = 0;
    for (let k = i; k < end; k++) {
      const c = b[k]!;
      if (c >= 0x80) return javaHash(decodeUtf8(b, i, end - i));
      h = (Math.imul(h, 31) + c) | 0;
    }
    return h;
  }

  /** Highest slot index ever used + 1 (for scans). */
  get slotLimit(): number {
    return this.top;
  }

  // ---------------------------------------------------------------- data

  getData(s: number): Uint8Array | null {
    const len = this.dLen[s]!;
    if (len < 0) return null;
    if (len === 0) return EMPTY;
    const off = this.dOff[s]! + this.pLen[s]!;
    return this.arena.slabs[this.dSlab[s]!]!.subarray(off, off + len);
  }

  dataLength(s: number): number {
    const len = this.dLen[s]!;
    return len < 0 ? 0 : len;
  }

  /** Replaces the data: the node's bytes move to a new place (views of the old data stay valid). */
  setData(s: number, data: Uint8Array | null): void {
    const pLen = this.pLen[s]!;
    const old = this.dLen[s]!;
    const n = data === null ? -1 : data.length;
    const oldSlab = this.dSlab[s]!;
    const oldOff = this.dOff[s]!;
    const slab = this.arena.take(pLen + (n > 0 ? n : 0), this.offOut);
    const off = this.offOut[0]!;
    const dst = this.arena.slabs[slab]!;
    const src = this.arena.slabs[oldSlab]!;
    for (let i = 0; i < pLen; i++) dst[off + i] = src[oldOff + i]!;
    if (n > 0) dst.set(data!, off + pLen);
    this.arena.release(oldSlab, pLen + (old > 0 ? old : 0));
    this.dSlab[s] = slab;
    this.dOff[s] = off;
    this.dLen[s] = n;
    if (this.arena.needsCompaction()) this.compact();
  }

  /** Moves nodes out of sparse slabs so those slabs can be dropped. */
  private compact(): void {
    const a = this.arena;
    const sparse = new Set<Uint8Array>();
    for (let i = 0; i < a.slabs.length; i++) {
      const buf = a.slabs[i];
      if (buf != null && a.isSparse(i)) sparse.add(buf);
    }
    if (sparse.size === 0) return;
    for (let s = 0; s < this.top; s++) {
      const pLen = this.pLen[s]!;
      if (pLen < 0) continue;
      const d = this.dLen[s]!;
      const len = pLen + (d > 0 ? d : 0);
      const slab = this.dSlab[s]!;
      if (!sparse.has(a.slabs[slab]!)) continue;
      const v = a.view(slab, this.dOff[s]!, len);
      const ns = a.alloc(v, this.offOut);
      a.release(slab, len);
      this.dSlab[s] = ns;
      this.dOff[s] = this.offOut[0]!;
    }
  }

  clear(): void {
    this.freeSlots = [];
    this.owners = new Map();
    this.top = 0;
    this.kids = [];
    this.arena.clear();
  }
}
