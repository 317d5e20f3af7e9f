/**
 * A raw ZooKeeper wire connection for the simulator's clients (adapted from
 * packages/server/test/wire-client.ts): it frames requests, matches replies to the oldest
 * outstanding request (so a reply out of xid order is seen, not hidden), and hands
 * notifications to the client in arrival order.
 */
import {
  ConnectRequest, ConnectResponse, FrameDecoder, JuteReader, JuteWriter, OpCode, WatcherEvent, Xid,
  decodeResponseBody, encodeRequest, readReplyHeader, type ClientOpCode, type RequestOf,
} from '@zk/protocol';
import type { Connection } from '@zk/transport';

export interface WireReply {
  readonly xid: number;
  readonly zxid: bigint;
  readonly err: number;
  readonly body: unknown;
}

interface Outstanding {
  readonly xid: number;
  readonly type: number;
  readonly done: (r: WireReply | null) => void;
}

export interface WireHandlers {
  /** A notification (xid -1). */
  event(e: WatcherEvent): void;
  /** A reply to a request that was not sent in the ordered queue (ping -2, setWatches -8). */
  special(r: WireReply): void;
  /** Protocol-level violation seen on this connection (reply out of order, undecodable frame). */
  violation(msg: string): void;
  /** The connection closed (either side); called once, after every outstanding request got null. */
  closed(): void;
  /** Any frame arrived (for the client's read timeout). */
  received(): void;
}

/** One client connection: handshake, then requests answered strictly in the order they were sent. */
export class WireConn {
  closed = false;
  private readonly decoder = new FrameDecoder({ maxFrameLength: 4 * 1024 * 1024 });
  private readonly outstanding: Outstanding[] = [];
  private connectWaiter: ((r: ConnectResponse | null) => void) | undefined;

  constructor(readonly conn: Connection, private readonly h: WireHandlers) {
    conn.onData((chunk) => this.onData(chunk));
    conn.onClose(() => this.onClose());
  }

  get inFlight(): number {
    return this.outstanding.length;
  }

  handshake(req: ConnectRequest, done: (r: ConnectResponse | null) => void): void {
    const w = new JuteWriter();
    w.writeInt(0);
    ConnectRequest.write(w, req);
    w.setIntAt(0, w.length - 4);
    this.connectWaiter = done;
    this.conn.write(w.finish());
  }

  /** Sends a request in the ordered queue; `done` gets the reply, or null when the connection is lost first. */
  send<K extends ClientOpCode>(type: K, req: RequestOf<K>, xid: number, done: (r: WireReply | null) => void): void {
    const w = new JuteWriter();
    encodeRequest(w, xid, type, req);
    this.outstanding.push({ xid, type, done });
    this.conn.write(w.finish());
  }

  /** Sends a request outside the ordered queue (ping, setWatches). */
  sendSpecial<K extends ClientOpCode>(type: K, req: RequestOf<K>, xid: number): void {
    const w = new JuteWriter();
    encodeRequest(w, xid, type, req);
    this.conn.write(w.finish());
  }

  close(): void {
    if (!this.closed) this.conn.destroy();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    const waiter = this.connectWaiter;
    this.connectWaiter = undefined;
    waiter?.(null);
    const pending = this.outstanding.splice(0);
    for (const p of pending) p.done(null);
    this.h.closed();
  }

  private onData(chunk: Uint8Array): void {
    if (this.closed) return;
    this.decoder.push(chunk);
    for (;;) {
      if (this.closed) return;
      let frame: Uint8Array | null;
      try {
        frame = this.decoder.next();
      } catch (err) {
        this.h.violation(`undecodable frame from the server: ${String(err)}`);
        this.close();
        return;
      }
      if (frame === null) return;
      this.h.received();
      const r = new JuteReader(frame);
      if (this.connectWaiter !== undefined) {
        const waiter = this.connectWaiter;
        this.connectWaiter = undefined;
        let res: ConnectResponse;
        try {
          res = ConnectResponse.read(r);
        } catch (err) {
          this.h.violation(`undecodable ConnectResponse: ${String(err)}`);
          this.close();
          return;
        }
        waiter(res);
        continue;
      }
      let hdr;
      try {
        hdr = readReplyHeader(r);
      } catch (err) {
        this.h.violation(`undecodable reply header: ${String(err)}`);
        this.close();
        return;
      }
      if (hdr.xid === Xid.NOTIFICATION) {
        this.h.event(WatcherEvent.read(r));
        continue;
      }
      if (hdr.xid === Xid.PING || hdr.xid === Xid.SET_WATCHES) {
        this.h.special({ xid: hdr.xid, zxid: hdr.zxid, err: hdr.err, body: null });
        continue;
      }
      const head = this.outstanding[0];
      if (head === undefined || head.xid !== hdr.xid) {
        this.h.violation(
          `reply with xid ${hdr.xid} (err ${hdr.err}) but the oldest outstanding request is ${head === undefined ? 'none' : `xid ${head.xid}`}`,
        );
        this.close();
        return;
      }
      this.outstanding.shift();
      let body: unknown = null;
      try {
        body = hdr.err === 0 || head.type === OpCode.multi ? decodeResponseBody(head.type, r) : null;
      } catch (err) {
        this.h.violation(`undecodable reply body for xid ${hdr.xid} (type ${head.type}): ${String(err)}`);
        this.close();
        return;
      }
      head.done({ xid: hdr.xid, zxid: hdr.zxid, err: hdr.err, body });
    }
  }
}
