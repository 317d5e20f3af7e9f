/**
 * Errors raised by transports. Every class carries a stable `name` and `code`;
 * check those (or use {@link isTransportError}) rather than `instanceof`, which
 * fails when two copies of this package end up installed.
 */

/** The `code` values of the errors below. */
export type TransportErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ERR_CONNECTION_CLOSED'
  | 'ETIMEDOUT'
  | 'ABORT_ERR'
  | 'EADDRINUSE';

/** Base class of all transport errors. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Nothing accepts connections at the dialled address (TCP RST on SYN, or no listener). */
export class ConnectionRefusedError extends TransportError {
  static readonly code = 'ECONNREFUSED';
  override readonly name = 'ConnectionRefusedError';

  constructor(message = 'connection refused', options?: { cause?: unknown }) {
    super('ECONNREFUSED', message, options);
  }
}

/** The connection was torn down abruptly by the peer or the network; unsent and unread bytes are lost. */
export class ConnectionResetError extends TransportError {
  static readonly code = 'ECONNRESET';
  override readonly name = 'ConnectionResetError';

  constructor(message = 'connection reset', options?: { cause?: unknown }) {
    super('ECONNRESET', message, options);
  }
}

/**
 * An operation needed an open connection and it was closed. Transports do not
 * throw it from `write` (writes after close are dropped); layers above use it,
 * e.g. to fail requests still waiting for a reply when the connection closes.
 */
export class ConnectionClosedError extends TransportError {
  static readonly code = 'ERR_CONNECTION_CLOSED';
  override readonly name = 'ConnectionClosedError';

  constructor(message = 'connection closed', options?: { cause?: unknown }) {
    super('ERR_CONNECTION_CLOSED', message, options);
  }
}

/** `dial` did not complete within `timeoutMs`. */
export class DialTimeoutError extends TransportError {
  static readonly code = 'ETIMEDOUT';
  override readonly name = 'DialTimeoutError';

  constructor(message = 'dial timed out', options?: { cause?: unknown }) {
    super('ETIMEDOUT', message, options);
  }
}

/** `dial` was cancelled through its `AbortSignal` (same `name` as the DOM's AbortError). */
export class AbortError extends TransportError {
  static readonly code = 'ABORT_ERR';
  override readonly name = 'AbortError';

  constructor(message = 'the operation was aborted', options?: { cause?: unknown }) {
    super('ABORT_ERR', message, options);
  }
}

/** `listen` asked for an address that is already taken. */
export class AddressInUseError extends TransportError {
  static readonly code = 'EADDRINUSE';
  override readonly name = 'AddressInUseError';

  constructor(message = 'address already in use', options?: { cause?: unknown }) {
    super('EADDRINUSE', message, options);
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set<TransportErrorCode>([
  'ECONNREFUSED',
  'ECONNRESET',
  'ERR_CONNECTION_CLOSED',
  'ETIMEDOUT',
  'ABORT_ERR',
  'EADDRINUSE',
]);

/**
 * True when `err` is one of the errors above (by `code`, not `instanceof`),
 * optionally with a given code. Note that Node's own socket errors share some
 * codes; transports wrap those, so a raw Node error is not a transport error
 * unless it also has a transport error `name`.
 */
export function isTransportError(err: unknown, code?: TransportErrorCode): err is TransportError {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; name?: unknown };
  if (typeof e.code !== 'string' || !KNOWN_CODES.has(e.code)) return false;
  if (typeof e.name !== 'string' || !TRANSPORT_ERROR_NAMES.has(e.name)) return false;
  return code === undefined || e.code === code;
}

const TRANSPORT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'ConnectionRefusedError',
  'ConnectionResetError',
  'ConnectionClosedError',
  'DialTimeoutError',
  'AbortError',
  'AddressInUseError',
]);
