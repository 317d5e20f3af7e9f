import { describe, expect, it } from 'vitest';
import { formatProfileTable, shortLocation, summarizeProfile, type CpuProfile } from '../src/cpuprofile.js';

// root(1) -> main(2) -> hot(3), main -> cold(4); plus (idle)(5) and (garbage collector)(6).
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 5, 6] },
    { id: 2, callFrame: { functionName: 'main', url: 'file:///repo/packages/server/dist/index.js', lineNumber: 9 }, children: [3, 4] },
    { id: 3, callFrame: { functionName: 'hot', url: 'file:///repo/packages/server/dist/index.js', lineNumber: 19 } },
    { id: 4, callFrame: { functionName: '', url: 'node:net', lineNumber: 99 } },
    { id: 5, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
    { id: 6, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    // a second call site of `hot` is aggregated with the first
    { id: 7, callFrame: { functionName: 'hot', url: 'file:///repo/packages/server/dist/index.js', lineNumber: 19 } },
  ],
  startTime: 0,
  endTime: 100,
  // sample i lasts until sample i+1; the last until endTime
  samples: [3, 3, 2, 4, 5, 6, 7],
  timeDeltas: [0, 10, 10, 10, 10, 30, 10],
};

describe('summarizeProfile', () => {
  const s = summarizeProfile(profile, '/repo');
  it('attributes each sample interval to its node and aggregates by function', () => {
    expect(s.totalMs).toBeCloseTo(0.1);
    expect(s.idleMs).toBeCloseTo(0.03);
    expect(s.busyMs).toBeCloseTo(0.07);
    const byName = Object.fromEntries(s.rows.map((r) => [r.functionName, r.selfMs * 1000]));
    expect(byName['hot']).toBeCloseTo(10 + 10 + 20);
    expect(byName['main']).toBeCloseTo(10);
    expect(byName['(anonymous)']).toBeCloseTo(10);
    expect(byName['(garbage collector)']).toBeCloseTo(10);
    expect(byName['(idle)']).toBeUndefined();
  });
  it('sorts by self time and expresses shares of the busy time', () => {
    expect(s.rows[0]!.functionName).toBe('hot');
    expect(s.rows[0]!.location).toBe('packages/server/dist/index.js:20');
    expect(s.rows[0]!.shareOfBusy).toBeCloseTo(40 / 70);
  });
  it('falls back to hit counts without a sample stream', () => {
    const h = summarizeProfile({ nodes: [{ id: 1, callFrame: { functionName: 'f', url: '', lineNumber: 0 }, hitCount: 4 }], startTime: 0, endTime: 4000 });
    expect(h.rows[0]!.selfMs).toBeCloseTo(4);
  });
  it('formats a markdown table', () => {
    const t = formatProfileTable(s, 2).split('\n');
    expect(t).toHaveLength(4);
    expect(t[2]).toBe('| 1 | 0.0 | 57.1 | `hot` | `packages/server/dist/index.js:20` |');
  });
});

describe('shortLocation', () => {
  it('drops file:// and the root, keeps node: URLs, makes lines 1-based', () => {
    expect(shortLocation('file:///repo/a/b.js', 4, '/repo')).toBe('a/b.js:5');
    expect(shortLocation('node:internal/net', 0, '/repo')).toBe('node:internal/net:1');
    expect(shortLocation('', 3)).toBe('');
  });
});
