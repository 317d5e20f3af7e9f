#!/usr/bin/env node
// npm run bench -- [--suite quick|full] [--target ours|zookeeper|both] ...  (see args.ts)

import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@zk/testkit';
import { ArgsError, PARTS, USAGE, commandLine, parseArgs, systemsOf, type Part } from './args.js';
import { DEFAULT_BENCH_SETTINGS } from './config.js';
import { formatProfileTable, summarizeProfile, type CpuProfile } from './cpuprofile.js';
import { probeFsync } from './fsync.js';
import { machineFacts } from './machine.js';
import { ResultSet } from './metrics.js';
import { WorkerPool } from './pool.js';
import { clientSection } from './client-bench.js';
import { docSectionKey, renderReport, writeDoc } from './report.js';
import { runSuite, setNproc } from './runner.js';
import { benchBaseDir, systemAvailable } from './servers.js';
import { SUITES } from './suites.js';

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof ArgsError) {
      process.stderr.write(`bench: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const systems = systemsOf(args);
  for (const s of systems) {
    const why = systemAvailable(s);
    if (why !== null) {
      process.stderr.write(`bench: ${why}\n`);
      return 1;
    }
  }
  const base = SUITES[args.suite];
  const suite = {
    ...base,
    repetitions: args.repetitions ?? base.repetitions,
    serverWarmupMs: args.serverWarmupMs ?? base.serverWarmupMs,
    warmupMs: args.warmupMs ?? base.warmupMs,
    measureMs: args.measureMs ?? base.measureMs,
    tree: { ...base.tree, znodes: args.treeZnodes ?? base.tree.znodes },
    client: { ...base.client, repetitions: args.clientRepetitions ?? base.client.repetitions },
    failover: { ...base.failover, rounds: args.failoverRounds ?? base.failover.rounds },
  };
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const started = new Date();
  const t0 = performance.now();
  const baseDir = benchBaseDir(args.dataDir);
  const machine = machineFacts(baseDir);
  setNproc(machine.nproc);
  log(`bench ${args.suite}: ${systems.join(' vs ')} on ${machine.nproc} × ${machine.cpuModel}, load ${machine.loadAvgAtStart}`);
  const fsync = probeFsync(baseDir);
  log(`fsync: ${Math.round(fsync.appendFsyncPerSec)}/s append+fsync, ${Math.round(fsync.preallocFdatasyncPerSec)}/s preallocated+fdatasync`);

  let cpuProfDir: string | undefined;
  if (args.cpuProf !== undefined) {
    cpuProfDir = args.cpuProf !== '' ? args.cpuProf : join(REPO_ROOT, 'tools', 'bench', 'profiles', started.toISOString().replace(/[:.]/g, '-'));
    mkdirSync(cpuProfDir, { recursive: true });
  }
  const settings = { ...DEFAULT_BENCH_SETTINGS, tickTime: args.tickTime };
  const pool = new WorkerPool(args.workers, new URL('./worker.js', import.meta.url));
  const results = new ResultSet();
  let notes;
  try {
    notes = await runSuite(
      {
        suite,
        systems,
        pool,
        settings,
        servers: args.servers,
        host: '127.0.0.1',
        baseDir,
        zkHeapMb: args.zkHeapMb,
        logLevel: args.logLevel,
        ...(cpuProfDir !== undefined ? { cpuProfDir } : {}),
        keep: args.keep,
        valueSize: args.valueSize,
        keys: args.keys,
        parts: new Set<Part>((args.only ?? [...PARTS]).filter((p) => p !== 'tree' || args.tree)),
        clientDepth: args.clientDepth,
        log,
      },
      results,
    );
  } finally {
    await pool.terminate();
  }

  const fsyncEnd = probeFsync(baseDir);
  log(`fsync at the end: ${Math.round(fsyncEnd.appendFsyncPerSec)}/s append+fsync, ${Math.round(fsyncEnd.preallocFdatasyncPerSec)}/s preallocated+fdatasync`);

  let profileTable: string | undefined;
  if (cpuProfDir !== undefined) {
    const files = readdirSync(cpuProfDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(cpuProfDir!, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    if (files.length === 0) {
      notes.problems.push(`--cpu-prof: no .cpuprofile in ${cpuProfDir}`);
    } else {
      // The first repetition's server: the largest profile (the tree servers are not profiled).
      const biggest = [...files].sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
      const profile = JSON.parse(readFileSync(biggest, 'utf8')) as CpuProfile;
      const summary = summarizeProfile(profile, REPO_ROOT);
      profileTable =
        `Profile \`${biggest.slice(REPO_ROOT.length + 1)}\`: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s.\n\n` +
        formatProfileTable(summary, 15);
      log(`\nTop self time in our server (${biggest}):\n${formatProfileTable(summary, 15)}\n`);
    }
  }

  const durationS = (performance.now() - t0) / 1000;
  const runsClient = args.only === undefined || args.only.includes('client');
  const command = commandLine(argv);
  const report = renderReport({
    suite: args.suite,
    command,
    date: started,
    durationS,
    machine,
    fsync,
    fsyncEnd,
    settings,
    zkHeapMb: args.zkHeapMb,
    workers: args.workers,
    servers: args.servers,
    repetitions: suite.repetitions,
    warmupMs: suite.warmupMs,
    measureMs: suite.measureMs,
    serverWarmupMs: suite.serverWarmupMs,
    valueSize: args.valueSize,
    results,
    notes,
    ...(profileTable !== undefined ? { profileTable } : {}),
    ...(runsClient ? { client: { section: clientSection(args.clientDepth, args.valueSize), depth: args.clientDepth, repetitions: suite.client.repetitions, warmupMs: suite.client.warmupMs, measureMs: suite.client.measureMs } } : {}),
  });
  process.stdout.write(`\n${report}\n`);
  const resultsDir = join(REPO_ROOT, 'tools', 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const jsonPath = join(resultsDir, `${args.suite}-latest.json`);
  writeFileSync(jsonPath, JSON.stringify({ command, date: started.toISOString(), durationS, machine, fsync, fsyncEnd, settings, suite, results, notes }, null, 2) + '\n');
  log(`raw figures: ${jsonPath}`);
  // Only whole runs of both systems go into the doc: standalone under <suite>, ensembles under
  // <suite>-<N>servers (a section of its own, appended the first time).
  if (args.writeDoc && systems.length === 2 && args.only === undefined) {
    const docPath = join(REPO_ROOT, 'docs', 'benchmarks.md');
    writeDoc(docPath, docSectionKey(args.suite, args.servers), report);
    log(`updated ${docPath}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  },
);
