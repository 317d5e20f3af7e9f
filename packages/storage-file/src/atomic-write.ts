import { join } from 'node:path';
import { type FileSystem, writeFully } from './fs.js';

/** Suffix of temporary files; leftovers from a crash are deleted when the storage opens. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Replaces `dir/name` with `data` atomically: write a temp file, fsync it, rename it over the
 * target, fsync the directory. A crash leaves either the old or the new content.
 */
export async function atomicWriteFile(fs: FileSystem, dir: string, name: string, data: Uint8Array, forceSync: boolean): Promise<void> {
  const temp = join(dir, name + TEMP_SUFFIX);
  const handle = await fs.open(temp, 'create');
  try {
    await writeFully(handle, data, 0);
    if (forceSync) await handle.datasync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, join(dir, name));
  if (forceSync) await fs.syncDir(dir);
}
