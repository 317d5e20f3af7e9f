import type { Transport } from '@zk/transport';
import { memoryNetwork, type MemoryNetwork } from './memory-network.js';
import type { MemoryHostOptions } from './options.js';

/** Options of {@link memoryTransport}. */
export interface MemoryTransportOptions extends MemoryHostOptions {
  /** The network to join; by default a new, private network. */
  readonly network?: MemoryNetwork;
}

/**
 * An in-memory {@link Transport} for one host. Without a `network` it gets a
 * fresh private one, so it can only reach itself: enough for a client and a
 * server sharing one transport. Pass a shared `network` (or call
 * `network.transport(...)`) to connect several hosts.
 */
export function memoryTransport(options: MemoryTransportOptions = {}): Transport {
  const { network = memoryNetwork(), ...host } = options;
  return network.transport(host);
}
