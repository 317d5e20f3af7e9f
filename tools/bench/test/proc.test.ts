import { describe, expect, it } from 'vitest';
import { cpuMicros, diffCpu, parseMachineCpu, parseProcStat, parseProcStatus, type CpuSample } from '../src/proc.js';

// A real /proc/<pid>/stat line shape, with a command name containing spaces and parentheses.
const STAT =
  '4242 (java (zk) main) S 1 4242 4242 0 -1 4194560 12345 0 0 0 1500 250 0 0 20 0 37 0 100 5000000000 80000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0';

describe('/proc/<pid>/stat', () => {
  it('finds the fields after the last parenthesis', () => {
    const s = parseProcStat(STAT);
    expect(s.pid).toBe(4242);
    expect(s.comm).toBe('java (zk) main');
    expect(s.state).toBe('S');
    expect(s.ppid).toBe(1);
    expect(s.pgrp).toBe(4242);
    expect(s.session).toBe(4242);
    expect(s.utimeTicks).toBe(1500);
    expect(s.stimeTicks).toBe(250);
    expect(s.numThreads).toBe(37);
  });
  it('converts ticks to microseconds', () => {
    expect(cpuMicros(parseProcStat(STAT), 100)).toBe(17_500_000);
  });
  it('rejects text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow();
  });
});

describe('/proc/<pid>/status', () => {
  it('reads VmHWM and VmRSS in bytes', () => {
    const m = parseProcStatus('Name:\tjava\nVmPeak:\t 9999 kB\nVmHWM:\t  345600 kB\nVmRSS:\t  300000 kB\n');
    expect(m.vmHwm).toBe(345600 * 1024);
    expect(m.vmRss).toBe(300000 * 1024);
    expect(parseProcStatus('Name: x\n').vmHwm).toBeNaN();
  });
});

describe('/proc/stat and CPU deltas', () => {
  it('counts busy jiffies (everything but idle and iowait)', () => {
    const m = parseMachineCpu('cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 1 1 1 1 1 1 1 1 0 0\n');
    expect(m.busy).toBe(100 + 5 + 50 + 3 + 2 + 10);
    expect(m.total).toBe(m.busy + 800 + 20);
  });
  it('diffs two samples into per-process CPU, client CPU and machine busy share', () => {
    const a: CpuSample = { atMs: 1000, byPid: new Map([[7, 1_000_000]]), selfUs: 50_000, machine: { busy: 100, total: 400 } };
    const b: CpuSample = { atMs: 3000, byPid: new Map([[7, 2_500_000]]), selfUs: 250_000, machine: { busy: 400, total: 800 } };
    const d = diffCpu(a, b);
    expect(d.wallMs).toBe(2000);
    expect(d.serverUs.get(7)).toBe(1_500_000);
    expect(d.clientUs).toBe(200_000);
    expect(d.machineBusy).toBe(0.75);
  });
});
