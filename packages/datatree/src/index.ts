/**
 * @zk/datatree — the znode tree and ZooKeeper 3.8's semantic rules as deterministic code:
 * DataTree (apply txns, reads, snapshots, digest), TxnPreparer (requests -> txns against the tree
 * plus outstanding changes), ACL checks and authentication.
 */
export { DataTree, emptyStat } from './tree.js';
export type { ApplyResult, ChangeRecord, DataTreeOptions, NodeView, WatchTrigger } from './types.js';
export { TxnPreparer } from './prep.js';
export type { PrepContext, PrepOptions, PrepRequest } from './prep.js';
export { DEFAULT_SNAPSHOT_CHUNK_SIZE, deserializeSnapshot, loadSnapshot, serializeSnapshot, snapshotWriter } from './snapshot.js';
export type { LoadedSnapshot, SnapshotWriter, SnapshotWriterOptions } from './snapshot.js';
export { SNAPSHOT_VERSION, SnapshotFormatError, SnapshotParser, readSnapshotRecords } from './snapshot-reader.js';
export type {
  SnapshotNodeSink,
  SnapshotAclRecord,
  SnapshotEndRecord,
  SnapshotHeaderRecord,
  SnapshotNodeRecord,
  SnapshotRecord,
  SnapshotSessionRecord,
} from './snapshot-reader.js';
export {
  AclCache,
  ANYONE_ID,
  AUTH_IDS,
  CREATOR_ALL_ACL,
  OPEN_ACL_UNSAFE,
  READ_ACL_UNSAFE,
  aclListEquals,
  checkAcl,
  fixupAcl,
  redactDigests,
} from './acl.js';
export {
  AuthRegistry,
  authenticate,
  defaultAuthRegistry,
  digestProvider,
  generateDigest,
  ipIsValid,
  ipMatches,
  ipProvider,
} from './auth.js';
export type { AuthOptions, AuthProvider } from './auth.js';
export {
  CONTAINER_OWNER,
  EphemeralType,
  MAX_EXTENDED_SERVER_ID,
  TTL_MAX,
  ephemeralTypeOf,
  isValidTtl,
  ttlOfOwner,
  ttlToEphemeralOwner,
} from './ephemeral.js';
export type { EphemeralTypeOptions } from './ephemeral.js';
export {
  CONFIG_PATH,
  PROC_PATH,
  QUOTA_PATH,
  ROOT_PATH,
  childNameOf,
  isSpecialPath,
  isValidPath,
  isValidSequentialPrefix,
  parentForEvents,
  parentOf,
  pathError,
  topNamespace,
} from './path.js';
export { LIMIT_NODE, STAT_NODE, QuotaTrie, StatsTrack, quotaLimitPath, quotaStatPath } from './quota.js';
export { AdHash, DIGEST_VERSION, nodeDigest } from './digest.js';
export { JavaHashSet, formatSequence, javaStringHash } from './java.js';
