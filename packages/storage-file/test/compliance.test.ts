import { join } from 'node:path';
import type { Storage } from '@zk/storage';
import storageCompliance from '@zk/storage/compliance';
import { readLogFile } from '../src/dump.js';
import { type FileStorageImpl, openFileStorage } from '../src/file-storage.js';
import { FaultFs, flipByte, removeTempDirs, tempDir } from './helpers.js';

interface Opened {
  dir: string;
  fs: FaultFs;
}
const opened = new WeakMap<Storage, Opened>();
const quiet = { warn: () => undefined };

async function openAt(dir: string, fs = new FaultFs()): Promise<FileStorageImpl> {
  // Small preallocation keeps the suite fast; the format does not depend on it.
  const storage = await openFileStorage({ dataDir: dir, preAllocSize: 64 * 1024, logger: quiet }, fs);
  opened.set(storage, { dir, fs });
  return storage;
}

function where(storage: Storage): Opened {
  const o = opened.get(storage);
  if (o === undefined) throw new Error('storage not opened by this setup');
  return o;
}

storageCompliance({
  name: 'file',
  open: async (dir) => openAt(dir ?? (await tempDir())),
  reopen: async (previous) => {
    await previous.close();
    return openAt(where(previous).dir);
  },
  crash: async (previous) => {
    await (previous as FileStorageImpl).abandon();
    return openAt(where(previous).dir);
  },
  crashTearing: async (previous) => {
    await (previous as FileStorageImpl).abandon(20);
    return openAt(where(previous).dir);
  },
  corruptRecord: async (previous, zxid) => {
    await previous.close();
    const s = previous as FileStorageImpl;
    for (const segment of s.txnLog.segmentPaths()) {
      for await (const r of readLogFile(segment)) {
        if (r.zxid === zxid) {
          await flipByte(segment, r.offset + 16 + Math.floor(r.record.length / 2));
          return openAt(where(previous).dir);
        }
      }
    }
    throw new Error(`no record ${zxid}`);
  },
  corruptSnapshot: async (previous, info) => {
    await previous.close();
    const path = join((previous as FileStorageImpl).snapDir, info.name);
    await flipByte(path, 24 + Math.floor(info.size / 2));
    return openAt(where(previous).dir);
  },
  failNextLogSync: (storage, code) => {
    where(storage).fs.failLog = code;
  },
  cleanup: removeTempDirs,
});
