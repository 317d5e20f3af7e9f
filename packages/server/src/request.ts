import { OpCode } from '@zk/protocol';
import type { ClientConnection } from './client-connection.js';

/** A decoded client request moving through the pipeline. */
export interface Request {
  /** The connection it came from; undefined for internal requests (expiry, container cleanup). */
  readonly conn: ClientConnection | undefined;
  readonly sessionId: bigint;
  readonly xid: number;
  readonly type: number;
  /** The decoded request record (shape depends on `type`). */
  readonly body: unknown;
  /** Clock time it arrived, for latency stats. */
  readonly receivedAt: number;
  /**
   * An error to answer with, in order, without preparing a txn: what ZooKeeper does for a request
   * that fails before prep (e.g. a multi carrying a null path).
   */
  readonly rejected?: number;
}

/** Opcodes that become transactions; everything else is answered from the local tree. */
const WRITE_OPS = new Set<number>([
  OpCode.create,
  OpCode.create2,
  OpCode.createContainer,
  OpCode.createTTL,
  OpCode.delete,
  OpCode.deleteContainer,
  OpCode.setData,
  OpCode.setACL,
  OpCode.check,
  OpCode.multi,
  OpCode.closeSession,
  OpCode.createSession,
  OpCode.reconfig,
]);

/** True when the request goes through prep and the txn log. */
export function needsTxn(req: Request): boolean {
  return req.rejected === undefined && WRITE_OPS.has(req.type);
}

/** Short names used in `cons` (lop=) and logs, as ZooKeeper's Request.op2String abbreviates them. */
export function opName(type: number): string {
  switch (type) {
    case OpCode.create: return 'CREA';
    case OpCode.create2: return 'CREA';
    case OpCode.createContainer: return 'CREA';
    case OpCode.createTTL: return 'CREA';
    case OpCode.delete: return 'DELE';
    case OpCode.exists: return 'EXIS';
    case OpCode.getData: return 'GETD';
    case OpCode.setData: return 'SETD';
    case OpCode.getACL: return 'GETA';
    case OpCode.setACL: return 'SETA';
    case OpCode.getChildren: return 'GETC';
    case OpCode.getChildren2: return 'GETC';
    case OpCode.sync: return 'SYNC';
    case OpCode.ping: return 'PING';
    case OpCode.check: return 'CHEC';
    case OpCode.multi: return 'MULT';
    case OpCode.multiRead: return 'MLTR';
    case OpCode.closeSession: return 'CLOS';
    case OpCode.createSession: return 'SESS';
    case OpCode.setWatches: return 'SETW';
    case OpCode.setWatches2: return 'STW2';
    case OpCode.addWatch: return 'ADDW';
    case OpCode.removeWatches: return 'REMW';
    case OpCode.checkWatches: return 'CHKW';
    case OpCode.whoAmI: return 'HOMI';
    case OpCode.getEphemerals: return 'GETE';
    case OpCode.getAllChildrenNumber: return 'GETACN';
    default: return 'UNKNOWN';
  }
}
