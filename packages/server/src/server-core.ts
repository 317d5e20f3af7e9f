import {
  AuthPacket, ErrorCode, OpCode, decodeTxnEntry, responseCodec, writeMultiResponse,
  SyncResponse, type ConnectRequest, type Id, type TxnEntry, type JuteReader, type MultiResult,
} from '@zk/protocol';
import { DataTree, TxnPreparer, AuthRegistry, deserializeSnapshot, loadSnapshot, type ApplyResult } from '@zk/datatree';
import { SessionIdGenerator, SessionTracker, negotiateSessionTimeout, passwordFor, checkPassword } from '@zk/session-manager';
import { WatchManager } from '@zk/watch-manager';
import type { Storage } from '@zk/storage';
import { formatZxid } from '@zk/zxid';
import type { Clock, TimerHandle } from './clock.js';
import type { ClientConnection } from './client-connection.js';
import type { ServerConfig } from './config/index.js';
import type { Logger } from './logger.js';
import { needsTxn, type Request } from './request.js';
import { serveRead } from './read-ops.js';
import { configNodeText } from './config-node.js';
import { ServerStats } from './stats.js';
import { WritePipeline, type PendingWrite } from './write-pipeline.js';

/**
 * Who a session belongs to, for SESSIONMOVED: a connection of this server, or (on an ensemble's
 * leader) the sid of the learner the session's client is connected to.
 */
export type SessionOwner = ClientConnection | number;

/**
 * In an ensemble, where writes and syncs go instead of the local log (see ensemble.ts). The core
 * calls it; it calls back `prepareEntry` (leader) and `applyCommitted` (every replica).
 */
export interface ReplicationRoute {
  submit(req: Request): void;
  /** A client re-attached here to an existing session (the leader must learn the new owner). */
  sessionAttached(sessionId: bigint, timeoutMs: number): void;
  /** A client of this server showed it is alive (forwarded to the leader with the next ping). */
  sessionTouched(sessionId: bigint, timeoutMs: number): void;
  /**
   * Resolves once this replica has applied everything the leader had committed when asked (a
   * learner may not have applied a session's createSession yet when its client moves here).
   */
  catchUp(): Promise<void>;
  readonly outstanding: number;
}

/** ZooKeeper's NIO sessionless connection timeout (zookeeper.nio.sessionlessCnxnTimeout). */
const SESSIONLESS_TIMEOUT_MS = 10_000;

/**
 * The state of one standalone replica and the stages a request goes through: connect, prep
 * (TxnPreparer), log + group commit (WritePipeline), apply (DataTree), final (watches, replies).
 * Everything runs on the event loop; no stage owns a timer except session and container expiry.
 */
export class ServerCore {
  readonly stats = new ServerStats();
  readonly watches = new WatchManager<ClientConnection>();
  readonly sessions: SessionTracker<SessionOwner>;
  readonly connections = new Set<ClientConnection>();
  readonly auth: AuthRegistry;
  readonly sessionlessTimeoutMs = SESSIONLESS_TIMEOUT_MS;
  readonly startedAt: number;
  tree: DataTree;
  preparer: TxnPreparer;
  private readonly ids: SessionIdGenerator;
  private readonly pipeline: WritePipeline;
  private readonly connectionsByIp = new Map<string, number>();
  private readonly bySession = new Map<bigint, ClientConnection>();
  private lastAssignedZxid = 0n;
  private expiryTimer: TimerHandle | undefined;
  private expiryAt = Number.POSITIVE_INFINITY;
  private txnsSinceSnapshot = 0;
  private snapshotting = false;
  private readonly snapshotEvery: number;
  private stopped = false;
  /** Set in ensemble mode. */
  private route: ReplicationRoute | undefined;
  /** False while an ensemble member is not serving (LOOKING, syncing): clients are turned away. */
  serving = true;
  /** Standalone servers and an ensemble's leader expire sessions; learners leave it to the leader. */
  private expiresSessions = true;
  /** Ensemble: the membership written into /zookeeper/config. */
  private configNode: Uint8Array | undefined;
  /** Sessions this server's prep registered whose createSession is not applied yet. */
  private readonly preppedSessions = new Set<bigint>();

  constructor(
    readonly config: ServerConfig,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly storage: Storage,
    readonly serverId: number,
    random: () => number,
  ) {
    this.startedAt = clock.now();
    this.sessions = new SessionTracker({ tickTimeMs: config.tickTime });
    this.ids = new SessionIdGenerator(serverId, this.startedAt);
    this.auth = new AuthRegistry(config.superDigest !== undefined ? { superDigest: config.superDigest } : {});
    this.tree = new DataTree(this.treeOptions());
    this.preparer = new TxnPreparer(this.tree, this.prepOptions());
    this.pipeline = new WritePipeline(storage.txnLog, (w) => this.commit(w), (err) => this.onStorageFailure(err));
    // ZooKeeper snapshots at a random point in [snapCount/2 + 1, snapCount] so servers of an
    // ensemble do not all snapshot at once.
    const half = Math.floor(config.snapCount / 2);
    this.snapshotEvery = half + 1 + Math.floor(random() * (config.snapCount - half));
  }

  private treeOptions() {
    return { extendedTypesEnabled: this.config.extendedTypesEnabled, digestEnabled: this.config.digestEnabled };
  }

  private prepOptions() {
    return {
      extendedTypesEnabled: this.config.extendedTypesEnabled,
      enforceQuota: this.config.enforceQuota,
      skipAcl: this.config.skipACL,
      digestEnabled: this.config.digestEnabled,
      reconfigEnabled: this.config.reconfigEnabled,
      auth: this.auth,
    };
  }

  lastZxid(): bigint {
    return this.tree.lastProcessedZxid;
  }

  get outstanding(): number {
    return this.route?.outstanding ?? this.pipeline.outstanding;
  }

  /** Switches this core to ensemble mode: writes go through `route`, and nothing serves until told. */
  replicateThrough(route: ReplicationRoute): void {
    this.route = route;
    this.serving = false;
    this.expiresSessions = false;
    this.configNode = Buffer.from(configNodeText(this.config.servers), 'utf8');
    this.writeConfigNode();
  }

  private writeConfigNode(): void {
    if (this.configNode !== undefined) this.tree.setConfigData(this.configNode, 0n, this.clock.now());
  }

  /**
   * Requests a session answers strictly in order behind its earlier writes: every write, and in an
   * ensemble also sync (answered only once the leader's commits up to it are applied here).
   */
  isOrdered(req: Request): boolean {
    return needsTxn(req) || (this.route !== undefined && req.rejected === undefined && req.type === OpCode.sync);
  }

  // ---- recovery ----

  /**
   * Loads the newest usable snapshot and replays the log after it. A fuzzy snapshot already holds
   * txns up to its `digestZxid`; if the log ends before that (it lost a tail: a simulated disk
   * loss), the snapshot is ahead of the log and an older one is used instead. After replaying up
   * to `digestZxid` the tree's digest must equal the one the snapshot recorded.
   */
  async recover(): Promise<void> {
    const plan = await this.storage.recoveryPlan();
    const lastLogged = this.storage.txnLog.lastZxid();
    let replayFrom = plan.replayFrom;
    let snapshotUsed: bigint | undefined;
    let check: { zxid: bigint; digest: bigint } | undefined;
    if (plan.snapshot !== undefined) {
      const newest = plan.snapshot.zxid;
      const candidates = (await this.storage.snapshots.list())
        .filter((s) => s.zxid <= newest)
        .sort((a, b) => (a.zxid < b.zxid ? 1 : a.zxid > b.zxid ? -1 : 0));
      for (const info of candidates) {
        const loaded = await loadSnapshot(this.storage.snapshots.open(info), this.treeOptions());
        if (loaded.digestZxid > lastLogged) {
          // The zxids it reflects will be given to new txns: kept, it would look valid once the
          // log grows past them again and bring back a history that no longer exists.
          await this.storage.snapshots.remove(info);
          this.logger.warn('snapshot is ahead of the transaction log: removed it, trying an older one', {
            snapshot: info.name, snapshotEnds: formatZxid(loaded.digestZxid), logEnds: formatZxid(lastLogged),
          });
          continue;
        }
        this.tree = loaded.tree;
        this.sessions.restore(loaded.sessions, this.clock.now());
        replayFrom = loaded.zxid + 1n;
        snapshotUsed = loaded.zxid;
        if (this.config.digestEnabled && loaded.digest !== 0n) check = { zxid: loaded.digestZxid, digest: loaded.digest };
        break;
      }
      if (snapshotUsed === undefined && this.storage.txnLog.baseZxid() !== 0n) {
        throw new Error(
          `no usable snapshot: every snapshot is ahead of the transaction log (ends at ${formatZxid(lastLogged)}) ` +
          'and the log does not start at zxid 0; restore the data directory from a healthy server',
        );
      }
      if (snapshotUsed === undefined) replayFrom = 1n;
    }
    if (check !== undefined && check.zxid === this.tree.lastProcessedZxid) this.verifyDigest(check);
    let replayed = 0;
    for await (const rec of this.storage.txnLog.read(replayFrom)) {
      const entry = decodeTxnEntry(rec.record);
      const res = this.tree.apply(entry);
      this.applySessionEffects(entry.header.clientId, res, entry, undefined);
      replayed++;
      if (check !== undefined && entry.header.zxid === check.zxid) this.verifyDigest(check);
    }
    this.preparer = new TxnPreparer(this.tree, this.prepOptions());
    this.lastAssignedZxid = this.tree.lastProcessedZxid;
    // Restored sessions get a full timeout from now, as ZooKeeper's loadData does.
    for (const id of [...this.sessions.ids()]) this.sessions.touch(id, this.clock.now());
    this.scheduleExpiry();
    this.logger.info('recovered', {
      snapshot: snapshotUsed !== undefined ? formatZxid(snapshotUsed) : 'none',
      replayed, lastZxid: formatZxid(this.tree.lastProcessedZxid), sessions: this.sessions.size,
    });
  }

  private verifyDigest(check: { zxid: bigint; digest: bigint }): void {
    const actual = this.tree.digest();
    if (actual !== check.digest) {
      this.logger.error('tree digest differs from the snapshot after replay: the data directory is inconsistent', {
        zxid: formatZxid(check.zxid), expected: check.digest.toString(16), actual: actual.toString(16),
        hint: 'restore the data directory from a healthy server',
      });
    }
  }

  // ---- connections ----

  /** Admission control: maxClientCnxns per client IP. Returns false to refuse. */
  admit(host: string): boolean {
    const n = this.connectionsByIp.get(host) ?? 0;
    if (this.config.maxClientCnxns > 0 && n >= this.config.maxClientCnxns) {
      this.stats.connectionRejected++;
      this.logger.warn('too many connections from one address', {
        remote: host, max: this.config.maxClientCnxns, hint: 'raise maxClientCnxns in zoo.cfg, or fix a client that leaks connections',
      });
      return false;
    }
    this.connectionsByIp.set(host, n + 1);
    return true;
  }

  connectionOpened(c: ClientConnection): void {
    this.connections.add(c);
  }

  connectionClosed(c: ClientConnection): void {
    if (!this.connections.delete(c)) return;
    const n = (this.connectionsByIp.get(c.remoteHost) ?? 1) - 1;
    if (n <= 0) this.connectionsByIp.delete(c.remoteHost);
    else this.connectionsByIp.set(c.remoteHost, n);
    this.watches.removeWatcher(c);
    if (c.sessionId !== 0n && this.bySession.get(c.sessionId) === c) this.bySession.delete(c.sessionId);
  }

  /** The handshake (ZooKeeperServer.processConnectRequest). */
  connect(c: ClientConnection, req: ConnectRequest, caughtUp = false): void {
    if (this.stopped || !this.serving || this.pipeline.failed !== undefined) {
      c.close('server is not serving');
      return;
    }
    if (req.lastZxidSeen > this.tree.lastProcessedZxid) {
      this.logger.info('refusing session: client has seen a newer zxid than this server', {
        remote: c.remote, clientZxid: formatZxid(req.lastZxidSeen), serverZxid: formatZxid(this.tree.lastProcessedZxid),
      });
      c.close('client has seen a newer zxid; it must try another server');
      return;
    }
    const timeoutMs = negotiateSessionTimeout(req.timeOut, {
      minSessionTimeoutMs: this.config.minSessionTimeout,
      maxSessionTimeoutMs: this.config.maxSessionTimeout,
    });
    if (req.sessionId === 0n) {
      const sessionId = this.ids.next();
      this.submitWrite({
        conn: c, sessionId, xid: 0, type: OpCode.createSession, body: { timeOut: timeoutMs }, receivedAt: this.clock.now(),
      });
      return;
    }
    const id = req.sessionId;
    if (this.route !== undefined && !caughtUp && checkPassword(id, req.passwd) && !this.sessions.has(id)) {
      // ZooKeeper's learner revalidates with the leader; catching up with it answers the same question.
      this.route.catchUp().then(
        () => {
          if (c.isOpen) this.connect(c, req, true);
        },
        () => c.close('lost the leader while revalidating a session'),
      );
      return;
    }
    if (!checkPassword(id, req.passwd) || !this.sessions.has(id) || this.sessions.isClosing(id)) {
      this.logger.info('refusing re-attach: session expired or wrong password', { remote: c.remote, sessionId: formatZxid(id) });
      c.sessionRefused();
      return;
    }
    this.sessions.touch(id, this.clock.now(), timeoutMs);
    this.route?.sessionAttached(id, timeoutMs);
    this.attach(c, id, timeoutMs);
  }

  private attach(c: ClientConnection, sessionId: bigint, timeoutMs: number): void {
    const previous = this.bySession.get(sessionId);
    if (previous !== undefined && previous !== c) previous.close('session moved to a new connection');
    this.bySession.set(sessionId, c);
    this.sessions.setOwner(sessionId, c);
    c.sessionEstablished(sessionId, timeoutMs, passwordFor(sessionId));
    this.scheduleExpiry();
  }

  /** Every packet extends its session by the connection's negotiated timeout (touchSession). */
  touchSession(sessionId: bigint, now: number, timeoutMs: number): void {
    if (sessionId === 0n) return;
    this.sessions.touch(sessionId, now, timeoutMs);
    this.route?.sessionTouched(sessionId, timeoutMs);
  }

  /** addauth (xid -4): answered at once, outside the session's request order, as ZooKeeper does. */
  authenticate(c: ClientConnection, xid: number, r: JuteReader): void {
    let pkt: AuthPacket;
    try {
      pkt = AuthPacket.read(r);
    } catch {
      c.reply(undefined, xid, 0n, ErrorCode.MARSHALLINGERROR);
      return;
    }
    const ids = this.auth.authenticate(pkt.scheme, pkt.auth, c.remoteHost);
    if (ids === ErrorCode.AUTHFAILED) {
      this.stats.authFailed++;
      this.logger.warn('authentication failed', { remote: c.remote, scheme: pkt.scheme });
      c.reply(undefined, xid, 0n, ErrorCode.AUTHFAILED);
      c.close('authentication failed');
      return;
    }
    c.addAuthIds(ids);
    c.reply(undefined, xid, 0n, ErrorCode.OK);
  }

  serveRead(req: Request): void {
    serveRead(this, req);
  }

  // ---- writes: prep -> log -> commit ----

  submitWrite(req: Request): void {
    if (this.route !== undefined) {
      this.route.submit(req);
      return;
    }
    const zxid = this.lastAssignedZxid + 1n;
    this.lastAssignedZxid = zxid;
    const entry = this.prepareEntry(req, zxid, req.conn, req.conn?.authIds ?? []);
    try {
      this.pipeline.append({ req, entry });
    } catch (err) {
      // The log failed earlier: nothing more is acknowledged.
      req.conn?.close('storage failed');
    }
  }

  /**
   * The prep stage: turns a write into the txn that gets `zxid`. `owner` is who sent it (undefined
   * for the server's own requests: expiry, container cleanup), checked against the session's owner.
   */
  prepareEntry(req: Request, zxid: bigint, owner: SessionOwner | undefined, authIds: readonly Id[]): TxnEntry {
    // ZooKeeper's prep checks the session inside each op (SESSIONEXPIRED / SESSIONMOVED).
    const sessionError = owner === undefined || req.type === OpCode.createSession ? 0 : this.sessions.checkSession(req.sessionId, owner);
    const time = this.clock.now();
    if (req.body === undefined) return errorEntry(req, zxid, time, ErrorCode.MARSHALLINGERROR);
    if (req.type === OpCode.createSession) {
      // PrepRequestProcessor registers a new session at once: in an ensemble a learner answers
      // the client as soon as a quorum (maybe without this leader's own disk) committed it, and
      // the client's next write must find the session here even if this server has not applied
      // the createSession yet.
      const timeOut = (req.body as { timeOut: number }).timeOut;
      if (this.sessions.add(req.sessionId, timeOut, time)) {
        this.preppedSessions.add(req.sessionId);
        this.scheduleExpiry();
      }
    }
    try {
      return this.preparer.prepare(
        { sessionId: req.sessionId, cxid: req.xid, zxid, time, type: req.type, body: req.body },
        { authIds, sessionError },
      );
    } catch (err) {
      // PrepRequestProcessor's catch-all: a request it cannot process becomes MARSHALLINGERROR.
      this.logger.error('failed to prepare request', { type: req.type, sessionId: formatZxid(req.sessionId), error: String(err) });
      return errorEntry(req, zxid, time, ErrorCode.MARSHALLINGERROR);
    }
  }

  private commit(w: PendingWrite): void {
    this.applyCommitted(w.entry, w.req);
  }

  /**
   * The final stage, for a txn that is durable (standalone) or committed (ensemble): apply it, then
   * fire watches and answer `req` when this server holds the request it came from.
   */
  applyCommitted(entry: TxnEntry, req: Request | undefined): void {
    const res = this.tree.apply(entry);
    this.preparer.onApplied(entry.header.zxid);
    this.applySessionEffects(entry.header.clientId, res, entry, req?.conn);
    // A fault past this point concerns one connection; a fault in apply above stops the server
    // (fail-stop is safer than a tree that diverged from its log).
    try {
      this.fireWatches(res);
      if (req !== undefined) this.reply(req, res);
    } catch (err) {
      this.logger.error('failed to answer a committed request', { type: entry.header.type, zxid: formatZxid(entry.header.zxid), error: String(err) });
      req?.conn?.close('internal error');
    }
    if (++this.txnsSinceSnapshot >= this.snapshotEvery) this.snapshot();
  }

  /** Ensemble: a sync is answered once the leader's commits up to it are applied here. */
  replySync(req: Request): void {
    const c = req.conn;
    if (c === undefined || !c.isOpen) return;
    c.reply(req, req.xid, this.tree.lastProcessedZxid, 0, SyncResponse, { path: (req.body as { path: string }).path });
    c.writeDone();
  }

  /** Session table changes that follow from an applied txn (on commit and on replay). */
  private applySessionEffects(
    sessionId: bigint, res: ApplyResult, entry: TxnEntry, origin: ClientConnection | undefined,
  ): void {
    if (res.type === OpCode.createSession) {
      this.preppedSessions.delete(sessionId);
      const timeOut = entry.txn.type === OpCode.createSession ? entry.txn.txn.timeOut : 0;
      this.sessions.add(sessionId, timeOut, this.clock.now());
      this.scheduleExpiry();
    } else if (res.type === OpCode.closeSession) {
      this.sessions.remove(sessionId);
      const c = this.bySession.get(sessionId);
      if (c !== undefined) {
        this.bySession.delete(sessionId);
        // The client's own closeSession is answered before its connection closes (see reply()).
        if (c !== origin) c.close('session closed');
      }
    }
  }

  private fireWatches(res: ApplyResult): void {
    for (const t of res.triggers) {
      const fired = this.watches.trigger(t.path, t.type as 1 | 2 | 3 | 4, t.zxid);
      for (const c of fired.watchers) c.notify(fired.event);
    }
  }

  private reply(req: Request, res: ApplyResult): void {
    const c = req.conn;
    // A connection that went away meanwhile gets nothing; its new session simply expires.
    if (c === undefined || !c.isOpen) return;
    if (req.type === OpCode.createSession) {
      this.attach(c, req.sessionId, (req.body as { timeOut: number }).timeOut);
      return;
    }
    const zxid = res.zxid;
    if (req.type === OpCode.multi && res.multi !== undefined) {
      // The header of a multi reply is OK even when an op failed; the per-op results say which.
      const results: MultiResult[] = res.multi;
      c.replyWith(req, req.xid, zxid, ErrorCode.OK, (w) => writeMultiResponse(w, results));
    } else if (res.err !== ErrorCode.OK) {
      c.reply(req, req.xid, zxid, res.err);
    } else if (req.type === OpCode.check) {
      // ZooKeeper 3.8.0 fails to answer a standalone check (it serializes a null Stat); we answer
      // with the header alone.
      c.reply(req, req.xid, zxid, 0);
    } else {
      c.reply(req, req.xid, zxid, 0, responseCodec(req.type), successBody(req.type, res));
    }
    if (req.type === OpCode.closeSession) c.close('client closed its session');
    else c.writeDone();
  }

  // ---- session expiry ----

  private scheduleExpiry(): void {
    if (!this.expiresSessions) return;
    const next = this.sessions.nextExpirationTime();
    if (next === undefined || this.stopped) return;
    if (this.expiryTimer !== undefined && next >= this.expiryAt) return;
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryAt = next;
    this.expiryTimer = this.clock.setTimeout(() => this.onExpiryTick(), Math.max(0, next - this.clock.now()));
  }

  private onExpiryTick(): void {
    this.expiryTimer = undefined;
    this.expiryAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    for (const id of this.sessions.expire(now)) {
      this.logger.info('expiring session', { sessionId: formatZxid(id), timeoutMs: this.sessions.timeoutOf(id) });
      this.submitWrite({ conn: undefined, sessionId: id, xid: 0, type: OpCode.closeSession, body: null, receivedAt: now });
    }
    this.scheduleExpiry();
  }

  // ---- ensemble roles (driven by ensemble.ts) ----

  /**
   * The replica now serves clients. A leader also takes over session expiry: every session gets a
   * full timeout from now (clients had no server while the ensemble elected), and the prep stage
   * starts afresh on the tree, which holds every committed txn by now.
   */
  startServing(leader: boolean): void {
    this.serving = true;
    this.writeConfigNode();
    if (!leader) return;
    this.preparer = new TxnPreparer(this.tree, this.prepOptions());
    const now = this.clock.now();
    // Re-adding clears any closing mark or owner left from an earlier term of this server.
    const all: Array<[bigint, number]> = [...this.sessions.ids()].map((id) => [id, this.sessions.timeoutOf(id) ?? 0]);
    for (const [id] of all) this.sessions.remove(id);
    this.sessions.restore(all, now);
    this.expiresSessions = true;
    this.scheduleExpiry();
  }

  /** The replica left its role: every client is disconnected and reconnects to a serving server. */
  stopServing(reason: string): void {
    this.serving = false;
    // A leader's registrations of sessions it never committed would let a client re-attach here.
    for (const id of this.preppedSessions) this.sessions.remove(id);
    this.preppedSessions.clear();
    this.expiresSessions = false;
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    this.expiryAt = Number.POSITIVE_INFINITY;
    for (const c of [...this.connections]) c.close(reason);
  }

  /** Replaces the whole state from a snapshot (start-up from disk, or a SNAP from the leader). */
  restoreSnapshot(bytes: Uint8Array | readonly Uint8Array[]): void {
    const loaded = deserializeSnapshot(bytes, this.treeOptions());
    this.tree = loaded.tree;
    this.writeConfigNode();
    for (const id of [...this.sessions.ids()]) this.sessions.remove(id);
    this.sessions.restore(loaded.sessions, this.clock.now());
    this.preparer = new TxnPreparer(this.tree, this.prepOptions());
    this.lastAssignedZxid = this.tree.lastProcessedZxid;
  }

  /** A consistent snapshot of the tree as it is now (the leader's SNAP for a lagging learner). */
  snapshotNow(): Uint8Array[] {
    const sessions = new Map<bigint, number>();
    for (const id of this.sessions.ids()) sessions.set(id, this.sessions.timeoutOf(id) ?? 0);
    const writer = this.tree.snapshotWriter(sessions);
    const chunks: Uint8Array[] = [];
    for (let c = writer.next(); c !== undefined; c = writer.next()) chunks.push(c);
    return chunks;
  }

  // ---- snapshots ----

  private snapshot(): void {
    if (this.snapshotting) return;
    this.snapshotting = true;
    this.txnsSinceSnapshot = 0;
    const sessions = new Map<bigint, number>();
    for (const id of this.sessions.ids()) sessions.set(id, this.sessions.timeoutOf(id) ?? 0);
    // A fuzzy snapshot, as ZooKeeper's: its zxid and the session table are taken now; the tree
    // is encoded in ~64 KiB slices, one per event-loop turn, while writes go on being applied.
    // Recovery replays the log from zxid + 1 (why that is exact: @zk/datatree snapshot.ts).
    // Chunk buffers are recycled: the store consumes each chunk before it pulls the next.
    const writer = this.tree.snapshotWriter(sessions, { reuseChunks: true });
    const zxid = writer.zxid;
    const log = this.storage.txnLog;
    const startedAt = this.clock.now();
    async function* slices(): AsyncGenerator<Uint8Array> {
      for (let c = writer.next(); c !== undefined; c = writer.next()) {
        yield c;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // Roll the log over when the walk is done rather than when it starts: the newest segment
      // then usually holds only txns after everything the snapshot reflects (its digestZxid), so
      // losing its tail cannot leave the snapshot ahead of the log. Not always (back-to-back
      // snapshots, no write since): recovery must check the log reaches digestZxid.
      log.rollover();
    }
    this.storage.snapshots.save(zxid, slices()).then(
      (info) => {
        this.snapshotting = false;
        this.logger.info('snapshot written', {
          zxid: formatZxid(zxid), nodes: writer.nodes, bytes: info.size, ms: this.clock.now() - startedAt,
        });
      },
      (err: unknown) => {
        this.snapshotting = false;
        if (this.stopped) this.logger.info('snapshot abandoned at shutdown', { zxid: formatZxid(zxid) });
        else this.logger.error('snapshot failed', { zxid: formatZxid(zxid), error: String(err) });
      },
    );
  }

  // ---- lifecycle ----

  private onStorageFailure(err: Error): void {
    this.logger.error('transaction log failed: refusing all writes until restart', {
      error: err.message, hint: 'check free space and the health of the dataLogDir device, then restart',
    });
    for (const c of [...this.connections]) c.close('storage failed');
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.expiryTimer !== undefined) this.clock.clearTimeout(this.expiryTimer);
    for (const c of [...this.connections]) c.close('server shutting down');
    await this.pipeline.drain();
  }
}

function errorEntry(req: Request, zxid: bigint, time: number, err: number): TxnEntry {
  return {
    header: { clientId: req.sessionId, cxid: req.xid, zxid, time, type: OpCode.error },
    txn: { type: OpCode.error, txn: { err } },
  };
}

/** The success reply body for a write (FinalRequestProcessor). */
function successBody(type: number, res: ApplyResult): unknown {
  switch (type) {
    case OpCode.create:
      return { path: res.path };
    case OpCode.create2:
    case OpCode.createContainer:
    case OpCode.createTTL:
      return { path: res.path, stat: res.stat };
    case OpCode.setData:
    case OpCode.setACL:
      return { stat: res.stat };
    default:
      return undefined;
  }
}
