// One request from submission to reply. The object itself is the pending entry: it sits in the
// send queue, then in the in-flight FIFO, and carries its promise's settle functions, so a call
// costs this object and its promise and nothing else (no per-request closures on the hot path).

import type { WatchKind } from './watch-manager.js';
import type { Watcher, WatcherTypeName } from './types.js';

/** A watch to record when the reply arrives (ZooKeeper's WatchRegistration). */
export interface WatchRegistration {
  /** 'exists' registers a data watch on success and an exist watch on NONODE. */
  readonly kind: WatchKind | 'exists';
  readonly path: string;
  readonly watcher: Watcher;
}

/** A local watch removal to perform when the reply arrives (ZooKeeper's WatchDeregistration). */
export interface WatchDeregistration {
  readonly path: string;
  readonly watcher: Watcher | undefined;
  readonly type: WatcherTypeName;
  readonly local: boolean;
}

export class Request {
  xid = 0;
  /** The promise was settled (answered, failed, timed out or aborted); a late reply is ignored. */
  settled = false;
  /** Counted against maxQueuedRequests until settled. */
  counted = false;
  timer: unknown = undefined;
  signal: AbortSignal | undefined = undefined;
  abortListener: (() => void) | undefined = undefined;
  watch: WatchRegistration | undefined = undefined;
  unwatch: WatchDeregistration | undefined = undefined;
  resolve: (value: unknown) => void = noop;
  reject: (error: unknown) => void = noop;

  constructor(
    /** OpCode sent in the RequestHeader. */
    readonly opCode: number,
    /** The request record (server paths already chrooted), null for bodiless requests. */
    readonly body: unknown,
    /** API method name, reported in errors. */
    readonly op: string,
    /** Client path, reported in errors; for a multi, the client paths of its ops. */
    readonly path: string | undefined,
    /** Extra per-op data some decoders need (multi: the client paths of the ops). */
    readonly extra?: readonly string[],
  ) {}
}

function noop(): void {}
