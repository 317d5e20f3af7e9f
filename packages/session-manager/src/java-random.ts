// java.util.Random's 48-bit linear congruential generator, reproduced bit for bit so that
// passwords derived from a seed match what a Java ZooKeeper server would compute.

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK_48 = (1n << 48n) - 1n;

export class JavaRandom {
  private seed: bigint;

  /** Same as `new java.util.Random(seed)`: the seed is scrambled with the multiplier. */
  constructor(seed: bigint) {
    this.seed = (BigInt.asUintN(64, seed) ^ MULTIPLIER) & MASK_48;
  }

  /** Random.next(bits): the top `bits` of the advanced 48-bit state, as a signed 32-bit int. */
  next(bits: number): number {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK_48;
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)));
  }

  nextInt(): number {
    return this.next(32);
  }

  /** Random.nextBytes: each int fills up to four bytes, least significant byte first. */
  nextBytes(out: Uint8Array): Uint8Array {
    let i = 0;
    while (i < out.length) {
      let rnd = this.nextInt();
      for (let n = Math.min(out.length - i, 4); n > 0; n--) {
        out[i++] = rnd & 0xff;
        rnd >>= 8;
      }
    }
    return out;
  }
}
