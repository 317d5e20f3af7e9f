// Numeric vocabulary of the ZooKeeper 3.8 client protocol (ZooDefs.java, KeeperException.java,
// Watcher.java, CreateMode.java). Values are wire values; never renumber.

export const OpCode = {
  notification: 0,
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getACL: 6,
  setACL: 7,
  getChildren: 8,
  sync: 9,
  ping: 11,
  getChildren2: 12,
  check: 13,
  multi: 14,
  create2: 15,
  reconfig: 16,
  checkWatches: 17,
  removeWatches: 18,
  createContainer: 19,
  deleteContainer: 20,
  createTTL: 21,
  multiRead: 22,
  auth: 100,
  setWatches: 101,
  sasl: 102,
  getEphemerals: 103,
  getAllChildrenNumber: 104,
  setWatches2: 105,
  addWatch: 106,
  whoAmI: 107,
  createSession: -10,
  closeSession: -11,
  error: -1,
} as const;
export type OpCode = (typeof OpCode)[keyof typeof OpCode];

export const ErrorCode = {
  OK: 0,
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  UNKNOWNSESSION: -12,
  NEWCONFIGNOQUORUM: -13,
  RECONFIGINPROGRESS: -14,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  SESSIONMOVED: -118,
  NOTREADONLY: -119,
  EPHEMERALONLOCALSESSION: -120,
  NOWATCHER: -121,
  REQUESTTIMEOUT: -122,
  RECONFIGDISABLED: -123,
  SESSIONCLOSEDREQUIRESASLAUTH: -124,
  QUOTAEXCEEDED: -125,
  THROTTLEDOP: -127,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** KeeperException messages, as Java clients print them ("KeeperErrorCode = NoNode"). */
export const ERROR_MESSAGES: Readonly<Record<number, string>> = {
  0: 'ok',
  [-1]: 'SystemError',
  [-2]: 'RuntimeInconsistency',
  [-3]: 'DataInconsistency',
  [-4]: 'ConnectionLoss',
  [-5]: 'MarshallingError',
  [-6]: 'Unimplemented',
  [-7]: 'OperationTimeout',
  [-8]: 'BadArguments',
  // KeeperException.getCodeMessage has no case for UNKNOWNSESSION / REQUESTTIMEOUT, so Java prints
  // "Unknown error " + the enum name.
  [-12]: 'Unknown error UNKNOWNSESSION',
  [-13]: 'NewConfigNoQuorum',
  [-14]: 'ReconfigInProgress',
  [-100]: 'APIError',
  [-101]: 'NoNode',
  [-102]: 'NoAuth',
  [-103]: 'BadVersion',
  [-108]: 'NoChildrenForEphemerals',
  [-110]: 'NodeExists',
  [-111]: 'Directory not empty',
  [-112]: 'Session expired',
  [-113]: 'Invalid callback',
  [-114]: 'InvalidACL',
  [-115]: 'AuthFailed',
  [-118]: 'Session moved',
  [-119]: 'Not a read-only call',
  [-120]: 'Ephemeral node on local session',
  [-121]: 'No such watcher',
  [-122]: 'Unknown error REQUESTTIMEOUT',
  [-123]: 'Reconfig is disabled',
  [-124]: 'Session closed because client failed to authenticate',
  [-125]: 'Quota has exceeded',
  [-127]: 'Op throttled due to high load',
};

export const EventType = {
  None: -1,
  NodeCreated: 1,
  NodeDeleted: 2,
  NodeDataChanged: 3,
  NodeChildrenChanged: 4,
  DataWatchRemoved: 5,
  ChildWatchRemoved: 6,
  PersistentWatchRemoved: 7,
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];

export const KeeperState = {
  Unknown: -1,
  Disconnected: 0,
  SyncConnected: 3,
  AuthFailed: 4,
  ConnectedReadOnly: 5,
  SaslAuthenticated: 6,
  Expired: -112,
  Closed: 7,
} as const;
export type KeeperState = (typeof KeeperState)[keyof typeof KeeperState];

/**
 * WatcherType used by checkWatches / removeWatches. ZooKeeper 3.8 (Watcher.WatcherType) knows only
 * Children, Data and Any; Persistent / PersistentRecursive are 3.9+ (ZOOKEEPER-4472).
 */
export const WatcherType = {
  Children: 1,
  Data: 2,
  Any: 3,
  Persistent: 4,
  PersistentRecursive: 5,
} as const;
export type WatcherType = (typeof WatcherType)[keyof typeof WatcherType];

/** AddWatchRequest.mode. */
export const AddWatchMode = {
  PERSISTENT: 0,
  PERSISTENT_RECURSIVE: 1,
} as const;
export type AddWatchMode = (typeof AddWatchMode)[keyof typeof AddWatchMode];

/** CreateRequest.flags (CreateMode.toFlag()). */
export const CreateMode = {
  PERSISTENT: 0,
  EPHEMERAL: 1,
  PERSISTENT_SEQUENTIAL: 2,
  EPHEMERAL_SEQUENTIAL: 3,
  CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5,
  PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export type CreateMode = (typeof CreateMode)[keyof typeof CreateMode];

export const Perms = {
  READ: 1,
  WRITE: 2,
  CREATE: 4,
  DELETE: 8,
  ADMIN: 16,
  ALL: 31,
} as const;

/** Special xids in RequestHeader / ReplyHeader. */
export const Xid = {
  NOTIFICATION: -1,
  PING: -2,
  AUTH: -4,
  SET_WATCHES: -8,
} as const;

export const PROTOCOL_VERSION = 0;
export const PASSWORD_LENGTH = 16;
/** Default jute.maxbuffer (0xfffff). */
export const DEFAULT_JUTE_MAXBUFFER = 0xfffff;

/** ephemeralOwner value that marks a container node (Long.MIN_VALUE). */
export const CONTAINER_EPHEMERAL_OWNER = -0x8000000000000000n;
