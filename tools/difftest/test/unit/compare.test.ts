import { describe, expect, it } from 'vitest';
import { alignLines, firstDifference, sideBySide } from '../../src/runner.js';

describe('transcript comparison', () => {
  it('aligns equal lines and marks the rest', () => {
    const rows = alignLines(['#1 a', 'x', '#2 b'], ['#1 a', 'y', '#2 b']);
    expect(rows.filter((r) => r[2]).map((r) => r[0])).toEqual(['#1 a', '#2 b']);
    expect(rows.filter((r) => !r[2]).map((r) => r[0] ?? r[1])).toEqual(expect.arrayContaining(['x', 'y']));
  });

  it('summarises the first difference with its step', () => {
    expect(firstDifference(['#1 a', '  x', '#2 b'], ['#1 a', '  y', '#2 b'])).toBe('#1 a :: x  ≠  y');
    expect(firstDifference(['#1 a'], ['#1 a'])).toBe('');
    expect(firstDifference(['#1 a'], ['#1 a', '  extra'])).toBe('#1 a :: <nothing>  ≠  extra');
  });

  it('prints side by side with a marker on differing rows', () => {
    const out = sideBySide('left', ['same', 'l'], 'right', ['same', 'r'], 10);
    expect(out.split('\n').filter((l) => l.startsWith('≠'))).toHaveLength(2);
    expect(out).toContain('  same       | same');
  });
});
