import {
  AbortError,
  AddressInUseError,
  ConnectionRefusedError,
  DialTimeoutError,
  formatAddress,
  type Address,
  type Connection,
  type ConnectionHandler,
  type DialOptions,
  type Listener,
  type Transport,
} from '@zk/transport';
import type { NetworkContext } from './context.js';
import { Faults } from './faults.js';
import { MemoryConnection } from './memory-connection.js';
import { MemoryListener } from './memory-listener.js';
import { MemoryTransport } from './memory-transport.js';
import {
  DEFAULT_HIGH_WATER_MARK,
  DEFAULT_HOST,
  type MemoryHostOptions,
  type MemoryNetworkOptions,
  type PartitionOptions,
} from './options.js';
import { PortTable } from './port-table.js';
import { realScheduler, type Scheduler, type SchedulerHandle } from './scheduler.js';

/**
 * An in-process network: a registry of listeners shared by the transports it
 * creates (one per simulated host), plus the faults a test injects.
 */
export interface MemoryNetwork {
  /** The scheduler every delay and callback of this network goes through. */
  readonly scheduler: Scheduler;
  /** The current one-way latency in ms. */
  readonly latencyMs: number;
  /** A transport for one host of this network. */
  transport(options?: MemoryHostOptions): Transport;
  /** Cuts traffic between two hosts (both ways unless `oneWay`); see {@link PartitionOptions}. */
  partition(hostA: string, hostB: string, options?: PartitionOptions): void;
  /**
   * Without arguments: removes every partition and every `refuse`. With two
   * hosts: removes the partition between them, both directions. Held bytes and
   * held dials then proceed.
   */
  heal(hostA?: string, hostB?: string): void;
  /** Sets the one-way latency (ms) for connects and bytes sent from now on; never reorders a stream. */
  setLatency(ms: number): void;
  /** Resets a connection of this network (either end): both ends close with `ConnectionResetError`. Returns false if it was not open. */
  dropConnection(connection: Connection): boolean;
  /** Makes dials to `host:port` fail with `ConnectionRefusedError`, whether or not something listens there. */
  refuse(host: string, port: number): void;
  /** Undoes {@link refuse}. */
  unrefuse(host: string, port: number): void;
}

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '']);

interface PendingDial {
  readonly from: string;
  readonly address: Address;
  readonly highWaterMark: number;
  readonly resolve: (connection: Connection) => void;
  readonly reject: (err: Error) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
  timer: SchedulerHandle | undefined;
  settled: boolean;
}

class MemoryNetworkImpl implements MemoryNetwork, NetworkContext {
  readonly scheduler: Scheduler;
  readonly faults = new Faults();
  #latencyMs: number;
  readonly #listeners = new Map<string, MemoryListener>();
  readonly #ports = new Map<string, PortTable>();
  /** Dialer ends of connections whose ends have not both emitted close. */
  readonly #live = new Set<MemoryConnection>();
  /** Dials held by a blackhole partition. */
  readonly #held = new Set<PendingDial>();

  constructor(options: MemoryNetworkOptions) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.#latencyMs = validLatency(options.latencyMs ?? 0);
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  transport(options: MemoryHostOptions = {}): Transport {
    const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    if (!Number.isInteger(highWaterMark) || highWaterMark <= 0) {
      throw new RangeError(`highWaterMark must be a positive integer, got ${highWaterMark}`);
    }
    return new MemoryTransport(this, options.host ?? DEFAULT_HOST, highWaterMark);
  }

  partition(hostA: string, hostB: string, options: PartitionOptions = {}): void {
    const mode = options.mode ?? 'blackhole';
    this.faults.block(hostA, hostB, mode);
    if (!options.oneWay) this.faults.block(hostB, hostA, mode);
    if (mode === 'reset') {
      for (const dialer of [...this.#live]) {
        const a = dialer.localAddress.host;
        const b = dialer.remoteAddress.host;
        if ((a === hostA && b === hostB) || (a === hostB && b === hostA)) {
          dialer.reset(`connection reset by partition ${hostA} / ${hostB}`);
        }
      }
      for (const dial of [...this.#held]) {
        if (this.faults.dialBlock(dial.from, dial.address.host) === 'reset') {
          this.#held.delete(dial);
          this.#tryConnect(dial);
        }
      }
    }
  }

  heal(hostA?: string, hostB?: string): void {
    if (hostA === undefined || hostB === undefined) this.faults.clear();
    else this.faults.unblockPair(hostA, hostB);
    for (const dialer of this.#live) dialer.kick();
    for (const dial of [...this.#held]) {
      if (this.faults.dialBlock(dial.from, dial.address.host) !== 'blackhole') {
        this.#held.delete(dial);
        this.#scheduleConnect(dial);
      }
    }
  }

  setLatency(ms: number): void {
    this.#latencyMs = validLatency(ms);
  }

  dropConnection(connection: Connection): boolean {
    if (!(connection instanceof MemoryConnection) || connection.owner !== this || connection.closed) return false;
    connection.reset('connection dropped by the network');
    return true;
  }

  refuse(host: string, port: number): void {
    this.faults.refuse(host, port);
  }

  unrefuse(host: string, port: number): void {
    this.faults.unrefuse(host, port);
  }

  // ---- used by MemoryTransport ----

  listen(host: string, address: Address, highWaterMark: number, onConnection: ConnectionHandler): Listener {
    const listenHost = WILDCARD_HOSTS.has(address.host) ? host : address.host;
    if (!Number.isInteger(address.port) || address.port < 0 || address.port > 65535) {
      throw new RangeError(`invalid port: ${address.port}`);
    }
    const ports = this.#portsOf(listenHost);
    let port = address.port;
    if (port === 0) port = ports.claimEphemeral();
    else if (!ports.claim(port)) {
      throw new AddressInUseError(`address already in use: ${formatAddress({ host: listenHost, port })}`);
    }
    const bound: Address = { host: listenHost, port };
    const key = formatAddress(bound);
    const listener = new MemoryListener(bound, highWaterMark, onConnection, () => {
      this.#listeners.delete(key);
      ports.release(port);
    });
    this.#listeners.set(key, listener);
    return listener;
  }

  dial(from: string, address: Address, highWaterMark: number, options: DialOptions): Promise<Connection> {
    return new Promise<Connection>((resolve, reject) => {
      const { signal, timeoutMs } = options;
      if (signal?.aborted) {
        reject(new AbortError(`dial ${formatAddress(address)} aborted`));
        return;
      }
      const dial: PendingDial = {
        from,
        address,
        highWaterMark,
        resolve,
        reject,
        signal,
        onAbort: () => this.#fail(dial, new AbortError(`dial ${formatAddress(address)} aborted`)),
        timer: undefined,
        settled: false,
      };
      signal?.addEventListener('abort', dial.onAbort, { once: true });
      if (timeoutMs !== undefined && timeoutMs > 0) {
        dial.timer = this.scheduler.setTimeout(() => {
          dial.timer = undefined;
          this.#fail(dial, new DialTimeoutError(`dial ${formatAddress(address)} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.#scheduleConnect(dial);
    });
  }

  #scheduleConnect(dial: PendingDial): void {
    this.scheduler.setTimeout(() => this.#tryConnect(dial), this.#latencyMs);
  }

  #tryConnect(dial: PendingDial): void {
    if (dial.settled) return;
    const { from, address } = dial;
    if (this.faults.isRefused(address.host, address.port)) {
      this.#fail(dial, new ConnectionRefusedError(`connection refused: ${formatAddress(address)}`));
      return;
    }
    const block = this.faults.dialBlock(from, address.host);
    if (block === 'reset') {
      this.#fail(dial, new ConnectionRefusedError(`connection refused by partition: ${formatAddress(address)}`));
      return;
    }
    if (block === 'blackhole') {
      this.#held.add(dial);
      return;
    }
    const listener = this.#listeners.get(formatAddress(address));
    if (listener === undefined || listener.closed) {
      this.#fail(dial, new ConnectionRefusedError(`connection refused: ${formatAddress(address)}`));
      return;
    }
    const ports = this.#portsOf(from);
    const local: Address = { host: from, port: ports.claimEphemeral() };
    const [dialerEnd, acceptorEnd] = MemoryConnection.pair(this, this, local, listener.address, {
      dialer: dial.highWaterMark,
      acceptor: listener.highWaterMark,
    });
    this.#live.add(dialerEnd);
    const forget = (): void => {
      if (dialerEnd.closeEmitted && acceptorEnd.closeEmitted) this.#live.delete(dialerEnd);
    };
    dialerEnd.addOnClosed(() => {
      ports.release(local.port);
      forget();
    });
    acceptorEnd.addOnClosed(forget);
    this.#settle(dial);
    listener.accept(acceptorEnd);
    dial.resolve(dialerEnd);
  }

  #fail(dial: PendingDial, err: Error): void {
    if (dial.settled) return;
    this.#held.delete(dial);
    this.#settle(dial);
    dial.reject(err);
  }

  #settle(dial: PendingDial): void {
    dial.settled = true;
    dial.signal?.removeEventListener('abort', dial.onAbort);
    if (dial.timer !== undefined) {
      this.scheduler.clearTimeout(dial.timer);
      dial.timer = undefined;
    }
  }

  #portsOf(host: string): PortTable {
    let table = this.#ports.get(host);
    if (table === undefined) {
      table = new PortTable();
      this.#ports.set(host, table);
    }
    return table;
  }
}

function validLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite number >= 0, got ${ms}`);
  return ms;
}

/**
 * Creates an in-process network. Give every simulated host its own transport
 * (`network.transport({ host: 'server1' })`); dials between them go through
 * the network, which can delay, hold and reset traffic.
 */
export function memoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  return new MemoryNetworkImpl(options);
}

