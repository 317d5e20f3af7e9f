import { join } from 'node:path';
import { type EpochStore, StorageClosedError, StorageFailedError, toStorageError } from '@zk/storage';
import { atomicWriteFile } from './atomic-write.js';
import { type FileSystem, isNotFound, readFully } from './fs.js';

export const ACCEPTED_EPOCH_FILE = 'acceptedEpoch';
export const CURRENT_EPOCH_FILE = 'currentEpoch';

/** ZAB epochs in ZooKeeper's files: the decimal value and a newline, replaced atomically. */
export class FileEpochStore implements EpochStore {
  closed = false;
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly forceSync: boolean,
    private accepted: number | undefined,
    private current: number | undefined,
  ) {}

  static async open(fs: FileSystem, dir: string, forceSync: boolean): Promise<FileEpochStore> {
    const accepted = await readEpochFile(fs, join(dir, ACCEPTED_EPOCH_FILE));
    const current = await readEpochFile(fs, join(dir, CURRENT_EPOCH_FILE));
    return new FileEpochStore(fs, dir, forceSync, accepted, current);
  }

  acceptedEpoch(): number | undefined {
    return this.accepted;
  }

  currentEpoch(): number | undefined {
    return this.current;
  }

  async setAcceptedEpoch(epoch: number): Promise<void> {
    await this.write(ACCEPTED_EPOCH_FILE, epoch);
    this.accepted = epoch;
  }

  async setCurrentEpoch(epoch: number): Promise<void> {
    await this.write(CURRENT_EPOCH_FILE, epoch);
    this.current = epoch;
  }

  private write(name: string, epoch: number): Promise<void> {
    if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffff_ffff) return Promise.reject(new RangeError(`epoch out of range: ${epoch}`));
    if (this.closed) return Promise.reject(new StorageClosedError(`set ${name}`));
    // One write at a time, so two sets of the same file cannot race on its temp file.
    const run = this.writes.then(() =>
      atomicWriteFile(this.fs, this.dir, name, Buffer.from(`${epoch}\n`), this.forceSync).catch((err: unknown) => {
        throw toStorageError(`write ${join(this.dir, name)}`, err);
      }),
    );
    this.writes = run.catch(() => undefined);
    return run;
  }
}

async function readEpochFile(fs: FileSystem, path: string): Promise<number | undefined> {
  let text: string;
  try {
    const handle = await fs.open(path, 'read');
    try {
      const size = await handle.size();
      const buf = Buffer.alloc(Math.min(size, 64));
      const got = await readFully(handle, buf, 0, buf.length, 0);
      text = buf.toString('utf8', 0, got);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw toStorageError(`read ${path}`, err);
  }
  const match = /^\s*(\d{1,10})\s*$/.exec(text);
  const value = match === null ? NaN : Number(match[1]);
  if (!Number.isInteger(value) || value > 0xffff_ffff) {
    throw new StorageFailedError(`read ${path}`, new Error(`not an epoch: ${JSON.stringify(text)}`));
  }
  return value;
}
