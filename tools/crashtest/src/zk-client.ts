// A small raw client of the ZooKeeper client port on @zk/protocol: one TCP connection, one
// session, requests pipelined (each gets an xid; replies arrive in request order), pings to keep
// the session alive. No reconnects: when the connection drops, every request still waiting is
// settled as `lost` (its outcome is unknown), which is exactly what the crash oracle needs.
import { connect as netConnect, type Socket } from 'node:net';
import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  JuteReader,
  JuteWriter,
  OpCode,
  Xid,
  decodeResponseBody,
  encodeRequest,
  readReplyHeader,
  writeFrame,
  type ClientOpCode,
  type RequestOf,
} from '@zk/protocol';

export interface Reply {
  kind: 'reply';
  xid: number;
  zxid: bigint;
  err: number;
  body: unknown;
}
export interface Lost {
  kind: 'lost';
}
export type Outcome = Reply | Lost;

export interface SessionParams {
  sessionId?: bigint;
  passwd?: Uint8Array;
  /** Requested timeout, ms. */
  timeOut?: number;
  lastZxidSeen?: bigint;
}

export interface Handshake {
  protocolVersion: number;
  timeOut: number;
  sessionId: bigint;
  passwd: Uint8Array;
}

interface Pending {
  xid: number;
  type: number;
  resolve: (o: Outcome) => void;
}

export class ZkConnection {
  private readonly decoder = new FrameDecoder({ maxFrameLength: 64 * 1024 * 1024 });
  private readonly writer = new JuteWriter(4096);
  private readonly pending: Pending[] = [];
  private nextXid = 1;
  private handshake: ((h: Handshake | null) => void) | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private closeWaiters: Array<() => void> = [];
  closed = false;
  session: Handshake | undefined;
  /** Highest zxid seen in a reply header. */
  lastZxid = 0n;

  private constructor(private readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('error', () => undefined);
    sock.on('close', () => this.onClose());
  }

  /** Connects and performs the handshake. `session.timeOut === 0` means the server refused it. */
  static async open(host: string, port: number, params: SessionParams = {}): Promise<ZkConnection> {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = netConnect({ host, port });
      s.once('connect', () => {
        s.removeListener('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    const c = new ZkConnection(sock);
    const h = await new Promise<Handshake | null>((resolve) => {
      c.handshake = resolve;
      const w = new JuteWriter(64);
      writeFrame(w, ConnectRequest, {
        protocolVersion: 0,
        lastZxidSeen: params.lastZxidSeen ?? 0n,
        timeOut: params.timeOut ?? 10_000,
        sessionId: params.sessionId ?? 0n,
        passwd: params.passwd ?? new Uint8Array(16),
        readOnly: false,
      });
      sock.write(w.finish());
    });
    if (h === null) {
      c.close();
      throw new Error(`connection to ${host}:${port} closed during the handshake`);
    }
    c.session = h;
    if (h.timeOut > 0) {
      const every = Math.max(100, Math.floor(h.timeOut / 3));
      c.pingTimer = setInterval(() => c.ping(), every);
      c.pingTimer.unref();
    }
    return c;
  }

  /** Sends a request (pipelined); resolves with its reply, or `lost` if the connection drops first. */
  request<K extends ClientOpCode>(type: K, body: RequestOf<K>): Promise<Outcome> {
    if (this.closed) return Promise.resolve({ kind: 'lost' });
    const xid = this.nextXid++;
    encodeRequest(this.writer, xid, type, body);
    this.scheduleFlush();
    return new Promise((resolve) => this.pending.push({ xid, type, resolve }));
  }

  private ping(): void {
    if (this.closed) return;
    encodeRequest(this.writer, Xid.PING, OpCode.ping, null as never);
    this.scheduleFlush();
  }

  /** Batches the frames of one event-loop turn into one socket write. */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.writer.pos === 0) return;
      const bytes = this.writer.finish();
      this.writer.reset();
      if (!this.closed) this.sock.write(bytes);
    });
  }

  private onData(d: Buffer): void {
    this.decoder.push(d);
    for (;;) {
      let frame: Uint8Array | null;
      try {
        frame = this.decoder.next();
      } catch {
        this.sock.destroy();
        return;
      }
      if (frame === null) return;
      const r = new JuteReader(frame);
      if (this.handshake !== undefined) {
        const resp = ConnectResponse.read(r);
        const h = this.handshake;
        this.handshake = undefined;
        h({ protocolVersion: resp.protocolVersion, timeOut: resp.timeOut, sessionId: resp.sessionId, passwd: new Uint8Array(resp.passwd) });
        continue;
      }
      const hdr = readReplyHeader(r);
      if (hdr.xid === Xid.PING || hdr.xid === Xid.NOTIFICATION) continue;
      if (hdr.zxid > this.lastZxid) this.lastZxid = hdr.zxid;
      const p = this.pending.shift();
      if (p === undefined || p.xid !== hdr.xid) {
        // Out of order or unexpected: the connection is unusable.
        if (p !== undefined) this.pending.unshift(p);
        this.sock.destroy();
        return;
      }
      let body: unknown = null;
      if (hdr.err === 0 || p.type === OpCode.multi) {
        try {
          body = decodeResponseBody(p.type, r);
        } catch {
          body = null;
        }
      }
      p.resolve({ kind: 'reply', xid: hdr.xid, zxid: hdr.zxid, err: hdr.err, body });
    }
  }

  private onClose(): void {
    this.closed = true;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    if (this.handshake !== undefined) {
      const h = this.handshake;
      this.handshake = undefined;
      h(null);
    }
    for (const p of this.pending.splice(0)) p.resolve({ kind: 'lost' });
    for (const w of this.closeWaiters.splice(0)) w();
  }

  get inFlight(): number {
    return this.pending.length;
  }

  /** Drops the connection without closing the session (as a crashed client would). */
  close(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    this.sock.destroy();
  }

  /** Closes the session (closeSession) and then the connection. */
  async closeSession(): Promise<void> {
    if (!this.closed) await this.request(OpCode.closeSession, null as never);
    this.close();
  }

  waitClosed(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }
}
