// A minimal wire-level ZooKeeper client for the server's tests: it speaks raw frames so tests can
// send exactly what they mean (malformed frames included) and see every reply and event in order.
import {
  ConnectRequest, ConnectResponse, FrameDecoder, JuteReader, JuteWriter, OpCode, WatcherEvent, Xid,
  decodeResponseBody, encodeRequest, readReplyHeader, type ClientOpCode, type RequestOf,
} from '@zk/protocol';
import type { Connection, Transport } from '@zk/transport';

export interface Reply {
  xid: number;
  zxid: bigint;
  err: number;
  body: unknown;
}

export type Received = { kind: 'reply'; reply: Reply } | { kind: 'event'; event: WatcherEvent };

export class WireClient {
  readonly received: Received[] = [];
  sessionId = 0n;
  passwd: Uint8Array = new Uint8Array(16);
  timeOut = 0;
  closed = false;
  private readonly decoder = new FrameDecoder({ maxFrameLength: 16 * 1024 * 1024 });
  private readonly pending = new Map<number, { type: number; resolve: (r: Reply) => void }>();
  private connectWaiter: ((r: ConnectResponse | null) => void) | undefined;
  private closeWaiters: Array<() => void> = [];
  private raw = '';
  private xid = 1;

  private constructor(readonly conn: Connection) {
    conn.onData((chunk) => this.onData(chunk));
    conn.onClose(() => {
      this.closed = true;
      this.connectWaiter?.(null);
      for (const w of this.closeWaiters) w();
      for (const p of this.pending.values()) p.resolve({ xid: 0, zxid: 0n, err: -4, body: null });
    });
  }

  static async dial(transport: Transport, port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new WireClient(await transport.dial({ host, port }));
  }

  /** Dials and performs the handshake. */
  static async session(
    transport: Transport, port: number, opts: Partial<ConnectRequest> = {}, host = '127.0.0.1',
  ): Promise<WireClient> {
    const c = await WireClient.dial(transport, port, host);
    const res = await c.handshake(opts);
    if (res === null || res.timeOut === 0) throw new Error('session refused');
    return c;
  }

  handshake(opts: Partial<ConnectRequest> = {}): Promise<ConnectResponse | null> {
    const w = new JuteWriter();
    w.writeInt(0);
    ConnectRequest.write(w, {
      protocolVersion: 0, lastZxidSeen: 0n, timeOut: 30_000, sessionId: 0n, passwd: new Uint8Array(16), readOnly: false, ...opts,
    });
    w.setIntAt(0, w.length - 4);
    this.conn.write(w.finish());
    return new Promise((resolve) => {
      this.connectWaiter = (r) => {
        if (r !== null) {
          this.sessionId = r.sessionId;
          this.passwd = r.passwd;
          this.timeOut = r.timeOut;
        }
        resolve(r);
      };
    });
  }

  request<K extends ClientOpCode>(type: K, req: RequestOf<K>, xid = this.xid++): Promise<Reply> {
    const w = new JuteWriter();
    encodeRequest(w, xid, type, req);
    this.conn.write(w.finish());
    return new Promise((resolve) => this.pending.set(xid, { type, resolve }));
  }

  /** Sends bytes as they are (a length prefix is not added). */
  writeRaw(bytes: Uint8Array): void {
    this.conn.write(bytes);
  }

  /** Text received on a connection that sent a four-letter word. */
  get text(): string {
    return this.raw;
  }

  whenClosed(): Promise<void> {
    return this.closed ? Promise.resolve() : new Promise((r) => this.closeWaiters.push(r));
  }

  events(): WatcherEvent[] {
    return this.received.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
  }

  close(): void {
    this.conn.destroy();
  }

  private onData(chunk: Uint8Array): void {
    this.raw += Buffer.from(chunk).toString('latin1');
    this.decoder.push(chunk);
    for (;;) {
      let frame: Uint8Array | null;
      try {
        frame = this.decoder.next();
      } catch {
        return; // not framed (a four-letter word answer)
      }
      if (frame === null) return;
      const r = new JuteReader(frame);
      if (this.connectWaiter !== undefined) {
        const waiter = this.connectWaiter;
        this.connectWaiter = undefined;
        waiter(ConnectResponse.read(r));
        continue;
      }
      const h = readReplyHeader(r);
      if (h.xid === Xid.NOTIFICATION) {
        this.received.push({ kind: 'event', event: WatcherEvent.read(r) });
        continue;
      }
      const p = this.pending.get(h.xid);
      const type = p?.type ?? (h.xid === Xid.PING ? OpCode.ping : OpCode.setWatches);
      const body = h.err === 0 || type === OpCode.multi ? decodeResponseBody(type, r) : null;
      const reply: Reply = { xid: h.xid, zxid: h.zxid, err: h.err, body };
      this.received.push({ kind: 'reply', reply });
      this.pending.delete(h.xid);
      p?.resolve(reply);
    }
  }
}
