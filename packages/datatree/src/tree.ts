// The znode tree (server/DataTree.java + DataNode.java) as a deterministic reducer: apply(txn) is
// the only mutation path; reads never mutate.
import type {
  ACL,
  CloseSessionTxn,
  MultiResult,
  Stat,
  StatPersisted,
  Txn,
  TxnEntry,
  TxnHeader,
} from '@zk/protocol';
import { ErrorCode, EventType, OpCode } from '@zk/protocol';
import { CRC32_TABLES, crcFinish, crcRun, type WasmCrc } from '@zk/crc';
import { AclCache, OPEN_UNSAFE_ACL_ID, READ_ACL_UNSAFE } from './acl.js';
import { AdHash, crc32RunStat, isDigested } from './digest.js';
import {
  CONTAINER_OWNER,
  EphemeralType,
  ephemeralTypeOf,
  isValidTtl,
  ttlOfOwner,
  ttlToEphemeralOwner,
} from './ephemeral.js';
import { JavaHashSet, grownCapLog2, hashOrder, javaStringHash, thresholdOf } from './java.js';
import { CONFIG_PATH, PROC_PATH, QUOTA_PATH, ZOOKEEPER_SUBTREE_PREFIX, topNamespace } from './path.js';
import { LIMIT_NODE, QuotaTrie, STAT_NODE, StatsTrack, quotaLimitPath, quotaStatPath } from './quota.js';
import type { LoadedSnapshot, SnapshotWriter, SnapshotWriterOptions } from './snapshot.js';
import { deserializeSnapshot, serializeSnapshot, snapshotWriter } from './snapshot.js';
import { PathIndex, pathHash, pathHashBytes } from './path-index.js';
import { SnapshotFormatError } from './snapshot-reader.js';
import { HI, LO, NodeStore } from './store.js';
import type { ApplyResult, ChangeRecord, DataTreeOptions, NodeView, WatchTrigger } from './types.js';

/** _loadNodeBytes outcomes. */
export const LOAD_OK = 0;
export const LOAD_NO_PARENT = 1;
export const LOAD_DUPLICATE = 2;
const NO_ERR = 0;

/** Ephemeral paths of one session, with the capacity its java.util.HashSet would have. */
interface SessionEphemerals {
  paths: Set<string>;
  capLog2: number;
}

function trimQuotaPath(p: string): string {
  return p.substring(QUOTA_PATH.length);
}

export class DataTree {
  readonly extendedTypesEnabled: boolean;
  readonly emulate353TTLNodes: boolean;
  readonly digestEnabled: boolean;

  private readonly store = new NodeStore();
  private readonly index = new PathIndex(this.store);
  private readonly aclCache = new AclCache();
  private readonly ephemerals = new Map<bigint, SessionEphemerals>();
  private readonly containerSet = new Set<string>();
  private readonly ttlSet = new Set<string>();
  private readonly quotaTrie = new QuotaTrie();
  private readonly hash = new AdHash();
  private nodeDataSize = 0;
  private childListCache = new Map<number, string[]>();
  private _lastProcessedZxid = 0n;

  constructor(options: DataTreeOptions = {}) {
    this.extendedTypesEnabled = options.extendedTypesEnabled === true;
    this.emulate353TTLNodes = options.emulate353TTLNodes === true;
    this.digestEnabled = options.digestEnabled !== false;
    this.initSystemNodes();
  }

  /** "/" (aliased as ""), "/zookeeper", "/zookeeper/quota", "/zookeeper/config" as a fresh server has them. */
  private initSystemNodes(): void {
    const root = this.newNode('/', null, '', OPEN_UNSAFE_ACL_ID);
    this.index.set('', root);
    this.index.set('/', root);
    this.hashAdd(root);
    const proc = this.newNode(PROC_PATH, root, 'zookeeper', OPEN_UNSAFE_ACL_ID);
    this.index.set(PROC_PATH, proc);
    this.hashAdd(proc);
    const quota = this.newNode(QUOTA_PATH, proc, 'quota', OPEN_UNSAFE_ACL_ID);
    this.index.set(QUOTA_PATH, quota);
    const config = this.newNode(CONFIG_PATH, proc, 'config', OPEN_UNSAFE_ACL_ID);
    this.index.set(CONFIG_PATH, config);
    // addConfigNode: setACL(READ_ACL_UNSAFE, version -1) -> aversion -1
    this.store.acl[config] = this.aclCache.acquire(READ_ACL_UNSAFE);
    this.store.aversion[config] = -1;
    this.nodeDataSize = 0;
    // Every path and its data (the root's "" alias adds nothing).
    for (let s = 0; s < this.store.slotLimit; s++) {
      if (this.store.isLive(s)) this.nodeDataSize += this.store.pathLength16(s) + this.store.dataLength(s);
    }
  }

  /** A node with the all-zero stat and empty data, linked under `parent` (no cversion change). */
  private newNode(path: string, parent: number | null, name: string, aclId: number): number {
    const st = this.store;
    const s = st.allocSlot(path, new Uint8Array(0));
    st.czxid[s] = 0n;
    st.mzxid[s] = 0n;
    st.pzxid[s] = 0n;
    st.ctime[s] = 0;
    st.mtime[s] = 0;
    st.version[s] = 0;
    st.cversion[s] = 0;
    st.aversion[s] = 0;
    st.acl[s] = aclId;
    if (parent !== null) this.linkChild(parent, s);
    return s;
  }

  // ---------------------------------------------------------------- digest helpers

  private digestOf(s: number): number {
    const st = this.store;
    if (st.digestOk[s] === 1) return st.digest[s]!;
    const d = this.computeDigest(s);
    st.digest[s] = d;
    st.digestOk[s] = 1;
    return d;
  }

  /**
   * nodeDigest of a slot, from its bytes (path then data, one run) and columns in place; 0 for
   * nodes under /zookeeper/, which the tree digest leaves out (so adding it changes nothing).
   */
  private computeDigest(s: number): number {
    const st = this.store;
    if (st.pathStartsWith(s, ZOOKEEPER_SUBTREE_PREFIX)) return 0;
    const pLen = st.pLen[s]!;
    const dLen = st.dLen[s]!;
    const slab = st.dSlab[s]!;
    const off = st.dOff[s]!;
    // The root counts under the path "" (it is the only path of one byte).
    const from = pLen === 1 ? off + 1 : off;
    const c = crcRun(CRC32_TABLES, -1, st.arena.slabs[slab]!, st.arena.views[slab]!, from, off + pLen + (dLen > 0 ? dLen : 0));
    const i = 2 * s;
    const o = st.ownerOf(s);
    const ownerHi = o === 0n ? 0 : Number(BigInt.asIntN(32, o >> 32n));
    const ownerLo = o === 0n ? 0 : Number(BigInt.asIntN(32, o));
    return crcFinish(
      crc32RunStat(
        c,
        st.czxidW[i + HI]!, st.czxidW[i + LO]!,
        st.mzxidW[i + HI]!, st.mzxidW[i + LO]!,
        st.pzxidW[i + HI]!, st.pzxidW[i + LO]!,
        st.ctime[s]!, st.mtime[s]!,
        st.version[s]!, st.cversion[s]!, st.aversion[s]!,
        ownerHi, ownerLo,
      ),
    );
  }

  // Nodes under /zookeeper/ have digest 0, so they need no test here.
  private hashAdd(s: number): void {
    if (this.digestEnabled) this.hash.add(this.digestOf(s));
  }

  private preChange(s: number): void {
    if (this.digestEnabled) this.hash.remove(this.digestOf(s));
  }

  private postChange(s: number): void {
    this.store.digestOk[s] = 0;
    if (this.digestEnabled) this.hash.add(this.digestOf(s));
  }

  // ---------------------------------------------------------------- children

  private linkChild(parent: number, child: number): void {
    const st = this.store;
    st.addChild(parent, child);
    st.childCap[parent] = grownCapLog2(st.childCap[parent]!, st.childCount(parent));
    if (this.childListCache.size > 0) this.childListCache.delete(parent);
  }

  private unlinkChild(parent: number, child: number): void {
    if (this.store.removeChild(parent, child) && this.childListCache.size > 0) this.childListCache.delete(parent);
  }

  private childCount(s: number): number {
    return this.store.childCount(s);
  }

  /** Child slots in java.util.HashSet iteration order. */
  private orderedChildSlots(s: number): number[] {
    const st = this.store;
    if (st.childCount(s) === 0) return [];
    const items = st.childSlots(s);
    const hashes = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) hashes[i] = st.nameHash(items[i]!);
    return hashOrder(items, hashes, 1 << st.childCap[s]!);
  }

  private childNames(s: number): string[] {
    const cached = this.childListCache.get(s);
    if (cached !== undefined) return cached.slice();
    const slots = this.orderedChildSlots(s);
    const names = new Array<string>(slots.length);
    for (let i = 0; i < slots.length; i++) names[i] = this.store.nameOf(slots[i]!);
    if (names.length >= 16) {
      if (this.childListCache.size >= 256) this.childListCache.clear();
      this.childListCache.set(s, names);
      return names.slice();
    }
    return names;
  }

  // ---------------------------------------------------------------- stat

  private clientOwner(owner: bigint): bigint {
    return ephemeralTypeOf(owner, this.extendedTypesEnabled, this.emulate353TTLNodes) === EphemeralType.NORMAL ? owner : 0n;
  }

  /** DataNode.copyStat: cversion shown as 2 * stored - numChildren; owner 0 for container/TTL. */
  private statOf(s: number): Stat {
    const st = this.store;
    const n = this.childCount(s);
    return {
      czxid: st.czxid[s]!,
      mzxid: st.mzxid[s]!,
      ctime: st.ctime[s]!,
      mtime: st.mtime[s]!,
      version: st.version[s]!,
      cversion: (Math.imul(st.cversion[s]!, 2) - n) | 0,
      aversion: st.aversion[s]!,
      ephemeralOwner: this.clientOwner(st.ownerOf(s)),
      dataLength: st.dataLength(s),
      numChildren: n,
      pzxid: st.pzxid[s]!,
    };
  }

  private persistedOf(s: number): StatPersisted {
    const st = this.store;
    return {
      czxid: st.czxid[s]!,
      mzxid: st.mzxid[s]!,
      ctime: st.ctime[s]!,
      mtime: st.mtime[s]!,
      version: st.version[s]!,
      cversion: st.cversion[s]!,
      aversion: st.aversion[s]!,
      ephemeralOwner: st.ownerOf(s),
      pzxid: st.pzxid[s]!,
    };
  }

  private typeOf(owner: bigint): EphemeralType {
    return ephemeralTypeOf(owner, this.extendedTypesEnabled, this.emulate353TTLNodes);
  }

  // ---------------------------------------------------------------- reads

  /** Does a node exist at exactly this path ("" is the root's alias, as in ZooKeeper)? */
  /** Indexes a new node by what its ephemeralOwner says it is: container, TTL or a session's ephemeral. */
  private trackOwner(path: string, owner: bigint): void {
    switch (this.typeOf(owner)) {
      case EphemeralType.CONTAINER:
        this.containerSet.add(path);
        break;
      case EphemeralType.TTL:
        this.ttlSet.add(path);
        break;
      case EphemeralType.NORMAL: {
        let e = this.ephemerals.get(owner);
        if (e === undefined) {
          e = { paths: new Set(), capLog2: 4 };
          this.ephemerals.set(owner, e);
        }
        e.paths.add(path);
        while (e.paths.size > thresholdOf(1 << e.capLog2)) e.capLog2++;
        break;
      }
      default:
        break;
    }
  }

  has(path: string): boolean {
    return this.index.has(path);
  }

  getNode(path: string): NodeView | undefined {
    const s = this.index.get(path);
    if (s === undefined) return undefined;
    return {
      path: this.store.pathOf(s),
      data: this.store.getData(s),
      acl: this.aclCache.get(this.store.acl[s]!),
      stat: this.statOf(s),
      children: this.childNames(s),
    };
  }

  /** exists: the Stat, or null (NONODE). */
  stat(path: string): Stat | null {
    const s = this.index.get(path);
    return s === undefined ? null : this.statOf(s);
  }

  /** getData: data (a read-only view; do not mutate) and Stat, or null (NONODE). */
  getData(path: string): { data: Uint8Array | null; stat: Stat } | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    return { data: this.store.getData(s), stat: this.statOf(s) };
  }

  /** getChildren: names in ZooKeeper 3.8's order, or null (NONODE). */
  getChildren(path: string): string[] | null {
    const s = this.index.get(path);
    return s === undefined ? null : this.childNames(s);
  }

  /** getChildren2: names and the node's Stat, or null (NONODE). */
  getChildren2(path: string): { children: string[]; stat: Stat } | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    return { children: this.childNames(s), stat: this.statOf(s) };
  }

  /** getACL: the stored list (shared, frozen) and Stat, or null (NONODE). */
  getAcl(path: string): { acl: readonly ACL[]; stat: Stat } | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    return { acl: this.aclCache.get(this.store.acl[s]!), stat: this.statOf(s) };
  }

  /** The node's ACL for permission checks, or null (NONODE). */
  aclOf(path: string): readonly ACL[] | null {
    const s = this.index.get(path);
    return s === undefined ? null : this.aclCache.get(this.store.acl[s]!);
  }

  /** Number of children of a node (0 when absent). */
  numChildren(path: string): number {
    const s = this.index.get(path);
    return s === undefined ? 0 : this.childCount(s);
  }

  /**
   * getAllChildrenNumber: descendants of `path` (all nodes but the root for "/"). The server
   * answers NONODE first when the node does not exist.
   */
  countAllChildren(path: string): number {
    if (path === '/') return this.index.size - 2;
    const s = this.index.get(path);
    if (s === undefined) return 0;
    if (path === '') return this.index.size - 1;
    let count = 0;
    const stack: number[] = [s];
    const st = this.store;
    while (stack.length > 0) {
      const p = stack.pop()!;
      const list = st.kids[p];
      if (list == null) continue;
      const len = list[0]!;
      for (let i = 2; i < len; i++) {
        const c = list[i]!;
        if (c < 0) continue;
        count++;
        if (st.childCount(c) !== 0) stack.push(c);
      }
    }
    return count;
  }

  /**
   * The session's ephemeral paths in the order ZooKeeper hands them out (getEphemerals clones the
   * session's HashSet, which re-buckets it).
   */
  ephemeralsOf(sessionId: bigint): string[] {
    const e = this.ephemerals.get(sessionId);
    if (e === undefined) return [];
    return JavaHashSet.copyOf(this.sessionOrder(e), e.paths.size).toArray();
  }

  /**
   * The getEphemerals request: the caller's ephemerals, all of them when `prefixPath` is null,
   * blank or "/", else those whose path starts with `prefixPath`.
   */
  getEphemerals(sessionId: bigint, prefixPath: string | null): string[] {
    const all = this.ephemeralsOf(sessionId);
    if (prefixPath === null) return all;
    const t = prefixPath.trim();
    if (t.length === 0 || t === '/') return all;
    return all.filter((p) => p.startsWith(prefixPath));
  }

  /** The session's ephemerals in its own HashSet's iteration order. */
  private sessionOrder(e: SessionEphemerals): string[] {
    const items = [...e.paths];
    const hashes = new Int32Array(items.length);
    for (let i = 0; i < items.length; i++) hashes[i] = javaStringHash(items[i]!);
    return hashOrder(items, hashes, 1 << e.capLog2);
  }

  /** Sessions that own (or owned, until closeSession) ephemerals. */
  sessionsWithEphemerals(): bigint[] {
    return [...this.ephemerals.keys()];
  }

  get ephemeralCount(): number {
    let n = 0;
    for (const e of this.ephemerals.values()) n += e.paths.size;
    return n;
  }

  containers(): string[] {
    return [...this.containerSet];
  }

  ttls(): string[] {
    return [...this.ttlSet];
  }

  /**
   * ContainerManager.getCandidates at wall time `now`: empty containers whose stored cversion > 0
   * (they once had a child), or, when `maxNeverUsedIntervalMs` != 0, empty never-used containers
   * with now - mtime > that interval; plus empty TTL nodes with now - mtime > ttl. The manager
   * submits a deleteContainer request for each (sessionId 0, cxid 0).
   */
  containerCandidates(now: number, maxNeverUsedIntervalMs = 0): string[] {
    const out: string[] = [];
    const st = this.store;
    for (const p of this.containerSet) {
      const s = this.index.get(p);
      if (s === undefined || this.childCount(s) !== 0) continue;
      if (st.cversion[s]! > 0) out.push(p);
      else if (maxNeverUsedIntervalMs !== 0 && now - st.mtime[s]! > maxNeverUsedIntervalMs) out.push(p);
    }
    for (const p of this.ttlSet) {
      const s = this.index.get(p);
      if (s === undefined || this.childCount(s) !== 0) continue;
      const owner = st.ownerOf(s);
      if (this.typeOf(owner) !== EphemeralType.TTL) continue;
      const ttl = ttlOfOwner(owner, this.emulate353TTLNodes);
      if (ttl !== 0 && now - st.mtime[s]! > ttl) {
        if (!out.includes(p)) out.push(p);
      }
    }
    return out;
  }

  /** Highest zxid applied. */
  get lastProcessedZxid(): bigint {
    return this._lastProcessedZxid;
  }

  /** DataTree.getNodeCount: nodes including the root's "" alias (5 on a fresh tree... minus none). */
  get nodeCount(): number {
    return this.index.size;
  }

  /** DataTree.cachedApproximateDataSize: sum of path lengths and data lengths. */
  get approximateDataSize(): number {
    return this.nodeDataSize;
  }

  /** Distinct ACL lists in use (aclCacheSize). */
  get aclCacheSize(): number {
    return this.aclCache.size;
  }

  /** The tree digest (DigestCalculator v2 + AdHash), a signed 64-bit value; 0n when disabled. */
  digest(): bigint {
    return this.hash.value();
  }

  /** Recomputes the digest from scratch (for checking the incremental one). */
  recomputeDigest(): bigint {
    const h = new AdHash();
    if (!this.digestEnabled) return 0n;
    for (let s = 0; s < this.store.slotLimit; s++) {
      if (!this.store.isLive(s)) continue;
      this.store.digestOk[s] = 0;
      h.add(this.digestOf(s));
    }
    return h.value();
  }

  /** DataTree.getMaxPrefixWithQuota: the deepest quota root above `path`, or null. */
  maxPrefixWithQuota(path: string): string | null {
    const p = this.quotaTrie.findMaxPrefix(path);
    return p === '/' || p.length === 0 ? null : p;
  }

  /** The top-level namespace of a path (PathUtils.getTopNamespace), for quota metrics. */
  static topNamespace(path: string): string | null {
    return topNamespace(path);
  }

  /**
   * A ChangeRecord for prep (PrepRequestProcessor.getRecordForPath from the tree), or null.
   * The record is a fresh copy the caller may mutate.
   */
  recordFor(path: string): ChangeRecord | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    return {
      zxid: -1n,
      path,
      stat: this.persistedOf(s),
      childCount: this.childCount(s),
      acl: this.aclCache.get(this.store.acl[s]!),
      data: this.store.getData(s),
    };
  }

  /** The session's ephemerals as a java.util.HashSet clone (closeSession prep starts from this). */
  ephemeralsCloneSet(sessionId: bigint): JavaHashSet {
    const e = this.ephemerals.get(sessionId);
    if (e === undefined) return new JavaHashSet();
    return JavaHashSet.copyOf(this.sessionOrder(e), e.paths.size);
  }

  /** Raw stored data of a node (quota checks), or undefined when absent. */
  dataOf(path: string): Uint8Array | null | undefined {
    const s = this.index.get(path);
    return s === undefined ? undefined : this.store.getData(s);
  }

  // ---------------------------------------------------------------- apply

  /** DataTree.processTxn: apply one committed txn. The only mutation path. */
  apply(entry: TxnEntry): ApplyResult {
    const h = entry.header;
    const triggers: WatchTrigger[] = [];
    const rc: ApplyResult = { clientId: h.clientId, cxid: h.cxid, zxid: h.zxid, type: h.type, err: NO_ERR, triggers };
    this.applyOne(h, h.type, entry.txn, rc, false);
    if (h.zxid > this._lastProcessedZxid) this._lastProcessedZxid = h.zxid;
    return rc;
  }

  private applyOne(h: TxnHeader, type: number, txn: Txn, rc: ApplyResult, isSub: boolean): void {
    const zxid = h.zxid;
    const trig = rc.triggers;
    switch (type) {
      case OpCode.create:
      case OpCode.create2: {
        const t = (txn as { txn: { path: string; data: Uint8Array | null; acl: ACL[]; ephemeral: boolean; parentCVersion: number } }).txn;
        rc.path = t.path;
        const s = this.createNode(t.path, t.data, t.acl, t.ephemeral ? h.clientId : 0n, t.parentCVersion, zxid, h.time, trig);
        if (s < 0) rc.err = s === -1 ? ErrorCode.NONODE : ErrorCode.NODEEXISTS;
        else if (type === OpCode.create2) rc.stat = this.statOf(s);
        break;
      }
      case OpCode.createTTL: {
        const t = (txn as { txn: { path: string; data: Uint8Array | null; acl: ACL[]; parentCVersion: number; ttl: number } }).txn;
        rc.path = t.path;
        if (!isValidTtl(t.ttl)) {
          rc.err = ErrorCode.BADARGUMENTS;
          break;
        }
        const s = this.createNode(t.path, t.data, t.acl, ttlToEphemeralOwner(t.ttl), t.parentCVersion, zxid, h.time, trig);
        if (s < 0) rc.err = s === -1 ? ErrorCode.NONODE : ErrorCode.NODEEXISTS;
        else rc.stat = this.statOf(s);
        break;
      }
      case OpCode.createContainer: {
        const t = (txn as { txn: { path: string; data: Uint8Array | null; acl: ACL[]; parentCVersion: number } }).txn;
        rc.path = t.path;
        const s = this.createNode(t.path, t.data, t.acl, CONTAINER_OWNER, t.parentCVersion, zxid, h.time, trig);
        if (s < 0) rc.err = s === -1 ? ErrorCode.NONODE : ErrorCode.NODEEXISTS;
        else rc.stat = this.statOf(s);
        break;
      }
      case OpCode.delete:
      case OpCode.deleteContainer: {
        const t = (txn as { txn: { path: string } }).txn;
        rc.path = t.path;
        if (!this.deleteNode(t.path, zxid, trig)) rc.err = ErrorCode.NONODE;
        break;
      }
      case OpCode.reconfig:
      case OpCode.setData: {
        const t = (txn as { txn: { path: string; data: Uint8Array | null; version: number } }).txn;
        rc.path = t.path;
        const st = this.setData(t.path, t.data, t.version, zxid, h.time, trig);
        if (st === null) rc.err = ErrorCode.NONODE;
        else rc.stat = st;
        break;
      }
      case OpCode.setACL: {
        const t = (txn as { txn: { path: string; acl: ACL[]; version: number } }).txn;
        rc.path = t.path;
        const st = this.setAcl(t.path, t.acl, t.version);
        if (st === null) rc.err = ErrorCode.NONODE;
        else rc.stat = st;
        break;
      }
      case OpCode.closeSession: {
        const t = (txn as { txn: CloseSessionTxn | null }).txn;
        rc.deleted = this.killSession(h.clientId, zxid, t == null ? null : t.paths2Delete ?? null, trig);
        break;
      }
      case OpCode.error: {
        rc.err = (txn as { txn: { err: number } }).txn.err;
        break;
      }
      case OpCode.check: {
        rc.path = (txn as { txn: { path: string } }).txn.path;
        break;
      }
      case OpCode.multi: {
        this.applyMulti(h, (txn as { txn: { txns: Txn[] } }).txn.txns, rc);
        break;
      }
      default:
        // createSession and anything else: no tree change
        break;
    }
    // Replay of a create whose node survived in a fuzzy snapshot: still move the parent's
    // cversion/pzxid forward (only OpCode.create, as ZooKeeper does).
    if (type === OpCode.create && rc.err === ErrorCode.NODEEXISTS && rc.path !== undefined) {
      const t = (txn as { txn: { parentCVersion: number } }).txn;
      const path = rc.path;
      let cut = path.lastIndexOf('/');
      if (cut > 0 && path.charCodeAt(cut - 1) === 47) cut--;
      const ps = this.index.getPrefix(path, cut);
      if (ps === undefined) rc.err = ErrorCode.NONODE;
      else {
        const st = this.store;
        const cv = t.parentCVersion === -1 ? st.cversion[ps]! + 1 : t.parentCVersion;
        if (cv > st.cversion[ps]!) {
          this.preChange(ps);
          st.cversion[ps] = cv;
          st.pzxid[ps] = zxid;
          this.postChange(ps);
        }
      }
    }
    void isSub;
  }

  private applyMulti(h: TxnHeader, txns: Txn[], rc: ApplyResult): void {
    const results: MultiResult[] = [];
    rc.multi = results;
    let failed = false;
    for (const t of txns) if (t.type === OpCode.error) { failed = true; break; }
    let postFailed = false;
    for (const sub of txns) {
      let type: number = sub.type;
      let body: Txn = sub;
      if (type === OpCode.error) postFailed = true;
      else if (failed) {
        type = OpCode.error;
        body = { type: OpCode.error, txn: { err: postFailed ? ErrorCode.RUNTIMEINCONSISTENCY : ErrorCode.OK } };
      }
      const subRc: ApplyResult = { clientId: h.clientId, cxid: h.cxid, zxid: h.zxid, type, err: NO_ERR, triggers: rc.triggers };
      this.applyOne(h, type, body, subRc, true);
      results.push(multiResultOf(type, subRc));
      if (subRc.err !== 0 && rc.err === 0) rc.err = subRc.err;
    }
  }

  /** Returns the new slot, -1 (NONODE: no parent) or -2 (NODEEXISTS). */
  private createNode(
    path: string,
    data: Uint8Array | null,
    acl: readonly ACL[] | null,
    owner: bigint,
    parentCVersion: number,
    zxid: bigint,
    time: number,
    trig: WatchTrigger[],
  ): number {
    const lastSlash = path.lastIndexOf('/');
    const ps = this.index.getPrefix(path, lastSlash);
    if (ps === undefined) return -1;
    const h = pathHash(path);
    if (this.index.hasHashed(path, h)) return -2;
    const parentName = path.substring(0, lastSlash);
    const st = this.store;
    this.preChange(ps);
    let cv = parentCVersion;
    if (cv === -1) cv = (st.cversion[ps]! + 1) | 0;
    if (cv > st.cversion[ps]!) {
      st.cversion[ps] = cv;
      st.pzxid[ps] = zxid;
    }
    const s = st.allocSlot(path, data);
    st.czxid[s] = zxid;
    st.mzxid[s] = zxid;
    st.pzxid[s] = zxid;
    st.ctime[s] = time;
    st.mtime[s] = time;
    st.version[s] = 0;
    st.cversion[s] = 0;
    st.aversion[s] = 0;
    st.setOwner(s, owner);
    st.acl[s] = acl == null ? OPEN_UNSAFE_ACL_ID : this.aclCache.acquire(acl);
    this.linkChild(ps, s);
    this.postChange(ps);
    const bytes = data === null ? 0 : data.length;
    this.nodeDataSize += path.length + bytes;
    this.index.insertNew(h, s);
    this.hashAdd(s);
    this.trackOwner(path, owner);
    if (parentName.startsWith(QUOTA_PATH)) {
      const childName = path.substring(lastSlash + 1);
      if (childName === LIMIT_NODE) {
        const real = trimQuotaPath(parentName);
        if (real.length > 0) this.quotaTrie.add(real);
      }
      if (childName === STAT_NODE) this.updateQuotaForPath(trimQuotaPath(parentName));
    }
    const lastPrefix = this.maxPrefixWithQuota(path);
    if (lastPrefix !== null) this.updateQuotaStat(lastPrefix, bytes, 1);
    trig.push({ path, type: EventType.NodeCreated, zxid });
    trig.push({ path: parentName.length === 0 ? '/' : parentName, type: EventType.NodeChildrenChanged, zxid });
    return s;
  }

  /** false = NONODE. The parent's pzxid moves forward even when the child is already gone. */
  private deleteNode(path: string, zxid: bigint, trig: WatchTrigger[]): boolean {
    const lastSlash = path.lastIndexOf('/');
    const ps = this.index.getPrefix(path, lastSlash);
    if (ps === undefined) return false;
    const parentName = path.substring(0, lastSlash);
    const childName = path.substring(lastSlash + 1);
    const st = this.store;
    const s = this.index.get(path);
    this.preChange(ps);
    if (s !== undefined && s !== ps) this.unlinkChild(ps, s);
    if (zxid > st.pzxid[ps]!) st.pzxid[ps] = zxid;
    this.postChange(ps);
    if (s === undefined || s === ps) return false;
    // Children here can only come from a fuzzy snapshot during replay: the node was recorded in
    // a later incarnation that already had them (live, prep refuses NOTEMPTY). Each of them was
    // created after this txn, so replay re-creates it; delete the subtree instead of leaving
    // orphans in the index.
    if (st.childCount(s) !== 0) {
      const ignored: WatchTrigger[] = [];
      for (const c of st.childSlots(s)) this.deleteNode(st.pathOf(c), zxid, ignored);
    }
    this.index.delete(path);
    if (this.digestEnabled && isDigested(path)) this.hash.remove(this.digestOf(s));
    this.aclCache.release(st.acl[s]!);
    const bytes = st.dataLength(s);
    this.nodeDataSize -= path.length + bytes;
    const owner = st.ownerOf(s);
    switch (this.typeOf(owner)) {
      case EphemeralType.CONTAINER:
        this.containerSet.delete(path);
        break;
      case EphemeralType.TTL:
        this.ttlSet.delete(path);
        break;
      case EphemeralType.NORMAL:
        this.ephemerals.get(owner)?.paths.delete(path);
        break;
      default:
        break;
    }
    if (parentName.startsWith(PROC_PATH) && childName === LIMIT_NODE && parentName.length > QUOTA_PATH.length) {
      this.quotaTrie.delete(trimQuotaPath(parentName));
    }
    const lastPrefix = this.maxPrefixWithQuota(path);
    if (lastPrefix !== null) this.updateQuotaStat(lastPrefix, -bytes, -1);
    this.childListCache.delete(s);
    st.freeSlot(s);
    trig.push({ path, type: EventType.NodeDeleted, zxid });
    trig.push({ path: parentName.length === 0 ? '/' : parentName, type: EventType.NodeChildrenChanged, zxid });
    return true;
  }

  private setData(path: string, data: Uint8Array | null, version: number, zxid: bigint, time: number, trig: WatchTrigger[]): Stat | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    const st = this.store;
    const oldLen = st.dataLength(s);
    this.preChange(s);
    st.setData(s, data);
    st.mtime[s] = time;
    st.mzxid[s] = zxid;
    st.version[s] = version;
    this.postChange(s);
    const stat = this.statOf(s);
    const newLen = data === null ? 0 : data.length;
    const lastPrefix = this.maxPrefixWithQuota(path);
    if (lastPrefix !== null) this.updateQuotaStat(lastPrefix, newLen - oldLen, 0);
    this.nodeDataSize += newLen - oldLen;
    trig.push({ path, type: EventType.NodeDataChanged, zxid });
    return stat;
  }

  /**
   * ZKDatabase.initConfigInZKDatabase: an ensemble member writes its membership into
   * /zookeeper/config outside any txn (version -1, mzxid = the config's version, aversion -1).
   * The node is outside the digest, so replicas stay comparable.
   */
  setConfigData(data: Uint8Array, configVersion: bigint, time: number): void {
    const s = this.index.get(CONFIG_PATH);
    if (s === undefined) return;
    const st = this.store;
    const oldLen = st.dataLength(s);
    this.preChange(s);
    st.setData(s, data);
    st.mtime[s] = time;
    st.mzxid[s] = configVersion;
    st.version[s] = -1;
    st.aversion[s] = -1;
    this.postChange(s);
    this.nodeDataSize += data.length - oldLen;
  }

  private setAcl(path: string, acl: readonly ACL[] | null, version: number): Stat | null {
    const s = this.index.get(path);
    if (s === undefined) return null;
    const st = this.store;
    this.aclCache.release(st.acl[s]!);
    this.preChange(s);
    st.aversion[s] = version;
    st.acl[s] = acl == null ? OPEN_UNSAFE_ACL_ID : this.aclCache.acquire(acl);
    this.postChange(s);
    return this.statOf(s);
  }

  /**
   * closeSession: delete the paths listed in the txn (in order, NONODE ignored), then any other
   * ephemerals still recorded for the session (in its HashSet order).
   */
  private killSession(session: bigint, zxid: bigint, inTxn: readonly string[] | null, trig: WatchTrigger[]): string[] {
    const deleted: string[] = [];
    const local = this.ephemerals.get(session);
    this.ephemerals.delete(session);
    const localOrder = local === undefined ? null : this.sessionOrder(local);
    if (inTxn !== null) {
      for (const p of inTxn) if (this.deleteNode(p, zxid, trig)) deleted.push(p);
    }
    if (localOrder === null) return deleted;
    const skip = inTxn === null ? null : new Set(inTxn);
    for (const p of localOrder) {
      if (skip !== null && skip.has(p)) continue;
      if (this.deleteNode(p, zxid, trig)) deleted.push(p);
    }
    return deleted;
  }

  // ---------------------------------------------------------------- quota stats

  /** DataTree.updateQuotaStat: rewrite the stat node's data in place (no zxid / version change). */
  private updateQuotaStat(lastPrefix: string, bytesDiff: number, countDiff: number): void {
    const s = this.index.get(quotaStatPath(lastPrefix));
    if (s === undefined) return;
    let t: StatsTrack;
    try {
      t = StatsTrack.fromBytes(this.store.getData(s));
    } catch {
      return;
    }
    t.count = t.count + BigInt(countDiff);
    t.bytes = t.bytes + BigInt(bytesDiff);
    this.store.setData(s, t.toBytes());
  }

  /** DataTree.updateQuotaForPath: recount the subtree at `path` into its stat node. */
  private updateQuotaForPath(path: string): void {
    let count = 0;
    let bytes = 0;
    const start = this.index.get(path);
    if (start !== undefined) {
      const stack = [start];
      while (stack.length > 0) {
        const s = stack.pop()!;
        count++;
        bytes += this.store.dataLength(s);
        for (const c of this.store.childSlots(s)) stack.push(c);
      }
    }
    const t = new StatsTrack();
    t.count = BigInt(count);
    t.bytes = BigInt(bytes);
    const ss = this.index.get(quotaStatPath(path));
    if (ss === undefined) return;
    this.preChange(ss);
    this.store.setData(ss, t.toBytes());
    this.postChange(ss);
  }

  /** DataTree.setupQuota after a snapshot load: find limit leaves, rebuild the trie and usage. */
  private setupQuota(): void {
    const q = this.index.get(QUOTA_PATH);
    if (q === undefined) return;
    const stack: number[] = [q];
    const suffix = '/' + LIMIT_NODE;
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (this.store.childCount(s) === 0) {
        const p = this.store.pathOf(s);
        if (p.endsWith(suffix)) {
          const real = p.substring(QUOTA_PATH.length, p.indexOf(suffix));
          this.updateQuotaForPath(real);
          if (real.length > 0) this.quotaTrie.add(real);
        }
        continue;
      }
      for (const c of this.store.childSlots(s)) stack.push(c);
    }
  }

  /** Limit node data for a quota root (prep's quota check), or undefined. */
  quotaLimitData(lastPrefix: string): Uint8Array | null | undefined {
    return this.dataOf(quotaLimitPath(lastPrefix));
  }

  /** Stat node data for a quota root (prep's quota check), or undefined. */
  quotaStatData(lastPrefix: string): Uint8Array | null | undefined {
    return this.dataOf(quotaStatPath(lastPrefix));
  }

  // ---------------------------------------------------------------- snapshot support

  /** Snapshot bytes (chunks) of the tree plus the caller's sessions (id -> timeout ms). */
  serializeSnapshot(sessions: ReadonlyMap<bigint, number> = new Map()): Uint8Array[] {
    return serializeSnapshot(this, sessions);
  }

  /**
   * An incremental (fuzzy) snapshot of this tree plus the caller's sessions (id -> timeout ms,
   * taken now): call `next()` for each ~64 KiB chunk, applying txns in between. Its `zxid` is
   * lastProcessedZxid now; recovery replays the log from zxid + 1 (see snapshot.ts).
   */
  snapshotWriter(sessions: ReadonlyMap<bigint, number> = new Map(), options?: SnapshotWriterOptions): SnapshotWriter {
    return snapshotWriter(this, sessions, options);
  }

  /** Rebuild a tree and session table from snapshot bytes (serializeSnapshot or snapshotWriter). */
  static fromSnapshot(input: Uint8Array | readonly Uint8Array[], options?: DataTreeOptions): LoadedSnapshot {
    return deserializeSnapshot(input, options);
  }

  /**
   * @internal Visit node slots parent-first, children in ZooKeeper's order (for snapshots). A
   * node's children are taken before it is yielded, in the same step, so a fuzzy snapshot that
   * encodes the yielded node at once records it and its child list at one instant even when the
   * tree changes between steps. A child deleted before its turn is skipped: its slot is free, or
   * was reused by a node with another czxid (a slot is only freed and reused across txns, and
   * nodes created by later txns have later czxids). No path lookups or strings on the way.
   */
  *walkSlots(): Generator<number> {
    const st = this.store;
    const w = st.czxidW;
    const root = this.index.get('/');
    if (root === undefined) return;
    // Triples: slot, czxid high half, czxid low half.
    const stack: number[] = [root, w[2 * root + HI]!, w[2 * root + LO]!];
    while (stack.length > 0) {
      const lo = stack.pop()!;
      const hi = stack.pop()!;
      const s = stack.pop()!;
      if (!st.isLive(s) || w[2 * s + HI] !== hi || w[2 * s + LO] !== lo) continue;
      const kids = this.orderedChildSlots(s);
      for (let i = kids.length - 1; i >= 0; i--) {
        const k = kids[i]!;
        stack.push(k, w[2 * k + HI]!, w[2 * k + LO]!);
      }
      yield s;
    }
  }

  /** @internal */
  get _store(): NodeStore {
    return this.store;
  }

  /** @internal */
  get _aclCache(): AclCache {
    return this.aclCache;
  }

  /** @internal Load state: reset to an empty tree (no system nodes). */
  _resetForLoad(): void {
    this.store.clear();
    this.index.clear();
    this.aclCache.clear();
    this.ephemerals.clear();
    this.containerSet.clear();
    this.ttlSet.clear();
    this.quotaTrie.clear();
    this.hash.clear();
    this.childListCache.clear();
    this.nodeDataSize = 0;
    this.loadStack = [];
    this.loadDepth = 0;
    this.loadAclId = OPEN_UNSAFE_ACL_ID;
    this.loadAclUses = 0;
    this.loadHashes = new Int32Array(1024);
    this.loadSlots = new Int32Array(1024);
    this.loadPending = 0;
    this.loadRoot = -1;
  }

  // Snapshot load state (between _resetForLoad and _finishLoad): the chain of the last loaded
  // node's ancestors (a snapshot lists nodes parents first, depth first, so a node's parent is
  // on it and no path lookup is needed), and a run of uses of one ACL id not yet counted.
  private loadStack: number[] = [];
  private loadDepth = 0;
  private loadAclId = OPEN_UNSAFE_ACL_ID;
  private loadAclUses = 0;
  // Loaded nodes not in the index yet: their path hashes and slots, indexed in one sorted pass.
  private loadHashes = new Int32Array(0);
  private loadSlots = new Int32Array(0);
  private loadPending = 0;
  private loadRoot = -1;

  /** Indexes the loaded nodes not indexed yet; throws SnapshotFormatError on a duplicate path. */
  private flushLoadIndex(): void {
    const n = this.loadPending;
    if (n === 0) return;
    this.loadPending = 0;
    const dup = this.index.insertBulk(this.loadHashes, this.loadSlots, n);
    if (dup >= 0) throw new SnapshotFormatError(`snapshot: node ${this.store.pathOf(dup)} appears twice`);
  }

  /**
   * The parent slot of the node whose path is `b[at, at + n)` (not the root; its last '/' at
   * `at + lastSlash`) while loading, or -1 when the parent is not loaded.
   */
  private loadParent(b: Uint8Array, at: number, lastSlash: number): number {
    if (lastSlash === 0) return this.rootSlotForLoad();
    const stack = this.loadStack;
    const st = this.store;
    let sp = this.loadDepth;
    while (sp > 0) {
      const cand = stack[sp - 1]!;
      const cl = st.pLen[cand]!;
      if (cl === lastSlash) {
        if (st.pathEqualsBytes(cand, b, at, cl)) {
          this.loadDepth = sp;
          return cand;
        }
      } else if (cl < lastSlash && b[at + cl] === 0x2f && st.pathEqualsBytes(cand, b, at, cl)) {
        break; // an ancestor, so the parent is not on the chain: look it up
      }
      sp--;
    }
    this.flushLoadIndex();
    const p = this.index.getBytes(b, at, lastSlash);
    if (p < 0) {
      this.loadDepth = 0;
      return -1;
    }
    stack[0] = p;
    this.loadDepth = 1;
    return p;
  }

  private rootSlotForLoad(): number {
    if (this.loadRoot >= 0) return this.loadRoot;
    const root = this.index.get('/');
    return root === undefined ? -1 : root;
  }

  private countAclUse(aclId: number): void {
    if (aclId === this.loadAclId) {
      this.loadAclUses++;
      return;
    }
    this.flushAclUses();
    this.loadAclId = aclId;
    this.loadAclUses = 1;
  }

  private flushAclUses(): void {
    if (this.loadAclUses > 0) this.aclCache.addUsage(this.loadAclId, this.loadAclUses);
    this.loadAclUses = 0;
  }

  /**
   * @internal Load one node straight from snapshot bytes (see SnapshotNodeSink; `bytes` and
   * `buf` are the same memory): path, data, columns and digest are taken from the buffer, and no
   * string or object is made for the node. Returns LOAD_OK, LOAD_NO_PARENT or LOAD_DUPLICATE.
   * `aclId` is already mapped to this tree's id.
   */
  _loadNodeBytes(bytes: Uint8Array, dv: DataView, pathAt: number, pathLen: number, dataAt: number, dataLen: number, aclId: number, statAt: number, crc?: WasmCrc): number {
    const st = this.store;
    let lastSlash = pathLen - 1;
    while (lastSlash >= 0 && bytes[pathAt + lastSlash] !== 0x2f) lastSlash--;
    const isRoot = pathLen === 1 && lastSlash === 0;
    let parent = -1;
    if (!isRoot) {
      if (lastSlash < 0) return LOAD_NO_PARENT;
      parent = this.loadParent(bytes, pathAt, lastSlash);
      if (parent < 0) return LOAD_NO_PARENT;
    }
    if (isRoot && this.rootSlotForLoad() >= 0) return LOAD_DUPLICATE;
    const s = st.allocSlotFrom(bytes, dv, pathAt, pathLen, dataAt, dataLen);
    const i = 2 * s;
    st.czxidW[i + HI] = dv.getInt32(statAt);
    st.czxidW[i + LO] = dv.getInt32(statAt + 4);
    st.mzxidW[i + HI] = dv.getInt32(statAt + 8);
    st.mzxidW[i + LO] = dv.getInt32(statAt + 12);
    st.pzxidW[i + HI] = dv.getInt32(statAt + 16);
    st.pzxidW[i + LO] = dv.getInt32(statAt + 20);
    st.ctime[s] = dv.getInt32(statAt + 24) * 4294967296 + dv.getUint32(statAt + 28);
    st.mtime[s] = dv.getInt32(statAt + 32) * 4294967296 + dv.getUint32(statAt + 36);
    st.version[s] = dv.getInt32(statAt + 40);
    st.cversion[s] = dv.getInt32(statAt + 44);
    st.aversion[s] = dv.getInt32(statAt + 48);
    const ownerHi = dv.getInt32(statAt + 52);
    const ownerLo = dv.getInt32(statAt + 56);
    st.acl[s] = aclId;
    if (aclId !== OPEN_UNSAFE_ACL_ID) this.countAclUse(aclId);
    let ascii = true;
    for (let k = pathAt; k < pathAt + pathLen; k++) {
      if (bytes[k]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.nodeDataSize += (ascii ? pathLen : st.pathLength16(s)) + (dataLen < 0 ? 0 : dataLen);
    let k = this.loadPending;
    if (k === this.loadHashes.length) {
      const hs = new Int32Array(k * 2);
      hs.set(this.loadHashes);
      this.loadHashes = hs;
      const ss = new Int32Array(k * 2);
      ss.set(this.loadSlots);
      this.loadSlots = ss;
    }
    this.loadHashes[k] = pathHashBytes(bytes, pathAt, pathLen);
    this.loadSlots[k] = s;
    this.loadPending = k + 1;
    if (isRoot) {
      this.loadRoot = s;
      this.index.setEmpty(s);
    } else {
      st.addChild(parent, s);
      if ((ownerHi | ownerLo) !== 0) {
        const owner = BigInt.asIntN(64, (BigInt(ownerHi >>> 0) << 32n) | BigInt(ownerLo >>> 0));
        st.setOwner(s, owner);
        this.trackOwner(st.pathOf(s), owner);
      }
    }
    if (this.digestEnabled) {
      let d = 0;
      if (!st.pathStartsWith(s, ZOOKEEPER_SUBTREE_PREFIX) && crc !== undefined) {
        // In the parser's WebAssembly window: path, data, then the 60 stat bytes, which the
        // snapshot holds in the digest's order (the root counts under the path "").
        let c = isRoot ? 0 : crc.update(0, pathAt, pathAt + pathLen);
        if (dataLen > 0) c = crc.update(c, dataAt, dataAt + dataLen);
        d = crc.update(c, statAt, statAt + 60);
        this.hash.add(d);
      } else if (!st.pathStartsWith(s, ZOOKEEPER_SUBTREE_PREFIX)) {
        // The snapshot holds the digest's stat bytes in its order, right after the ACL id; the
        // path and data are one run in the slab (the root counts under the path "").
        const slab = st.dSlab[s]!;
        const off = st.dOff[s]!;
        let c = crcRun(CRC32_TABLES, -1, st.arena.slabs[slab]!, st.arena.views[slab]!, isRoot ? off + 1 : off, off + pathLen + (dataLen > 0 ? dataLen : 0));
        c = crcRun(CRC32_TABLES, c, bytes, dv, statAt, statAt + 60);
        d = crcFinish(c);
        this.hash.add(d);
      }
      st.digest[s] = d;
      st.digestOk[s] = 1;
    }
    this.loadStack[this.loadDepth++] = s;
    return LOAD_OK;
  }

  /** @internal Load one node from a parsed record (parents first). Returns false when the parent is missing. */
  _loadNode(path: string, data: Uint8Array | null, aclId: number, p: StatPersisted): boolean {
    this.flushLoadIndex();
    const st = this.store;
    let parent: number | undefined;
    const lastSlash = path.lastIndexOf('/');
    if (path !== '/') {
      parent = this.index.get(path.substring(0, lastSlash));
      if (parent === undefined) return false;
    }
    const s = st.allocSlot(path, data);
    st.czxid[s] = p.czxid;
    st.mzxid[s] = p.mzxid;
    st.pzxid[s] = p.pzxid;
    st.ctime[s] = p.ctime;
    st.mtime[s] = p.mtime;
    st.version[s] = p.version;
    st.cversion[s] = p.cversion;
    st.aversion[s] = p.aversion;
    st.setOwner(s, p.ephemeralOwner);
    st.acl[s] = aclId;
    this.aclCache.addUsage(aclId);
    this.index.set(path, s);
    this.nodeDataSize += path.length + (data === null ? 0 : data.length);
    if (path === '/') {
      this.index.set('', s);
    } else {
      this.linkChild(parent!, s);
      this.trackOwner(path, p.ephemeralOwner);
    }
    if (this.digestEnabled && isDigested(path)) this.hash.add(this.digestOf(s));
    return true;
  }

  /** @internal Finish a load: child set capacities, quota trie and usage, ACL purge, zxid. */
  _finishLoad(lastZxid: bigint): void {
    this.flushLoadIndex();
    this.loadHashes = new Int32Array(0);
    this.loadSlots = new Int32Array(0);
    this.loadRoot = -1;
    this.flushAclUses();
    const st = this.store;
    // A set that only grew: its java.util.HashSet capacity follows from its final size.
    for (let s = 0; s < st.slotLimit; s++) {
      const n = st.childCount(s);
      if (n > 0 && st.childCap[s] === 0) st.childCap[s] = grownCapLog2(0, n);
    }
    this.setupQuota();
    this.aclCache.purgeUnused();
    this.loadStack = [];
    this.loadDepth = 0;
    this._lastProcessedZxid = lastZxid;
  }
}

function multiResultOf(type: number, r: ApplyResult): MultiResult {
  switch (type) {
    case OpCode.check:
      return { type: OpCode.check };
    case OpCode.create:
      return { type: OpCode.create, path: r.path! };
    case OpCode.create2:
    case OpCode.createTTL:
    case OpCode.createContainer:
      return { type, path: r.path!, stat: r.stat ?? emptyStat() } as MultiResult;
    case OpCode.delete:
    case OpCode.deleteContainer:
      return { type: OpCode.delete };
    case OpCode.setData:
      return { type: OpCode.setData, stat: r.stat ?? emptyStat() };
    default:
      return { type: OpCode.error, err: r.err };
  }
}

/** An all-zero Stat (what an unset jute Stat record serializes as). */
export function emptyStat(): Stat {
  return {
    czxid: 0n,
    mzxid: 0n,
    ctime: 0,
    mtime: 0,
    version: 0,
    cversion: 0,
    aversion: 0,
    ephemeralOwner: 0n,
    dataLength: 0,
    numChildren: 0,
    pzxid: 0n,
  };
}
