import {
  AddWatchMode, ErrorCode, Perms, ErrorResponse, ExistsResponse, GetACLResponse, GetAllChildrenNumberResponse,
  GetChildren2Response, GetChildrenResponse, GetDataResponse, GetEphemeralsResponse, OpCode, SetSASLResponse, SyncResponse,
  WatcherType, WhoAmIResponse, Xid, writeMultiResponse,
  type AddWatchRequest, type CheckWatchesRequest, type Codec, type GetChildrenRequest, type GetDataRequest,
  type MultiOp, type MultiResult, type Id, type SetWatches2, type Stat,
} from '@zk/protocol';
import { checkAcl, redactDigests } from '@zk/datatree';
import { setWatches } from '@zk/watch-manager';
import type { ClientConnection } from './client-connection.js';
import type { Request } from './request.js';
import type { ServerCore } from './server-core.js';

/** A read failed with a KeeperException code. */
class ReadError {
  constructor(readonly code: number) {}
}

/**
 * Answers a request that does not change the tree (FinalRequestProcessor's read cases), from the
 * local tree, in the session's order. Watches are registered before the reply is written, so the
 * client never misses a change that follows its read.
 */
export function serveRead(core: ServerCore, req: Request): void {
  const c = req.conn;
  if (c === undefined || !c.isOpen) return;
  const zxid = core.lastZxid();
  if (req.type === OpCode.ping) {
    c.reply(undefined, Xid.PING, zxid, ErrorCode.OK);
    return;
  }
  if (req.rejected !== undefined || req.body === undefined) {
    c.reply(req, req.xid, zxid, req.rejected ?? ErrorCode.MARSHALLINGERROR);
    return;
  }
  const mark = c.mark();
  try {
    answer(core, c, req, zxid);
  } catch (e) {
    c.rollback(mark);
    if (!(e instanceof ReadError)) {
      // FinalRequestProcessor's catch-all: an unprocessable request is MARSHALLINGERROR.
      core.logger.error('failed to answer request', { type: req.type, remote: c.remote, error: String(e) });
      c.reply(req, req.xid, zxid, ErrorCode.MARSHALLINGERROR);
      return;
    }
    c.reply(req, req.xid, zxid, e.code);
  }
}

/** Writes the successful reply for `req`, or throws ReadError before writing anything. */
function answer(core: ServerCore, c: ClientConnection, req: Request, zxid: bigint): void {
  const ok = <T>(codec: Codec<T> | null, body?: T): void => c.reply(req, req.xid, zxid, 0, codec, body);
  const tree = core.tree;
  switch (req.type) {
    case OpCode.exists: {
      const { path, watch } = req.body as { path: string; watch: boolean };
      if (path.includes('\0')) throw new ReadError(ErrorCode.BADARGUMENTS);
      if (watch) core.watches.addDataWatch(path, c);
      const stat = tree.stat(path);
      if (stat === null) throw new ReadError(ErrorCode.NONODE);
      return ok(ExistsResponse, { stat });
    }
    case OpCode.getData:
      return ok(GetDataResponse, getData(core, c, req.body as GetDataRequest));
    case OpCode.getChildren:
      return ok(GetChildrenResponse, { children: getChildren(core, c, req.body as GetChildrenRequest) });
    case OpCode.getChildren2: {
      const body = req.body as GetChildrenRequest;
      const children = getChildren(core, c, body);
      return ok(GetChildren2Response, { children, stat: tree.stat(body.path)! });
    }
    case OpCode.getACL: {
      const { path } = req.body as { path: string };
      const got = tree.getAcl(path);
      if (got === null) throw new ReadError(ErrorCode.NONODE);
      requirePerm(core, got.acl, Perms.READ | Perms.ADMIN, c.authIds);
      // Without ADMIN, digest credentials are masked (FinalRequestProcessor).
      const acl = allowed(core, got.acl, Perms.ADMIN, c.authIds) ? got.acl.slice() : redactDigests(got.acl);
      return ok(GetACLResponse, { acl, stat: got.stat });
    }
    case OpCode.getAllChildrenNumber: {
      const { path } = req.body as { path: string };
      const acl = tree.aclOf(path);
      if (acl === null) throw new ReadError(ErrorCode.NONODE);
      requirePerm(core, acl, Perms.READ, c.authIds);
      return ok(GetAllChildrenNumberResponse, { totalNumber: tree.countAllChildren(path) });
    }
    case OpCode.getEphemerals: {
      const { prefixPath } = req.body as { prefixPath: string };
      return ok(GetEphemeralsResponse, { ephemerals: tree.getEphemerals(c.sessionId, prefixPath) });
    }
    case OpCode.sync:
      // Standalone: every applied txn is already committed, so the local tree is current.
      return ok(SyncResponse, { path: (req.body as { path: string }).path });
    case OpCode.whoAmI:
      return ok(WhoAmIResponse, { clientInfo: c.authIds.map(clientInfo) });
    case OpCode.addWatch: {
      const { path, mode } = req.body as AddWatchRequest;
      if (mode !== AddWatchMode.PERSISTENT && mode !== AddWatchMode.PERSISTENT_RECURSIVE) {
        throw new ReadError(ErrorCode.BADARGUMENTS);
      }
      core.watches.addWatch(path, c, mode);
      return ok(ErrorResponse, { err: 0 });
    }
    case OpCode.checkWatches: {
      const { path, type } = req.body as CheckWatchesRequest;
      requireKnownWatcherType(type);
      requireRootedPath(path);
      if (!watchTypes38(type).some((t) => core.watches.containsWatcher(path, c, t))) throw new ReadError(ErrorCode.NOWATCHER);
      return ok(null);
    }
    case OpCode.removeWatches: {
      const { path, type } = req.body as CheckWatchesRequest;
      requireKnownWatcherType(type);
      // A persistent or recursive watch sits in both 3.8 tables: removing type Data or Children
      // takes out one half and the watch lives on in the other, so only Any removes it here.
      let removed = core.watches.removeWatches(path, c, type as WatcherType);
      for (const t of [WatcherType.Persistent, WatcherType.PersistentRecursive]) {
        if (type === WatcherType.Any) removed = core.watches.removeWatches(path, c, t) || removed;
        else removed = core.watches.containsWatcher(path, c, t) || removed;
      }
      if (!removed) throw new ReadError(ErrorCode.NOWATCHER);
      return ok(null);
    }
    case OpCode.setWatches:
    case OpCode.setWatches2: {
      const body = req.body as SetWatches2;
      const missed = setWatches(core.watches, c, body.relativeZxid, body, (p) => tree.stat(p));
      for (const e of missed) c.notify(e);
      return ok(null);
    }
    case OpCode.multiRead: {
      const ops = req.body as MultiOp[];
      // "Invalid type of readOp": any op but getData / getChildren fails the whole request.
      if (ops.some((op) => op.type !== OpCode.getData && op.type !== OpCode.getChildren)) {
        throw new ReadError(ErrorCode.MARSHALLINGERROR);
      }
      const results = multiRead(core, c, ops);
      return c.replyWith(req, req.xid, zxid, 0, (w) => writeMultiResponse(w, results));
    }
    case OpCode.sasl:
      // No SASL server is configured: ZooKeeper 3.8 answers with an empty token and zxid 0.
      return c.reply(req, req.xid, 0n, 0, SetSASLResponse, { token: null });
    default:
      throw new ReadError(ErrorCode.UNIMPLEMENTED);
  }
}

function getData(core: ServerCore, c: ClientConnection, body: GetDataRequest): { data: Uint8Array | null; stat: Stat } {
  const acl = core.tree.aclOf(body.path);
  if (acl === null) throw new ReadError(ErrorCode.NONODE);
  requirePerm(core, acl, Perms.READ, c.authIds);
  if (body.watch) core.watches.addDataWatch(body.path, c);
  return core.tree.getData(body.path)!;
}

function getChildren(core: ServerCore, c: ClientConnection, body: GetChildrenRequest): string[] {
  const acl = core.tree.aclOf(body.path);
  if (acl === null) throw new ReadError(ErrorCode.NONODE);
  requirePerm(core, acl, Perms.READ, c.authIds);
  if (body.watch) core.watches.addChildWatch(body.path, c);
  return core.tree.getChildren(body.path)!;
}

function multiRead(core: ServerCore, c: ClientConnection, ops: MultiOp[]): MultiResult[] {
  const results: MultiResult[] = [];
  for (const op of ops) {
    try {
      // ZooKeeper 3.8 turns each op back into a request with watch=false: multiRead sets no watches.
      if (op.type === OpCode.getData) {
        const { data, stat } = getData(core, c, { path: op.req.path, watch: false });
        results.push({ type: OpCode.getData, data, stat });
      } else if (op.type === OpCode.getChildren) {
        results.push({ type: OpCode.getChildren, children: getChildren(core, c, { path: op.req.path, watch: false }) });
      } else {
        results.push({ type: -1, err: ErrorCode.BADARGUMENTS });
      }
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      results.push({ type: -1, err: e.code });
    }
  }
  return results;
}

/**
 * ZooKeeper 3.8 knows WatcherType Children, Data and Any only; any other value (including 3.9's
 * Persistent and PersistentRecursive) fails to map and the request is MARSHALLINGERROR.
 */
function requireKnownWatcherType(type: number): void {
  if (type < WatcherType.Children || type > WatcherType.Any) throw new ReadError(ErrorCode.MARSHALLINGERROR);
}

/**
 * In ZooKeeper 3.8 persistent and recursive watches sit in the data and child watch tables, so
 * checkWatches / removeWatches of type Data, Children or Any find (and remove) them too.
 */
function watchTypes38(type: number): WatcherType[] {
  return [type as WatcherType, WatcherType.Persistent, WatcherType.PersistentRecursive];
}

/** ZooKeeper 3.8's checkWatches fails on a relative path (walking its parents throws). */
function requireRootedPath(path: string): void {
  if (path.length > 0 && path.charCodeAt(0) !== 47 /* '/' */) throw new ReadError(ErrorCode.MARSHALLINGERROR);
}

function allowed(core: ServerCore, acl: Parameters<typeof checkAcl>[0], perm: number, ids: readonly Id[]): boolean {
  return core.config.skipACL || checkAcl(acl, perm, ids, core.auth);
}

function requirePerm(core: ServerCore, acl: Parameters<typeof checkAcl>[0], perm: number, ids: readonly Id[]): void {
  if (!allowed(core, acl, perm, ids)) throw new ReadError(ErrorCode.NOAUTH);
}

/** whoAmI: digest ids are reported by user name only (AuthUtil.getUser). */
function clientInfo(id: Id): { authScheme: string; user: string } {
  if (id.scheme === 'digest') {
    const i = id.id.indexOf(':');
    return { authScheme: id.scheme, user: i < 0 ? id.id : id.id.slice(0, i) };
  }
  return { authScheme: id.scheme, user: id.id };
}
