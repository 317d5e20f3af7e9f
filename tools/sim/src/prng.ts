/** A small seeded PRNG (splitmix32-style mixing over a 32-bit state). */
export class Prng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 ^ 0x9e3779b9;
    for (let i = 0; i < 4; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.#s = (this.#s + 0x9e3779b9) >>> 0;
    let z = this.#s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError('pick from empty');
    return xs[Math.floor(this.next() * xs.length)] as T;
  }
  /** A child generator (so adding draws in one place does not shift another). */
  fork(): Prng {
    return new Prng(Math.floor(this.next() * 4294967296));
  }
}
