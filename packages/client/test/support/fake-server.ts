// A scriptable ZooKeeper server on the memory transport, for the session engine's unit tests:
// it records every frame and lets a test decide how (and whether) to answer.

import {
  ConnectRequest,
  ConnectResponse,
  FrameDecoder,
  JuteReader,
  JuteWriter,
  OpCode,
  Xid,
  decodeRequestBody,
  fourLetterWord,
  responseCodec,
  writeFrame,
  writeNotification,
  writeReply,
  type ClientRequest,
  type Stat,
} from '@zk/protocol';
import type { Connection, Listener, Transport } from '@zk/transport';

export const ZERO_STAT: Stat = {
  czxid: 0n, mzxid: 0n, ctime: 0, mtime: 0, version: 0, cversion: 0, aversion: 0, ephemeralOwner: 0n, dataLength: 0, numChildren: 0, pzxid: 0n,
};

export interface Received {
  readonly xid: number;
  readonly type: number;
  readonly request: ClientRequest;
  readonly conn: FakeConnection;
}

/** How to answer a request: a reply (err and optional body), or nothing. */
export type Answer = { err?: number; body?: unknown } | 'ignore';

export class FakeConnection {
  readonly writer = new JuteWriter();
  connectRequest: ConnectRequest | undefined;
  constructor(readonly conn: Connection) {}
  reply(xid: number, zxid: bigint, err: number, type: number, body?: unknown): void {
    writeReply(this.writer, xid, zxid, err, err === 0 ? (responseCodec(type) ?? null) : null, body);
    this.flush();
  }
  notify(type: number, path: string, state = 3): void {
    writeNotification(this.writer, { type, state, path });
    this.flush();
  }
  flush(): void {
    if (this.writer.pos > 0) {
      this.conn.write(this.writer.finish());
      this.writer.reset();
    }
  }
  close(): void {
    this.conn.destroy();
  }
}

export interface FakeServerOptions {
  /** Answer to the handshake: a ConnectResponse (partial), or 'close' to hang up. */
  onConnect?: (req: ConnectRequest, conn: FakeConnection) => Partial<ConnectResponse> | 'close';
  /** Answer to a request; default: a success with a plausible body. */
  onRequest?: (r: Received) => Answer | undefined;
  /** Four-letter-word answers (`isro`). */
  fourLetter?: Record<string, string>;
}

export class FakeServer {
  readonly received: Received[] = [];
  readonly connections: FakeConnection[] = [];
  zxid = 0n;
  private listener: Listener | undefined;
  private sessionSeq = 0x100n;

  constructor(private readonly transport: Transport, readonly host: string, readonly port: number, public options: FakeServerOptions = {}) {}

  async start(): Promise<void> {
    this.listener = await this.transport.listen({ host: this.host, port: this.port }, (conn) => this.accept(conn));
  }

  async stop(): Promise<void> {
    for (const c of this.connections) c.close();
    await this.listener?.close();
  }

  get current(): FakeConnection | undefined {
    return this.connections.filter((c) => !c.conn.closed).at(-1);
  }

  /** Requests of one opcode, in arrival order. */
  ofType(type: number): Received[] {
    return this.received.filter((r) => r.type === type);
  }

  private accept(conn: Connection): void {
    const fc = new FakeConnection(conn);
    this.connections.push(fc);
    const frames = new FrameDecoder();
    const r = new JuteReader();
    let sniffed = false;
    conn.onData((chunk) => {
      frames.push(chunk);
      if (!sniffed) {
        const word = frames.peekInt();
        if (word === null) return;
        sniffed = true;
        const flw = fourLetterWord(word);
        if (flw !== undefined && flw !== null) {
          conn.write(Buffer.from(this.options.fourLetter?.[flw] ?? ''));
          conn.end();
          return;
        }
      }
      for (let f = frames.next(); f !== null; f = frames.next()) {
        r.reset(f);
        if (fc.connectRequest === undefined) {
          const req = ConnectRequest.read(r);
          fc.connectRequest = req;
          const answer = this.options.onConnect?.(req, fc) ?? {};
          if (answer === 'close') {
            conn.destroy();
            return;
          }
          const sessionId = req.sessionId !== 0n ? req.sessionId : this.sessionSeq++;
          writeFrame(fc.writer, ConnectResponse, {
            protocolVersion: 0,
            timeOut: req.timeOut,
            sessionId,
            passwd: new Uint8Array(16).fill(7),
            readOnly: false,
            ...answer,
          });
          fc.flush();
          continue;
        }
        const xid = r.readInt();
        const type = r.readInt();
        const request = decodeRequestBody(type, r);
        const rec: Received = { xid, type, request, conn: fc };
        this.received.push(rec);
        const answer = this.options.onRequest?.(rec) ?? this.defaultAnswer(rec);
        if (answer === 'ignore') continue;
        const err = answer.err ?? 0;
        const zxid = xid === Xid.PING || xid === Xid.AUTH ? (xid === Xid.AUTH ? 0n : this.zxid) : type === OpCode.create2 || type === OpCode.setData ? ++this.zxid : this.zxid;
        fc.reply(xid, zxid, err, type, answer.body);
        if (type === OpCode.closeSession) conn.end();
      }
    });
  }

  private defaultAnswer(r: Received): Answer {
    switch (r.type) {
      case OpCode.create2:
        return { body: { path: (r.request.req as { path: string }).path, stat: ZERO_STAT } };
      case OpCode.exists:
      case OpCode.setData:
        return { body: { stat: ZERO_STAT } };
      case OpCode.getData:
        return { body: { data: new Uint8Array(0), stat: ZERO_STAT } };
      case OpCode.getChildren2:
        return { body: { children: [], stat: ZERO_STAT } };
      case OpCode.addWatch:
        return { body: { err: 0 } };
      case OpCode.sync:
        return { body: { path: (r.request.req as { path: string }).path } };
      default:
        return {};
    }
  }
}
