import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StorageLogger } from '@zk/storage';
import { type FileHandle, type FileSystem, nodeFileSystem } from '../src/fs.js';

/** Temp directories made by a test file, removed by `removeTempDirs`. */
const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zk-storage-file-'));
  dirs.push(dir);
  return dir;
}

export async function removeTempDirs(): Promise<void> {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
}

/** A logger that keeps warnings for assertions. */
export function captureLogger(): StorageLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (m) => warnings.push(m) };
}

export function errno(code: string): Error {
  return Object.assign(new Error(`${code}: injected failure`), { code });
}

/**
 * Wraps the real file system with armed faults, counting fsyncs of log segments.
 * `failLog` fails the next write (ENOSPC) or datasync (anything else) of a log segment.
 */
export class FaultFs implements FileSystem {
  failLog: string | undefined;
  failAnyWrite: string | undefined;
  /** The next log write lands only its first half, then fails with ENOSPC. */
  partialLogWrite = false;
  logDatasyncs = 0;
  /** Pass `syncWrites` (O_DSYNC) through, as the real file system does; off by default. */
  offerSyncWrites = false;

  open = async (path: string, mode: 'read' | 'update' | 'create', options?: { readonly syncWrites?: boolean }): Promise<FileHandle> => {
    const inner = await nodeFileSystem.open(path, mode, this.offerSyncWrites ? options : undefined);
    const isLog = /[/\\]log\.[0-9a-f]+$/.test(path);
    return {
      ...(inner.syncsWrites === true ? { syncsWrites: true } : {}),
      read: inner.read,
      size: inner.size,
      ...(inner.identity !== undefined ? { identity: inner.identity } : {}),
      close: inner.close,
      truncate: inner.truncate,
      write: async (buffer, offset, length, position) => {
        if (this.failAnyWrite !== undefined) throw errno(this.failAnyWrite);
        if (isLog && this.partialLogWrite) {
          this.partialLogWrite = false;
          await inner.write(buffer, offset, Math.max(1, length >> 1), position);
          throw errno('ENOSPC');
        }
        if (isLog && this.failLog === 'ENOSPC') {
          this.failLog = undefined;
          throw errno('ENOSPC');
        }
        return inner.write(buffer, offset, length, position);
      },
      datasync: async () => {
        if (isLog && this.failLog !== undefined) {
          const code = this.failLog;
          this.failLog = undefined;
          throw errno(code);
        }
        if (isLog) this.logDatasyncs++;
        return inner.datasync();
      },
    };
  };
  readdir = nodeFileSystem.readdir;
  mkdirp = nodeFileSystem.mkdirp;
  rename = nodeFileSystem.rename;
  unlink = nodeFileSystem.unlink;
  syncDir = nodeFileSystem.syncDir;
}

/** Flips one byte of a file in place. */
export async function flipByte(path: string, offset: number): Promise<void> {
  const data = await readFile(path);
  data[offset] = data[offset]! ^ 0xff;
  await writeFile(path, data);
}
