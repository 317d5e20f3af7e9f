// A raw ZooKeeper client-port session: one TCP connection, a handshake with chosen parameters,
// requests sent with any xid (pipelined or not), and every frame the server sends (replies,
// notifications, the close) kept in arrival order. No retries, no reconnects, no client-side
// validation: whatever the server says is what the transcript shows.

import { connect as netConnect, type Socket } from 'node:net';
import { ConnectRequest } from '@zk/protocol';
import { OP_NAMES, type PathResolver, type Req } from './requests.js';
import { Reader, Writer } from './wire.js';

export interface ConnectOptions {
  protocolVersion?: number;
  lastZxidSeen?: bigint;
  /** Requested session timeout, ms. */
  timeOut?: number;
  sessionId?: bigint;
  passwd?: Uint8Array;
  readOnly?: boolean;
  /** Leave out the trailing readOnly byte (pre-3.4 clients). */
  omitReadOnlyByte?: boolean;
  /** Send these bytes instead of an encoded ConnectRequest (length prefix included). */
  rawHandshake?: Uint8Array;
  /** ms to wait for the ConnectResponse. */
  handshakeTimeoutMs?: number;
}

export interface ConnectedFrame {
  kind: 'connected';
  seq: number;
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Buffer | null;
  readOnly: boolean | null;
  trailing?: string;
  decodeError?: string;
}
export interface ReplyFrame {
  kind: 'reply';
  seq: number;
  xid: number;
  zxid: bigint;
  err: number;
  op: number;
  summary: string;
  body?: unknown;
  decodeError?: string;
  trailing?: string;
  internal?: boolean;
}
export interface EventFrame {
  kind: 'event';
  seq: number;
  zxid: bigint;
  err: number;
  type: number;
  state: number;
  path: string | null;
  trailing?: string;
}
export interface UnmatchedFrame {
  kind: 'unmatched';
  seq: number;
  xid: number;
  zxid: bigint;
  err: number;
  hex: string;
}
export interface ClosedFrame {
  kind: 'closed';
  seq: number;
}
export interface GarbageFrame {
  kind: 'garbage';
  seq: number;
  hex: string;
  reason: string;
}
export type Frame = ConnectedFrame | ReplyFrame | EventFrame | UnmatchedFrame | ClosedFrame | GarbageFrame;

/** What a request's promise resolves to: its reply, or 'lost' if the connection closed first. */
export type Outcome =
  | ReplyFrame
  | { kind: 'lost'; summary: string; op: number; xid: number }
  | { kind: 'timeout'; summary: string; op: number; xid: number }
  | { kind: 'noreply'; summary: string; op: number; xid: number };

interface Pending {
  xid: number;
  req: Req;
  internal: boolean;
  resolve: (o: Outcome) => void;
  timer: NodeJS.Timeout;
}

const MAX_FRAME = 64 * 1024 * 1024;

export class RawSession {
  readonly frames: Frame[] = [];
  private drained = 0;
  private seq = 0;
  private nextXid = 1;
  private nextInternalXid = 0x40000000;
  private pending: Pending[] = [];
  private buf: Buffer = Buffer.alloc(0);
  private handshakeDone = false;
  private onHandshake: ((f: ConnectedFrame | null) => void) | null = null;
  private keepalive: NodeJS.Timeout | null = null;
  private lastSend = Date.now();
  closed = false;
  private closeWaiters: Array<() => void> = [];
  /** Highest positive zxid seen in a reply header. */
  lastZxid = 0n;
  sessionId = 0n;
  passwd: Buffer = Buffer.alloc(16);
  negotiatedTimeout = 0;
  /** Default per-request reply timeout, ms. */
  replyTimeoutMs = 10_000;

  private constructor(
    private readonly sock: Socket,
    private readonly resolvePath: PathResolver,
  ) {
    sock.setNoDelay(true);
    sock.on('data', (d) => this.onData(d));
    sock.on('error', () => undefined);
    sock.on('close', () => this.onClose());
    if (sock.destroyed) queueMicrotask(() => this.onClose());
  }

  /** Open a connection and perform the handshake. Resolves even if the server refuses (see `connected`). */
  static async connect(host: string, port: number, opts: ConnectOptions = {}, resolvePath: PathResolver = (p) => p): Promise<{ session: RawSession; connected: ConnectedFrame | null }> {
    const sock = await new Promise<Socket>((res, rej) => {
      const s = netConnect({ host, port });
      const onError = (e: NodeJS.ErrnoException): void => {
        // Refused: nothing listens. Reset / broken pipe: the server accepted and closed at once
        // (e.g. over maxClientCnxns) — that is an answer, recorded as a close.
        if (e.code === 'ECONNRESET' || e.code === 'EPIPE') res(s);
        else rej(e);
      };
      s.once('connect', () => {
        s.removeListener('error', onError);
        res(s);
      });
      s.once('error', onError);
    });
    const session = new RawSession(sock, resolvePath);
    const connected = await session.handshake(opts);
    return { session, connected };
  }

  private handshake(opts: ConnectOptions): Promise<ConnectedFrame | null> {
    return new Promise((res) => {
      const timer = setTimeout(() => {
        this.onHandshake = null;
        res(null);
      }, opts.handshakeTimeoutMs ?? 10_000);
      this.onHandshake = (f) => {
        clearTimeout(timer);
        this.onHandshake = null;
        res(f);
      };
      if (opts.rawHandshake) {
        this.sock.write(opts.rawHandshake);
        return;
      }
      const w = new Writer();
      const req: ConnectRequest = {
        protocolVersion: opts.protocolVersion ?? 0,
        lastZxidSeen: opts.lastZxidSeen ?? 0n,
        timeOut: opts.timeOut ?? 10_000,
        sessionId: opts.sessionId ?? 0n,
        passwd: opts.passwd ?? Buffer.alloc(16),
      };
      if (!opts.omitReadOnlyByte) req.readOnly = opts.readOnly ?? false;
      this.writeFrame(w.record(ConnectRequest, req).bytes());
    });
  }

  private writeFrame(body: Uint8Array): void {
    const len = Buffer.alloc(4);
    len.writeInt32BE(body.length);
    this.lastSend = Date.now();
    if (!this.closed) this.sock.write(Buffer.concat([len, body]));
  }

  /** Write bytes verbatim (for malformed-frame cases). */
  writeRaw(bytes: Uint8Array): void {
    this.lastSend = Date.now();
    if (!this.closed) this.sock.write(bytes);
  }

  /**
   * Send a request; the promise resolves with its reply (matched by xid). If no reply came after
   * `probeAfterMs`, a ping is sent behind it: the server answers requests of a connection in order,
   * so if the ping's reply arrives first the request will never be answered ('noreply') — ZooKeeper
   * 3.8 does that, e.g. to a standalone check — and we need not wait for the full timeout.
   */
  send(req: Req, opts: { xid?: number; internal?: boolean; timeoutMs?: number; probeAfterMs?: number } = {}): Promise<Outcome> {
    // Internal requests (waitFor polls) take xids from their own range so that the visible xids
    // do not depend on how often a poll ran.
    const xid = opts.xid ?? req.xid ?? (opts.internal ? this.nextInternalXid++ : this.nextXid++);
    const w = new Writer();
    w.int(xid).int(req.op);
    req.encode(w, this.resolvePath);
    return new Promise<Outcome>((resolve) => {
      if (this.closed) {
        resolve({ kind: 'lost', summary: req.summary, op: req.op, xid });
        return;
      }
      const p: Pending = {
        xid,
        req,
        internal: opts.internal ?? false,
        resolve,
        timer: setTimeout(() => {
          const i = this.pending.indexOf(p);
          if (i >= 0) this.pending.splice(i, 1);
          resolve({ kind: 'timeout', summary: req.summary, op: req.op, xid });
        }, opts.timeoutMs ?? this.replyTimeoutMs),
      };
      this.pending.push(p);
      this.writeFrame(w.bytes());
      const probeAfter = opts.probeAfterMs ?? (req.op === 11 ? 0 : 250);
      if (probeAfter > 0) {
        const probe = setTimeout(() => {
          if (!this.pending.includes(p) || this.closed) return;
          void this.barrierPing().then(() => {
            const i = this.pending.indexOf(p);
            if (i < 0) return;
            this.pending.splice(i, 1);
            clearTimeout(p.timer);
            resolve({ kind: 'noreply', summary: req.summary, op: req.op, xid });
          });
        }, probeAfter);
        probe.unref();
      }
    });
  }

  /**
   * How long a barrier ping waits for its reply. A reply arriving after that shows up as an
   * UNMATCHED frame; ensemble runs raise it (a loaded follower can take seconds).
   */
  static barrierTimeoutMs = 3000;

  /** Ping (xid -2) that is kept out of the visible transcript. */
  async barrierPing(): Promise<void> {
    if (this.closed) return;
    await this.send({ op: 11, xid: -2, summary: 'ping', encode: () => undefined, decode: () => ({}) }, { internal: true, timeoutMs: RawSession.barrierTimeoutMs });
  }

  /** Keep the session alive while idle: ping when nothing was sent for a third of the timeout. */
  startKeepalive(): void {
    if (this.keepalive || this.negotiatedTimeout <= 0) return;
    const every = Math.max(50, Math.floor(this.negotiatedTimeout / 3));
    this.keepalive = setInterval(() => {
      if (this.closed) return this.stopKeepalive();
      if (Date.now() - this.lastSend >= every) void this.barrierPing();
    }, Math.max(25, Math.floor(every / 2)));
    this.keepalive.unref();
  }

  stopKeepalive(): void {
    if (this.keepalive) clearInterval(this.keepalive);
    this.keepalive = null;
  }

  /** Frames received since the previous drain, internal (keepalive) replies left out. */
  drain(): Frame[] {
    const out = this.frames.slice(this.drained).filter((f) => !(f.kind === 'reply' && f.internal));
    this.drained = this.frames.length;
    return out;
  }

  /** Close the socket without a closeSession (the session lives on until it expires). */
  drop(): Promise<void> {
    this.stopKeepalive();
    if (this.closed) return Promise.resolve();
    const p = this.waitClosed();
    this.sock.destroy();
    return p;
  }

  /** Half-close our side and wait for the server to close. */
  end(): Promise<void> {
    this.stopKeepalive();
    if (this.closed) return Promise.resolve();
    const p = this.waitClosed();
    this.sock.end();
    return p;
  }

  /** Waits for the server to close the connection; after `timeoutMs` closes it ourselves. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    if (!(await this.closedWithin(timeoutMs))) this.sock.destroy();
  }

  /** Resolves once the server closed the connection or `ms` passed, whichever is first (no destroy). */
  closedWithin(ms: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((res) => {
      const t = setTimeout(() => res(this.closed), ms);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        res(true);
      });
    });
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopKeepalive();
    this.frames.push({ kind: 'closed', seq: this.seq++ });
    if (this.onHandshake) this.onHandshake(null);
    for (const p of this.pending) {
      clearTimeout(p.timer);
      p.resolve({ kind: 'lost', summary: p.req.summary, op: p.req.op, xid: p.xid });
    }
    this.pending = [];
    for (const w of this.closeWaiters) w();
    this.closeWaiters = [];
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    while (this.buf.length >= 4) {
      const n = this.buf.readInt32BE(0);
      if (n < 0 || n > MAX_FRAME) {
        this.frames.push({ kind: 'garbage', seq: this.seq++, hex: this.buf.subarray(0, 64).toString('hex'), reason: `bad length ${n}` });
        this.buf = Buffer.alloc(0);
        this.sock.destroy();
        return;
      }
      if (this.buf.length < 4 + n) return;
      const frame = this.buf.subarray(4, 4 + n);
      this.buf = this.buf.subarray(4 + n);
      this.onFrame(Buffer.from(frame));
    }
  }

  private onFrame(frame: Buffer): void {
    if (!this.handshakeDone) {
      this.handshakeDone = true;
      const f = decodeConnectResponse(frame, this.seq++);
      this.frames.push(f);
      this.sessionId = f.sessionId;
      if (f.passwd) this.passwd = f.passwd;
      this.negotiatedTimeout = f.timeOut;
      this.onHandshake?.(f);
      return;
    }
    if (frame.length < 16) {
      this.frames.push({ kind: 'garbage', seq: this.seq++, hex: frame.toString('hex'), reason: 'short reply header' });
      return;
    }
    const r = new Reader(frame);
    const xid = r.int();
    const zxid = r.long();
    const err = r.int();
    if (zxid > this.lastZxid) this.lastZxid = zxid;
    const idx = this.pending.findIndex((p) => p.xid === xid);
    if (idx < 0) {
      if (xid === -1) {
        this.frames.push(decodeEvent(r, zxid, err, this.seq++));
        return;
      }
      this.frames.push({ kind: 'unmatched', seq: this.seq++, xid, zxid, err, hex: frame.subarray(16).toString('hex') });
      return;
    }
    const p = this.pending[idx]!;
    this.pending.splice(idx, 1);
    clearTimeout(p.timer);
    const reply: ReplyFrame = { kind: 'reply', seq: this.seq++, xid, zxid, err, op: p.req.op, summary: p.req.summary };
    if (p.internal) reply.internal = true;
    if (r.remaining > 0) {
      try {
        reply.body = p.req.decode(r);
        if (r.remaining > 0) reply.trailing = frame.subarray(r.pos).toString('hex');
      } catch (e) {
        reply.decodeError = `${(e as Error).message}; body=0x${frame.subarray(16, 16 + 256).toString('hex')}`;
      }
    }
    this.frames.push(reply);
    p.resolve(reply);
  }
}

function decodeConnectResponse(frame: Buffer, seq: number): ConnectedFrame {
  const r = new Reader(frame);
  const f: ConnectedFrame = { kind: 'connected', seq, protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: null, readOnly: null };
  try {
    f.protocolVersion = r.int();
    f.timeOut = r.int();
    f.sessionId = r.long();
    f.passwd = r.buffer();
    if (r.remaining > 0) f.readOnly = r.bool();
    if (r.remaining > 0) f.trailing = frame.subarray(r.pos).toString('hex');
  } catch (e) {
    f.decodeError = `${(e as Error).message}; frame=0x${frame.toString('hex')}`;
  }
  return f;
}

function decodeEvent(r: Reader, zxid: bigint, err: number, seq: number): EventFrame | GarbageFrame {
  try {
    const type = r.int();
    const state = r.int();
    const path = r.string();
    const f: EventFrame = { kind: 'event', seq, zxid, err, type, state, path };
    if (r.remaining > 0) f.trailing = r.buf.subarray(r.pos).toString('hex');
    return f;
  } catch (e) {
    return { kind: 'garbage', seq, hex: r.buf.toString('hex'), reason: `bad notification: ${(e as Error).message}` };
  }
}

export function opName(op: number): string {
  return OP_NAMES[op] ?? `op(${op})`;
}
