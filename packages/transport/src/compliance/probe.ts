import type { Connection } from '../connection.js';
import { concat } from './bytes.js';

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
}

/**
 * Installs handlers on a connection and records what the transport does,
 * noting contract violations (data after close, data while paused, a second
 * close event, a callback from inside a user call) instead of throwing inside
 * transport callbacks.
 */
export class Probe {
  readonly chunks: Uint8Array[] = [];
  readonly violations: string[] = [];
  bytes = 0;
  closeCount = 0;
  closeError: Error | undefined;
  drainCount = 0;
  /** Set by tests around their own calls into the connection. */
  inUserCall = false;
  readonly closed: Promise<Error | undefined>;

  readonly #connection: Connection;
  #waiters: Waiter[] = [];
  #resolveClosed!: (err: Error | undefined) => void;
  #dataHandler: ((chunk: Uint8Array) => void) | undefined;

  constructor(connection: Connection, options: { readonly data?: boolean } = {}) {
    this.#connection = connection;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    connection.onClose((err) => this.#onClose(err));
    connection.onDrain(() => {
      this.#check('onDrain');
      this.drainCount++;
    });
    if (options.data !== false) this.installData();
  }

  /** Installs the recording data handler (done by the constructor unless `data: false`). */
  installData(): void {
    this.#connection.onData((chunk) => this.#onData(chunk));
  }

  /** Runs `fn` for every chunk, after recording it. */
  onEachChunk(fn: (chunk: Uint8Array) => void): void {
    this.#dataHandler = fn;
  }

  /** Resolves once at least `bytes` bytes have been received in total. */
  waitForBytes(bytes: number): Promise<void> {
    if (this.bytes >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ bytes, resolve }));
  }

  /** Everything received so far, concatenated. */
  received(): Uint8Array {
    return concat(this.chunks);
  }

  /** Calls `fn` with `inUserCall` set, so callbacks fired synchronously from it are flagged. */
  call<T>(fn: () => T): T {
    this.inUserCall = true;
    try {
      return fn();
    } finally {
      this.inUserCall = false;
    }
  }

  #check(what: string): void {
    if (this.inUserCall) this.violations.push(`${what} called synchronously from inside a user call`);
  }

  #onData(chunk: Uint8Array): void {
    this.#check('onData');
    if (!(chunk instanceof Uint8Array)) this.violations.push('onData received a non-Uint8Array chunk');
    if (this.closeCount > 0) this.violations.push('onData after the close event');
    if (this.#connection.paused) this.violations.push('onData while paused');
    if (chunk.byteLength === 0) this.violations.push('onData with an empty chunk');
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    if (this.#waiters.length > 0) {
      const ready = this.#waiters.filter((w) => w.bytes <= this.bytes);
      this.#waiters = this.#waiters.filter((w) => w.bytes > this.bytes);
      for (const w of ready) w.resolve();
    }
    this.#dataHandler?.(chunk);
  }

  #onClose(err: Error | undefined): void {
    this.#check('onClose');
    this.closeCount++;
    if (this.closeCount > 1) {
      this.violations.push('close event fired more than once');
      return;
    }
    if (!this.#connection.closed) this.violations.push('closed is false inside the close handler');
    this.closeError = err;
    this.#resolveClosed(err);
  }
}
