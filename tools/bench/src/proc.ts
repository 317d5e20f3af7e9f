// Linux /proc readers: CPU time of a process (all its threads, living and exited), peak and
// current RSS, session id, and whole-machine busy time. Parsers are pure functions of the file
// text so they can be tested; the readers add the file access.

import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export interface ProcStat {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** user + system CPU time in clock ticks (utime + stime: fields 14 and 15). */
  utimeTicks: number;
  stimeTicks: number;
  numThreads: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself contain
 * spaces and parentheses, so the fields after it are counted from the LAST ')'.
 */
export function parseProcStat(text: string): ProcStat {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const pid = Number(text.slice(0, open).trim());
  const comm = text.slice(open + 1, close);
  // rest[0] is field 3 (state)
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number): number => {
    const v = rest[n - 3];
    if (v === undefined) throw new Error(`/proc stat: field ${n} missing`);
    return Number(v);
  };
  return {
    pid,
    comm,
    state: rest[0] ?? '?',
    ppid: field(4),
    pgrp: field(5),
    session: field(6),
    utimeTicks: field(14),
    stimeTicks: field(15),
    numThreads: field(20),
  };
}

/** CPU ticks per second (sysconf(_SC_CLK_TCK)); 100 on every mainstream Linux. */
let clkTck: number | undefined;
export function clockTicksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** utime + stime of a process in microseconds. */
export function cpuMicros(stat: ProcStat, ticksPerSecond: number): number {
  return ((stat.utimeTicks + stat.stimeTicks) * 1e6) / ticksPerSecond;
}

export function readProcStat(pid: number | 'self'): ProcStat {
  return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** CPU time (µs) used so far by a process, or NaN if it is gone. */
export function processCpuMicros(pid: number | 'self'): number {
  try {
    return cpuMicros(readProcStat(pid), clockTicksPerSecond());
  } catch {
    return Number.NaN;
  }
}

export interface ProcMemory {
  /** Peak resident set size ("high water mark"), bytes. */
  vmHwm: number;
  /** Current resident set size, bytes. */
  vmRss: number;
}

/** Parses VmHWM and VmRSS (kB) from /proc/<pid>/status. */
export function parseProcStatus(text: string): ProcMemory {
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : Number.NaN;
  };
  return { vmHwm: kb('VmHWM'), vmRss: kb('VmRSS') };
}

export function readProcMemory(pid: number): ProcMemory {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return { vmHwm: Number.NaN, vmRss: Number.NaN };
  }
}

export interface MachineCpu {
  /** Jiffies spent not idle (user+nice+system+irq+softirq+steal), all CPUs. */
  busy: number;
  /** All jiffies, all CPUs. */
  total: number;
}

/** Parses the aggregate "cpu" line of /proc/stat. */
export function parseMachineCpu(text: string): MachineCpu {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat: no aggregate cpu line');
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

export function readMachineCpu(): MachineCpu {
  try {
    return parseMachineCpu(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** A snapshot of CPU counters for a set of processes plus the machine, to diff over a window. */
export interface CpuSample {
  atMs: number;
  /** µs of CPU per pid (NaN if the process is gone). */
  byPid: Map<number, number>;
  selfUs: number;
  machine: MachineCpu;
}

export function sampleCpu(pids: readonly number[], nowMs: number): CpuSample {
  const byPid = new Map<number, number>();
  for (const pid of pids) byPid.set(pid, processCpuMicros(pid));
  return { atMs: nowMs, byPid, selfUs: processCpuMicros('self'), machine: readMachineCpu() };
}

export interface CpuDelta {
  wallMs: number;
  /** µs of CPU each server pid used in the window. */
  serverUs: Map<number, number>;
  /** µs of CPU this (load generator) process used in the window. */
  clientUs: number;
  /** Fraction (0..1) of ALL cores busy over the window, everything on the machine included. */
  machineBusy: number;
}

export function diffCpu(a: CpuSample, b: CpuSample): CpuDelta {
  const serverUs = new Map<number, number>();
  for (const [pid, us] of b.byPid) serverUs.set(pid, us - (a.byPid.get(pid) ?? Number.NaN));
  const dt = b.machine.total - a.machine.total;
  return {
    wallMs: b.atMs - a.atMs,
    serverUs,
    clientUs: b.selfUs - a.selfUs,
    machineBusy: dt > 0 ? (b.machine.busy - a.machine.busy) / dt : Number.NaN,
  };
}
