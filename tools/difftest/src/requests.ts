// Request builders: each returns a Req, a self-describing request (opcode, default xid, body
// encoder, reply decoder, and a one-line summary for the transcript). Paths in a Req are
// case-relative (see resolvePath) and are resolved only when the request is encoded.

import {
  AddWatchRequest, AuthPacket, CheckVersionRequest, CheckWatchesRequest, CreateRequest, CreateTTLRequest, DeleteRequest,
  ExistsRequest, GetACLRequest, GetAllChildrenNumberRequest, GetChildren2Request, GetChildrenRequest, GetDataRequest,
  GetEphemeralsRequest, GetSASLRequest, MultiHeader, ReconfigRequest, RemoveWatchesRequest, SetACLRequest, SetDataRequest,
  SetWatches, SetWatches2, SyncRequest, type ACL,
} from '@zk/protocol';
import { DecodeError, Reader, Writer } from './wire.js';

// The records are written with @zk/protocol's codecs. Their types say `string` / `ACL[]`, but the
// writers accept null (written as -1), which malformed-input cases need: hence the casts.
const S = (p: string | null): string => p as string;
const A = (a: ACL[] | null): ACL[] => a as ACL[];
const L = (l: Array<string | null>): string[] => l as string[];

export const Op = {
  create: 1, delete: 2, exists: 3, getData: 4, setData: 5, getACL: 6, setACL: 7, getChildren: 8,
  sync: 9, ping: 11, getChildren2: 12, check: 13, multi: 14, create2: 15, reconfig: 16,
  checkWatches: 17, removeWatches: 18, createContainer: 19, deleteContainer: 20, createTTL: 21,
  multiRead: 22, auth: 100, setWatches: 101, sasl: 102, getEphemerals: 103, getAllChildrenNumber: 104,
  setWatches2: 105, addWatch: 106, whoAmI: 107, createSession: -10, closeSession: -11, error: -1,
} as const;

export const OP_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Op).map(([k, v]) => [v, k]));

export const Mode = {
  PERSISTENT: 0, EPHEMERAL: 1, PERSISTENT_SEQUENTIAL: 2, EPHEMERAL_SEQUENTIAL: 3, CONTAINER: 4,
  PERSISTENT_WITH_TTL: 5, PERSISTENT_SEQUENTIAL_WITH_TTL: 6,
} as const;
export const MODE_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Mode).map(([k, v]) => [v, k]));

export const Perm = { READ: 1, WRITE: 2, CREATE: 4, DELETE: 8, ADMIN: 16, ALL: 31 } as const;

export const OPEN_ACL_UNSAFE: ACL[] = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
export const READ_ACL_UNSAFE: ACL[] = [{ perms: 1, id: { scheme: 'world', id: 'anyone' } }];
export const CREATOR_ALL_ACL: ACL[] = [{ perms: 31, id: { scheme: 'auth', id: '' } }];

export function acl(perms: number, scheme: string, id: string): ACL {
  return { perms, id: { scheme, id } };
}

export type Data = string | Uint8Array | null;

/**
 * Resolves a case-relative path: "/x" -> root + "/x", "/" -> root, "!p" -> p verbatim, NULL_PATH ->
 * a null ustring, anything else verbatim (invalid paths).
 */
export type PathResolver = (p: string) => string | null;

/** Sentinel path that is sent as a null ustring (length -1). */
export const NULL_PATH = '\u0000<null>';

export interface Req {
  op: number;
  /** xid to send (undefined: the session's next counter value). */
  xid?: number;
  summary: string;
  encode(w: Writer, resolve: PathResolver): void;
  /** Decode a reply body (called only when the body is non-empty). */
  decode(r: Reader): unknown;
}

// ---- formatting helpers for summaries ----

/** A path for a summary: verbatim when plain, JSON-quoted when it has odd characters. */
export function fp(p: string): string {
  if (p === NULL_PATH) return '<null>';
  return /^[\x21-\x7e]+$/.test(p) ? p : JSON.stringify(p);
}

export function fmtData(d: Data): string {
  if (d === null) return 'null';
  const b = typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d);
  return fmtBytes(b);
}

export function fmtBytes(b: Uint8Array | null): string {
  if (b === null) return 'null';
  const buf = Buffer.from(b);
  if (buf.length > 48) {
    return `<${buf.length}B ${buf.subarray(0, 8).toString('hex')}..>`;
  }
  const s = buf.toString('utf8');
  if (/^[\x20-\x7e]*$/.test(s) && Buffer.from(s, 'utf8').equals(buf)) return JSON.stringify(s);
  return `0x${buf.toString('hex')}`;
}

export function permString(p: number): string {
  const letters = ['r', 'w', 'c', 'd', 'a'];
  let s = '';
  for (let i = 0; i < 5; i++) if (p & (1 << i)) s += letters[i];
  const extra = p & ~31;
  return (s || '-') + (extra ? `+0x${(extra >>> 0).toString(16)}` : '');
}

export function fmtAcl(a: ACL[] | null): string {
  if (a === null) return 'null';
  return '[' + a.map((x) => `${x.id.scheme}:${x.id.id}=${permString(x.perms)}`).join(',') + ']';
}

function dataBytes(d: Data): Uint8Array | null {
  if (d === null) return null;
  return typeof d === 'string' ? Buffer.from(d, 'utf8') : d;
}

function modeName(m: number): string {
  return MODE_NAMES[m] ?? `mode(${m})`;
}

// ---- reply decoders ----

const none = (): unknown => ({});
const decStat = (r: Reader): unknown => ({ stat: r.stat() });
const decCreate = (r: Reader): unknown => ({ path: r.string() });
const decCreate2 = (r: Reader): unknown => ({ path: r.string(), stat: r.stat() });
const decGetData = (r: Reader): unknown => ({ data: fmtBytes(r.buffer()), stat: r.stat() });
const decChildren = (r: Reader): unknown => ({ children: r.strings() });
const decChildren2 = (r: Reader): unknown => ({ children: r.strings(), stat: r.stat() });
const decAcl = (r: Reader): unknown => ({ acl: fmtAcl(r.acls()), stat: r.stat() });
const decPath = (r: Reader): unknown => ({ path: r.string() });

const hexBody = (r: Reader): unknown => {
  const bytes = `0x${r.buf.subarray(r.pos).toString('hex')}`;
  r.pos = r.buf.length;
  return { bytes };
};

/** The response record of each opcode (FinalRequestProcessor), for replies to raw requests. */
const REPLY_DECODERS: Record<number, (r: Reader) => unknown> = {
  1: decCreate, 15: decCreate2, 19: decCreate2, 21: decCreate2, 2: none, 3: decStat, 4: decGetData,
  5: decStat, 6: decAcl, 7: decStat, 8: decChildren, 9: decPath, 11: none, 12: decChildren2, 13: none,
  14: (r) => ({ results: decodeMultiResults(r) }), 16: decGetData, 17: none, 18: none,
  22: (r) => ({ results: decodeMultiResults(r) }), 100: none, 101: none, 102: (r) => ({ token: fmtBytes(r.buffer()) }),
  103: (r) => ({ ephemerals: r.strings() }), 104: (r) => ({ totalNumber: r.int() }), 105: none, 106: (r) => ({ errorResponse: r.int() }),
  107: (r) => {
    const n = r.int();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(`${r.string()}:${r.string()}`);
    return { clientInfo: out };
  },
  [-11]: none,
};

export interface MultiOp {
  op: number;
  summary: string;
  encode(w: Writer, resolve: PathResolver): void;
}

export function decodeMultiResults(r: Reader): unknown[] {
  const out: unknown[] = [];
  for (;;) {
    const type = r.int();
    const done = r.bool();
    const err = r.int();
    if (done) {
      if (type !== -1 || err !== -1) out.push({ end: { type, err } });
      break;
    }
    const name = OP_NAMES[type] ?? `op(${type})`;
    switch (type) {
      case Op.create:
        out.push({ op: name, err, path: r.string() });
        break;
      case Op.create2:
      case Op.createContainer:
      case Op.createTTL:
        out.push({ op: name, err, path: r.string(), stat: r.stat() });
        break;
      case Op.delete:
      case Op.check:
        out.push({ op: name, err });
        break;
      case Op.setData:
        out.push({ op: name, err, stat: r.stat() });
        break;
      case Op.getData:
        out.push({ op: name, err, data: fmtBytes(r.buffer()), stat: r.stat() });
        break;
      case Op.getChildren:
        out.push({ op: name, err, children: r.strings() });
        break;
      case Op.error:
        out.push({ op: 'error', err, errBody: r.int() });
        break;
      default:
        throw new DecodeError(`multi result of unknown type ${type}`);
    }
  }
  return out;
}

// ---- request builders ----

export interface CreateOpts {
  acl?: ACL[] | null;
  mode?: number;
}

function createLike(op: number, name: string, path: string, data: Data, o: CreateOpts, ttl?: bigint): Req & MultiOp {
  const aclv = o.acl === undefined ? OPEN_ACL_UNSAFE : o.acl;
  const mode = o.mode ?? (op === Op.createContainer ? Mode.CONTAINER : Mode.PERSISTENT);
  return {
    op,
    summary: `${name} ${fp(path)} ${fmtData(data)} ${fmtAcl(aclv)} ${modeName(mode)}${ttl !== undefined ? ` ttl=${ttl}` : ''}`,
    encode(w, res) {
      if (ttl !== undefined) w.record(CreateTTLRequest, { path: S(res(path)), data: dataBytes(data), acl: A(aclv), flags: mode, ttl: Number(ttl) });
      else w.record(CreateRequest, { path: S(res(path)), data: dataBytes(data), acl: A(aclv), flags: mode });
    },
    decode: op === Op.create ? decCreate : decCreate2,
  };
}

const pathReq = (op: number, name: string, path: string, decode: (r: Reader) => unknown): Req => ({
  op,
  summary: `${name} ${fp(path)}`,
  // GetACLRequest, SyncRequest and GetAllChildrenNumberRequest are all { ustring path }.
  encode: (w, res) =>
    void w.record(op === Op.getACL ? GetACLRequest : op === Op.sync ? SyncRequest : GetAllChildrenNumberRequest, { path: S(res(path)) }),
  decode,
});

const watchReq = (op: number, name: string, path: string, watch: boolean, decode: (r: Reader) => unknown): Req & MultiOp => ({
  op,
  summary: `${name} ${fp(path)}${watch ? ' watch' : ''}`,
  // ExistsRequest, GetDataRequest, GetChildrenRequest, GetChildren2Request are all { path, watch }.
  encode: (w, res) =>
    void w.record(
      op === Op.exists ? ExistsRequest : op === Op.getData ? GetDataRequest : op === Op.getChildren ? GetChildrenRequest : GetChildren2Request,
      { path: S(res(path)), watch },
    ),
  decode,
});

export const R = {
  create: (path: string, data: Data = '', o: CreateOpts = {}) => createLike(Op.create, 'create', path, data, o),
  create2: (path: string, data: Data = '', o: CreateOpts = {}) => createLike(Op.create2, 'create2', path, data, o),
  createContainer: (path: string, data: Data = '', o: CreateOpts = {}) => createLike(Op.createContainer, 'createContainer', path, data, o),
  createTTL: (path: string, data: Data, ttl: bigint | number, o: CreateOpts = {}) =>
    createLike(Op.createTTL, 'createTTL', path, data, { mode: Mode.PERSISTENT_WITH_TTL, ...o }, BigInt(ttl)),
  delete: (path: string, version = -1): Req & MultiOp => ({
    op: Op.delete,
    summary: `delete ${fp(path)} v=${version}`,
    encode: (w, res) => void w.record(DeleteRequest, { path: S(res(path)), version }),
    decode: none,
  }),
  exists: (path: string, watch = false) => watchReq(Op.exists, 'exists', path, watch, decStat),
  getData: (path: string, watch = false) => watchReq(Op.getData, 'getData', path, watch, decGetData),
  setData: (path: string, data: Data, version = -1): Req & MultiOp => ({
    op: Op.setData,
    summary: `setData ${fp(path)} ${fmtData(data)} v=${version}`,
    encode: (w, res) => void w.record(SetDataRequest, { path: S(res(path)), data: dataBytes(data), version }),
    decode: decStat,
  }),
  getACL: (path: string) => pathReq(Op.getACL, 'getACL', path, decAcl),
  setACL: (path: string, aclv: ACL[] | null, version = -1): Req => ({
    op: Op.setACL,
    summary: `setACL ${fp(path)} ${fmtAcl(aclv)} v=${version}`,
    encode: (w, res) => void w.record(SetACLRequest, { path: S(res(path)), acl: A(aclv), version }),
    decode: decStat,
  }),
  getChildren: (path: string, watch = false) => watchReq(Op.getChildren, 'getChildren', path, watch, decChildren),
  getChildren2: (path: string, watch = false) => watchReq(Op.getChildren2, 'getChildren2', path, watch, decChildren2),
  sync: (path: string) => pathReq(Op.sync, 'sync', path, decPath),
  check: (path: string, version: number): Req & MultiOp => ({
    op: Op.check,
    summary: `check ${fp(path)} v=${version}`,
    encode: (w, res) => void w.record(CheckVersionRequest, { path: S(res(path)), version }),
    decode: none,
  }),
  multi: (ops: MultiOp[]): Req => multiLike(Op.multi, 'multi', ops),
  multiRead: (ops: MultiOp[]): Req => multiLike(Op.multiRead, 'multiRead', ops),
  reconfig: (joining: string | null, leaving: string | null, newMembers: string | null, curConfigId: bigint): Req => ({
    op: Op.reconfig,
    summary: `reconfig join=${joining} leave=${leaving} members=${newMembers} cfg=${curConfigId}`,
    encode: (w) =>
      void w.record(ReconfigRequest, { joiningServers: S(joining), leavingServers: S(leaving), newMembers: S(newMembers), curConfigId }),
    decode: decGetData,
  }),
  checkWatches: (path: string, type: number): Req => ({
    op: Op.checkWatches,
    summary: `checkWatches ${fp(path)} type=${type}`,
    encode: (w, res) => void w.record(CheckWatchesRequest, { path: S(res(path)), type }),
    decode: none,
  }),
  removeWatches: (path: string, type: number): Req => ({
    op: Op.removeWatches,
    summary: `removeWatches ${fp(path)} type=${type}`,
    encode: (w, res) => void w.record(RemoveWatchesRequest, { path: S(res(path)), type }),
    decode: none,
  }),
  auth: (scheme: string, auth: Data, type = 0): Req => ({
    op: Op.auth,
    xid: -4,
    summary: `auth ${scheme} ${fmtData(auth)}`,
    encode: (w) => void w.record(AuthPacket, { type, scheme, auth: dataBytes(auth) }),
    decode: none,
  }),
  setWatches: (relativeZxid: bigint, data: string[], exist: string[], child: string[]): Req => ({
    op: Op.setWatches,
    xid: -8,
    summary: `setWatches data=${data.map(fp).join(',')} exist=${exist.map(fp).join(',')} child=${child.map(fp).join(',')}`,
    encode: (w, res) =>
      void w.record(SetWatches, { relativeZxid, dataWatches: L(data.map(res)), existWatches: L(exist.map(res)), childWatches: L(child.map(res)) }),
    decode: none,
  }),
  setWatches2: (relativeZxid: bigint, data: string[], exist: string[], child: string[], persistent: string[], recursive: string[]): Req => ({
    op: Op.setWatches2,
    xid: -8,
    summary: `setWatches2 data=${data.map(fp).join(',')} exist=${exist.map(fp).join(',')} child=${child.map(fp).join(',')} persistent=${persistent.map(fp).join(',')} recursive=${recursive.map(fp).join(',')}`,
    encode: (w, res) =>
      void w.record(SetWatches2, {
        relativeZxid,
        dataWatches: L(data.map(res)),
        existWatches: L(exist.map(res)),
        childWatches: L(child.map(res)),
        persistentWatches: L(persistent.map(res)),
        persistentRecursiveWatches: L(recursive.map(res)),
      }),
    decode: none,
  }),
  sasl: (token: Data): Req => ({
    op: Op.sasl,
    summary: `sasl ${fmtData(token)}`,
    encode: (w) => void w.record(GetSASLRequest, { token: dataBytes(token) }),
    decode: (r) => ({ token: fmtBytes(r.buffer()) }),
  }),
  getEphemerals: (prefix: string): Req => ({
    op: Op.getEphemerals,
    summary: `getEphemerals ${fp(prefix)}`,
    encode: (w, res) => void w.record(GetEphemeralsRequest, { prefixPath: S(res(prefix)) }),
    decode: (r) => ({ ephemerals: r.strings() }),
  }),
  getAllChildrenNumber: (path: string): Req => pathReq(Op.getAllChildrenNumber, 'getAllChildrenNumber', path, (r) => ({ totalNumber: r.int() })),
  addWatch: (path: string, mode: number): Req => ({
    op: Op.addWatch,
    summary: `addWatch ${fp(path)} ${mode === 0 ? 'PERSISTENT' : mode === 1 ? 'PERSISTENT_RECURSIVE' : `mode(${mode})`}`,
    encode: (w, res) => void w.record(AddWatchRequest, { path: S(res(path)), mode }),
    // ZooKeeper answers addWatch with an ErrorResponse record (int err) in the body.
    decode: (r) => ({ errorResponse: r.int() }),
  }),
  whoAmI: (): Req => ({
    op: Op.whoAmI,
    summary: 'whoAmI',
    encode: () => undefined,
    decode: (r) => {
      const n = r.int();
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(`${r.string()}:${r.string()}`);
      return { clientInfo: out };
    },
  }),
  closeSession: (): Req => ({ op: Op.closeSession, summary: 'closeSession', encode: () => undefined, decode: none }),
  ping: (): Req => ({ op: Op.ping, xid: -2, summary: 'ping', encode: () => undefined, decode: none }),
  /**
   * Any opcode with a hand-made body (bytes sent verbatim after the RequestHeader); the reply is
   * decoded as that opcode's response record, or shown as hex for opcodes without one.
   */
  raw: (op: number, body: Uint8Array, summary?: string, decode?: (r: Reader) => unknown): Req => ({
    op,
    summary: summary ?? `raw op=${op} body=0x${Buffer.from(body).toString('hex')}`,
    encode: (w) => void w.raw(body),
    decode: decode ?? REPLY_DECODERS[op] ?? hexBody,
  }),
  /** Same request, another xid. */
  withXid: (req: Req, xid: number): Req => ({ ...req, xid, summary: `${req.summary} xid=${xid}` }),
};

function multiLike(op: number, name: string, ops: MultiOp[]): Req {
  return {
    op,
    summary: `${name} [${ops.map((o) => o.summary).join('; ')}]`,
    encode(w, res) {
      for (const o of ops) {
        w.record(MultiHeader, { type: o.op, done: false, err: -1 });
        o.encode(w, res);
      }
      w.record(MultiHeader, { type: -1, done: true, err: -1 });
    },
    decode: (r) => ({ results: decodeMultiResults(r) }),
  };
}
