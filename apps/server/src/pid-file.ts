import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Name of the pid file in dataDir (zkServer.sh uses zookeeper_server.pid). */
export const PID_FILE_NAME = 'zkserver.pid';
/** Name of the daemon's stdout/stderr file in dataDir. */
export const OUT_FILE_NAME = 'zkserver.out';

export function pidFilePath(dataDir: string, override: string | undefined, cwd: string): string {
  return override !== undefined ? resolve(cwd, override) : join(resolve(cwd, dataDir), PID_FILE_NAME);
}

export type PidFileContent =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly text: string }
  | { readonly kind: 'pid'; readonly pid: number };

export async function readPidFile(path: string): Promise<PidFileContent> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw e;
  }
  const t = text.trim();
  if (!/^\d{1,10}$/.test(t) || Number(t) < 1) return { kind: 'malformed', text: t };
  return { kind: 'pid', pid: Number(t) };
}

export async function writePidFile(path: string, pid: number): Promise<void> {
  await writeFile(path, `${pid}\n`);
}

/** Removes the pid file if it still names `pid` (or unconditionally without one). */
export async function removePidFile(path: string, pid?: number): Promise<void> {
  if (pid !== undefined) {
    const current = await readPidFile(path).catch(() => undefined);
    if (current?.kind !== 'pid' || current.pid !== pid) return;
  }
  await rm(path, { force: true });
}
