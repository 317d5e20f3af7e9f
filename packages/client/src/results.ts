// Reply bodies -> the values the API returns, by the opcode of the request they answer. Data is
// copied out of the receive buffer (decoding hands out views of it); paths lose the chroot.

import { OpCode, decodeResponseBody, type ClientInfo, type JuteReader, type MultiResult } from '@zk/protocol';
import type { ZooKeeperError } from './errors.js';
import { fromWireReadResults, fromWireResults } from './multi.js';
import { toClientPath } from './paths.js';
import type { Request } from './request.js';
import type { ACLResult, ChildrenResult, CreateResult, DataResult } from './types.js';
import type * as P from '@zk/protocol';

/** Thrown by decodeResult for a multi whose ops failed: carries the typed error (with `results`). */
export interface FailedMulti {
  readonly failedMulti: true;
  readonly error: ZooKeeperError;
}

export function isFailedMulti(value: unknown): value is FailedMulti {
  return typeof value === 'object' && value !== null && (value as FailedMulti).failedMulti === true;
}

export function decodeResult(req: Request, r: JuteReader, chroot: string): unknown {
  const op = req.opCode;
  switch (op) {
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL: {
      const res = decodeResponseBody(op, r) as P.Create2Response;
      const out: CreateResult = { path: toClientPath(chroot, res.path), stat: res.stat };
      return out;
    }
    case OpCode.exists:
      return (decodeResponseBody(op, r) as P.ExistsResponse).stat;
    case OpCode.getData: {
      const res = decodeResponseBody(op, r) as P.GetDataResponse;
      const out: DataResult = { data: res.data === null ? null : Buffer.from(res.data), stat: res.stat };
      return out;
    }
    case OpCode.setData:
      return (decodeResponseBody(op, r) as P.SetDataResponse).stat;
    case OpCode.getACL: {
      const res = decodeResponseBody(op, r) as P.GetACLResponse;
      const out: ACLResult = { acl: res.acl, stat: res.stat };
      return out;
    }
    case OpCode.setACL:
      return (decodeResponseBody(op, r) as P.SetACLResponse).stat;
    case OpCode.getChildren:
      return (decodeResponseBody(op, r) as P.GetChildrenResponse).children;
    case OpCode.getChildren2: {
      const res = decodeResponseBody(op, r) as P.GetChildren2Response;
      const out: ChildrenResult = { children: res.children, stat: res.stat };
      return out;
    }
    case OpCode.sync:
      return toClientPath(chroot, (decodeResponseBody(op, r) as P.SyncResponse).path);
    case OpCode.getAllChildrenNumber:
      return (decodeResponseBody(op, r) as P.GetAllChildrenNumberResponse).totalNumber;
    case OpCode.getEphemerals:
      return (decodeResponseBody(op, r) as P.GetEphemeralsResponse).ephemerals.map((p) => toClientPath(chroot, p));
    case OpCode.whoAmI:
      return ((decodeResponseBody(op, r) as P.WhoAmIResponse | null)?.clientInfo ?? []) as ClientInfo[];
    case OpCode.multi: {
      const wire = (decodeResponseBody(op, r) as MultiResult[] | null) ?? [];
      const { results, failed } = fromWireResults(wire, req.extra ?? [], chroot);
      if (failed >= 0) {
        const error = (results[failed] as { error: ZooKeeperError }).error;
        error.results = results;
        const thrown: FailedMulti = { failedMulti: true, error };
        throw thrown;
      }
      return results;
    }
    case OpCode.multiRead: {
      const wire = (decodeResponseBody(op, r) as MultiResult[] | null) ?? [];
      return fromWireReadResults(wire, req.extra ?? []);
    }
    default:
      // delete, check, addWatch, checkWatches, removeWatches, closeSession: nothing to return.
      return undefined;
  }
}
