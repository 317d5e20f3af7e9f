import { ErrorCode, OpCode } from '@zk/protocol';

/** How ZooKeeper 3.8 treats a request carrying a null string (a path), found by the difftest. */
export type NullStringOutcome =
  /** Fails with MARSHALLINGERROR (in prep, consuming a zxid, for writes). */
  | { kind: 'malformed' }
  /** Fails before prep with this error: no txn. */
  | { kind: 'rejected'; err: number }
  /** Served with the path echoed back as null. */
  | { kind: 'echo-null' }
  /** Served as if the string were empty (prep then says BADARGUMENTS where a path is validated). */
  | { kind: 'as-empty' };

const MALFORMED: ReadonlySet<number> = new Set([
  OpCode.create, OpCode.create2, OpCode.createContainer, OpCode.createTTL, OpCode.delete,
  OpCode.exists, OpCode.getData, OpCode.getACL, OpCode.getChildren, OpCode.getChildren2,
  OpCode.getAllChildrenNumber, OpCode.checkWatches, OpCode.multiRead,
]);

export function nullStringOutcome(type: number): NullStringOutcome {
  if (type === OpCode.sync) return { kind: 'echo-null' };
  if (type === OpCode.multi) return { kind: 'rejected', err: ErrorCode.MARSHALLINGERROR };
  if (MALFORMED.has(type)) return { kind: 'malformed' };
  return { kind: 'as-empty' };
}
