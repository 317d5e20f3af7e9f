// The report: a markdown section (printed to stdout and put into docs/benchmarks.md between
// `<!-- bench:<suite>:begin -->` and `<!-- bench:<suite>:end -->`, so hand-written text around it
// stays), plus the raw figures as JSON.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchSettings } from './config.js';
import type { FsyncProbe } from './fsync.js';
import type { MachineFacts } from './machine.js';
import { formatTables, notMeasuredSummary, rows, targetSummary, type ResultSet } from './metrics.js';
import type { RunNotes } from './runner.js';

export interface ReportInput {
  suite: string;
  command: string;
  date: Date;
  durationS: number;
  machine: MachineFacts;
  fsync: FsyncProbe;
  /** The same probe after the run: how much the disk's rate moved meanwhile. */
  fsyncEnd?: FsyncProbe;
  settings: BenchSettings;
  zkHeapMb: number;
  workers: number;
  servers: number;
  repetitions: number;
  warmupMs: number;
  measureMs: number;
  serverWarmupMs: number;
  valueSize: number;
  results: ResultSet;
  notes: RunNotes;
  profileTable?: string;
  /** Client benchmark settings, when it ran (`section`: its table's title). */
  client?: { section: string; depth: number; repetitions: number; warmupMs: number; measureMs: number };
}

function yesNo(v: boolean[]): string {
  if (v.length === 0) return 'n/a';
  return v.every((x) => x) ? 'yes' : `NO (${v.filter((x) => !x).length} of ${v.length} not)`;
}

export function renderReport(r: ReportInput): string {
  const all = rows(r.results);
  const t = targetSummary(all);
  const m = r.machine;
  const out: string[] = [];
  out.push(`### \`${r.suite}\` suite, ${r.date.toISOString().replace(/\.\d+Z$/, 'Z')}`, '');
  out.push(`Command: \`${r.command}\` (${(r.durationS / 60).toFixed(1)} min)`, '');
  out.push(
    `Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memTotalGiB.toFixed(0)} GiB RAM, Linux ${m.kernel}; ` +
      `node ${m.node}; ${m.java}; data on ${m.filesystem}; load average at start ${m.loadAvgAtStart}. ` +
      '**The machine was shared with other engineers\' builds and tests while this ran, so figures are noisy** ' +
      '(see "everything else on the machine" below); server CPU µs/op is the steadiest figure.',
    '',
  );
  out.push(
    `Disk fsync rate (dataDir filesystem): **${Math.round(r.fsync.appendFsyncPerSec).toLocaleString('en-US')}/s** appending 128 B + fsync ` +
      `(median ${(r.fsync.appendFsyncUs.median / 1000).toFixed(2)} ms, max ${(r.fsync.appendFsyncUs.max / 1000).toFixed(2)} ms), ` +
      `${Math.round(r.fsync.preallocFdatasyncPerSec).toLocaleString('en-US')}/s overwriting a preallocated file + fdatasync` +
      (r.fsync !== undefined && r.fsyncEnd !== undefined
        ? ` (after the run: ${Math.round(r.fsyncEnd.appendFsyncPerSec).toLocaleString('en-US')}/s and ${Math.round(r.fsyncEnd.preallocFdatasyncPerSec).toLocaleString('en-US')}/s). `
        : '. ') +
      'That is the ceiling for writes acknowledged one fsync each; both servers group-commit.',
    '',
  );
  const s = r.settings;
  out.push(
    `Setup: ${r.servers === 1 ? 'standalone, 1 server per system' : `${r.servers}-server ensembles on 127.0.0.1 (the same generated zoo.cfg for both systems: \`server.N=host:quorum:election:participant;host:client\` lines, \`standaloneEnabled=false\`, a \`myid\` file per dataDir; ZooKeeper runs QuorumPeerMain, zk-ts \`start zoo.cfg\`; the load's sessions are spread over the members)`}; ` +
      `tickTime=${s.tickTime}, ${r.servers > 1 ? `initLimit=${s.initLimit}, syncLimit=${s.syncLimit}, ` : ''}maxClientCnxns=${s.maxClientCnxns}, snapCount=${s.snapCount}, globalOutstandingLimit=${s.globalOutstandingLimit}, clientPortListenBacklog=${s.listenBacklog} (zk-ts does not apply it yet: its listener uses 511), ` +
      `forceSync=${s.forceSync ? 'yes' : 'no'} for both; ZooKeeper 3.8 with -Xmx${r.zkHeapMb}m (JVM defaults otherwise), zk-ts on node with defaults; ` +
      `each server in its own session (setsid): ZooKeeper ${yesNo(r.notes.ownSession.zookeeper)}, zk-ts ${yesNo(r.notes.ownSession.ours)}. ` +
      `Load generator: ${r.workers} worker threads, raw pipelined jute sessions, ${r.valueSize}-byte values. ` +
      `${r.repetitions} repetition(s), systems alternating; ${r.serverWarmupMs / 1000} s of unrecorded mixed load after each server start, then each throughput window is ${r.measureMs / 1000} s after ${r.warmupMs / 1000} s of warm-up.`,
    '',
  );
  out.push(
    'Cells: median (min–max over repetitions); ours/ZK = ratio of the medians (range of the per-repetition ratios). ' +
      `Targets: **${t.met} met, ${t.notMet} not met**${t.na > 0 ? `, ${t.na} not measurable` : ''}.`,
    '',
  );
  const intros = new Map<string, string>();
  if (r.client !== undefined) {
    intros.set(
      r.client.section,
      `Each library runs alone in a process of its own (own session too: ${yesNo(r.notes.clientOwnSession)}): one session with ${r.client.depth} requests outstanding through the library's public API ` +
        `(promises / callbacks), against the same freshly started server (member 1 of an ensemble); a fresh process per library and repetition, ${r.client.repetitions} repetition(s) alternating A B A B; ` +
        `per op ${r.client.warmupMs / 1000} s of warm-up, then a ${r.client.measureMs / 1000} s window. Latency = call → completion. Client CPU µs/op = the client process's user+system CPU over the window (its own getrusage, all threads) / ops: ` +
        'the figure that compares the libraries when the server is the bottleneck (ZooKeeper; writes at the fsync rate), as both then reach about the same ops/s. ' +
        'Columns: node-zookeeper-client, ours, ours/nzc = ratio of the medians; issue 5 targets ≥ 3x throughput and a lower p99.',
    );
  }
  const missing = notMeasuredSummary(all);
  if (missing.length > 0) out.push('Not measured:', '', ...missing, '');
  out.push(formatTables(all, intros));
  if (r.profileTable !== undefined) {
    out.push('#### Where our server spends its CPU (top self time, `--cpu-prof`, first repetition)', '', r.profileTable, '');
  }
  if (r.notes.problems.length > 0) {
    out.push('#### Problems during the run', '', ...r.notes.problems.map((p) => `- ${p}`), '');
  }
  return out.join('\n');
}

/** The docs/benchmarks.md section a run goes to: `quick`, `full`, or e.g. `quick-3servers`. */
export function docSectionKey(suite: string, servers: number): string {
  return servers === 1 ? suite : `${suite}-${servers}servers`;
}

/** Replaces (or appends) the marked section for `suite` in the markdown `doc`. */
export function spliceSection(doc: string, suite: string, section: string): string {
  const begin = `<!-- bench:${suite}:begin -->`;
  const end = `<!-- bench:${suite}:end -->`;
  const block = `${begin}\n${section.trimEnd()}\n${end}`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i >= 0 && j > i) return doc.slice(0, i) + block + doc.slice(j + end.length);
  return `${doc.trimEnd()}\n\n${block}\n`;
}

export function writeDoc(path: string, suite: string, section: string): void {
  const doc = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  writeFileSync(path, spliceSection(doc, suite, section));
}
