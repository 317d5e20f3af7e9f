import { join } from 'node:path';
import { acquireWasmCrc, CRC32C_TABLES, crc32cUpdate, releaseWasmCrc, type WasmCrc } from '@zk/crc';
import {
  CorruptSnapshotError,
  isStorageError,
  parseSnapshotName,
  type SnapshotData,
  type SnapshotInfo,
  type SnapshotStore,
  snapshotName,
  StorageClosedError,
  toStorageError,
} from '@zk/storage';
import type { Zxid } from '@zk/zxid';
import { TEMP_SUFFIX } from './atomic-write.js';
import { type FileHandle, type FileSystem, isNotFound, writeFully } from './fs.js';
import { encodeSnapshotHeader, encodeSnapshotTrailer, SNAPSHOT_TRAILER_SIZE } from './snapshot-format.js';
import { readSnapshotFrame, streamSnapshotContent, type VerifiedSnapshots, verifySnapshotFile } from './snapshot-file.js';

const WRITE_BUFFER = 1 << 20;

/** `snapshot.<hex>` files: written to a temp file, fsynced, renamed, directory fsynced. */
export class FileSnapshotStore implements SnapshotStore {
  closed = false;
  private saves = 0;
  /**
   * Snapshots whose checksum `latest()` (or a complete `open()`) verified, with their file
   * identity then: `open()` of an unchanged file does not checksum it a second time (recovery
   * calls `latest()` and then `open()` on the same newest snapshot).
   */
  private readonly verified: VerifiedSnapshots = new Map();

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly forceSync: boolean,
    private readonly warn: (message: string) => void,
  ) {}

  async save(zxid: Zxid, data: SnapshotData): Promise<SnapshotInfo> {
    if (this.closed) throw new StorageClosedError('snapshot save');
    const name = snapshotName(zxid);
    const temp = join(this.dir, `${name}.${++this.saves}${TEMP_SUFFIX}`);
    const io = <T>(what: string, op: Promise<T>): Promise<T> =>
      op.catch((err: unknown) => {
        throw toStorageError(`${what} ${temp}`, err);
      });
    const handle = await io('create', this.fs.open(temp, 'create'));
    let open: FileHandle | undefined = handle;
    let wasmHeld: WasmCrc | undefined;
    try {
      // Every byte goes through one write buffer; with WebAssembly that buffer is the CRC
      // module's window, so each piece is checksummed where it was copied (a few times faster
      // than the JS tables, and a snapshot is tens of MiB written while the server works).
      const wasm = acquireWasmCrc(CRC32C_TABLES, WRITE_BUFFER + SNAPSHOT_TRAILER_SIZE);
      wasmHeld = wasm;
      const buf = wasm !== undefined ? wasm.window : Buffer.allocUnsafe(WRITE_BUFFER + SNAPSHOT_TRAILER_SIZE);
      let crc = 0;
      let pos = 0;
      let size = 0;
      let used = 0;
      const put = (bytes: Uint8Array, from: number, n: number): void => {
        buf.set(n === bytes.length ? bytes : bytes.subarray(from, from + n), used);
        crc = wasm !== undefined ? wasm.update(crc, used, used + n) : crc32cUpdate(crc, buf, used, used + n);
        used += n;
      };
      const flush = async (): Promise<void> => {
        await io('write', writeFully(handle, buf.subarray(0, used), pos));
        pos += used;
        used = 0;
      };
      const header = encodeSnapshotHeader(zxid);
      put(header, 0, header.length);
      for await (const chunk of asChunks(data)) {
        size += chunk.length;
        for (let at = 0; at < chunk.length; ) {
          const n = Math.min(chunk.length - at, WRITE_BUFFER - used);
          put(chunk, at, n);
          at += n;
          if (used === WRITE_BUFFER) await flush();
        }
      }
      // The trailer is not checksummed; the buffer always has room for it.
      buf.set(encodeSnapshotTrailer(size, crc), used);
      used += SNAPSHOT_TRAILER_SIZE;
      await flush();
      if (this.forceSync) await io('fsync', handle.datasync());
      open = undefined;
      await io('close', handle.close());
      if (this.closed) throw new StorageClosedError('snapshot save');
      this.verified.delete(join(this.dir, name));
      await io('rename', this.fs.rename(temp, join(this.dir, name)));
      if (this.forceSync) await io('fsync directory', this.fs.syncDir(this.dir));
      return { zxid, size, name };
    } catch (err) {
      if (open !== undefined) await open.close().catch(() => undefined);
      await this.fs.unlink(temp).catch(() => undefined);
      throw err;
    } finally {
      if (wasmHeld !== undefined) releaseWasmCrc(wasmHeld);
    }
  }

  async latest(): Promise<SnapshotInfo | undefined> {
    if (this.closed) throw new StorageClosedError('snapshot latest');
    const names = await this.names();
    for (let i = names.length - 1; i >= 0; i--) {
      const { name, zxid } = names[i]!;
      const path = join(this.dir, name);
      try {
        const frame = await verifySnapshotFile(this.fs, path, zxid, this.verified);
        return { zxid, size: frame.contentSize, name };
      } catch (err) {
        if (isNotFound(err)) continue;
        if (!isStorageError(err, 'CORRUPT_SNAPSHOT')) throw toStorageError(`read ${path}`, err);
        this.warn(`skipping invalid snapshot ${path}: ${(err as CorruptSnapshotError).reason}; falling back to an older one`);
      }
    }
    return undefined;
  }

  open(info: SnapshotInfo): AsyncIterable<Uint8Array> {
    if (this.closed) throw new StorageClosedError('snapshot open');
    return streamSnapshotContent(this.fs, join(this.dir, info.name), info.zxid, { verified: this.verified });
  }

  async list(): Promise<SnapshotInfo[]> {
    if (this.closed) throw new StorageClosedError('snapshot list');
    const out: SnapshotInfo[] = [];
    for (const { name, zxid } of await this.names()) {
      const path = join(this.dir, name);
      let handle: FileHandle;
      try {
        handle = await this.fs.open(path, 'read');
      } catch (err) {
        if (isNotFound(err)) continue;
        throw toStorageError(`open ${path}`, err);
      }
      try {
        const frame = await readSnapshotFrame(handle, path);
        if (frame.zxid === zxid) out.push({ zxid, size: frame.contentSize, name });
      } catch (err) {
        if (!(err instanceof CorruptSnapshotError) && !isStorageError(err, 'CORRUPT_SNAPSHOT')) throw err;
      } finally {
        await handle.close();
      }
    }
    return out;
  }

  async remove(info: SnapshotInfo): Promise<void> {
    if (this.closed) throw new StorageClosedError('snapshot remove');
    this.verified.delete(join(this.dir, info.name));
    await this.fs.unlink(join(this.dir, info.name)).catch((err: unknown) => {
      if (!isNotFound(err)) throw toStorageError(`remove ${info.name}`, err);
    });
  }

  /** `snapshot.<hex>` names in the directory, oldest first. */
  private async names(): Promise<Array<{ name: string; zxid: Zxid }>> {
    return (await this.fs.readdir(this.dir))
      .map((name) => ({ name, zxid: parseSnapshotName(name) }))
      .filter((n): n is { name: string; zxid: Zxid } => n.zxid !== undefined)
      .sort((a, b) => (a.zxid < b.zxid ? -1 : a.zxid > b.zxid ? 1 : 0));
  }
}

async function* asChunks(data: SnapshotData): AsyncIterable<Uint8Array> {
  if (data instanceof Uint8Array) {
    yield data;
    return;
  }
  yield* data as AsyncIterable<Uint8Array>;
}
