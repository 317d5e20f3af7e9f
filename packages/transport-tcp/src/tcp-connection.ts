import type { Socket } from 'node:net';
import type { Address, CloseHandler, Connection, DataHandler, DrainHandler, EndHandler } from '@zk/transport';
import { mapSocketError } from './node-errors.js';

function addressOf(host: string | undefined, port: number | undefined): Address {
  return { host: host ?? '', port: port ?? 0 };
}

/**
 * A {@link Connection} over a `net.Socket` created with `allowHalfOpen: true`
 * and handed over paused. Writes of one event-loop turn are queued and flushed
 * from `process.nextTick` as one corked batch (one writev).
 */
export class TcpConnection implements Connection {
  readonly localAddress: Address;
  readonly remoteAddress: Address;

  readonly #socket: Socket;
  readonly #highWaterMark: number;
  readonly #onClosed: (() => void) | undefined;

  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #flushScheduled = false;
  #drainWanted = false;

  /** Chunks the socket emitted while we could not deliver them (defensive; normally empty). */
  #held: Uint8Array[] = [];
  #heldScheduled = false;
  #peerEnded = false;
  #peerEndHandled = false;

  #ending = false;
  #closed = false;
  #closeEmitted = false;
  #closeDelivered = false;
  #closeError: Error | undefined;
  #paused = false;

  #dataHandler: DataHandler | undefined;
  #endHandler: EndHandler | undefined;
  #closeHandler: CloseHandler | undefined;
  #drainHandler: DrainHandler | undefined;

  constructor(socket: Socket, highWaterMark: number, onClosed?: () => void) {
    this.#socket = socket;
    this.#highWaterMark = highWaterMark;
    this.#onClosed = onClosed;
    this.localAddress = addressOf(socket.localAddress, socket.localPort);
    this.remoteAddress = addressOf(socket.remoteAddress, socket.remotePort);
    // Reading starts only once a data handler is installed.
    socket.pause();
    socket.on('data', (chunk: Buffer) => this.#onSocketData(chunk));
    socket.on('end', () => this.#onSocketEnd());
    socket.on('error', (err: Error) => {
      if (this.#closeError === undefined && !this.#closed) this.#closeError = mapSocketError(err);
    });
    socket.on('close', () => this.#onSocketClose());
    if (socket.destroyed) queueMicrotask(() => this.#onSocketClose());
  }

  get closed(): boolean {
    return this.#closed;
  }

  get paused(): boolean {
    return this.#paused;
  }

  get writableLength(): number {
    return this.#queuedBytes + (this.#socket.destroyed ? 0 : this.#socket.writableLength);
  }

  get needsDrain(): boolean {
    return this.writableLength >= this.#highWaterMark;
  }

  write(chunk: Uint8Array): void {
    if (this.#closed || this.#ending || chunk.byteLength === 0) return;
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.byteLength;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      process.nextTick(this.#flush);
    }
    if (!this.#drainWanted && this.needsDrain) this.#drainWanted = true;
  }

  end(): void {
    if (this.#closed || this.#ending) return;
    this.#ending = true;
    this.#flush();
    this.#socket.end();
  }

  destroy(err?: Error): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeError = err;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#held = [];
    this.#socket.destroy();
  }

  pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    if (!this.#closed) this.#socket.pause();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#startReading();
  }

  onData(handler: DataHandler): void {
    const first = this.#dataHandler === undefined;
    this.#dataHandler = handler;
    if (first && !this.#paused) this.#startReading();
  }

  onEnd(handler: EndHandler): void {
    this.#endHandler = handler;
  }

  onClose(handler: CloseHandler): void {
    this.#closeHandler = handler;
    if (this.#closeEmitted && !this.#closeDelivered) process.nextTick(this.#deliverClose);
  }

  onDrain(handler: DrainHandler): void {
    this.#drainHandler = handler;
  }

  #startReading(): void {
    if (this.#closed || this.#dataHandler === undefined) return;
    if (this.#held.length > 0 || (this.#peerEnded && !this.#peerEndHandled)) {
      if (!this.#heldScheduled) {
        this.#heldScheduled = true;
        process.nextTick(this.#deliverHeld);
      }
      return;
    }
    this.#socket.resume();
  }

  readonly #deliverHeld = (): void => {
    this.#heldScheduled = false;
    while (this.#held.length > 0) {
      if (this.#closed || this.#paused || this.#dataHandler === undefined) return;
      const chunk = this.#held.shift() as Uint8Array;
      this.#dataHandler(chunk);
    }
    if (this.#closed || this.#paused || this.#dataHandler === undefined) return;
    if (this.#peerEnded) this.#handlePeerEnd();
    else this.#socket.resume();
  };

  #onSocketData(chunk: Buffer): void {
    if (this.#closed) return;
    const handler = this.#dataHandler;
    if (this.#paused || handler === undefined || this.#held.length > 0) {
      this.#held.push(chunk);
      this.#socket.pause();
      return;
    }
    handler(chunk);
  }

  #onSocketEnd(): void {
    this.#peerEnded = true;
    // Held bytes go first; a paused or handler-less connection is not reading.
    if (this.#held.length === 0 && !this.#paused && this.#dataHandler !== undefined) this.#handlePeerEnd();
  }

  /** The peer's FIN, after its last byte: tell the end handler, or answer with our own FIN. */
  #handlePeerEnd(): void {
    if (this.#peerEndHandled || this.#closed) return;
    this.#peerEndHandled = true;
    if (this.#endHandler !== undefined) this.#endHandler();
    else this.end();
  }

  readonly #flush = (): void => {
    this.#flushScheduled = false;
    const queue = this.#queue;
    if (queue.length === 0) return;
    this.#queue = [];
    this.#queuedBytes = 0;
    const socket = this.#socket;
    if (this.#closed || !socket.writable) return;
    const callback = this.#drainWanted ? this.#afterWrite : undefined;
    if (queue.length === 1) {
      socket.write(queue[0] as Uint8Array, callback);
    } else {
      socket.cork();
      const last = queue.length - 1;
      for (let i = 0; i < last; i++) socket.write(queue[i] as Uint8Array);
      socket.write(queue[last] as Uint8Array, callback);
      socket.uncork();
    }
  };

  readonly #afterWrite = (err?: Error | null): void => {
    if (err || this.#closed || !this.#drainWanted || this.needsDrain) return;
    this.#drainWanted = false;
    this.#drainHandler?.();
  };

  #onSocketClose(): void {
    if (this.#closeEmitted) return;
    this.#closeEmitted = true;
    this.#closed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    this.#held = [];
    this.#onClosed?.();
    if (this.#closeHandler !== undefined) this.#deliverClose();
  }

  readonly #deliverClose = (): void => {
    if (this.#closeDelivered || this.#closeHandler === undefined) return;
    this.#closeDelivered = true;
    this.#closeHandler(this.#closeError);
  };
}
