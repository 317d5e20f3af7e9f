// The disk's fsync rate in the filesystem that holds the data directories: the physical ceiling
// for writes that are acknowledged one fsync each (group commit is how both servers beat it).

import { closeSync, fdatasyncSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { summarize, type Summary } from './stats.js';

export interface FsyncProbe {
  /** Appending 128 B then fsync(2) (the file grows: metadata is synced too), per second. */
  appendFsyncPerSec: number;
  /** Overwriting 128 B inside a preallocated file then fdatasync(2) (how a preallocated log syncs), per second. */
  preallocFdatasyncPerSec: number;
  /** Per-call latency of the append + fsync loop, µs. */
  appendFsyncUs: Summary;
}

function loop(ms: number, step: (i: number) => void): { count: number; elapsedMs: number; samplesUs: number[] } {
  const start = performance.now();
  const samplesUs: number[] = [];
  let i = 0;
  for (;;) {
    const t = performance.now();
    if (t - start >= ms) break;
    step(i++);
    samplesUs.push((performance.now() - t) * 1000);
  }
  return { count: i, elapsedMs: performance.now() - start, samplesUs };
}

/** Runs each loop for `ms` in a scratch directory under `dir`. Synchronous by design: nothing else runs. */
export function probeFsync(dir: string, ms = 1500): FsyncProbe {
  const scratch = mkdtempSync(join(dir, 'zkbench-fsync-'));
  try {
    const rec = Buffer.alloc(128, 0x5a);
    const appendPath = join(scratch, 'append');
    let fd = openSync(appendPath, 'w');
    const a = loop(ms, () => {
      writeSync(fd, rec);
      fsyncSync(fd);
    });
    closeSync(fd);
    const preallocPath = join(scratch, 'prealloc');
    fd = openSync(preallocPath, 'w');
    const size = 64 * 1024 * 1024;
    const zeros = Buffer.alloc(1024 * 1024);
    for (let off = 0; off < size; off += zeros.length) writeSync(fd, zeros, 0, zeros.length, off);
    fsyncSync(fd);
    const p = loop(ms, (i) => {
      writeSync(fd, rec, 0, rec.length, (i * rec.length) % size);
      fdatasyncSync(fd);
    });
    closeSync(fd);
    return {
      appendFsyncPerSec: (a.count * 1000) / a.elapsedMs,
      preallocFdatasyncPerSec: (p.count * 1000) / p.elapsedMs,
      appendFsyncUs: summarize(a.samplesUs),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
