// Core jute record shapes shared by the datatree, server and clients (zookeeper.jute).
// Convention: jute `long` is a signed bigint, except millisecond times (ctime, mtime, txn time,
// ttl), which are numbers; jute `buffer` is Uint8Array (`| null` where ZooKeeper really sends a
// -1 length, e.g. znode data created as null); `ustring` is string; a null vector decodes as [].

export interface Id {
  scheme: string;
  id: string;
}

export interface ACL {
  perms: number;
  id: Id;
}

export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

/** The persisted stat (snapshot form): Stat without dataLength / numChildren. */
export type StatPersisted = Omit<Stat, 'dataLength' | 'numChildren'>;

export interface TxnHeader {
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  time: number;
  /** OpCode of the txn body (create, delete, setData, ..., createSession, closeSession, error, multi). */
  type: number;
}

export interface CreateTxn { path: string; data: Uint8Array | null; acl: ACL[]; ephemeral: boolean; parentCVersion: number }
export interface CreateContainerTxn { path: string; data: Uint8Array | null; acl: ACL[]; parentCVersion: number }
export interface CreateTTLTxn { path: string; data: Uint8Array | null; acl: ACL[]; parentCVersion: number; ttl: number }
export interface DeleteTxn { path: string }
export interface SetDataTxn { path: string; data: Uint8Array | null; version: number }
export interface CheckVersionTxn { path: string; version: number }
export interface SetACLTxn { path: string; acl: ACL[]; version: number }
export interface CreateSessionTxn { timeOut: number }
export interface CloseSessionTxn { paths2Delete: string[] }
export interface ErrorTxn { err: number }
/** Trailer ZooKeeper 3.6+ appends to a logged txn when zookeeper.digest.enabled (default true). */
export interface TxnDigest { version: number; treeDigest: bigint }

/**
 * A transaction body tagged with its OpCode. MultiTxn holds nested txns; in a failed multi every
 * entry is an error txn (the failing op carries its error, the others RUNTIMEINCONSISTENCY), as
 * ZooKeeper records it.
 */
export type Txn =
  | { type: 1 /* create */; txn: CreateTxn }
  | { type: 15 /* create2 */; txn: CreateTxn }
  | { type: 19 /* createContainer */; txn: CreateContainerTxn }
  | { type: 21 /* createTTL */; txn: CreateTTLTxn }
  | { type: 2 /* delete */; txn: DeleteTxn }
  | { type: 20 /* deleteContainer */; txn: DeleteTxn }
  | { type: 5 /* setData */; txn: SetDataTxn }
  | { type: 16 /* reconfig: ZooKeeper logs the new /zookeeper/config as a SetDataTxn */; txn: SetDataTxn }
  | { type: 13 /* check */; txn: CheckVersionTxn }
  | { type: 7 /* setACL */; txn: SetACLTxn }
  | { type: -10 /* createSession */; txn: CreateSessionTxn }
  | { type: -11 /* closeSession */; txn: CloseSessionTxn }
  | { type: -1 /* error */; txn: ErrorTxn }
  | { type: 14 /* multi */; txn: { txns: Txn[] } };

/** A transaction as logged and replicated: header plus body. */
export interface TxnEntry {
  header: TxnHeader;
  txn: Txn;
  /** Present when the logged entry carried a TxnDigest trailer. */
  digest?: TxnDigest;
}

// ---- Client-port requests and responses (zookeeper.jute, field names kept) ----

export interface ConnectRequest {
  protocolVersion: number;
  lastZxidSeen: bigint;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  /** Absent from pre-3.4 clients; the server mirrors whether it was sent. */
  readOnly?: boolean;
}
export interface ConnectResponse {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
  readOnly?: boolean;
}
export interface RequestHeader { xid: number; type: number }
/** Precedes each op in a multi request/response; the list ends with {type: -1, done: true, err: -1}. */
export interface MultiHeader { type: number; done: boolean; err: number }
export interface ReplyHeader { xid: number; zxid: bigint; err: number }

export interface CreateRequest { path: string; data: Uint8Array | null; acl: ACL[]; flags: number }
export interface CreateTTLRequest { path: string; data: Uint8Array | null; acl: ACL[]; flags: number; ttl: number }
export interface CreateResponse { path: string }
export interface Create2Response { path: string; stat: Stat }
export interface DeleteRequest { path: string; version: number }
export interface ExistsRequest { path: string; watch: boolean }
export interface ExistsResponse { stat: Stat }
export interface GetDataRequest { path: string; watch: boolean }
export interface GetDataResponse { data: Uint8Array | null; stat: Stat }
export interface SetDataRequest { path: string; data: Uint8Array | null; version: number }
export interface SetDataResponse { stat: Stat }
export interface GetACLRequest { path: string }
export interface GetACLResponse { acl: ACL[]; stat: Stat }
export interface SetACLRequest { path: string; acl: ACL[]; version: number }
export interface SetACLResponse { stat: Stat }
export interface GetChildrenRequest { path: string; watch: boolean }
export interface GetChildrenResponse { children: string[] }
export interface GetChildren2Request { path: string; watch: boolean }
export interface GetChildren2Response { children: string[]; stat: Stat }
export interface SyncRequest { path: string }
export interface SyncResponse { path: string }
export interface CheckVersionRequest { path: string; version: number }
export interface GetAllChildrenNumberRequest { path: string }
export interface GetAllChildrenNumberResponse { totalNumber: number }
export interface GetEphemeralsRequest { prefixPath: string }
export interface GetEphemeralsResponse { ephemerals: string[] }
export interface AddWatchRequest { path: string; mode: number }
export interface CheckWatchesRequest { path: string; type: number }
export interface RemoveWatchesRequest { path: string; type: number }
export interface SetWatches { relativeZxid: bigint; dataWatches: string[]; existWatches: string[]; childWatches: string[] }
export interface SetWatches2 extends SetWatches { persistentWatches: string[]; persistentRecursiveWatches: string[] }
export interface AuthPacket { type: number; scheme: string; auth: Uint8Array | null }
export interface ClientInfo { authScheme: string; user: string }
export interface WhoAmIResponse { clientInfo: ClientInfo[] }
export interface WatcherEvent { type: number; state: number; path: string }
export interface ReconfigRequest { joiningServers: string | null; leavingServers: string | null; newMembers: string | null; curConfigId: bigint }
export interface GetSASLRequest { token: Uint8Array | null }
export interface SetSASLResponse { token: Uint8Array | null }
export interface ErrorResponse { err: number }

/** One operation inside a multi / multiRead request, tagged with its OpCode. */
export type MultiOp =
  | { type: 1 | 15 | 19; req: CreateRequest }
  | { type: 21; req: CreateTTLRequest }
  | { type: 2; req: DeleteRequest }
  | { type: 5; req: SetDataRequest }
  | { type: 13; req: CheckVersionRequest }
  | { type: 4; req: GetDataRequest }
  | { type: 8; req: GetChildrenRequest };

/** One result inside a multi / multiRead response, tagged with its OpCode (-1 = error). */
export type MultiResult =
  | { type: 1; path: string }
  | { type: 15 | 19 | 21; path: string; stat: Stat }
  | { type: 2 }
  | { type: 5; stat: Stat }
  | { type: 13 }
  | { type: 4; data: Uint8Array | null; stat: Stat }
  | { type: 8; children: string[] }
  | { type: -1; err: number };
