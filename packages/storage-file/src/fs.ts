import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';

/**
 * The file-system seam of the file backend. Production uses {@link nodeFileSystem}; tests wrap it
 * to inject failures (ENOSPC, EIO) or tear writes. Only what the backend needs, nothing more.
 */
export interface FileHandle {
  /** Reads up to `length` bytes at `position`; resolves with the count read (0 at end of file). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes `length` bytes at `position`; may write fewer (the caller loops). */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** fdatasync: data and the metadata needed to read it back (size) are durable. */
  datasync(): Promise<void>;
  /**
   * True when every `write` is durable once it resolves (opened with `syncWrites`, O_DSYNC), so a
   * write needs no `datasync` after it. Absent or false: writes reach the page cache only.
   */
  readonly syncsWrites?: boolean;
  /** Sets the file length (zero-filling when it grows). */
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  /**
   * Optional: a string that changes whenever the file's content may have changed (device, inode,
   * size, modification and change times). Lets a snapshot checked once skip a second checksum pass.
   */
  identity?(): Promise<string>;
  close(): Promise<void>;
}

export type OpenMode = 'read' | 'update' | 'create';

export interface FileSystem {
  /**
   * `read`: read only; `update`: read/write, must exist; `create`: read/write, created or emptied.
   * `syncWrites` asks for writes that are durable when they return (O_DSYNC); an implementation
   * that cannot do it ignores the flag and leaves `syncsWrites` unset.
   */
  open(path: string, mode: OpenMode, options?: { readonly syncWrites?: boolean }): Promise<FileHandle>;
  /** Names in `dir` (not paths). */
  readdir(dir: string): Promise<string[]>;
  /** Creates `dir` and its parents when missing. */
  mkdirp(dir: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsyncs a directory so renames, creations and deletions in it are durable. */
  syncDir(dir: string): Promise<void>;
}

const FLAGS: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  update: constants.O_RDWR,
  create: constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
};
/** Undefined where the platform has no O_DSYNC (Windows). */
const O_DSYNC: number | undefined = constants.O_DSYNC;

/** The real file system (node:fs/promises). */
export const nodeFileSystem: FileSystem = {
  async open(path, mode, options) {
    // One write syscall that returns durable saves the datasync round trip through libuv's
    // thread pool: the txn log's group commit then costs one thread-pool hop, not two.
    const dsync = options?.syncWrites === true && mode !== 'read' && O_DSYNC !== undefined;
    const fh = await fsp.open(path, dsync ? FLAGS[mode] | O_DSYNC : FLAGS[mode], 0o666);
    return {
      ...(dsync ? { syncsWrites: true } : {}),
      read: async (buffer, offset, length, position) => (await fh.read(buffer, offset, length, position)).bytesRead,
      write: async (buffer, offset, length, position) => (await fh.write(buffer, offset, length, position)).bytesWritten,
      datasync: () => fh.datasync(),
      truncate: (length) => fh.truncate(length),
      size: async () => (await fh.stat()).size,
      identity: async () => {
        const st = await fh.stat({ bigint: true });
        return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
      },
      close: () => fh.close(),
    };
  },
  readdir: (dir) => fsp.readdir(dir),
  mkdirp: async (dir) => {
    await fsp.mkdir(dir, { recursive: true });
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(dir) {
    if (process.platform === 'win32') return; // directories cannot be fsynced there
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};

/** Writes all of `data` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const n = await handle.write(data, done, data.length - done, position + done);
    if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    done += n;
  }
}

/** Reads exactly `length` bytes at `position` (fewer only at end of file); resolves with the count. */
export async function readFully(handle: FileHandle, buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const n = await handle.read(buffer, offset + done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

export function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'ENOENT';
}
