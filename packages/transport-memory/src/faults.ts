import type { PartitionMode } from './options.js';

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** The fault rules of a network: directed host-to-host blocks and refused addresses. */
export class Faults {
  readonly #blocks = new Map<string, PartitionMode>();
  readonly #refused = new Set<string>();

  block(from: string, to: string, mode: PartitionMode): void {
    if (from !== to) this.#blocks.set(key(from, to), mode);
  }

  unblockPair(a: string, b: string): void {
    this.#blocks.delete(key(a, b));
    this.#blocks.delete(key(b, a));
  }

  clear(): void {
    this.#blocks.clear();
    this.#refused.clear();
  }

  /** The block on bytes flowing from `from` to `to`, if any. */
  blocked(from: string, to: string): PartitionMode | undefined {
    return this.#blocks.get(key(from, to));
  }

  /** What stops a connection between two hosts being set up: a block either way ('reset' wins). */
  dialBlock(a: string, b: string): PartitionMode | undefined {
    const there = this.blocked(a, b);
    const back = this.blocked(b, a);
    if (there === 'reset' || back === 'reset') return 'reset';
    return there ?? back;
  }

  refuse(host: string, port: number): void {
    this.#refused.add(`${host}:${port}`);
  }

  unrefuse(host: string, port: number): void {
    this.#refused.delete(`${host}:${port}`);
  }

  isRefused(host: string, port: number): boolean {
    return this.#refused.has(`${host}:${port}`);
  }
}
