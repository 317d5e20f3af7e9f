// Client options and their defaults.

import { DEFAULT_JUTE_MAXBUFFER } from '@zk/protocol';
import type { Transport } from '@zk/transport';
import type { ClientClock } from './clock.js';
import type { WatcherErrorHandler } from './event-queue.js';
import type { Watcher } from './types.js';

export interface ClientOptions {
  /** Requested session timeout; the server clamps it to [2, 20] x tickTime. Default 30000. */
  readonly sessionTimeoutMs?: number;
  /** How to reach servers. Default: TCP (`@zk/transport-tcp`). */
  readonly transport?: Transport;
  /** The default watcher: receives every session event, and watches set with `watch: true`. */
  readonly watcher?: Watcher;
  /** Accept a read-only server (one cut off from its quorum) when no read-write one is reachable. */
  readonly canBeReadOnly?: boolean;
  /** Reattach to an existing session (with `sessionPassword`). */
  readonly sessionId?: bigint;
  readonly sessionPassword?: Uint8Array;
  /**
   * Fail a request with RequestTimeoutError when no reply came within this many ms, and treat the
   * server as gone (reconnect), as ZooKeeper's `zookeeper.request.timeout`. 0 (default) = never.
   */
  readonly requestTimeoutMs?: number;
  /** Before reconnecting, wait a random delay below this (ZooKeeper: up to 1 s). Default 1000. */
  readonly reconnectDelayMs?: number;
  /** Extra wait after every host failed in turn (ZooKeeper's StaticHostProvider: 1 s). Default 1000. */
  readonly hostCycleDelayMs?: number;
  /** How long `close()` waits for the server to acknowledge closeSession. Default 2000. */
  readonly closeTimeoutMs?: number;
  /**
   * Requests submitted and not yet answered, at most. Beyond it a call waits for room
   * (`queueFull: 'wait'`, the default) or fails at once with ThrottledError (`'reject'`). Default 10000.
   */
  readonly maxQueuedRequests?: number;
  readonly queueFull?: 'wait' | 'reject';
  /** jute.maxbuffer: largest frame sent or accepted. Default 0xfffff, as ZooKeeper. */
  readonly maxBufferBytes?: number;
  /** Re-arm watches after reconnecting (setWatches). Default true (ZooKeeper's disableAutoWatchReset=false). */
  readonly autoWatchReset?: boolean;
  /** Called when a watcher throws. Default: console.error. */
  readonly onWatcherError?: WatcherErrorHandler;
  /** Time source for pings, timeouts and delays. Default: the real clock. */
  readonly clock?: ClientClock;
  /** Uniform [0, 1): host shuffling and reconnect jitter. Default Math.random. */
  readonly random?: () => number;
}

export const DEFAULTS = {
  sessionTimeoutMs: 30_000,
  reconnectDelayMs: 1000,
  hostCycleDelayMs: 1000,
  closeTimeoutMs: 2000,
  maxQueuedRequests: 10_000,
  maxBufferBytes: DEFAULT_JUTE_MAXBUFFER,
} as const;
