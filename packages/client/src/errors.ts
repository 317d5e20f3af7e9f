// Typed errors: one class per KeeperException code, all extending ZooKeeperError. Recognise them
// with isZooKeeperError (a Symbol.for brand) rather than instanceof, which fails when two copies of
// this package are installed.

import { ErrorCode, errorName, keeperErrorMessage } from '@zk/protocol';

const brand = Symbol.for('@zk/client/ZooKeeperError');

/** The KeeperException.Code names ("NONODE", "BADVERSION", ...). */
export type ErrorCodeName = keyof typeof ErrorCode;

/** What the client was doing when the error happened (the method name: 'getData', 'multi', ...). */
export type OperationName = string;

/** The per-op results a failed multi carries (see `multi`). */
export interface ErrorContext {
  readonly path?: string | undefined;
  readonly op?: OperationName | undefined;
  readonly message?: string | undefined;
  readonly cause?: unknown;
}

/**
 * Base class of every error a ZooKeeper server (or the client acting for it, for connection loss,
 * expiry and timeouts) reports. `code` is the KeeperException code (-101 for NoNode), `codeName`
 * its name ("NONODE"), `path` the client path the call was about, `op` the method that failed.
 */
export class ZooKeeperError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly path: string | undefined;
  readonly op: OperationName | undefined;
  /** For a failed `multi`: the result of every op (the failing one and the others). */
  results?: readonly unknown[];

  constructor(code: number, context: ErrorContext = {}) {
    super(context.message ?? keeperErrorMessage(code, context.path), context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.codeName = errorName(code);
    this.path = context.path;
    this.op = context.op;
    this.name = new.target.name;
    Object.defineProperty(this, brand, { value: true });
  }
}

/**
 * True when `value` is a ZooKeeperError from any copy of this package; with `code` (a number or a
 * name such as 'NONODE'), only for that code.
 */
export function isZooKeeperError(value: unknown, code?: number | ErrorCodeName): value is ZooKeeperError {
  if (typeof value !== 'object' || value === null || (value as { [brand]?: unknown })[brand] !== true) return false;
  if (code === undefined) return true;
  const want = typeof code === 'number' ? code : ErrorCode[code];
  return (value as ZooKeeperError).code === want;
}

// One class per code. The static `code` lets callers switch on classes without instances.
export class SystemError extends ZooKeeperError {
  static readonly code = ErrorCode.SYSTEMERROR;
  constructor(c?: ErrorContext) { super(ErrorCode.SYSTEMERROR, c); }
}
export class RuntimeInconsistencyError extends ZooKeeperError {
  static readonly code = ErrorCode.RUNTIMEINCONSISTENCY;
  constructor(c?: ErrorContext) { super(ErrorCode.RUNTIMEINCONSISTENCY, c); }
}
export class DataInconsistencyError extends ZooKeeperError {
  static readonly code = ErrorCode.DATAINCONSISTENCY;
  constructor(c?: ErrorContext) { super(ErrorCode.DATAINCONSISTENCY, c); }
}
/** The connection to the server broke while the request was outstanding: it may or may not have been applied. */
export class ConnectionLossError extends ZooKeeperError {
  static readonly code = ErrorCode.CONNECTIONLOSS;
  constructor(c?: ErrorContext) { super(ErrorCode.CONNECTIONLOSS, c); }
}
export class MarshallingError extends ZooKeeperError {
  static readonly code = ErrorCode.MARSHALLINGERROR;
  constructor(c?: ErrorContext) { super(ErrorCode.MARSHALLINGERROR, c); }
}
export class UnimplementedError extends ZooKeeperError {
  static readonly code = ErrorCode.UNIMPLEMENTED;
  constructor(c?: ErrorContext) { super(ErrorCode.UNIMPLEMENTED, c); }
}
export class OperationTimeoutError extends ZooKeeperError {
  static readonly code = ErrorCode.OPERATIONTIMEOUT;
  constructor(c?: ErrorContext) { super(ErrorCode.OPERATIONTIMEOUT, c); }
}
export class BadArgumentsError extends ZooKeeperError {
  static readonly code = ErrorCode.BADARGUMENTS;
  constructor(c?: ErrorContext) { super(ErrorCode.BADARGUMENTS, c); }
}
export class UnknownSessionError extends ZooKeeperError {
  static readonly code = ErrorCode.UNKNOWNSESSION;
  constructor(c?: ErrorContext) { super(ErrorCode.UNKNOWNSESSION, c); }
}
export class NewConfigNoQuorumError extends ZooKeeperError {
  static readonly code = ErrorCode.NEWCONFIGNOQUORUM;
  constructor(c?: ErrorContext) { super(ErrorCode.NEWCONFIGNOQUORUM, c); }
}
export class ReconfigInProgressError extends ZooKeeperError {
  static readonly code = ErrorCode.RECONFIGINPROGRESS;
  constructor(c?: ErrorContext) { super(ErrorCode.RECONFIGINPROGRESS, c); }
}
export class ApiError extends ZooKeeperError {
  static readonly code = ErrorCode.APIERROR;
  constructor(c?: ErrorContext) { super(ErrorCode.APIERROR, c); }
}
export class NoNodeError extends ZooKeeperError {
  static readonly code = ErrorCode.NONODE;
  constructor(c?: ErrorContext) { super(ErrorCode.NONODE, c); }
}
export class NoAuthError extends ZooKeeperError {
  static readonly code = ErrorCode.NOAUTH;
  constructor(c?: ErrorContext) { super(ErrorCode.NOAUTH, c); }
}
export class BadVersionError extends ZooKeeperError {
  static readonly code = ErrorCode.BADVERSION;
  constructor(c?: ErrorContext) { super(ErrorCode.BADVERSION, c); }
}
export class NoChildrenForEphemeralsError extends ZooKeeperError {
  static readonly code = ErrorCode.NOCHILDRENFOREPHEMERALS;
  constructor(c?: ErrorContext) { super(ErrorCode.NOCHILDRENFOREPHEMERALS, c); }
}
export class NodeExistsError extends ZooKeeperError {
  static readonly code = ErrorCode.NODEEXISTS;
  constructor(c?: ErrorContext) { super(ErrorCode.NODEEXISTS, c); }
}
export class NotEmptyError extends ZooKeeperError {
  static readonly code = ErrorCode.NOTEMPTY;
  constructor(c?: ErrorContext) { super(ErrorCode.NOTEMPTY, c); }
}
/** The session is gone (expired on the server, or this client was closed): make a new client. */
export class SessionExpiredError extends ZooKeeperError {
  static readonly code = ErrorCode.SESSIONEXPIRED;
  constructor(c?: ErrorContext) { super(ErrorCode.SESSIONEXPIRED, c); }
}
export class InvalidCallbackError extends ZooKeeperError {
  static readonly code = ErrorCode.INVALIDCALLBACK;
  constructor(c?: ErrorContext) { super(ErrorCode.INVALIDCALLBACK, c); }
}
export class InvalidACLError extends ZooKeeperError {
  static readonly code = ErrorCode.INVALIDACL;
  constructor(c?: ErrorContext) { super(ErrorCode.INVALIDACL, c); }
}
export class AuthFailedError extends ZooKeeperError {
  static readonly code = ErrorCode.AUTHFAILED;
  constructor(c?: ErrorContext) { super(ErrorCode.AUTHFAILED, c); }
}
export class SessionMovedError extends ZooKeeperError {
  static readonly code = ErrorCode.SESSIONMOVED;
  constructor(c?: ErrorContext) { super(ErrorCode.SESSIONMOVED, c); }
}
export class NotReadOnlyError extends ZooKeeperError {
  static readonly code = ErrorCode.NOTREADONLY;
  constructor(c?: ErrorContext) { super(ErrorCode.NOTREADONLY, c); }
}
export class EphemeralOnLocalSessionError extends ZooKeeperError {
  static readonly code = ErrorCode.EPHEMERALONLOCALSESSION;
  constructor(c?: ErrorContext) { super(ErrorCode.EPHEMERALONLOCALSESSION, c); }
}
export class NoWatcherError extends ZooKeeperError {
  static readonly code = ErrorCode.NOWATCHER;
  constructor(c?: ErrorContext) { super(ErrorCode.NOWATCHER, c); }
}
/** No reply within the request timeout (the client option `requestTimeoutMs` or a call's `timeoutMs`). */
export class RequestTimeoutError extends ZooKeeperError {
  static readonly code = ErrorCode.REQUESTTIMEOUT;
  constructor(c?: ErrorContext) { super(ErrorCode.REQUESTTIMEOUT, c); }
}
export class ReconfigDisabledError extends ZooKeeperError {
  static readonly code = ErrorCode.RECONFIGDISABLED;
  constructor(c?: ErrorContext) { super(ErrorCode.RECONFIGDISABLED, c); }
}
export class SessionClosedRequireAuthError extends ZooKeeperError {
  static readonly code = ErrorCode.SESSIONCLOSEDREQUIRESASLAUTH;
  constructor(c?: ErrorContext) { super(ErrorCode.SESSIONCLOSEDREQUIRESASLAUTH, c); }
}
export class QuotaExceededError extends ZooKeeperError {
  static readonly code = ErrorCode.QUOTAEXCEEDED;
  constructor(c?: ErrorContext) { super(ErrorCode.QUOTAEXCEEDED, c); }
}
/** The server shed the request under load, or the client's request queue is full (`queueFull: 'reject'`). */
export class ThrottledError extends ZooKeeperError {
  static readonly code = ErrorCode.THROTTLEDOP;
  constructor(c?: ErrorContext) { super(ErrorCode.THROTTLEDOP, c); }
}

type ErrorClass = new (c?: ErrorContext) => ZooKeeperError;

const CLASSES: ReadonlyMap<number, ErrorClass> = new Map<number, ErrorClass>([
  [SystemError.code, SystemError],
  [RuntimeInconsistencyError.code, RuntimeInconsistencyError],
  [DataInconsistencyError.code, DataInconsistencyError],
  [ConnectionLossError.code, ConnectionLossError],
  [MarshallingError.code, MarshallingError],
  [UnimplementedError.code, UnimplementedError],
  [OperationTimeoutError.code, OperationTimeoutError],
  [BadArgumentsError.code, BadArgumentsError],
  [UnknownSessionError.code, UnknownSessionError],
  [NewConfigNoQuorumError.code, NewConfigNoQuorumError],
  [ReconfigInProgressError.code, ReconfigInProgressError],
  [ApiError.code, ApiError],
  [NoNodeError.code, NoNodeError],
  [NoAuthError.code, NoAuthError],
  [BadVersionError.code, BadVersionError],
  [NoChildrenForEphemeralsError.code, NoChildrenForEphemeralsError],
  [NodeExistsError.code, NodeExistsError],
  [NotEmptyError.code, NotEmptyError],
  [SessionExpiredError.code, SessionExpiredError],
  [InvalidCallbackError.code, InvalidCallbackError],
  [InvalidACLError.code, InvalidACLError],
  [AuthFailedError.code, AuthFailedError],
  [SessionMovedError.code, SessionMovedError],
  [NotReadOnlyError.code, NotReadOnlyError],
  [EphemeralOnLocalSessionError.code, EphemeralOnLocalSessionError],
  [NoWatcherError.code, NoWatcherError],
  [RequestTimeoutError.code, RequestTimeoutError],
  [ReconfigDisabledError.code, ReconfigDisabledError],
  [SessionClosedRequireAuthError.code, SessionClosedRequireAuthError],
  [QuotaExceededError.code, QuotaExceededError],
  [ThrottledError.code, ThrottledError],
]);

/** The typed error for a KeeperException code (a plain ZooKeeperError for codes this client does not know). */
export function zooKeeperError(code: number, path?: string, op?: OperationName, message?: string): ZooKeeperError {
  const cls = CLASSES.get(code);
  const context: ErrorContext = { path, op, message };
  return cls === undefined ? new ZooKeeperError(code, context) : new cls(context);
}

/**
 * A path the client refuses before sending anything (ZooKeeper's PathUtils.validatePath rules).
 * Not a ZooKeeperError: the Java client throws IllegalArgumentException here.
 */
export class InvalidPathError extends TypeError {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'InvalidPathError';
    this.path = path;
  }
}
