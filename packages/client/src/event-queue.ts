// The client's one event queue (ZooKeeper's EventThread). Watch events are handed to it in the
// order the server sent them, interleaved with the replies: a reply settles its promise at once
// (queueing the awaiting code as a microtask) and an event is queued as the next microtask, so
// awaiting code and watchers observe exactly the server's order.

import type { WatchedEvent, Watcher } from './types.js';

export type WatcherErrorHandler = (error: unknown, event: WatchedEvent) => void;

const defaultErrorHandler: WatcherErrorHandler = (error) => {
  // A throwing watcher must not stop the queue; report it the way Node reports stray errors.
  console.error('zk client: a watcher threw', error);
};

export class EventQueue {
  constructor(private readonly onError: WatcherErrorHandler = defaultErrorHandler) {}

  /** Delivers `event` to each watcher, after everything queued before it. */
  deliver(event: WatchedEvent, watchers: Iterable<Watcher>): void {
    const list = Array.isArray(watchers) ? (watchers as Watcher[]) : [...watchers];
    if (list.length === 0) return;
    queueMicrotask(() => {
      for (const w of list) {
        try {
          w(event);
        } catch (err) {
          this.onError(err, event);
        }
      }
    });
  }

  /** Runs `fn` in queue order (used for state listeners). */
  run(fn: () => void): void {
    queueMicrotask(fn);
  }
}
