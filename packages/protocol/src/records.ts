// One codec per jute record (zookeeper-jute/src/main/resources/zookeeper.jute, branch-3.8).
// Each record is exported twice under one name: the TypeScript type (re-exported from types.ts)
// and a `Codec` value, e.g. `CreateRequest.read(r)` returns a `CreateRequest`.
// Field order below IS the wire order; keep it identical to zookeeper.jute.

import type { Codec } from './codec.js';
import type { JuteReader } from './reader.js';
import type * as T from './types.js';
import type { JuteWriter } from './writer.js';

const TWO_32 = 4294967296;

function setLongNumber(dv: DataView, p: number, v: number): void {
  const hi = Math.floor(v / TWO_32);
  dv.setInt32(p, hi);
  dv.setUint32(p + 4, v - hi * TWO_32);
}

// ---- org.apache.zookeeper.data ----

export type Id = T.Id;
export const Id: Codec<Id> = {
  name: 'Id',
  write(w: JuteWriter, v: Id): void {
    w.writeString(v.scheme);
    w.writeString(v.id);
  },
  read(r: JuteReader): Id {
    const scheme = r.readStringKnown('Id.scheme', 'world');
    return { scheme, id: scheme === 'world' ? r.readStringKnown('Id.id', 'anyone') : r.readString('Id.id') };
  },
};

export type ACL = T.ACL;
export const ACL: Codec<ACL> = {
  name: 'ACL',
  write(w: JuteWriter, v: ACL): void {
    w.writeInt(v.perms);
    Id.write(w, v.id);
  },
  read(r: JuteReader): ACL {
    return { perms: r.readInt('ACL.perms'), id: Id.read(r) };
  },
};

/** Smallest encoded ACL: perms + two empty strings. */
const ACL_MIN_SIZE = 12;

export type Stat = T.Stat;
/** Stat is fixed-size: 68 bytes on the wire. */
export const Stat: Codec<Stat> = {
  name: 'Stat',
  // Hot path (every read and write reply carries a Stat): one bounds check, direct DataView
  // stores. Longs are not range-checked here (a bigint outside int64 would wrap); times must be
  // safe integers.
  write(w: JuteWriter, v: Stat): void {
    const p = w.reserve(68);
    const dv = w.dataView;
    dv.setBigInt64(p, v.czxid);
    dv.setBigInt64(p + 8, v.mzxid);
    setLongNumber(dv, p + 16, v.ctime);
    setLongNumber(dv, p + 24, v.mtime);
    dv.setInt32(p + 32, v.version);
    dv.setInt32(p + 36, v.cversion);
    dv.setInt32(p + 40, v.aversion);
    dv.setBigInt64(p + 44, v.ephemeralOwner);
    dv.setInt32(p + 52, v.dataLength);
    dv.setInt32(p + 56, v.numChildren);
    dv.setBigInt64(p + 60, v.pzxid);
  },
  read(r: JuteReader): Stat {
    const p = r.advance(68, 'Stat');
    const dv = r.dataView;
    return {
      czxid: dv.getBigInt64(p),
      mzxid: dv.getBigInt64(p + 8),
      ctime: dv.getInt32(p + 16) * TWO_32 + dv.getUint32(p + 20),
      mtime: dv.getInt32(p + 24) * TWO_32 + dv.getUint32(p + 28),
      version: dv.getInt32(p + 32),
      cversion: dv.getInt32(p + 36),
      aversion: dv.getInt32(p + 40),
      ephemeralOwner: dv.getBigInt64(p + 44),
      dataLength: dv.getInt32(p + 52),
      numChildren: dv.getInt32(p + 56),
      pzxid: dv.getBigInt64(p + 60),
    };
  },
};
export const STAT_SIZE = 68;

export type StatPersisted = T.StatPersisted;
/** The snapshot form of Stat (no dataLength / numChildren): 60 bytes. */
export const StatPersisted: Codec<StatPersisted> = {
  name: 'StatPersisted',
  write(w: JuteWriter, v: StatPersisted): void {
    w.writeLong(v.czxid);
    w.writeLong(v.mzxid);
    w.writeLongNumber(v.ctime);
    w.writeLongNumber(v.mtime);
    w.writeInt(v.version);
    w.writeInt(v.cversion);
    w.writeInt(v.aversion);
    w.writeLong(v.ephemeralOwner);
    w.writeLong(v.pzxid);
  },
  read(r: JuteReader): StatPersisted {
    return {
      czxid: r.readLong('StatPersisted.czxid'),
      mzxid: r.readLong('StatPersisted.mzxid'),
      ctime: r.readLongNumber('StatPersisted.ctime'),
      mtime: r.readLongNumber('StatPersisted.mtime'),
      version: r.readInt('StatPersisted.version'),
      cversion: r.readInt('StatPersisted.cversion'),
      aversion: r.readInt('StatPersisted.aversion'),
      ephemeralOwner: r.readLong('StatPersisted.ephemeralOwner'),
      pzxid: r.readLong('StatPersisted.pzxid'),
    };
  },
};

export type ClientInfo = T.ClientInfo;
export const ClientInfo: Codec<ClientInfo> = {
  name: 'ClientInfo',
  write(w: JuteWriter, v: ClientInfo): void {
    w.writeString(v.authScheme);
    w.writeString(v.user);
  },
  read(r: JuteReader): ClientInfo {
    return { authScheme: r.readString('ClientInfo.authScheme'), user: r.readString('ClientInfo.user') };
  },
};

// ---- org.apache.zookeeper.proto: session handshake and headers ----

export type ConnectRequest = T.ConnectRequest;
/**
 * ConnectRequest plus the trailing `readOnly` byte that 3.4+ clients append (ClientCnxn.Packet.
 * createBB writes it after the record; ZooKeeperServer.processConnectRequest reads it if present).
 * `read` sets `readOnly` only when the byte is there (44 bytes without it, 45 with, for a 16-byte
 * passwd); `write` appends it only when `readOnly` is defined.
 */
export const ConnectRequest: Codec<ConnectRequest> = {
  name: 'ConnectRequest',
  write(w: JuteWriter, v: ConnectRequest): void {
    w.writeInt(v.protocolVersion);
    w.writeLong(v.lastZxidSeen);
    w.writeInt(v.timeOut);
    w.writeLong(v.sessionId);
    w.writeBuffer(v.passwd);
    if (v.readOnly !== undefined) w.writeBool(v.readOnly);
  },
  read(r: JuteReader): ConnectRequest {
    const v: ConnectRequest = {
      protocolVersion: r.readInt('ConnectRequest.protocolVersion'),
      lastZxidSeen: r.readLong('ConnectRequest.lastZxidSeen'),
      timeOut: r.readInt('ConnectRequest.timeOut'),
      sessionId: r.readLong('ConnectRequest.sessionId'),
      passwd: r.readBufferNonNull('ConnectRequest.passwd'),
    };
    if (r.remaining > 0) v.readOnly = r.readBool('ConnectRequest.readOnly');
    return v;
  },
};

export type ConnectResponse = T.ConnectResponse;
/**
 * ConnectResponse plus the optional trailing `readOnly` byte. ZooKeeperServer.finishSessionInit
 * writes it only when the client sent one (`!cnxn.isOldClient`): set `readOnly` iff the request had
 * it. 36 bytes without, 37 with, for a 16-byte passwd.
 */
export const ConnectResponse: Codec<ConnectResponse> = {
  name: 'ConnectResponse',
  write(w: JuteWriter, v: ConnectResponse): void {
    w.writeInt(v.protocolVersion);
    w.writeInt(v.timeOut);
    w.writeLong(v.sessionId);
    w.writeBuffer(v.passwd);
    if (v.readOnly !== undefined) w.writeBool(v.readOnly);
  },
  read(r: JuteReader): ConnectResponse {
    const v: ConnectResponse = {
      protocolVersion: r.readInt('ConnectResponse.protocolVersion'),
      timeOut: r.readInt('ConnectResponse.timeOut'),
      sessionId: r.readLong('ConnectResponse.sessionId'),
      passwd: r.readBufferNonNull('ConnectResponse.passwd'),
    };
    if (r.remaining > 0) v.readOnly = r.readBool('ConnectResponse.readOnly');
    return v;
  },
};

export type RequestHeader = T.RequestHeader;
export const RequestHeader: Codec<RequestHeader> = {
  name: 'RequestHeader',
  write(w: JuteWriter, v: RequestHeader): void {
    w.writeInt(v.xid);
    w.writeInt(v.type);
  },
  read(r: JuteReader): RequestHeader {
    return { xid: r.readInt('RequestHeader.xid'), type: r.readInt('RequestHeader.type') };
  },
};

export type ReplyHeader = T.ReplyHeader;
/** 16 bytes: xid, zxid, err. */
export const ReplyHeader: Codec<ReplyHeader> = {
  name: 'ReplyHeader',
  write(w: JuteWriter, v: ReplyHeader): void {
    w.writeInt(v.xid);
    w.writeLong(v.zxid);
    w.writeInt(v.err);
  },
  read(r: JuteReader): ReplyHeader {
    return { xid: r.readInt('ReplyHeader.xid'), zxid: r.readLong('ReplyHeader.zxid'), err: r.readInt('ReplyHeader.err') };
  },
};

export type MultiHeader = T.MultiHeader;
export const MultiHeader: Codec<MultiHeader> = {
  name: 'MultiHeader',
  write(w: JuteWriter, v: MultiHeader): void {
    w.writeInt(v.type);
    w.writeBool(v.done);
    w.writeInt(v.err);
  },
  read(r: JuteReader): MultiHeader {
    return { type: r.readInt('MultiHeader.type'), done: r.readBool('MultiHeader.done'), err: r.readInt('MultiHeader.err') };
  },
};

export type AuthPacket = T.AuthPacket;
export const AuthPacket: Codec<AuthPacket> = {
  name: 'AuthPacket',
  write(w: JuteWriter, v: AuthPacket): void {
    w.writeInt(v.type);
    w.writeString(v.scheme);
    w.writeBuffer(v.auth);
  },
  read(r: JuteReader): AuthPacket {
    return { type: r.readInt('AuthPacket.type'), scheme: r.readString('AuthPacket.scheme'), auth: r.readBuffer('AuthPacket.auth') };
  },
};

export type WatcherEvent = T.WatcherEvent;
export const WatcherEvent: Codec<WatcherEvent> = {
  name: 'WatcherEvent',
  write(w: JuteWriter, v: WatcherEvent): void {
    w.writeInt(v.type);
    w.writeInt(v.state);
    w.writeString(v.path);
  },
  read(r: JuteReader): WatcherEvent {
    return { type: r.readInt('WatcherEvent.type'), state: r.readInt('WatcherEvent.state'), path: r.readString('WatcherEvent.path') };
  },
};

export type SetWatches = T.SetWatches;
export const SetWatches: Codec<SetWatches> = {
  name: 'SetWatches',
  write(w: JuteWriter, v: SetWatches): void {
    w.writeLong(v.relativeZxid);
    w.writeStringVector(v.dataWatches);
    w.writeStringVector(v.existWatches);
    w.writeStringVector(v.childWatches);
  },
  read(r: JuteReader): SetWatches {
    return {
      relativeZxid: r.readLong('SetWatches.relativeZxid'),
      dataWatches: r.readStringVector('SetWatches.dataWatches'),
      existWatches: r.readStringVector('SetWatches.existWatches'),
      childWatches: r.readStringVector('SetWatches.childWatches'),
    };
  },
};

export type SetWatches2 = T.SetWatches2;
export const SetWatches2: Codec<SetWatches2> = {
  name: 'SetWatches2',
  write(w: JuteWriter, v: SetWatches2): void {
    w.writeLong(v.relativeZxid);
    w.writeStringVector(v.dataWatches);
    w.writeStringVector(v.existWatches);
    w.writeStringVector(v.childWatches);
    w.writeStringVector(v.persistentWatches);
    w.writeStringVector(v.persistentRecursiveWatches);
  },
  read(r: JuteReader): SetWatches2 {
    return {
      relativeZxid: r.readLong('SetWatches2.relativeZxid'),
      dataWatches: r.readStringVector('SetWatches2.dataWatches'),
      existWatches: r.readStringVector('SetWatches2.existWatches'),
      childWatches: r.readStringVector('SetWatches2.childWatches'),
      persistentWatches: r.readStringVector('SetWatches2.persistentWatches'),
      persistentRecursiveWatches: r.readStringVector('SetWatches2.persistentRecursiveWatches'),
    };
  },
};

// ---- requests ----

export type CreateRequest = T.CreateRequest;
export const CreateRequest: Codec<CreateRequest> = {
  name: 'CreateRequest',
  write(w: JuteWriter, v: CreateRequest): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.flags);
  },
  read(r: JuteReader): CreateRequest {
    return {
      path: r.readString('CreateRequest.path'),
      data: r.readBuffer('CreateRequest.data'),
      acl: r.readVector(ACL, 'CreateRequest.acl', ACL_MIN_SIZE),
      flags: r.readInt('CreateRequest.flags'),
    };
  },
};

export type CreateTTLRequest = T.CreateTTLRequest;
export const CreateTTLRequest: Codec<CreateTTLRequest> = {
  name: 'CreateTTLRequest',
  write(w: JuteWriter, v: CreateTTLRequest): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.flags);
    w.writeLongNumber(v.ttl);
  },
  read(r: JuteReader): CreateTTLRequest {
    return {
      path: r.readString('CreateTTLRequest.path'),
      data: r.readBuffer('CreateTTLRequest.data'),
      acl: r.readVector(ACL, 'CreateTTLRequest.acl', ACL_MIN_SIZE),
      flags: r.readInt('CreateTTLRequest.flags'),
      ttl: r.readLongNumber('CreateTTLRequest.ttl'),
    };
  },
};

export type DeleteRequest = T.DeleteRequest;
export const DeleteRequest: Codec<DeleteRequest> = {
  name: 'DeleteRequest',
  write(w: JuteWriter, v: DeleteRequest): void {
    w.writeString(v.path);
    w.writeInt(v.version);
  },
  read(r: JuteReader): DeleteRequest {
    return { path: r.readString('DeleteRequest.path'), version: r.readInt('DeleteRequest.version') };
  },
};

export type ExistsRequest = T.ExistsRequest;
export const ExistsRequest: Codec<ExistsRequest> = {
  name: 'ExistsRequest',
  write(w: JuteWriter, v: ExistsRequest): void {
    w.writeString(v.path);
    w.writeBool(v.watch);
  },
  read(r: JuteReader): ExistsRequest {
    return { path: r.readString('ExistsRequest.path'), watch: r.readBool('ExistsRequest.watch') };
  },
};

export type GetDataRequest = T.GetDataRequest;
export const GetDataRequest: Codec<GetDataRequest> = {
  name: 'GetDataRequest',
  write(w: JuteWriter, v: GetDataRequest): void {
    w.writeString(v.path);
    w.writeBool(v.watch);
  },
  read(r: JuteReader): GetDataRequest {
    return { path: r.readString('GetDataRequest.path'), watch: r.readBool('GetDataRequest.watch') };
  },
};

export type SetDataRequest = T.SetDataRequest;
export const SetDataRequest: Codec<SetDataRequest> = {
  name: 'SetDataRequest',
  write(w: JuteWriter, v: SetDataRequest): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeInt(v.version);
  },
  read(r: JuteReader): SetDataRequest {
    return {
      path: r.readString('SetDataRequest.path'),
      data: r.readBuffer('SetDataRequest.data'),
      version: r.readInt('SetDataRequest.version'),
    };
  },
};

export type GetACLRequest = T.GetACLRequest;
export const GetACLRequest: Codec<GetACLRequest> = {
  name: 'GetACLRequest',
  write(w: JuteWriter, v: GetACLRequest): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): GetACLRequest {
    return { path: r.readString('GetACLRequest.path') };
  },
};

export type SetACLRequest = T.SetACLRequest;
export const SetACLRequest: Codec<SetACLRequest> = {
  name: 'SetACLRequest',
  write(w: JuteWriter, v: SetACLRequest): void {
    w.writeString(v.path);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.version);
  },
  read(r: JuteReader): SetACLRequest {
    return {
      path: r.readString('SetACLRequest.path'),
      acl: r.readVector(ACL, 'SetACLRequest.acl', ACL_MIN_SIZE),
      version: r.readInt('SetACLRequest.version'),
    };
  },
};

export type GetChildrenRequest = T.GetChildrenRequest;
export const GetChildrenRequest: Codec<GetChildrenRequest> = {
  name: 'GetChildrenRequest',
  write(w: JuteWriter, v: GetChildrenRequest): void {
    w.writeString(v.path);
    w.writeBool(v.watch);
  },
  read(r: JuteReader): GetChildrenRequest {
    return { path: r.readString('GetChildrenRequest.path'), watch: r.readBool('GetChildrenRequest.watch') };
  },
};

export type GetChildren2Request = T.GetChildren2Request;
export const GetChildren2Request: Codec<GetChildren2Request> = {
  name: 'GetChildren2Request',
  write(w: JuteWriter, v: GetChildren2Request): void {
    w.writeString(v.path);
    w.writeBool(v.watch);
  },
  read(r: JuteReader): GetChildren2Request {
    return { path: r.readString('GetChildren2Request.path'), watch: r.readBool('GetChildren2Request.watch') };
  },
};

export type SyncRequest = T.SyncRequest;
export const SyncRequest: Codec<SyncRequest> = {
  name: 'SyncRequest',
  write(w: JuteWriter, v: SyncRequest): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): SyncRequest {
    return { path: r.readString('SyncRequest.path') };
  },
};

export type CheckVersionRequest = T.CheckVersionRequest;
export const CheckVersionRequest: Codec<CheckVersionRequest> = {
  name: 'CheckVersionRequest',
  write(w: JuteWriter, v: CheckVersionRequest): void {
    w.writeString(v.path);
    w.writeInt(v.version);
  },
  read(r: JuteReader): CheckVersionRequest {
    return { path: r.readString('CheckVersionRequest.path'), version: r.readInt('CheckVersionRequest.version') };
  },
};

export type GetAllChildrenNumberRequest = T.GetAllChildrenNumberRequest;
export const GetAllChildrenNumberRequest: Codec<GetAllChildrenNumberRequest> = {
  name: 'GetAllChildrenNumberRequest',
  write(w: JuteWriter, v: GetAllChildrenNumberRequest): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): GetAllChildrenNumberRequest {
    return { path: r.readString('GetAllChildrenNumberRequest.path') };
  },
};

export type GetEphemeralsRequest = T.GetEphemeralsRequest;
export const GetEphemeralsRequest: Codec<GetEphemeralsRequest> = {
  name: 'GetEphemeralsRequest',
  write(w: JuteWriter, v: GetEphemeralsRequest): void {
    w.writeString(v.prefixPath);
  },
  read(r: JuteReader): GetEphemeralsRequest {
    return { prefixPath: r.readString('GetEphemeralsRequest.prefixPath') };
  },
};

export type AddWatchRequest = T.AddWatchRequest;
export const AddWatchRequest: Codec<AddWatchRequest> = {
  name: 'AddWatchRequest',
  write(w: JuteWriter, v: AddWatchRequest): void {
    w.writeString(v.path);
    w.writeInt(v.mode);
  },
  read(r: JuteReader): AddWatchRequest {
    return { path: r.readString('AddWatchRequest.path'), mode: r.readInt('AddWatchRequest.mode') };
  },
};

export type CheckWatchesRequest = T.CheckWatchesRequest;
export const CheckWatchesRequest: Codec<CheckWatchesRequest> = {
  name: 'CheckWatchesRequest',
  write(w: JuteWriter, v: CheckWatchesRequest): void {
    w.writeString(v.path);
    w.writeInt(v.type);
  },
  read(r: JuteReader): CheckWatchesRequest {
    return { path: r.readString('CheckWatchesRequest.path'), type: r.readInt('CheckWatchesRequest.type') };
  },
};

export type RemoveWatchesRequest = T.RemoveWatchesRequest;
export const RemoveWatchesRequest: Codec<RemoveWatchesRequest> = {
  name: 'RemoveWatchesRequest',
  write(w: JuteWriter, v: RemoveWatchesRequest): void {
    w.writeString(v.path);
    w.writeInt(v.type);
  },
  read(r: JuteReader): RemoveWatchesRequest {
    return { path: r.readString('RemoveWatchesRequest.path'), type: r.readInt('RemoveWatchesRequest.type') };
  },
};

export type ReconfigRequest = T.ReconfigRequest;
export const ReconfigRequest: Codec<ReconfigRequest> = {
  name: 'ReconfigRequest',
  write(w: JuteWriter, v: ReconfigRequest): void {
    w.writeString(v.joiningServers);
    w.writeString(v.leavingServers);
    w.writeString(v.newMembers);
    w.writeLong(v.curConfigId);
  },
  read(r: JuteReader): ReconfigRequest {
    return {
      joiningServers: r.readNullableString('ReconfigRequest.joiningServers'),
      leavingServers: r.readNullableString('ReconfigRequest.leavingServers'),
      newMembers: r.readNullableString('ReconfigRequest.newMembers'),
      curConfigId: r.readLong('ReconfigRequest.curConfigId'),
    };
  },
};

export type GetSASLRequest = T.GetSASLRequest;
export const GetSASLRequest: Codec<GetSASLRequest> = {
  name: 'GetSASLRequest',
  write(w: JuteWriter, v: GetSASLRequest): void {
    w.writeBuffer(v.token);
  },
  read(r: JuteReader): GetSASLRequest {
    return { token: r.readBuffer('GetSASLRequest.token') };
  },
};

// ---- responses ----

export type CreateResponse = T.CreateResponse;
export const CreateResponse: Codec<CreateResponse> = {
  name: 'CreateResponse',
  write(w: JuteWriter, v: CreateResponse): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): CreateResponse {
    return { path: r.readString('CreateResponse.path') };
  },
};

export type Create2Response = T.Create2Response;
export const Create2Response: Codec<Create2Response> = {
  name: 'Create2Response',
  write(w: JuteWriter, v: Create2Response): void {
    w.writeString(v.path);
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): Create2Response {
    return { path: r.readString('Create2Response.path'), stat: Stat.read(r) };
  },
};

export type ExistsResponse = T.ExistsResponse;
export const ExistsResponse: Codec<ExistsResponse> = {
  name: 'ExistsResponse',
  write(w: JuteWriter, v: ExistsResponse): void {
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): ExistsResponse {
    return { stat: Stat.read(r) };
  },
};

export type GetDataResponse = T.GetDataResponse;
export const GetDataResponse: Codec<GetDataResponse> = {
  name: 'GetDataResponse',
  write(w: JuteWriter, v: GetDataResponse): void {
    w.writeBuffer(v.data);
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): GetDataResponse {
    return { data: r.readBuffer('GetDataResponse.data'), stat: Stat.read(r) };
  },
};

export type SetDataResponse = T.SetDataResponse;
export const SetDataResponse: Codec<SetDataResponse> = {
  name: 'SetDataResponse',
  write(w: JuteWriter, v: SetDataResponse): void {
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): SetDataResponse {
    return { stat: Stat.read(r) };
  },
};

export type GetACLResponse = T.GetACLResponse;
export const GetACLResponse: Codec<GetACLResponse> = {
  name: 'GetACLResponse',
  write(w: JuteWriter, v: GetACLResponse): void {
    w.writeVector(v.acl, ACL);
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): GetACLResponse {
    return { acl: r.readVector(ACL, 'GetACLResponse.acl', ACL_MIN_SIZE), stat: Stat.read(r) };
  },
};

export type SetACLResponse = T.SetACLResponse;
export const SetACLResponse: Codec<SetACLResponse> = {
  name: 'SetACLResponse',
  write(w: JuteWriter, v: SetACLResponse): void {
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): SetACLResponse {
    return { stat: Stat.read(r) };
  },
};

export type GetChildrenResponse = T.GetChildrenResponse;
export const GetChildrenResponse: Codec<GetChildrenResponse> = {
  name: 'GetChildrenResponse',
  write(w: JuteWriter, v: GetChildrenResponse): void {
    w.writeStringVector(v.children);
  },
  read(r: JuteReader): GetChildrenResponse {
    return { children: r.readStringVector('GetChildrenResponse.children') };
  },
};

export type GetChildren2Response = T.GetChildren2Response;
export const GetChildren2Response: Codec<GetChildren2Response> = {
  name: 'GetChildren2Response',
  write(w: JuteWriter, v: GetChildren2Response): void {
    w.writeStringVector(v.children);
    Stat.write(w, v.stat);
  },
  read(r: JuteReader): GetChildren2Response {
    return { children: r.readStringVector('GetChildren2Response.children'), stat: Stat.read(r) };
  },
};

export type SyncResponse = T.SyncResponse;
export const SyncResponse: Codec<SyncResponse> = {
  name: 'SyncResponse',
  write(w: JuteWriter, v: SyncResponse): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): SyncResponse {
    return { path: r.readString('SyncResponse.path') };
  },
};

export type GetAllChildrenNumberResponse = T.GetAllChildrenNumberResponse;
export const GetAllChildrenNumberResponse: Codec<GetAllChildrenNumberResponse> = {
  name: 'GetAllChildrenNumberResponse',
  write(w: JuteWriter, v: GetAllChildrenNumberResponse): void {
    w.writeInt(v.totalNumber);
  },
  read(r: JuteReader): GetAllChildrenNumberResponse {
    return { totalNumber: r.readInt('GetAllChildrenNumberResponse.totalNumber') };
  },
};

export type GetEphemeralsResponse = T.GetEphemeralsResponse;
export const GetEphemeralsResponse: Codec<GetEphemeralsResponse> = {
  name: 'GetEphemeralsResponse',
  write(w: JuteWriter, v: GetEphemeralsResponse): void {
    w.writeStringVector(v.ephemerals);
  },
  read(r: JuteReader): GetEphemeralsResponse {
    return { ephemerals: r.readStringVector('GetEphemeralsResponse.ephemerals') };
  },
};

export type WhoAmIResponse = T.WhoAmIResponse;
export const WhoAmIResponse: Codec<WhoAmIResponse> = {
  name: 'WhoAmIResponse',
  write(w: JuteWriter, v: WhoAmIResponse): void {
    w.writeVector(v.clientInfo, ClientInfo);
  },
  read(r: JuteReader): WhoAmIResponse {
    return { clientInfo: r.readVector(ClientInfo, 'WhoAmIResponse.clientInfo', 8) };
  },
};

export type SetSASLResponse = T.SetSASLResponse;
export const SetSASLResponse: Codec<SetSASLResponse> = {
  name: 'SetSASLResponse',
  write(w: JuteWriter, v: SetSASLResponse): void {
    w.writeBuffer(v.token);
  },
  read(r: JuteReader): SetSASLResponse {
    return { token: r.readBuffer('SetSASLResponse.token') };
  },
};

export type ErrorResponse = T.ErrorResponse;
export const ErrorResponse: Codec<ErrorResponse> = {
  name: 'ErrorResponse',
  write(w: JuteWriter, v: ErrorResponse): void {
    w.writeInt(v.err);
  },
  read(r: JuteReader): ErrorResponse {
    return { err: r.readInt('ErrorResponse.err') };
  },
};

// ---- org.apache.zookeeper.txn ----

export type TxnHeader = T.TxnHeader;
/** 28 bytes: clientId, cxid, zxid, time, type. */
export const TxnHeader: Codec<TxnHeader> = {
  name: 'TxnHeader',
  write(w: JuteWriter, v: TxnHeader): void {
    w.writeLong(v.clientId);
    w.writeInt(v.cxid);
    w.writeLong(v.zxid);
    w.writeLongNumber(v.time);
    w.writeInt(v.type);
  },
  read(r: JuteReader): TxnHeader {
    return {
      clientId: r.readLong('TxnHeader.clientId'),
      cxid: r.readInt('TxnHeader.cxid'),
      zxid: r.readLong('TxnHeader.zxid'),
      time: r.readLongNumber('TxnHeader.time'),
      type: r.readInt('TxnHeader.type'),
    };
  },
};

export type TxnDigest = T.TxnDigest;
export const TxnDigest: Codec<TxnDigest> = {
  name: 'TxnDigest',
  write(w: JuteWriter, v: TxnDigest): void {
    w.writeInt(v.version);
    w.writeLong(v.treeDigest);
  },
  read(r: JuteReader): TxnDigest {
    return { version: r.readInt('TxnDigest.version'), treeDigest: r.readLong('TxnDigest.treeDigest') };
  },
};

export type CreateTxn = T.CreateTxn;
export const CreateTxn: Codec<CreateTxn> = {
  name: 'CreateTxn',
  write(w: JuteWriter, v: CreateTxn): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeVector(v.acl, ACL);
    w.writeBool(v.ephemeral);
    w.writeInt(v.parentCVersion);
  },
  read(r: JuteReader): CreateTxn {
    return {
      path: r.readString('CreateTxn.path'),
      data: r.readBuffer('CreateTxn.data'),
      acl: r.readVector(ACL, 'CreateTxn.acl', ACL_MIN_SIZE),
      ephemeral: r.readBool('CreateTxn.ephemeral'),
      parentCVersion: r.readInt('CreateTxn.parentCVersion'),
    };
  },
};

export type CreateContainerTxn = T.CreateContainerTxn;
export const CreateContainerTxn: Codec<CreateContainerTxn> = {
  name: 'CreateContainerTxn',
  write(w: JuteWriter, v: CreateContainerTxn): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.parentCVersion);
  },
  read(r: JuteReader): CreateContainerTxn {
    return {
      path: r.readString('CreateContainerTxn.path'),
      data: r.readBuffer('CreateContainerTxn.data'),
      acl: r.readVector(ACL, 'CreateContainerTxn.acl', ACL_MIN_SIZE),
      parentCVersion: r.readInt('CreateContainerTxn.parentCVersion'),
    };
  },
};

export type CreateTTLTxn = T.CreateTTLTxn;
export const CreateTTLTxn: Codec<CreateTTLTxn> = {
  name: 'CreateTTLTxn',
  write(w: JuteWriter, v: CreateTTLTxn): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.parentCVersion);
    w.writeLongNumber(v.ttl);
  },
  read(r: JuteReader): CreateTTLTxn {
    return {
      path: r.readString('CreateTTLTxn.path'),
      data: r.readBuffer('CreateTTLTxn.data'),
      acl: r.readVector(ACL, 'CreateTTLTxn.acl', ACL_MIN_SIZE),
      parentCVersion: r.readInt('CreateTTLTxn.parentCVersion'),
      ttl: r.readLongNumber('CreateTTLTxn.ttl'),
    };
  },
};

export type DeleteTxn = T.DeleteTxn;
export const DeleteTxn: Codec<DeleteTxn> = {
  name: 'DeleteTxn',
  write(w: JuteWriter, v: DeleteTxn): void {
    w.writeString(v.path);
  },
  read(r: JuteReader): DeleteTxn {
    return { path: r.readString('DeleteTxn.path') };
  },
};

export type SetDataTxn = T.SetDataTxn;
export const SetDataTxn: Codec<SetDataTxn> = {
  name: 'SetDataTxn',
  write(w: JuteWriter, v: SetDataTxn): void {
    w.writeString(v.path);
    w.writeBuffer(v.data);
    w.writeInt(v.version);
  },
  read(r: JuteReader): SetDataTxn {
    return { path: r.readString('SetDataTxn.path'), data: r.readBuffer('SetDataTxn.data'), version: r.readInt('SetDataTxn.version') };
  },
};

export type CheckVersionTxn = T.CheckVersionTxn;
export const CheckVersionTxn: Codec<CheckVersionTxn> = {
  name: 'CheckVersionTxn',
  write(w: JuteWriter, v: CheckVersionTxn): void {
    w.writeString(v.path);
    w.writeInt(v.version);
  },
  read(r: JuteReader): CheckVersionTxn {
    return { path: r.readString('CheckVersionTxn.path'), version: r.readInt('CheckVersionTxn.version') };
  },
};

export type SetACLTxn = T.SetACLTxn;
export const SetACLTxn: Codec<SetACLTxn> = {
  name: 'SetACLTxn',
  write(w: JuteWriter, v: SetACLTxn): void {
    w.writeString(v.path);
    w.writeVector(v.acl, ACL);
    w.writeInt(v.version);
  },
  read(r: JuteReader): SetACLTxn {
    return {
      path: r.readString('SetACLTxn.path'),
      acl: r.readVector(ACL, 'SetACLTxn.acl', ACL_MIN_SIZE),
      version: r.readInt('SetACLTxn.version'),
    };
  },
};

export type CreateSessionTxn = T.CreateSessionTxn;
export const CreateSessionTxn: Codec<CreateSessionTxn> = {
  name: 'CreateSessionTxn',
  write(w: JuteWriter, v: CreateSessionTxn): void {
    w.writeInt(v.timeOut);
  },
  read(r: JuteReader): CreateSessionTxn {
    return { timeOut: r.readInt('CreateSessionTxn.timeOut') };
  },
};

export type CloseSessionTxn = T.CloseSessionTxn;
export const CloseSessionTxn: Codec<CloseSessionTxn> = {
  name: 'CloseSessionTxn',
  write(w: JuteWriter, v: CloseSessionTxn): void {
    w.writeStringVector(v.paths2Delete);
  },
  read(r: JuteReader): CloseSessionTxn {
    return { paths2Delete: r.readStringVector('CloseSessionTxn.paths2Delete') };
  },
};

export type ErrorTxn = T.ErrorTxn;
export const ErrorTxn: Codec<ErrorTxn> = {
  name: 'ErrorTxn',
  write(w: JuteWriter, v: ErrorTxn): void {
    w.writeInt(v.err);
  },
  read(r: JuteReader): ErrorTxn {
    return { err: r.readInt('ErrorTxn.err') };
  },
};
