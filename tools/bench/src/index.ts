/**
 * @zk/bench: zk-ts and Apache ZooKeeper 3.8 side by side. The CLI (`npm run bench`) is the
 * product; these exports are the pure pieces it is built from (and what the unit tests cover).
 * @packageDocumentation
 */

export { median, minMax, percentileSorted, percentiles, summarize } from './stats.js';
export type { Summary } from './stats.js';
export { Histogram, bucketOf, bucketRange, HISTOGRAM_BUCKETS } from './histogram.js';
export type { HistogramData } from './histogram.js';
export { parseProcStat, parseProcStatus, parseMachineCpu, cpuMicros, diffCpu } from './proc.js';
export type { ProcStat, ProcMemory, MachineCpu, CpuSample, CpuDelta } from './proc.js';
export {
  DEFAULT_BENCH_SETTINGS, zooCfg, myidFile, layoutMembers, isStandalone, zooKeeperArgs, zooKeeperProps, oursArgs,
} from './config.js';
export type { BenchSettings, MemberSpec, SystemKind, ZooKeeperLaunch, OursLaunch } from './config.js';
export {
  ResultSet, computeRow, rows, evaluateTarget, formatValue, formatSummary, formatRatio, formatTables, targetSummary, notMeasuredSummary, SYSTEM_COLUMNS,
} from './metrics.js';
export type { Columns, MetricDef, Row, Target, Unit } from './metrics.js';
export { modeFromSrvr, settledLeader, longestGap, receivedFromSrvr } from './four-letter.js';
export type { ServerMode } from './four-letter.js';
export { summarizeProfile, formatProfileTable, shortLocation } from './cpuprofile.js';
export type { CpuProfile, ProfileSummary, SelfTimeRow } from './cpuprofile.js';
export { parseArgs, systemsOf, USAGE } from './args.js';
export type { BenchArgs } from './args.js';
export { SUITES, CLIENT_OPS, alternate } from './suites.js';
export type { ClientOp, Suite, ThroughputWorkload } from './suites.js';
export { spliceSection, docSectionKey } from './report.js';
export { splitSessions } from './pool.js';
export { cpuModelFrom, javaVersionFrom } from './machine.js';
