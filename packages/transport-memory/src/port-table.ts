const EPHEMERAL_FIRST = 49152;
const EPHEMERAL_LAST = 65535;

/** Ports in use on one in-memory host; hands out ephemeral ports deterministically. */
export class PortTable {
  readonly #used = new Set<number>();
  #next = EPHEMERAL_FIRST;

  isUsed(port: number): boolean {
    return this.#used.has(port);
  }

  /** Claims `port`; false when it is taken. */
  claim(port: number): boolean {
    if (this.#used.has(port)) return false;
    this.#used.add(port);
    return true;
  }

  /** Claims the next free ephemeral port, in increasing order with wrap-around. */
  claimEphemeral(): number {
    const range = EPHEMERAL_LAST - EPHEMERAL_FIRST + 1;
    for (let i = 0; i < range; i++) {
      const port = this.#next;
      this.#next = port === EPHEMERAL_LAST ? EPHEMERAL_FIRST : port + 1;
      if (this.claim(port)) return port;
    }
    throw new Error('no free ephemeral port');
  }

  release(port: number): void {
    this.#used.delete(port);
  }
}
