import { OpCode } from '@zk/protocol';
import type { Clock, TimerHandle } from './clock.js';
import type { ServerCore } from './server-core.js';

export interface ContainerManagerOptions {
  /** znode.container.checkIntervalMs (ZooKeeper default 60000). */
  checkIntervalMs: number;
  /** znode.container.maxPerMinute (default 10000): deletions proposed per minute at most. */
  maxPerMinute: number;
  /** znode.container.maxNeverUsedIntervalMs (default 0: never-used containers are kept). */
  maxNeverUsedIntervalMs: number;
}

/**
 * ZooKeeper's ContainerManager: every interval, proposes deleteContainer for empty containers
 * that once had children and for TTL nodes past their TTL. Deletion goes through the normal write
 * pipeline, so prep re-checks each candidate against the latest state.
 */
export class ContainerManager {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly core: ServerCore,
    private readonly clock: Clock,
    private readonly options: ContainerManagerOptions,
  ) {}

  start(): void {
    this.timer = this.clock.setTimeout(() => this.check(), this.options.checkIntervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const now = this.clock.now();
    const budget = Math.max(1, Math.floor((this.options.maxPerMinute * this.options.checkIntervalMs) / 60_000));
    const candidates = this.core.tree.containerCandidates(now, this.options.maxNeverUsedIntervalMs);
    for (const path of candidates.slice(0, budget)) {
      this.core.submitWrite({ conn: undefined, sessionId: 0n, xid: 0, type: OpCode.deleteContainer, body: { path }, receivedAt: now });
    }
    this.start();
  }
}
