import { describe, expect, it } from 'vitest';
import { ResultSet, computeRow, evaluateTarget, formatRatio, formatSummary, formatTables, formatValue, notMeasuredSummary, rows, targetSummary, type MetricDef } from '../src/metrics.js';

const TP: MetricDef = { id: 'tp.create', section: 'Throughput', label: 'create 4×64', unit: 'ops/s', better: 'higher', target: { op: '>=', ratio: 1.5 } };
const LAT: MetricDef = { id: 'lat.p99', section: 'Latency', label: 'p99', unit: 'ms', better: 'lower', target: { op: '<=', ratio: 0.7 } };

describe('rows', () => {
  it('divides the medians and ranges the per-repetition ratios', () => {
    const r = computeRow(TP, [10_000, 12_000, 11_000], [20_000, 15_000, 33_000]);
    expect(r.zk.median).toBe(11_000);
    expect(r.ours.median).toBe(20_000);
    expect(r.ratio).toBeCloseTo(20_000 / 11_000);
    expect(r.ratioRange[0]).toBeCloseTo(1.25);
    expect(r.ratioRange[1]).toBe(3);
    expect(r.verdict).toBe('met');
  });
  it('skips repetitions missing on either side and is n/a without both systems', () => {
    const r = computeRow(LAT, [2, Number.NaN], [1, 1]);
    expect(r.ratioRange).toEqual([0.5, 0.5]);
    expect(computeRow(LAT, [], [1]).verdict).toBe('n/a');
  });
  it('evaluates targets in both directions', () => {
    expect(evaluateTarget(1.5, { op: '>=', ratio: 1.5 })).toBe('met');
    expect(evaluateTarget(1.49, { op: '>=', ratio: 1.5 })).toBe('not met');
    expect(evaluateTarget(0.7, { op: '<=', ratio: 0.7 })).toBe('met');
    expect(evaluateTarget(0.71, { op: '<=', ratio: 0.7 })).toBe('not met');
    expect(evaluateTarget(Number.NaN, { op: '<=', ratio: 0.7 })).toBe('n/a');
    expect(evaluateTarget(1, undefined)).toBe('');
  });
});

describe('formatting', () => {
  it('scales precision to the value', () => {
    expect(formatValue(12345.6, 'ops/s')).toBe('12,346');
    expect(formatValue(1234.5, 'ms')).toBe('1,235');
    expect(formatValue(123.4, 'ms')).toBe('123');
    expect(formatValue(12.34, 'ms')).toBe('12.3');
    expect(formatValue(1.234, 'ms')).toBe('1.23');
    expect(formatValue(0.1234, 'ms')).toBe('0.123');
    expect(formatValue(Number.NaN, 'ms')).toBe('n/a');
  });
  it('shows min–max only with several repetitions', () => {
    expect(formatSummary({ median: 2, min: 1, max: 3, n: 3 }, 'ms')).toBe('2.00 (1.00–3.00)');
    expect(formatSummary({ median: 2, min: 2, max: 2, n: 1 }, 'ms')).toBe('2.00');
    expect(formatSummary({ median: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 }, 'ms')).toBe('n/a');
    expect(formatRatio(1.234, [1.1, 1.4], 3)).toBe('1.23x (1.10–1.40)');
    expect(formatRatio(1.234, [1.1, 1.4], 1)).toBe('1.23x');
  });
  it('renders one markdown table per section, in definition order', () => {
    const rs = new ResultSet();
    rs.record(TP, 'zookeeper', 0, 10_000);
    rs.record(TP, 'ours', 0, 12_000);
    rs.record(LAT, 'zookeeper', 0, 10);
    rs.record(LAT, 'ours', 0, 5);
    rs.define({ id: 'f', section: 'Failover', label: 'failover', unit: 'ms', better: 'lower', notMeasured: 'no ensembles' });
    expect(formatTables(rows(rs))).toBe(
      [
        '#### Throughput',
        '',
        '| metric | ZooKeeper 3.8 | zk-ts (ours) | ours/ZK | target | |',
        '| --- | ---: | ---: | ---: | ---: | --- |',
        '| create 4×64 (ops/s) | 10,000 | 12,000 | 1.20x | ≥ 1.5x | **not met** |',
        '',
        '#### Latency',
        '',
        '| metric | ZooKeeper 3.8 | zk-ts (ours) | ours/ZK | target | |',
        '| --- | ---: | ---: | ---: | ---: | --- |',
        '| p99 (ms) | 10.0 | 5.00 | 0.50x | ≤ 0.7x | met |',
        '',
        '#### Failover',
        '',
        '| metric | ZooKeeper 3.8 | zk-ts (ours) | ours/ZK | target | |',
        '| --- | ---: | ---: | ---: | ---: | --- |',
        '| failover (ms) | — | — | — |  | not measured: no ensembles |',
        '',
      ].join('\n'),
    );
    const t = targetSummary(rows(rs));
    expect([t.met, t.notMet, t.na]).toEqual([1, 1, 0]);
    expect(t.lines[0]).toMatch(/create 4×64: 1.20x/);
  });
  it('keeps the first definition of an id and pads missing repetitions with NaN', () => {
    const rs = new ResultSet();
    rs.record(TP, 'ours', 2, 5);
    rs.define({ ...TP, label: 'other' });
    expect(rs.defs).toHaveLength(1);
    expect(rs.defs[0]!.label).toBe('create 4×64');
    expect(rs.get('tp.create', 'ours')).toEqual([Number.NaN, Number.NaN, 5]);
  });
  it('marks one side of chosen metrics not measured, with the reason listed once', () => {
    const rs = new ResultSet();
    const FO: MetricDef = { id: 'failover.write', section: 'Failover', label: 'write', unit: 'ms', better: 'lower', target: { op: '<=', ratio: 0.5 } };
    rs.define(TP);
    rs.define(FO);
    rs.record(FO, 'zookeeper', 0, 470);
    rs.markNotMeasured('ours', 'zk-ts server 1 of 3 did not start: ensemble refused', (d) => d.id.startsWith('failover.'));
    rs.markNotMeasured('ours', 'a later reason', (d) => d.id.startsWith('failover.'));
    const all = rows(rs);
    expect(all[0]!.oursNotMeasured).toBeUndefined();
    expect(all[1]!.oursNotMeasured).toBe('zk-ts server 1 of 3 did not start: ensemble refused');
    expect(formatTables(all)).toContain('| write (ms) | 470 | not measured | n/a | ≤ 0.5x | n/a |');
    expect(notMeasuredSummary(all)).toEqual(['- zk-ts server 1 of 3 did not start: ensemble refused. Affects zk-ts (ours): Failover.']);
    const cols = { baseline: 'nzc', ours: '@zk/client', ratio: 'ours/nzc' };
    const rs2 = new ResultSet();
    rs2.define({ ...TP, section: 'Throughput (4 sessions)' });
    rs2.define({ id: 'client.x', section: 'Client library (1 session)', label: 'x', unit: 'ops/s', better: 'higher', columns: cols });
    rs2.markNotMeasured('ours', 'refused.', () => true);
    rs2.markNotMeasured('zookeeper', 'refused.', (d) => d.id.startsWith('client.'));
    expect(notMeasuredSummary(rows(rs2))).toEqual(['- refused. Affects zk-ts (ours): Throughput; nzc, @zk/client: Client library.']);
    expect(targetSummary(all).na).toBe(2);
    // A figure recorded anyway wins over the mark.
    rs.record(FO, 'ours', 0, 200);
    expect(rows(rs)[1]!.oursNotMeasured).toBeUndefined();
  });
  it('takes the column headings of a section from its metrics (client libraries)', () => {
    const rs = new ResultSet();
    const cols = { baseline: 'node-zookeeper-client 1.1.3', ours: '@zk/client (ours)', ratio: 'ours/nzc' };
    const C: MetricDef = { id: 'client.ours.getData.tp', section: 'Client', label: 'getData', unit: 'ops/s', better: 'higher', target: { op: '>=', ratio: 3 }, columns: cols };
    rs.record(C, 'zookeeper', 0, 30_000);
    rs.record(C, 'ours', 0, 120_000);
    expect(formatTables(rows(rs)).split('\n').slice(0, 5)).toEqual([
      '#### Client',
      '',
      '| metric | node-zookeeper-client 1.1.3 | @zk/client (ours) | ours/nzc | target | |',
      '| --- | ---: | ---: | ---: | ---: | --- |',
      '| getData (ops/s) | 30,000 | 120,000 | 4.00x | ≥ 3x | met |',
    ]);
  });
});
