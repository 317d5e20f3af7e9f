/**
 * Quorum verifiers: which servers vote, how much each vote weighs, and
 * whether a set of acknowledging servers forms a quorum. Mirrors ZooKeeper's
 * `flexible/QuorumVerifier.java` (`getVotingMembers`, `getWeight`,
 * `containsQuorum`), without the config-string and reconfig parts.
 */
export interface QuorumVerifier {
  /** The voting members (participants). Observers are not in this set. */
  voters(): ReadonlySet<number>;
  /**
   * True when `ackSet` holds a quorum. Ids that are not voters are ignored, so
   * callers may pass any set of sids.
   */
  isQuorum(ackSet: ReadonlySet<number>): boolean;
  /** The weight of a voter's ack; 0 for servers that are not voters. */
  weight(sid: number): number;
}

function checkSid(sid: number, what: string): void {
  if (!Number.isSafeInteger(sid) || sid < 0) {
    throw new RangeError(`${what}: server id must be a non-negative safe integer, got ${sid}`);
  }
}

/**
 * Plain majority of the voters, every voter with weight 1 (ZooKeeper's
 * `QuorumMaj`: a set is a quorum when it holds more than half the voters).
 */
export function majorityQuorum(voterIds: Iterable<number>): QuorumVerifier {
  const voters = new Set<number>();
  for (const sid of voterIds) {
    checkSid(sid, 'majorityQuorum');
    voters.add(sid);
  }
  if (voters.size === 0) throw new RangeError('majorityQuorum: at least one voter is required');
  const frozen: ReadonlySet<number> = voters;
  const half = Math.floor(voters.size / 2);
  return {
    voters: () => frozen,
    weight: (sid) => (voters.has(sid) ? 1 : 0),
    isQuorum(ackSet) {
      let n = 0;
      for (const sid of ackSet) if (voters.has(sid)) n++;
      return n > half;
    },
  };
}

/**
 * Hierarchical (grouped, weighted) quorums, as ZooKeeper's
 * `QuorumHierarchical`: voters are split into disjoint groups; a set is a
 * quorum when it holds more than half of the weight of a majority of the
 * groups that have non-zero weight. Voters default to weight 1; weight 0 makes
 * a voter that counts for nothing and can never be elected.
 *
 * @param groups group id -> member sids (a Map, or a record keyed by group id)
 * @param weights sid -> weight (non-negative integer); missing voters weigh 1
 */
export function hierarchicalQuorum(
  groups: ReadonlyMap<number, Iterable<number>> | Readonly<Record<number, Iterable<number>>>,
  weights: ReadonlyMap<number, number> | Readonly<Record<number, number>> = new Map(),
): QuorumVerifier {
  const groupOf = new Map<number, number>();
  const entries: Array<[number, Iterable<number>]> =
    groups instanceof Map
      ? [...groups.entries()]
      : Object.entries(groups).map(([k, v]) => [Number(k), v as Iterable<number>]);
  for (const [gid, members] of entries) {
    for (const sid of members) {
      checkSid(sid, 'hierarchicalQuorum');
      if (groupOf.has(sid)) throw new RangeError(`hierarchicalQuorum: server ${sid} is in more than one group`);
      groupOf.set(sid, gid);
    }
  }
  if (groupOf.size === 0) throw new RangeError('hierarchicalQuorum: at least one voter is required');

  const weightEntries: Array<[number, number]> =
    weights instanceof Map ? [...weights.entries()] : Object.entries(weights).map(([k, v]) => [Number(k), v as number]);
  const weightOf = new Map<number, number>();
  for (const [sid, w] of weightEntries) {
    if (!groupOf.has(sid)) throw new RangeError(`hierarchicalQuorum: weight given for server ${sid}, which is in no group`);
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`hierarchicalQuorum: weight of ${sid} must be a non-negative integer`);
    weightOf.set(sid, w);
  }
  for (const sid of groupOf.keys()) if (!weightOf.has(sid)) weightOf.set(sid, 1);

  const groupWeight = new Map<number, number>();
  for (const [sid, gid] of groupOf) groupWeight.set(gid, (groupWeight.get(gid) ?? 0) + (weightOf.get(sid) ?? 0));
  let liveGroups = 0;
  for (const w of groupWeight.values()) if (w > 0) liveGroups++;

  const voters: ReadonlySet<number> = new Set(groupOf.keys());
  return {
    voters: () => voters,
    weight: (sid) => weightOf.get(sid) ?? 0,
    isQuorum(ackSet) {
      const perGroup = new Map<number, number>();
      for (const sid of ackSet) {
        const gid = groupOf.get(sid);
        if (gid === undefined) continue;
        perGroup.set(gid, (perGroup.get(gid) ?? 0) + (weightOf.get(sid) ?? 0));
      }
      let majorities = 0;
      for (const [gid, w] of perGroup) {
        // "more than half of the group's weight"; 2w > total avoids rounding.
        if (2 * w > (groupWeight.get(gid) ?? 0) && w > 0) majorities++;
      }
      return 2 * majorities > liveGroups;
    },
  };
}
