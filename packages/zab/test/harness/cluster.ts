/**
 * A whole ensemble in one process for tests: ZAB nodes wired to FIFO links
 * (TCP-like: a lost message breaks the connection), in-memory disks that lose
 * whatever was not reported durable when a server crashes, and a toy state
 * machine per server. Every step is checked by `Checker`.
 *
 * The harness is the "driver" of README.md's I/O contract; it follows the
 * contract to the letter, so a broken invariant is a bug in the core.
 */
import { epochOf, formatZxid, type Zxid } from '@zk/zxid';
import {
  createZabNode,
  formatMessage,
  majorityQuorum,
  type DurableState,
  type LogEntry,
  type PersistOp,
  type Ready,
  type ZabMessage,
  type ZabNode,
} from '../../src/index.js';
import { Checker, SafetyViolation } from './checker.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function bytesOf(s: string): Uint8Array {
  return enc.encode(s);
}
export function textOf(b: Uint8Array): string {
  return dec.decode(b);
}

/** The toy state machine: the list of applied transactions. */
export class SimApp {
  applied: { zxid: Zxid; payload: string }[] = [];

  get lastZxid(): Zxid {
    return this.applied.length === 0 ? 0n : this.applied[this.applied.length - 1]!.zxid;
  }

  apply(zxid: Zxid, payload: Uint8Array): void {
    if (zxid <= this.lastZxid) throw new Error(`state machine: apply ${formatZxid(zxid)} after ${formatZxid(this.lastZxid)}`);
    this.applied.push({ zxid, payload: textOf(payload) });
  }

  snapshot(): Uint8Array {
    return bytesOf(this.applied.map((a) => `${a.payload}@${a.zxid.toString(16)}`).join(','));
  }

  restore(data: Uint8Array): void {
    const text = textOf(data);
    this.applied = text === '' ? [] : text.split(',').map((item) => {
      const at = item.lastIndexOf('@');
      return { payload: item.slice(0, at), zxid: BigInt('0x' + item.slice(at + 1)) };
    });
  }
}

export interface Disk {
  acceptedEpoch: number;
  currentEpoch: number;
  snapshot: { zxid: Zxid; data: Uint8Array } | null;
  log: LogEntry[];
}

/** True when the disk holds txn `zxid`: in its snapshot or its log. */
export function diskHas(disk: Disk, zxid: Zxid): boolean {
  if (zxid <= (disk.snapshot?.zxid ?? 0n)) return true;
  for (let i = disk.log.length - 1; i >= 0; i--) {
    const z = disk.log[i]!.zxid;
    if (z === zxid) return true;
    if (z < zxid) return false;
  }
  return false;
}

function applyOp(disk: Disk, op: PersistOp): void {
  switch (op.kind) {
    case 'append': {
      const last = disk.log.length > 0 ? disk.log[disk.log.length - 1]!.zxid : (disk.snapshot?.zxid ?? 0n);
      if (op.entry.zxid <= last) throw new Error(`disk: append ${formatZxid(op.entry.zxid)} after ${formatZxid(last)}`);
      disk.log.push(op.entry);
      return;
    }
    case 'truncate':
      disk.log = disk.log.filter((e) => e.zxid <= op.zxid);
      return;
    case 'snapshot':
      disk.snapshot = { zxid: op.zxid, data: op.data };
      disk.log = [];
      return;
    case 'acceptedEpoch':
      disk.acceptedEpoch = op.epoch;
      return;
    case 'currentEpoch':
      disk.currentEpoch = op.epoch;
      return;
  }
}

export function formatOp(op: PersistOp): string {
  switch (op.kind) {
    case 'append':
      return `append ${formatZxid(op.entry.zxid)} ${textOf(op.entry.payload)}`;
    case 'truncate':
      return `truncate ${formatZxid(op.zxid)}`;
    case 'snapshot':
      return `snapshot ${formatZxid(op.zxid)}`;
    case 'acceptedEpoch':
      return `acceptedEpoch=${op.epoch}`;
    case 'currentEpoch':
      return `currentEpoch=${op.epoch}`;
  }
}

export class SimServer {
  node: ZabNode | null = null;
  disk: Disk = { acceptedEpoch: 0, currentEpoch: 0, snapshot: null, log: [] };
  pending: PersistOp[] = [];
  app = new SimApp();
  snapshotWanted = false;
  readonly completedSyncs = new Set<number>();

  constructor(readonly sid: number, readonly observer: boolean) {}

  get alive(): boolean {
    return this.node !== null;
  }
}

export interface ClusterOptions {
  readonly voters: readonly number[];
  readonly observers?: readonly number[];
  readonly initLimit?: number;
  readonly syncLimit?: number;
  readonly commitLogCount?: number;
  readonly initialCounter?: number;
  /** Answer snapshot requests right away (default) or leave them for `answerSnapshot`. */
  readonly autoSnapshot?: boolean;
  /** Keep at most this many trace lines (default: all). */
  readonly traceLimit?: number;
  /** Record trace lines (default true); the randomized test turns it off for speed and replays a failing seed with it on. */
  readonly trace?: boolean;
}

const pairKey = (a: number, b: number): string => (a < b ? `${a}|${b}` : `${b}|${a}`);
const linkKey = (from: number, to: number): string => `${from}->${to}`;

export class Cluster {
  readonly servers = new Map<number, SimServer>();
  readonly links = new Map<string, ZabMessage[]>();
  readonly cut = new Set<string>();
  /** Cut pairs a message was lost on: both ends get a connection reset when healed. */
  private readonly cutUsed = new Set<string>();
  readonly checker: Checker;
  trace: string[] = [];
  private readonly notifications: { at: number; peer: number }[] = [];
  private draining = false;
  /** Called for each forwarded REQUEST a leader's Ready carries (the server's job: prep and propose). */
  onRequest: ((leader: number, payload: Uint8Array) => void) | null = null;

  constructor(readonly opts: ClusterOptions) {
    this.tracing = opts.trace ?? true;
    for (const sid of opts.voters) this.servers.set(sid, new SimServer(sid, false));
    for (const sid of opts.observers ?? []) this.servers.set(sid, new SimServer(sid, true));
    this.checker = new Checker(this, opts.voters);
    for (const s of this.servers.values()) this.start(s);
  }

  get sids(): number[] {
    return [...this.servers.keys()].sort((a, b) => a - b);
  }

  server(sid: number): SimServer {
    const s = this.servers.get(sid);
    if (s === undefined) throw new Error(`no server ${sid}`);
    return s;
  }

  node(sid: number): ZabNode {
    const n = this.server(sid).node;
    if (n === null) throw new Error(`server ${sid} is down`);
    return n;
  }

  readonly tracing: boolean;

  line(text: string): void {
    if (!this.tracing) return;
    this.trace.push(text);
    const limit = this.opts.traceLimit;
    if (limit !== undefined && this.trace.length > limit * 2) this.trace = this.trace.slice(-limit);
  }

  /** Takes the trace lines written since the last call. */
  takeTrace(): string[] {
    const t = this.trace;
    this.trace = [];
    return t;
  }

  private start(s: SimServer): void {
    const snap = s.disk.snapshot;
    s.app = new SimApp();
    if (snap !== null) s.app.restore(snap.data);
    const snapshotZxid = snap?.zxid ?? 0n;
    const durable: DurableState = {
      acceptedEpoch: s.disk.acceptedEpoch,
      currentEpoch: s.disk.currentEpoch,
      snapshotZxid,
      log: s.disk.log.filter((e) => e.zxid > snapshotZxid),
    };
    s.node = createZabNode(
      {
        sid: s.sid,
        quorum: majorityQuorum(this.opts.voters),
        learnerType: s.observer ? 'observer' : 'participant',
        initLimit: this.opts.initLimit ?? 10,
        syncLimit: this.opts.syncLimit ?? 5,
        commitLogCount: this.opts.commitLogCount ?? 500,
        ...(this.opts.initialCounter !== undefined ? { testingInitialCounter: this.opts.initialCounter } : {}),
      },
      durable,
    );
    s.pending = [];
    s.snapshotWanted = false;
    this.checker.onRestore(s.sid, s.app);
    this.process(s.sid);
  }

  // ---- driving one node ---------------------------------------------------------

  /** Runs `fn` on a live node, then handles everything it produced. */
  with(sid: number, fn: (n: ZabNode) => void): void {
    const s = this.server(sid);
    if (s.node === null) return;
    fn(s.node);
    this.process(sid);
  }

  private process(sid: number): void {
    this.handleReady(sid);
    this.drain();
  }

  private handleReady(sid: number): void {
    const s = this.server(sid);
    const node = s.node;
    if (node === null) return;
    while (node.hasReady()) {
      const rd: Ready = node.ready();
      for (const sc of rd.stateChanges) {
        const leader = sc.leader === null ? '' : ` leader=${sc.leader}`;
        const reason = sc.reason === undefined ? '' : ` (${sc.reason})`;
        this.line(`${sid} state ${sc.state} ${sc.phase} epoch=${sc.epoch}${leader}${sc.serving ? ' serving' : ''}${reason}`);
        this.checker.onStateChange(sid, sc);
      }
      for (const peer of rd.disconnect) {
        this.line(`${sid} disconnect ${peer}`);
        this.breakLink(sid, peer);
        // The peer notices the close, unless a partition swallows the FIN: then it notices at heal.
        if (this.cut.has(pairKey(sid, peer))) this.cutUsed.add(pairKey(sid, peer));
        else this.notifications.push({ at: peer, peer: sid });
      }
      for (const op of rd.persist) {
        s.pending.push(op);
        if (this.tracing) this.line(`${sid} persist #${op.seq} ${formatOp(op)}`);
        if (op.kind === 'snapshot') {
          s.app.restore(op.data);
          this.checker.onRestore(sid, s.app);
        }
      }
      for (const m of rd.messages) this.send(sid, m.to, m.msg);
      for (const c of rd.commits) {
        // I/O contract: a commit is handed out only once it is durable here.
        if (!diskHas(s.disk, c.zxid)) {
          throw new SafetyViolation(`server ${sid} delivered ${formatZxid(c.zxid)} before it was durable`);
        }
        s.app.apply(c.zxid, c.payload);
        if (this.tracing) this.line(`${sid} commit ${formatZxid(c.zxid)} ${textOf(c.payload)}`);
        this.checker.onApply(sid, s.app);
      }
      for (const r of rd.requests) this.line(`${sid} request from ${r.from}: ${textOf(r.payload)}`);
      for (const t of rd.touches) this.line(`${sid} touches from ${t.from}: ${textOf(t.payload)}`);
      for (const sy of rd.syncs) {
        this.line(`${sid} sync done id=${sy.id} zxid=${formatZxid(sy.zxid)}`);
        this.checker.onSyncDone(sid, sy.id, s.app);
        s.completedSyncs.add(sy.id);
      }
      const snap = rd.snapshotRequested;
      const requests = rd.requests;
      node.advance();
      node.invariants();
      if (snap) {
        this.line(`${sid} snapshot requested`);
        if (this.opts.autoSnapshot ?? true) node.snapshotReady(s.app.lastZxid, s.app.snapshot());
        else s.snapshotWanted = true;
      }
      if (this.onRequest !== null) for (const r of requests) this.onRequest(sid, r.payload);
    }
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.notifications.length > 0) {
        const { at, peer } = this.notifications.shift()!;
        const s = this.servers.get(at);
        if (s?.node == null) continue;
        s.node.peerDisconnected(peer);
        this.handleReady(at);
      }
    } finally {
      this.draining = false;
    }
  }

  private send(from: number, to: number, msg: ZabMessage): void {
    const target = this.servers.get(to);
    const text = this.tracing ? `${from}->${to} ${formatMessage(msg)}` : '';
    if (target === undefined || target.node === null) {
      this.line(`${text} (refused: ${to} is down)`);
      this.notifications.push({ at: from, peer: to });
      return;
    }
    if (this.cut.has(pairKey(from, to))) {
      this.line(`${text} (lost: partitioned)`);
      this.cutUsed.add(pairKey(from, to));
      return;
    }
    this.line(text);
    this.checker.onSend(from, to, msg);
    const k = linkKey(from, to);
    let q = this.links.get(k);
    if (q === undefined) this.links.set(k, (q = []));
    q.push(msg);
  }

  private breakLink(a: number, b: number): void {
    this.links.delete(linkKey(a, b));
    this.links.delete(linkKey(b, a));
  }

  // ---- commands -------------------------------------------------------------------------

  /** Delivers up to `count` queued messages from `from` to `to`, in order. Returns how many. */
  deliver(from: number, to: number, count = Infinity): number {
    let n = 0;
    while (n < count) {
      const q = this.links.get(linkKey(from, to));
      if (q === undefined || q.length === 0) break;
      const msg = q.shift()!;
      n++;
      this.checker.onDeliver(from, to, msg);
      this.with(to, (node) => node.step(from, msg));
    }
    return n;
  }

  /** Links with queued messages, in a stable order. */
  busyLinks(): [number, number][] {
    const out: [number, number][] = [];
    for (const [k, q] of this.links) {
      if (q.length === 0) continue;
      const [a, b] = k.split('->').map(Number) as [number, number];
      out.push([a, b]);
    }
    return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  }

  /** Delivers every queued message, round-robin over links, until none is left. */
  deliverAll(limit = 100_000): number {
    let total = 0;
    for (;;) {
      const busy = this.busyLinks();
      if (busy.length === 0) return total;
      for (const [a, b] of busy) {
        total += this.deliver(a, b, 1);
        if (total > limit) throw new Error('deliverAll: no quiescence');
      }
    }
  }

  /** Makes `count` (default all) pending ops of `sid` durable and reports it. */
  persist(sid: number, count = Infinity): number {
    const s = this.server(sid);
    if (s.node === null || s.pending.length === 0) return 0;
    const ops = s.pending.splice(0, Math.min(count, s.pending.length));
    for (const op of ops) {
      applyOp(s.disk, op);
      this.checker.onDurable(sid, op);
    }
    const seq = ops[ops.length - 1]!.seq;
    this.line(`${sid} persisted up to #${seq}`);
    this.with(sid, (n) => n.persisted(seq));
    return ops.length;
  }

  persistAll(): number {
    let n = 0;
    for (const sid of this.sids) n += this.persist(sid);
    return n;
  }

  /** Delivers and persists until nothing moves. */
  stabilize(limit = 10_000): void {
    for (let i = 0; i < limit; i++) {
      const moved = this.deliverAll() + this.persistAll() + this.answerSnapshots();
      if (moved === 0) return;
    }
    throw new Error('stabilize: no quiescence');
  }

  answerSnapshots(): number {
    let n = 0;
    for (const s of this.servers.values()) {
      if (s.node === null || !s.snapshotWanted) continue;
      s.snapshotWanted = false;
      n++;
      this.with(s.sid, (node) => node.snapshotReady(s.app.lastZxid, s.app.snapshot()));
    }
    return n;
  }

  tick(sids: readonly number[] = this.sids, times = 1): void {
    for (let i = 0; i < times; i++) {
      for (const sid of sids) this.with(sid, (n) => n.tick());
    }
  }

  /** The election decided `leader`; tell it and then each of `members` (default: every other live server). */
  elect(leader: number, members?: readonly number[]): void {
    const others = members ?? this.sids.filter((s) => s !== leader && this.server(s).alive);
    this.with(leader, (n) => n.electionComplete(leader));
    for (const sid of others) this.with(sid, (n) => n.electionComplete(leader));
  }

  /** Crash: unreported ops are lost except the first `keep` of them (a partial fsync). */
  crash(sid: number, keep = 0): void {
    const s = this.server(sid);
    if (s.node === null) return;
    const kept = s.pending.slice(0, keep);
    for (const op of kept) {
      applyOp(s.disk, op);
      this.checker.onDurable(sid, op);
    }
    this.line(`${sid} crashed, lost ${s.pending.length - kept.length} unpersisted ops`);
    s.node = null;
    s.pending = [];
    s.app = new SimApp();
    for (const other of this.sids) {
      if (other === sid) continue;
      this.breakLink(sid, other);
      this.notifications.push({ at: other, peer: sid });
    }
    this.drain();
  }

  /**
   * The driver's own periodic snapshot (log compaction): the state machine's
   * state at its last applied zxid replaces the log prefix it covers. Only
   * taken when no write is pending, so it never races an installSnapshot op.
   */
  localSnapshot(sid: number): boolean {
    const s = this.server(sid);
    if (s.node === null || s.pending.length > 0) return false;
    const zxid = s.app.lastZxid;
    if (zxid <= (s.disk.snapshot?.zxid ?? 0n)) return false;
    s.disk.snapshot = { zxid, data: s.app.snapshot() };
    s.disk.log = s.disk.log.filter((e) => e.zxid > zxid);
    this.line(`${sid} local snapshot at ${formatZxid(zxid)}`);
    return true;
  }

  restart(sid: number): void {
    const s = this.server(sid);
    if (s.node !== null) return;
    this.line(`${sid} restarted`);
    this.start(s);
  }

  /** Connection reset between two servers: queued messages are lost and both ends notice. */
  drop(a: number, b: number): void {
    this.line(`connection ${a}<->${b} reset`);
    this.breakLink(a, b);
    this.notifications.push({ at: a, peer: b }, { at: b, peer: a });
    this.drain();
  }

  /** Silently cuts every link between groups (messages are lost; nobody is told). */
  partition(groups: readonly (readonly number[])[]): void {
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        for (const a of groups[i]!) {
          for (const b of groups[j]!) {
            this.cut.add(pairKey(a, b));
            const lost = (this.links.get(linkKey(a, b))?.length ?? 0) + (this.links.get(linkKey(b, a))?.length ?? 0);
            if (lost > 0) this.cutUsed.add(pairKey(a, b));
            this.breakLink(a, b);
          }
        }
      }
    }
  }

  /** Heals all partitions; connections that lost messages are reset (both ends notified). */
  heal(): void {
    for (const k of this.cut) {
      if (!this.cutUsed.has(k)) continue;
      const [a, b] = k.split('|').map(Number) as [number, number];
      this.line(`connection ${a}<->${b} reset`);
      this.notifications.push({ at: a, peer: b }, { at: b, peer: a });
    }
    this.cut.clear();
    this.cutUsed.clear();
    this.drain();
  }

  reachable(a: number, b: number): boolean {
    return a === b || !this.cut.has(pairKey(a, b));
  }

  propose(sid: number, payload: string): Zxid | null {
    let out: Zxid | null = null;
    this.with(sid, (n) => {
      const r = n.propose(bytesOf(payload));
      if (r.ok) out = r.zxid;
      else this.line(`${sid} propose ${payload} rejected: ${r.reason}`);
    });
    return out;
  }

  /** The server's durable log as it would be after all pending ops (for history checks). */
  effectiveHistory(sid: number): { base: Zxid; zxids: Set<Zxid> } {
    const s = this.server(sid);
    const disk: Disk = { ...s.disk, log: s.disk.log.slice() };
    for (const op of s.pending) applyOp(disk, op);
    return { base: disk.snapshot?.zxid ?? 0n, zxids: new Set(disk.log.map((e) => e.zxid)) };
  }

  epochOfLeader(sid: number): number {
    const st = this.node(sid).status();
    return st.state === 'LEADING' ? st.epoch : -1;
  }
}

export { epochOf };
