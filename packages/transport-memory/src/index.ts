/**
 * @packageDocumentation
 * In-process transport for zk-ts tests and the simulator: byte streams through
 * a shared {@link MemoryNetwork}, asynchronous but deterministic delivery, all
 * timing through an injectable {@link Scheduler}, and fault injection
 * (partitions, latency, dropped connections, refused addresses).
 */
export { memoryNetwork, type MemoryNetwork } from './memory-network.js';
export { memoryTransport, type MemoryTransportOptions } from './memory-transport-factory.js';
export type { MemoryNetworkOptions, MemoryHostOptions, PartitionOptions, PartitionMode } from './options.js';
export { realScheduler, type Scheduler, type SchedulerHandle } from './scheduler.js';
