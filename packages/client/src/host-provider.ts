// The server list: shuffled once, then walked round-robin (ZooKeeper's StaticHostProvider).

import type { Address } from '@zk/transport';

export class HostProvider {
  private readonly hosts: Address[];
  private index = -1;
  /** Attempts since the last successful connection. */
  private attempts = 0;

  constructor(hosts: readonly Address[], random: () => number) {
    this.hosts = [...hosts];
    for (let i = this.hosts.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = this.hosts[i]!;
      this.hosts[i] = this.hosts[j]!;
      this.hosts[j] = t;
    }
  }

  get size(): number {
    return this.hosts.length;
  }

  /** Every host, in the order they are tried. */
  get all(): readonly Address[] {
    return this.hosts;
  }

  /**
   * The next host to try, and whether every host has been tried since the last successful
   * connection (the caller then waits before hammering the list again).
   */
  next(): { address: Address; cycled: boolean } {
    this.index = (this.index + 1) % this.hosts.length;
    const cycled = this.attempts > 0 && this.attempts % this.hosts.length === 0;
    this.attempts++;
    return { address: this.hosts[this.index]!, cycled };
  }

  /** The host after the current one, without moving (read-only mode probes it). */
  peekOther(offset: number): Address {
    return this.hosts[(this.index + offset) % this.hosts.length]!;
  }

  /** Makes `address` the next host returned (used when a read-write server was found). */
  preferNext(address: Address): void {
    const i = this.hosts.findIndex((h) => h.host === address.host && h.port === address.port);
    if (i >= 0) this.index = i - 1;
  }

  onConnected(): void {
    this.attempts = 0;
  }
}
