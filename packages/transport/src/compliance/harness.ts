import type { Address } from '../address.js';
import type { Connection } from '../connection.js';
import type { Listener } from '../listener.js';
import type { DialOptions, Transport } from '../transport.js';

/** What {@link TransportComplianceSetup.create} returns. */
export interface ComplianceFixture {
  /** The transport under test; the suite both listens and dials with it. */
  readonly transport: Transport;
  /** Where to listen; use port 0 so the transport picks a free port. */
  readonly listenAddress: Address;
}

/** What a transport passes to the compliance suite. */
export interface TransportComplianceSetup {
  /** Shown in the `describe` title. */
  readonly name: string;
  /** Called before every test. */
  create(): Promise<ComplianceFixture>;
  /** Called after every test, once the suite has closed its listeners and connections. */
  teardown?(): Promise<void>;
}

/** FIFO of accepted connections a test can await one by one. */
export class Accepted {
  readonly #ready: Connection[] = [];
  readonly #waiting: Array<(c: Connection) => void> = [];
  count = 0;

  push(connection: Connection): void {
    this.count++;
    const waiter = this.#waiting.shift();
    if (waiter) waiter(connection);
    else this.#ready.push(connection);
  }

  next(): Promise<Connection> {
    const ready = this.#ready.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** Per-test state: tracks everything opened so it is torn down even when a test fails. */
export class Harness {
  readonly transport: Transport;
  readonly listenAddress: Address;
  readonly #listeners: Listener[] = [];
  readonly #connections: Connection[] = [];

  constructor(fixture: ComplianceFixture) {
    this.transport = fixture.transport;
    this.listenAddress = fixture.listenAddress;
  }

  /**
   * Listens on the fixture's address. `onConnection` runs synchronously in the
   * transport's callback (to install handlers at once); the connection is then
   * also queued in `accepted`.
   */
  async listen(onConnection?: (c: Connection) => void): Promise<{ listener: Listener; accepted: Accepted }> {
    const accepted = new Accepted();
    const listener = await this.transport.listen(this.listenAddress, (connection) => {
      this.#connections.push(connection);
      onConnection?.(connection);
      accepted.push(connection);
    });
    this.#listeners.push(listener);
    return { listener, accepted };
  }

  async dial(address: Address, options?: DialOptions): Promise<Connection> {
    const connection = await this.transport.dial(address, options);
    this.#connections.push(connection);
    return connection;
  }

  /** A listener plus one connection, seen from both ends. */
  async pair(onConnection?: (c: Connection) => void): Promise<{ listener: Listener; client: Connection; server: Connection }> {
    const { listener, accepted } = await this.listen(onConnection);
    const client = await this.dial(listener.address);
    const server = await accepted.next();
    return { listener, client, server };
  }

  async cleanup(): Promise<void> {
    for (const connection of this.#connections) connection.destroy();
    await Promise.all(this.#listeners.map((l) => l.close()));
  }
}
