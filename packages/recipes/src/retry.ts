// Retrying after ConnectionLoss. @zk/client never retries silently (a request in flight when the
// connection broke may or may not have been applied), so the recipes do it where it is safe:
// reads, and writes whose outcome they can tell afterwards.

import { isZooKeeperError, type ZooKeeperClient } from '@zk/client';
import { sleep } from './wait.js';

/** ConnectionLoss or OperationTimeout: the session may be fine, the request's fate is unknown. */
export function isRetryable(err: unknown): boolean {
  return isZooKeeperError(err, 'CONNECTIONLOSS') || isZooKeeperError(err, 'OPERATIONTIMEOUT');
}

/** The session is over (expired or closed): nothing on this client can succeed any more. */
export function isSessionGone(err: unknown): boolean {
  return isZooKeeperError(err, 'SESSIONEXPIRED') || isZooKeeperError(err, 'AUTHFAILED');
}

/**
 * Runs `op` until it does not fail with a retryable error. The client queues requests made while
 * disconnected, so a retry normally waits for the reconnection; the backoff (10 ms doubling to
 * 1 s) only matters once the client fails fast after a whole session timeout without a server.
 */
export async function retrying<T>(op: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let delay = 10; ; delay = Math.min(delay * 2, 1000)) {
    signal?.throwIfAborted();
    try {
      return await op();
    } catch (err) {
      if (!isRetryable(err)) throw err;
    }
    await sleep(delay, signal);
  }
}

/**
 * Deletes `path` until it is gone (Curator's guaranteed delete): NoNode and an ended session
 * (ephemerals go with it) count as done. Never rejects.
 */
export async function deleteQuietly(zk: ZooKeeperClient, path: string, version = -1): Promise<void> {
  try {
    await retrying(() => zk.delete(path, { version }));
  } catch {
    // NoNode: already gone. Session gone: so are its ephemerals. Anything else (NoAuth,
    // NotEmpty, BadVersion) means the node is not ours to remove.
  }
}
