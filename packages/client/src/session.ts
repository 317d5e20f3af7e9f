// The session engine (ZooKeeper's ClientCnxn): one connection at a time, the handshake, request
// pipelining, replies matched in order, pings, read timeouts, reconnection with the same session
// (re-arming watches with setWatches), expiry, authentication and the request queue limits.

import {
  AuthPacket,
  ConnectRequest,
  ConnectResponse,
  ErrorCode,
  FrameDecoder,
  JuteReader,
  JuteWriter,
  OpCode,
  PASSWORD_LENGTH,
  WatcherEvent,
  Xid,
  beginFrame,
  encodeRequest,
  endFrame,
  writeFrame,
  type ClientOpCode,
} from '@zk/protocol';
import type { Address, Connection, Transport } from '@zk/transport';
import type { ClientClock } from './clock.js';
import {
  AuthFailedError,
  ConnectionLossError,
  MarshallingError,
  RequestTimeoutError,
  SessionExpiredError,
  ThrottledError,
  zooKeeperError,
  type ZooKeeperError,
} from './errors.js';
import { Fifo } from './fifo.js';
import { EventQueue, type WatcherErrorHandler } from './event-queue.js';
import { eventTypeName, keeperStateName } from './event-names.js';
import { HostProvider } from './host-provider.js';
import { toClientPath, toServerPath } from './paths.js';
import { probeReadWrite } from './read-only-probe.js';
import { Request } from './request.js';
import { decodeResult, isFailedMulti } from './results.js';
import type { ClientState, KeeperStateName, WatchedEvent, Watcher } from './types.js';
import { WatchManager } from './watch-manager.js';

/** setWatches packets stay under this many path characters (ClientCnxn.SET_WATCHES_MAX_LENGTH). */
export const SET_WATCHES_MAX_LENGTH = 128 * 1024;
/** A ping is sent at least this often while connected (ClientCnxn's MAX_SEND_PING_INTERVAL). */
const MAX_SEND_PING_INTERVAL_MS = 10_000;
const MIN_PING_RW_TIMEOUT_MS = 100;
/**
 * Floor of the time allowed to dial and complete the handshake. ZooKeeper's client gives each host
 * sessionTimeout / hosts, which with a tiny requested timeout never lets a connection finish.
 */
const MIN_CONNECT_TIMEOUT_MS = 1000;
const MAX_PING_RW_TIMEOUT_MS = 60_000;

export interface SessionConfig {
  readonly hosts: readonly Address[];
  readonly chroot: string;
  readonly sessionTimeoutMs: number;
  readonly transport: Transport;
  readonly clock: ClientClock;
  readonly random: () => number;
  readonly canBeReadOnly: boolean;
  readonly sessionId: bigint | undefined;
  readonly sessionPassword: Uint8Array | undefined;
  readonly reconnectDelayMs: number;
  readonly hostCycleDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly maxQueuedRequests: number;
  readonly queueFull: 'wait' | 'reject';
  readonly maxFrameLength: number;
  readonly watcher: Watcher | undefined;
  readonly onWatcherError: WatcherErrorHandler | undefined;
  readonly autoWatchReset: boolean;
}

interface AuthEntry {
  readonly scheme: string;
  readonly auth: Uint8Array;
  waiters: Request[];
}

export class Session {
  state: ClientState = 'CONNECTING';
  /** True once the server reported the session expired. */
  expired = false;
  sessionId: bigint;
  password: Uint8Array;
  negotiatedTimeoutMs = 0;
  /** Highest zxid seen in a reply; sent on reconnect so the client never goes back in time. */
  lastZxid = 0n;
  /** The server the current connection goes to. */
  server: Address | undefined;

  readonly chroot: string;
  readonly watches: WatchManager;
  readonly events: EventQueue;
  readonly hostProvider: HostProvider;
  private readonly stateListeners = new Set<Watcher>();

  private conn: Connection | undefined;
  private frames: FrameDecoder | undefined;
  /** The handshake on `conn` completed. */
  private connected = false;
  private readonly writer = new JuteWriter(64 * 1024);
  private readonly reader: JuteReader;
  private flushScheduled = false;
  private readonly inFlight = new Fifo<Request>();
  private readonly outgoing = new Fifo<Request>();
  private readonly blocked = new Fifo<Request>();
  private live = 0;
  private xid = 0;
  private readonly auth: AuthEntry[] = [];
  private readonly authReplies = new Fifo<AuthEntry>();
  private lastSend = 0;
  private lastRecv = 0;
  private readTimeout = 0;
  private connectTimeout: number;
  private tickTimer: unknown = undefined;
  private reconnectTimer: unknown = undefined;
  private handshakeTimer: unknown = undefined;
  private disconnectTimer: unknown = undefined;
  private rwTimer: unknown = undefined;
  private pingRwTimeout = MIN_PING_RW_TIMEOUT_MS;
  private rwProbeOffset = 1;
  /** Disconnected for a whole session timeout: queued and new requests fail at once. */
  private failFast = false;
  private seenRwServerBefore: boolean;
  private attempted = false;
  private generation = 0;
  private closing: Promise<void> | undefined;
  private closeRequest: Request | undefined;
  private readonly flushBound = (): void => this.flush();
  private readonly tickBound = (): void => this.tick();

  readonly clock: ClientClock;

  constructor(private readonly config: SessionConfig) {
    this.clock = config.clock;
    this.chroot = config.chroot;
    this.sessionId = config.sessionId ?? 0n;
    this.password = config.sessionPassword?.slice() ?? new Uint8Array(PASSWORD_LENGTH);
    this.seenRwServerBefore = config.sessionId !== undefined;
    this.watches = new WatchManager(config.watcher);
    this.events = new EventQueue(config.onWatcherError);
    this.hostProvider = new HostProvider(config.hosts, config.random);
    this.reader = new JuteReader(undefined, { maxLength: config.maxFrameLength * 2 });
    this.connectTimeout = Math.floor(config.sessionTimeoutMs / this.hostProvider.size);
  }

  /** Starts connecting (called once by the client). */
  start(): void {
    this.startDisconnectTimer();
    this.scheduleReconnect();
  }

  get isConnected(): boolean {
    return this.connected;
  }

  get alive(): boolean {
    return this.state !== 'CLOSED' && this.state !== 'AUTH_FAILED';
  }

  get closed(): boolean {
    return this.closing !== undefined || !this.alive;
  }

  /** Requests submitted and not yet settled. */
  get queued(): number {
    return this.live + this.blocked.length;
  }

  addStateListener(listener: Watcher): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  // ---- submitting ----

  /** Queues `req`; the returned promise settles with its decoded result or a ZooKeeperError. */
  submit<T>(req: Request, signal?: AbortSignal, timeoutMs?: number): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      req.resolve = resolve as (v: unknown) => void;
      req.reject = reject;
    });
    if (!this.alive || this.closing !== undefined) {
      this.fail(req, this.deadError(req));
      return promise;
    }
    if (this.failFast && !this.connected) {
      this.fail(req, new ConnectionLossError({ path: req.path, op: req.op }));
      return promise;
    }
    if (signal !== undefined) {
      if (signal.aborted) {
        this.fail(req, signal.reason);
        return promise;
      }
      req.signal = signal;
      req.abortListener = () => this.fail(req, signal.reason);
      signal.addEventListener('abort', req.abortListener, { once: true });
    }
    const ms = timeoutMs ?? this.config.requestTimeoutMs;
    if (ms > 0) req.timer = this.config.clock.setTimeout(() => this.onRequestTimeout(req, timeoutMs === undefined), ms);
    if (this.live >= this.config.maxQueuedRequests) {
      if (this.config.queueFull === 'reject') {
        this.fail(req, new ThrottledError({ path: req.path, op: req.op, message: `request queue full (${this.config.maxQueuedRequests} requests outstanding)` }));
      } else {
        this.blocked.push(req);
      }
      return promise;
    }
    this.admit(req);
    return promise;
  }

  /**
   * A watch removal. A local one made while not connected happens at once (the server cannot be
   * told; ZooKeeper's client does the same when the request fails with ConnectionLoss).
   */
  submitRemoval(req: Request, signal?: AbortSignal, timeoutMs?: number): Promise<void> {
    if (req.unwatch?.local === true && !this.connected) {
      const rc = this.alive ? ErrorCode.CONNECTIONLOSS : ErrorCode.SESSIONEXPIRED;
      const err = this.unregister(req, rc);
      return err === ErrorCode.OK ? Promise.resolve() : Promise.reject(zooKeeperError(err, req.path, req.op));
    }
    return this.submit(req, signal, timeoutMs);
  }

  private admit(req: Request): void {
    req.counted = true;
    this.live++;
    if (this.connected && this.outgoing.length === 0) this.write(req);
    else this.outgoing.push(req);
  }

  private write(req: Request): void {
    const w = this.writer;
    const start = w.pos;
    if (this.xid >= 0x7fffffff) this.xid = 0;
    req.xid = ++this.xid;
    try {
      encodeRequest(w, req.xid, req.opCode as ClientOpCode, req.body as never);
    } catch (err) {
      w.pos = start;
      this.fail(req, new MarshallingError({ path: req.path, op: req.op, message: `cannot encode ${req.op}: ${(err as Error).message}`, cause: err }));
      return;
    }
    if (w.pos - start - 4 > this.config.maxFrameLength) {
      const length = w.pos - start - 4;
      w.pos = start;
      this.fail(req, new MarshallingError({ path: req.path, op: req.op, message: `Packet len ${length} is out of range (jute.maxbuffer ${this.config.maxFrameLength})` }));
      return;
    }
    this.inFlight.push(req);
    this.scheduleFlush();
  }

  /** Writes a request with a special xid (ping, auth, setWatches) or none at all (close). */
  private writeSpecial(xid: number, opCode: number, body: unknown): void {
    encodeRequest(this.writer, xid, opCode as ClientOpCode, body as never);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(this.flushBound);
  }

  private flush(): void {
    this.flushScheduled = false;
    const w = this.writer;
    if (w.pos === 0) return;
    const conn = this.conn;
    if (conn !== undefined && !conn.closed) {
      conn.write(w.finish());
      this.lastSend = this.config.clock.now();
    }
    w.reset();
  }

  // ---- settling ----

  private settle(req: Request): boolean {
    if (req.settled) return false;
    req.settled = true;
    if (req.timer !== undefined) {
      this.config.clock.clearTimeout(req.timer);
      req.timer = undefined;
    }
    if (req.abortListener !== undefined) {
      req.signal?.removeEventListener('abort', req.abortListener);
      req.abortListener = undefined;
    }
    if (req.counted) {
      req.counted = false;
      this.live--;
      if (this.blocked.length > 0) this.release();
    }
    return true;
  }

  private release(): void {
    while (this.live < this.config.maxQueuedRequests && this.blocked.length > 0) {
      const next = this.blocked.shift()!;
      if (!next.settled) this.admit(next);
    }
  }

  private fail(req: Request, error: unknown): void {
    if (this.settle(req)) req.reject(error);
  }

  private succeed(req: Request, value: unknown): void {
    if (this.settle(req)) req.resolve(value);
  }

  /** A request in flight on a connection that broke. */
  private lose(req: Request): void {
    if (req === this.closeRequest) {
      this.succeed(req, undefined);
      return;
    }
    if (req.unwatch !== undefined && req.unwatch.local) {
      const err = this.unregister(req, ErrorCode.CONNECTIONLOSS);
      if (err === ErrorCode.OK) {
        this.succeed(req, undefined);
        return;
      }
    }
    this.fail(req, new ConnectionLossError({ path: req.path, op: req.op }));
  }

  private deadError(req: Request): ZooKeeperError {
    if (this.state === 'AUTH_FAILED') return new AuthFailedError({ path: req.path, op: req.op });
    return new SessionExpiredError({ path: req.path, op: req.op });
  }

  private onRequestTimeout(req: Request, clientWide: boolean): void {
    req.timer = undefined;
    if (req.settled) return;
    const sent = req.xid !== 0 && this.connected;
    this.fail(req, new RequestTimeoutError({ path: req.path, op: req.op }));
    // As ZooKeeper's client: a server that does not answer within the client-wide request timeout
    // is treated as gone, so the connection is dropped and re-established.
    if (clientWide && sent && this.conn !== undefined) this.dropConnection(this.conn);
  }

  // ---- connecting ----

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || !this.alive || this.closing !== undefined) return;
    const { address, cycled } = this.hostProvider.next();
    let delay = this.attempted ? Math.floor(this.config.random() * this.config.reconnectDelayMs) : 0;
    if (cycled) delay += this.config.hostCycleDelayMs;
    this.attempted = true;
    const go = (): void => {
      this.reconnectTimer = undefined;
      void this.startConnect(address);
    };
    if (delay <= 0) {
      this.reconnectTimer = true;
      queueMicrotask(go);
    } else {
      this.reconnectTimer = this.config.clock.setTimeout(go, delay);
    }
  }

  private async startConnect(address: Address): Promise<void> {
    if (!this.alive || this.closing !== undefined) return;
    const gen = ++this.generation;
    this.state = 'CONNECTING';
    let conn: Connection;
    try {
      conn = await this.config.transport.dial(address, { timeoutMs: Math.max(MIN_CONNECT_TIMEOUT_MS, this.connectTimeout) });
    } catch {
      if (gen === this.generation) this.scheduleReconnect();
      return;
    }
    if (gen !== this.generation || !this.alive || this.closing !== undefined) {
      conn.destroy();
      return;
    }
    this.conn = conn;
    this.server = address;
    this.frames = new FrameDecoder({ maxFrameLength: this.config.maxFrameLength });
    this.connected = false;
    conn.onData((chunk) => this.onData(conn, chunk));
    conn.onClose(() => {
      if (conn === this.conn) this.onConnectionLost();
    });
    this.writer.reset();
    writeFrame(this.writer, ConnectRequest, {
      protocolVersion: 0,
      lastZxidSeen: this.lastZxid,
      timeOut: this.config.sessionTimeoutMs,
      sessionId: this.seenRwServerBefore ? this.sessionId : 0n,
      passwd: this.password,
      readOnly: this.config.canBeReadOnly,
    });
    this.flush();
    this.lastRecv = this.config.clock.now();
    this.handshakeTimer = this.config.clock.setTimeout(() => {
      this.handshakeTimer = undefined;
      if (conn === this.conn && !this.connected) this.dropConnection(conn);
    }, Math.max(MIN_CONNECT_TIMEOUT_MS, this.connectTimeout));
  }

  private onData(conn: Connection, chunk: Uint8Array): void {
    if (conn !== this.conn) return;
    this.lastRecv = this.config.clock.now();
    const frames = this.frames!;
    frames.push(chunk);
    try {
      for (let f = frames.next(); f !== null; f = frames.next()) {
        if (this.connected) this.onFrame(f);
        else this.onConnectResponse(f);
        if (conn !== this.conn) return;
      }
    } catch {
      // A malformed frame or an out-of-order reply: this connection cannot be trusted any more.
      if (conn === this.conn) this.dropConnection(conn);
    }
  }

  private onConnectResponse(frame: Uint8Array): void {
    const r = this.reader.reset(frame);
    const res = ConnectResponse.read(r);
    if (this.handshakeTimer !== undefined) {
      this.config.clock.clearTimeout(this.handshakeTimer);
      this.handshakeTimer = undefined;
    }
    if (res.timeOut <= 0) {
      this.onExpired();
      return;
    }
    const readOnly = res.readOnly === true;
    this.negotiatedTimeoutMs = res.timeOut;
    this.readTimeout = Math.floor((res.timeOut * 2) / 3);
    this.connectTimeout = Math.floor(res.timeOut / this.hostProvider.size);
    this.sessionId = res.sessionId;
    this.password = res.passwd.slice();
    this.state = readOnly ? 'CONNECTEDREADONLY' : 'CONNECTED';
    this.seenRwServerBefore ||= !readOnly;
    this.connected = true;
    this.failFast = false;
    this.clearTimer('disconnectTimer');
    this.hostProvider.onConnected();
    this.emitState(readOnly ? 'ConnectedReadOnly' : 'SyncConnected');

    for (const entry of this.auth) {
      this.writeSpecial(Xid.AUTH, OpCode.auth, { type: 0, scheme: entry.scheme, auth: entry.auth });
      this.authReplies.push(entry);
    }
    if (this.config.autoWatchReset && !this.watches.isEmpty) this.sendSetWatches();
    while (this.outgoing.length > 0) {
      const req = this.outgoing.shift()!;
      if (!req.settled) this.write(req);
    }
    this.lastSend = this.config.clock.now();
    this.scheduleTick(Math.max(1, Math.floor(this.readTimeout / 2)));
    if (readOnly) this.scheduleRwProbe(true);
  }

  /** Re-arms every watch on the new connection, in batches under SET_WATCHES_MAX_LENGTH. */
  private sendSetWatches(): void {
    const s = (paths: Iterable<string>): string[] => [...paths].map((p) => toServerPath(this.chroot, p));
    const lists = [
      s(this.watches.data.keys()),
      s(this.watches.exist.keys()),
      s(this.watches.child.keys()),
      s(this.watches.persistent.keys()),
      s(this.watches.persistentRecursive.keys()),
    ];
    const cursor = [0, 0, 0, 0, 0];
    const more = (): boolean => lists.some((l, i) => cursor[i]! < l.length);
    while (more()) {
      const batch: string[][] = [[], [], [], [], []];
      let length = 0;
      // As ZooKeeper's client, the last path may take a batch a little over the limit.
      while (length < SET_WATCHES_MAX_LENGTH) {
        const k = lists.findIndex((l, i) => cursor[i]! < l.length);
        if (k < 0) break;
        const path = lists[k]![cursor[k]!++]!;
        batch[k]!.push(path);
        length += path.length;
      }
      const [dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches] = batch as [string[], string[], string[], string[], string[]];
      const persistent = persistentWatches.length > 0 || persistentRecursiveWatches.length > 0;
      const req = new Request(persistent ? OpCode.setWatches2 : OpCode.setWatches, null, 'setWatches', undefined);
      req.xid = Xid.SET_WATCHES;
      req.settled = true;
      const body = persistent
        ? { relativeZxid: this.lastZxid, dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches }
        : { relativeZxid: this.lastZxid, dataWatches, existWatches, childWatches };
      this.writeSpecial(Xid.SET_WATCHES, req.opCode, body);
      this.inFlight.push(req);
    }
  }

  // ---- receiving ----

  private onFrame(frame: Uint8Array): void {
    const r = this.reader.reset(frame);
    const xid = r.readInt('ReplyHeader.xid');
    const zxid = r.readLong('ReplyHeader.zxid');
    const err = r.readInt('ReplyHeader.err');
    if (xid === Xid.NOTIFICATION) {
      this.onNotification(WatcherEvent.read(r));
      return;
    }
    if (xid === Xid.PING) return;
    if (xid === Xid.AUTH) {
      this.onAuthReply(err);
      return;
    }
    const req = this.inFlight.shift();
    if (req === undefined || req.xid !== xid) {
      if (req !== undefined) this.fail(req, new ConnectionLossError({ path: req.path, op: req.op }));
      throw new Error(`Xid out of order. Got Xid ${xid} with err ${err} expected Xid ${req?.xid ?? 'none'}`);
    }
    if (zxid > 0n) this.lastZxid = zxid;
    this.complete(req, err, r);
  }

  private complete(req: Request, err: number, r: JuteReader): void {
    if (req.watch !== undefined) {
      const { kind, path, watcher } = req.watch;
      if (kind === 'exists') {
        if (err === ErrorCode.OK) this.watches.add('data', path, watcher);
        else if (err === ErrorCode.NONODE) this.watches.add('exist', path, watcher);
      } else if (err === ErrorCode.OK) {
        this.watches.add(kind, path, watcher);
      }
    }
    if (req.unwatch !== undefined) err = this.unregister(req, err);
    if (req.settled) return;
    if (err !== ErrorCode.OK && !((req.opCode === OpCode.multi || req.opCode === OpCode.multiRead) && r.remaining > 0)) {
      if (req.opCode === OpCode.exists && err === ErrorCode.NONODE) this.succeed(req, null);
      else this.fail(req, zooKeeperErrorFor(err, req));
      return;
    }
    let value: unknown;
    try {
      value = decodeResult(req, r, this.chroot);
    } catch (e) {
      if (isFailedMulti(e)) this.fail(req, e.error);
      else this.fail(req, new MarshallingError({ path: req.path, op: req.op, message: `cannot decode the reply to ${req.op}: ${(e as Error).message}`, cause: e }));
      return;
    }
    this.succeed(req, value);
  }

  /** Local watch removal once the server answered (ClientCnxn.finishPacket with a WatchDeregistration). */
  private unregister(req: Request, err: number): number {
    const u = req.unwatch!;
    try {
      const removed = this.watches.remove(u.path, u.watcher, u.type, u.local, err);
      const state: KeeperStateName = err === ErrorCode.SESSIONEXPIRED || err === ErrorCode.CONNECTIONLOSS ? 'Disconnected' : 'SyncConnected';
      let any = false;
      if (removed.child.size > 0) {
        this.events.deliver({ type: 'ChildWatchRemoved', state, path: u.path }, removed.child);
        any = true;
      }
      if (removed.data.size > 0) {
        this.events.deliver({ type: 'DataWatchRemoved', state, path: u.path }, removed.data);
        any = true;
      }
      if (removed.persistent.size > 0) {
        this.events.deliver({ type: 'PersistentWatchRemoved', state, path: u.path }, removed.persistent);
        any = true;
      }
      return any ? ErrorCode.OK : err;
    } catch (e) {
      return (e as ZooKeeperError).code ?? err;
    }
  }

  private onNotification(ev: WatcherEvent): void {
    const event: WatchedEvent = {
      type: eventTypeName(ev.type),
      state: keeperStateName(ev.state),
      path: toClientPath(this.chroot, ev.path),
    };
    this.events.deliver(event, this.watches.materialize(event.state, event.type, event.path));
  }

  private onAuthReply(err: number): void {
    const entry = this.authReplies.shift();
    if (err === ErrorCode.AUTHFAILED) {
      this.onAuthFailed();
      return;
    }
    if (entry !== undefined) {
      const waiters = entry.waiters;
      entry.waiters = [];
      for (const w of waiters) this.succeed(w, undefined);
    }
  }

  // ---- authentication ----

  /** Adds credentials for this session (kept and re-sent on every reconnection). */
  addAuth(req: Request, scheme: string, auth: Uint8Array): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      req.resolve = resolve as (v: unknown) => void;
      req.reject = reject;
    });
    if (!this.alive || this.closing !== undefined) {
      this.fail(req, this.deadError(req));
      return promise;
    }
    const entry: AuthEntry = { scheme, auth: auth.slice(), waiters: [req] };
    this.auth.push(entry);
    if (this.connected) {
      this.writeSpecial(Xid.AUTH, OpCode.auth, { type: 0, scheme, auth: entry.auth });
      this.authReplies.push(entry);
    }
    return promise;
  }

  private onAuthFailed(): void {
    this.state = 'AUTH_FAILED';
    this.emitState('AuthFailed');
    this.shutdown((req) => new AuthFailedError({ path: req.path, op: req.op }));
  }

  // ---- connection loss, expiry, close ----

  private dropConnection(conn: Connection): void {
    if (conn !== this.conn) return;
    conn.destroy();
    this.onConnectionLost();
  }

  private onConnectionLost(): void {
    const wasConnected = this.connected;
    this.conn?.destroy();
    this.conn = undefined;
    this.frames = undefined;
    this.connected = false;
    this.writer.reset();
    this.clearTimer('tickTimer');
    this.clearTimer('handshakeTimer');
    this.clearTimer('rwTimer');
    // Requests in flight may or may not have been applied: they fail with ConnectionLoss (never
    // retried silently). Requests not yet sent stay queued for the next connection.
    for (const req of this.inFlight.drain()) this.lose(req);
    // Credentials whose acknowledgement was lost are re-sent (with the rest) on reconnection.
    this.authReplies.drain();
    if (!this.alive || this.closing !== undefined) return;
    this.state = 'CONNECTING';
    if (wasConnected) {
      this.emitState('Disconnected');
      this.startDisconnectTimer();
    }
    this.scheduleReconnect();
  }

  private startDisconnectTimer(): void {
    this.clearTimer('disconnectTimer');
    const ms = this.negotiatedTimeoutMs > 0 ? this.negotiatedTimeoutMs : this.config.sessionTimeoutMs;
    this.disconnectTimer = this.config.clock.setTimeout(() => {
      this.disconnectTimer = undefined;
      if (this.connected || !this.alive) return;
      this.failFast = true;
      for (const q of [this.blocked, this.outgoing]) {
        for (const req of q.drain()) this.fail(req, new ConnectionLossError({ path: req.path, op: req.op }));
      }
    }, ms);
  }

  private onExpired(): void {
    this.expired = true;
    this.state = 'CLOSED';
    this.emitState('Expired');
    this.shutdown((req) => new SessionExpiredError({ path: req.path, op: req.op }));
  }

  /** Final stop: every timer, the connection, and every request still waiting. */
  private shutdown(errorFor: (req: Request) => ZooKeeperError): void {
    this.generation++;
    for (const t of ['tickTimer', 'handshakeTimer', 'disconnectTimer', 'rwTimer'] as const) this.clearTimer(t);
    if (this.reconnectTimer !== undefined && this.reconnectTimer !== true) this.config.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const conn = this.conn;
    this.conn = undefined;
    this.connected = false;
    this.flush();
    conn?.destroy();
    for (const req of this.inFlight.drain()) this.lose(req);
    for (const q of [this.blocked, this.outgoing]) for (const req of q.drain()) this.fail(req, errorFor(req));
    for (const entry of this.auth) {
      for (const w of entry.waiters) this.fail(w, errorFor(w));
      entry.waiters = [];
    }
    this.authReplies.drain();
  }

  /** Closes the session: closeSession to the server (when connected), then stops for good. */
  close(): Promise<void> {
    if (this.closing !== undefined) return this.closing;
    this.closing = this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    if (!this.alive) {
      this.shutdown((req) => this.deadError(req));
      return;
    }
    if (this.connected && this.conn !== undefined) {
      const req = new Request(OpCode.closeSession, null, 'close', undefined);
      this.closeRequest = req;
      const done = new Promise<void>((resolve) => {
        req.resolve = () => resolve();
        req.reject = () => resolve();
      });
      req.timer = this.config.clock.setTimeout(() => this.fail(req, undefined), this.config.closeTimeoutMs);
      this.write(req);
      await done;
    }
    this.state = 'CLOSED';
    this.shutdown((req) => new ConnectionLossError({ path: req.path, op: req.op }));
    this.emitState('Closed');
  }

  // ---- timers: pings, read timeout, read-write server search ----

  private scheduleTick(ms: number): void {
    this.clearTimer('tickTimer');
    this.tickTimer = this.config.clock.setTimeout(this.tickBound, ms);
  }

  /** ClientCnxn.SendThread's loop: read timeout, then a ping when idle long enough. */
  private tick(): void {
    this.tickTimer = undefined;
    const conn = this.conn;
    if (!this.connected || conn === undefined) return;
    const now = this.config.clock.now();
    const idleRecv = now - this.lastRecv;
    if (idleRecv >= this.readTimeout) {
      // "Client session timed out, have not heard from server in <idleRecv>ms"
      this.dropConnection(conn);
      return;
    }
    let next = this.readTimeout - idleRecv;
    const idleSend = now - this.lastSend;
    const timeToNextPing = Math.floor(this.readTimeout / 2) - idleSend - (idleSend > 1000 ? 1000 : 0);
    if (timeToNextPing <= 0 || idleSend > MAX_SEND_PING_INTERVAL_MS) {
      this.writeSpecial(Xid.PING, OpCode.ping, null);
      this.flush();
      next = Math.min(next, Math.floor(this.readTimeout / 2));
    } else {
      next = Math.min(next, timeToNextPing);
    }
    this.scheduleTick(Math.max(1, next));
  }

  private scheduleRwProbe(reset: boolean): void {
    if (this.hostProvider.size < 2) return;
    if (reset) this.pingRwTimeout = MIN_PING_RW_TIMEOUT_MS;
    this.clearTimer('rwTimer');
    this.rwTimer = this.config.clock.setTimeout(() => void this.probeRw(), this.pingRwTimeout);
  }

  /** In read-only mode, looks for a read-write server (ClientCnxn.pingRwServer, with `isro`). */
  private async probeRw(): Promise<void> {
    this.rwTimer = undefined;
    if (this.state !== 'CONNECTEDREADONLY') return;
    const gen = this.generation;
    let candidate = this.hostProvider.peekOther(this.rwProbeOffset);
    if (candidate === this.server) candidate = this.hostProvider.peekOther(++this.rwProbeOffset);
    this.rwProbeOffset = (this.rwProbeOffset % (this.hostProvider.size - 1)) + 1;
    this.pingRwTimeout = Math.min(2 * this.pingRwTimeout, MAX_PING_RW_TIMEOUT_MS);
    const answer = await probeReadWrite(this.config.transport, candidate, this.config.clock, 1000);
    if (gen !== this.generation || this.state !== 'CONNECTEDREADONLY') return;
    if (answer === 'rw' && this.conn !== undefined) {
      this.hostProvider.preferNext(candidate);
      this.attempted = false;
      this.dropConnection(this.conn);
      return;
    }
    this.scheduleRwProbe(false);
  }

  private clearTimer(name: 'tickTimer' | 'handshakeTimer' | 'disconnectTimer' | 'rwTimer'): void {
    const t = this[name];
    if (t !== undefined) {
      this.config.clock.clearTimeout(t);
      this[name] = undefined;
    }
  }

  // ---- events ----

  private emitState(state: KeeperStateName): void {
    const event: WatchedEvent = { type: 'None', state, path: null };
    const watchers = this.watches.materialize(state, 'None', null);
    for (const l of this.stateListeners) watchers.add(l);
    this.events.deliver(event, watchers);
  }
}

function zooKeeperErrorFor(err: number, req: Request): ZooKeeperError {
  return zooKeeperError(err, req.path, req.op);
}
