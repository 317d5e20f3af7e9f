/**
 * A simulated ZooKeeper client for the server-mode simulator: one session at a time, spoken over
 * the raw wire protocol (WireConn), with the behaviour of ZooKeeper's Java client where it
 * matters for the checks: a connect timeout of timeout/servers, a read timeout of 2/3 of the
 * negotiated timeout, pings when idle, reconnection to another member with the same session id
 * and password and the last zxid it saw, setWatches after a reconnect, and a new session once the
 * old one is refused as expired.
 *
 * Every reply is checked as it arrives (see the check* methods); everything the client wrote is
 * recorded in the shared PathModels for the end-of-run audit.
 */
import {
  CreateMode, ErrorCode, EventType, KeeperState, OpCode, Xid,
  type ConnectResponse, type MultiOp, type MultiResult, type Stat, type WatcherEvent,
} from '@zk/protocol';
import type { VirtualClock } from '@zk/quorum';
import type { Transport } from '@zk/transport';
import {
  PathModel, describeObservation, describeStates, fold, matches,
  type Death, type Entry, type OpKind, type Observation,
} from './model.js';
import type { Prng } from './prng.js';
import { WireConn, type WireReply } from './wire.js';

const OPEN_ACL = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null): string => (b === null ? '' : new TextDecoder().decode(b));
const hex = (z: bigint): string => `0x${z.toString(16)}`;

/** What the clients share: the clock, the models of every path, the failure sink. */
export interface World {
  readonly clock: VirtualClock;
  readonly serverHosts: readonly string[];
  readonly clientPort: number;
  /** Every path a client wrote (for sequential nodes: once the reply named it). */
  readonly paths: Map<string, PathModel>;
  /** parent -> create/delete writes of its children (in-doubt sequential creates included). */
  readonly childOps: Map<string, Entry[]>;
  /** `${zxid}|${path}` -> what an acknowledged create/setData wrote there. */
  readonly ackedWrites: Map<string, { data: string; version: number }>;
  readonly clients: SimClient[];
  nextSeq(): number;
  fail(msg: string): void;
  /** A session expired while its client kept it alive (see checkExpiry): a server bug. */
  spuriousExpiry(msg: string): void;
  note(msg: string): void;
}

interface Session {
  readonly id: bigint;
  readonly passwd: Uint8Array;
  readonly timeout: number;
  /** When the handshake that created it was answered. */
  readonly createdAt: number;
  /**
   * When the last connection on which the session was proven alive closed: the send time of the
   * newest request (or ping) answered on it. Undefined when no such connection closed since.
   */
  aliveUntil?: number | undefined;
}

/**
 * Slack for the spurious-expiry checks (see checkExpiry): the leader hears of a client's packet
 * up to a tick later through its learner's ping, and a learner cut off from the leader serves on
 * for up to syncLimit ticks (250 ms) whose touches are lost; plus latency and the client's step.
 */
export const EXPIRY_SLACK_MS = 1_000;

interface Watch {
  /** Registration zxid (reply header zxid of the read that set it) per kind. */
  data?: bigint;
  exist?: bigint;
  child?: bigint;
}

type Phase = 'idle' | 'dialing' | 'handshake' | 'open';

/** Error codes a write may legitimately get in this workload. */
const WRITE_ERRORS = new Set<number>([
  ErrorCode.NODEEXISTS, ErrorCode.NONODE, ErrorCode.BADVERSION, ErrorCode.SESSIONEXPIRED, ErrorCode.SESSIONMOVED,
]);

export interface ClientStats {
  ops: number;
  acked: number;
  failed: number;
  indoubt: number;
  reads: number;
  events: number;
  sessions: number;
  expired: number;
  reconnects: number;
  sessionMoved: number;
  syncReads: number;
  setWatches: number;
}

export class SimClient {
  readonly root: string;
  readonly seqParent: string;
  /**
   * Where this client's sessions ended or may have ended: definite when a closeSession was
   * acknowledged; possible from the moment the client lost its connection (a session can expire
   * only while its client is cut off), gave it up, or was told it expired.
   */
  readonly deaths: Death[] = [];
  /** Per session, the seq of its last acknowledged write: it was alive (at the leader) at least until then. */
  private readonly lastAckedSeq = new Map<bigint, number>();
  /** Every session this client had (the current one last). */
  readonly sessions: bigint[] = [];
  readonly stats: ClientStats = { ops: 0, acked: 0, failed: 0, indoubt: 0, reads: 0, events: 0, sessions: 0, expired: 0, reconnects: 0, sessionMoved: 0, syncReads: 0, setWatches: 0 };
  session: Session | null = null;
  /** Issue new operations (false while quiescing at the end). */
  workload = true;
  /** Virtual time of the last acknowledged write. */
  lastAckedWriteAt = -1;
  private conn: WireConn | null = null;
  private phase: Phase = 'idle';
  private gen = 0;
  private host: string | null = null;
  private dialStartedAt = 0;
  private lastRecv = 0;
  private lastSend = 0;
  private reconnectAt = 0;
  private failedDials = 0;
  private lastZxidSeen = 0n;
  /** Highest zxid of an ordered reply on the current connection (must not go back). */
  private connZxid = 0n;
  private xid = 1;
  private readonly watches = new Map<string, Watch>();
  private window: { data: string[]; exist: string[]; child: string[] } | null = null;
  private closing = false;
  private rootsReady = false;
  private rootPending = false;
  private readonly ownSeq: string[] = [];
  private readonly seqNumbers: Array<{ zxid: bigint; n: number; path: string }> = [];
  private readonly paths: string[];
  private readonly sessionHost = new Map<bigint, string>();
  /** The current connection created the session or got a write acknowledged: the leader had it alive. */
  private provenAlive = false;
  /** Send time of the newest request or ping answered on the current connection. */
  private roundTrip = 0;
  private readonly pingsSent: number[] = [];
  /** Paths of this client's latest acknowledged writes (what a sync-read of another client targets). */
  readonly recent: string[] = [];

  constructor(
    readonly id: number,
    readonly host0: string,
    private readonly transport: Transport,
    private readonly rng: Prng,
    private readonly w: World,
    readonly requestedTimeout: number,
    readonly maxInFlight: number,
    /** Write-heavy clients (durability runs): most operations change the tree. */
    readonly writeHeavy = false,
  ) {
    this.root = `/c${id}`;
    this.seqParent = `${this.root}/s`;
    this.paths = Array.from({ length: 6 }, (_, i) => `${this.root}/p${i}`);
  }

  get now(): number {
    return this.w.clock.now();
  }

  get connected(): boolean {
    return this.phase === 'open';
  }

  get inFlight(): number {
    return this.conn?.inFlight ?? 0;
  }

  get currentServer(): string | null {
    return this.phase === 'open' ? this.host : null;
  }

  private get timeout(): number {
    return this.session?.timeout ?? this.requestedTimeout;
  }

  /** The deaths as the fold needs them: a possible death cannot precede the session's last acknowledged write. */
  deathsView(): Death[] {
    return this.deaths
      .map((d) => (d.definite ? d : { ...d, seq: Math.max(d.seq, (this.lastAckedSeq.get(d.session) ?? 0) + 0.5) }))
      .sort((a, b) => a.seq - b.seq);
  }

  private note(msg: string): void {
    this.w.note(`c${this.id} ${msg}`);
  }

  private fail(msg: string): void {
    this.w.fail(`client c${this.id}${this.session !== null ? ` (session ${hex(this.session.id)})` : ''}: ${msg}`);
  }

  // ---- connection management ----

  step(): void {
    const now = this.now;
    switch (this.phase) {
      case 'idle':
        if (now >= this.reconnectAt) this.connect();
        return;
      case 'dialing':
      case 'handshake':
        if (now - this.dialStartedAt > Math.floor(this.timeout / this.w.serverHosts.length)) this.drop('connect timeout');
        return;
      case 'open': {
        const readTimeout = Math.floor((this.timeout * 2) / 3);
        if (now - this.lastRecv > readTimeout) {
          this.drop(`read timeout (${now - this.lastRecv} ms without a frame)`);
          return;
        }
        if (now - this.lastSend >= readTimeout / 2) this.ping();
        if (this.closing) return;
        if (!this.rootsReady) {
          this.setupRoots();
          return;
        }
        if (!this.workload) return;
        for (let i = 0; i < 2 && this.phase === 'open' && !this.closing && this.inFlight < this.maxInFlight; i++) {
          if (!this.rng.chance(0.6)) break;
          this.randomOp();
        }
      }
    }
  }

  private connect(): void {
    const others = this.w.serverHosts.filter((h) => h !== this.host);
    const host = this.rng.pick(others.length > 0 ? others : this.w.serverHosts);
    this.host = host;
    this.provenAlive = false;
    this.roundTrip = this.now; // a new session is created after this
    this.pingsSent.length = 0;
    this.phase = 'dialing';
    this.dialStartedAt = this.now;
    const gen = ++this.gen;
    const timeoutMs = Math.floor(this.timeout / this.w.serverHosts.length);
    this.transport.dial({ host, port: this.w.clientPort }, { timeoutMs }).then(
      (c) => {
        if (gen !== this.gen || this.phase !== 'dialing') {
          c.destroy();
          return;
        }
        this.conn = new WireConn(c, {
          event: (e) => {
            if (gen === this.gen) this.onEvent(e);
          },
          special: (r) => {
            if (gen === this.gen) this.onSpecial(r);
          },
          violation: (m) => this.fail(`${m} (server ${host})`),
          closed: () => {
            if (gen === this.gen) this.onClosed('closed by the server');
          },
          received: () => {
            if (gen === this.gen) this.lastRecv = this.now;
          },
        });
        this.phase = 'handshake';
        this.connZxid = 0n;
        const s = this.session;
        this.conn.handshake(
          {
            protocolVersion: 0, lastZxidSeen: this.lastZxidSeen, timeOut: s?.timeout ?? this.requestedTimeout,
            sessionId: s?.id ?? 0n, passwd: s?.passwd ?? new Uint8Array(16), readOnly: false,
          },
          (res) => {
            if (gen === this.gen && res !== null) this.onConnected(res, s);
          },
        );
      },
      () => {
        if (gen !== this.gen) return;
        this.phase = 'idle';
        this.scheduleReconnect();
      },
    );
  }

  private scheduleReconnect(): void {
    this.failedDials++;
    // ZooKeeper's host provider waits a little between attempts and ~1 s after a full round.
    const round = this.failedDials % this.w.serverHosts.length === 0;
    this.reconnectAt = this.now + (round ? this.rng.int(200, 1000) : this.rng.int(0, 50));
  }

  /** Client-side close (timeouts, SESSIONMOVED, giving up a session). */
  private drop(reason: string): void {
    this.note(`drops its connection to ${this.host}: ${reason}`);
    const c = this.conn;
    this.onClosed(reason);
    c?.close();
  }

  private onClosed(reason: string): void {
    if (this.phase === 'idle') return;
    if (this.phase === 'open') {
      if (this.session !== null) this.session.aliveUntil = this.provenAlive ? this.roundTrip : undefined;
      this.note(`disconnected from ${this.host}: ${reason}`);
      // Cut off from the ensemble, the session may expire from now on (until it proves otherwise).
      if (this.session !== null) this.deaths.push({ seq: this.w.nextSeq(), session: this.session.id, definite: false });
    }
    this.gen++;
    const c = this.conn;
    this.conn = null;
    this.phase = 'idle';
    this.window = null;
    this.stats.reconnects++;
    this.scheduleReconnect();
    c?.close(); // pending requests learn they are in doubt
  }

  private onConnected(res: ConnectResponse, requested: Session | null): void {
    if (requested !== null) {
      if (res.timeOut <= 0) {
        this.note(`session ${hex(requested.id)} refused by ${this.host}: expired`);
        this.checkExpiry(requested, 'refused on re-attach', false);
        this.stats.expired++;
        this.sessionEnded(requested.id, false);
        this.drop('session expired');
        this.reconnectAt = this.now;
        return;
      }
      if (res.sessionId !== requested.id) {
        this.fail(`re-attach to ${hex(requested.id)} on ${this.host} answered with session ${hex(res.sessionId)}`);
        return;
      }
    } else {
      if (res.timeOut <= 0) {
        this.drop('new session refused');
        return;
      }
      this.session = { id: res.sessionId, passwd: res.passwd, timeout: res.timeOut, createdAt: this.now };
      this.provenAlive = true;
      this.sessions.push(res.sessionId);
      this.sessionHost.set(res.sessionId, this.host ?? '?');
      this.stats.sessions++;
      this.watches.clear();
      this.note(`new session ${hex(res.sessionId)} on ${this.host} (timeout ${res.timeOut})`);
    }
    if (requested !== null) this.note(`re-attached ${hex(requested.id)} on ${this.host} (lastZxidSeen ${hex(this.lastZxidSeen)})`);
    this.phase = 'open';
    this.failedDials = 0;
    this.lastRecv = this.now;
    this.lastSend = this.now;
    if (this.watches.size > 0) this.sendSetWatches();
  }

  /**
   * A session the leader still had alive cannot be expired that soon (README, "Bugs found"). The
   * client sends something at least every timeout/3, and a learner passes the touches on; so once
   * a request sent at S was answered on a connection where the leader had the session alive, the
   * leader's last touch is at least S - timeout/3 - slack, and it cannot expire the session before
   * S + 2/3 timeout - slack. Spurious: (a) expired younger than its timeout less the connect
   * timeout (the createSession was prepared after the dial started); (b) SESSIONEXPIRED on a
   * connection where the session was proven alive, earlier than that bound; (c) refused on
   * re-attach earlier than that bound after such a connection closed.
   */
  private checkExpiry(s: Session, how: string, onConnection: boolean): void {
    const now = this.now;
    const age = now - s.createdAt;
    const where = `session ${hex(s.id)} (timeout ${s.timeout} ms, created ${age} ms ago on ${this.sessionHost.get(s.id) ?? '?'})`;
    const bound = (sent: number): number => sent + (2 * s.timeout) / 3 - EXPIRY_SLACK_MS;
    const connectTimeout = Math.floor(s.timeout / this.w.serverHosts.length);
    if (age < s.timeout - connectTimeout - EXPIRY_SLACK_MS) {
      this.w.spuriousExpiry(`client c${this.id}: ${where} is already expired: ${how} by ${this.host}`);
    } else if (onConnection && this.provenAlive && now < bound(this.roundTrip)) {
      this.w.spuriousExpiry(`client c${this.id}: ${where} expired while connected to ${this.host}, which had acknowledged its writes; its last request answered there was sent ${now - this.roundTrip} ms before: ${how}`);
    } else if (!onConnection && s.aliveUntil !== undefined && now < bound(s.aliveUntil)) {
      this.w.spuriousExpiry(`client c${this.id}: ${where} refused as expired by ${this.host}; ${now - s.aliveUntil} ms before, it had a request answered on a connection where it was alive`);
    }
  }

  /** The session is over (definite: its closeSession was acknowledged) or may be over from now on. */
  private sessionEnded(id: bigint, definite: boolean): void {
    this.deaths.push({ seq: this.w.nextSeq(), session: id, definite });
    if (this.session?.id === id) this.session = null;
    this.watches.clear();
    this.window = null;
    this.closing = false;
  }

  private ping(): void {
    this.lastSend = this.now;
    this.pingsSent.push(this.now);
    this.conn!.sendSpecial(OpCode.ping, null, Xid.PING);
  }

  private sendSetWatches(): void {
    const data: string[] = [];
    const exist: string[] = [];
    const child: string[] = [];
    for (const [p, w] of this.watches) {
      if (w.data !== undefined) data.push(p);
      if (w.exist !== undefined) exist.push(p);
      if (w.child !== undefined) child.push(p);
    }
    this.window = { data: [...data], exist: [...exist], child: [...child] };
    this.stats.setWatches++;
    this.note(`setWatches relativeZxid ${hex(this.lastZxidSeen)} data [${data.join(' ')}] exist [${exist.join(' ')}] child [${child.join(' ')}]`);
    this.lastSend = this.now;
    this.conn!.sendSpecial(OpCode.setWatches, { relativeZxid: this.lastZxidSeen, dataWatches: data, existWatches: exist, childWatches: child }, Xid.SET_WATCHES);
  }

  private onSpecial(r: WireReply): void {
    if (r.xid === Xid.PING) {
      const sent = this.pingsSent.shift();
      if (sent !== undefined && sent > this.roundTrip) this.roundTrip = sent;
    }
    if (r.xid === Xid.SET_WATCHES) {
      if (r.err !== 0) this.fail(`setWatches failed with ${r.err}`);
      this.window = null;
    }
  }

  /** Sends one ordered request; every reply passes the per-connection checks first. */
  private send(type: number, req: unknown, done: (r: WireReply | null) => void): void {
    const conn = this.conn!;
    const xid = this.xid++;
    this.lastSend = this.now;
    this.stats.ops++;
    const sent = this.now;
    conn.send(type as never, req as never, xid, (r) => {
      // For SESSIONEXPIRED, checkExpiry wants the round trip before this one: settle runs in done().
      const before = this.roundTrip;
      if (r !== null && sent > this.roundTrip) this.roundTrip = sent;
      if (r !== null && r.err === ErrorCode.SESSIONEXPIRED) this.roundTrip = before;
      if (r !== null) {
        if (r.zxid < this.connZxid && r.zxid > 0n) {
          this.fail(`reply zxid went back on one connection: xid ${xid} has ${hex(r.zxid)} after ${hex(this.connZxid)} (server ${this.host})`);
        }
        if (r.zxid > this.connZxid) this.connZxid = r.zxid;
        if (r.zxid > this.lastZxidSeen) this.lastZxidSeen = r.zxid;
      }
      done(r);
    });
  }

  // ---- writes ----

  private entry(kind: OpKind, path: string, o: { data?: string; ephemeral?: boolean; sequential?: boolean; version?: number }): Entry {
    const e: Entry = {
      seq: this.w.nextSeq(), kind, path, session: this.session!.id, client: this.id,
      data: o.data ?? '', ephemeral: o.ephemeral ?? false, sequential: o.sequential ?? false, version: o.version ?? -1,
      issuedAt: this.now, status: 'pending',
    };
    if (!e.sequential) this.model(path).entries.push(e);
    if (kind === 'create' || kind === 'delete') {
      const parent = parentOf(path === this.seqParent && e.sequential ? `${path}/x` : path);
      let list = this.w.childOps.get(parent);
      if (list === undefined) this.w.childOps.set(parent, (list = []));
      list.push(e);
    }
    return e;
  }

  private model(path: string): PathModel {
    let pm = this.w.paths.get(path);
    if (pm === undefined) this.w.paths.set(path, (pm = new PathModel(path, this.id)));
    return pm;
  }

  private freshData(): string {
    return `c${this.id}.${this.w.nextSeq()}`;
  }

  private setupRoots(): void {
    if (this.rootPending) return;
    const rootKnown = this.w.paths.get(this.root)?.entries.some((e) => e.status === 'acked' || e.err === ErrorCode.NODEEXISTS) ?? false;
    const path = rootKnown ? this.seqParent : this.root;
    const e = this.entry('create', path, { data: this.freshData() });
    this.rootPending = true;
    this.send(OpCode.create, { path, data: enc(e.data), acl: OPEN_ACL, flags: CreateMode.PERSISTENT }, (r) => {
      this.rootPending = false;
      this.settle([e], r, (i) => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i }));
      if (r !== null && (r.err === 0 || r.err === ErrorCode.NODEEXISTS) && path === this.seqParent) {
        this.rootsReady = true;
        this.note('roots ready');
      }
    });
  }

  private randomOp(): void {
    const r = this.rng.next();
    if (this.writeHeavy) {
      if (r < 0.55) this.writeOp();
      else if (r < 0.7) this.seqCreate();
      else if (r < 0.75) this.seqDelete();
      else if (r < 0.85) this.multiOp();
      else if (r < 0.95) this.readOp();
      else this.syncRead();
      return;
    }
    if (r < 0.3) this.writeOp();
    else if (r < 0.37) this.seqCreate();
    else if (r < 0.4) this.seqDelete();
    else if (r < 0.47) this.multiOp();
    else if (r < 0.82) this.readOp();
    else if (r < 0.93) this.syncRead();
    else if (r < 0.935) this.closeSession();
  }

  /** A version the client believes the path has (often right, sometimes not). */
  private guessVersion(path: string): number {
    if (this.rng.chance(0.4)) return -1;
    const pm = this.w.paths.get(path);
    if (pm === undefined || this.rng.chance(0.2)) return this.rng.int(0, 3);
    const states = fold(pm, this.deathsView()).states.filter((s) => s.exists);
    return states.length === 0 ? this.rng.int(0, 3) : this.rng.pick(states).version;
  }

  private writeOp(): void {
    const path = this.rng.pick(this.paths);
    const k = this.rng.next();
    if (k < 0.35) {
      const ephemeral = this.rng.chance(0.4);
      const e = this.entry('create', path, { data: this.freshData(), ephemeral });
      const two = this.rng.chance(0.5);
      this.send(two ? OpCode.create2 : OpCode.create, { path, data: enc(e.data), acl: OPEN_ACL, flags: ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT }, (r) => {
        if (r !== null && r.err === 0) {
          const body = r.body as { path: string; stat?: Stat };
          if (body.path !== path) this.fail(`create ${path} answered with path ${body.path}`);
          if (body.stat !== undefined) this.checkStat(path, body.stat, r.zxid, e);
        }
        this.settle([e], r, () => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i: 0 }));
      });
    } else if (k < 0.8) {
      const version = this.guessVersion(path);
      const e = this.entry('set', path, { data: this.freshData(), version });
      this.send(OpCode.setData, { path, data: enc(e.data), version }, (r) => {
        if (r !== null && r.err === 0) {
          const stat = (r.body as { stat: Stat }).stat;
          e.resultVersion = stat.version;
          this.checkStat(path, stat, r.zxid, e);
        }
        this.settle([e], r, () => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i: 0 }));
      });
    } else {
      const version = this.rng.chance(0.7) ? -1 : this.guessVersion(path);
      const e = this.entry('delete', path, { version });
      this.send(OpCode.delete, { path, version }, (r) => {
        this.settle([e], r, () => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i: 0 }));
      });
    }
  }

  private seqCreate(): void {
    const ephemeral = this.rng.chance(0.5);
    const e = this.entry('create', this.seqParent, { data: this.freshData(), ephemeral, sequential: true });
    const prefix = `${this.seqParent}/q`;
    this.send(OpCode.create, { path: prefix, data: enc(e.data), acl: OPEN_ACL, flags: ephemeral ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.PERSISTENT_SEQUENTIAL }, (r) => {
      if (r !== null && r.err === 0) {
        const p = (r.body as { path: string }).path;
        const m = /^(.*\/q)(\d{10})$/.exec(p);
        if (m === null || m[1] !== prefix) {
          this.fail(`sequential create under ${this.seqParent} answered with path ${p}`);
          return;
        }
        e.path = p;
        this.model(p).entries.push(e);
        const n = Number(m[2]);
        for (const o of this.seqNumbers) {
          if ((o.zxid < r.zxid) !== (o.n < n)) {
            this.fail(`sequential nodes out of order: ${o.path} at ${hex(o.zxid)} and ${p} at ${hex(r.zxid)}`);
          }
        }
        this.seqNumbers.push({ zxid: r.zxid, n, path: p });
        this.ownSeq.push(p);
      }
      this.settle([e], r, () => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i: 0 }));
    });
  }

  private seqDelete(): void {
    if (this.ownSeq.length === 0) return;
    const i = this.rng.int(0, this.ownSeq.length - 1);
    const path = this.ownSeq[i]!;
    this.ownSeq.splice(i, 1);
    const e = this.entry('delete', path, { version: -1 });
    this.send(OpCode.delete, { path, version: -1 }, (r) => {
      this.settle([e], r, () => (r !== null && r.err === 0 ? { ok: true } : { ok: false, err: r?.err ?? 0, i: 0 }));
    });
  }

  private multiOp(): void {
    const n = this.rng.int(2, 3);
    const pool = [...this.paths];
    const ops: MultiOp[] = [];
    const entries: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const path = pool.splice(this.rng.int(0, pool.length - 1), 1)[0]!;
      const k = this.rng.next();
      if (k < 0.3) {
        const ephemeral = this.rng.chance(0.3);
        const e = this.entry('create', path, { data: this.freshData(), ephemeral });
        ops.push({ type: OpCode.create, req: { path, data: enc(e.data), acl: OPEN_ACL, flags: ephemeral ? CreateMode.EPHEMERAL : CreateMode.PERSISTENT } });
        entries.push(e);
      } else if (k < 0.7) {
        const version = this.guessVersion(path);
        const e = this.entry('set', path, { data: this.freshData(), version });
        ops.push({ type: OpCode.setData, req: { path, data: enc(e.data), version } });
        entries.push(e);
      } else if (k < 0.85) {
        const version = this.guessVersion(path);
        const e = this.entry('delete', path, { version });
        ops.push({ type: OpCode.delete, req: { path, version } });
        entries.push(e);
      } else {
        const version = this.guessVersion(path);
        const e = this.entry('check', path, { version });
        ops.push({ type: OpCode.check, req: { path, version } });
        entries.push(e);
      }
    }
    this.send(OpCode.multi, ops, (r) => {
      if (r === null || r.err !== 0) {
        this.settle(entries, r, () => ({ ok: false, err: r?.err ?? 0, i: 0 }));
        return;
      }
      const results = r.body as MultiResult[];
      if (results.length !== entries.length) {
        this.fail(`multi of ${entries.length} ops answered with ${results.length} results`);
        return;
      }
      const failedAt = results.findIndex((x) => x.type === -1 && x.err !== 0 && x.err !== ErrorCode.RUNTIMEINCONSISTENCY);
      if (failedAt < 0) {
        for (let i = 0; i < results.length; i++) {
          const x = results[i]!;
          const e = entries[i]!;
          const want = e.kind === 'create' ? OpCode.create : e.kind === 'set' ? OpCode.setData : e.kind === 'delete' ? OpCode.delete : OpCode.check;
          if (x.type !== want) this.fail(`multi result ${i} has type ${x.type}, op was ${want} (${JSON.stringify(x)})`);
          if (x.type === OpCode.setData) {
            e.resultVersion = x.stat.version;
            this.checkStat(e.path, x.stat, r.zxid, e);
          }
        }
        this.settle(entries, r, () => ({ ok: true }));
      } else {
        if (results.some((x) => x.type !== -1)) this.fail(`failed multi has successful results: ${JSON.stringify(results)}`);
        const err = (results[failedAt] as { err: number }).err;
        this.settle(entries, r, () => ({ ok: false, err, i: failedAt }));
      }
    });
  }

  /**
   * Records the outcome of writes sent together (one request): in doubt on a lost connection,
   * acknowledged, or failed (for a multi, `i` is the op whose error is the cause; the others
   * failed with it). Then checks the paths' models and the watch order.
   */
  private settle(entries: Entry[], r: WireReply | null, outcome: (i: number) => { ok: true } | { ok: false; err: number; i: number }): void {
    const now = this.now;
    const doneSeq = this.w.nextSeq();
    for (const e of entries) e.doneSeq = doneSeq;
    if (r === null) {
      this.note(`${entries.map((e) => `${e.kind} ${e.path}`).join('; ')}: in doubt (connection lost)`);
      for (const e of entries) {
        e.status = 'indoubt';
        e.doneAt = now;
      }
      this.stats.indoubt++;
      return;
    }
    const o = outcome(0);
    const what = entries.map((e) => `${e.kind} ${e.sequential && e.status === 'pending' && !o.ok ? `${e.path}/q-` : e.path}${e.kind === 'create' || e.kind === 'set' ? ` ${e.data}${e.ephemeral ? ' eph' : ''}` : ''}${e.kind !== 'create' ? ` v${e.version}` : ''}`).join('; ');
    this.note(`${entries.length > 1 ? 'multi ' : ''}${what} on ${this.host}: ${o.ok ? `ok ${hex(r.zxid)}` : `err ${r.err !== 0 ? r.err : o.err}${entries.length > 1 ? ` at op ${o.i}` : ''} (${hex(r.zxid)})`}`);
    if (o.ok) {
      this.stats.acked++;
      this.lastAckedWriteAt = now;
      if (this.session !== null && entries[0]!.session === this.session.id) this.provenAlive = true;
      for (const e of entries) {
        this.recent.push(e.path);
        if (this.recent.length > 6) this.recent.shift();
        this.lastAckedSeq.set(e.session, Math.max(this.lastAckedSeq.get(e.session) ?? 0, e.seq));
        e.status = 'acked';
        e.zxid = r.zxid;
        e.doneAt = now;
        if (e.kind === 'create') this.w.ackedWrites.set(`${r.zxid}|${e.path}`, { data: e.data, version: 0 });
        if (e.kind === 'set' && e.resultVersion !== undefined) this.w.ackedWrites.set(`${r.zxid}|${e.path}`, { data: e.data, version: e.resultVersion });
      }
    } else {
      this.stats.failed++;
      const top = r.err !== 0 ? r.err : o.err;
      if (!WRITE_ERRORS.has(top)) this.fail(`${entries.map((e) => `${e.kind} ${e.path}`).join(', ')} failed with unexpected error ${top}`);
      for (let i = 0; i < entries.length; i++) {
        const e = entries[i]!;
        e.status = 'failed';
        e.doneAt = now;
        e.err = r.err !== 0 ? r.err : i === o.i ? o.err : ErrorCode.RUNTIMEINCONSISTENCY;
      }
    }
    for (const e of entries) {
      if (e.sequential && e.status !== 'acked') continue;
      const pm = this.w.paths.get(e.path);
      if (pm === undefined) continue;
      const f = fold(pm, this.deathsView());
      if (f.violation !== undefined) this.fail(f.violation);
    }
    if (o.ok) this.checkWatchOrderOnWrite(entries, r.zxid);
    if (r.err === ErrorCode.SESSIONEXPIRED && this.session !== null) {
      this.note(`got SESSIONEXPIRED for a write on ${this.host}`);
      this.checkExpiry(this.session, `SESSIONEXPIRED for ${entries.map((e) => `${e.kind} ${e.path}`).join('; ')}`, true);
      this.stats.expired++;
      this.sessionEnded(this.session.id, false);
      this.drop('session expired');
    } else if (r.err === ErrorCode.SESSIONMOVED) {
      this.stats.sessionMoved++;
      this.drop('SESSIONMOVED');
    }
  }

  /** A watch this connection holds on a path that a write of ours changed fires before our reply. */
  private checkWatchOrderOnWrite(entries: Entry[], zxid: bigint): void {
    for (const e of entries) {
      if (e.kind === 'check') continue;
      const w = this.watches.get(e.path);
      if (w !== undefined) {
        const r = e.kind === 'create' ? w.exist : w.data;
        if (r !== undefined && r < zxid) {
          this.fail(`the reply to our ${e.kind} of ${e.path} (zxid ${hex(zxid)}) came before the event of our ${e.kind === 'create' ? 'exists' : 'data'} watch set at ${hex(r)}`);
        }
      }
      if (e.kind === 'create' || e.kind === 'delete') {
        const pw = this.watches.get(parentOf(e.path));
        if (pw?.child !== undefined && pw.child < zxid) {
          this.fail(`the reply to our ${e.kind} of ${e.path} (zxid ${hex(zxid)}) came before the child event of the watch on ${parentOf(e.path)} set at ${hex(pw.child)}`);
        }
      }
    }
  }

  /** A create2 / setData stat against the write that produced it. */
  private checkStat(path: string, stat: Stat, zxid: bigint, e: Entry): void {
    if (stat.mzxid !== zxid) this.fail(`${e.kind} ${path} at ${hex(zxid)} reports mzxid ${hex(stat.mzxid)}`);
    if (e.kind === 'create' && (stat.version !== 0 || stat.czxid !== zxid)) this.fail(`create ${path} at ${hex(zxid)} reports ${JSON.stringify({ v: stat.version, czxid: hex(stat.czxid) })}`);
    if (e.kind === 'create' && stat.ephemeralOwner !== (e.ephemeral ? e.session : 0n)) this.fail(`create ${path} reports ephemeralOwner ${hex(stat.ephemeralOwner)}`);
  }

  // ---- reads ----

  private readTarget(): string {
    const own = this.rng.chance(0.7);
    const c = own ? this : this.rng.pick(this.w.clients);
    const k = this.rng.next();
    if (k < 0.75) return this.rng.pick(c.paths);
    if (k < 0.85 && c.ownSeq.length > 0) return this.rng.pick(c.ownSeq);
    return this.rng.chance(0.5) ? c.root : c.seqParent;
  }

  private readOp(): void {
    const path = this.readTarget();
    const watch = this.rng.chance(0.5);
    const k = this.rng.next();
    if (k < 0.5) this.getData(path, watch);
    else if (k < 0.8) this.exists(path, watch);
    else this.getChildren(path, watch);
  }

  private getData(path: string, watch: boolean, asOf?: number): void {
    this.stats.reads++;
    this.send(OpCode.getData, { path, watch }, (r) => {
      if (r === null) return;
      if (r.err === 0) {
        const { data, stat } = r.body as { data: Uint8Array | null; stat: Stat };
        this.checkRead(path, { exists: true, data: dec(data), version: stat.version, owner: stat.ephemeralOwner, mzxid: stat.mzxid }, stat, r.zxid, asOf);
        if (watch) this.register(path, 'data', r.zxid);
      } else if (r.err === ErrorCode.NONODE) {
        this.checkRead(path, { exists: false }, undefined, r.zxid, asOf);
      } else {
        this.fail(`getData ${path} failed with ${r.err}`);
      }
    });
  }

  private exists(path: string, watch: boolean): void {
    this.stats.reads++;
    this.send(OpCode.exists, { path, watch }, (r) => {
      if (r === null) return;
      if (r.err === 0) {
        const { stat } = r.body as { stat: Stat };
        this.checkRead(path, { exists: true, version: stat.version, owner: stat.ephemeralOwner, mzxid: stat.mzxid }, stat, r.zxid);
        if (watch) this.register(path, 'data', r.zxid);
      } else if (r.err === ErrorCode.NONODE) {
        this.checkRead(path, { exists: false }, undefined, r.zxid);
        if (watch) this.register(path, 'exist', r.zxid);
      } else {
        this.fail(`exists ${path} failed with ${r.err}`);
      }
    });
  }

  private getChildren(path: string, watch: boolean): void {
    this.stats.reads++;
    this.send(OpCode.getChildren, { path, watch }, (r) => {
      if (r === null) return;
      if (r.err === 0) {
        if (watch) this.register(path, 'child', r.zxid);
      } else if (r.err === ErrorCode.NONODE) {
        this.checkRead(path, { exists: false }, undefined, r.zxid);
      } else {
        this.fail(`getChildren ${path} failed with ${r.err}`);
      }
    });
  }

  /** sync, then a read of any client's path that must reflect every write acknowledged before the sync was sent. */
  private syncRead(): void {
    const t0 = this.w.nextSeq();
    this.stats.syncReads++;
    // Mostly what another client wrote last: where a lagging server would show a stale state.
    const other = this.rng.pick(this.w.clients);
    const path = other === this || other.recent.length === 0 || this.rng.chance(0.1)
      ? this.readTarget()
      : this.rng.chance(0.7) ? other.recent[other.recent.length - 1]! : this.rng.pick(other.recent);
    this.send(OpCode.sync, { path: '/' }, (r) => {
      if (r !== null && r.err !== 0) this.fail(`sync failed with ${r.err}`);
    });
    this.getData(path, false, t0);
  }

  private closeSession(): void {
    const s = this.session!;
    this.closing = true;
    this.note(`closes session ${hex(s.id)}`);
    // From now on its ephemerals may vanish at any moment (others can see that before our reply).
    this.deaths.push({ seq: this.w.nextSeq(), session: s.id, definite: false });
    this.send(OpCode.closeSession, null, (r) => {
      if (this.session?.id !== s.id) return;
      if (r !== null && r.err === 0) {
        this.sessionEnded(s.id, true);
        this.drop('session closed');
      } else {
        // In doubt (or refused): give the session up; it expires if the close did not happen.
        this.sessionEnded(s.id, false);
        this.drop('gave up the session');
      }
      this.reconnectAt = this.now;
    });
  }

  private register(path: string, kind: keyof Watch, zxid: bigint): void {
    let w = this.watches.get(path);
    if (w === undefined) this.watches.set(path, (w = {}));
    if (w[kind] === undefined) w[kind] = zxid;
  }

  /**
   * Checks one read: the state matches the acknowledged write its mzxid names; its data was written
   * to this path by an op that did not fail; for the client's own paths (and after a sync, for any
   * path) the state is one the writes allow; a watch set earlier on this path has fired first.
   */
  private checkRead(path: string, obs: Observation, stat: Stat | undefined, replyZxid: bigint, asOf?: number): void {
    if (obs.exists && obs.mzxid !== undefined) {
      const want = this.w.ackedWrites.get(`${obs.mzxid}|${path}`);
      if (want !== undefined && ((obs.data !== undefined && obs.data !== want.data) || obs.version !== want.version)) {
        this.fail(`read of ${path} on ${this.host} shows ${describeObservation(obs)}, but the write acknowledged at ${hex(obs.mzxid)} wrote data=${want.data} v${want.version}`);
      }
      if (obs.mzxid > replyZxid) this.fail(`read of ${path} shows mzxid ${hex(obs.mzxid)} above the reply's zxid ${hex(replyZxid)}`);
    }
    const pm = this.w.paths.get(path);
    if (obs.exists && obs.data !== undefined && pm !== undefined) {
      const writer = pm.entries.find((e) => (e.kind === 'create' || e.kind === 'set') && e.data === obs.data);
      if (writer === undefined) this.fail(`read of ${path} returned data ${obs.data} that no write to ${path} carried`);
      else if (writer.status === 'failed') this.fail(`read of ${path} returned data ${obs.data} of a write that failed with ${writer.err}`);
    }
    if (pm !== undefined && (pm.client === this.id || asOf !== undefined)) {
      const owner = this.w.clients[pm.client - 1]!;
      const f = fold(pm, owner.deathsView(), asOf !== undefined ? { asOf } : {});
      if (!f.states.some((s) => matches(s, obs))) {
        this.fail(
          `${asOf !== undefined ? `read after a sync (sent at seq ${asOf})` : 'read'} of ${path} on ${this.host} (reply zxid ${hex(replyZxid)}) shows ${describeObservation(obs)}; ` +
          `the writes allow only ${describeStates(f.states)}`,
        );
      }
    }
    const w = this.watches.get(path);
    if (w !== undefined && obs.exists && stat !== undefined) {
      if (w.data !== undefined && stat.mzxid > w.data) {
        this.fail(`read of ${path} on ${this.host} shows mzxid ${hex(stat.mzxid)} but the data watch set at ${hex(w.data)} has not fired`);
      }
      if (w.exist !== undefined && stat.czxid > w.exist) {
        this.fail(`read of ${path} on ${this.host} shows the node created at ${hex(stat.czxid)} but the exists watch set at ${hex(w.exist)} has not fired`);
      }
    }
  }

  // ---- watch events ----

  private onEvent(e: WatcherEvent): void {
    this.stats.events++;
    if (e.state !== KeeperState.SyncConnected) {
      this.fail(`event with state ${e.state} for ${e.path}`);
      return;
    }
    const w = this.watches.get(e.path);
    let r: bigint | undefined;
    const take = (kind: keyof Watch): void => {
      const v = w?.[kind];
      if (v !== undefined && (r === undefined || v < r)) r = v;
      if (w !== undefined) delete w[kind];
    };
    if (this.window !== null) {
      // Events before the setWatches reply: one per watch the server found changed, by list.
      const from = (list: string[]): boolean => {
        const i = list.indexOf(e.path);
        if (i < 0) return false;
        list.splice(i, 1);
        return true;
      };
      let ok = false;
      if (e.type === EventType.NodeDataChanged && from(this.window.data)) (ok = true), take('data');
      else if (e.type === EventType.NodeCreated && from(this.window.exist)) (ok = true), take('exist');
      else if (e.type === EventType.NodeDeleted && from(this.window.data)) (ok = true), take('data');
      else if (e.type === EventType.NodeDeleted && from(this.window.child)) (ok = true), take('child');
      else if (e.type === EventType.NodeChildrenChanged && from(this.window.child)) (ok = true), take('child');
      if (!ok) {
        this.fail(`event ${e.type} for ${e.path} after setWatches matches no watch it re-registered`);
        return;
      }
    } else {
      const has = (k: keyof Watch): boolean => w?.[k] !== undefined;
      if (e.type === EventType.NodeCreated && has('exist')) take('exist');
      else if (e.type === EventType.NodeDataChanged && has('data')) take('data');
      else if (e.type === EventType.NodeDeleted && (has('data') || has('child'))) {
        take('data');
        take('child');
        take('exist');
      } else if (e.type === EventType.NodeChildrenChanged && has('child')) take('child');
      else {
        this.fail(`event ${e.type} for ${e.path} on ${this.host} matches no outstanding watch (duplicate or spurious; watches: ${JSON.stringify(w ?? {}, (_, v) => (typeof v === 'bigint' ? hex(v) : v))})`);
        return;
      }
    }
    if (w !== undefined && w.data === undefined && w.exist === undefined && w.child === undefined) this.watches.delete(e.path);
    if (r !== undefined && !this.justified(e.type, e.path, r)) {
      const recent = (this.w.paths.get(e.path)?.entries ?? []).slice(-6).map((x) => `${x.kind}:${x.status}${x.zxid !== undefined ? `@${hex(x.zxid)}` : ''}`).join(' ');
      this.fail(`event ${e.type} for ${e.path} on ${this.host}${this.window !== null ? ' (after setWatches)' : ''}, but no write to it could have happened after the watch was set at ${hex(r)} (its last writes: ${recent})`);
    }
  }

  /** Is there a write (acknowledged after `r`, or in doubt) that explains this event? */
  private justified(type: number, path: string, r: bigint): boolean {
    const after = (e: Entry): boolean => e.status === 'pending' || e.status === 'indoubt' || (e.status === 'acked' && e.zxid! > r);
    const mayExpire = (e: Entry): boolean => e.kind === 'create' && e.ephemeral && e.status !== 'failed';
    const own = this.w.paths.get(path)?.entries ?? [];
    switch (type) {
      case EventType.NodeCreated:
        return own.some((e) => e.kind === 'create' && after(e));
      case EventType.NodeDataChanged:
        // also a re-creation: setWatches reports a deleted-and-recreated node as changed (mzxid)
        return own.some((e) => (e.kind === 'set' || e.kind === 'create') && after(e));
      case EventType.NodeDeleted:
        return own.some((e) => (e.kind === 'delete' && after(e)) || mayExpire(e));
      case EventType.NodeChildrenChanged: {
        // also a re-creation of the node itself: setWatches compares its pzxid (= czxid when new)
        const kids = this.w.childOps.get(path) ?? [];
        return kids.some((e) => after(e) || mayExpire(e)) || own.some((e) => e.kind === 'create' && after(e));
      }
      default:
        return false;
    }
  }
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}
