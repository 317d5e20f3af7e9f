// Persistent watches as async iterators:
//   const watch = await client.watch('/config', { mode: 'PERSISTENT_RECURSIVE' });
//   for await (const event of watch) { ... }   // `break` removes the watch

import { AuthFailedError, SessionExpiredError } from './errors.js';
import type { AddWatchModeName, WatchedEvent, Watcher } from './types.js';

export interface PersistentWatchOptions {
  /** Default 'PERSISTENT' (this node's data and children); 'PERSISTENT_RECURSIVE' covers the subtree. */
  readonly mode?: AddWatchModeName;
  /** Aborting ends the iteration and removes the watch. */
  readonly signal?: AbortSignal;
  /** Also yield session events (type 'None': Disconnected, SyncConnected...). Default false. */
  readonly sessionEvents?: boolean;
}

/**
 * The events of one persistent watch, in server order. Iteration ends when the watch is closed
 * (by `break`, `close()` or the signal), ends when the client is closed, and throws
 * SessionExpiredError / AuthFailedError when the session ends that way. Events are buffered until
 * read.
 */
export interface PersistentWatch extends AsyncIterableIterator<WatchedEvent> {
  readonly path: string;
  readonly mode: AddWatchModeName;
  /** Removes the watch and ends the iteration. */
  close(): Promise<void>;
}

/** What the iterator needs from the client. */
interface WatchHost {
  addWatch(path: string, watcher: Watcher, options?: { mode?: AddWatchModeName }): Promise<void>;
  removeWatches(path: string, watcher: Watcher, type?: 'Any', options?: { local?: boolean }): Promise<void>;
}

export async function openPersistentWatch(host: WatchHost, path: string, options: PersistentWatchOptions = {}): Promise<PersistentWatch> {
  const mode = options.mode ?? 'PERSISTENT';
  const buffered: WatchedEvent[] = [];
  let waiting: { resolve: (r: IteratorResult<WatchedEvent>) => void; reject: (e: unknown) => void } | undefined;
  let done = false;
  let failure: unknown;

  const finish = (error?: unknown): void => {
    if (done) return;
    done = true;
    failure = error;
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      if (error === undefined) w.resolve({ value: undefined, done: true });
      else w.reject(error);
    }
  };

  const watcher: Watcher = (event) => {
    if (done) return;
    if (event.type === 'None') {
      if (event.state === 'Expired') return finish(new SessionExpiredError({ path, op: 'watch' }));
      if (event.state === 'AuthFailed') return finish(new AuthFailedError({ path, op: 'watch' }));
      if (event.state === 'Closed') return finish();
      if (!options.sessionEvents) return;
    }
    if (event.type === 'PersistentWatchRemoved') return finish();
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      w.resolve({ value: event, done: false });
    } else {
      buffered.push(event);
    }
  };

  await host.addWatch(path, watcher, { mode });

  const close = async (): Promise<void> => {
    if (done) return;
    finish();
    options.signal?.removeEventListener('abort', onAbort);
    try {
      await host.removeWatches(path, watcher, 'Any', { local: true });
    } catch {
      // Already gone with the session, or removed by removeAllWatches.
    }
  };
  const onAbort = (): void => void close();
  if (options.signal !== undefined) {
    if (options.signal.aborted) void close();
    else options.signal.addEventListener('abort', onAbort, { once: true });
  }

  const iterator: PersistentWatch = {
    path,
    mode,
    close,
    next(): Promise<IteratorResult<WatchedEvent>> {
      const event = buffered.shift();
      if (event !== undefined) return Promise.resolve({ value: event, done: false });
      if (done) {
        if (failure !== undefined) {
          const f = failure;
          failure = undefined;
          return Promise.reject(f);
        }
        return Promise.resolve({ value: undefined, done: true });
      }
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    async return(): Promise<IteratorResult<WatchedEvent>> {
      await close();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
