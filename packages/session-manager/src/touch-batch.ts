/**
 * The sessions a learner saw activity on since its last PING to the leader, with the timeout each
 * connection negotiated (LearnerSessionTracker's touch table). Touching overwrites; {@link drain}
 * hands the whole table over and starts a fresh one, so a touch costs one Map.set.
 */
export class TouchBatch {
  private touched = new Map<bigint, number>();

  touch(sessionId: bigint, timeoutMs: number): void {
    this.touched.set(sessionId, timeoutMs);
  }

  /** Forget a session (it was closed): it must not be reported as alive. */
  remove(sessionId: bigint): void {
    this.touched.delete(sessionId);
  }

  get size(): number {
    return this.touched.size;
  }

  /** Returns the collected id -> timeout table (insertion order) and starts a new, empty one. */
  drain(): Map<bigint, number> {
    const batch = this.touched;
    this.touched = new Map();
    return batch;
  }
}
