// Waiting in line: every contender creates an ephemeral sequential node under one directory and
// goes ahead when a policy says the nodes before it allow; otherwise it watches the one node
// that blocks it (never the whole directory, so a release wakes one waiter, not the herd).
// Mutex, both sides of the read/write lock and the semaphore's inner lock wait this way.

import { SessionExpiredError, isZooKeeperError, type Data, type Watcher, type WatchedEvent, type ZooKeeperClient } from '@zk/client';
import { LostError } from './errors.js';
import { joinPath, nameOf, sortBySequence } from './paths.js';
import { createProtected, newGuid, undoCreate, unprotectedName } from './protected.js';
import { deleteQuietly, isRetryable, retrying } from './retry.js';
import { raceAbort, type Deadline } from './wait.js';

export interface LinePolicy {
  /** The node name to create; ZooKeeper appends the sequence number (e.g. `lock-`). */
  readonly name: string;
  /** Whether a child of the directory stands in this line. */
  member(child: string): boolean;
  /** undefined when the node at `index` of `sorted` may go ahead, else the node it must wait for. */
  blocker(sorted: readonly string[], index: number): string | undefined;
}

/** One holder at a time: the first node goes ahead, each other waits for the one just before it. */
export function exclusivePolicy(name: string, members: readonly string[] = [name]): LinePolicy {
  return {
    name,
    member: (child) => members.some((m) => unprotectedName(child).startsWith(m)),
    blocker: (sorted, index) => (index === 0 ? undefined : sorted[index - 1]),
  };
}

/** Creates our node under `dir` and waits until `policy` lets it go ahead; returns its path. */
export async function waitInLine(zk: ZooKeeperClient, dir: string, policy: LinePolicy, data: Data, deadline: Deadline): Promise<string> {
  const creating = createProtected(zk, dir, policy.name, data, 'EPHEMERAL_SEQUENTIAL', newGuid());
  let own: string;
  try {
    own = await raceAbort(creating, deadline.signal);
  } catch (err) {
    undoCreate(zk, creating);
    throw err;
  }
  try {
    for (;;) {
      const { children } = await retrying(() => zk.getChildren(dir), deadline.signal);
      const sorted = sortBySequence(children.filter((c) => policy.member(c)));
      const index = sorted.indexOf(nameOf(own));
      if (index < 0) throw new LostError(`${own} disappeared while waiting (deleted, or its session ended)`, own);
      const blocker = policy.blocker(sorted, index);
      if (blocker === undefined) return own;
      deadline.beforeWaiting();
      await changeOf(zk, joinPath(dir, blocker), deadline.signal);
    }
  } catch (err) {
    void deleteQuietly(zk, own);
    throw err;
  }
}

/** The error for a session event that ends every wait on this client, or undefined for the others. */
export function sessionEndError(event: WatchedEvent, path: string): Error | undefined {
  if (event.state === 'Expired') return new SessionExpiredError({ path, op: 'watch' });
  if (event.state === 'Closed' || event.state === 'AuthFailed') return new LostError(`the client was ${event.state === 'Closed' ? 'closed' : 'refused (AuthFailed)'}`, path);
  return undefined;
}

/**
 * Resolves at the next change of `path` (usually its deletion), or at once when it does not exist
 * or could not be watched (the caller looks again); rejects when the session ends or on abort.
 * Watches with getData, which leaves no watch behind on a missing node (exists would).
 */
export function changeOf(zk: ZooKeeperClient, path: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown): void => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const watcher: Watcher = (event) => {
      if (event.type !== 'None') finish();
      else {
        const ended = sessionEndError(event, path);
        if (ended !== undefined) finish(ended);
      }
    };
    const onAbort = (): void => {
      finish(signal!.reason);
      zk.removeWatches(path, watcher, 'Data', { local: true }).catch(() => undefined);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    zk.getData(path, { watch: watcher }).then(
      () => undefined,
      (err: unknown) => finish(isZooKeeperError(err, 'NONODE') || isRetryable(err) ? undefined : err),
    );
  });
}

/**
 * Watches a node we hold: `onLost` is called once if it is deleted or its session ends, until the
 * returned function is called. The one-shot exists watch is re-armed after any other event.
 */
export function watchHold(zk: ZooKeeperClient, path: string, onLost: (reason: LostError) => void): () => void {
  let stopped = false;
  const lose = (message: string, cause?: unknown): void => {
    if (stopped) return;
    stopped = true;
    onLost(new LostError(message, path, { cause }));
  };
  const watcher: Watcher = (event) => {
    if (stopped) return;
    if (event.type === 'None') {
      const ended = sessionEndError(event, path);
      if (ended !== undefined) lose(`lost ${path}: ${ended.message}`, ended);
    } else if (event.type === 'NodeDeleted') {
      lose(`lost ${path}: the node was deleted`);
    } else {
      arm();
    }
  };
  const arm = (): void => {
    retrying(() => zk.exists(path, { watch: watcher })).then(
      (stat) => {
        if (stat === null) lose(`lost ${path}: the node was deleted`);
      },
      (err: unknown) => lose(`lost ${path}: ${err instanceof Error ? err.message : String(err)}`, err),
    );
  };
  arm();
  return () => {
    stopped = true;
  };
}
