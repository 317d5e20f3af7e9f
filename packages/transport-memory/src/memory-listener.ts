import type { Address, ConnectionHandler, Listener } from '@zk/transport';
import type { MemoryConnection } from './memory-connection.js';

/** A {@link Listener} registered in a memory network. */
export class MemoryListener implements Listener {
  readonly address: Address;
  readonly highWaterMark: number;
  readonly #onConnection: ConnectionHandler;
  readonly #unregister: () => void;
  #connectionCount = 0;
  #closed = false;

  constructor(address: Address, highWaterMark: number, onConnection: ConnectionHandler, unregister: () => void) {
    this.address = address;
    this.highWaterMark = highWaterMark;
    this.#onConnection = onConnection;
    this.#unregister = unregister;
  }

  get connectionCount(): number {
    return this.#connectionCount;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Hands an accepted connection to the user (called from a scheduler callback). */
  accept(connection: MemoryConnection): void {
    this.#connectionCount++;
    connection.addOnClosed(() => {
      this.#connectionCount--;
    });
    this.#onConnection(connection);
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#unregister();
    }
    return Promise.resolve();
  }
}
