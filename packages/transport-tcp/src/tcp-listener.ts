import type { AddressInfo, Server } from 'node:net';
import type { Address, Listener } from '@zk/transport';

/** A {@link Listener} over a listening `net.Server`. */
export class TcpListener implements Listener {
  readonly address: Address;
  readonly #server: Server;
  #connectionCount = 0;
  #closed = false;

  constructor(server: Server) {
    this.#server = server;
    const info = server.address() as AddressInfo;
    this.address = { host: info.address, port: info.port };
  }

  get connectionCount(): number {
    return this.#connectionCount;
  }

  /** Counts an accepted connection; returns the hook to call when it closes. */
  track(): () => void {
    this.#connectionCount++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#connectionCount--;
    };
  }

  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      // Closes the listening socket at once; accepted sockets stay open.
      // (The server's own 'close' event waits for those, so we do not wait for it.)
      this.#server.close();
    }
    return Promise.resolve();
  }
}
