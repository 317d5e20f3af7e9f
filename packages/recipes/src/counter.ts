// A shared counter (kazoo's Counter, Curator's DistributedAtomicLong in its optimistic mode and
// SharedCount): an integer in one node, changed by versioned compare-and-set. Stored as ASCII
// decimal (as kazoo does) so zkCli shows it; Curator stores 8 big-endian bytes.

import { isZooKeeperError } from '@zk/client';
import { compareAndSet } from './cas.js';
import { asManaged, type ManagedClient, type RecipeClient } from './managed-client.js';
import { retrying } from './retry.js';

export interface CounterChange {
  readonly preValue: number;
  readonly postValue: number;
}

export class Counter {
  private readonly managed: ManagedClient;

  constructor(
    client: RecipeClient,
    readonly path: string,
    /** The value of a counter whose node does not exist yet. */
    readonly initial = 0,
  ) {
    this.managed = asManaged(client);
  }

  async get(): Promise<number> {
    const zk = await this.managed.connected();
    try {
      return parse(this.path, (await retrying(() => zk.getData(this.path))).data, this.initial);
    } catch (err) {
      if (isZooKeeperError(err, 'NONODE')) return this.initial;
      throw err;
    }
  }

  /** Adds `delta` atomically (retrying on conflicts); reports the values before and after. */
  async add(delta: number, options: { signal?: AbortSignal } = {}): Promise<CounterChange> {
    checkInteger(delta);
    let change: CounterChange | undefined;
    const zk = await this.managed.connected(options);
    await compareAndSet(
      zk,
      this.path,
      (current) => {
        const preValue = current === undefined ? this.initial : parse(this.path, current, this.initial);
        change = { preValue, postValue: checkInteger(preValue + delta) };
        return String(change.postValue);
      },
      options.signal,
    );
    return change!;
  }

  increment(): Promise<CounterChange> {
    return this.add(1);
  }

  decrement(): Promise<CounterChange> {
    return this.add(-1);
  }

  /** Sets `value` only if the counter is `expected` now; true when it did. */
  async compareAndSet(expected: number, value: number): Promise<boolean> {
    checkInteger(value);
    const zk = await this.managed.connected();
    const { written } = await compareAndSet(zk, this.path, (current) => {
      const now = current === undefined ? this.initial : parse(this.path, current, this.initial);
      return now === expected ? String(value) : undefined;
    });
    return written;
  }

  /** Sets `value` whatever the counter was. */
  async set(value: number): Promise<void> {
    checkInteger(value);
    const zk = await this.managed.connected();
    await compareAndSet(zk, this.path, () => String(value));
  }
}

function parse(path: string, data: Buffer | null, initial: number): number {
  if (data === null || data.length === 0) return initial;
  const text = data.toString('utf8').trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new TypeError(`${path} does not hold a counter: ${JSON.stringify(text.slice(0, 40))}`);
  return value;
}

function checkInteger(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`counter values are safe integers, got ${n}`);
  return n;
}
