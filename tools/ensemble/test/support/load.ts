// Write load from several @zk/client sessions against an ensemble, keeping a record of every write
// the ensemble acknowledged. Each write creates a fresh znode `<prefix>/<tag><client>-<lane>-<seq>`
// whose data names it, so a later read can tell exactly which acknowledged writes are present.

import {
  connect, isZooKeeperError, type ClientOptions, type ZooKeeperClient,
} from '@zk/client';

export interface LoadOptions {
  /** Parent znode of the writes (created if missing). */
  prefix: string;
  /** Prefix of this load's node names (several loads under one parent need different tags). Default 'w'. */
  tag?: string;
  /** Client sessions. Default 4. */
  clients?: number;
  /** Concurrent writes per session (pipelined). Default 4. */
  lanes?: number;
  /** Bytes of filler after the name in each value. Default 64. */
  valueBytes?: number;
  sessionTimeoutMs?: number;
  /** Stop after this many acknowledged writes (default: until stop()). */
  maxAcked?: number;
}

export const CLIENT_OPTIONS: ClientOptions = {
  sessionTimeoutMs: 30_000,
  reconnectDelayMs: 200,
  hostCycleDelayMs: 200,
  closeTimeoutMs: 2000,
};

export function valueFor(path: string, bytes: number): string {
  return `${path}|${'x'.repeat(bytes)}`;
}

/** Create `path` (and nothing else) unless it exists. */
export async function ensurePath(zk: ZooKeeperClient, path: string): Promise<void> {
  try {
    await zk.create(path, '');
  } catch (e) {
    if (!isZooKeeperError(e, 'NODEEXISTS')) throw e;
  }
}

export class WriteLoad {
  /** path -> data of every acknowledged create. */
  readonly acked = new Map<string, string>();
  /** Writes whose outcome is unknown (connection lost / timed out before the reply). */
  readonly unknown = new Set<string>();
  /** Error code name -> count. */
  readonly errors = new Map<string, number>();
  /** Wall-clock ms of each acknowledgement, in order (for "writes resumed after t"). */
  readonly ackTimes: number[] = [];
  private readonly clients: Array<ZooKeeperClient | null> = [];
  private readonly loops: Array<Promise<void>> = [];
  private stopped = false;
  private readonly o: Required<Omit<LoadOptions, 'maxAcked'>> & { maxAcked: number };

  constructor(
    private readonly connectString: string,
    opts: LoadOptions,
  ) {
    this.o = {
      tag: 'w', clients: 4, lanes: 4, valueBytes: 64, sessionTimeoutMs: CLIENT_OPTIONS.sessionTimeoutMs!,
      maxAcked: Number.POSITIVE_INFINITY, ...opts,
    };
  }

  get ackCount(): number {
    return this.acked.size;
  }

  /** Acknowledgements at or after wall-clock time `t`. */
  ackedSince(t: number): number {
    let n = 0;
    for (let i = this.ackTimes.length - 1; i >= 0 && this.ackTimes[i]! >= t; i--) n++;
    return n;
  }

  async start(): Promise<void> {
    for (let i = 0; i < this.o.clients; i++) {
      const zk = await this.newClient();
      this.clients.push(zk);
      if (i === 0) await ensurePath(zk, this.o.prefix);
    }
    for (let i = 0; i < this.o.clients; i++) {
      for (let lane = 0; lane < this.o.lanes; lane++) this.loops.push(this.loop(i, lane));
    }
  }

  private newClient(): Promise<ZooKeeperClient> {
    return connect(this.connectString, { ...CLIENT_OPTIONS, sessionTimeoutMs: this.o.sessionTimeoutMs, timeoutMs: 60_000 });
  }

  private count(name: string): void {
    this.errors.set(name, (this.errors.get(name) ?? 0) + 1);
  }

  private async loop(i: number, lane: number): Promise<void> {
    let seq = 0;
    while (!this.stopped && this.acked.size < this.o.maxAcked) {
      const zk = this.clients[i];
      if (zk === null || zk === undefined) return;
      const path = `${this.o.prefix}/${this.o.tag}${i}-${lane}-${seq++}`;
      const data = valueFor(path, this.o.valueBytes);
      try {
        await zk.create(path, data);
        this.acked.set(path, data);
        this.ackTimes.push(Date.now());
      } catch (e) {
        this.unknown.add(path);
        const name = isZooKeeperError(e) ? e.codeName : (e as Error).name;
        this.count(name);
        if (this.stopped) return;
        if (isZooKeeperError(e, 'SESSIONEXPIRED') && this.clients[i] === zk) {
          // Expiry is final for a client: carry on with a new session.
          this.clients[i] = null;
          try {
            this.clients[i] = await this.newClient();
          } catch {
            this.count('reconnect-failed');
          }
          await zk.close().catch(() => undefined);
        } else {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  }

  /** Resolve once at least `n` writes were acknowledged; reject after `timeoutMs`. */
  async waitForAcks(n: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.acked.size < n) {
      if (Date.now() > deadline) {
        throw new Error(`only ${this.acked.size} of ${n} writes acknowledged after ${timeoutMs} ms; errors ${this.describeErrors()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Wait until the lanes have finished (maxAcked reached). */
  async finished(): Promise<void> {
    await Promise.all(this.loops);
  }

  describeErrors(): string {
    return this.errors.size === 0 ? 'none' : [...this.errors].map(([k, v]) => `${k}=${v}`).join(' ');
  }

  /** Stop writing: the writes in flight finish (or fail), then every session is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.race([Promise.all(this.loops), new Promise((r) => setTimeout(r, 45_000))]);
    await Promise.all(this.clients.map((c) => c?.close().catch(() => undefined)));
  }
}
