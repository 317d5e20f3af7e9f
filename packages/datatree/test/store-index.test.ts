import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CreateMode } from '@zk/protocol';
import { PathIndex, pathHash, pathHashBytes } from '../src/path-index.js';
import { SNAPSHOT_MAGIC, SnapshotFormatError, TAG_END, TAG_NODE } from '../src/snapshot-reader.js';
import { NodeStore, decodeUtf8, utf16Length } from '../src/store.js';
import { DataTree } from '../src/tree.js';
import { Harness, enc } from './helpers.js';

/** A tiny deterministic PRNG. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const NAMES = ['a', 'b', 'é', 'zz', 'ünï', '😀', 'x-1', 'n0000000001', '日本', ''];

describe('PathIndex over a NodeStore', () => {
  it('behaves as a Map under random inserts and deletes (small table: long clusters, wrap-around)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = rng(seed);
      const store = new NodeStore(16);
      const index = new PathIndex(store);
      const model = new Map<string, number>();
      for (let step = 0; step < 4000; step++) {
        const path = `/${NAMES[Math.floor(r() * NAMES.length)]}${Math.floor(r() * 300)}`;
        if (r() < 0.6) {
          if (model.has(path)) continue;
          const s = store.allocSlot(path, null);
          index.insertNew(pathHash(path), s);
          model.set(path, s);
        } else {
          const had = model.get(path);
          expect(index.delete(path)).toBe(had !== undefined);
          if (had !== undefined) {
            store.freeSlot(had);
            model.delete(path);
          }
        }
        if (step % 500 === 0) {
          expect(index.size).toBe(model.size);
          for (const [p, s] of model) {
            expect(index.get(p)).toBe(s);
            expect(store.pathOf(s)).toBe(p);
          }
        }
      }
      for (const [p, s] of model) expect(index.get(p)).toBe(s);
      expect(index.get('/never')).toBeUndefined();
    }
  });

  it('hashes strings and their UTF-8 bytes alike; prefixes and byte lookups find the same slot', () => {
    const store = new NodeStore();
    const index = new PathIndex(store);
    const paths = ['/', '/é', '/é/😀', '/日本/x', '/a/b/c'];
    const slots = paths.map((p) => {
      const s = store.allocSlot(p, enc('data'));
      index.set(p, s);
      return s;
    });
    index.set('', slots[0]!);
    for (let i = 0; i < paths.length; i++) {
      const p = paths[i]!;
      const b = enc(p);
      expect(pathHash(p)).toBe(pathHashBytes(b, 0, b.length));
      expect(index.get(p)).toBe(slots[i]);
      expect(index.getBytes(b, 0, b.length)).toBe(slots[i]);
      expect(index.getPrefix(`${p}/child`, p.length)).toBe(slots[i]);
      expect(store.pathLength16(slots[i]!)).toBe(p.length);
      expect(utf16Length(b, 0, b.length)).toBe(p.length);
      expect(decodeUtf8(b, 0, b.length)).toBe(p);
      expect(new TextDecoder().decode(store.getData(slots[i]!)!)).toBe('data');
    }
    expect(index.get('')).toBe(slots[0]);
    expect(index.getPrefix('/x', 0)).toBe(slots[0]);
    expect(index.get('/é/😀/')).toBeUndefined();
    expect(index.size).toBe(paths.length + 1);
  });

  it('insertBulk indexes many paths at once and reports a duplicate', () => {
    const store = new NodeStore();
    const index = new PathIndex(store);
    const n = 10_000;
    const hashes = new Int32Array(n + 1);
    const slots = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const p = `/p${i % 7}/n${i}`;
      slots[i] = store.allocSlot(p, null);
      hashes[i] = pathHash(p);
    }
    expect(index.insertBulk(hashes, slots, n)).toBe(-1);
    for (let i = 0; i < n; i++) expect(index.get(`/p${i % 7}/n${i}`)).toBe(slots[i]);
    const dup = store.allocSlot('/p3/n10', null);
    hashes[0] = pathHash('/p3/n10');
    slots[0] = dup;
    expect(index.insertBulk(hashes, slots, 1)).toBe(dup);
  });
});

describe('NodeStore child lists', () => {
  it('keep insertion order through removals, compaction and growth', () => {
    const r = rng(7);
    const store = new NodeStore(8);
    const parent = store.allocSlot('/p', null);
    const model: number[] = [];
    for (let step = 0; step < 5000; step++) {
      if (model.length === 0 || r() < 0.55) {
        const c = store.allocSlot(`/p/c${step}`, null);
        store.addChild(parent, c);
        model.push(c);
      } else {
        const i = Math.floor(r() * model.length);
        const [c] = model.splice(i, 1);
        expect(store.removeChild(parent, c!)).toBe(true);
        expect(store.removeChild(parent, c!)).toBe(false);
        store.freeSlot(c!);
      }
      expect(store.childCount(parent)).toBe(model.length);
      if (step % 50 === 0) expect(store.childSlots(parent)).toEqual(model);
    }
    expect(store.childSlots(parent)).toEqual(model);
  });

  it('name hashes are Java String.hashCode of the last segment', () => {
    const store = new NodeStore();
    const java = (s: string): number => {
      let h = 0;
      for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
      return h;
    };
    for (const name of ['abc', 'é', '😀x', 'n0000000042', 'zookeeper']) {
      expect(store.nameHash(store.allocSlot(`/q/${name}`, null))).toBe(java(name));
    }
  });
});

/** Encodes a version-2 snapshot from node records in the given order (tests of unusual orders). */
function encodeSnapshot(nodes: Array<{ path: string; data: string | null; czxid?: bigint }>): Uint8Array {
  const parts: number[] = [];
  const u8 = (v: number): void => void parts.push(v & 0xff);
  const u32 = (v: number): void => [24, 16, 8, 0].forEach((s) => u8(v >>> s));
  const i64 = (v: bigint): void => {
    const x = BigInt.asUintN(64, v);
    u32(Number(x >> 32n));
    u32(Number(x & 0xffffffffn));
  };
  const bytes = (b: Uint8Array): void => b.forEach((x) => u8(x));
  bytes(Buffer.from(SNAPSHOT_MAGIC, 'latin1'));
  u32(2);
  i64(5n);
  u8(4);
  u32(0);
  for (const n of nodes) {
    u8(TAG_NODE);
    const p = enc(n.path);
    u32(p.length);
    bytes(p);
    if (n.data === null) u32(0xffffffff);
    else {
      const d = enc(n.data);
      u32(d.length);
      bytes(d);
    }
    u32(0xffffffff); // OPEN_ACL_UNSAFE
    i64(n.czxid ?? 1n);
    i64(n.czxid ?? 1n);
    i64(n.czxid ?? 1n);
    i64(1000n);
    i64(1000n);
    u32(0);
    u32(0);
    u32(0);
    i64(0n);
  }
  u8(TAG_END);
  i64(5n);
  i64(0n);
  const body = Uint8Array.from(parts);
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body) >>> 0);
  return out;
}

describe('snapshot load from bytes', () => {
  it('non-ASCII paths round trip: children order, data size, digest', () => {
    const h = new Harness();
    for (const name of ['é', '😀', '日本', 'plain', 'ünï']) {
      h.create(`/${name}`, name);
      h.create(`/${name}/kid`, null);
      h.create(`/${name}/s-`, 'x', CreateMode.PERSISTENT_SEQUENTIAL);
    }
    const loaded = DataTree.fromSnapshot(h.tree.serializeSnapshot());
    const t = loaded.tree;
    expect(t.getChildren('/')).toEqual(h.tree.getChildren('/'));
    expect(t.getChildren('/😀')).toEqual(h.tree.getChildren('/😀'));
    expect(t.approximateDataSize).toBe(h.tree.approximateDataSize);
    expect(t.digest()).toBe(h.tree.digest());
    expect(t.digest()).toBe(t.recomputeDigest());
    expect(t.getNode('/日本/kid')).toEqual(h.tree.getNode('/日本/kid'));
  });

  it('loads nodes whose parent is not on the depth-first chain (breadth-first order) by lookup', () => {
    const snap = encodeSnapshot([
      { path: '/', data: '' },
      { path: '/a', data: 'A' },
      { path: '/b', data: 'B' },
      { path: '/a/x', data: 'AX' },
      { path: '/b/y', data: null },
      { path: '/a/x/deep', data: 'D' },
    ]);
    const t = DataTree.fromSnapshot(snap).tree;
    expect(t.getChildren('/a')).toEqual(['x']);
    expect(t.getChildren('/b')).toEqual(['y']);
    expect(new TextDecoder().decode(t.getData('/a/x/deep')!.data!)).toBe('D');
    expect(t.getData('/b/y')!.data).toBeNull();
    expect(t.countAllChildren('/')).toBe(5);
    expect(t.digest()).toBe(t.recomputeDigest());
  });

  it('a missing parent or a path listed twice is a SnapshotFormatError', () => {
    expect(() => DataTree.fromSnapshot(encodeSnapshot([{ path: '/', data: '' }, { path: '/a/b', data: '' }]))).toThrow(/parent of \/a\/b missing/);
    const dup = encodeSnapshot([{ path: '/', data: '' }, { path: '/a', data: '' }, { path: '/b', data: '' }, { path: '/a', data: 'again' }]);
    expect(() => DataTree.fromSnapshot(dup)).toThrow(SnapshotFormatError);
    expect(() => DataTree.fromSnapshot(dup)).toThrow(/\/a appears twice/);
  });

  it('a snapshot split into pieces of every size loads the same', () => {
    const h = new Harness();
    for (let i = 0; i < 40; i++) h.create(`/n${i}`, 'v'.repeat(i * 7));
    const whole = Buffer.concat(h.tree.serializeSnapshot());
    for (const size of [1, 3, 64, 1000, whole.length]) {
      const pieces: Uint8Array[] = [];
      for (let at = 0; at < whole.length; at += size) pieces.push(new Uint8Array(whole.subarray(at, at + size)));
      const t = DataTree.fromSnapshot(pieces).tree;
      expect(t.digest()).toBe(h.tree.digest());
      expect(t.getChildren('/')).toEqual(h.tree.getChildren('/'));
    }
  });
});
