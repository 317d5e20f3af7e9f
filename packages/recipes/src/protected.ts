// Curator's protected mode: a create that fails with ConnectionLoss may still have happened, and
// for a sequential node the name it got is unknown. So the name starts with `_c_<guid>-`; after
// the loss the parent's children are searched for that prefix (and, for an ephemeral node, this
// session's ownership), and the create is only repeated when nothing was found.

import { randomUUID } from 'node:crypto';
import { isZooKeeperError, type CreateModeName, type Data, type ZooKeeperClient } from '@zk/client';
import { ensurePath, joinPath } from './paths.js';
import { deleteQuietly, isRetryable, retrying } from './retry.js';
import { sleep } from './wait.js';

export const PROTECTED_PREFIX = '_c_';

/** A fresh guid for one protected create. */
export function newGuid(): string {
  return randomUUID();
}

/** `_c_<guid>-<name>`: the node name a protected create asks for (ZooKeeper appends the sequence). */
export function protectedName(guid: string, name: string): string {
  return `${PROTECTED_PREFIX}${guid}-${name}`;
}

/** The name without a protected prefix (`_c_<36-char guid>-`), if it has one. */
export function unprotectedName(name: string): string {
  return name.startsWith(PROTECTED_PREFIX) && name[PROTECTED_PREFIX.length + 36] === '-' ? name.slice(PROTECTED_PREFIX.length + 37) : name;
}

/**
 * Creates `dir/_c_<guid>-<name>` (missing parents as `parentMode` nodes) and returns its path, sure to
 * have created exactly one node, whatever connection losses happen on the way. Rejects only when
 * the session is gone or the server refuses (NoAuth, ...).
 */
export async function createProtected(
  zk: ZooKeeperClient,
  dir: string,
  name: string,
  data: Data,
  mode: CreateModeName,
  guid: string,
  parentMode: CreateModeName = 'CONTAINER',
): Promise<string> {
  const path = joinPath(dir, protectedName(guid, name));
  for (let delay = 10; ; delay = Math.min(delay * 2, 1000)) {
    try {
      return (await zk.create(path, data, { mode })).path;
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) {
        await ensurePath(zk, dir, parentMode);
        continue;
      }
      if (!isRetryable(err)) throw err;
    }
    const found = await retrying(() => findProtected(zk, dir, guid, mode));
    if (found !== undefined) return found;
    await sleep(delay);
  }
}

/** The node a protected create with `guid` made under `dir`, if any (an ephemeral one must be this session's). */
export async function findProtected(zk: ZooKeeperClient, dir: string, guid: string, mode: CreateModeName): Promise<string | undefined> {
  let children: string[];
  try {
    // In an ensemble the server reconnected to may lag the one that took the create: sync first.
    await zk.sync(dir);
    children = (await zk.getChildren(dir)).children;
  } catch (err) {
    if (isZooKeeperError(err, 'NONODE')) return undefined;
    throw err;
  }
  const prefix = `${PROTECTED_PREFIX}${guid}-`;
  const name = children.find((c) => c.startsWith(prefix));
  if (name === undefined) return undefined;
  const path = joinPath(dir, name);
  if (mode === 'EPHEMERAL' || mode === 'EPHEMERAL_SEQUENTIAL') {
    const stat = await zk.exists(path);
    if (stat === null || stat.ephemeralOwner !== zk.sessionId) return undefined;
  }
  return path;
}

/**
 * Undoes a protected create that was abandoned (aborted, timed out) while still running: once it
 * settles, the node it made is deleted. Runs in the background; never rejects.
 */
export function undoCreate(zk: ZooKeeperClient, creating: Promise<string>): void {
  creating.then(
    (path) => deleteQuietly(zk, path),
    () => undefined, // it made nothing (or its session is gone, and its node with it)
  );
}
