// PrepRequestProcessor: turns a client write request into a txn (or an error txn), validating it
// against the tree plus the changes already prepared but not yet applied (outstandingChanges).
import type {
  ACL,
  CheckVersionRequest,
  CreateRequest,
  CreateTTLRequest,
  DeleteRequest,
  Id,
  MultiOp,
  SetACLRequest,
  SetDataRequest,
  StatPersisted,
  Txn,
  TxnEntry,
  TxnHeader,
} from '@zk/protocol';
import { CreateMode, ErrorCode, OpCode, Perms } from '@zk/protocol';
import { checkAcl, fixupAcl } from './acl.js';
import type { AuthRegistry } from './auth.js';
import { defaultAuthRegistry } from './auth.js';
import { CONTAINER_OWNER, EphemeralType, ephemeralTypeOf, isValidTtl, ttlToEphemeralOwner } from './ephemeral.js';
import { formatSequence } from './java.js';
import { isSpecialPath, pathError } from './path.js';
import { StatsTrack } from './quota.js';
import type { DataTree } from './tree.js';
import type { ChangeRecord } from './types.js';

/** A write request as the prep stage sees it. */
export interface PrepRequest {
  sessionId: bigint;
  cxid: number;
  /** The zxid this request's txn gets (every write, including failed ones, takes one). */
  zxid: bigint;
  /** Wall-clock ms for the txn header (ctime / mtime of what it creates or changes). */
  time: number;
  /** OpCode: create, create2, createContainer, createTTL, delete, deleteContainer, setData, setACL, check, multi, createSession, closeSession, reconfig. */
  type: number;
  /**
   * The decoded request record: CreateRequest / CreateTTLRequest / DeleteRequest /
   * SetDataRequest / SetACLRequest / CheckVersionRequest; MultiOp[] for multi;
   * { timeOut } for createSession; { path } for deleteContainer; nothing for closeSession.
   */
  body?: unknown;
}

/** Per-request facts only the server knows. */
export interface PrepContext {
  /** The connection's authenticated ids (ip id, digest ids, super...). */
  authIds: readonly Id[];
  /**
   * What the session tracker's checkSession would throw for this request (SESSIONEXPIRED,
   * SESSIONMOVED, ...) or 0/undefined when the session is fine. ZooKeeper checks it inside each
   * op, after some argument checks, so it is passed in rather than checked up front.
   */
  sessionError?: number;
  /** For ephemeral creates: checkGlobalSession's error (local sessions), else sessionError applies. */
  globalSessionError?: number;
}

export interface PrepOptions {
  /** zookeeper.enforceQuota: hard quota limits fail creates / setData with QUOTAEXCEEDED (default false). */
  enforceQuota?: boolean;
  /** zookeeper.skipACL=yes (default false). */
  skipAcl?: boolean;
  /** zookeeper.digest.enabled: closeSession also records a parent change per ephemeral (default true). */
  digestEnabled?: boolean;
  /** zookeeper.closeSessionTxn.enabled: closeSession txns list the ephemerals (default true). */
  closeSessionTxnEnabled?: boolean;
  /** reconfigEnabled (default false): reconfig is RECONFIGDISABLED, or UNIMPLEMENTED when enabled. */
  reconfigEnabled?: boolean;
  /** Auth providers for ACL validation and matching (default: ip + digest). */
  auth?: AuthRegistry;
  /**
   * ZOOKEEPER-4026 (3.8.2+): a create op inside a multi keeps its own opcode (create2 answers with a
   * Stat) and invalid flags fail the request. Default false: 3.8.0, where every create op in a
   * multi becomes OpCode.create (or createContainer / createTTL by its flags).
   */
  create2InMulti?: boolean;
}

/** A KeeperException in flight (thrown without a stack; only on error paths). */
class KeeperErr {
  constructor(readonly code: number) {}
}
/** A non-Keeper failure ZooKeeper answers with MARSHALLINGERROR for the whole request. */
class MarshallingErr {}

function fail(code: number): never {
  throw new KeeperErr(code);
}

function cloneStat(s: StatPersisted): StatPersisted {
  return {
    czxid: s.czxid,
    mzxid: s.mzxid,
    ctime: s.ctime,
    mtime: s.mtime,
    version: s.version,
    cversion: s.cversion,
    aversion: s.aversion,
    ephemeralOwner: s.ephemeralOwner,
    pzxid: s.pzxid,
  };
}

function duplicate(r: ChangeRecord, zxid: bigint): ChangeRecord {
  return {
    zxid,
    path: r.path,
    stat: r.stat === null ? null : cloneStat(r.stat),
    childCount: r.childCount,
    acl: r.acl,
    data: r.data,
  };
}

function isSequentialMode(m: number): boolean {
  return m === CreateMode.PERSISTENT_SEQUENTIAL || m === CreateMode.EPHEMERAL_SEQUENTIAL || m === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}
function isEphemeralMode(m: number): boolean {
  return m === CreateMode.EPHEMERAL || m === CreateMode.EPHEMERAL_SEQUENTIAL;
}
function isTtlMode(m: number): boolean {
  return m === CreateMode.PERSISTENT_WITH_TTL || m === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
}

/** getParentPathAndValidate: BADARGUMENTS for no '/', a NUL, or a special path. */
function parentForDelete(path: string): string {
  const lastSlash = path.lastIndexOf('/');
  if (lastSlash === -1 || path.indexOf('\0') !== -1 || isSpecialPath(path)) fail(ErrorCode.BADARGUMENTS);
  return path.substring(0, lastSlash);
}

function validatePath(path: string): void {
  if (pathError(path) !== null) fail(ErrorCode.BADARGUMENTS);
}

function checkAndIncVersion(current: number, expected: number): number {
  if (expected !== -1 && expected !== current) fail(ErrorCode.BADVERSION);
  return (current + 1) | 0;
}

function createStat(zxid: bigint, time: number, owner: bigint): StatPersisted {
  return { czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: time, mtime: time, version: 0, cversion: 0, aversion: 0, ephemeralOwner: owner };
}

/**
 * The prep stage. Feed it write requests in order with increasing zxids; call onApplied(zxid)
 * after the tree applied that txn (drops change records up to it), reset() when pending txns are
 * abandoned (leader change).
 */
export class TxnPreparer {
  private readonly tree: DataTree;
  private readonly enforceQuota: boolean;
  private readonly skipAcl: boolean;
  private readonly digestEnabled: boolean;
  private readonly closeSessionTxnEnabled: boolean;
  private readonly reconfigEnabled: boolean;
  private readonly auth: AuthRegistry;
  private readonly create2InMulti: boolean;
  private queue: ChangeRecord[] = [];
  private head = 0;
  private readonly byPath = new Map<string, ChangeRecord>();

  // per-request state (no closures on the hot path)
  private hdr!: TxnHeader;
  private ctx!: PrepContext;

  constructor(tree: DataTree, options: PrepOptions = {}) {
    this.tree = tree;
    this.enforceQuota = options.enforceQuota === true;
    this.skipAcl = options.skipAcl === true;
    this.digestEnabled = options.digestEnabled !== false;
    this.closeSessionTxnEnabled = options.closeSessionTxnEnabled !== false;
    this.reconfigEnabled = options.reconfigEnabled === true;
    this.auth = options.auth ?? defaultAuthRegistry;
    this.create2InMulti = options.create2InMulti === true;
  }

  /** Number of outstanding change records. */
  get pendingCount(): number {
    return this.queue.length - this.head;
  }

  /** The pending state of a path (outstandingChangesForPath), if any. */
  pendingFor(path: string): ChangeRecord | undefined {
    return this.byPath.get(path);
  }

  /** The txn for one write request. Errors become an error txn (header type -1). */
  prepare(req: PrepRequest, ctx: PrepContext): TxnEntry {
    const hdr: TxnHeader = { clientId: req.sessionId, cxid: req.cxid, zxid: req.zxid, time: req.time, type: req.type };
    this.hdr = hdr;
    this.ctx = ctx;
    let txn: Txn;
    try {
      if (req.type === OpCode.multi) {
        txn = this.prepMulti(req.body as MultiOp[]);
      } else {
        txn = this.prepOp(req.type, req.body);
      }
    } catch (e) {
      if (e instanceof KeeperErr) {
        hdr.type = OpCode.error;
        txn = { type: OpCode.error, txn: { err: e.code } };
      } else if (e instanceof MarshallingErr) {
        hdr.type = OpCode.error;
        txn = { type: OpCode.error, txn: { err: ErrorCode.MARSHALLINGERROR } };
      } else {
        throw e;
      }
    }
    return { header: hdr, txn };
  }

  /** Drop change records of txns up to and including `zxid` (they are in the tree now). */
  onApplied(zxid: bigint): void {
    const q = this.queue;
    while (this.head < q.length && q[this.head]!.zxid <= zxid) {
      const cr = q[this.head]!;
      q[this.head] = undefined as unknown as ChangeRecord;
      this.head++;
      if (this.byPath.get(cr.path) === cr) this.byPath.delete(cr.path);
    }
    if (this.head === q.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
  }

  /** Forget every outstanding change. */
  reset(): void {
    this.queue = [];
    this.head = 0;
    this.byPath.clear();
  }

  // ------------------------------------------------------------------ records

  private getRecordForPath(path: string): ChangeRecord {
    const r = this.byPath.get(path) ?? this.tree.recordFor(path);
    if (r === null || r.stat === null) fail(ErrorCode.NONODE);
    return r;
  }

  private addChangeRecord(r: ChangeRecord): void {
    this.queue.push(r);
    this.byPath.set(r.path, r);
  }

  private checkSession(): void {
    const e = this.ctx.sessionError;
    if (e !== undefined && e !== 0) fail(e);
  }

  private checkPerm(acl: readonly ACL[] | null, perm: number): void {
    if (this.skipAcl) return;
    if (!checkAcl(acl, perm, this.ctx.authIds, this.auth)) fail(ErrorCode.NOAUTH);
  }

  private typeOf(owner: bigint): EphemeralType {
    return ephemeralTypeOf(owner, this.tree.extendedTypesEnabled, this.tree.emulate353TTLNodes);
  }

  // ------------------------------------------------------------------ ops

  /** pRequest2Txn for one op. */
  private prepOp(type: number, body: unknown): Txn {
    const zxid = this.hdr.zxid;
    switch (type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createTTL:
      case OpCode.createContainer:
        return this.prepCreate(type, body as CreateRequest | CreateTTLRequest);
      case OpCode.deleteContainer: {
        const path = (body as { path: string }).path;
        const parentPath = parentForDelete(path);
        const node = this.getRecordForPath(path);
        if (node.childCount > 0) fail(ErrorCode.NOTEMPTY);
        if (this.typeOf(node.stat!.ephemeralOwner) === EphemeralType.NORMAL) fail(ErrorCode.BADVERSION);
        const parent = duplicate(this.getRecordForPath(parentPath), zxid);
        parent.childCount--;
        parent.stat!.pzxid = zxid;
        this.addChangeRecord(parent);
        this.addChangeRecord({ zxid, path, stat: null, childCount: -1, acl: null, data: null });
        return { type: OpCode.deleteContainer, txn: { path } };
      }
      case OpCode.delete: {
        this.checkSession();
        const req = body as DeleteRequest;
        const path = req.path;
        const parentPath = parentForDelete(path);
        const parentRec = this.getRecordForPath(parentPath);
        this.checkPerm(parentRec.acl, Perms.DELETE);
        const node = this.getRecordForPath(path);
        checkAndIncVersion(node.stat!.version, req.version);
        if (node.childCount > 0) fail(ErrorCode.NOTEMPTY);
        const parent = duplicate(parentRec, zxid);
        parent.childCount--;
        parent.stat!.pzxid = zxid;
        this.addChangeRecord(parent);
        this.addChangeRecord({ zxid, path, stat: null, childCount: -1, acl: null, data: null });
        return { type: OpCode.delete, txn: { path } };
      }
      case OpCode.setData: {
        this.checkSession();
        const req = body as SetDataRequest;
        const path = req.path;
        validatePath(path);
        const rec = this.getRecordForPath(path);
        this.checkPerm(rec.acl, Perms.WRITE);
        this.checkQuota(path, rec.data, req.data, OpCode.setData);
        const newVersion = checkAndIncVersion(rec.stat!.version, req.version);
        const data = req.data;
        const next = duplicate(rec, zxid);
        next.stat!.version = newVersion;
        next.stat!.mtime = this.hdr.time;
        next.stat!.mzxid = zxid;
        next.data = data;
        this.addChangeRecord(next);
        return { type: OpCode.setData, txn: { path, data: data as Uint8Array, version: newVersion } };
      }
      case OpCode.setACL: {
        this.checkSession();
        const req = body as SetACLRequest;
        const path = req.path;
        validatePath(path);
        const acl = fixupAcl(req.acl, this.ctx.authIds, this.auth);
        if (typeof acl === 'number') fail(acl);
        const rec = this.getRecordForPath(path);
        this.checkPerm(rec.acl, Perms.ADMIN);
        const newVersion = checkAndIncVersion(rec.stat!.aversion, req.version);
        const next = duplicate(rec, zxid);
        next.stat!.aversion = newVersion;
        // ZooKeeper 3.8 leaves the old ACL on this record, so a write prepared before the setACL
        // is applied is checked against the old ACL; we check the new one.
        next.acl = acl;
        this.addChangeRecord(next);
        return { type: OpCode.setACL, txn: { path, acl, version: newVersion } };
      }
      case OpCode.check: {
        this.checkSession();
        const req = body as CheckVersionRequest;
        const path = req.path;
        validatePath(path);
        const rec = this.getRecordForPath(path);
        this.checkPerm(rec.acl, Perms.READ);
        return { type: OpCode.check, txn: { path, version: checkAndIncVersion(rec.stat!.version, req.version) } };
      }
      case OpCode.createSession: {
        const timeOut = (body as { timeOut: number } | undefined)?.timeOut ?? 0;
        return { type: OpCode.createSession, txn: { timeOut } };
      }
      case OpCode.closeSession:
        return this.prepCloseSession();
      case OpCode.reconfig:
        fail(this.reconfigEnabled ? ErrorCode.UNIMPLEMENTED : ErrorCode.RECONFIGDISABLED);
      // eslint-disable-next-line no-fallthrough
      default:
        throw new MarshallingErr();
    }
  }

  private prepCreate(type: number, req: CreateRequest | CreateTTLRequest): Txn {
    const zxid = this.hdr.zxid;
    const flags = req.flags;
    const ttl = type === OpCode.createTTL ? (req as CreateTTLRequest).ttl : -1;
    // CreateMode.fromFlag
    if (!(flags >= 0 && flags <= 6 && Number.isInteger(flags))) fail(ErrorCode.BADARGUMENTS);
    const mode = flags;
    // validateCreateRequest
    if (isTtlMode(mode) && !this.tree.extendedTypesEnabled) fail(ErrorCode.UNIMPLEMENTED);
    if (isTtlMode(mode)) {
      if (!isValidTtl(ttl)) fail(ErrorCode.BADARGUMENTS);
    } else if (ttl >= 0) {
      fail(ErrorCode.BADARGUMENTS);
    }
    // createTTL with a non-TTL mode and no ttl would crash ZooKeeper's apply; refuse it here.
    if (type === OpCode.createTTL && !isValidTtl(ttl)) fail(ErrorCode.BADARGUMENTS);
    if (isEphemeralMode(mode)) {
      const g = this.ctx.globalSessionError ?? this.ctx.sessionError;
      if (g !== undefined && g !== 0) fail(g);
    } else {
      this.checkSession();
    }
    // validatePathForCreate
    let path = req.path;
    const lastSlash = path.lastIndexOf('/');
    if (lastSlash === -1 || path.indexOf('\0') !== -1) fail(ErrorCode.BADARGUMENTS);
    const parentPath = path.substring(0, lastSlash);
    const acl = fixupAcl(req.acl, this.ctx.authIds, this.auth);
    if (typeof acl === 'number') fail(acl);
    const parentRec = this.getRecordForPath(parentPath);
    this.checkPerm(parentRec.acl, Perms.CREATE);
    const parentCVersion = parentRec.stat!.cversion;
    if (isSequentialMode(mode)) path = path + formatSequence(parentCVersion);
    validatePath(path);
    const existing = this.byPath.get(path) ?? this.tree.recordFor(path);
    if (existing !== null && existing.stat !== null) fail(ErrorCode.NODEEXISTS);
    if (this.typeOf(parentRec.stat!.ephemeralOwner) === EphemeralType.NORMAL) fail(ErrorCode.NOCHILDRENFOREPHEMERALS);
    const newCversion = (parentCVersion + 1) | 0;
    const data = req.data;
    this.checkQuota(path, null, data, OpCode.create);
    let txn: Txn;
    if (type === OpCode.createContainer) {
      txn = { type: OpCode.createContainer, txn: { path, data: data as Uint8Array, acl, parentCVersion: newCversion } };
    } else if (type === OpCode.createTTL) {
      txn = { type: OpCode.createTTL, txn: { path, data: data as Uint8Array, acl, parentCVersion: newCversion, ttl } };
    } else {
      txn = {
        type: type as 1 | 15,
        txn: { path, data: data as Uint8Array, acl, ephemeral: isEphemeralMode(mode), parentCVersion: newCversion },
      };
    }
    let owner = 0n;
    if (mode === CreateMode.CONTAINER) owner = CONTAINER_OWNER;
    else if (isTtlMode(mode)) owner = ttlToEphemeralOwner(ttl);
    else if (isEphemeralMode(mode)) owner = this.hdr.clientId;
    const parent = duplicate(parentRec, zxid);
    parent.childCount++;
    parent.stat!.cversion = newCversion;
    parent.stat!.pzxid = zxid;
    this.addChangeRecord(parent);
    this.addChangeRecord({ zxid, path, stat: createStat(zxid, this.hdr.time, owner), childCount: 0, acl, data });
    return txn;
  }

  private prepCloseSession(): Txn {
    const zxid = this.hdr.zxid;
    const sessionId = this.hdr.clientId;
    const es = this.tree.ephemeralsCloneSet(sessionId);
    const q = this.queue;
    for (let i = this.head; i < q.length; i++) {
      const c = q[i]!;
      if (c.stat === null) es.remove(c.path);
      else if (c.stat.ephemeralOwner === sessionId) es.add(c.path);
    }
    const paths = es.toArray();
    for (const p of paths) {
      if (this.digestEnabled) {
        const parentPath = parentForDelete(p);
        const parent = duplicate(this.getRecordForPath(parentPath), zxid);
        parent.stat!.pzxid = zxid;
        this.addChangeRecord(parent);
      }
      this.addChangeRecord({ zxid, path: p, stat: null, childCount: 0, acl: null, data: null });
    }
    return { type: OpCode.closeSession, txn: { paths2Delete: this.closeSessionTxnEnabled ? paths : (null as unknown as string[]) } };
  }

  private prepMulti(ops: readonly MultiOp[]): Txn {
    const zxid = this.hdr.zxid;
    const pending = this.pendingChanges(ops);
    const txns: Txn[] = [];
    let failed = false;
    for (const op of ops) {
      if (failed) {
        txns.push({ type: OpCode.error, txn: { err: ErrorCode.RUNTIMEINCONSISTENCY } });
        continue;
      }
      try {
        txns.push(this.prepMultiOp(op));
      } catch (e) {
        if (e instanceof KeeperErr) {
          failed = true;
          txns.push({ type: OpCode.error, txn: { err: e.code } });
          this.rollback(zxid, pending);
        } else {
          this.rollback(zxid, pending);
          throw e;
        }
      }
    }
    return { type: OpCode.multi, txn: { txns } };
  }

  /** One op of a multi, typed as MultiOperationRecord / Op.create would type it. */
  private prepMultiOp(op: MultiOp): Txn {
    switch (op.type) {
      case OpCode.create:
      case OpCode.create2:
      case OpCode.createContainer: {
        const f = op.req.flags;
        if (this.create2InMulti) {
          if (!(Number.isInteger(f) && f >= 0 && f <= 6)) throw new MarshallingErr();
          if (f === CreateMode.PERSISTENT_WITH_TTL || f === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) {
            return this.prepOp(OpCode.createTTL, { ...op.req, ttl: -1 });
          }
          return this.prepOp(f === CreateMode.CONTAINER ? OpCode.createContainer : op.type, op.req);
        }
        // Op.create(path, data, acl, flags): the op type comes from the flags; TTL flags here
        // make ZooKeeper fail the whole request (ClassCastException -> MARSHALLINGERROR).
        if (f === CreateMode.PERSISTENT_WITH_TTL || f === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) throw new MarshallingErr();
        return this.prepOp(f === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create, op.req);
      }
      case OpCode.createTTL: {
        const f = op.req.flags;
        if (f === CreateMode.PERSISTENT_WITH_TTL || f === CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL) {
          return this.prepOp(OpCode.createTTL, op.req);
        }
        return this.prepOp(f === CreateMode.CONTAINER ? OpCode.createContainer : OpCode.create, op.req);
      }
      case OpCode.delete:
      case OpCode.setData:
      case OpCode.check:
        return this.prepOp(op.type, op.req);
      default:
        throw new MarshallingErr();
    }
  }

  /** getPendingChanges: outstanding records of each op's path and parent, to restore on failure. */
  private pendingChanges(ops: readonly MultiOp[]): Map<string, ChangeRecord> {
    const m = new Map<string, ChangeRecord>();
    for (const op of ops) {
      const path = op.req.path;
      const cr = this.byPath.get(path);
      if (cr !== undefined) m.set(path, cr);
      const lastSlash = path.lastIndexOf('/');
      if (lastSlash === -1 || path.indexOf('\0') !== -1) continue;
      const parentPath = path.substring(0, lastSlash);
      const pcr = this.byPath.get(parentPath);
      if (pcr !== undefined) m.set(parentPath, pcr);
    }
    return m;
  }

  /** rollbackPendingChanges: drop this multi's records, restore still-relevant earlier ones. */
  private rollback(zxid: bigint, pending: Map<string, ChangeRecord>): void {
    const q = this.queue;
    while (q.length > this.head && q[q.length - 1]!.zxid === zxid) {
      const c = q.pop()!;
      this.byPath.delete(c.path);
    }
    if (q.length === this.head) return;
    const firstZxid = q[this.head]!.zxid;
    for (const c of pending.values()) {
      if (c.zxid < firstZxid) continue;
      this.byPath.set(c.path, c);
    }
  }

  /** ZooKeeperServer.checkQuota against the committed tree (hard limits only fail). */
  private checkQuota(path: string, lastData: Uint8Array | null, data: Uint8Array | null, op: number): void {
    if (!this.enforceQuota) return;
    const lastPrefix = this.tree.maxPrefixWithQuota(path);
    if (lastPrefix === null) return;
    const dataBytes = data === null ? 0 : data.length;
    let countDiff = 0;
    let bytesDiff = dataBytes;
    if (op === OpCode.create) countDiff = 1;
    else bytesDiff = dataBytes - (lastData === null ? 0 : lastData.length);
    const limitData = this.tree.quotaLimitData(lastPrefix);
    if (limitData === undefined) return;
    let limits: StatsTrack;
    try {
      limits = StatsTrack.fromBytes(limitData);
    } catch {
      throw new MarshallingErr();
    }
    const checkCount = countDiff !== 0 && (limits.count > -1n || limits.countHardLimit > -1n);
    const checkBytes = bytesDiff !== 0 && (limits.bytes > -1n || limits.byteHardLimit > -1n);
    if (!checkCount && !checkBytes) return;
    const statData = this.tree.quotaStatData(lastPrefix);
    if (statData === undefined) return;
    let current: StatsTrack;
    try {
      current = StatsTrack.fromBytes(statData);
    } catch {
      throw new MarshallingErr();
    }
    if (checkCount) {
      const hard = limits.countHardLimit > -1n;
      const limit = hard ? limits.countHardLimit : limits.count;
      if (current.count + BigInt(countDiff) > limit && hard) fail(ErrorCode.QUOTAEXCEEDED);
    }
    if (checkBytes) {
      const hard = limits.byteHardLimit > -1n;
      const limit = hard ? limits.byteHardLimit : limits.bytes;
      if (current.bytes + BigInt(bytesDiff) > limit && hard) fail(ErrorCode.QUOTAEXCEEDED);
    }
  }
}
