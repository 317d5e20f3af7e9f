/**
 * Quorum math is injected: the core only ever asks whether a set of server ids
 * is a quorum. Observers never count: the core only puts participants (the
 * leader and learners that registered with FOLLOWERINFO) into the sets it
 * asks about, and a verifier should ignore ids it does not know as voters.
 *
 * The shape is a structural subset of `@zk/election`'s `QuorumVerifier`, so
 * the same object serves both packages.
 */
export interface QuorumVerifier {
  isQuorum(sids: ReadonlySet<number>): boolean;
}

/** Plain majority of `voters` (ZooKeeper's `QuorumMaj`). */
export function majorityQuorum(voters: Iterable<number>): QuorumVerifier {
  const set = new Set(voters);
  if (set.size === 0) throw new RangeError('majorityQuorum: at least one voter is required');
  const half = Math.floor(set.size / 2);
  return {
    isQuorum(sids) {
      let n = 0;
      for (const sid of sids) if (set.has(sid)) n++;
      return n > half;
    },
  };
}

/** A set of acknowledging server ids, checked against a verifier. */
export class AckSet {
  private readonly sids = new Set<number>();
  constructor(private readonly verifier: QuorumVerifier) {}

  add(sid: number): void {
    this.sids.add(sid);
  }

  delete(sid: number): void {
    this.sids.delete(sid);
  }

  has(sid: number): boolean {
    return this.sids.has(sid);
  }

  get size(): number {
    return this.sids.size;
  }

  isQuorum(): boolean {
    return this.verifier.isQuorum(this.sids);
  }

  /** Sorted ids, for logs and tests. */
  list(): number[] {
    return [...this.sids].sort((a, b) => a - b);
  }
}
