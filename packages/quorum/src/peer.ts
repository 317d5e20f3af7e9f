/**
 * The QuorumPeer driver: one replica. Composes the pure `Election` and
 * `ZabNode` cores with a Transport (peer links), a Storage (txn log,
 * snapshots, epochs) and a Clock (ticks, reconnect back-off), following the
 * driver contracts in the READMEs of @zk/election and @zk/zab.
 */
import {
  Election,
  decodeNotification,
  electionTimingsForTick,
  encodeNotification,
  majorityQuorum as electionQuorum,
  type Decision,
  type Notification,
} from '@zk/election';
import type { Storage } from '@zk/storage';
import type { Connection, Listener } from '@zk/transport';
import { createZabNode, majorityQuorum as zabQuorum, type DurableState, type LogEntry, type PersistOp, type ZabMessage, type ZabNode } from '@zk/zab';
import { formatZxid, type Zxid } from '@zk/zxid';
import type { ClockHandle } from './clock.js';
import { FrameDecoder, encodeFrame, isHello, type Hello } from './framing.js';
import { encodeZabFrames, SnapAssembler } from './snap-parts.js';
import type {
  PeerState,
  PeerStateChange,
  PeerStatus,
  ProposeOutcome,
  QuorumPeer,
  QuorumPeerOptions,
  ServerSpec,
} from './types.js';

type Handler<A extends unknown[]> = (...args: A) => void;

/** Election resolution when tickTime is longer: a quarter of ZooKeeper's 200 ms finalize wait. */
const DEFAULT_ELECTION_TICK_MS = 50;

function describeNotification(n: Notification): string {
  return `${n.state} leader=${n.leader} zxid=${formatZxid(n.zxid)} round=${n.electionEpoch} peerEpoch=${n.peerEpoch}`;
}

interface Link {
  conn: Connection | null;
  /** Frames decoded but not yet handed to a core (quorum links held while this server is not LEADING). */
  held: unknown[];
  /** Frames to write once the dial completes. */
  pendingOut: Uint8Array[];
  abort: AbortController | null;
}

function concatChunks(data: Uint8Array | Iterable<Uint8Array>): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const parts = [...data];
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return parts;
}

/** Reads what ZAB needs from storage: epochs, the newest snapshot (as read, in chunks), the log after it. */
export async function loadDurableState(storage: Storage): Promise<{ durable: DurableState; snapshot: Uint8Array[] | undefined }> {
  const plan = await storage.recoveryPlan();
  let snapshot: Uint8Array[] | undefined;
  let snapshotZxid = 0n;
  if (plan.snapshot !== undefined) {
    snapshot = await readAll(storage.snapshots.open(plan.snapshot));
    snapshotZxid = plan.snapshot.zxid;
  }
  const log: LogEntry[] = [];
  for await (const e of storage.txnLog.read(snapshotZxid + 1n)) {
    if (e.zxid > snapshotZxid) log.push({ zxid: e.zxid, payload: e.record });
  }
  const currentEpoch = storage.epochs.currentEpoch() ?? 0;
  const acceptedEpoch = Math.max(storage.epochs.acceptedEpoch() ?? 0, currentEpoch);
  return { durable: { acceptedEpoch, currentEpoch, snapshotZxid, log }, snapshot };
}

class Peer implements QuorumPeer {
  readonly sid: number;
  private readonly o: QuorumPeerOptions;
  private readonly me: ServerSpec;
  private readonly others: ServerSpec[];
  private readonly voters: number[];
  private election!: Election;
  private zab!: ZabNode;

  private started = false;
  private stopped = false;
  private fatalError: Error | null = null;
  private processing = false;
  private again = false;
  private tickTimer: ClockHandle | null = null;
  private electionTickTimer: ClockHandle | null = null;
  /** The election's time unit: ZooKeeper's election waits are in ms (200 ms finalize wait), not ticks. */
  private readonly electionTickMs: number;
  /** Log every election notification in and out (only when the logger takes debug lines). */
  private readonly debugElection: boolean;
  private readonly timers = new Set<ClockHandle>();
  private electionListener: Listener | null = null;
  private quorumListener: Listener | null = null;

  /** Every open connection of this incarnation (so stop() leaves no zombie behind). */
  private readonly conns = new Set<Connection>();
  private readonly electionLinks = new Map<number, Link>();
  /** Last notification for a peer with no election link yet (QuorumCnxManager keeps one per peer). */
  private readonly electionQueued = new Map<number, Uint8Array>();
  private readonly redialDelay = new Map<number, number>();
  /** Quorum links accepted on our quorum port (learners, while we lead). */
  private readonly inbound = new Map<number, Link>();
  /** Quorum link we dialed (to our leader, while we learn). */
  private readonly outbound = new Map<number, Link>();

  private zabState: PeerState = 'LOOKING';
  private zabLeader: number | null = null;
  private zabEpoch = 0;
  private zabServing = false;
  private applied: Zxid = 0n;

  private persistQueue: PersistOp[] = [];
  private persisting = false;
  private nextSyncId = 1;
  private readonly syncWaiters = new Map<number, { resolve: (z: Zxid) => void; reject: (e: Error) => void }>();

  private readonly stateHandlers: Handler<[PeerStateChange]>[] = [];
  private readonly commitHandlers: Handler<[Zxid, Uint8Array]>[] = [];
  private readonly requestHandlers: Handler<[number, Uint8Array]>[] = [];
  private readonly fatalHandlers: Handler<[Error]>[] = [];
  private readonly touchHandlers: Handler<[number, Uint8Array]>[] = [];
  private touchProvider: (() => Uint8Array | null) | null = null;

  constructor(options: QuorumPeerOptions) {
    this.o = options;
    this.sid = options.sid;
    const me = options.servers.find((s) => s.sid === options.sid);
    if (me === undefined) throw new RangeError(`sid ${options.sid} is not in servers`);
    const sids = new Set<number>();
    for (const s of options.servers) {
      if (sids.has(s.sid)) throw new RangeError(`duplicate sid ${s.sid}`);
      sids.add(s.sid);
    }
    this.me = me;
    this.others = options.servers.filter((s) => s.sid !== options.sid);
    this.voters = options.servers.filter((s) => s.type === 'participant').map((s) => s.sid);
    if (this.voters.length === 0) throw new RangeError('no participants');
    if (!(options.tickMs > 0)) throw new RangeError('tickMs must be positive');
    this.debugElection = options.logger?.debug !== undefined;
    this.electionTickMs = Math.min(options.tickMs, options.electionTickMs ?? DEFAULT_ELECTION_TICK_MS);
  }

  // ---- public API ----

  get state(): PeerState {
    return this.zabState;
  }
  get leaderId(): number | null {
    return this.zabLeader;
  }
  get serving(): boolean {
    return this.zabServing;
  }
  get running(): boolean {
    return this.started && !this.stopped;
  }
  get lastApplied(): Zxid {
    return this.applied;
  }

  onStateChange(h: Handler<[PeerStateChange]>): void {
    this.stateHandlers.push(h);
  }
  onCommit(h: Handler<[Zxid, Uint8Array]>): void {
    this.commitHandlers.push(h);
  }
  onRequest(h: Handler<[number, Uint8Array]>): void {
    this.requestHandlers.push(h);
  }
  onFatal(h: Handler<[Error]>): void {
    this.fatalHandlers.push(h);
  }
  onTouches(h: Handler<[number, Uint8Array]>): void {
    this.touchHandlers.push(h);
  }
  provideTouches(provider: () => Uint8Array | null): void {
    this.touchProvider = provider;
  }

  async start(): Promise<void> {
    if (this.started) throw new Error(`peer ${this.sid} already started`);
    this.started = true;
    const { durable, snapshot } = await loadDurableState(this.o.storage);
    if (snapshot !== undefined) this.o.stateMachine.restore(snapshot);
    this.applied = durable.snapshotZxid;
    const observer = this.me.type === 'observer';
    this.zab = createZabNode(
      {
        sid: this.sid,
        quorum: zabQuorum(this.voters),
        learnerType: observer ? 'observer' : 'participant',
        initLimit: this.o.initLimit,
        syncLimit: this.o.syncLimit,
        ...(this.o.commitLogCount !== undefined ? { commitLogCount: this.o.commitLogCount } : {}),
      },
      durable,
    );
    const st = this.zab.status();
    this.election = new Election({
      myId: this.sid,
      quorum: electionQuorum(this.voters),
      lastZxid: st.lastZxid,
      currentEpoch: st.currentEpoch,
      observer,
      ...electionTimingsForTick(this.electionTickMs, this.o.electionTimingsMs ?? {}),
    });
    if (this.stopped) return;
    this.electionListener = await this.bindElectionPort();
    this.quorumListener = await this.o.transport.listen({ host: this.me.host, port: this.me.quorumPort }, (c) =>
      this.acceptQuorum(c),
    );
    if (this.stopped) {
      void this.electionListener.close();
      void this.quorumListener.close();
      return;
    }
    for (const s of this.others) if (s.sid < this.sid) this.dialElection(s);
    this.updateReachable();
    this.election.start();
    this.scheduleTick();
    this.process();
  }

  /** Binding can fail for a while (the port of a previous incarnation in TIME_WAIT, a slow restart). */
  private async bindElectionPort(): Promise<Listener> {
    const attempts = this.o.electionPortBindRetry ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.o.transport.listen({ host: this.me.host, port: this.me.electionPort }, (c) => this.acceptElection(c));
      } catch (err) {
        if (this.stopped || (attempts > 0 && attempt >= attempts)) {
          throw new Error(
            `cannot bind the election port ${this.me.host}:${this.me.electionPort} after ${attempt} attempt(s): ${(err as Error).message}`,
          );
        }
        this.log('warn', `binding election port ${this.me.host}:${this.me.electionPort} failed (${(err as Error).message}); retrying in 1 s`);
        await new Promise<void>((resolve) => this.o.clock.setTimeout(resolve, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.tickTimer !== null) this.o.clock.clearTimeout(this.tickTimer);
    if (this.electionTickTimer !== null) this.o.clock.clearTimeout(this.electionTickTimer);
    for (const t of this.timers) this.o.clock.clearTimeout(t);
    this.timers.clear();
    for (const links of [this.electionLinks, this.inbound, this.outbound]) {
      for (const l of links.values()) this.killLink(l);
      links.clear();
    }
    for (const c of this.conns) if (!c.closed) c.destroy();
    this.conns.clear();
    for (const w of this.syncWaiters.values()) w.reject(new Error('peer stopped'));
    this.syncWaiters.clear();
    const ls = [this.electionListener, this.quorumListener];
    this.electionListener = null;
    this.quorumListener = null;
    await Promise.all(ls.map((l) => l?.close()));
  }

  propose(payload: Uint8Array): ProposeOutcome {
    if (!this.running || this.fatalError !== null) return { ok: false, reason: 'stopped' };
    const r = this.zab.propose(payload);
    this.process();
    return r;
  }

  nextZxid(): Zxid | null {
    return this.running && this.fatalError === null ? this.zab.nextZxid() : null;
  }

  forward(payload: Uint8Array): boolean {
    if (!this.running) return false;
    const ok = this.zab.forward(payload);
    this.process();
    return ok;
  }

  sync(): Promise<Zxid> {
    if (!this.running) return Promise.reject(new Error('peer not running'));
    const id = this.nextSyncId++;
    return new Promise<Zxid>((resolve, reject) => {
      if (!this.zab.sync(id)) {
        reject(new Error('not serving'));
        return;
      }
      this.syncWaiters.set(id, { resolve, reject });
      this.process();
    });
  }

  status(): PeerStatus {
    const z = this.started && this.zab !== undefined ? this.zab.status() : undefined;
    return {
      sid: this.sid,
      state: this.zabState,
      leader: this.zabLeader,
      serving: this.zabServing,
      epoch: this.zabEpoch,
      acceptedEpoch: z?.acceptedEpoch ?? 0,
      currentEpoch: z?.currentEpoch ?? 0,
      lastZxid: z?.lastZxid ?? 0n,
      lastCommitted: z?.lastCommitted ?? 0n,
      lastApplied: this.applied,
      electionState: this.election?.state ?? 'NEW',
      electionLinks: [...this.electionLinks.entries()].filter(([, l]) => l.conn !== null).map(([s]) => s),
      quorumLinks: [...this.inbound.keys(), ...this.outbound.keys()],
      learners: (z?.learners ?? []).map((l) => ({ sid: l.sid, type: l.type, state: l.state, synced: l.synced })),
    };
  }

  // ---- the loop ----

  /** One timer drives both cores when their units agree; with a long tickTime the election gets its own. */
  private scheduleTick(): void {
    const shared = this.electionTickMs === this.o.tickMs;
    this.tickTimer = this.o.clock.setTimeout(() => {
      this.tickTimer = null;
      if (this.stopped) return;
      if (shared) this.election.tick();
      this.zab.tick();
      this.process();
      if (!this.stopped) this.scheduleTick();
    }, this.o.tickMs);
    if (!shared && this.electionTickTimer === null) this.scheduleElectionTick();
  }

  private scheduleElectionTick(): void {
    this.electionTickTimer = this.o.clock.setTimeout(() => {
      this.electionTickTimer = null;
      if (this.stopped) return;
      this.election.tick();
      this.process();
      if (!this.stopped) this.scheduleElectionTick();
    }, this.electionTickMs);
  }

  private later(fn: () => void, ms: number): void {
    const h = this.o.clock.setTimeout(() => {
      this.timers.delete(h);
      if (!this.stopped) fn();
    }, ms);
    this.timers.add(h);
  }

  /** Drains both cores' Ready batches until neither has output (re-entrant calls are folded in). */
  private process(): void {
    if (this.stopped) return;
    if (this.processing) {
      this.again = true;
      return;
    }
    this.processing = true;
    try {
      do {
        this.again = false;
        while (!this.stopped && this.election.hasReady()) this.processElectionReady();
        while (!this.stopped && this.zab.hasReady()) this.processZabReady();
        if (this.o.checkInvariants === true && !this.stopped) {
          this.election.invariants();
          this.zab.invariants();
        }
      } while (!this.stopped && (this.again || this.election.hasReady() || this.zab.hasReady()));
    } catch (err) {
      this.fail(err instanceof Error ? err : new Error(String(err)));
    } finally {
      this.processing = false;
    }
  }

  private processElectionReady(): void {
    const rd = this.election.ready();
    for (const env of rd.messages) {
      if (this.debugElection) this.log('debug', `election -> ${env.to}: ${describeNotification(env.msg)}`);
      this.sendElection(env.to, encodeFrame(encodeNotification(env.msg)));
    }
    const decided: Decision | undefined = rd.decided;
    this.election.advance();
    if (decided !== undefined) {
      this.log('info', `election decided ${decided.state} leader=${decided.leader}`);
      this.zab.electionComplete(decided.leader);
    }
  }

  private processZabReady(): void {
    const rd = this.zab.ready();
    // 1. disconnect before send
    for (const sid of rd.disconnect) this.closeQuorumLink(sid);
    // 2. persist (a SNAP install restores the state machine at once)
    for (const op of rd.persist) {
      if (op.kind === 'snapshot') {
        this.o.stateMachine.restore(op.data);
        this.applied = op.zxid;
      }
      this.persistQueue.push(op);
    }
    if (rd.persist.length > 0) this.pumpPersist();
    // 3. messages
    // A leader sends each PROPOSAL / COMMIT / INFORM to its learners one after another: the
    // frames of the previous message are reused when the next one is the same.
    let lastType = '';
    let lastZxid = -1n;
    let lastFrames: Uint8Array[] = [];
    for (const m of rd.messages) {
      const msg = m.msg;
      if (msg.type !== 'PROPOSAL' && msg.type !== 'COMMIT' && msg.type !== 'INFORM') {
        this.sendQuorum(m.to, msg);
        continue;
      }
      if (msg.type !== lastType || msg.zxid !== lastZxid) {
        lastType = msg.type;
        lastZxid = msg.zxid;
        lastFrames = encodeZabFrames(msg, this.o.snapPartBytes);
      }
      this.sendQuorum(m.to, msg, lastFrames);
    }
    // 4. commits
    for (const c of rd.commits) {
      this.o.stateMachine.apply(c.zxid, c.payload);
      this.applied = c.zxid;
      for (const h of this.commitHandlers) h(c.zxid, c.payload);
    }
    // 5. syncs
    for (const s of rd.syncs) {
      const w = this.syncWaiters.get(s.id);
      this.syncWaiters.delete(s.id);
      w?.resolve(s.zxid);
    }
    for (const r of rd.requests) for (const h of this.requestHandlers) h(r.from, r.payload);
    for (const t of rd.touches) for (const h of this.touchHandlers) h(t.from, t.payload);
    // 6. advance
    this.zab.advance();
    // 7. snapshot for SNAP sync
    if (rd.snapshotRequested) this.zab.snapshotReady(this.applied, concatChunks(this.o.stateMachine.snapshot()));
    for (const ch of rd.stateChanges) this.onZabStateChange(ch);
  }

  private onZabStateChange(ch: { state: PeerState; leader: number | null; epoch: number; serving: boolean; reason?: string }): void {
    const prev = this.zabState;
    this.zabState = ch.state;
    this.zabLeader = ch.leader;
    this.zabEpoch = ch.epoch;
    const wasServing = this.zabServing;
    this.zabServing = ch.serving;
    if (ch.state === 'LOOKING') {
      for (const w of this.syncWaiters.values()) w.reject(new Error('left the role'));
      this.syncWaiters.clear();
      if (this.election.state !== 'LOOKING') {
        const st = this.zab.status();
        this.election.start({ lastZxid: st.lastZxid, currentEpoch: st.currentEpoch });
      }
    }
    if (ch.state === 'LEADING' && prev !== 'LEADING') {
      // Learners that dialed while we were still electing were held unread: hand them over now.
      for (const [sid, l] of this.inbound) this.flushHeld(sid, l);
    }
    if (ch.state !== 'LEADING') {
      for (const [sid, l] of [...this.inbound]) {
        if (ch.state === 'LOOKING') continue; // keep holding: we may lead next
        this.inbound.delete(sid);
        this.killLink(l);
      }
    }
    if (ch.serving && !wasServing && ch.state !== 'LOOKING' && this.election.state !== 'LOOKING') {
      this.election.updatePeerEpoch(ch.epoch);
    }
    const change: PeerStateChange = {
      state: ch.state,
      leader: ch.leader,
      epoch: ch.epoch,
      serving: ch.serving,
      ...(ch.reason !== undefined ? { reason: ch.reason } : {}),
    };
    this.log('debug', `state ${ch.state} leader=${ch.leader} epoch=${ch.epoch} serving=${ch.serving}${ch.reason ? ` (${ch.reason})` : ''}`);
    for (const h of this.stateHandlers) h(change);
  }

  private fail(err: Error): void {
    if (this.fatalError !== null) return;
    this.fatalError = err;
    this.log('warn', `fatal: ${err.message}`);
    void this.stop();
    for (const h of this.fatalHandlers) h(err);
  }

  private stepElection(from: number, n: Notification): void {
    if (this.debugElection) this.log('debug', `election <- ${from}: ${describeNotification(n)}`);
    this.election.step(from, n);
  }

  private log(level: 'debug' | 'info' | 'warn', msg: string): void {
    const l = this.o.logger;
    if (l === undefined) return;
    const line = `[peer ${this.sid}] ${msg}`;
    if (level === 'warn') l.warn(line);
    else l[level]?.(line);
  }

  // ---- storage ----

  private pumpPersist(): void {
    if (this.persisting || this.stopped) return;
    this.persisting = true;
    void this.runPersist().then(
      () => {
        this.persisting = false;
        if (this.persistQueue.length > 0) this.pumpPersist();
      },
      (err: unknown) => {
        this.persisting = false;
        if (!this.stopped) this.fail(err instanceof Error ? err : new Error(String(err)));
      },
    );
  }

  private async runPersist(): Promise<void> {
    const s = this.o.storage;
    while (this.persistQueue.length > 0 && !this.stopped) {
      const op = this.persistQueue.shift() as PersistOp;
      let last = op.seq;
      switch (op.kind) {
        case 'append': {
          s.txnLog.append(op.entry.zxid, op.entry.payload);
          // group commit: every append already queued joins this sync
          while (this.persistQueue[0]?.kind === 'append') {
            const next = this.persistQueue.shift() as Extract<PersistOp, { kind: 'append' }>;
            s.txnLog.append(next.entry.zxid, next.entry.payload);
            last = next.seq;
          }
          await s.txnLog.sync();
          break;
        }
        case 'truncate':
          await s.txnLog.truncateAfter(op.zxid);
          // As ZooKeeper's truncateLog: a snapshot past the cut would outlive the history it holds.
          for (const snap of await s.snapshots.list()) if (snap.zxid > op.zxid) await s.snapshots.remove(snap);
          break;
        case 'snapshot':
          // Drop the log beyond the snapshot first: a crash in between leaves a prefix of the old log.
          await s.txnLog.truncateAfter(op.zxid < s.txnLog.lastZxid() ? op.zxid : s.txnLog.lastZxid());
          await s.snapshots.save(op.zxid, op.data);
          break;
        case 'acceptedEpoch':
          await s.epochs.setAcceptedEpoch(op.epoch);
          break;
        case 'currentEpoch':
          await s.epochs.setCurrentEpoch(op.epoch);
          break;
      }
      if (this.stopped) return;
      this.zab.persisted(last);
      this.process();
    }
  }

  // ---- election links (QuorumCnxManager: one connection per pair, dialed by the larger sid) ----

  private sendElection(to: number, frame: Uint8Array): void {
    const l = this.electionLinks.get(to);
    if (l?.conn != null && !l.conn.closed) {
      l.conn.write(frame);
      return;
    }
    // Not connected: keep the latest notification only (a newer one supersedes it).
    if (this.others.some((s) => s.sid === to)) this.electionQueued.set(to, frame);
  }

  private electionLinkUp(sid: number, conn: Connection): void {
    const old = this.electionLinks.get(sid);
    const link: Link = { conn, held: [], pendingOut: [], abort: null };
    this.electionLinks.set(sid, link);
    if (old !== undefined && old.conn !== conn) this.killLink(old);
    this.updateReachable();
    const dec = new FrameDecoder();
    conn.onData((chunk) => {
      if (this.stopped || this.electionLinks.get(sid) !== link) return;
      let frames: unknown[];
      try {
        frames = dec.push(chunk);
      } catch {
        conn.destroy();
        return;
      }
      for (const f of frames) {
        if (isHello(f, 'election')) continue;
        let n;
        try {
          n = decodeNotification(f as never);
        } catch {
          continue; // drop payloads that fail to decode
        }
        this.stepElection(sid, n);
      }
      this.process();
    });
    conn.onClose(() => {
      this.conns.delete(conn);
      if (this.electionLinks.get(sid) !== link) return;
      this.electionLinks.delete(sid);
      if (sid < this.sid) this.scheduleElectionRedial(sid);
      if (this.stopped) return;
      // A voter gone can end a finalize wait that only its vote could have changed.
      this.updateReachable();
      this.process();
    });
    const q = this.electionQueued.get(sid);
    if (q !== undefined) {
      this.electionQueued.delete(sid);
      conn.write(q);
    }
  }

  /** Tells the election which voters it is connected to (see Election.setReachable). */
  private updateReachable(): void {
    const up: number[] = [];
    for (const [sid, l] of this.electionLinks) if (l.conn !== null && !l.conn.closed) up.push(sid);
    this.election.setReachable(up);
  }

  private dialElection(s: ServerSpec): void {
    if (this.stopped || this.electionLinks.has(s.sid)) return;
    const abort = new AbortController();
    const link: Link = { conn: null, held: [], pendingOut: [], abort };
    this.electionLinks.set(s.sid, link);
    this.o.transport.dial({ host: s.host, port: s.electionPort }, { signal: abort.signal, timeoutMs: this.reconnectMax() * 4 }).then(
      (conn) => {
        if (this.stopped || this.electionLinks.get(s.sid) !== link) {
          conn.destroy();
          return;
        }
        this.conns.add(conn);
        this.redialDelay.delete(s.sid);
        conn.write(encodeFrame({ zkq: 1, kind: 'election', sid: this.sid } satisfies Hello));
        this.electionLinkUp(s.sid, conn);
      },
      () => {
        if (this.stopped || this.electionLinks.get(s.sid) !== link) return;
        this.electionLinks.delete(s.sid);
        this.scheduleElectionRedial(s.sid);
      },
    );
  }

  private reconnectMin(): number {
    return this.o.reconnectMs?.min ?? this.electionTickMs;
  }
  private reconnectMax(): number {
    return this.o.reconnectMs?.max ?? this.electionTickMs * 8;
  }

  private scheduleElectionRedial(sid: number): void {
    if (this.stopped) return;
    const d = this.redialDelay.get(sid) ?? this.reconnectMin();
    this.redialDelay.set(sid, Math.min(d * 2, this.reconnectMax()));
    const spec = this.others.find((s) => s.sid === sid);
    if (spec === undefined) return;
    this.later(() => this.dialElection(spec), d);
  }

  /** Registers a connection of this incarnation; false (and destroyed) if the peer already stopped. */
  private adopt(conn: Connection): boolean {
    if (this.stopped) {
      conn.destroy();
      return false;
    }
    this.conns.add(conn);
    return true;
  }

  private acceptElection(conn: Connection): void {
    if (!this.adopt(conn)) return;
    const dec = new FrameDecoder();
    let greeted = false;
    conn.onClose(() => this.conns.delete(conn));
    conn.onData((chunk) => {
      if (this.stopped) {
        conn.destroy();
        return;
      }
      if (greeted) return;
      let frames: unknown[];
      try {
        frames = dec.push(chunk);
      } catch {
        conn.destroy();
        return;
      }
      if (frames.length === 0) return; // the hello is not complete yet
      greeted = true;
      const first = frames[0];
      if (!isHello(first, 'election') || first.sid <= this.sid || !this.others.some((s) => s.sid === first.sid)) {
        // Only a larger sid may dial us (it drops our dials the same way).
        conn.destroy();
        return;
      }
      this.electionLinkUp(first.sid, conn);
      // Hand over anything that came with the hello.
      if (frames.length > 1) {
        const link = this.electionLinks.get(first.sid);
        if (link === undefined) return;
        for (const f of frames.slice(1)) {
          try {
            this.stepElection(first.sid, decodeNotification(f as never));
          } catch {
            /* drop */
          }
        }
        this.process();
      }
    });
  }

  // ---- quorum links (learners dial the leader's quorum port) ----

  private sendQuorum(to: number, msg: ZabMessage, frames = encodeZabFrames(msg, this.o.snapPartBytes)): void {
    if (this.zabState === 'LEADING') {
      const l = this.inbound.get(to);
      if (l?.conn != null) for (const f of frames) l.conn.write(f);
      return;
    }
    let l = this.outbound.get(to);
    if (l === undefined) {
      const spec = this.others.find((s) => s.sid === to);
      if (spec === undefined) return;
      l = this.dialQuorum(spec);
    }
    if (l.conn !== null) for (const f of frames) l.conn.write(f);
    else l.pendingOut.push(...frames);
  }

  private dialQuorum(s: ServerSpec): Link {
    const abort = new AbortController();
    const link: Link = { conn: null, held: [], pendingOut: [], abort };
    this.outbound.set(s.sid, link);
    const lost = (): void => {
      if (this.outbound.get(s.sid) !== link) return;
      this.outbound.delete(s.sid);
      this.killLink(link);
      this.zab.peerDisconnected(s.sid);
      this.process();
    };
    this.o.transport.dial({ host: s.host, port: s.quorumPort }, { signal: abort.signal }).then(
      (conn) => {
        if (this.stopped || this.outbound.get(s.sid) !== link) {
          conn.destroy();
          return;
        }
        this.conns.add(conn);
        link.conn = conn;
        link.abort = null;
        conn.write(encodeFrame({ zkq: 1, kind: 'quorum', sid: this.sid } satisfies Hello));
        for (const f of link.pendingOut) conn.write(f);
        link.pendingOut = [];
        const dec = new FrameDecoder();
        const snaps = new SnapAssembler();
        conn.onData((chunk) => {
          if (this.stopped || this.outbound.get(s.sid) !== link) return;
          let frames: unknown[];
          try {
            frames = dec.push(chunk);
          } catch {
            conn.destroy();
            return;
          }
          for (const frame of frames) {
            if (this.outbound.get(s.sid) !== link || this.stopped) break;
            let f: ZabMessage | undefined;
            try {
              f = snaps.push(frame);
            } catch {
              conn.destroy();
              return;
            }
            if (f === undefined) continue;
            if (this.touchProvider !== null && f.type === 'PING') {
              // The reply to this PING is produced inside step(): hand over the touches now, so
              // none collected since the previous reply is lost or replaced.
              const touches = this.touchProvider();
              if (touches !== null) this.zab.setSessionTouches(touches);
            }
            this.zab.step(s.sid, f);
            this.process();
          }
        });
        conn.onClose(() => {
          this.conns.delete(conn);
          lost();
        });
      },
      () => lost(),
    );
    return link;
  }

  private acceptQuorum(conn: Connection): void {
    if (!this.adopt(conn)) return;
    const dec = new FrameDecoder();
    let link: Link | null = null;
    let sid = -1;
    conn.onClose(() => {
      this.conns.delete(conn);
      if (link === null || this.inbound.get(sid) !== link) return;
      this.inbound.delete(sid);
      this.zab.peerDisconnected(sid);
      this.process();
    });
    conn.onData((chunk) => {
      if (this.stopped) {
        conn.destroy();
        return;
      }
      let frames: unknown[];
      try {
        frames = dec.push(chunk);
      } catch {
        conn.destroy();
        return;
      }
      if (link === null) {
        if (frames.length === 0) return; // the hello is not complete yet
        const first = frames.shift();
        if (!isHello(first, 'quorum') || !this.others.some((s) => s.sid === first.sid) || (this.zabState !== 'LEADING' && this.zabState !== 'LOOKING')) {
          conn.destroy();
          return;
        }
        sid = first.sid;
        link = { conn, held: [], pendingOut: [], abort: null };
        const old = this.inbound.get(sid);
        this.inbound.set(sid, link);
        if (old !== undefined) {
          this.killLink(old);
          this.zab.peerDisconnected(sid);
        }
      }
      if (this.inbound.get(sid) !== link) return;
      link.held.push(...frames);
      if (this.zabState === 'LEADING') this.flushHeld(sid, link);
    });
  }

  private flushHeld(sid: number, link: Link): void {
    while (link.held.length > 0 && !this.stopped && this.inbound.get(sid) === link && this.zabState === 'LEADING') {
      const f = link.held.shift();
      this.zab.step(sid, f as ZabMessage);
      this.process();
    }
  }

  private closeQuorumLink(sid: number): void {
    for (const m of [this.inbound, this.outbound]) {
      const l = m.get(sid);
      if (l !== undefined) {
        m.delete(sid);
        this.killLink(l);
      }
    }
  }

  private killLink(l: Link): void {
    l.abort?.abort();
    l.abort = null;
    if (l.conn !== null && !l.conn.closed) l.conn.destroy();
    l.held = [];
    l.pendingOut = [];
  }
}

export function createQuorumPeer(options: QuorumPeerOptions): QuorumPeer {
  return new Peer(options);
}
