// Dispatch by opcode: which record a client sends for each request and which record the server
// answers with (ZooKeeper 3.8 FinalRequestProcessor / ZooKeeper.java), plus frame writers for both
// directions. Everything writes into a caller-owned JuteWriter so a connection can encode with no
// per-request allocation beyond the values themselves.

import type { Codec } from './codec.js';
import { Xid } from './constants.js';
import { UnknownOpCodeError } from './errors.js';
import { beginFrame, endFrame } from './frame.js';
import { MultiRequest, MultiResponse } from './multi.js';
import type { JuteReader } from './reader.js';
import {
  AddWatchRequest,
  AuthPacket,
  CheckVersionRequest,
  CheckWatchesRequest,
  Create2Response,
  CreateRequest,
  CreateResponse,
  CreateTTLRequest,
  DeleteRequest,
  ErrorResponse,
  ExistsRequest,
  ExistsResponse,
  GetACLRequest,
  GetACLResponse,
  GetAllChildrenNumberRequest,
  GetAllChildrenNumberResponse,
  GetChildren2Request,
  GetChildren2Response,
  GetChildrenRequest,
  GetChildrenResponse,
  GetDataRequest,
  GetDataResponse,
  GetEphemeralsRequest,
  GetEphemeralsResponse,
  GetSASLRequest,
  ReconfigRequest,
  RemoveWatchesRequest,
  SetACLRequest,
  SetACLResponse,
  SetDataRequest,
  SetDataResponse,
  SetSASLResponse,
  SetWatches,
  SetWatches2,
  SyncRequest,
  SyncResponse,
  WatcherEvent,
  WhoAmIResponse,
} from './records.js';
import type * as T from './types.js';
import type { JuteWriter } from './writer.js';

/** A decoded client request body, tagged with its opcode. Bodiless requests carry `req: null`. */
export type ClientRequest =
  | { type: 1; req: T.CreateRequest }
  | { type: 15; req: T.CreateRequest }
  | { type: 19; req: T.CreateRequest }
  | { type: 21; req: T.CreateTTLRequest }
  | { type: 2; req: T.DeleteRequest }
  | { type: 3; req: T.ExistsRequest }
  | { type: 4; req: T.GetDataRequest }
  | { type: 5; req: T.SetDataRequest }
  | { type: 6; req: T.GetACLRequest }
  | { type: 7; req: T.SetACLRequest }
  | { type: 8; req: T.GetChildrenRequest }
  | { type: 12; req: T.GetChildren2Request }
  | { type: 9; req: T.SyncRequest }
  | { type: 13; req: T.CheckVersionRequest }
  | { type: 14; req: T.MultiOp[] }
  | { type: 22; req: T.MultiOp[] }
  | { type: 16; req: T.ReconfigRequest }
  | { type: 17; req: T.CheckWatchesRequest }
  | { type: 18; req: T.RemoveWatchesRequest }
  | { type: 100; req: T.AuthPacket }
  | { type: 101; req: T.SetWatches }
  | { type: 105; req: T.SetWatches2 }
  | { type: 102; req: T.GetSASLRequest }
  | { type: 103; req: T.GetEphemeralsRequest }
  | { type: 104; req: T.GetAllChildrenNumberRequest }
  | { type: 106; req: T.AddWatchRequest }
  | { type: 107; req: null }
  | { type: 11; req: null }
  | { type: -11; req: null };

/** Opcodes a client may send after the handshake. */
export type ClientOpCode = ClientRequest['type'];
/** The request record for opcode K. */
export type RequestOf<K extends ClientOpCode> = Extract<ClientRequest, { type: K }>['req'];

/**
 * A decoded success reply body, tagged with the request opcode it answers. Ops whose reply has no
 * body (delete, setWatches, checkWatches, removeWatches, auth, ping, closeSession) carry `res: null`.
 */
export type ClientResponse =
  | { type: 1; res: T.CreateResponse }
  | { type: 15; res: T.Create2Response }
  | { type: 19; res: T.Create2Response }
  | { type: 21; res: T.Create2Response }
  | { type: 2; res: null }
  | { type: 3; res: T.ExistsResponse }
  | { type: 4; res: T.GetDataResponse }
  | { type: 5; res: T.SetDataResponse }
  | { type: 6; res: T.GetACLResponse }
  | { type: 7; res: T.SetACLResponse }
  | { type: 8; res: T.GetChildrenResponse }
  | { type: 12; res: T.GetChildren2Response }
  | { type: 9; res: T.SyncResponse }
  | { type: 13; res: T.SetDataResponse }
  | { type: 14; res: T.MultiResult[] }
  | { type: 22; res: T.MultiResult[] }
  | { type: 16; res: T.GetDataResponse }
  | { type: 17; res: null }
  | { type: 18; res: null }
  | { type: 100; res: null }
  | { type: 101; res: null }
  | { type: 105; res: null }
  | { type: 102; res: T.SetSASLResponse }
  | { type: 103; res: T.GetEphemeralsResponse }
  | { type: 104; res: T.GetAllChildrenNumberResponse }
  | { type: 106; res: T.ErrorResponse }
  | { type: 107; res: T.WhoAmIResponse }
  | { type: 11; res: null }
  | { type: -11; res: null };

/** The success reply record for opcode K. */
export type ResponseOf<K extends ClientOpCode> = Extract<ClientResponse, { type: K }>['res'];

/**
 * The request record codec for a client opcode: a Codec, `null` for bodiless requests (ping,
 * closeSession, whoAmI), or `undefined` for opcodes a client may not send.
 */
export function requestCodec(type: number): Codec<unknown> | null | undefined {
  switch (type) {
    case 1:
    case 15:
    case 19:
      return CreateRequest as Codec<unknown>;
    case 21:
      return CreateTTLRequest as Codec<unknown>;
    case 2:
      return DeleteRequest as Codec<unknown>;
    case 3:
      return ExistsRequest as Codec<unknown>;
    case 4:
      return GetDataRequest as Codec<unknown>;
    case 5:
      return SetDataRequest as Codec<unknown>;
    case 6:
      return GetACLRequest as Codec<unknown>;
    case 7:
      return SetACLRequest as Codec<unknown>;
    case 8:
      return GetChildrenRequest as Codec<unknown>;
    case 12:
      return GetChildren2Request as Codec<unknown>;
    case 9:
      return SyncRequest as Codec<unknown>;
    case 13:
      return CheckVersionRequest as Codec<unknown>;
    case 14:
    case 22:
      return MultiRequest as Codec<unknown>;
    case 16:
      return ReconfigRequest as Codec<unknown>;
    case 17:
      return CheckWatchesRequest as Codec<unknown>;
    case 18:
      return RemoveWatchesRequest as Codec<unknown>;
    case 100:
      return AuthPacket as Codec<unknown>;
    case 101:
      return SetWatches as Codec<unknown>;
    case 105:
      return SetWatches2 as Codec<unknown>;
    case 102:
      return GetSASLRequest as Codec<unknown>;
    case 103:
      return GetEphemeralsRequest as Codec<unknown>;
    case 104:
      return GetAllChildrenNumberRequest as Codec<unknown>;
    case 106:
      return AddWatchRequest as Codec<unknown>;
    case 107:
    case 11:
    case -11:
      return null;
    default:
      return undefined;
  }
}

/**
 * The codec of the body ZooKeeper 3.8 sends back on SUCCESS (err == 0) for a request opcode; `null`
 * when the reply is a bare ReplyHeader; `undefined` for unknown opcodes. On error (err != 0)
 * ZooKeeper sends a bare ReplyHeader for every opcode (FinalRequestProcessor throws before a
 * response record is built), except multi/multiRead, which always carry their results, and sasl,
 * which sends SetSASLResponse{token: null} (ZooKeeperServer.processSasl).
 * Quirks kept: `check` (13) answers a SetDataResponse (a Stat), `reconfig` a GetDataResponse (the
 * new config and the Stat of /zookeeper/config), `addWatch` an ErrorResponse{err: 0}.
 */
export function responseCodec(type: number): Codec<unknown> | null | undefined {
  switch (type) {
    case 1:
      return CreateResponse as Codec<unknown>;
    case 15:
    case 19:
    case 21:
      return Create2Response as Codec<unknown>;
    case 3:
      return ExistsResponse as Codec<unknown>;
    case 4:
    case 16:
      return GetDataResponse as Codec<unknown>;
    case 5:
    case 13:
      return SetDataResponse as Codec<unknown>;
    case 6:
      return GetACLResponse as Codec<unknown>;
    case 7:
      return SetACLResponse as Codec<unknown>;
    case 8:
      return GetChildrenResponse as Codec<unknown>;
    case 12:
      return GetChildren2Response as Codec<unknown>;
    case 9:
      return SyncResponse as Codec<unknown>;
    case 14:
    case 22:
      return MultiResponse as Codec<unknown>;
    case 102:
      return SetSASLResponse as Codec<unknown>;
    case 103:
      return GetEphemeralsResponse as Codec<unknown>;
    case 104:
      return GetAllChildrenNumberResponse as Codec<unknown>;
    case 106:
      return ErrorResponse as Codec<unknown>;
    case 107:
      return WhoAmIResponse as Codec<unknown>;
    case 2:
    case 17:
    case 18:
    case 100:
    case 101:
    case 105:
    case 11:
    case -11:
      return null;
    default:
      return undefined;
  }
}

/**
 * Server side: decodes the body that follows a RequestHeader of type `type`. Throws
 * UnknownOpCodeError for opcodes a client may not send (ZooKeeper answers those with UNIMPLEMENTED
 * and closes the session), JuteDecodeError for malformed bodies. Trailing bytes are ignored, as
 * ZooKeeper does. Data buffers are views of the reader's bytes.
 */
export function decodeRequestBody(type: number, r: JuteReader): ClientRequest {
  const codec = requestCodec(type);
  if (codec === undefined) throw new UnknownOpCodeError(type, 'RequestHeader.type', r.pos);
  // The codec table guarantees that the record matches the opcode.
  return { type, req: codec === null ? null : codec.read(r) } as ClientRequest;
}

/** Client side: writes one complete request frame (length, RequestHeader, body) into `w`. */
export function encodeRequest<K extends ClientOpCode>(w: JuteWriter, xid: number, type: K, req: RequestOf<K>): void {
  const codec = requestCodec(type);
  if (codec === undefined) throw new UnknownOpCodeError(type, 'RequestHeader.type', w.pos);
  const start = beginFrame(w);
  w.writeInt(xid);
  w.writeInt(type);
  if (codec !== null) codec.write(w, req);
  endFrame(w, start);
}

/**
 * Client side: decodes the body of a reply to a request of opcode `type` (the opcode the client
 * remembered for that xid). Returns `null` when the reply carries no body, which is the case for
 * every error reply except multi. Reads only what is there: a reply with no bytes left decodes as
 * null even for opcodes that normally have a body.
 */
export function decodeResponseBody<K extends ClientOpCode>(type: K, r: JuteReader): ResponseOf<K> | null;
export function decodeResponseBody(type: number, r: JuteReader): unknown;
export function decodeResponseBody(type: number, r: JuteReader): unknown {
  const codec = responseCodec(type);
  if (codec === undefined) throw new UnknownOpCodeError(type, 'reply opcode', r.pos);
  if (codec === null || r.remaining === 0) return null;
  return codec.read(r);
}

/**
 * Server side: writes one complete reply frame: length, ReplyHeader {xid, zxid, err}, then `body`
 * with `codec` when both are given. One pass into the reused writer, no allocation.
 */
export function writeReply<V>(
  w: JuteWriter,
  xid: number,
  zxid: bigint,
  err: number,
  codec?: Codec<V> | null,
  body?: V,
): void {
  const start = beginFrame(w);
  w.writeInt(xid);
  w.writeLong(zxid);
  w.writeInt(err);
  if (codec != null && body !== undefined) codec.write(w, body);
  endFrame(w, start);
}

/** Server side: `writeReply` taking a ReplyHeader record. */
export function encodeReply<V>(w: JuteWriter, header: T.ReplyHeader, codec?: Codec<V> | null, body?: V): void {
  writeReply(w, header.xid, header.zxid, header.err, codec, body);
}

/**
 * Server side: a watch notification frame. ZooKeeper sends ReplyHeader {xid: -1, zxid: -1, err: 0}
 * followed by a WatcherEvent (NIOServerCnxn.process).
 */
export function writeNotification(w: JuteWriter, event: T.WatcherEvent): void {
  writeReply(w, Xid.NOTIFICATION, -1n, 0, WatcherEvent, event);
}

/** Reads the ReplyHeader at the reader's position (the body follows). */
export function readReplyHeader(r: JuteReader): T.ReplyHeader {
  return { xid: r.readInt('ReplyHeader.xid'), zxid: r.readLong('ReplyHeader.zxid'), err: r.readInt('ReplyHeader.err') };
}

/** Reads the RequestHeader at the reader's position (the body follows). */
export function readRequestHeader(r: JuteReader): T.RequestHeader {
  return { xid: r.readInt('RequestHeader.xid'), type: r.readInt('RequestHeader.type') };
}
