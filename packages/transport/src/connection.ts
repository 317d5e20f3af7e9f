import type { Address } from './address.js';

/** Receives bytes in the order the peer wrote them. */
export type DataHandler = (chunk: Uint8Array) => void;

/**
 * Receives the close event. `err` is `undefined` for a graceful close (both
 * sides ended) and for `destroy()` without an argument; otherwise it is the
 * error passed to `destroy(err)` or the cause reported by the transport (for
 * example a {@link ConnectionResetError}).
 */
export type CloseHandler = (err?: Error) => void;

/** Told that {@link Connection.needsDrain} went from `true` back to `false`. */
export type DrainHandler = () => void;

/** Told that the peer ended its side of the stream (after its last byte was delivered). */
export type EndHandler = () => void;

/**
 * A bidirectional, ordered, reliable BYTE STREAM between two endpoints.
 *
 * There is no message framing: the chunks handed to {@link onData} may split or
 * merge the chunks passed to {@link write} in any way. Only the concatenation of
 * the bytes is guaranteed. Framing belongs to the protocol layer above.
 *
 * ## Contract (checked by `@zk/transport/compliance`)
 *
 * **Handlers.** `onData`, `onEnd`, `onClose` and `onDrain` each hold one handler;
 * calling one again replaces the previous handler (a server can swap its
 * 4-letter-word sniffer for the framed-protocol reader). Handlers are never
 * called synchronously from inside a call the user makes on this connection
 * (`write`, `end`, `destroy`, `pause`, `resume`, `on*`), and they must not throw.
 *
 * **Reading.** The connection reads only while an `onData` handler is installed
 * and the connection is not paused. Bytes that arrive earlier are held (not
 * lost), and so is the end of the stream: a connection whose `onData` handler
 * was never installed, or that stays paused, never observes the peer's `end()`.
 * Bytes are delivered exactly once, in order, and never after the close event;
 * chunks are never empty. The chunk passed to `onData` belongs to the
 * receiver; the transport does not reuse or modify it afterwards.
 *
 * **Writing.** `write` queues and returns at once. All writes made during one
 * turn of the event loop are flushed together when the turn ends (one
 * `writev` syscall for TCP), so a server may write many replies per turn
 * without extra syscalls and without calling anything to flush. The caller
 * hands the chunk over: it must not modify it after `write`. Writes after
 * `end()`, after `destroy()` or after the connection closed are silently
 * dropped; they never throw, because the close event already told the user.
 *
 * **Back-pressure.** `writableLength` counts bytes written but not yet taken by
 * the transport (for TCP: not yet accepted by the kernel; for the in-memory
 * transport: not yet delivered to the peer's `onData`). `needsDrain` is true
 * while `writableLength` is at or above the transport's high-water mark; once
 * it becomes false again the `onDrain` handler is called (once per episode).
 * Writing while `needsDrain` is true still works; it only grows the queue.
 * Read back-pressure is `pause()` / `resume()`: while paused no `onData` calls
 * happen; the transport stops reading, so the writer eventually sees
 * `needsDrain`. Nothing is lost across `pause()` / `resume()`.
 *
 * **Closing.** `end()` is graceful: queued writes are flushed, then the write
 * side is shut (TCP FIN). Reading continues until the peer's end of stream
 * arrives. When one side receives the peer's end of stream (after the peer's
 * last byte), it ends its own side automatically, after flushing its queued
 * writes, so connections are not left half-open by default. A side that
 * installed an `onEnd` handler is told instead and stays half-open: it may
 * still write, and calls `end()` (or `destroy()`) when it is done, e.g. to
 * answer a request whose sender already shut its side (`echo stat | nc`).
 * Once both sides have ended, each side's close event fires with no error. `destroy(err?)` is immediate: queued writes and unread bytes
 * are discarded, `closed` becomes true at once, and the close event carries
 * `err`. The peer of a destroyed connection sees its stream end (as it would
 * for a TCP close) or a {@link ConnectionResetError}.
 *
 * **Close event.** Fires exactly once per connection, asynchronously. If no
 * `onClose` handler is installed at that moment, the event is kept and
 * delivered to the handler installed later. After it, `closed` is true and no
 * handler of this connection is called again.
 */
export interface Connection {
  /** This side's address (for TCP: the local IP and port of the socket). */
  readonly localAddress: Address;
  /** The peer's address. */
  readonly remoteAddress: Address;
  /**
   * True once the connection is closed or being closed: after `destroy()`, or
   * when the transport has decided to emit the close event. No data is
   * delivered once it is true.
   */
  readonly closed: boolean;
  /** Bytes written but not yet taken by the transport (see the back-pressure notes). */
  readonly writableLength: number;
  /** True while `writableLength` is at or above the high-water mark. */
  readonly needsDrain: boolean;
  /** True between `pause()` and `resume()`. */
  readonly paused: boolean;

  /** Queues bytes for sending; see the writing notes. Never throws. */
  write(chunk: Uint8Array): void;
  /** Flushes queued writes, then shuts the write side; see the closing notes. Idempotent. */
  end(): void;
  /** Closes at once, discarding queued and unread bytes; the close event carries `err`. Idempotent. */
  destroy(err?: Error): void;
  /** Stops delivering data (and stops reading from the network). Idempotent. */
  pause(): void;
  /** Resumes delivery; held bytes are delivered first, in order. Idempotent. */
  resume(): void;

  /** Installs (or replaces) the data handler and starts reading unless paused. */
  onData(handler: DataHandler): void;
  /**
   * Installs (or replaces) the end-of-stream handler, called at most once.
   * Installing one turns off the automatic `end()` on the peer's end of stream.
   */
  onEnd(handler: EndHandler): void;
  /** Installs (or replaces) the close handler. */
  onClose(handler: CloseHandler): void;
  /** Installs (or replaces) the drain handler. */
  onDrain(handler: DrainHandler): void;
}
