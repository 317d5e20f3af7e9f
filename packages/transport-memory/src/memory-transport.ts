import {
  transportSymbol,
  type Address,
  type Connection,
  type ConnectionHandler,
  type DialOptions,
  type Listener,
  type Transport,
} from '@zk/transport';

/** What a host's transport needs from its network. */
export interface HostNetwork {
  listen(host: string, address: Address, highWaterMark: number, onConnection: ConnectionHandler): Listener;
  dial(from: string, address: Address, highWaterMark: number, options: DialOptions): Promise<Connection>;
}

/** The transport of one host of a memory network. */
export class MemoryTransport implements Transport {
  readonly [transportSymbol] = true as const;
  readonly [Symbol.toStringTag] = '@zk/transport-memory';
  readonly host: string;
  readonly #network: HostNetwork;
  readonly #highWaterMark: number;

  constructor(network: HostNetwork, host: string, highWaterMark: number) {
    this.#network = network;
    this.host = host;
    this.#highWaterMark = highWaterMark;
  }

  listen(address: Address, onConnection: ConnectionHandler): Promise<Listener> {
    try {
      return Promise.resolve(this.#network.listen(this.host, address, this.#highWaterMark, onConnection));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  dial(address: Address, options: DialOptions = {}): Promise<Connection> {
    return this.#network.dial(this.host, address, this.#highWaterMark, options);
  }
}
