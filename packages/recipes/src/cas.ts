// Versioned compare-and-set: read a node, compute its next value, write it only at the version
// read, and start over when someone wrote in between. A write that fails with ConnectionLoss is
// read back: if the version did not move, or moved to data that is not ours, it was not applied
// and is retried; otherwise it may have been, and OutcomeUnknownError says so instead of
// applying it twice.

import { isZooKeeperError, type Data, type Stat, type ZooKeeperClient } from '@zk/client';
import { OutcomeUnknownError } from './errors.js';
import { ensurePath, parentOf } from './paths.js';
import { isRetryable, retrying } from './retry.js';

export interface CasResult {
  /** The data before; undefined when the node did not exist. */
  readonly before: Buffer | null | undefined;
  /** The Stat after our write; undefined when `next` chose not to write and there is no node. */
  readonly stat: Stat | undefined;
  /** False when `next` returned undefined (nothing written). */
  readonly written: boolean;
}

/**
 * Sets `path` to `next(current)` atomically (current is undefined when the node does not exist:
 * it is then created, parents as containers); `next` returning undefined writes nothing. `next`
 * may run several times.
 */
export async function compareAndSet(
  zk: ZooKeeperClient,
  path: string,
  next: (current: Buffer | null | undefined) => Data | undefined,
  signal?: AbortSignal,
): Promise<CasResult> {
  for (;;) {
    signal?.throwIfAborted();
    const current = await readOrMissing(zk, path, signal);
    const value = next(current?.data);
    if (value === undefined) return { before: current?.data, stat: current?.stat, written: false };
    const bytes = toBuffer(value);
    try {
      if (current === undefined) {
        await ensurePath(zk, parentOf(path), 'CONTAINER', signal);
        const { stat } = await zk.create(path, value);
        return { before: undefined, stat, written: true };
      }
      const stat = await zk.setData(path, value, { version: current.stat.version });
      return { before: current.data, stat, written: true };
    } catch (err) {
      if (isZooKeeperError(err, 'BADVERSION') || isZooKeeperError(err, 'NODEEXISTS') || isZooKeeperError(err, 'NONODE')) continue;
      if (!isRetryable(err)) throw err;
      if (await notApplied(zk, path, current, bytes, signal)) continue;
      throw new OutcomeUnknownError(`${path}: the write was cut off by a connection loss and the node has changed since; it may or may not have been applied`, path, { cause: err });
    }
  }
}

/** After a lost write: true when reading back proves it was not applied. */
async function notApplied(
  zk: ZooKeeperClient,
  path: string,
  before: { data: Buffer | null; stat: Stat } | undefined,
  ours: Buffer | null,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  // The server reconnected to may lag the one that took the write: catch it up with the leader first.
  await retrying(() => zk.sync(path), signal);
  const now = await readOrMissing(zk, path, signal);
  if (before === undefined) {
    // Our create: still missing, or someone else's data at the first version.
    return now === undefined || (now.stat.version === 0 && !sameBytes(now.data, ours));
  }
  // Our setData: the same node (not deleted and re-created since) still at the version we read,
  // or moved exactly one version on to data that is not ours.
  if (now === undefined || now.stat.czxid !== before.stat.czxid) return false;
  return now.stat.version === before.stat.version || (now.stat.version === before.stat.version + 1 && !sameBytes(now.data, ours));
}

async function readOrMissing(zk: ZooKeeperClient, path: string, signal: AbortSignal | undefined): Promise<{ data: Buffer | null; stat: Stat } | undefined> {
  try {
    return await retrying(() => zk.getData(path), signal);
  } catch (err) {
    if (isZooKeeperError(err, 'NONODE')) return undefined;
    throw err;
  }
}

function toBuffer(data: Data): Buffer | null {
  if (data === null) return null;
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
}

function sameBytes(a: Buffer | null, b: Buffer | null): boolean {
  // ZooKeeper stores null and empty data alike.
  if (a === null || a.length === 0) return b === null || b.length === 0;
  return b !== null && a.equals(b);
}
