/**
 * @zk/client: a ZooKeeper 3.8 client for TypeScript. Promise API with typed results and typed
 * errors, watches delivered in server order, persistent watches as async iterators, reconnection
 * with the same session (watches re-armed), read-only mode, request timeouts, AbortSignal and a
 * bounded request queue. TCP by default; any @zk/transport works.
 * @packageDocumentation
 */

export { createClient, connect } from './client.js';
export type { ZooKeeperClient, WatchList, AddWatchOptions, RemoveWatchesOptions } from './client.js';
export type { ClientOptions } from './options.js';
export type { ClientClock } from './clock.js';
export type { WatcherErrorHandler } from './event-queue.js';
export type { Transaction, TransactionCreateOptions } from './transaction.js';
export type { PersistentWatch, PersistentWatchOptions } from './persistent-watch.js';
export type { Op, OpResult, ReadOp, ReadOpResult } from './multi.js';
export type {
  ACL,
  ACLResult,
  AddWatchModeName,
  CallOptions,
  ChildrenResult,
  ClientInfo,
  ClientState,
  CreateModeName,
  CreateOptions,
  CreateResult,
  Data,
  DataResult,
  EventTypeName,
  Id,
  KeeperStateName,
  Stat,
  VersionOptions,
  WatchOptions,
  WatchedEvent,
  Watcher,
  WatcherTypeName,
} from './types.js';

export { Ids, OPEN_ACL_UNSAFE, CREATOR_ALL_ACL, READ_ACL_UNSAFE, ANYONE_ID_UNSAFE, AUTH_IDS, Perms } from './acl.js';
export { createModeFlag, createModeName, MAX_TTL_MS } from './create-mode.js';
export { parseConnectString, DEFAULT_PORT, type ConnectString } from './connect-string.js';
export { validatePath, pathProblem } from './paths.js';
export { SET_WATCHES_MAX_LENGTH } from './session.js';

export {
  ZooKeeperError,
  isZooKeeperError,
  zooKeeperError,
  InvalidPathError,
  SystemError,
  RuntimeInconsistencyError,
  DataInconsistencyError,
  ConnectionLossError,
  MarshallingError,
  UnimplementedError,
  OperationTimeoutError,
  BadArgumentsError,
  UnknownSessionError,
  NewConfigNoQuorumError,
  ReconfigInProgressError,
  ApiError,
  NoNodeError,
  NoAuthError,
  BadVersionError,
  NoChildrenForEphemeralsError,
  NodeExistsError,
  NotEmptyError,
  SessionExpiredError,
  InvalidCallbackError,
  InvalidACLError,
  AuthFailedError,
  SessionMovedError,
  NotReadOnlyError,
  EphemeralOnLocalSessionError,
  NoWatcherError,
  RequestTimeoutError,
  ReconfigDisabledError,
  SessionClosedRequireAuthError,
  QuotaExceededError,
  ThrottledError,
  type ErrorCodeName,
  type ErrorContext,
} from './errors.js';
