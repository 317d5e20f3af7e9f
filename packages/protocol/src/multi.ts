// multi (14) and multiRead (22) bodies: MultiOperationRecord / MultiResponse in ZooKeeper 3.8.
// Each op or result is preceded by a MultiHeader {int type; boolean done; int err}; the list ends
// with MultiHeader {type: -1, done: true, err: -1}.
//  - requests: every op header has err = -1 (MultiOperationRecord.serialize).
//  - responses: err = the error code for error results, 0 otherwise (MultiResponse.serialize).
//    create -> CreateResponse, create2 -> Create2Response, delete/check -> nothing,
//    setData -> SetDataResponse, getData -> GetDataResponse, getChildren -> GetChildrenResponse,
//    error -> ErrorResponse. ZooKeeper answers createContainer/createTTL ops with a create2 result
//    (FinalRequestProcessor: `new CreateResult(path, stat)` is typed create2), so results typed 19
//    or 21 are written as type 15 on the wire.

import type { Codec } from './codec.js';
import { JuteDecodeError, JuteEncodeError } from './errors.js';
import { JuteReader } from './reader.js';
import {
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  GetChildrenRequest,
  GetDataRequest,
  SetDataRequest,
  Stat,
} from './records.js';
import type { MultiOp, MultiResult } from './types.js';
import { JuteWriter } from './writer.js';

function writeEnd(w: JuteWriter): void {
  w.writeInt(-1);
  w.writeBool(true);
  w.writeInt(-1);
}

/** Writes the ops of a multi / multiRead request body. */
export function writeMultiRequest(w: JuteWriter, ops: readonly MultiOp[]): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    w.writeInt(op.type);
    w.writeBool(false);
    w.writeInt(-1);
    switch (op.type) {
      case 1:
      case 15:
      case 19:
        CreateRequest.write(w, op.req);
        break;
      case 21:
        CreateTTLRequest.write(w, op.req);
        break;
      case 2:
        DeleteRequest.write(w, op.req);
        break;
      case 5:
        SetDataRequest.write(w, op.req);
        break;
      case 13:
        CheckVersionRequest.write(w, op.req);
        break;
      case 4:
        GetDataRequest.write(w, op.req);
        break;
      case 8:
        GetChildrenRequest.write(w, op.req);
        break;
      default: {
        const never: never = op;
        throw new JuteEncodeError(`invalid multi op type ${(never as { type: number }).type}`);
      }
    }
  }
  writeEnd(w);
}

/** Reads a multi / multiRead request body up to and including its end marker. */
export function readMultiRequest(r: JuteReader): MultiOp[] {
  const ops: MultiOp[] = [];
  for (;;) {
    const at = r.pos;
    const type = r.readInt('MultiHeader.type');
    const done = r.readBool('MultiHeader.done');
    r.readInt('MultiHeader.err');
    if (done) return ops;
    switch (type) {
      case 1:
      case 15:
      case 19:
        ops.push({ type, req: CreateRequest.read(r) });
        break;
      case 21:
        ops.push({ type, req: CreateTTLRequest.read(r) });
        break;
      case 2:
        ops.push({ type, req: DeleteRequest.read(r) });
        break;
      case 5:
        ops.push({ type, req: SetDataRequest.read(r) });
        break;
      case 13:
        ops.push({ type, req: CheckVersionRequest.read(r) });
        break;
      case 4:
        ops.push({ type, req: GetDataRequest.read(r) });
        break;
      case 8:
        ops.push({ type, req: GetChildrenRequest.read(r) });
        break;
      default:
        throw new JuteDecodeError(`invalid multi op type ${type}`, 'MultiHeader.type', at);
    }
  }
}

/** Writes the results of a multi / multiRead response body. */
export function writeMultiResponse(w: JuteWriter, results: readonly MultiResult[]): void {
  for (let i = 0; i < results.length; i++) {
    const res = results[i]!;
    switch (res.type) {
      case 1:
        w.writeInt(1);
        w.writeBool(false);
        w.writeInt(0);
        w.writeString(res.path);
        break;
      case 15:
      case 19:
      case 21:
        w.writeInt(15);
        w.writeBool(false);
        w.writeInt(0);
        w.writeString(res.path);
        Stat.write(w, res.stat);
        break;
      case 2:
      case 13:
        w.writeInt(res.type);
        w.writeBool(false);
        w.writeInt(0);
        break;
      case 5:
        w.writeInt(5);
        w.writeBool(false);
        w.writeInt(0);
        Stat.write(w, res.stat);
        break;
      case 4:
        w.writeInt(4);
        w.writeBool(false);
        w.writeInt(0);
        w.writeBuffer(res.data);
        Stat.write(w, res.stat);
        break;
      case 8:
        w.writeInt(8);
        w.writeBool(false);
        w.writeInt(0);
        w.writeStringVector(res.children);
        break;
      case -1:
        w.writeInt(-1);
        w.writeBool(false);
        w.writeInt(res.err);
        w.writeInt(res.err);
        break;
      default: {
        const never: never = res;
        throw new JuteEncodeError(`invalid multi result type ${(never as { type: number }).type}`);
      }
    }
  }
  writeEnd(w);
}

/** Reads a multi / multiRead response body up to and including its end marker. */
export function readMultiResponse(r: JuteReader): MultiResult[] {
  const results: MultiResult[] = [];
  for (;;) {
    const at = r.pos;
    const type = r.readInt('MultiHeader.type');
    const done = r.readBool('MultiHeader.done');
    r.readInt('MultiHeader.err');
    if (done) return results;
    switch (type) {
      case 1:
        results.push({ type: 1, path: r.readString('CreateResponse.path') });
        break;
      case 15:
      case 19:
      case 21:
        results.push({ type, path: r.readString('Create2Response.path'), stat: Stat.read(r) });
        break;
      case 2:
      case 13:
        results.push({ type });
        break;
      case 5:
        results.push({ type: 5, stat: Stat.read(r) });
        break;
      case 4:
        results.push({ type: 4, data: r.readBuffer('GetDataResponse.data'), stat: Stat.read(r) });
        break;
      case 8:
        results.push({ type: 8, children: r.readStringVector('GetChildrenResponse.children') });
        break;
      case -1:
        results.push({ type: -1, err: r.readInt('ErrorResponse.err') });
        break;
      default:
        throw new JuteDecodeError(`invalid multi result type ${type}`, 'MultiHeader.type', at);
    }
  }
}

/** Codec view of a multi / multiRead request body (usable with writeFrame / writeReply). */
export const MultiRequest: Codec<MultiOp[]> = {
  name: 'MultiRequest',
  write: writeMultiRequest,
  read: readMultiRequest,
};

/** Codec view of a multi / multiRead response body. */
export const MultiResponse: Codec<MultiResult[]> = {
  name: 'MultiResponse',
  write: writeMultiResponse,
  read: readMultiResponse,
};

export function encodeMultiRequest(ops: readonly MultiOp[]): Uint8Array {
  const w = new JuteWriter(256);
  writeMultiRequest(w, ops);
  return w.finish();
}

export function decodeMultiRequest(bytes: Uint8Array): MultiOp[] {
  return readMultiRequest(new JuteReader(bytes));
}

export function encodeMultiResponse(results: readonly MultiResult[]): Uint8Array {
  const w = new JuteWriter(256);
  writeMultiResponse(w, results);
  return w.finish();
}

export function decodeMultiResponse(bytes: Uint8Array): MultiResult[] {
  return readMultiResponse(new JuteReader(bytes));
}
