import { describe, expect, it } from 'vitest';
import { JuteReader, OpCode, readRequestHeader, GetDataRequest } from '@zk/protocol';
import { cpuModelFrom, javaVersionFrom } from '../src/machine.js';
import { splitSessions } from '../src/pool.js';
import { receivedFromSrvr } from '../src/four-letter.js';
import { spliceSection } from '../src/report.js';
import { SUITES, alternate } from '../src/suites.js';
import { SYSTEM_ZNODES, snapshotZxid, sortSnapshots, znodesInSnapshot } from '../src/snapshot.js';
import { XID_OFFSET, existsNumChildren, replyErr, replyXid, requestTemplate } from '../src/wire.js';

describe('run order', () => {
  it('alternates the systems in every repetition (A B A B)', () => {
    expect(alternate(['zookeeper', 'ours'], 2)).toEqual([
      { system: 'zookeeper', rep: 0 },
      { system: 'ours', rep: 0 },
      { system: 'zookeeper', rep: 1 },
      { system: 'ours', rep: 1 },
    ]);
  });
  it('has 3+ repetitions in full and both concurrency shapes', () => {
    expect(SUITES.full.repetitions).toBeGreaterThanOrEqual(3);
    const shapes = new Set(SUITES.full.throughput.map((w) => `${w.sessions}x${w.depth}`));
    expect([...shapes].sort()).toEqual(['32x8', '4x64']);
    expect(SUITES.full.tree.znodes).toBe(1_000_000);
    expect(SUITES.quick.repetitions).toBeLessThan(SUITES.full.repetitions);
  });
});

describe('splitSessions', () => {
  it('spreads sessions evenly with contiguous global indexes', () => {
    const parts = [0, 1, 2].map((i) => splitSessions(10, 3, i));
    expect(parts).toEqual([
      { count: 4, first: 0 },
      { count: 3, first: 4 },
      { count: 3, first: 7 },
    ]);
    expect(splitSessions(1, 2, 1)).toEqual({ count: 0, first: 1 });
  });
});

describe('wire templates', () => {
  it('encode a full request frame whose xid can be patched in place', () => {
    const t = requestTemplate(OpCode.getData, { path: '/bench/data/k7', watch: false });
    const f = new Uint8Array(t);
    new DataView(f.buffer).setInt32(XID_OFFSET, 4242);
    const len = new DataView(f.buffer).getInt32(0);
    expect(len).toBe(f.length - 4);
    const r = new JuteReader(f.subarray(4));
    expect(readRequestHeader(r)).toEqual({ xid: 4242, type: OpCode.getData });
    expect(GetDataRequest.read(r)).toEqual({ path: '/bench/data/k7', watch: false });
  });
  it('read reply headers and the numChildren of an exists reply', () => {
    const f = new Uint8Array(16 + 68);
    const dv = new DataView(f.buffer);
    dv.setInt32(0, 17);
    dv.setInt32(12, -101);
    dv.setInt32(16 + 56, 1000);
    expect(replyXid(f)).toBe(17);
    expect(replyErr(f)).toBe(-101);
    expect(existsNumChildren(f)).toBe(1000);
  });
});

describe('report pieces', () => {
  it('replaces the marked section of a suite and leaves the rest alone', () => {
    const doc = '# B\n\nintro\n\n<!-- bench:quick:begin -->\nold\n<!-- bench:quick:end -->\n\noutro\n';
    expect(spliceSection(doc, 'quick', 'new table')).toBe('# B\n\nintro\n\n<!-- bench:quick:begin -->\nnew table\n<!-- bench:quick:end -->\n\noutro\n');
    expect(spliceSection('# B\n', 'full', 'x')).toBe('# B\n\n<!-- bench:full:begin -->\nx\n<!-- bench:full:end -->\n');
  });
  it('parses machine facts and srvr counters', () => {
    expect(cpuModelFrom('processor\t: 0\nmodel name\t: AMD EPYC 7B13\nflags: x\n')).toBe('AMD EPYC 7B13');
    expect(cpuModelFrom('')).toBe('unknown');
    expect(javaVersionFrom('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime\n')).toBe('openjdk version "17.0.15" 2025-04-15');
    expect(receivedFromSrvr('Zookeeper version: 3.8.0\nLatency min/avg/max: 0/0.1/5\nReceived: 12345\nSent: 12344\n')).toBe(12345);
    expect(receivedFromSrvr('nothing')).toBeNaN();
  });
});

describe('snapshot accounting', () => {
  it('parses snapshot names and sorts by zxid', () => {
    expect(snapshotZxid('snapshot.18712')).toBe(0x18712n);
    expect(snapshotZxid('snapshot.18712.tmp')).toBeUndefined();
    expect(snapshotZxid('log.100')).toBeUndefined();
    const s = sortSnapshots([{ zxid: 0x10n }, { zxid: 0x2n }, { zxid: 0x100000001n }]);
    expect(s.map((x) => x.zxid)).toEqual([0x2n, 0x10n, 0x100000001n]);
  });
  it('estimates the znodes in a snapshot from its zxid counter, capped by the tree', () => {
    expect(znodesInSnapshot(0x10009n, 100_102)).toBe(0x10009 + SYSTEM_ZNODES);
    expect(znodesInSnapshot(0x18712n, 100_102)).toBe(100_102 + SYSTEM_ZNODES);
    // the epoch (high 32 bits) does not count
    expect(znodesInSnapshot((1n << 32n) | 5n, 100)).toBe(5 + SYSTEM_ZNODES);
  });
});
