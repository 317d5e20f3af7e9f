// The case DSL. A case is a named async script over one or more connections to ONE server; the
// runner executes the same script against each server of a pair and compares what was recorded.
//
// Every call on a Conn is a step: the request(s) are sent, the reply awaited, then every other open
// connection of the case is pinged (a barrier: ZooKeeper answers a ping after every event that an
// earlier write queued on that connection), and the frames each connection received meanwhile are
// recorded under the step. That makes the transcript independent of socket timing while keeping
// the arrival order of events and replies on each connection.

import type { ACL } from '@zk/protocol';
import { RawSession, type ConnectOptions, type Frame, type Outcome, type ReplyFrame } from './raw-session.js';
import { fourLetterWord, type RunningServer, sleep } from '@zk/testkit';
import { NULL_PATH, R, type CreateOpts, type Data, type MultiOp, type PathResolver, type Req } from './requests.js';

export type GroupName = string;

export interface CaseDef {
  name: string;
  /** Server settings group (see groups.ts); default 'default'. */
  group?: GroupName;
  /** ms to wait after cleanup for asynchronous server work (container/TTL reaper) to settle. */
  quiesceMs?: number;
  /** Script time limit, ms (default 20000). */
  timeoutMs?: number;
  /**
   * Set when this input crashes Apache ZooKeeper 3.8.0 (the server process exits): the case is then
   * not run on ZooKeeper at all; on zk-ts it must run without the server dying.
   */
  zkCrashes?: string;
  script(c: CaseCtx): Promise<void>;
}

export type Recorded = Frame | { kind: 'lost' | 'timeout' | 'noreply'; summary: string; op: number; xid: number };

export type Entry =
  | { kind: 'step'; n: number; conn: string; what: string; frames: Array<{ conn: string; frame: Recorded }> }
  | { kind: 'note'; n: number; text: string };

export interface ConnOpts extends ConnectOptions {
  /** Connection label in the transcript (default c1, c2, ... in connect order). */
  label?: string;
  /** Ping while idle so the session does not expire (default true). */
  keepalive?: boolean;
  /**
   * Ensemble mode: connect to the other follower instead of the case's server (a session moving
   * between servers). `reattach()` does this by itself in ensemble mode. Ignored standalone.
   */
  otherServer?: boolean;
}

/**
 * Ensemble mode: the case's server is one follower of a 3-server ensemble; `other` is the second
 * follower, where re-attached sessions go. `syncBoth` makes both followers catch up with the leader
 * (a `sync` on the runner's control session on each; no zxid is consumed), so that a change made
 * through one follower has been applied on the other before anything is recorded.
 */
export interface EnsembleTarget {
  other: { host: string; port: number };
  syncBoth(): Promise<void>;
  /**
   * Waits until the leader itself has applied everything committed (a sync on a control session
   * connected to the leader), or null (ZK_DIFF_ENSEMBLE_SETTLE=0). Called after every step and new
   * session. Followers apply a commit (and answer their clients) before the leader may have applied
   * it, and the leader prepares the next write against what it has applied plus its outstanding
   * change records; ZooKeeper 3.8's setACL record keeps the old ACL, so without this a write that
   * follows a setACL is checked against the old ACL now and then, on ZooKeeper as on zk-ts (more
   * often on zk-ts, whose leader applies only after its own fsync: tools/ensemble
   * test/known-bugs.ensemble.ts), and a parent whose ephemeral child's session just closed may
   * still count the child (NOTEMPTY). Without it, transcripts of ZooKeeper itself vary by timing.
   */
  settle: (() => Promise<void>) | null;
}

export class ScriptAbort extends Error {
  override readonly name = 'ScriptAbort';
}

export class CaseCtx {
  readonly entries: Entry[] = [];
  readonly conns: Conn[] = [];
  private stepNo = 0;
  readonly resolve: PathResolver;
  /** Session ids known to be closed by a successful closeSession (no cleanup needed). */
  readonly closedSessions = new Set<bigint>();

  /** Whether a connection of this case went to the other follower (ensemble mode). */
  private usedOtherServer = false;

  constructor(
    readonly server: RunningServer,
    readonly root: string,
    readonly ensemble: EnsembleTarget | null = null,
  ) {
    this.resolve = (p: string): string | null => {
      if (p === NULL_PATH) return null;
      if (p.startsWith('!')) return p.slice(1);
      if (p === '/') return root;
      if (p.startsWith('/')) return root + p;
      return p;
    };
  }

  /** Open a connection (a new session, or an existing one with sessionId + passwd). */
  async connect(opts: ConnOpts = {}): Promise<Conn> {
    const label = opts.label ?? `c${this.conns.length + 1}`;
    const n = ++this.stepNo;
    const what = `connect${describeConnect(opts)}`;
    let raw: RawSession;
    let host = this.server.host;
    let port = this.server.port;
    if (opts.otherServer && this.ensemble !== null) {
      // The other follower may not have applied what this case did through the first one yet (a
      // client that saw a newer zxid would be refused there): catch both up first.
      await this.ensemble.syncBoth();
      ({ host, port } = this.ensemble.other);
      this.usedOtherServer = true;
    }
    try {
      ({ session: raw } = await RawSession.connect(host, port, opts, this.resolve));
    } catch (e) {
      const msg = (e as Error).message.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, '<server>');
      this.entries.push({ kind: 'note', n, text: `${label} connect failed: ${msg}` });
      throw new ScriptAbort(`connect failed: ${msg}`);
    }
    const conn = new Conn(this, label, raw);
    this.conns.push(conn);
    if (this.ensemble?.settle && raw.negotiatedTimeout > 0) await this.ensemble.settle();
    if (opts.keepalive ?? true) raw.startKeepalive();
    // The server may close right after a refused handshake; give the close a moment to arrive so
    // that it is recorded deterministically in this step.
    if (raw.negotiatedTimeout <= 0) await raw.waitClosed(2000);
    await this.finishStep(n, label, what, conn);
    return conn;
  }

  /** Record a literal line (e.g. a value a script computed). */
  note(text: string): void {
    this.entries.push({ kind: 'note', n: ++this.stepNo, text });
  }

  sleep(ms: number): Promise<void> {
    return sleep(ms);
  }

  /**
   * Poll `pred` (using internal, unrecorded requests) until it holds or time runs out; records only
   * the outcome and whatever events arrived meanwhile.
   */
  async waitFor(desc: string, pred: () => Promise<boolean>, timeoutMs = 15_000, everyMs = 50): Promise<boolean> {
    const n = ++this.stepNo;
    const deadline = Date.now() + timeoutMs;
    let ok = false;
    for (;;) {
      if (await pred()) {
        ok = true;
        break;
      }
      if (Date.now() > deadline) break;
      await sleep(everyMs);
    }
    await this.finishStep(n, '*', `wait ${desc}: ${ok ? 'ok' : 'TIMED OUT'}`, null);
    return ok;
  }

  /** A four-letter word on its own connection; the answer is recorded verbatim unless a mapper is given. */
  async fourLetter(word: string, map: (answer: string) => string = (a) => a): Promise<string> {
    const n = ++this.stepNo;
    const answer = await fourLetterWord(this.server.host, this.server.port, word, 5000).catch((e: Error) => `<error ${e.message}>`);
    this.entries.push({ kind: 'note', n, text: `4lw ${word} -> ${JSON.stringify(map(answer))}` });
    return answer;
  }

  /** Barrier on every open connection and record what arrived (a step without a request). */
  async settle(label = 'settle'): Promise<void> {
    await this.finishStep(++this.stepNo, '*', label, null);
  }

  /**
   * @internal Barrier on every open connection (the acting one too: a server that answers and then
   * closes, as ZooKeeper does after AUTHFAILED, has its close recorded in the same step), then
   * record everything received, the acting connection's frames first.
   */
  async finishStep(n: number, conn: string, what: string, actor: Conn | null): Promise<void> {
    // Ensemble: with connections on both followers, a change made through one is applied on the
    // other a little later; sync both with the leader so that its events are queued before the pings.
    if (this.ensemble?.settle) await this.ensemble.settle();
    if (this.usedOtherServer && this.ensemble !== null) await this.ensemble.syncBoth();
    await Promise.all(this.conns.filter((c) => !c.raw.closed).map((c) => c.raw.barrierPing()));
    const frames: Array<{ conn: string; frame: Recorded }> = [];
    const ordered = actor ? [actor, ...this.conns.filter((c) => c !== actor)] : this.conns;
    for (const c of ordered) for (const f of c.raw.drain()) frames.push({ conn: c.label, frame: f });
    this.entries.push({ kind: 'step', n, conn, what, frames });
  }

  /** @internal */
  nextStep(): number {
    return ++this.stepNo;
  }

  /**
   * Close every session the case left behind, outside the transcript: an open connection gets a
   * closeSession; a session whose connection is gone is re-attached and closed, so that no session
   * expires later and shifts the zxids of another case.
   */
  async cleanup(): Promise<void> {
    const pending = new Map<bigint, { passwd: Buffer; timeOut: number }>();
    for (const c of this.conns) {
      const id = c.raw.sessionId;
      if (id === 0n || this.closedSessions.has(id)) continue;
      if (!c.raw.closed) {
        c.raw.stopKeepalive();
        const o = await c.raw.send(R.closeSession(), { internal: true, timeoutMs: 5000 });
        if (o.kind === 'reply') this.closedSessions.add(id);
        await c.raw.end();
      }
      if (!this.closedSessions.has(id)) pending.set(id, { passwd: c.raw.passwd, timeOut: c.raw.negotiatedTimeout });
    }
    for (const [id, { passwd, timeOut }] of pending) {
      try {
        const { session, connected } = await RawSession.connect(this.server.host, this.server.port, {
          sessionId: id,
          passwd,
          timeOut: timeOut > 0 ? timeOut : 10_000,
          handshakeTimeoutMs: 5000,
        });
        if (connected && connected.timeOut > 0) {
          await session.send(R.closeSession(), { internal: true, timeoutMs: 5000 });
        }
        await session.end();
      } catch {
        /* server gone: nothing to clean */
      }
    }
  }
}

function describeConnect(o: ConnOpts): string {
  const parts: string[] = [];
  if (o.timeOut !== undefined) parts.push(`timeOut=${o.timeOut}`);
  if (o.readOnly) parts.push('readOnly');
  if (o.omitReadOnlyByte) parts.push('noReadOnlyByte');
  if (o.sessionId !== undefined) parts.push('reattach');
  if (o.lastZxidSeen !== undefined) parts.push('lastZxidSeen=<given>');
  if (o.protocolVersion !== undefined) parts.push(`protocolVersion=${o.protocolVersion}`);
  if (o.otherServer) parts.push('@other-server');
  if (o.rawHandshake) parts.push(`raw=0x${Buffer.from(o.rawHandshake).toString('hex').slice(0, 80)}`);
  return parts.length ? ' ' + parts.join(' ') : '';
}

/** One connection of a case, with the request vocabulary as methods. */
export class Conn {
  constructor(
    readonly ctx: CaseCtx,
    readonly label: string,
    readonly raw: RawSession,
  ) {}

  get sessionId(): bigint {
    return this.raw.sessionId;
  }
  get passwd(): Buffer {
    return this.raw.passwd;
  }
  get lastZxid(): bigint {
    return this.raw.lastZxid;
  }
  get closed(): boolean {
    return this.raw.closed;
  }

  /**
   * Whether the server closes the connection within `ms`: after an error reply a server may close,
   * and the FIN can arrive with the reply or a moment later; asking at once would be a race.
   */
  closedWithin(ms: number): Promise<boolean> {
    return this.raw.closedWithin(ms);
  }

  /** Send one request and record it as a step. */
  async req(r: Req, opts: { xid?: number; timeoutMs?: number } = {}): Promise<Outcome> {
    const n = this.ctx.nextStep();
    const o = await this.raw.send(r, opts);
    if (o.kind === 'reply' && r.op === -11 && o.err === 0) {
      this.ctx.closedSessions.add(this.raw.sessionId);
      await this.raw.waitClosed(2000);
    }
    await this.ctx.finishStep(n, this.label, r.summary + (opts.xid !== undefined ? ` xid=${opts.xid}` : ''), this);
    if (o.kind !== 'reply') this.recordLost(o);
    return o;
  }

  private recordLost(o: Outcome): void {
    const last = this.ctx.entries[this.ctx.entries.length - 1];
    if (last && last.kind === 'step') last.frames.push({ conn: this.label, frame: o as Recorded });
  }

  /** Send several requests back to back without waiting (pipelined), then await all replies. */
  async batch(reqs: Array<Req | { req: Req; xid: number }>): Promise<Outcome[]> {
    const n = this.ctx.nextStep();
    const ps = reqs.map((x) => ('req' in x ? this.raw.send(x.req, { xid: x.xid }) : this.raw.send(x)));
    const outs = await Promise.all(ps);
    // After a closeSession the server closes the connection: let the close be part of this step.
    if (reqs.some((x) => ('req' in x ? x.req : x).op === -11)) await this.raw.waitClosed(2000);
    await this.ctx.finishStep(n, this.label, `batch [${reqs.map((x) => ('req' in x ? `${x.req.summary} xid=${x.xid}` : x.summary)).join(' | ')}]`, this);
    for (const o of outs) if (o.kind !== 'reply') this.recordLost(o);
    return outs;
  }

  /** Request sent outside the transcript (used by waitFor predicates). */
  async quiet(r: Req): Promise<Outcome> {
    return this.raw.send(r, { internal: true });
  }

  /** Write raw bytes (malformed frames); waits up to waitMs for the server to react, then records. */
  async rawBytes(bytes: Uint8Array, summary: string, waitMs = 1000): Promise<void> {
    const n = this.ctx.nextStep();
    this.raw.writeRaw(bytes);
    await this.raw.waitClosed(waitMs).catch(() => undefined);
    await this.ctx.finishStep(n, this.label, `raw bytes ${summary}`, this);
  }

  // ---- sugar ----
  create(path: string, data: Data = '', o: CreateOpts = {}) { return this.req(R.create(path, data, o)); }
  create2(path: string, data: Data = '', o: CreateOpts = {}) { return this.req(R.create2(path, data, o)); }
  createContainer(path: string, data: Data = '', o: CreateOpts = {}) { return this.req(R.createContainer(path, data, o)); }
  createTTL(path: string, data: Data, ttl: number | bigint, o: CreateOpts = {}) { return this.req(R.createTTL(path, data, ttl, o)); }
  delete(path: string, version = -1) { return this.req(R.delete(path, version)); }
  exists(path: string, watch = false) { return this.req(R.exists(path, watch)); }
  getData(path: string, watch = false) { return this.req(R.getData(path, watch)); }
  setData(path: string, data: Data, version = -1) { return this.req(R.setData(path, data, version)); }
  getACL(path: string) { return this.req(R.getACL(path)); }
  setACL(path: string, acl: ACL[] | null, version = -1) { return this.req(R.setACL(path, acl, version)); }
  getChildren(path: string, watch = false) { return this.req(R.getChildren(path, watch)); }
  getChildren2(path: string, watch = false) { return this.req(R.getChildren2(path, watch)); }
  sync(path: string) { return this.req(R.sync(path)); }
  check(path: string, version: number) { return this.req(R.check(path, version)); }
  multi(ops: MultiOp[]) { return this.req(R.multi(ops)); }
  multiRead(ops: MultiOp[]) { return this.req(R.multiRead(ops)); }
  addWatch(path: string, mode: number) { return this.req(R.addWatch(path, mode)); }
  checkWatches(path: string, type: number) { return this.req(R.checkWatches(path, type)); }
  removeWatches(path: string, type: number) { return this.req(R.removeWatches(path, type)); }
  auth(scheme: string, auth: Data) { return this.req(R.auth(scheme, auth)); }
  addDigest(user: string, password: string) { return this.req(R.auth('digest', `${user}:${password}`)); }
  getEphemerals(prefix: string) { return this.req(R.getEphemerals(prefix)); }
  getAllChildrenNumber(path: string) { return this.req(R.getAllChildrenNumber(path)); }
  whoAmI() { return this.req(R.whoAmI()); }
  ping() { return this.req(R.ping()); }

  /** closeSession, then wait for the server to close the connection. */
  close() { return this.req(R.closeSession()); }

  /** Close the TCP connection without closeSession. */
  async drop(): Promise<void> {
    const n = this.ctx.nextStep();
    await this.raw.drop();
    this.raw.drain();
    await this.ctx.finishStep(n, this.label, 'drop connection', this);
  }

  /**
   * A new connection to this connection's session (id + password). In ensemble mode it goes to the
   * other follower (the session moves), unless `otherServer: false` is given.
   */
  reattach(opts: ConnOpts = {}): Promise<Conn> {
    return this.ctx.connect({
      otherServer: this.ctx.ensemble !== null,
      timeOut: this.raw.negotiatedTimeout > 0 ? this.raw.negotiatedTimeout : 10_000,
      lastZxidSeen: this.raw.lastZxid,
      ...opts,
      sessionId: this.raw.sessionId,
      passwd: opts.passwd ?? this.raw.passwd,
      label: opts.label ?? `${this.label}'`,
    });
  }
}

// ---- helpers for scripts ----

export function isOk(o: Outcome): o is ReplyFrame {
  return o.kind === 'reply' && o.err === 0;
}

/** The absolute path from a create reply, as a '!'-path usable in later requests. */
export function createdPath(o: Outcome): string {
  if (o.kind === 'reply' && o.body && typeof (o.body as { path?: unknown }).path === 'string') {
    return '!' + (o.body as { path: string }).path;
  }
  throw new ScriptAbort(`no created path in ${o.kind === 'reply' ? `reply err=${o.err}` : o.kind}`);
}

export function statOf(o: Outcome): import('@zk/protocol').Stat | null {
  if (o.kind === 'reply' && o.body && typeof o.body === 'object' && 'stat' in o.body) {
    return (o.body as { stat: import('@zk/protocol').Stat }).stat;
  }
  return null;
}
