import type { Scheduler } from './scheduler.js';

/** Options of {@link memoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Time and asynchrony source; defaults to {@link realScheduler}. */
  readonly scheduler?: Scheduler;
  /** One-way delay of every connect and every flushed batch of bytes, in ms. Default 0. */
  readonly latencyMs?: number;
}

/** Options of `MemoryNetwork.transport`. */
export interface MemoryHostOptions {
  /**
   * The host this transport dials from and listens on when given a wildcard
   * host (`'0.0.0.0'`, `'::'`). Partitions are between hosts. Default `'localhost'`.
   */
  readonly host?: string;
  /** `Connection.needsDrain` turns true at this many undelivered bytes. Default 64 KiB. */
  readonly highWaterMark?: number;
}

/** How a partition treats traffic between the two hosts. */
export type PartitionMode = 'blackhole' | 'reset';

/** Options of `MemoryNetwork.partition`. */
export interface PartitionOptions {
  /**
   * `'blackhole'` (default): nothing gets through; bytes already written or
   * written later are held and delivered after `heal` (as TCP retransmission
   * would), and dials hang until healed, timed out or aborted.
   * `'reset'`: connections between the hosts are reset at once (both ends
   * close with `ConnectionResetError`) and dials are refused.
   */
  readonly mode?: PartitionMode;
  /**
   * Block only traffic from the first host to the second. Established
   * connections keep flowing the other way; new dials in either direction are
   * blocked, since a connection needs both directions to be set up.
   */
  readonly oneWay?: boolean;
}

export const DEFAULT_HOST = 'localhost';
export const DEFAULT_HIGH_WATER_MARK = 64 * 1024;
