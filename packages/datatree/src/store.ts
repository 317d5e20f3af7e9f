// Memory-lean node storage: one slot per znode, Stat fields in typed-array columns, data bytes in
// append-only slabs, children as a Set of slot numbers only for nodes that ever had children.
// Nothing here knows ZooKeeper rules; tree.ts does.

const SLAB_SIZE = 256 * 1024;
/** Values at least this large get a dedicated slab. */
const BIG_VALUE = 16 * 1024;

/**
 * Append-only byte slabs. A value is never written over, so views handed to readers stay valid
 * after the node changes; slabs whose values are all released are dropped, and sparse slabs are
 * compacted when garbage exceeds the live bytes.
 */
class DataArena {
  slabs: (Uint8Array | null)[] = [];
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
    this.live[i] = 0;
    this.slabBytes += size;
    return i;
  }

  /** Copies `data` in; returns the slab index and writes the offset to out[0]. */
  alloc(data: Uint8Array, out: Int32Array): number {
    const n = data.length;
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
    this.slabs[slab]!.set(data, off);
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
    this.live = [];
    this.freeSlabs = [];
    this.cur = -1;
    this.curOff = SLAB_SIZE;
    this.liveBytes = 0;
    this.slabBytes = 0;
  }
}

const EMPTY = new Uint8Array(0);

export class NodeStore {
  capacity: number;
  czxid: BigInt64Array;
  mzxid: BigInt64Array;
  pzxid: BigInt64Array;
  owner: BigInt64Array;
  ctime: Float64Array;
  mtime: Float64Array;
  version: Int32Array;
  cversion: Int32Array;
  aversion: Int32Array;
  acl: Int32Array;
  /** Java String.hashCode of the node's name, for HashSet iteration order of its parent. */
  nameHash: Int32Array;
  /** log2 of the parent's java.util.HashSet capacity for its children; 0 = never had children. */
  childCap: Uint8Array;
  digest: Uint32Array;
  digestOk: Uint8Array;
  dSlab: Int32Array;
  dOff: Int32Array;
  /** -1 = null data. */
  dLen: Int32Array;
  paths: (string | null)[];
  kids: (Set<number> | null)[];
  private freeSlots: number[] = [];
  private top = 0;
  readonly arena = new DataArena();
  private readonly offOut = new Int32Array(1);

  constructor(initialCapacity = 1024) {
    this.capacity = initialCapacity;
    this.czxid = new BigInt64Array(initialCapacity);
    this.mzxid = new BigInt64Array(initialCapacity);
    this.pzxid = new BigInt64Array(initialCapacity);
    this.owner = new BigInt64Array(initialCapacity);
    this.ctime = new Float64Array(initialCapacity);
    this.mtime = new Float64Array(initialCapacity);
    this.version = new Int32Array(initialCapacity);
    this.cversion = new Int32Array(initialCapacity);
    this.aversion = new Int32Array(initialCapacity);
    this.acl = new Int32Array(initialCapacity);
    this.nameHash = new Int32Array(initialCapacity);
    this.childCap = new Uint8Array(initialCapacity);
    this.digest = new Uint32Array(initialCapacity);
    this.digestOk = new Uint8Array(initialCapacity);
    this.dSlab = new Int32Array(initialCapacity);
    this.dOff = new Int32Array(initialCapacity);
    this.dLen = new Int32Array(initialCapacity);
    this.paths = [];
    this.kids = [];
  }

  private grow(): void {
    const n = this.capacity * 2;
    const g = <T extends { length: number; set(a: ArrayLike<unknown>): void }>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a as unknown as ArrayLike<unknown>);
      return b;
    };
    this.czxid = g(this.czxid, BigInt64Array);
    this.mzxid = g(this.mzxid, BigInt64Array);
    this.pzxid = g(this.pzxid, BigInt64Array);
    this.owner = g(this.owner, BigInt64Array);
    this.ctime = g(this.ctime, Float64Array);
    this.mtime = g(this.mtime, Float64Array);
    this.version = g(this.version, Int32Array);
    this.cversion = g(this.cversion, Int32Array);
    this.aversion = g(this.aversion, Int32Array);
    this.acl = g(this.acl, Int32Array);
    this.nameHash = g(this.nameHash, Int32Array);
    this.childCap = g(this.childCap, Uint8Array);
    this.digest = g(this.digest, Uint32Array);
    this.digestOk = g(this.digestOk, Uint8Array);
    this.dSlab = g(this.dSlab, Int32Array);
    this.dOff = g(this.dOff, Int32Array);
    this.dLen = g(this.dLen, Int32Array);
    this.capacity = n;
  }

  /** A fresh slot with zeroed columns, no data (null), no children. */
  allocSlot(path: string): number {
    let s: number;
    if (this.freeSlots.length > 0) {
      s = this.freeSlots.pop()!;
    } else {
      if (this.top === this.capacity) this.grow();
      s = this.top++;
    }
    this.paths[s] = path;
    this.kids[s] = null;
    this.childCap[s] = 0;
    this.digestOk[s] = 0;
    this.dLen[s] = -1;
    this.dSlab[s] = -1;
    return s;
  }

  freeSlot(s: number): void {
    this.setData(s, null);
    this.paths[s] = null;
    this.kids[s] = null;
    this.freeSlots.push(s);
  }

  /** Highest slot index ever used + 1 (for scans). */
  get slotLimit(): number {
    return this.top;
  }

  getData(s: number): Uint8Array | null {
    const len = this.dLen[s]!;
    if (len < 0) return null;
    if (len === 0) return EMPTY;
    return this.arena.view(this.dSlab[s]!, this.dOff[s]!, len);
  }

  dataLength(s: number): number {
    const len = this.dLen[s]!;
    return len < 0 ? 0 : len;
  }

  setData(s: number, data: Uint8Array | null): void {
    const old = this.dLen[s]!;
    if (old > 0) this.arena.release(this.dSlab[s]!, old);
    if (data === null) {
      this.dLen[s] = -1;
      this.dSlab[s] = -1;
      return;
    }
    const n = data.length;
    this.dLen[s] = n;
    if (n === 0) {
      this.dSlab[s] = -1;
      return;
    }
    this.dSlab[s] = this.arena.alloc(data, this.offOut);
    this.dOff[s] = this.offOut[0]!;
    if (this.arena.needsCompaction()) this.compact();
  }

  /** Moves values out of sparse slabs so those slabs can be dropped. */
  private compact(): void {
    const a = this.arena;
    const sparse = new Set<Uint8Array>();
    for (let i = 0; i < a.slabs.length; i++) {
      const buf = a.slabs[i];
      if (buf != null && a.isSparse(i)) sparse.add(buf);
    }
    if (sparse.size === 0) return;
    for (let s = 0; s < this.top; s++) {
      const len = this.dLen[s]!;
      if (len <= 0 || this.paths[s] === null) continue;
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
    this.top = 0;
    this.paths = [];
    this.kids = [];
    this.arena.clear();
  }
}
