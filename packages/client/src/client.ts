// The public client: ZooKeeper's API as promises over one Session.

import { OpCode, WatcherType, AddWatchMode } from '@zk/protocol';
import type { ClientInfo, Stat } from '@zk/protocol';
import type { Address } from '@zk/transport';
import { tcpTransport } from '@zk/transport-tcp';
import { systemClock } from './clock.js';
import { parseConnectString } from './connect-string.js';
import { createParameters, toBytes } from './create-mode.js';
import { ConnectionLossError, InvalidACLError, InvalidPathError, SessionExpiredError, AuthFailedError, RequestTimeoutError } from './errors.js';
import { toWireOps, toWireReadOps, type Op, type OpResult, type ReadOp, type ReadOpResult } from './multi.js';
import { DEFAULTS, type ClientOptions } from './options.js';
import { pathProblem, toServerPath } from './paths.js';
import { openPersistentWatch, type PersistentWatch, type PersistentWatchOptions } from './persistent-watch.js';
import { Request } from './request.js';
import { Session } from './session.js';
import { createTransaction, type Transaction } from './transaction.js';
import type {
  ACL,
  ACLResult,
  AddWatchModeName,
  CallOptions,
  ChildrenResult,
  ClientState,
  CreateOptions,
  CreateResult,
  Data,
  DataResult,
  VersionOptions,
  WatchOptions,
  WatchedEvent,
  Watcher,
  WatcherTypeName,
} from './types.js';

/** Paths of the watches this client holds, by kind (client paths). */
export interface WatchList {
  readonly data: string[];
  readonly exist: string[];
  readonly child: string[];
  readonly persistent: string[];
  readonly persistentRecursive: string[];
}

export interface AddWatchOptions extends CallOptions {
  /** Default 'PERSISTENT_RECURSIVE' would surprise; the default is 'PERSISTENT', as the Java API requires a mode. */
  readonly mode?: AddWatchModeName;
}

export interface RemoveWatchesOptions extends CallOptions {
  /** Remove locally even when the server cannot be told (disconnected) or refuses. Default false. */
  readonly local?: boolean;
}

/** A ZooKeeper session and every operation on it. Make one with `createClient` or `connect`. */
export interface ZooKeeperClient {
  /** ZooKeeper.States: CONNECTING, CONNECTED, CONNECTEDREADONLY, CLOSED or AUTH_FAILED. */
  readonly state: ClientState;
  /** True once the server reported the session expired (state is then CLOSED). */
  readonly expired: boolean;
  /** The session id (0n before the first connection). */
  readonly sessionId: bigint;
  /** The session password (16 bytes) to reattach with `sessionId`. */
  readonly sessionPassword: Uint8Array;
  /** The timeout the server granted (0 before the first connection). */
  readonly negotiatedTimeoutMs: number;
  /** The last zxid seen in a reply. */
  readonly lastZxid: bigint;
  /** The server of the current connection (undefined before the first). */
  readonly server: Address | undefined;
  /** The chroot of the connect string ('' for none). */
  readonly chroot: string;

  /** Creates a node; returns its path (with the suffix for sequential modes) and Stat. */
  create(path: string, data?: Data, options?: CreateOptions): Promise<CreateResult>;
  delete(path: string, options?: VersionOptions): Promise<void>;
  /** The node's Stat, or null when it does not exist (a watch is then left for its creation). */
  exists(path: string, options?: WatchOptions): Promise<Stat | null>;
  getData(path: string, options?: WatchOptions): Promise<DataResult>;
  setData(path: string, data: Data, options?: VersionOptions): Promise<Stat>;
  /** Children names (unsorted, as the server returns them) and the parent's Stat. */
  getChildren(path: string, options?: WatchOptions): Promise<ChildrenResult>;
  /** Number of descendants (not counting the node itself). */
  getAllChildrenNumber(path: string, options?: CallOptions): Promise<number>;
  /** This session's ephemeral nodes under `prefixPath` (default "/"). */
  getEphemerals(prefixPath?: string, options?: CallOptions): Promise<string[]>;
  getACL(path: string, options?: CallOptions): Promise<ACLResult>;
  setACL(path: string, acl: readonly ACL[], options?: VersionOptions): Promise<Stat>;
  /** Waits until the server this client talks to has caught up with the leader; returns the path. */
  sync(path: string, options?: CallOptions): Promise<string>;
  /** Applies all ops atomically. On failure rejects with the failing op's error, whose `results` lists every op's result. */
  multi(ops: readonly Op[], options?: CallOptions): Promise<OpResult[]>;
  /** A builder for `multi`: `client.transaction().create(...).delete(...).commit()`. */
  transaction(): Transaction;
  /** Several reads in one round trip; each result is a value or an error result. */
  multiRead(ops: readonly ReadOp[], options?: CallOptions): Promise<ReadOpResult[]>;
  /** Adds a persistent (or persistent recursive) watch; it stays until removed or the session ends. */
  addWatch(path: string, watcher: Watcher, options?: AddWatchOptions): Promise<void>;
  /** A persistent watch as an async iterator of events; `break` (or `close()`) removes it. */
  watch(path: string, options?: PersistentWatchOptions): Promise<PersistentWatch>;
  /** Removes one watcher (Java's removeWatches); its owner is told with a *WatchRemoved event. */
  removeWatches(path: string, watcher: Watcher, type?: WatcherTypeName, options?: RemoveWatchesOptions): Promise<void>;
  /** Removes every watcher of `type` on `path`, on the server too (Java's removeAllWatches). */
  removeAllWatches(path: string, type?: WatcherTypeName, options?: RemoveWatchesOptions): Promise<void>;
  /** Adds credentials (e.g. 'digest', 'user:password'); kept for reconnections. */
  addAuth(scheme: string, auth: Uint8Array | string): Promise<void>;
  /** The identities the server associates with this session. */
  whoAmI(options?: CallOptions): Promise<ClientInfo[]>;
  /** The ensemble configuration (`/zookeeper/config`, outside any chroot). */
  getConfig(options?: WatchOptions): Promise<DataResult>;
  /** Ends the session (its ephemerals go); the client cannot be used afterwards. */
  close(): Promise<void>;
  /** Resolves once connected (now, or at the next connection). */
  waitForConnected(options?: CallOptions): Promise<void>;
  /** Session events (type 'None'): SyncConnected, Disconnected, Expired, AuthFailed, ConnectedReadOnly, Closed. */
  onStateChange(listener: Watcher): () => void;
  /** The paths of the watches held, by kind. */
  getWatches(): WatchList;
}

function rejectPath<T>(path: string, problem: string): Promise<T> {
  return Promise.reject(new InvalidPathError(path, problem));
}

function rejectWith<T>(err: unknown): Promise<T> {
  return Promise.reject(err);
}

const WATCHER_TYPES: Record<WatcherTypeName, number> = {
  Children: WatcherType.Children,
  Data: WatcherType.Data,
  Any: WatcherType.Any,
};

class Client implements ZooKeeperClient {
  private readonly session: Session;
  readonly chroot: string;

  constructor(connectString: string, options: ClientOptions) {
    const { hosts, chroot } = parseConnectString(connectString);
    this.chroot = chroot;
    this.session = new Session({
      hosts,
      chroot,
      sessionTimeoutMs: options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs,
      transport: options.transport ?? tcpTransport(),
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
      canBeReadOnly: options.canBeReadOnly ?? false,
      sessionId: options.sessionId,
      sessionPassword: options.sessionPassword,
      reconnectDelayMs: options.reconnectDelayMs ?? DEFAULTS.reconnectDelayMs,
      hostCycleDelayMs: options.hostCycleDelayMs ?? DEFAULTS.hostCycleDelayMs,
      requestTimeoutMs: options.requestTimeoutMs ?? 0,
      closeTimeoutMs: options.closeTimeoutMs ?? DEFAULTS.closeTimeoutMs,
      maxQueuedRequests: options.maxQueuedRequests ?? DEFAULTS.maxQueuedRequests,
      queueFull: options.queueFull ?? 'wait',
      maxFrameLength: options.maxBufferBytes ?? DEFAULTS.maxBufferBytes,
      watcher: options.watcher,
      onWatcherError: options.onWatcherError,
      autoWatchReset: options.autoWatchReset ?? true,
    });
    this.session.start();
  }

  get state(): ClientState {
    return this.session.state;
  }
  get expired(): boolean {
    return this.session.expired;
  }
  get sessionId(): bigint {
    return this.session.sessionId;
  }
  get sessionPassword(): Uint8Array {
    return this.session.password.slice();
  }
  get negotiatedTimeoutMs(): number {
    return this.session.negotiatedTimeoutMs;
  }
  get lastZxid(): bigint {
    return this.session.lastZxid;
  }
  get server(): Address | undefined {
    return this.session.server;
  }

  private sp(path: string): string {
    return toServerPath(this.chroot, path);
  }

  private watcherOf(watch: Watcher | boolean | undefined): Watcher | undefined {
    if (watch === undefined || watch === false) return undefined;
    if (watch === true) {
      const w = this.session.watches.defaultWatcher;
      if (w === undefined) throw new TypeError('watch: true needs a default watcher (the `watcher` option)');
      return w;
    }
    return watch;
  }

  create(path: string, data?: Data, options?: CreateOptions): Promise<CreateResult> {
    let p;
    try {
      p = createParameters(path, options?.mode, options?.acl, options?.ttl);
    } catch (err) {
      return rejectWith(err);
    }
    const base = { path: this.sp(path), data: toBytes(data), acl: p.acl, flags: p.flags };
    const body = p.opCode === OpCode.createTTL ? { ...base, ttl: options!.ttl! } : base;
    return this.session.submit(new Request(p.opCode, body, 'create', path), options?.signal, options?.timeoutMs);
  }

  delete(path: string, options?: VersionOptions): Promise<void> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    // Java refuses to delete the chroot itself ("/" under a chroot) only through the server's rules.
    const body = { path: this.sp(path), version: options?.version ?? -1 };
    return this.session.submit(new Request(OpCode.delete, body, 'delete', path), options?.signal, options?.timeoutMs);
  }

  exists(path: string, options?: WatchOptions): Promise<Stat | null> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    return this.watchedRead(OpCode.exists, 'exists', 'exists', path, this.sp(path), options);
  }

  getData(path: string, options?: WatchOptions): Promise<DataResult> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    return this.watchedRead(OpCode.getData, 'getData', 'data', path, this.sp(path), options);
  }

  getConfig(options?: WatchOptions): Promise<DataResult> {
    const path = '/zookeeper/config';
    return this.watchedRead(OpCode.getData, 'getConfig', 'data', path, path, options);
  }

  /** A read that may leave a one-shot watch: the watch is registered only if the reply says so. */
  private watchedRead<T>(
    type: number, op: string, kind: 'exists' | 'data' | 'child', path: string, serverPath: string, options: WatchOptions | undefined,
  ): Promise<T> {
    let watcher: Watcher | undefined;
    try {
      watcher = this.watcherOf(options?.watch);
    } catch (err) {
      return rejectWith(err);
    }
    const req = new Request(type, { path: serverPath, watch: watcher !== undefined }, op, path);
    if (watcher !== undefined) req.watch = { kind, path, watcher };
    return this.session.submit(req, options?.signal, options?.timeoutMs);
  }


  setData(path: string, data: Data, options?: VersionOptions): Promise<Stat> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    const body = { path: this.sp(path), data: toBytes(data), version: options?.version ?? -1 };
    return this.session.submit(new Request(OpCode.setData, body, 'setData', path), options?.signal, options?.timeoutMs);
  }

  getChildren(path: string, options?: WatchOptions): Promise<ChildrenResult> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    return this.watchedRead(OpCode.getChildren2, 'getChildren', 'child', path, this.sp(path), options);
  }

  getAllChildrenNumber(path: string, options?: CallOptions): Promise<number> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    const req = new Request(OpCode.getAllChildrenNumber, { path: this.sp(path) }, 'getAllChildrenNumber', path);
    return this.session.submit(req, options?.signal, options?.timeoutMs);
  }

  getEphemerals(prefixPath = '/', options?: CallOptions): Promise<string[]> {
    const problem = pathProblem(prefixPath);
    if (problem !== undefined) return rejectPath(prefixPath, problem);
    const req = new Request(OpCode.getEphemerals, { prefixPath: this.sp(prefixPath) }, 'getEphemerals', prefixPath);
    return this.session.submit(req, options?.signal, options?.timeoutMs);
  }

  getACL(path: string, options?: CallOptions): Promise<ACLResult> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    return this.session.submit(new Request(OpCode.getACL, { path: this.sp(path) }, 'getACL', path), options?.signal, options?.timeoutMs);
  }

  setACL(path: string, acl: readonly ACL[], options?: VersionOptions): Promise<Stat> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    if (acl.length === 0) return rejectWith(new InvalidACLError({ path, op: 'setACL' }));
    const body = { path: this.sp(path), acl: acl.map((a) => ({ perms: a.perms, id: { scheme: a.id.scheme, id: a.id.id } })), version: options?.version ?? -1 };
    return this.session.submit(new Request(OpCode.setACL, body, 'setACL', path), options?.signal, options?.timeoutMs);
  }

  sync(path: string, options?: CallOptions): Promise<string> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    return this.session.submit(new Request(OpCode.sync, { path: this.sp(path) }, 'sync', path), options?.signal, options?.timeoutMs);
  }

  multi(ops: readonly Op[], options?: CallOptions): Promise<OpResult[]> {
    let wire;
    try {
      wire = toWireOps(ops, this.chroot);
    } catch (err) {
      return rejectWith(err);
    }
    const paths = ops.map((o) => o.path);
    return this.session.submit(new Request(OpCode.multi, wire, 'multi', paths[0], paths), options?.signal, options?.timeoutMs);
  }

  transaction(): Transaction {
    return createTransaction((ops, options) => this.multi(ops, options));
  }

  multiRead(ops: readonly ReadOp[], options?: CallOptions): Promise<ReadOpResult[]> {
    let wire;
    try {
      wire = toWireReadOps(ops, this.chroot);
    } catch (err) {
      return rejectWith(err);
    }
    const paths = ops.map((o) => o.path);
    return this.session.submit(new Request(OpCode.multiRead, wire, 'multiRead', paths[0], paths), options?.signal, options?.timeoutMs);
  }

  addWatch(path: string, watcher: Watcher, options?: AddWatchOptions): Promise<void> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    if (typeof watcher !== 'function') return rejectWith(new TypeError('addWatch needs a watcher function'));
    const recursive = options?.mode === 'PERSISTENT_RECURSIVE';
    if (options?.mode !== undefined && !recursive && options.mode !== 'PERSISTENT') {
      return rejectWith(new TypeError(`invalid addWatch mode: ${String(options.mode)}`));
    }
    const mode = recursive ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT;
    const req = new Request(OpCode.addWatch, { path: this.sp(path), mode }, 'addWatch', path);
    req.watch = { kind: recursive ? 'persistentRecursive' : 'persistent', path, watcher };
    return this.session.submit(req, options?.signal, options?.timeoutMs);
  }

  watch(path: string, options?: PersistentWatchOptions): Promise<PersistentWatch> {
    return openPersistentWatch(this, path, options);
  }

  removeWatches(path: string, watcher: Watcher, type: WatcherTypeName = 'Any', options?: RemoveWatchesOptions): Promise<void> {
    if (typeof watcher !== 'function') return rejectWith(new TypeError('Invalid Watcher, shouldn\'t be null!'));
    return this.removeWatchesOp(OpCode.checkWatches, path, watcher, type, options);
  }

  removeAllWatches(path: string, type: WatcherTypeName = 'Any', options?: RemoveWatchesOptions): Promise<void> {
    return this.removeWatchesOp(OpCode.removeWatches, path, undefined, type, options);
  }

  private removeWatchesOp(opCode: number, path: string, watcher: Watcher | undefined, type: WatcherTypeName, options?: RemoveWatchesOptions): Promise<void> {
    const problem = pathProblem(path);
    if (problem !== undefined) return rejectPath(path, problem);
    const wireType = WATCHER_TYPES[type];
    if (wireType === undefined) return rejectWith(new TypeError(`invalid watcher type: ${String(type)}`));
    const local = options?.local ?? false;
    const req = new Request(opCode, { path: this.sp(path), type: wireType }, 'removeWatches', path);
    req.unwatch = { path, watcher, type, local };
    return this.session.submitRemoval(req, options?.signal, options?.timeoutMs);
  }

  addAuth(scheme: string, auth: Uint8Array | string): Promise<void> {
    const bytes = typeof auth === 'string' ? Buffer.from(auth, 'utf8') : auth;
    return this.session.addAuth(new Request(OpCode.auth, null, 'addAuth', undefined), scheme, bytes);
  }

  whoAmI(options?: CallOptions): Promise<ClientInfo[]> {
    return this.session.submit(new Request(OpCode.whoAmI, null, 'whoAmI', undefined), options?.signal, options?.timeoutMs);
  }

  close(): Promise<void> {
    return this.session.close();
  }

  waitForConnected(options?: CallOptions): Promise<void> {
    const s = this.session;
    if (s.isConnected) return Promise.resolve();
    if (!s.alive || s.closed) return rejectWith(s.expired ? new SessionExpiredError({ op: 'connect' }) : s.state === 'AUTH_FAILED' ? new AuthFailedError({ op: 'connect' }) : new SessionExpiredError({ op: 'connect' }));
    return new Promise<void>((resolve, reject) => {
      let timer: unknown;
      const finish = (err?: unknown): void => {
        off();
        if (timer !== undefined) s.clock.clearTimeout(timer);
        options?.signal?.removeEventListener('abort', onAbort);
        if (err === undefined) resolve();
        else reject(err);
      };
      const onAbort = (): void => finish(options?.signal?.reason);
      const off = s.addStateListener((e: WatchedEvent) => {
        if (e.state === 'SyncConnected' || e.state === 'ConnectedReadOnly') finish();
        else if (e.state === 'Expired') finish(new SessionExpiredError({ op: 'connect' }));
        else if (e.state === 'AuthFailed') finish(new AuthFailedError({ op: 'connect' }));
        else if (e.state === 'Closed') finish(new ConnectionLossError({ op: 'connect' }));
      });
      if (options?.signal !== undefined) {
        if (options.signal.aborted) return onAbort();
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
      if (options?.timeoutMs !== undefined) timer = s.clock.setTimeout(() => finish(new RequestTimeoutError({ op: 'connect', message: `not connected within ${options.timeoutMs} ms` })), options.timeoutMs);
    });
  }

  onStateChange(listener: Watcher): () => void {
    return this.session.addStateListener(listener);
  }

  getWatches(): WatchList {
    const w = this.session.watches;
    return {
      data: [...w.data.keys()],
      exist: [...w.exist.keys()],
      child: [...w.child.keys()],
      persistent: [...w.persistent.keys()],
      persistentRecursive: [...w.persistentRecursive.keys()],
    };
  }
}

/**
 * Creates a client and starts connecting in the background (as ZooKeeper's constructor).
 * `connectString` is `host:port[,host:port...][/chroot]`; hosts are tried in a shuffled order.
 */
export function createClient(connectString: string, options: ClientOptions = {}): ZooKeeperClient {
  return new Client(connectString, options);
}

/**
 * Creates a client and waits for its first connection. Rejects (and closes the client) when not
 * connected within `timeoutMs` (default: the session timeout).
 */
export async function connect(connectString: string, options: ClientOptions & { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {}): Promise<ZooKeeperClient> {
  const client = createClient(connectString, options);
  try {
    await client.waitForConnected({ timeoutMs: options.timeoutMs ?? options.sessionTimeoutMs ?? DEFAULTS.sessionTimeoutMs, signal: options.signal });
  } catch (err) {
    await client.close();
    throw err instanceof RequestTimeoutError ? new ConnectionLossError({ op: 'connect', message: `could not connect to ${connectString}`, cause: err }) : err;
  }
  return client;
}
