// What a run measures, and how it becomes a table: every figure is a metric recorded once per
// repetition per system; the table shows each system's median (min–max over repetitions), the
// ours/ZooKeeper ratio of the medians (with the range of the per-repetition ratios, pairing the
// i-th run of each), and whether the target for that ratio is met.

import type { SystemKind } from './config.js';
import { summarize, type Summary } from './stats.js';

export type Unit = 'ops/s' | 'µs' | 'ms' | 's' | 'MiB' | 'B' | 'cores' | '%' | 'count';

export interface Target {
  /** ours/ZooKeeper must be >= (or <=) this. */
  op: '>=' | '<=';
  ratio: number;
}

export interface MetricDef {
  id: string;
  section: string;
  label: string;
  unit: Unit;
  /** Which direction is better (for reading the ratio). */
  better: 'higher' | 'lower' | 'none';
  target?: Target;
  /** Shown instead of figures when the metric cannot be measured yet. */
  notMeasured?: string;
  /** A short remark printed in the table's last column. */
  note?: string;
  /**
   * Column headings of this metric's table (taken from the first metric of a section). The two
   * sides are stored under the SystemKind keys: 'zookeeper' is the baseline, 'ours' is ours; by
   * default the systems (ZooKeeper 3.8 vs zk-ts), for the client benchmark the client libraries.
   */
  columns?: Columns;
}

export interface Columns {
  baseline: string;
  ours: string;
  ratio: string;
}

export const SYSTEM_COLUMNS: Columns = { baseline: 'ZooKeeper 3.8', ours: 'zk-ts (ours)', ratio: 'ours/ZK' };

/** Values of one metric: per system, one entry per repetition (NaN = missing). */
export class ResultSet {
  readonly defs: MetricDef[] = [];
  private readonly byId = new Map<string, MetricDef>();
  readonly values = new Map<string, Record<SystemKind, number[]>>();
  /** Why a side of a metric could not be measured (e.g. zk-ts refused an ensemble config). */
  readonly notMeasured = new Map<string, Partial<Record<SystemKind, string>>>();

  define(def: MetricDef): MetricDef {
    const cur = this.byId.get(def.id);
    if (cur) return cur;
    this.byId.set(def.id, def);
    this.defs.push(def);
    this.values.set(def.id, { zookeeper: [], ours: [] });
    return def;
  }

  /** Records the value of `def` for repetition `rep` (0-based) of `system`. */
  record(def: MetricDef, system: SystemKind, rep: number, value: number): void {
    const d = this.define(def);
    const v = this.values.get(d.id)![system];
    while (v.length <= rep) v.push(Number.NaN);
    v[rep] = value;
  }

  get(id: string, system: SystemKind): number[] {
    return this.values.get(id)?.[system] ?? [];
  }

  /**
   * Marks one side of every defined metric `select` picks as not measured, with the reason (the
   * first reason given for a metric and side is kept). Values recorded anyway still show.
   */
  markNotMeasured(system: SystemKind, reason: string, select: (def: MetricDef) => boolean): void {
    for (const d of this.defs) {
      if (!select(d)) continue;
      const cur = this.notMeasured.get(d.id) ?? {};
      cur[system] ??= reason;
      this.notMeasured.set(d.id, cur);
    }
  }

  notMeasuredReason(id: string, system: SystemKind): string | undefined {
    return this.notMeasured.get(id)?.[system];
  }

  toJSON(): unknown {
    return { defs: this.defs, values: Object.fromEntries(this.values), notMeasured: Object.fromEntries(this.notMeasured) };
  }
}

export interface Row {
  def: MetricDef;
  zk: Summary;
  ours: Summary;
  /** ours median / ZooKeeper median. */
  ratio: number;
  /** min and max of the per-repetition ratios. */
  ratioRange: [number, number];
  /** 'met' | 'not met' | 'n/a' | '' (no target). */
  verdict: 'met' | 'not met' | 'n/a' | '';
  /** Set when that side has no figure because it could not be measured (the reason). */
  zkNotMeasured?: string;
  oursNotMeasured?: string;
}

export function evaluateTarget(ratio: number, target: Target | undefined): Row['verdict'] {
  if (target === undefined) return '';
  if (!Number.isFinite(ratio)) return 'n/a';
  return (target.op === '>=' ? ratio >= target.ratio : ratio <= target.ratio) ? 'met' : 'not met';
}

export function computeRow(def: MetricDef, zkValues: readonly number[], oursValues: readonly number[]): Row {
  const zk = summarize(zkValues);
  const ours = summarize(oursValues);
  const ratio = zk.median !== 0 && Number.isFinite(zk.median) && Number.isFinite(ours.median) ? ours.median / zk.median : Number.NaN;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  const n = Math.min(zkValues.length, oursValues.length);
  for (let i = 0; i < n; i++) {
    const z = zkValues[i]!;
    const o = oursValues[i]!;
    if (!Number.isFinite(z) || !Number.isFinite(o) || z === 0) continue;
    const r = o / z;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  const ratioRange: [number, number] = lo === Number.POSITIVE_INFINITY ? [Number.NaN, Number.NaN] : [lo, hi];
  return { def, zk, ours, ratio, ratioRange, verdict: evaluateTarget(ratio, def.target) };
}

export function rows(results: ResultSet): Row[] {
  return results.defs.map((d) => {
    const r = computeRow(d, results.get(d.id, 'zookeeper'), results.get(d.id, 'ours'));
    const zk = results.notMeasuredReason(d.id, 'zookeeper');
    const ours = results.notMeasuredReason(d.id, 'ours');
    if (zk !== undefined && r.zk.n === 0) r.zkNotMeasured = zk;
    if (ours !== undefined && r.ours.n === 0) r.oursNotMeasured = ours;
    return r;
  });
}

/** A number for a table cell, with precision suited to its size and unit. */
export function formatValue(v: number, unit: Unit): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (unit === 'ops/s' || unit === 'count' || unit === 'B') return Math.round(v).toLocaleString('en-US');
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

export function formatSummary(s: Summary, unit: Unit): string {
  if (s.n === 0) return 'n/a';
  const med = formatValue(s.median, unit);
  if (s.n === 1) return med;
  return `${med} (${formatValue(s.min, unit)}–${formatValue(s.max, unit)})`;
}

export function formatRatio(r: number, range: [number, number], reps: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  const base = `${r.toFixed(2)}x`;
  if (reps <= 1 || !Number.isFinite(range[0])) return base;
  return `${base} (${range[0].toFixed(2)}–${range[1].toFixed(2)})`;
}

export function formatTarget(t: Target | undefined): string {
  if (t === undefined) return '';
  return `${t.op === '>=' ? '≥' : '≤'} ${t.ratio}x`;
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

/**
 * Markdown tables, one per section, in the order the metrics were defined; `intros` holds a
 * paragraph to print between a section's heading and its table.
 */
export function formatTables(all: Row[], intros: ReadonlyMap<string, string> = new Map()): string {
  const sections: string[] = [];
  for (const r of all) if (!sections.includes(r.def.section)) sections.push(r.def.section);
  const out: string[] = [];
  for (const section of sections) {
    const inSection = all.filter((x) => x.def.section === section);
    const cols = inSection[0]?.def.columns ?? SYSTEM_COLUMNS;
    out.push(`#### ${section}`, '');
    const intro = intros.get(section);
    if (intro !== undefined) out.push(intro, '');
    out.push(`| metric | ${escapeCell(cols.baseline)} | ${escapeCell(cols.ours)} | ${escapeCell(cols.ratio)} | target | |`);
    out.push('| --- | ---: | ---: | ---: | ---: | --- |');
    for (const r of inSection) {
      const label = `${r.def.label} (${r.def.unit})`;
      if (r.def.notMeasured !== undefined) {
        out.push(`| ${escapeCell(label)} | — | — | — | ${formatTarget(r.def.target)} | not measured: ${escapeCell(r.def.notMeasured)} |`);
        continue;
      }
      const reps = Math.max(r.zk.n, r.ours.n);
      const verdict = r.verdict === 'not met' ? '**not met**' : r.verdict;
      const remark = [verdict, r.def.note ?? ''].filter((x) => x !== '').join('; ');
      const zkCell = r.zkNotMeasured !== undefined ? 'not measured' : formatSummary(r.zk, r.def.unit);
      const oursCell = r.oursNotMeasured !== undefined ? 'not measured' : formatSummary(r.ours, r.def.unit);
      out.push(
        `| ${escapeCell(label)} | ${zkCell} | ${oursCell} | ${formatRatio(r.ratio, r.ratioRange, reps)} | ${formatTarget(r.def.target)} | ${escapeCell(remark)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * The reasons behind "not measured" cells, one line per reason, naming who is affected in which
 * sections (section titles cut at their first parenthesis):
 * `- <reason>. Affects zk-ts (ours): Throughput, ...; node-zookeeper-client, @zk/client: Client library: ...`
 */
export function notMeasuredSummary(all: Row[]): string[] {
  const byReason = new Map<string, Map<string, string[]>>(); // reason → who → sections
  for (const r of all) {
    const cols = r.def.columns ?? SYSTEM_COLUMNS;
    const section = r.def.section.replace(/\s*\(.*$/, '');
    for (const [who, reason] of [[cols.baseline, r.zkNotMeasured], [cols.ours, r.oursNotMeasured]] as const) {
      if (reason === undefined) continue;
      const whos = byReason.get(reason) ?? new Map<string, string[]>();
      const secs = whos.get(who) ?? [];
      if (!secs.includes(section)) secs.push(section);
      whos.set(who, secs);
      byReason.set(reason, whos);
    }
  }
  const out: string[] = [];
  for (const [reason, whos] of byReason) {
    // Who share the same sections are named together.
    const groups = new Map<string, string[]>();
    for (const [who, secs] of whos) groups.set(secs.join(', '), [...(groups.get(secs.join(', ')) ?? []), who]);
    const affects = [...groups].map(([secs, names]) => `${names.join(', ')}: ${secs}`).join('; ');
    out.push(`- ${reason.replace(/\.?\s*$/, '')}. Affects ${affects}.`);
  }
  return out;
}

/** One line per target: met / not met, for the summary at the top of the report. */
export function targetSummary(all: Row[]): { met: number; notMet: number; na: number; lines: string[] } {
  let met = 0;
  let notMet = 0;
  let na = 0;
  const lines: string[] = [];
  for (const r of all) {
    if (r.def.target === undefined) continue;
    if (r.def.notMeasured !== undefined || r.verdict === 'n/a') {
      na++;
      continue;
    }
    if (r.verdict === 'met') met++;
    else {
      notMet++;
      lines.push(`- not met: ${r.def.section} / ${r.def.label}: ${r.ratio.toFixed(2)}x (target ${formatTarget(r.def.target)})`);
    }
  }
  return { met, notMet, na, lines };
}
