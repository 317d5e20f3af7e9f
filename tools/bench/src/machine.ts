// Facts about the machine a run happened on, for the report.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg, release, totalmem } from 'node:os';

export interface MachineFacts {
  nproc: number;
  cpuModel: string;
  memTotalGiB: number;
  kernel: string;
  node: string;
  java: string;
  filesystem: string;
  loadAvgAtStart: string;
}

/** "model name" of the first CPU in /proc/cpuinfo text. */
export function cpuModelFrom(cpuinfo: string): string {
  const m = /^model name\s*:\s*(.+)$/m.exec(cpuinfo);
  return m ? m[1]!.trim() : 'unknown';
}

/** The version line of `java -version` output (it goes to stderr). */
export function javaVersionFrom(output: string): string {
  const line = output.split('\n').find((l) => /version/.test(l));
  return line ? line.trim() : 'unknown';
}

function run(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
}

function runBoth(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

export function machineFacts(dataDir: string): MachineFacts {
  let cpuinfo = '';
  try {
    cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    /* not Linux */
  }
  let nproc = Number(run('nproc', []).trim());
  if (!(nproc > 0)) nproc = availableParallelism();
  // java -version prints to stderr; run() returns both streams.
  const javaOut = runBoth(process.env['ZK_JAVA'] ?? 'java', ['-version']);
  const fsType = run('stat', ['-f', '-c', '%T', dataDir]).trim() || 'unknown';
  const dev = run('df', ['--output=source', dataDir]).split('\n')[1]?.trim() ?? '';
  return {
    nproc,
    cpuModel: cpuModelFrom(cpuinfo),
    memTotalGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    java: javaVersionFrom(javaOut),
    filesystem: dev ? `${fsType} on ${dev}` : fsType,
    loadAvgAtStart: loadavg().map((x) => x.toFixed(2)).join(' '),
  };
}
