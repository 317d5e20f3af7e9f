// A lean raw client session for load generation: one TCP connection, the handshake, and pipelined
// requests whose replies are matched FIFO (a server answers a session's requests in order). Sends
// made while handling one socket read are written with ONE socket write at the end of it; sends
// made elsewhere are flushed on the next turn (or by flush()). No promises or closures per request.

import { connect as netConnect, type Socket } from 'node:net';
import { FrameDecoder, JuteWriter, OpCode, encodeRequest, type ClientOpCode, type RequestOf } from '@zk/protocol';
import { makeFastMono } from './clock.js';
import { PING_FRAME, XID_NOTIFICATION, XID_OFFSET, XID_PING, connectFrame, parseConnectResponse, replyErr, replyXid } from './wire.js';

export interface ConnectionHandler {
  /** The reply to a request of opcode `op` sent at `sentAt` (fast mono ms), read at `now`. */
  onReply(conn: BenchConnection, op: number, err: number, frame: Uint8Array, sentAt: number, now: number): void;
  /** A watch notification (xid -1). */
  onNotification?(conn: BenchConnection, frame: Uint8Array, now: number): void;
  /** The socket closed (after a closeSession reply, a destroy, or a server close). */
  onClose?(conn: BenchConnection): void;
}

export interface OpenOptions {
  /** Requested session timeout, ms. */
  timeoutMs: number;
  /** Give up on connect + handshake after this long. Default 30000. */
  handshakeTimeoutMs?: number;
}

export class ProtocolMismatchError extends Error {
  override readonly name = 'ProtocolMismatchError';
}

const now = makeFastMono();

export class BenchConnection {
  sessionId = 0n;
  negotiatedTimeoutMs = 0;
  handler: ConnectionHandler | null = null;
  /** Free for the workload (e.g. a per-session counter). */
  tag = 0;
  closed = false;
  /** Time of the last write (fast mono ms), for keep-alive pings. */
  lastSendAt = 0;
  /** A reply whose xid did not match the oldest outstanding request. */
  mismatch: string | null = null;

  private readonly decoder = new FrameDecoder({ maxFrameLength: 64 * 1024 * 1024 });
  private readonly out = new JuteWriter(16 * 1024);
  private nextXid = 1;
  private inRead = false;
  private flushScheduled = false;
  private readNow = 0;
  // FIFO of outstanding requests: xid, opcode, send time.
  private cap = 256;
  private xids = new Int32Array(this.cap);
  private ops = new Int32Array(this.cap);
  private sentAt = new Float64Array(this.cap);
  private head = 0;
  private count = 0;
  private closeWaiters: Array<() => void> = [];

  private constructor(private readonly sock: Socket) {}

  /** Connects, performs the handshake and resolves with the session open. */
  static open(host: string, port: number, opts: OpenOptions): Promise<BenchConnection> {
    return new Promise((resolve, reject) => {
      const sock = netConnect({ host, port });
      sock.setNoDelay(true);
      const conn = new BenchConnection(sock);
      let settled = false;
      const timer = setTimeout(() => fail(new Error(`handshake with ${host}:${port} timed out`)), opts.handshakeTimeoutMs ?? 30_000);
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        sock.destroy();
        reject(e);
      };
      const onHandshakeData = (chunk: Buffer): void => {
        conn.decoder.push(chunk);
        let frame: Uint8Array | null;
        try {
          frame = conn.decoder.next();
        } catch (e) {
          fail(e as Error);
          return;
        }
        if (frame === null) return;
        const res = parseConnectResponse(frame);
        if (res.timeOut <= 0) {
          fail(new Error('server refused the session (timeOut 0)'));
          return;
        }
        conn.sessionId = res.sessionId;
        conn.negotiatedTimeoutMs = res.timeOut;
        sock.removeListener('data', onHandshakeData);
        sock.on('data', (d: Buffer) => conn.onData(d));
        settled = true;
        clearTimeout(timer);
        resolve(conn);
        // Anything after the ConnectResponse in the same read.
        if (conn.decoder.bufferedBytes > 0) conn.onData(new Uint8Array(0));
      };
      sock.on('data', onHandshakeData);
      sock.once('connect', () => {
        sock.write(connectFrame(opts.timeoutMs));
      });
      sock.on('error', (e) => fail(e));
      sock.on('close', () => {
        if (!settled) fail(new Error('connection closed during handshake'));
        conn.onClosed();
      });
    });
  }

  /** Requests sent and not yet answered. */
  get outstanding(): number {
    return this.count;
  }

  /** Queues a pre-encoded request frame (see wire.requestTemplate), patching in a fresh xid. */
  sendTemplate(template: Uint8Array, op: number): number {
    const xid = this.nextXid++;
    const w = this.out;
    const p = w.reserve(template.length);
    const dst = w.view();
    dst.set(template, p);
    w.dataView.setInt32(p + XID_OFFSET, xid);
    this.track(xid, op);
    return xid;
  }

  /** Encodes and queues a request. */
  send<K extends ClientOpCode>(type: K, req: RequestOf<K>): number {
    const xid = this.nextXid++;
    encodeRequest(this.out, xid, type, req);
    this.track(xid, type);
    return xid;
  }

  /** Queues a ping (xid -2; its reply is not tracked). */
  ping(): void {
    const w = this.out;
    const p = w.reserve(PING_FRAME.length);
    w.view().set(PING_FRAME, p);
    this.afterQueue();
  }

  private track(xid: number, op: number): void {
    if (this.count === this.cap) this.grow();
    const i = (this.head + this.count) & (this.cap - 1);
    this.xids[i] = xid;
    this.ops[i] = op;
    this.sentAt[i] = this.inRead ? this.readNow : now();
    this.count++;
    this.afterQueue();
  }

  private afterQueue(): void {
    if (this.inRead || this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private grow(): void {
    const cap = this.cap * 2;
    const xids = new Int32Array(cap);
    const ops = new Int32Array(cap);
    const sentAt = new Float64Array(cap);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (this.cap - 1);
      xids[k] = this.xids[i]!;
      ops[k] = this.ops[i]!;
      sentAt[k] = this.sentAt[i]!;
    }
    this.xids = xids;
    this.ops = ops;
    this.sentAt = sentAt;
    this.head = 0;
    this.cap = cap;
  }

  /** Writes everything queued, in one socket write. */
  flush(): void {
    this.flushScheduled = false;
    if (this.out.pos === 0) return;
    if (!this.closed) {
      this.sock.write(this.out.finish());
      this.lastSendAt = this.inRead ? this.readNow : now();
    }
    this.out.reset();
  }

  private onData(chunk: Uint8Array): void {
    const t = now();
    this.readNow = t;
    this.inRead = true;
    try {
      if (chunk.length > 0) this.decoder.push(chunk);
      for (;;) {
        const frame = this.decoder.next();
        if (frame === null) break;
        const xid = replyXid(frame);
        if (xid === XID_NOTIFICATION) {
          this.handler?.onNotification?.(this, frame, t);
          continue;
        }
        if (xid === XID_PING) continue;
        if (this.count === 0 || this.xids[this.head] !== xid) {
          this.mismatch = `reply xid ${xid}, expected ${this.count === 0 ? 'none' : this.xids[this.head]}`;
          this.destroy();
          return;
        }
        const op = this.ops[this.head]!;
        const sentAt = this.sentAt[this.head]!;
        this.head = (this.head + 1) & (this.cap - 1);
        this.count--;
        this.handler?.onReply(this, op, replyErr(frame), frame, sentAt, t);
      }
    } finally {
      this.inRead = false;
      this.flush();
    }
  }

  /** Sends closeSession and resolves once the server has closed the connection (or `timeoutMs`). */
  closeSession(timeoutMs = 30_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.send(OpCode.closeSession, null);
    this.flush();
    return this.whenClosed(timeoutMs);
  }

  /** Resolves when the socket has closed, or after `timeoutMs` (then destroys it). */
  whenClosed(timeoutMs = 30_000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.destroy();
        resolve();
      }, timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Drops the TCP connection without closing the session (the server will expire it). */
  destroy(): void {
    this.sock.destroy();
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.handler?.onClose?.(this);
    for (const w of this.closeWaiters.splice(0)) w();
  }

  /** Pings if nothing was sent for `idleMs` (keeps idle sessions alive). */
  keepAlive(idleMs: number): void {
    if (!this.closed && now() - this.lastSendAt >= idleMs) this.ping();
  }
}

export { now as fastMono };
