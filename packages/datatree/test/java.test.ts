import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JavaHashSet, formatSequence, grownCapLog2, hashOrder, javaStringHash } from '../src/java.js';

// Orders printed by a real JVM (OpenJDK 17) for java.util.HashSet; see test/fixtures.
const fx = JSON.parse(readFileSync(new URL('./fixtures/java-hashset.json', import.meta.url), 'utf8')) as Array<{
  in: string[];
  out: string[];
  removed?: string[];
  readded?: string[];
  clone?: string[];
  cloneModified?: string[];
}>;

function childrenOrder(names: string[]): string[] {
  let cap = 0;
  for (let i = 1; i <= names.length; i++) cap = grownCapLog2(cap, i);
  return hashOrder(names, names.map(javaStringHash), 1 << cap);
}

describe('Java HashSet emulation', () => {
  it('String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
    expect(javaStringHash('a')).toBe(97);
    expect(javaStringHash('ab')).toBe(97 * 31 + 98);
  });

  it('children order (new HashSet<>(8)) for 20 sequential names', () => {
    expect(childrenOrder(fx[0]!.in)).toEqual(fx[0]!.out);
    const s = new JavaHashSet(8);
    for (const n of fx[0]!.in) s.add(n);
    expect(s.toArray()).toEqual(fx[0]!.out);
  });

  it('children order with removal and re-add', () => {
    const c = fx[1]!;
    const s = new JavaHashSet(8);
    for (const n of c.in) s.add(n);
    for (const n of c.removed!) s.remove(n);
    for (const n of c.readded!) s.add(n);
    expect(s.toArray()).toEqual(c.out);
    // the tree's Set + capacity model gives the same order
    const live = c.in.filter((n) => !c.removed!.includes(n)).concat(c.readded!);
    expect(hashOrder(live, live.map(javaStringHash), 16)).toEqual(c.out);
  });

  it('session ephemerals: HashSet() order, clone re-bucketing, edits on the clone', () => {
    for (const c of [fx[2]!, fx[3]!]) {
      const s = new JavaHashSet();
      for (const n of c.in) s.add(n);
      expect(s.toArray()).toEqual(c.out);
      const clone = JavaHashSet.copyOf(s.toArray(), s.size);
      expect(clone.toArray()).toEqual(c.clone);
    }
    const c = fx[2]!;
    const s = new JavaHashSet();
    for (const n of c.in) s.add(n);
    const clone = JavaHashSet.copyOf(s.toArray(), s.size);
    clone.add('/x/pending');
    clone.remove('/app/e3');
    expect(clone.toArray()).toEqual(c.cloneModified);
  });

  it('"%010d" of a signed int', () => {
    expect(formatSequence(-5)).toBe('-000000005');
    expect(formatSequence(-2147483648)).toBe('-2147483648');
    expect(formatSequence(123)).toBe('0000000123');
    expect(formatSequence(0)).toBe('0000000000');
  });
});
