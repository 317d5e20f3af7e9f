/**
 * @zk/recipes: the coordination recipes people run ZooKeeper for, on @zk/client: locks
 * (exclusive, re-entrant, read/write, semaphore), leader election (latch and selector),
 * configuration and tree caches, service registry, group membership, barriers, counter and
 * queue. Each handles connection loss mid-create (Curator's protected mode), tells the holder
 * when a session expiry took its lock or leadership, and cleans up its nodes.
 * @packageDocumentation
 */

export { managedClient, asManaged, isManagedClient } from './managed-client.js';
export type { ManagedClient, RecipeClient, ConnectionState, ConnectionStateListener, ClientFactory } from './managed-client.js';

export { Mutex, ReentrantMutex, ReadWriteLock } from './lock.js';
export type { Lock, LockOptions } from './lock.js';
export { Semaphore } from './semaphore.js';
export type { Lease, SemaphoreOptions } from './semaphore.js';

export { LeaderLatch } from './leader-latch.js';
export type { LeaderLatchOptions, LeaderLatchEvents, LatchState, Participant } from './leader-latch.js';
export { LeaderSelector } from './leader-selector.js';
export type { LeaderSelectorOptions, LeaderSelectorEvents, LeadershipTask } from './leader-selector.js';

export { TreeCache } from './tree-cache.js';
export type { TreeNode, TreeCacheEvent, TreeCacheEvents, TreeCacheOptions } from './tree-cache.js';
export { ConfigCache, jsonCodec, stringCodec } from './config-cache.js';
export type { Codec, ConfigCacheOptions, ConfigCacheEvents } from './config-cache.js';

export { ServiceRegistry, ServiceCache } from './service-registry.js';
export type { ServiceInstance, ServiceSpec, ServiceRegistration, ServiceCacheEvents } from './service-registry.js';
export { GroupMember } from './group-member.js';
export type { GroupMemberEvents } from './group-member.js';
export { EphemeralNode } from './ephemeral-node.js';
export type { EphemeralNodeEvents } from './ephemeral-node.js';

export { Barrier, DoubleBarrier } from './barrier.js';
export type { DoubleBarrierOptions } from './barrier.js';
export { Counter } from './counter.js';
export type { CounterChange } from './counter.js';
export { Queue } from './queue.js';
export type { QueueItem } from './queue.js';

export { createProtected, findProtected, protectedName, unprotectedName, PROTECTED_PREFIX } from './protected.js';
export { sequenceOf, sortBySequence } from './paths.js';
export { RecipeTimeoutError, LostError, OutcomeUnknownError } from './errors.js';
export type { WaitOptions } from './wait.js';
