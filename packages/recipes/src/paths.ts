// Path helpers: joining, sequence numbers, and creating missing parents.

import { isZooKeeperError, type CreateModeName, type ZooKeeperClient } from '@zk/client';
import { retrying } from './retry.js';

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}

export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * The number ZooKeeper appended to a sequential node's name: `%010d` of the parent's cversion,
 * so the last 10 characters (negative after the int32 wraps; see the README). NaN if none.
 */
export function sequenceOf(name: string): number {
  const tail = name.slice(-10);
  return /^-?\d+$/.test(tail) ? Number(tail) : Number.NaN;
}

/** Sequential node names in creation order (by sequence number, whatever their prefixes). */
export function sortBySequence(names: readonly string[]): string[] {
  return names.filter((n) => !Number.isNaN(sequenceOf(n))).sort((a, b) => sequenceOf(a) - sequenceOf(b));
}

/**
 * Creates `path` and any missing parents (Curator's creatingParentContainersIfNeeded). CONTAINER
 * parents are removed by the server once their last child goes, which is the cleanup recipes
 * want for lock and latch directories.
 */
export async function ensurePath(zk: ZooKeeperClient, path: string, mode: CreateModeName = 'CONTAINER', signal?: AbortSignal): Promise<void> {
  if (path === '/') return;
  try {
    await retrying(() => zk.create(path, null, { mode }), signal);
  } catch (err) {
    if (isZooKeeperError(err, 'NODEEXISTS')) return;
    if (!isZooKeeperError(err, 'NONODE')) throw err;
    await ensurePath(zk, parentOf(path), mode, signal);
    await ensurePath(zk, path, mode, signal);
  }
}
