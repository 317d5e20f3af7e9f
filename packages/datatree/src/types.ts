import type { ACL, MultiResult, Stat, StatPersisted } from '@zk/protocol';

/** One watch trigger, in the order ZooKeeper's DataTree fires them. */
export interface WatchTrigger {
  path: string;
  /** EventType: NodeCreated 1, NodeDeleted 2, NodeDataChanged 3, NodeChildrenChanged 4. */
  type: number;
  zxid: bigint;
}

/** What applying one txn produced (DataTree.ProcessTxnResult plus the watch triggers). */
export interface ApplyResult {
  clientId: bigint;
  cxid: number;
  zxid: bigint;
  /** Header type (OpCode) of the txn. */
  type: number;
  /** 0, the ErrorTxn's code, the first failing code of a multi, or a replay error (NONODE...). */
  err: number;
  /** create*: the created path (with its sequence suffix); delete/setData/setACL/check: the path. */
  path?: string;
  /** create2 / createContainer / createTTL / setData / setACL. */
  stat?: Stat;
  /** multi: per-op results as FinalRequestProcessor builds them. */
  multi?: MultiResult[];
  /** closeSession: the ephemerals deleted, in deletion order. */
  deleted?: string[];
  triggers: WatchTrigger[];
}

/** A read-only copy of one node. */
export interface NodeView {
  path: string;
  data: Uint8Array | null;
  acl: readonly ACL[];
  stat: Stat;
  /** Children names in the order ZooKeeper 3.8 returns them (java.util.HashSet order). */
  children: string[];
}

/** The state PrepRequestProcessor keeps per path (ChangeRecord). stat null = deleted. */
export interface ChangeRecord {
  zxid: bigint;
  path: string;
  stat: StatPersisted | null;
  childCount: number;
  acl: readonly ACL[] | null;
  data: Uint8Array | null;
}

export interface DataTreeOptions {
  /** zookeeper.extendedTypesEnabled: TTL nodes (default false). */
  extendedTypesEnabled?: boolean;
  /** zookeeper.emulate353TTLNodes (default false). */
  emulate353TTLNodes?: boolean;
  /** zookeeper.digest.enabled: maintain the tree digest (default true). */
  digestEnabled?: boolean;
}
