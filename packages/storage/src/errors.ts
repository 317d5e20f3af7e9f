import { formatZxid, type Zxid } from '@zk/zxid';

/**
 * Every error this package and its backends raise on purpose carries this brand,
 * so callers can recognise them across duplicated installs where `instanceof` fails.
 */
export const storageErrorSymbol: unique symbol = Symbol.for('@zk/storage/error') as never;

export type StorageErrorCode =
  | 'CORRUPT_LOG'
  | 'CORRUPT_SNAPSHOT'
  | 'MISSING_SNAPSHOT'
  | 'STORAGE_FULL'
  | 'STORAGE_FAILED'
  | 'STORAGE_CLOSED'
  | 'ZXID_ORDER';

/** Base class of the typed storage errors. Check with {@link isStorageError}, not `instanceof`. */
export abstract class StorageError extends Error {
  abstract readonly code: StorageErrorCode;
  readonly [storageErrorSymbol] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True when `err` is a storage error (optionally of the given code), even from another copy of this package. */
export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  if (typeof err !== 'object' || err === null || (err as Record<symbol, unknown>)[storageErrorSymbol] !== true) {
    return false;
  }
  return code === undefined || (err as StorageError).code === code;
}

/**
 * A log record that fails its checks while valid records follow it (or sits in a segment that
 * is not the last one). Unlike a torn tail this cannot come from a crash, so the server must stop.
 */
export class CorruptLogError extends StorageError {
  override readonly name = 'CorruptLogError';
  readonly code = 'CORRUPT_LOG' as const;

  constructor(
    /** Path of the log segment (or the memory backend's segment name). */
    readonly file: string,
    /** Byte offset of the first bad record inside `file`. */
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`corrupt transaction log ${file} at offset ${offset}: ${reason}`);
  }
}

/** A snapshot whose framing or checksum is wrong. */
export class CorruptSnapshotError extends StorageError {
  override readonly name = 'CorruptSnapshotError';
  readonly code = 'CORRUPT_SNAPSHOT' as const;

  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`corrupt snapshot ${file}: ${reason}`);
  }
}

/**
 * Recovery needs a snapshot at or after `requiredZxid` (the log only holds records after it)
 * and no valid one exists.
 */
export class MissingSnapshotError extends StorageError {
  override readonly name = 'MissingSnapshotError';
  readonly code = 'MISSING_SNAPSHOT' as const;

  constructor(
    /** Where snapshots were looked for (directory or backend name). */
    readonly location: string,
    readonly requiredZxid: Zxid,
    /** Newest valid snapshot found, if any (it is older than `requiredZxid`). */
    readonly newestValidZxid: Zxid | undefined,
    /** The log segment that starts after the gap, for the message. */
    readonly firstLogFile: string | undefined,
  ) {
    super(
      `no valid snapshot at or after ${formatZxid(requiredZxid)} in ${location}` +
        (newestValidZxid === undefined ? ' (none is valid)' : ` (newest valid is ${formatZxid(newestValidZxid)})`) +
        (firstLogFile === undefined ? '' : `; the log in ${firstLogFile} only holds records after ${formatZxid(requiredZxid)}`),
    );
  }
}

/** The device is out of space (ENOSPC, EDQUOT). Put the log into the failed state. */
export class StorageFullError extends StorageError {
  override readonly name = 'StorageFullError';
  readonly code = 'STORAGE_FULL' as const;

  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    super(`storage full during ${operation}${describeCause(cause)}`, { cause });
  }
}

/** Any other I/O failure (EIO, a failed fsync...). Put the log into the failed state. */
export class StorageFailedError extends StorageError {
  override readonly name = 'StorageFailedError';
  readonly code = 'STORAGE_FAILED' as const;

  constructor(
    readonly operation: string,
    cause?: unknown,
  ) {
    super(`storage failed during ${operation}${describeCause(cause)}`, { cause });
  }
}

/** The storage (or the instance, after a simulated crash) was closed. */
export class StorageClosedError extends StorageError {
  override readonly name = 'StorageClosedError';
  readonly code = 'STORAGE_CLOSED' as const;

  constructor(operation: string) {
    super(`storage is closed (${operation})`);
  }
}

/** `append` was called with a zxid not greater than the last one. */
export class ZxidOrderError extends StorageError {
  override readonly name = 'ZxidOrderError';
  readonly code = 'ZXID_ORDER' as const;

  constructor(
    readonly zxid: Zxid,
    readonly lastZxid: Zxid,
  ) {
    super(`zxid ${formatZxid(zxid)} is not greater than the last logged zxid ${formatZxid(lastZxid)}`);
  }
}

/** Maps an I/O error to StorageFullError (ENOSPC, EDQUOT) or StorageFailedError; storage errors pass through. */
export function toStorageError(operation: string, err: unknown): StorageError {
  if (isStorageError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new StorageFullError(operation, err);
  return new StorageFailedError(operation, err);
}

function describeCause(cause: unknown): string {
  if (cause === undefined) return '';
  if (cause instanceof Error) return `: ${cause.message}`;
  return `: ${String(cause)}`;
}
