import {
  ConnectionResetError,
  type Address,
  type CloseHandler,
  type Connection,
  type DataHandler,
  type DrainHandler,
  type EndHandler,
} from '@zk/transport';
import type { NetworkContext } from './context.js';
import { Pipe, type Segment, type SegmentSink } from './pipe.js';
import type { SchedulerHandle } from './scheduler.js';

const FIN = null;
type InboxItem = Uint8Array | typeof FIN;

/**
 * One end of an in-memory connection. Writes of a turn are batched into one
 * segment, sent through this end's outbound {@link Pipe} to the peer's inbox,
 * and delivered from there while the peer reads. Every callback runs from a
 * scheduler callback, never from inside a user call.
 */
export class MemoryConnection implements Connection, SegmentSink {
  readonly localAddress: Address;
  readonly remoteAddress: Address;
  /** Identifies the network that owns this connection (for `dropConnection`). */
  readonly owner: object;

  readonly #context: NetworkContext;
  readonly #highWaterMark: number;
  #peer!: MemoryConnection;
  #outbound!: Pipe;
  #onClosed: Array<() => void> = [];

  #queue: Uint8Array[] = [];
  #flushTimer: SchedulerHandle | undefined;
  #flushScheduled = false;
  /** Bytes written by this end that the peer has not delivered to its onData yet. */
  #undelivered = 0;
  #drainWanted = false;
  #drainScheduled = false;

  #inbox: InboxItem[] = [];
  #pumpScheduled = false;
  #pumping = false;

  #ending = false;
  #finSent = false;
  #finReceived = false;
  #closed = false;
  #closeEmitted = false;
  #closeDelivered = false;
  #closeError: Error | undefined;
  #paused = false;

  #dataHandler: DataHandler | undefined;
  #endHandler: EndHandler | undefined;
  #closeHandler: CloseHandler | undefined;
  #drainHandler: DrainHandler | undefined;

  private constructor(owner: object, context: NetworkContext, local: Address, remote: Address, highWaterMark: number) {
    this.owner = owner;
    this.#context = context;
    this.localAddress = local;
    this.remoteAddress = remote;
    this.#highWaterMark = highWaterMark;
  }

  /** Creates both ends of a connection between `dialer` and `acceptor`. */
  static pair(
    owner: object,
    context: NetworkContext,
    dialer: Address,
    acceptor: Address,
    highWaterMarks: { readonly dialer: number; readonly acceptor: number },
  ): [dialerEnd: MemoryConnection, acceptorEnd: MemoryConnection] {
    const a = new MemoryConnection(owner, context, dialer, acceptor, highWaterMarks.dialer);
    const b = new MemoryConnection(owner, context, acceptor, dialer, highWaterMarks.acceptor);
    a.#peer = b;
    b.#peer = a;
    a.#outbound = new Pipe(context, dialer.host, acceptor.host, b);
    b.#outbound = new Pipe(context, acceptor.host, dialer.host, a);
    return [a, b];
  }

  /** Adds a hook run once when the close event is emitted (network bookkeeping). */
  addOnClosed(hook: () => void): void {
    this.#onClosed.push(hook);
  }

  get peer(): MemoryConnection {
    return this.#peer;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** True once the close event has been emitted. */
  get closeEmitted(): boolean {
    return this.#closeEmitted;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get writableLength(): number {
    return this.#closed ? 0 : this.#undelivered;
  }

  get needsDrain(): boolean {
    return this.writableLength >= this.#highWaterMark;
  }

  write(chunk: Uint8Array): void {
    if (this.#closed || this.#ending || chunk.byteLength === 0) return;
    // Copy, so neither side can observe the other mutating a shared buffer.
    this.#queue.push(new Uint8Array(chunk));
    this.#undelivered += chunk.byteLength;
    if (this.#undelivered >= this.#highWaterMark) this.#drainWanted = true;
    this.#scheduleFlush();
  }

  end(): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    this.#scheduleFlush();
  }

  destroy(err?: Error): void {
    if (this.#closed) return;
    this.#closeError = err;
    this.#shutDown();
    if (!this.#finSent) {
      // The peer sees the end of the stream after whatever is already in flight.
      this.#finSent = true;
      this.#outbound.send(FIN, false);
    }
    this.#scheduleClose();
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#schedulePump();
  }

  onData(handler: DataHandler): void {
    this.#dataHandler = handler;
    this.#schedulePump();
  }

  onEnd(handler: EndHandler): void {
    this.#endHandler = handler;
  }

  onClose(handler: CloseHandler): void {
    this.#closeHandler = handler;
    if (this.#closeEmitted && !this.#closeDelivered) {
      this.#context.scheduler.setTimeout(this.#deliverClose, 0);
    }
  }

  onDrain(handler: DrainHandler): void {
    this.#drainHandler = handler;
  }

  /** Resets this end and its peer: both close with `ConnectionResetError`, everything in flight is lost. */
  reset(reason: string): void {
    for (const end of [this, this.#peer]) {
      end.#outbound.clear();
      if (end.#closed) continue;
      end.#closeError = new ConnectionResetError(reason);
      end.#shutDown();
      end.#scheduleClose();
    }
  }

  /** Resumes delivery in both directions after a heal. */
  kick(): void {
    this.#outbound.kick();
    this.#peer.#outbound.kick();
  }

  /** Called by the peer's outbound pipe. */
  receive(segment: Segment): void {
    if (this.#closed) return;
    if (segment === FIN) this.#inbox.push(FIN);
    else for (const chunk of segment) this.#inbox.push(chunk);
    this.#pump();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    this.#flushTimer = this.#context.scheduler.setTimeout(this.#flush, 0);
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    this.#flushTimer = undefined;
    if (this.#closed) return;
    if (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      this.#outbound.send(batch, true);
    }
    if (this.#ending && !this.#finSent && !this.#closed) {
      this.#finSent = true;
      this.#outbound.send(FIN, true);
      this.#closeIfDone();
    }
  };

  #schedulePump(): void {
    if (this.#pumpScheduled || this.#inbox.length === 0) return;
    this.#pumpScheduled = true;
    this.#context.scheduler.setTimeout(this.#scheduledPump, 0);
  }

  readonly #scheduledPump = (): void => {
    this.#pumpScheduled = false;
    this.#pump();
  };

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && !this.#paused && this.#dataHandler !== undefined && this.#inbox.length > 0) {
        const item = this.#inbox.shift() as InboxItem;
        if (item === FIN) {
          this.#peerEnded();
          continue;
        }
        this.#peer.#delivered(item.byteLength);
        this.#dataHandler(item);
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** The peer delivered `bytes` of ours to its handler. */
  #delivered(bytes: number): void {
    this.#undelivered -= bytes;
    if (this.#drainWanted && !this.#drainScheduled && this.#undelivered < this.#highWaterMark) {
      this.#drainScheduled = true;
      this.#context.scheduler.setTimeout(this.#notifyDrain, 0);
    }
  }

  readonly #notifyDrain = (): void => {
    this.#drainScheduled = false;
    if (this.#closed || !this.#drainWanted || this.needsDrain) return;
    this.#drainWanted = false;
    this.#drainHandler?.();
  };

  #peerEnded(): void {
    this.#finReceived = true;
    if (this.#endHandler !== undefined) {
      // Half-open: the user ends (or destroys) when done.
      this.#endHandler();
    } else if (!this.#ending) {
      // Answer the peer's FIN with ours, after queued writes.
      this.#ending = true;
      this.#scheduleFlush();
    }
    this.#closeIfDone();
  }

  #closeIfDone(): void {
    if (this.#closed || !this.#finSent || !this.#finReceived) return;
    this.#shutDown();
    this.#scheduleClose();
  }

  /** Marks the end closed and drops local state; the outbound pipe keeps what is already in flight. */
  #shutDown(): void {
    this.#closed = true;
    this.#queue = [];
    this.#inbox = [];
    this.#undelivered = 0;
    if (this.#flushScheduled) {
      this.#context.scheduler.clearTimeout(this.#flushTimer);
      this.#flushScheduled = false;
      this.#flushTimer = undefined;
    }
  }

  #scheduleClose(): void {
    this.#context.scheduler.setTimeout(this.#emitClose, 0);
  }

  readonly #emitClose = (): void => {
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    for (const hook of this.#onClosed) hook();
    this.#deliverClose();
  };

  readonly #deliverClose = (): void => {
    if (this.#closeDelivered || this.#closeHandler === undefined) return;
    this.#closeDelivered = true;
    this.#closeHandler(this.#closeError);
  };
}
