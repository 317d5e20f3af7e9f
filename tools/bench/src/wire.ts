// The request and reply bytes the load generator needs, built with @zk/protocol. Requests on a
// fixed path (getData, exists, setData) are encoded ONCE into a template whose xid is patched per
// send; replies are not decoded beyond their header (xid, zxid, err) unless a workload asks.

import {
  ConnectRequest,
  ConnectResponse,
  JuteReader,
  JuteWriter,
  OpCode,
  encodeRequest,
  writeFrame,
  type ACL,
  type ClientOpCode,
  type RequestOf,
} from '@zk/protocol';

export const OPEN_ACL_UNSAFE: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

/** Offset of the xid within a request frame (after the 4-byte length prefix). */
export const XID_OFFSET = 4;

/** A complete request frame (length prefix included) with xid 0, to copy and patch. */
export function requestTemplate<K extends ClientOpCode>(type: K, req: RequestOf<K>): Uint8Array {
  const w = new JuteWriter(64);
  encodeRequest(w, 0, type, req);
  return w.finish();
}

/** The ConnectRequest frame a new session sends. */
export function connectFrame(timeoutMs: number): Uint8Array {
  const w = new JuteWriter(64);
  writeFrame(w, ConnectRequest, {
    protocolVersion: 0,
    lastZxidSeen: 0n,
    timeOut: timeoutMs,
    sessionId: 0n,
    passwd: new Uint8Array(16),
    readOnly: false,
  });
  return w.finish();
}

export function parseConnectResponse(payload: Uint8Array): ConnectResponse {
  return ConnectResponse.read(new JuteReader(payload));
}

// ReplyHeader: xid int32 @0, zxid int64 @4, err int32 @12; the body starts at 16.
export const REPLY_BODY_OFFSET = 16;

export function int32At(b: Uint8Array, off: number): number {
  return (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
}

export function replyXid(frame: Uint8Array): number {
  return int32At(frame, 0);
}

export function replyErr(frame: Uint8Array): number {
  return int32At(frame, 12);
}

/** numChildren of the Stat an exists reply carries (Stat field 10, at byte 56 of the Stat). */
export function existsNumChildren(frame: Uint8Array): number {
  return int32At(frame, REPLY_BODY_OFFSET + 56);
}

/** Special xids (ZooKeeper's ClientCnxn). */
export const XID_NOTIFICATION = -1;
export const XID_PING = -2;

export const PING_FRAME = ((): Uint8Array => {
  const w = new JuteWriter(16);
  encodeRequest(w, XID_PING, OpCode.ping, null);
  return w.finish();
})();

/** A value of `size` bytes (deterministic content). */
export function valueOf(size: number): Uint8Array {
  const v = new Uint8Array(size);
  for (let i = 0; i < size; i++) v[i] = 97 + (i % 26);
  return v;
}
