// Waiting with an AbortSignal and a timeout, the two ways every blocking recipe call can be cut short.

import { RecipeTimeoutError } from './errors.js';

/** Options of every call that may wait. */
export interface WaitOptions {
  /** Aborting rejects the call with `signal.reason` (and undoes what it created). */
  readonly signal?: AbortSignal;
  /** Rejects with RecipeTimeoutError after this many ms; 0 means "do not wait at all". */
  readonly timeoutMs?: number;
}

/** Resolves after `ms`; rejects with `signal.reason` if aborted first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One signal for a call's `signal` and `timeoutMs` (the timeout aborts with RecipeTimeoutError).
 * `dispose()` stops the timer.
 */
export class Deadline {
  readonly signal: AbortSignal | undefined;
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly at: number | undefined;

  constructor(
    options: WaitOptions,
    private readonly what: string,
  ) {
    const { signal, timeoutMs } = options;
    this.at = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    // No timer for 0: the call still makes its one attempt, it just never waits.
    if (timeoutMs === undefined || timeoutMs <= 0) {
      this.signal = signal;
      return;
    }
    const controller = new AbortController();
    this.timer = setTimeout(() => controller.abort(new RecipeTimeoutError(`${what} timed out after ${timeoutMs} ms`)), timeoutMs);
    this.signal = signal === undefined ? controller.signal : AbortSignal.any([signal, controller.signal]);
  }

  /**
   * Call before a wait: throws the abort reason, or RecipeTimeoutError when the time is up (with
   * `timeoutMs: 0`, at the first wait: try once, never wait).
   */
  beforeWaiting(): void {
    this.signal?.throwIfAborted();
    if (this.at !== undefined && Date.now() >= this.at) throw new RecipeTimeoutError(`${this.what} timed out`);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

/**
 * A wake-up call that can come before anyone waits: `wake()` settles the current (or next)
 * `wait()`; `fail(err)` rejects it. Used to wait for a watch to fire.
 */
export class Wakeup {
  private woken = false;
  private error: unknown;
  private waiter: { resolve: () => void; reject: (e: unknown) => void } | undefined;

  readonly wake = (): void => {
    this.woken = true;
    this.settle();
  };

  fail(error: unknown): void {
    this.error ??= error;
    this.settle();
  }

  /** Waits for `wake()` (consuming it), `fail()`, or the signal. */
  wait(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        this.waiter = undefined;
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      this.settle();
    });
  }

  private settle(): void {
    const w = this.waiter;
    if (w === undefined) return;
    if (this.error !== undefined) {
      this.waiter = undefined;
      w.reject(this.error);
    } else if (this.woken) {
      this.waiter = undefined;
      this.woken = false;
      w.resolve();
    }
  }
}

/** `promise`, unless the signal aborts first (the promise goes on; the caller cleans up after it). */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
