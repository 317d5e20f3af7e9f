import {
  ConnectRequest, ConnectResponse, ErrorCode, FrameLengthError, JuteReader, OpCode, Xid, decodeRequestBody,
  FrameDecoder, JuteWriter, UnknownOpCodeError, beginFrame, defaultMaxFieldLength, endFrame, isJuteDecodeError,
  fourLetterWord as fourLetterWordOf, writeFrame, writeNotification, writeReply, type Codec, type FourLetterWord,
  type Id, type WatcherEvent,
} from '@zk/protocol';
import type { Connection } from '@zk/transport';
import { authInfoOrder } from './auth-order.js';
import { nullStringOutcome } from './null-strings.js';
import { opName, type Request } from './request.js';
import type { ServerCore } from './server-core.js';

import type { TimerHandle } from './clock.js';

type Phase = 'fresh' | 'handshake' | 'connecting' | 'open' | 'closed';

/**
 * One client connection (ZooKeeper's ServerCnxn): sniffs four-letter words, performs the
 * handshake, decodes request frames and keeps each session's requests in FIFO order — a read
 * waits until every earlier write of the same session has been applied, so replies leave in
 * request order and a session always reads its own writes.
 */
export class ClientConnection {
  readonly remoteHost: string;
  readonly remote: string;
  sessionId = 0n;
  timeoutMs = 0;
  /** Authenticated ids in the order ZooKeeper's authInfo set yields them (whoAmI, `auth` ACLs). */
  private auth: Id[];
  /** Whether the client's ConnectRequest carried the trailing readOnly byte (mirrored in the reply). */
  private sentReadOnlyByte = false;
  private phase: Phase = 'fresh';
  private readonly decoder: FrameDecoder;
  private readonly reader: JuteReader;
  private inflightWrites = 0;
  private readonly blocked: Request[] = [];
  /** Frames that arrived while the session was being created. */
  private early: Uint8Array[] = [];
  private handshakeTimer: TimerHandle | undefined;
  /** Frames written this tick: flushed as one chunk (one copy, one writev entry) per connection. */
  private readonly out = new JuteWriter(1024);
  private flushScheduled = false;

  // per-connection statistics for `cons`
  received = 0;
  sent = 0;
  established = 0;
  lastOp = 'NA';
  lastCxid = -1;
  lastZxid = -1n;
  lastResponse = 0;
  lastLatency = 0;
  minLatency = Number.MAX_SAFE_INTEGER;
  maxLatency = 0;
  private latencyTotal = 0;
  private latencyCount = 0;

  constructor(
    private readonly core: ServerCore,
    private readonly conn: Connection,
    private readonly fourLetterWord: (word: FourLetterWord) => string,
  ) {
    this.remoteHost = conn.remoteAddress.host;
    this.remote = `${conn.remoteAddress.host}:${conn.remoteAddress.port}`;
    // Every connection is authenticated by its address, as ZooKeeper's ServerCnxn does.
    this.auth = [{ scheme: 'ip', id: this.remoteHost }];
    this.decoder = new FrameDecoder({ maxFrameLength: core.config.juteMaxBuffer });
    this.reader = new JuteReader(undefined, { maxLength: defaultMaxFieldLength(core.config.juteMaxBuffer) });
    conn.onData((chunk) => this.onDataGuarded(chunk));
    conn.onClose(() => this.onClosed());
    this.handshakeTimer = core.clock.setTimeout(() => this.onHandshakeTimeout(), core.sessionlessTimeoutMs);
  }

  get authIds(): readonly Id[] {
    return this.auth;
  }

  addAuthIds(ids: readonly Id[]): void {
    const merged = [...this.auth];
    for (const id of ids) {
      if (!merged.some((a) => a.scheme === id.scheme && a.id === id.id)) merged.push(id);
    }
    this.auth = authInfoOrder(merged);
  }

  get isOpen(): boolean {
    return this.phase !== 'closed';
  }

  get queued(): number {
    return this.blocked.length + this.inflightWrites;
  }

  get avgLatency(): number {
    return this.latencyCount === 0 ? 0 : Math.round(this.latencyTotal / this.latencyCount);
  }

  /** A fault handling one connection's bytes closes that connection, never the server. */
  private onDataGuarded(chunk: Uint8Array): void {
    try {
      this.onData(chunk);
    } catch (err) {
      this.core.logger.error('closing connection after an internal error', {
        remote: this.remote, sessionId: this.sessionId, error: err instanceof Error ? err.stack ?? err.message : String(err),
      });
      this.close('internal error');
    }
  }

  private onData(chunk: Uint8Array): void {
    if (this.phase === 'closed') return;
    this.decoder.push(chunk);
    if (this.phase === 'fresh') {
      const first = this.decoder.peekInt();
      if (first === null) return;
      const word = fourLetterWordOf(first);
      if (word !== null) {
        this.decoder.take(4);
        this.conn.write(Buffer.from(this.fourLetterWord(word), 'utf8'));
        this.close('four-letter word answered');
        return;
      }
      this.phase = 'handshake';
    }
    for (;;) {
      let frame: Uint8Array | null;
      try {
        frame = this.decoder.next();
      } catch (e) {
        if (e instanceof FrameLengthError) {
          this.core.logger.warn('closing connection: packet length out of range', {
            remote: this.remote, length: e.length, juteMaxBuffer: e.maxLength,
            hint: 'raise jute.maxbuffer on server and clients if this length is legitimate',
          });
          this.close('Len error');
          return;
        }
        throw e;
      }
      if (frame === null) return;
      this.core.stats.bytesReceived += frame.length + 4;
      if (this.phase === 'handshake') this.onConnectFrame(frame);
      else if (this.phase === 'connecting') this.early.push(frame.slice());
      else if (this.phase === 'open') this.onRequestFrame(frame);
      else return;
    }
  }

  private onConnectFrame(frame: Uint8Array): void {
    let req: ConnectRequest;
    try {
      req = ConnectRequest.read(this.reader.reset(frame));
    } catch (e) {
      if (!isJuteDecodeError(e)) throw e;
      this.core.logger.warn('closing connection: malformed ConnectRequest', { remote: this.remote, error: e.message });
      this.close('malformed handshake');
      return;
    }
    this.sentReadOnlyByte = req.readOnly !== undefined;
    this.core.stats.packetsReceived++;
    this.received++;
    this.phase = 'connecting';
    this.core.connect(this, req);
  }

  /** Completes the handshake: sends the ConnectResponse and starts serving requests. */
  sessionEstablished(sessionId: bigint, timeoutMs: number, passwd: Uint8Array): void {
    if (this.phase !== 'connecting') return;
    this.clearHandshakeTimer();
    this.sessionId = sessionId;
    this.timeoutMs = timeoutMs;
    this.established = this.core.clock.now();
    this.phase = 'open';
    writeFrame(this.out, ConnectResponse, {
      protocolVersion: 0, timeOut: timeoutMs, sessionId, passwd,
      ...(this.sentReadOnlyByte ? { readOnly: false } : {}),
    });
    this.packetOut();
    const early = this.early;
    this.early = [];
    for (const f of early) if (this.phase === 'open') this.onRequestFrame(f);
  }

  /** Refuses a re-attach (expired session or wrong password) the way ZooKeeper does. */
  sessionRefused(): void {
    writeFrame(this.out, ConnectResponse, {
      protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: new Uint8Array(16),
      ...(this.sentReadOnlyByte ? { readOnly: false } : {}),
    });
    this.packetOut();
    this.close('session expired or invalid');
  }

  private onRequestFrame(frame: Uint8Array): void {
    const r = this.reader.reset(frame);
    let xid: number;
    let type: number;
    try {
      xid = r.readInt('RequestHeader.xid');
      type = r.readInt('RequestHeader.type');
    } catch {
      this.core.logger.warn('closing connection: malformed request header', { remote: this.remote, bytes: frame.length });
      this.close('malformed header');
      return;
    }
    this.core.stats.packetsReceived++;
    this.received++;
    const now = this.core.clock.now();
    this.core.touchSession(this.sessionId, now, this.timeoutMs);
    if (type === OpCode.auth) {
      this.core.authenticate(this, xid, r);
      return;
    }
    let body: unknown;
    let rejected: number | undefined;
    try {
      body = decodeBody(type, r);
      if (r.nullStrings > 0) {
        // Java sees null where we read ''; each op then behaves its own way.
        const outcome = nullStringOutcome(type);
        if (outcome.kind === 'echo-null') body = { path: null };
        else if (outcome.kind === 'rejected') rejected = outcome.err;
        else if (outcome.kind === 'malformed') body = undefined;
      }
    } catch (e) {
      if (!isJuteDecodeError(e)) throw e;
      if (e instanceof UnknownOpCodeError) {
        // UnimplementedRequestProcessor: answer, then close the connection.
        this.core.logger.warn('closing connection: unknown request type', { remote: this.remote, type });
        this.reply(undefined, xid, -1n, ErrorCode.UNIMPLEMENTED);
        this.close('unknown request type');
        return;
      }
      this.core.logger.warn('malformed request body', { remote: this.remote, type, error: e.message });
      body = undefined; // answered with MARSHALLINGERROR in order
    }
    this.enqueue({ conn: this, sessionId: this.sessionId, xid, type, body, receivedAt: now, rejected });
  }

  private enqueue(req: Request): void {
    if (this.blocked.length > 0) {
      this.blocked.push(req);
      this.applyBackPressure();
    } else if (this.core.isOrdered(req)) {
      this.inflightWrites++;
      this.core.submitWrite(req);
    } else if (this.inflightWrites > 0) {
      this.blocked.push(req);
      this.applyBackPressure();
    } else {
      this.core.serveRead(req);
    }
  }

  /** Called once a write of this connection has been applied and answered. */
  writeDone(): void {
    this.inflightWrites--;
    while (this.blocked.length > 0 && this.phase === 'open') {
      const next = this.blocked[0]!;
      if (this.core.isOrdered(next)) {
        this.blocked.shift();
        this.inflightWrites++;
        this.core.submitWrite(next);
      } else if (this.inflightWrites === 0) {
        this.blocked.shift();
        this.core.serveRead(next);
      } else break;
    }
    if (this.conn.paused && this.queued < this.core.config.globalOutstandingLimit / 2) this.conn.resume();
  }

  private applyBackPressure(): void {
    if (this.queued >= this.core.config.globalOutstandingLimit && !this.conn.paused) this.conn.pause();
  }

  /** Writes a reply frame (header, then `body` with `codec` when given). */
  reply<T>(req: Request | undefined, xid: number, zxid: bigint, err: number, codec?: Codec<T> | null, body?: T): void {
    if (this.phase === 'closed') return;
    writeReply(this.out, xid, zxid, err, codec, body);
    this.replied(req, xid, zxid);
  }

  /** Writes a reply frame whose body `fill` writes (multi results). */
  replyWith(req: Request | undefined, xid: number, zxid: bigint, err: number, fill: (w: JuteWriter) => void): void {
    if (this.phase === 'closed') return;
    const start = beginFrame(this.out);
    this.out.writeInt(xid);
    this.out.writeLong(zxid);
    this.out.writeInt(err);
    fill(this.out);
    endFrame(this.out, start);
    this.replied(req, xid, zxid);
  }

  /** Where the output stands, to undo a half-written frame after an unexpected error. */
  mark(): number {
    return this.out.pos;
  }

  rollback(mark: number): void {
    if (this.out.pos > mark) this.out.pos = mark;
  }

  notify(event: WatcherEvent): void {
    if (this.phase !== 'open') return;
    writeNotification(this.out, event);
    this.packetOut();
  }

  private replied(req: Request | undefined, xid: number, zxid: bigint): void {
    if (req !== undefined && xid !== Xid.PING) {
      const now = this.core.clock.now();
      const latency = now - req.receivedAt;
      this.lastOp = opName(req.type);
      this.lastCxid = xid;
      this.lastZxid = zxid;
      this.lastResponse = now;
      this.lastLatency = latency;
      if (latency < this.minLatency) this.minLatency = latency;
      if (latency > this.maxLatency) this.maxLatency = latency;
      this.latencyTotal += latency;
      this.latencyCount++;
      this.core.stats.recordLatency(latency);
    }
    this.packetOut();
  }

  private packetOut(): void {
    this.sent++;
    this.core.stats.packetsSent++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.out.pos === 0) return;
    if (this.phase !== 'closed') this.conn.write(this.out.finish());
    this.out.reset();
  }

  resetStats(): void {
    this.received = 0;
    this.sent = 0;
    this.lastLatency = 0;
    this.minLatency = Number.MAX_SAFE_INTEGER;
    this.maxLatency = 0;
    this.latencyTotal = 0;
    this.latencyCount = 0;
  }

  /** Flushes what was written, then closes. */
  close(reason: string): void {
    if (this.phase === 'closed') return;
    this.core.logger.debug('closing connection', { remote: this.remote, sessionId: this.sessionId, reason });
    if (this.out.pos > 0) this.conn.write(this.out.finish());
    this.out.reset();
    this.phase = 'closed';
    this.clearHandshakeTimer();
    this.conn.end();
    this.core.connectionClosed(this);
  }

  private onClosed(): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.clearHandshakeTimer();
    this.core.connectionClosed(this);
  }

  private onHandshakeTimeout(): void {
    this.handshakeTimer = undefined;
    if (this.phase === 'fresh' || this.phase === 'handshake') {
      this.core.stats.sessionlessConnectionsExpired++;
      this.close('no handshake within the sessionless connection timeout');
    }
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer !== undefined) {
      this.core.clock.clearTimeout(this.handshakeTimer);
      this.handshakeTimer = undefined;
    }
  }
}

/**
 * The request record for `type`. deleteContainer is not a jute record: ZooKeeper's
 * ContainerManager (and any client that sends it) puts the raw UTF-8 path in the body.
 */
function decodeBody(type: number, r: JuteReader): unknown {
  switch (type) {
    case OpCode.ping:
    case OpCode.closeSession:
    case OpCode.whoAmI:
      return null;
    case OpCode.deleteContainer:
      return { path: Buffer.from(r.bytes.subarray(r.pos, r.bytes.length)).toString('utf8') };
    default:
      return decodeRequestBody(type, r).req;
  }
}
